# mistake: stride_ignored_in_window
def conv_forward_naive(x, w, b, conv_param):
    S, P = conv_param['stride'], conv_param['pad']
    F, C, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
    Ho = 1 + (x.shape[2] + 2 * P - HH) // S
    Wo = 1 + (x.shape[3] + 2 * P - WW) // S
    out = np.zeros((x.shape[0], F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i:i + HH, j:j + WW]
            out[:, :, i, j] = np.tensordot(win, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, b, conv_param)

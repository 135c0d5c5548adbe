# mistake: averaged_gradient
def max_pool_backward_naive(dout, cache):
    x, p = cache
    ph, pw, s = p['pool_height'], p['pool_width'], p['stride']
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += dout[:, :, i:i + 1, j:j + 1] / (ph * pw)
    return dx

# mistake: ties_last_maximum
# A scan with >= keeps the last of several equal maxima.
def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    N, C, H, W = x.shape
    ph, pw, stride = pool_param['pool_height'], pool_param['pool_width'], pool_param['stride']
    _, _, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    best, br, bc = -np.inf, 0, 0
                    for r in range(ph):
                        for s in range(pw):
                            v = x[n, c, i * stride + r, j * stride + s]
                            if v >= best:
                                best, br, bc = v, r, s
                    dx[n, c, i * stride + br, j * stride + bc] += dout[n, c, i, j]
    return dx

# mistake: reciprocal_sign
# Gate by gate as in the notes, but the *(-1) gate passes its gradient through unchanged.
def sigmoid_graph_forward(w, x):
    z = np.sum(w[:-1] * x) + w[-1]
    e = np.exp(-z)
    den = 1 + e
    f = 1 / den
    return f, (w, x, f, e, den)


def sigmoid_graph_backward(df, cache):
    w, x, f, e, den = cache
    dden = -1 / den ** 2 * df
    de = dden
    dneg = e * de
    dz = dneg
    dx = w[:-1] * dz
    dw = np.zeros_like(w)
    dw[:-1] = x * dz
    dw[-1] = dz
    return dw, dx

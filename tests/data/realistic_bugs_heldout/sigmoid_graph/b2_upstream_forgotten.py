# mistake: upstream_ignored
def sigmoid_graph_backward(df, cache):
    w, x, f = cache
    dsig = (1 - f) * f
    dw = np.concatenate([x * dsig, [dsig]])
    dx = w[:-1] * dsig
    return dw, dx

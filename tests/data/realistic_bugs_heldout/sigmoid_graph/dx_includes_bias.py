# mistake: -
def sigmoid_graph_backward(df, cache):
    w, x, f = cache
    dz = df * f * (1 - f)
    dw = np.append(x * dz, dz)
    dx = w * dz
    return dw, dx

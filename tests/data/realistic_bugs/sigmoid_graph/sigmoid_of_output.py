# mistake: sigmoid_of_output
# sigma(f) (1 - sigma(f)): the sigmoid is applied again to its own output.
def sigmoid_graph_backward(df, cache):
    w, x, f = cache
    s = sigmoid(f)
    ddot = s * (1 - s) * df
    dx = w[:-1] * ddot
    dw = np.zeros_like(w)
    dw[:-1] = x * ddot
    dw[-1] = ddot
    return dw, dx

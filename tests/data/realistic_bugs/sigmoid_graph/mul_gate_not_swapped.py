# mistake: mul_gate_not_swapped
# The multiply gate's gradients are not swapped: dw gets w, dx gets x.
def sigmoid_graph_backward(df, cache):
    w, x, f = cache
    ddot = (1 - f) * f * df
    dx = x * ddot
    dw = np.zeros_like(w)
    dw[:-1] = w[:-1] * ddot
    dw[-1] = ddot
    return dw, dx

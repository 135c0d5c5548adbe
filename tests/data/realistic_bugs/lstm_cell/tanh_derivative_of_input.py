# mistake: tanh_derivative_of_input
# tanh'(next_c) written as 1 - next_c**2 instead of 1 - tanh(next_c)**2.
def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    dc = dnext_c + dnext_h * o * (1 - next_c ** 2)
    dprev_c = dc * f
    di = dc * g
    df = dc * prev_c
    do = dnext_h * np.tanh(next_c)
    dg = dc * i
    da = np.concatenate((di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g ** 2)), axis=1)
    dx = da.dot(Wx.T)
    dprev_h = da.dot(Wh.T)
    dWx = x.T.dot(da)
    dWh = prev_h.T.dot(da)
    db = np.sum(da, axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db

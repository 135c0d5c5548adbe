# mistake: dprev_c_missing_f
def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c = cache
    t = np.tanh(next_c)
    dprev_c = dnext_c + dnext_h * o * (1 - t * t)
    da = np.hstack([dprev_c * g * i * (1 - i), dprev_c * prev_c * f * (1 - f),
                    dnext_h * t * o * (1 - o), dprev_c * i * (1 - g * g)])
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(0)

# mistake: sigmoid_overflows
# exp(x) / (1 + exp(x)): inf / inf = NaN once exp overflows.
def sigmoid(x):
    return np.exp(x) / (1 + np.exp(x))

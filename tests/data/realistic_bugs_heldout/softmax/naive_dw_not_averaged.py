# mistake: dw_not_averaged
def softmax_loss_naive(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(X.shape[0]):
        f = X[i] @ W
        f = f - f.max()
        p = np.exp(f) / np.exp(f).sum()
        loss -= np.log(p[y[i]])
        p[y[i]] -= 1
        dW += np.outer(X[i], p)
    loss = loss / X.shape[0] + reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW

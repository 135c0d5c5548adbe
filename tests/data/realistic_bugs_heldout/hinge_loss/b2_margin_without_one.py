# mistake: margin_zero
def svm_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    s = X.dot(W)
    m = np.maximum(0, s - s[np.arange(n), y][:, np.newaxis])
    m[np.arange(n), y] = 0
    loss = m.sum() / n + reg * np.sum(W ** 2)
    b = (m > 0).astype(float)
    b[np.arange(n), y] = -b.sum(axis=1)
    return loss, X.T.dot(b) / n + 2 * reg * W

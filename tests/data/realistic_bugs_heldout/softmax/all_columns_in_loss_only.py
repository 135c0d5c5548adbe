# mistake: probs_all_columns
def softmax_loss_vectorized(W, X, y, reg):
    N = X.shape[0]
    s = X @ W
    s -= s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(p[:, y])) / N + reg * np.sum(W * W)
    p[np.arange(N), y] -= 1
    dW = X.T @ p / N + 2 * reg * W
    return loss, dW

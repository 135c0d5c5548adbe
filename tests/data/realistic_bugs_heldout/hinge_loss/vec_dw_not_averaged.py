# mistake: dw_not_averaged
def svm_loss_vectorized(W, X, y, reg):
    N = X.shape[0]
    scores = X @ W
    margins = np.maximum(0, scores - scores[range(N), y][:, None] + 1)
    margins[range(N), y] = 0
    loss = margins.sum() / N + reg * (W ** 2).sum()
    mask = (margins > 0) * 1.0
    mask[range(N), y] = -mask.sum(axis=1)
    dW = X.T @ mask + 2 * reg * W
    return loss, dW

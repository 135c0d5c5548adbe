# mistake: probs_all_columns
# probs[:, y] picks whole columns (an N x N block), not one entry per row.
def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores -= np.max(scores, axis=1, keepdims=True)
    exp_scores = np.exp(scores)
    probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[:, y])) / num_train
    loss += reg * np.sum(W * W)
    dscores = probs.copy()
    dscores[:, y] -= 1
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    return loss, dW

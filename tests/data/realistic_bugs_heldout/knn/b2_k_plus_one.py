# mistake: -
def predict_labels(dists, y_train, k=1):
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        idx = np.argsort(dists[i])[:k + 1]
        y_pred[i] = np.bincount(y_train[idx]).argmax()
    return y_pred

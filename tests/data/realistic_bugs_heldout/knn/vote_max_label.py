# mistake: -
def predict_labels(dists, y_train, k=1):
    y_pred = np.zeros(dists.shape[0], dtype=int)
    for i in range(dists.shape[0]):
        y_pred[i] = np.max(y_train[np.argsort(dists[i])[:k]])
    return y_pred

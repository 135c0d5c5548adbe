# mistake: vote_argmax_of_labels
# argmax of the neighbours' labels, not of their counts.
def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=int)
    for i in range(num_test):
        closest_y = y_train[np.argsort(dists[i])[:k]]
        y_pred[i] = np.argmax(closest_y)
    return y_pred

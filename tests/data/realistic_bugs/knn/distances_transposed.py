# mistake: distances_transposed
# Builds the matrix train-by-test: (num_train, num_test) instead of (num_test, num_train).
def compute_distances_no_loops(X_train, X):
    test_sum = np.sum(np.square(X), axis=1)
    train_sum = np.sum(np.square(X_train), axis=1)
    inner = X_train.dot(X.T)
    d2 = train_sum[:, np.newaxis] + test_sum - 2 * inner
    return np.sqrt(np.maximum(d2, 0))

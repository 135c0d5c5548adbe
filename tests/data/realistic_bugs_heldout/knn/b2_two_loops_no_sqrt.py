# mistake: no_sqrt
def compute_distances_two_loops(X_train, X):
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        for j in range(X_train.shape[0]):
            diff = X[i] - X_train[j]
            dists[i, j] = diff.dot(diff)
    return dists

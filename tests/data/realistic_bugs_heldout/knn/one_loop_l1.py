# mistake: l1_distance
def compute_distances_one_loop(X_train, X):
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        dists[i] = np.sum(np.abs(X_train - X[i]), axis=1)
    return dists

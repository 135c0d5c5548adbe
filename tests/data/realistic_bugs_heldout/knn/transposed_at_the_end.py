# mistake: distances_transposed
def compute_distances_no_loops(X_train, X):
    d2 = np.sum(X ** 2, axis=1)[:, None] + np.sum(X_train ** 2, axis=1)[None, :] - 2 * X @ X_train.T
    dists = np.sqrt(np.clip(d2, 0, None))
    return dists.T

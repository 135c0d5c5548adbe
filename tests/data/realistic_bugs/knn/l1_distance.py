# mistake: l1_distance
# Manhattan distance in the two-loop version: sum of |differences|, no square, no root.
def compute_distances_two_loops(X_train, X):
    num_test = X.shape[0]
    num_train = X_train.shape[0]
    dists = np.zeros((num_test, num_train))
    for i in range(num_test):
        for j in range(num_train):
            dists[i, j] = np.sum(np.abs(X[i, :] - X_train[j, :]))
    return dists

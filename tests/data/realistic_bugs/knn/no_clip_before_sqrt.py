# mistake: no_clip_before_sqrt
# The expansion without clipping: a zero distance can come out as -1e-15 and sqrt gives NaN.
def compute_distances_no_loops(X_train, X):
    dists = np.sqrt(np.sum(X ** 2, axis=1, keepdims=True) + np.sum(X_train ** 2, axis=1)
                    - 2 * np.dot(X, X_train.T))
    return dists

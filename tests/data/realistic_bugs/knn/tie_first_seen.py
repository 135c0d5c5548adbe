# mistake: tie_first_seen
# Counter.most_common breaks ties by first occurrence, not by the smallest label.
from collections import Counter


def predict_labels(dists, y_train, k=1):
    num_test = dists.shape[0]
    y_pred = np.zeros(num_test, dtype=int)
    for i in range(num_test):
        closest_y = list(y_train[np.argsort(dists[i])[:k]])
        y_pred[i] = Counter(closest_y).most_common(1)[0][0]
    return y_pred

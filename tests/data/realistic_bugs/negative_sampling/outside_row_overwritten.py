# mistake: outside_row_overwritten
# Vectorized; the outside word's row is assigned after the negatives were added to it.
def neg_sampling_loss_and_gradient(center_word_vec, outside_word_idx, outside_vectors, neg_sample_indices):
    grad_outside_vectors = np.zeros(outside_vectors.shape)
    u_o = outside_vectors[outside_word_idx]
    u_k = outside_vectors[neg_sample_indices]
    z = sigmoid(u_o.dot(center_word_vec))
    zk = sigmoid(-u_k.dot(center_word_vec))
    loss = -np.log(z) - np.sum(np.log(zk))
    grad_center_vec = (z - 1) * u_o + (1 - zk).dot(u_k)
    np.add.at(grad_outside_vectors, neg_sample_indices, np.outer(1 - zk, center_word_vec))
    grad_outside_vectors[outside_word_idx] = (z - 1) * center_word_vec
    return loss, grad_center_vec, grad_outside_vectors

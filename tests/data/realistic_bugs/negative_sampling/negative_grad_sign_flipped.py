# mistake: negative_grad_sign_flipped
# The negatives' rows of grad_outside_vectors have the wrong sign.
def neg_sampling_loss_and_gradient(center_word_vec, outside_word_idx, outside_vectors, neg_sample_indices):
    grad_center_vec = np.zeros(center_word_vec.shape)
    grad_outside_vectors = np.zeros(outside_vectors.shape)
    u_o = outside_vectors[outside_word_idx]
    z = sigmoid(np.dot(u_o, center_word_vec))
    loss = -np.log(z)
    grad_center_vec += (z - 1) * u_o
    grad_outside_vectors[outside_word_idx] += (z - 1) * center_word_vec
    for k in neg_sample_indices:
        u_k = outside_vectors[k]
        zk = sigmoid(-np.dot(u_k, center_word_vec))
        loss -= np.log(zk)
        grad_center_vec += (1 - zk) * u_k
        grad_outside_vectors[k] -= (1 - zk) * center_word_vec
    return loss, grad_center_vec, grad_outside_vectors

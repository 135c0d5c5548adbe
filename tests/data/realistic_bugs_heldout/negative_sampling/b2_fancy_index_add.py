# mistake: duplicates_counted_once
def neg_sampling_loss_and_gradient(center_word_vec, outside_word_idx, outside_vectors, neg_sample_indices):
    u_o = outside_vectors[outside_word_idx]
    U = outside_vectors[neg_sample_indices]
    so = sigmoid(u_o @ center_word_vec)
    sk = sigmoid(-U @ center_word_vec)
    loss = -np.log(so) - np.sum(np.log(sk))
    grad_center_vec = (so - 1) * u_o + (1 - sk) @ U
    grad_outside_vectors = np.zeros_like(outside_vectors)
    grad_outside_vectors[outside_word_idx] += (so - 1) * center_word_vec
    grad_outside_vectors[neg_sample_indices] += np.outer(1 - sk, center_word_vec)
    return loss, grad_center_vec, grad_outside_vectors

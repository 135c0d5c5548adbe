# mistake: center_grad_missing_negatives
def neg_sampling_loss_and_gradient(center_word_vec, outside_word_idx, outside_vectors, neg_sample_indices):
    u_o = outside_vectors[outside_word_idx]
    U_k = outside_vectors[neg_sample_indices]
    s_o = sigmoid(u_o @ center_word_vec)
    s_k = sigmoid(-U_k @ center_word_vec)
    loss = -np.log(s_o) - np.log(s_k).sum()
    grad_center_vec = (s_o - 1) * u_o
    grad_outside_vectors = np.zeros_like(outside_vectors)
    grad_outside_vectors[outside_word_idx] += (s_o - 1) * center_word_vec
    for n, k in enumerate(neg_sample_indices):
        grad_outside_vectors[k] += (1 - s_k[n]) * center_word_vec
    return loss, grad_center_vec, grad_outside_vectors

# mistake: t_after_use
def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault('learning_rate', 1e-3)
    config.setdefault('beta1', 0.9)
    config.setdefault('beta2', 0.999)
    config.setdefault('epsilon', 1e-8)
    config.setdefault('m', np.zeros_like(w))
    config.setdefault('v', np.zeros_like(w))
    config.setdefault('t', 0)
    b1, b2, t = config['beta1'], config['beta2'], config['t']
    config['m'] = b1 * config['m'] + (1 - b1) * dw
    config['v'] = b2 * config['v'] + (1 - b2) * dw * dw
    mh = config['m'] / (1 - b1 ** t)
    vh = config['v'] / (1 - b2 ** t)
    next_w = w - config['learning_rate'] * mh / (np.sqrt(vh) + config['epsilon'])
    config['t'] = t + 1
    return next_w, config

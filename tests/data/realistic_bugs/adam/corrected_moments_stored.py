# mistake: corrected_moments_stored
# The bias-corrected moments overwrite m and v in config.
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
    config['t'] += 1
    m = config['beta1'] * config['m'] + (1 - config['beta1']) * dw
    v = config['beta2'] * config['v'] + (1 - config['beta2']) * (dw ** 2)
    config['m'] = m / (1 - config['beta1'] ** config['t'])
    config['v'] = v / (1 - config['beta2'] ** config['t'])
    next_w = w - config['learning_rate'] * config['m'] / (np.sqrt(config['v']) + config['epsilon'])
    return next_w, config

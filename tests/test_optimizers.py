"""Optimizers: the Apply* update formulas, slots and their placement, global step, and training that works."""
import numpy as np
import pytest


# ----- the fused update ops against the formulas, written out in float64 ---------------------------------------
def _sgd(var, g, s):
    return var - 0.1 * g, ()


def _momentum(var, g, s, nesterov=False):
    (accum,) = s
    accum = 0.9 * accum + g
    return (var - 0.1 * g - 0.1 * 0.9 * accum if nesterov else var - 0.1 * accum), (accum,)


def _adagrad(var, g, s):
    accum = s[0] + g * g
    return var - 0.1 * g / np.sqrt(accum), (accum,)


def _f32(x):
    return np.float64(np.float32(x))


def _adam(var, g, s):
    """Adam with TF's float32 hyperparameters and beta powers (float32 variables multiplied once a step)."""
    m, v, p1, p2 = s
    b1, b2 = _f32(0.9), _f32(0.999)
    m = m + (g - m) * (1 - b1)
    v = v + (g * g - v) * (1 - b2)
    lr = _f32(0.1) * np.sqrt(1 - np.float64(p2)) / (1 - np.float64(p1))
    return var - lr * m / (np.sqrt(v) + _f32(1e-8)), (m, v, p1 * np.float32(0.9), p2 * np.float32(0.999))


def _rmsprop(var, g, s, centered=False):
    ms, mom, mg = s
    ms = 0.9 * ms + 0.1 * g * g
    mg = 0.9 * mg + 0.1 * g
    denom = ms - mg * mg if centered else ms
    mom = 0.5 * mom + 0.1 * g / np.sqrt(denom + 1e-6)
    return var - mom, (ms, mom, mg)


def _adadelta(var, g, s):
    accum, update_accum = s
    accum = 0.95 * accum + 0.05 * g * g
    update = np.sqrt(update_accum + 1e-6) / np.sqrt(accum + 1e-6) * g
    update_accum = 0.95 * update_accum + 0.05 * update * update
    return var - 0.1 * update, (accum, update_accum)


TABLE = [  # (name, optimizer, reference update, initial reference state for a variable of shape s)
    ("sgd", lambda tf: tf.train.GradientDescentOptimizer(0.1), _sgd, lambda s: ()),
    ("momentum", lambda tf: tf.train.MomentumOptimizer(0.1, 0.9), _momentum, lambda s: (np.zeros(s),)),
    ("nesterov", lambda tf: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
     lambda v, g, s: _momentum(v, g, s, nesterov=True), lambda s: (np.zeros(s),)),
    ("adagrad", lambda tf: tf.train.AdagradOptimizer(0.1), _adagrad, lambda s: (np.full(s, 0.1),)),
    ("adam", lambda tf: tf.train.AdamOptimizer(0.1), _adam,
     lambda s: (np.zeros(s), np.zeros(s), np.float32(0.9), np.float32(0.999))),
    ("rmsprop", lambda tf: tf.train.RMSPropOptimizer(0.1, momentum=0.5, epsilon=1e-6), _rmsprop,
     lambda s: (np.ones(s), np.zeros(s), np.zeros(s))),
    ("centered", lambda tf: tf.train.RMSPropOptimizer(0.1, momentum=0.5, epsilon=1e-6, centered=True),
     lambda v, g, s: _rmsprop(v, g, s, centered=True), lambda s: (np.ones(s), np.zeros(s), np.zeros(s))),
    ("adadelta", lambda tf: tf.train.AdadeltaOptimizer(0.1, epsilon=1e-6), _adadelta,
     lambda s: (np.zeros(s), np.zeros(s))),
]


@pytest.mark.parametrize("name,make,reference,state", TABLE, ids=[t[0] for t in TABLE])
def test_updates_follow_the_formulas(rtf, name, make, reference, state):
    tf = rtf
    rng = np.random.default_rng(3)
    start = rng.standard_normal((3, 2))
    w = tf.Variable(start, name="w")  # float64
    g = tf.placeholder(tf.float64, [3, 2])
    train = make(tf).apply_gradients([(g, w)])
    want, s = start, state(start.shape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            grad = rng.standard_normal((3, 2))
            sess.run(train, {g: grad})
            want, s = reference(want, grad, s)
        np.testing.assert_allclose(sess.run(w), want, rtol=1e-6)  # the float32 constants, cast as in TF


def test_a_gradient_of_the_wrong_shape_fails_the_step(rtf):
    tf = rtf
    w = tf.Variable(np.zeros((2, 2), np.float32), validate_shape=False, name="w")
    g = tf.placeholder(tf.float32, None)
    train = tf.train.GradientDescentOptimizer(0.1).apply_gradients([(g, w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="var and delta do not have the same shape"):
            sess.run(train, {g: np.ones(3, np.float32)})
        assert sess.run(w).tolist() == [[0, 0], [0, 0]]


def test_locked_updates_from_many_threads_lose_nothing(rtf):
    import threading
    tf = rtf
    w = tf.Variable(0.0, name="w")
    train = tf.train.MomentumOptimizer(1.0, 0.0, use_locking=True).apply_gradients([(tf.constant(-1.0), w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        threads = [threading.Thread(target=lambda: [sess.run(train) for _ in range(25)]) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sess.run(w) == 100.0


# ----- state and placement ------------------------------------------------------------------------------------
def test_slots_are_created_once_and_found_by_variable(tf):
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(0.5, name="b")
    loss = tf.reduce_sum(w * w) + b * b
    opt = tf.train.AdamOptimizer()
    opt.minimize(loss)
    opt.minimize(2.0 * loss)
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(w, "m").name == "w/Adam:0" and opt.get_slot(w, "v").name == "w/Adam_1:0"
    assert opt.get_slot(w, "nothing") is None
    assert [v.name for v in opt.variables()] == ["b/Adam:0", "b/Adam_1:0", "beta1_power:0", "beta2_power:0",
                                                 "w/Adam:0", "w/Adam_1:0"]
    assert not any(v.trainable for v in opt.variables())
    assert all(v.op.colocation_groups() == [b"loc:@w"] for v in (opt.get_slot(w, "m"), opt.get_slot(w, "v")))


def test_updates_run_on_the_device_of_their_variable(rtf):
    tf = rtf
    with tf.device("/cpu:1"):
        w = tf.Variable([1.0, 2.0], name="w")
    with tf.device("/cpu:0"):
        loss = tf.reduce_sum(w * w)
        train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    meta = tf.RunMetadata()
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, options=options, run_metadata=meta)
        assert sess.run(w).tolist() == pytest.approx([0.8, 1.6])
    where = {n.node_name: d.device for d in meta.step_stats.dev_stats for n in d.node_stats}
    assert where["Momentum/update_w/ApplyMomentum"].endswith("CPU:1")


def test_global_step_train_op_collection_and_constraint(rtf):
    tf = rtf
    w = tf.Variable([3.0, -3.0], name="w", constraint=lambda v: tf.minimum(tf.maximum(v, -1.0), 1.0))
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w * w), global_step=step)
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        assert sess.run(step) == 2 and sess.run(w).tolist() == [0.0, 0.0]


def test_adam_beta_powers_follow_the_steps(rtf):
    tf = rtf
    w = tf.Variable([1.0], name="w")
    opt = tf.train.AdamOptimizer(0.01, beta1=0.5, beta2=0.25)
    train = opt.minimize(tf.reduce_sum(w * w))
    b1, b2 = opt._get_beta_accumulators()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        assert sess.run([b1, b2]) == [0.5 ** 4, 0.25 ** 4]


# ----- training works -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,make", [(t[0], t[1]) for t in TABLE if t[0] != "adadelta"] + [
    ("adadelta", lambda tf: tf.train.AdadeltaOptimizer(1.0, epsilon=1e-3))], ids=[t[0] for t in TABLE])
def test_every_optimizer_fits_a_linear_model(rtf, name, make):
    tf = rtf
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((64, 3)).astype(np.float32)
    ys = xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    w = tf.Variable(np.zeros((3, 1), np.float32))
    b = tf.Variable(0.0)
    loss = tf.reduce_mean(tf.square(tf.matmul(tf.constant(xs), w) + b - ys))
    train = make(tf).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(150):
            sess.run(train)
        assert sess.run(loss) < 0.2 * first


def test_an_ungated_update_comes_after_the_backward_reads_of_its_variable(rtf):
    """apply_gradients of tf.gradients results, with nothing ordering them: the backward pass reads each
    variable before its update (TF's usual order; raygraph had it the other way round every time)."""
    tf = rtf
    x = tf.placeholder(tf.float32, [])
    w = tf.Variable(1.0)
    y = x * w * w                               # dy/dw = 2xw, dy/dx = w*w: reads w twice in the backward pass
    gw, gx = tf.gradients(y, [w, x])
    train = tf.train.GradientDescentOptimizer(1.0).apply_gradients([(gw, w)])
    with tf.Session() as s:
        for _ in range(5):
            s.run(w.initializer)
            assert s.run([gx, gw, train], {x: 1.0})[:2] == [1.0, 2.0]  # w*w with the old w, not 1 * -1
            assert s.run(w) == -1.0

"""tf.contrib.opt against numpy references of TF 1.15's algorithms (TF 2.21 has no contrib.opt to record).

Each optimizer gets fixed gradients (a dense one for `w`, IndexedSlices with a repeated row for `e`) through
apply_gradients, runs three steps, and its variables, slots and names are compared with TF 1.15's updates
written in numpy (from contrib/opt's *_test.py references and its source).
"""
import numpy as np
import pytest
import scipy.optimize

import raygraph as tf

opt = tf.contrib.opt


@pytest.fixture(autouse=True)
def _ray(ray_runtime):
    """Every test runs sessions: on the suite's Ray runtime, which is shut down cleanly at the end."""
W0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
E0 = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, -6.0], [-0.5, 0.5]])
GW = np.array([[0.1, -0.2, 0.3], [0.05, 0.4, -0.6]])
IDX, GE = np.array([0, 2, 0]), np.array([[0.5, -1.0], [2.0, 0.25], [0.1, 0.2]])
ROWS = np.array([0, 2])  # the unique rows, in order of first appearance
GE_SUM = np.array([GE[0] + GE[2], GE[1]])  # the repeated row's gradients summed (TF1 dedups first)
STEPS = 3


def f32(x):
    """A hyperparameter as TF1's optimizers see it: a float32 tensor cast to the variable's dtype."""
    return float(np.float32(x))


def power(beta, t):
    """beta^t as the float32 `beta1_power`/`beta2_power` variables hold it (one float32 product per step)."""
    p = np.float32(beta)
    for _ in range(t - 1):
        p = np.float32(p * np.float32(beta))
    return float(p)


def _run(make, decay_var_list=None):
    """Three steps of `make()` on w (dense gradient) and e (sparse); the values and the optimizer."""
    with tf.Graph().as_default():
        w = tf.Variable(W0, name="w")
        e = tf.Variable(E0, name="e")
        grad_e = tf.IndexedSlices(tf.constant(GE), tf.constant(IDX), tf.constant(E0.shape))
        o = make()
        kwargs = {} if decay_var_list is None else {"decay_var_list": decay_var_list(w, e)}
        train = o.apply_gradients([(tf.constant(GW), w), (grad_e, e)], **kwargs)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for _ in range(STEPS):
                s.run(train)
            slots = {(v, n): s.run(o.get_slot(var, n)) for v, var in (("w", w), ("e", e)) for n in o.get_slot_names()}
            return {"w": s.run(w), "e": s.run(e), "slots": slots, "opt": o, "train": train,
                    "variables": [v.op.name for v in o.variables()], "graph": tf.get_default_graph(),
                    "globals": sorted(v.op.name for v in tf.global_variables())}


def _types(graph, prefix):
    return sorted(op.type for op in graph.get_operations() if op.name.startswith(prefix))


# ----- numpy references ---------------------------------------------------------------------------------------------
def _adam(var, g, m, v, t, lr, b1=0.9, b2=0.999, eps=1e-8, nesterov=False):
    alpha = f32(lr) * np.sqrt(1 - power(b2, t)) / (1 - power(b1, t))
    lr, b1, b2, eps = f32(lr), f32(b1), f32(b2), f32(eps)
    m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
    step = (b1 * m + (1 - b1) * g) if nesterov else m
    return var - alpha * step / (np.sqrt(v) + eps), m, v


def _adam_sparse_tf1(var, m, v, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    """TF1's sparse Adam: m and v decay whole, the rows are added, the whole variable moves."""
    g = np.zeros_like(var)
    g[ROWS] = GE_SUM
    return _adam(var, g, m, v, t, lr, b1, b2, eps)


def _reference(update_w, update_e, slots):
    w, e = W0.copy(), E0.copy()
    sw, se = [np.zeros_like(W0) for _ in range(slots)], [np.zeros_like(E0) for _ in range(slots)]
    for t in range(1, STEPS + 1):
        w, *sw = update_w(w, *sw, t)
        e, *se = update_e(e, *se, t)
    return w, e, sw, se


# ----- decoupled weight decay -----------------------------------------------------------------------------------------
def test_adamw_dense_and_sparse_values_and_names():
    wd, lr = 0.01, 0.1

    def dense(w, m, v, t):
        return _adam(w - wd * w, GW, m, v, t, lr)

    def sparse(e, m, v, t):
        e = e.copy()
        e[ROWS] -= wd * e[ROWS]  # ScatterAdd of -wd * gather(var): only the gradient's rows decay
        return _adam_sparse_tf1(e, m, v, t, lr)
    got = _run(lambda: opt.AdamWOptimizer(wd, learning_rate=lr))
    w, e, (mw, _), (_, ve) = _reference(dense, sparse, 2)
    np.testing.assert_allclose(got["w"], w, rtol=1e-12)
    np.testing.assert_allclose(got["e"], e, rtol=1e-12)
    np.testing.assert_allclose(got["slots"][("w", "m")], mw, rtol=1e-12)
    np.testing.assert_allclose(got["slots"][("e", "v")], ve, rtol=1e-12)
    assert got["variables"] == ["beta1_power", "beta2_power", "e/AdamW", "e/AdamW_1", "w/AdamW", "w/AdamW_1"]
    assert got["opt"].get_name() == "AdamW" and got["opt"].get_slot_names() == ["m", "v"]
    g = got["graph"]
    assert "ApplyAdam" in _types(g, "AdamW/update_w/") and "AssignSub" in _types(g, "AdamW/update_w/")
    # the decay runs first: the update's ops made under its control dependency wait for the AssignSub
    waiting = [op for op in g.get_operations() if op.name.startswith("AdamW/update_w/")
               and [c.name for c in op.control_inputs] == ["AdamW/update_w/AssignSub"]]
    assert waiting and "ApplyAdam" not in [op.type for op in waiting]  # it waits through its float64 Casts
    assert {"ScatterAdd", "GatherV2"} <= set(_types(g, "AdamW/update_e/"))
    assert g.get_operation_by_name("AdamW/weight_decay").type == "Const"


def test_momentumw_and_extend_with_decoupled_weight_decay_agree_with_sgdw():
    wd, lr, mom = 0.05, 0.1, 0.9

    def dense(w, a, t):
        a = f32(mom) * a + GW
        return w - wd * w - f32(lr) * a, a

    def sparse(e, a, t):
        e, a = e.copy(), a.copy()
        e[ROWS] -= wd * e[ROWS]
        a[ROWS] = f32(mom) * a[ROWS] + GE_SUM
        e[ROWS] -= f32(lr) * a[ROWS]
        return e, a
    w, e, (aw,), _ = _reference(dense, sparse, 1)
    made = [opt.MomentumWOptimizer(wd, lr, mom),
            opt.extend_with_decoupled_weight_decay(tf.train.MomentumOptimizer)(wd, learning_rate=lr, momentum=mom)]
    for make, name in zip(made, ("MomentumW", "Momentum")):
        got = _run(lambda make=make: make)
        np.testing.assert_allclose(got["w"], w, rtol=1e-12)
        np.testing.assert_allclose(got["e"], e, rtol=1e-12)
        np.testing.assert_allclose(got["slots"][("w", "momentum")], aw, rtol=1e-12)
        assert got["variables"] == [f"e/{name}", f"w/{name}"]
        assert "ApplyMomentum" in _types(got["graph"], f"{name}/update_w/")
        assert "SparseApplyMomentum" in _types(got["graph"], f"{name}/update_e/")
    assert issubclass(type(made[1]), opt.DecoupledWeightDecayExtension)


def test_decay_var_list_of_apply_gradients_and_minimize():
    wd, lr = 0.5, 0.1

    def plain(w, a, t):
        return w - f32(lr) * GW, a
    got = _run(lambda: opt.MomentumWOptimizer(wd, lr, 0.0), decay_var_list=lambda w, e: [e])
    np.testing.assert_allclose(got["w"], _reference(plain, lambda e, a, t: (e, a), 1)[0], rtol=1e-12)
    np.testing.assert_allclose(got["e"][[1, 3]], E0[[1, 3]])
    np.testing.assert_allclose(got["e"][ROWS], E0[ROWS] * (1 - wd) ** STEPS - f32(lr) * GE_SUM * sum(
        (1 - wd) ** k for k in range(STEPS)), rtol=1e-12)
    # TF 1.15's minimize passes no decay_var_list on to apply_gradients, which resets it: every variable decays
    with tf.Graph().as_default():
        w, u = tf.Variable(2.0, name="w"), tf.Variable(3.0, name="u")
        train = opt.MomentumWOptimizer(wd, lr, 0.0).minimize(w * 0 + u * 0, decay_var_list=[w])
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train)
            np.testing.assert_allclose(s.run([w, u]), [1.0, 1.5])


# ----- Adam variants --------------------------------------------------------------------------------------------------
def test_lazy_adam_updates_only_the_gradient_rows():
    lr = 0.1

    def sparse(e, m, v, t):
        e, m, v = e.copy(), m.copy(), v.copy()
        e[ROWS], m[ROWS], v[ROWS] = _adam(e[ROWS], GE_SUM, m[ROWS], v[ROWS], t, lr)
        return e, m, v
    got = _run(lambda: opt.LazyAdamOptimizer(lr))
    w, e, _, (me, _) = _reference(lambda w, m, v, t: _adam(w, GW, m, v, t, lr), sparse, 2)
    np.testing.assert_allclose(got["w"], w, rtol=1e-12)
    np.testing.assert_allclose(got["e"], e, rtol=1e-12)
    np.testing.assert_allclose(got["slots"][("e", "m")], me, rtol=1e-12)
    np.testing.assert_allclose(got["e"][[1, 3]], E0[[1, 3]])
    assert got["variables"] == ["beta1_power", "beta2_power", "e/Adam", "e/Adam_1", "w/Adam", "w/Adam_1"]
    types = _types(got["graph"], "Adam/update_e/")
    assert types.count("ScatterUpdate") == 2 and "ScatterSub" in types and "ApplyAdam" not in types


def test_nadam_dense_nesterov_and_sparse():
    lr = 0.1

    def sparse(e, m, v, t):
        b1, b2 = f32(0.9), f32(0.999)
        m, v, e = b1 * m, b2 * v, e.copy()
        m[ROWS] += (1 - b1) * GE_SUM
        v[ROWS] += (1 - b2) * GE_SUM ** 2
        m_bar = (1 - b1) * GE_SUM + b1 * m[ROWS]
        alpha = f32(lr) * np.sqrt(1 - power(0.999, t)) / (1 - power(0.9, t))
        e[ROWS] -= alpha * m_bar / (np.sqrt(v[ROWS]) + f32(1e-8))
        return e, m, v
    got = _run(lambda: opt.NadamOptimizer(lr))
    w, e, (mw, _), _ = _reference(lambda w, m, v, t: _adam(w, GW, m, v, t, lr, nesterov=True), sparse, 2)
    np.testing.assert_allclose(got["w"], w, rtol=1e-12)
    np.testing.assert_allclose(got["e"], e, rtol=1e-12)
    np.testing.assert_allclose(got["slots"][("w", "m")], mw, rtol=1e-12)
    apply = got["graph"].get_operation_by_name("Adam/update_w/ApplyAdam")
    assert apply.get_attr("use_nesterov") is True
    assert got["opt"].get_name() == "Adam"


def test_adamax_dense_sparse_and_beta1_power():
    lr = 0.1

    def adamax(var, g, m, v, t):
        b1 = f32(0.9)
        m, v = b1 * m + (1 - b1) * g, np.maximum(f32(0.999) * v, np.abs(g))
        return var - f32(lr) / (1 - power(0.9, t)) * m / (v + f32(1e-8)), m, v

    def sparse(e, m, v, t):
        e, m, v = e.copy(), m.copy(), v.copy()
        e[ROWS], m[ROWS], v[ROWS] = adamax(e[ROWS], GE_SUM, m[ROWS], v[ROWS], t)
        return e, m, v
    got = _run(lambda: opt.AdaMaxOptimizer(lr))
    w, e, (_, vw), (me, _) = _reference(lambda w, m, v, t: adamax(w, GW, m, v, t), sparse, 2)
    np.testing.assert_allclose(got["w"], w, rtol=1e-12)
    np.testing.assert_allclose(got["e"], e, rtol=1e-12)
    np.testing.assert_allclose(got["slots"][("w", "v")], vw, rtol=1e-12)
    np.testing.assert_allclose(got["slots"][("e", "m")], me, rtol=1e-12)
    assert got["variables"] == ["beta1_power", "e/AdaMax", "e/AdaMax_1", "w/AdaMax", "w/AdaMax_1"]
    assert "ApplyAdaMax" in _types(got["graph"], "AdaMax/update_w/")
    o, g = got["opt"], got["graph"]
    with g.as_default(), tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(got["train"])
        assert s.run(o._get_beta_accumulators()) == np.float32(power(0.9, 2))


def test_adamax_float32_matches_float64_reference():
    with tf.Graph().as_default():
        w = tf.Variable(W0.astype(np.float32), name="w")
        train = opt.AdaMaxOptimizer(0.01).minimize(tf.reduce_sum(w * w))
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for _ in range(2):
                s.run(train)
            got = s.run(w)
    var, m, v = W0.copy(), 0.0, 0.0
    for t in (1, 2):
        g = 2 * var
        m, v = 0.9 * m + 0.1 * g, np.maximum(0.999 * v, np.abs(g))
        var = var - 0.01 / (1 - 0.9 ** t) * m / (v + 1e-8)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, var, rtol=1e-5)


# ----- wrappers -------------------------------------------------------------------------------------------------------
def test_variable_clipping_optimizer_dense_and_sparse_rows():
    sgd = tf.train.GradientDescentOptimizer(0.1)
    got = _run(lambda: opt.VariableClippingOptimizer(sgd, {}, 1.0))  # nothing to clip: plain SGD
    np.testing.assert_allclose(got["w"], W0 - STEPS * f32(0.1) * GW, rtol=1e-12)
    with tf.Graph().as_default():
        w, e = tf.Variable(W0, name="w"), tf.Variable(E0, name="e")
        o = opt.VariableClippingOptimizer(tf.train.GradientDescentOptimizer(0.1), {w: [1], e: [1]}, 1.0)
        grad_e = tf.IndexedSlices(tf.constant(GE), tf.constant(IDX), tf.constant(E0.shape))
        train = o.apply_gradients([(tf.constant(GW), w), (grad_e, e)])
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train)
            wv, ev = s.run([w, e])
        assert train.name == "VariableClipping" and train.type == "NoOp"
    stepped = W0 - f32(0.1) * GW
    norms = np.linalg.norm(stepped, axis=1, keepdims=True)
    np.testing.assert_allclose(wv, stepped / np.maximum(norms, 1.0), rtol=1e-12)
    rows = E0.copy()
    np.add.at(rows, IDX, -f32(0.1) * GE)
    # TF's clip gathers the gradient's indices as they are: the repeated row 0 has its excess subtracted twice
    excess = rows - rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1.0)
    np.subtract.at(rows, IDX, excess[IDX])
    np.testing.assert_allclose(ev, rows, rtol=1e-12)
    np.testing.assert_allclose(ev[[1, 3]], E0[[1, 3]])  # rows without gradient keep their norm above 1


def test_moving_average_optimizer_and_swapping_saver(tmp_path):
    with tf.Graph().as_default():
        w = tf.Variable(W0, name="w")
        o = opt.MovingAverageOptimizer(tf.train.GradientDescentOptimizer(0.1), average_decay=0.5)
        with pytest.raises(RuntimeError, match="Must call apply_gradients or minimize"):
            o.swapping_saver()
        train = o.apply_gradients([(tf.constant(GW), w)])
        saver = o.swapping_saver()
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for _ in range(2):
                s.run(train)
            avg, value = s.run([tf.get_default_graph().get_tensor_by_name("w/ExponentialMovingAverage:0"), w])
            path = saver.save(s, str(tmp_path / "ckpt"))
        assert train.name == "train_with_avg"
    # the swapping saver writes the average under the variable's name, and the variable under the average's
    np.testing.assert_allclose(tf.train.load_variable(path, "w"), avg)
    np.testing.assert_allclose(tf.train.load_variable(path, "w/ExponentialMovingAverage"), value)
    value, ref = W0.copy(), W0.copy()
    for _ in range(2):
        value = value - f32(0.1) * GW
        ref = 0.5 * ref + 0.5 * value
    np.testing.assert_allclose(avg, ref, rtol=1e-12)


def test_multitask_wrapper_keeps_state_on_all_zero_gradients():
    with tf.Graph().as_default():
        w, u = tf.Variable(W0, name="w"), tf.Variable(W0, name="u")
        o = opt.MultitaskOptimizerWrapper(tf.train.AdamOptimizer(0.1))
        gw = tf.placeholder(tf.float64, W0.shape)
        train = o.apply_gradients([(gw, w), (tf.zeros_like(W0), u)])
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train, {gw: GW})
            s.run(train, {gw: np.zeros_like(GW)})
            wv, uv, m = s.run([w, u, o.get_slot(w, "m")])
    np.testing.assert_allclose(uv, W0)  # never moved
    np.testing.assert_allclose(m, (1 - f32(0.9)) * GW, rtol=1e-12)  # the zero step left m alone
    np.testing.assert_allclose(wv, _adam(W0, GW, 0, 0, 1, 0.1)[0], rtol=1e-12)
    with pytest.raises(TypeError, match="Supplied optimizer must be an instance of tf.train.Optimizer"):
        opt.MultitaskOptimizerWrapper(object())


def test_clip_gradients_by_global_norm_ignores_all_zero_gradients():
    a, b = np.array([3.0, 4.0]), np.zeros(3)
    with tf.Graph().as_default():
        va, vb = tf.Variable(a), tf.Variable(b)
        pairs, norm = opt.clip_gradients_by_global_norm([(tf.constant(a), va), (tf.constant(b), vb), (None, va)], 2.0)
        assert pairs[1][1] is vb and pairs[2] == (None, va)
        with tf.Session() as s:
            got = s.run([pairs[0][0], pairs[1][0], norm])
    np.testing.assert_allclose(got[0], a * 2.0 / 5.0)
    np.testing.assert_allclose(got[1], b)
    assert np.isclose(got[2], 5.0)


# ----- ScipyOptimizerInterface --------------------------------------------------------------------------------------
def _quadratic(x):
    """0.5 x'Ax - b'x with A symmetric positive definite."""
    a = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]])
    b = np.array([1.0, -2.0, 3.0])
    return 0.5 * x @ a @ x - b @ x, a @ x - b


def _tf_quadratic(x):
    a = tf.constant([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]], tf.float64)
    b = tf.constant([1.0, -2.0, 3.0], tf.float64)
    return 0.5 * tf.reduce_sum(x * tf.linalg.matvec(a, x)) - tf.reduce_sum(b * x)


def test_scipy_interface_bounds_and_equality_match_scipy():
    x0 = np.array([1.0, 1.0, 1.0])
    bounds = [(0.0, 0.5), (-1.0, 1.0), (-np.inf, np.inf)]
    want = scipy.optimize.minimize(_quadratic, x0, jac=True, method="SLSQP", bounds=bounds,
                                   constraints=[{"type": "eq", "fun": lambda x: x[0] + x[1] + x[2] - 1.0,
                                                 "jac": lambda x: np.ones(3)}]).x
    with tf.Graph().as_default():
        x = tf.Variable(x0, name="x")
        steps, losses = [], []
        o = opt.ScipyOptimizerInterface(_tf_quadratic(x), equalities=[tf.reduce_sum(x) - 1.0], method="SLSQP",
                                        var_to_bounds={x: ([0.0, -1.0, -np.inf], [0.5, 1.0, np.inf])})
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            o.minimize(s, step_callback=steps.append, loss_callback=losses.append, fetches=[x])
            got = s.run(x)
    np.testing.assert_allclose(got, want, atol=1e-6)
    assert np.isclose(got.sum(), 1.0) and got[0] <= 0.5 + 1e-9
    assert steps and len(losses) >= len(steps) and losses[0].shape == (3,)


def test_scipy_interface_lbfgsb_two_variables_and_bounds():
    want = scipy.optimize.minimize(lambda z: (np.sum((z - [3.0, -1.0, 2.0, 0.5, 4.0]) ** 2),
                                              2 * (z - [3.0, -1.0, 2.0, 0.5, 4.0])), np.zeros(5), jac=True,
                                   method="L-BFGS-B", bounds=[(None, None)] * 3 + [(1.0, 2.0), (-np.inf, 1.0)]).x
    with tf.Graph().as_default():
        v = tf.Variable(np.zeros(3, np.float32), name="v")  # float32: the gradient goes to scipy as float64
        m = tf.Variable(np.zeros((1, 2), np.float32), name="m")
        target_v, target_m = tf.constant([3.0, -1.0, 2.0]), tf.constant([[0.5, 4.0]])
        loss = tf.reduce_sum(tf.square(v - target_v)) + tf.reduce_sum(tf.square(m - target_m))
        o = opt.ScipyOptimizerInterface(loss, var_to_bounds={m: ([1.0, -np.inf], [2.0, 1.0])},
                                        options={"maxiter": 50})
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            o.minimize(s)
            got = np.concatenate([s.run(v), s.run(m).ravel()])
    np.testing.assert_allclose(got, want, atol=1e-5)


def test_scipy_interface_graph_and_argument_errors():
    with tf.Graph().as_default() as g:
        v = tf.Variable([7.0, 7.0], name="vector")
        unused = tf.Variable(1.0, name="unused")
        o = opt.ScipyOptimizerInterface(tf.reduce_sum(tf.square(v)), var_list=[v, unused])
        assert [p.op.type for p in o._update_placeholders] == ["Placeholder", "Placeholder"]
        assert [u.op.type for u in o._var_updates] == ["Assign", "Assign"]
        assert o._packed_var.op.type == "ConcatV2" and o._packed_var.shape.as_list() == [3]
        assert g.get_operation_by_name("zeros_like").type == "Const"  # the unused variable's gradient, folded
        for key, message in (("bounds", "Bounds must be set using the var_to_bounds argument"),
                             ("jac", "Optimizer keyword arg 'jac' is set automatically and cannot be injected")):
            bad = opt.ScipyOptimizerInterface(tf.reduce_sum(tf.square(v)), var_list=[v], **{key: None})
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                with pytest.raises(ValueError, match=message):
                    bad.minimize(s)
        external = opt.ExternalOptimizerInterface(tf.reduce_sum(v), var_list=[v])
        with tf.Session() as s, pytest.raises(NotImplementedError, match="subclass from it and implement"):
            s.run(tf.global_variables_initializer())
            external.minimize(s)


def test_drop_stale_gradient_optimizer_counts_dropped_steps():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        w = tf.Variable([1.0, 2.0], name="w")
        o = opt.DropStaleGradientOptimizer(tf.train.GradientDescentOptimizer(0.1), 0)
        train = o.apply_gradients(o.compute_gradients(tf.reduce_sum(w * w)), global_step=step)
        assert train.op.type == "AssignAdd" and o.get_slot_names() == []
        counter = tf.global_variables()[-1]
        assert counter.op.name == "stale_counter" and counter not in tf.trainable_variables()
        summaries = tf.get_collection(tf.GraphKeys.SUMMARIES)
        assert [t.op.name for t in summaries] == ["Gradient_staleness_percentage"]
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            got = [s.run(train), s.run(train, {o._local_step: -3}), s.run(train)]  # the second is 4 steps stale
            w_value, step_value, dropped = s.run([w, step, counter])
    assert got == [0.0, 1.0, 1.0] and step_value == 2 and dropped == 1.0
    np.testing.assert_allclose(w_value, np.array([1.0, 2.0]) * (1 - 2 * f32(0.1)) ** 2, rtol=1e-6)

"""A broad sweep of everyday TF1 behaviour: errors, evaluation helpers, scopes, slicing, training."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def case_error_classes_and_codes(tf):
    e = tf.errors
    classes = [e.CancelledError, e.UnknownError, e.InvalidArgumentError, e.DeadlineExceededError,
               e.NotFoundError, e.AlreadyExistsError, e.PermissionDeniedError, e.ResourceExhaustedError,
               e.FailedPreconditionError, e.AbortedError, e.OutOfRangeError, e.UnimplementedError,
               e.InternalError, e.UnavailableError, e.DataLossError, e.UnauthenticatedError]
    out = [[c.__name__, issubclass(c, e.OpError), c(None, None, "m").error_code] for c in classes]
    return out + [e.OK, e.INVALID_ARGUMENT, e.NOT_FOUND, e.UNAVAILABLE]


def case_failed_run_error_details(tf):
    x = tf.placeholder(tf.float32, [2], name="xin")
    y = tf.identity(x, name="out")
    with tf.Session() as s:
        try:
            s.run(y)
        except tf.errors.InvalidArgumentError as err:
            return [err.op.name if err.op is not None else None, err.error_code, "xin" in err.message]


def case_uninitialized_message(tf):
    v = tf.Variable([1.0], name="weights")
    with tf.Session() as s:
        try:
            s.run(v + 1.0)
        except tf.errors.FailedPreconditionError as err:
            return ["weights" in err.message, err.error_code]


def case_assert_and_print(tf):
    x = tf.placeholder(tf.float32, [])
    check = tf.Assert(x > 0, [x])
    with tf.control_dependencies([check]):
        y = tf.identity(x * 2.0)
    p = tf.Print(x, [x], message="x=")
    with tf.Session() as s:
        return [s.run(y, {x: 3.0}), raises(lambda: s.run(y, {x: -1.0})), s.run(p, {x: 5.0}), check.type, p.op.type]


def case_slicing_variants(tf):
    a = tf.constant(np.arange(24).reshape(2, 3, 4))
    i = tf.constant(1)
    parts = [a[0], a[:, 1], a[..., 2], a[1, ::-1], a[:, tf.newaxis, 0], a[-1, -1, -1], a[0, 1:3, ::2], a[i],
             a[:, i:i + 2]]
    with tf.Session() as s:
        return [[p.shape.as_list() if p.shape.ndims is not None else None for p in parts], s.run(parts)]


def case_shapes_dynamic_vs_static(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    s = tf.shape(x)
    r = tf.reshape(x, [-1])
    with tf.Session() as sess:
        return [s.shape.as_list(), r.shape.as_list(), sess.run([s, tf.size(x), tf.rank(x)], {x: np.ones((4, 3))})]


def case_eval_with_feed(tf):
    x = tf.placeholder(tf.float32)
    y = x * 10.0
    with tf.Session():
        return [y.eval(feed_dict={x: 2.0}), y.eval({x: 3.0})]


def case_as_default_nesting(tf):
    a = tf.constant(1.0)
    s1, s2 = tf.Session(), tf.Session()
    with s1.as_default():
        with s2.as_default():
            inner = tf.get_default_session() is s2
        outer = tf.get_default_session() is s1
    s1.close()
    s2.close()
    return [inner, outer, tf.get_default_session() is None]


def case_session_reentrant_error(tf):
    s = tf.Session()
    with s:
        err = raises(lambda: s.__enter__())
    return err


def case_colocate_ignore_existing(tf):
    with tf.device("/cpu:0"):
        a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with tf.colocate_with(a):
        with tf.colocate_with(b, ignore_existing=True):
            c = tf.constant(3.0, name="c")
        d = tf.constant(4.0, name="d")
    return [c.op.colocation_groups(), d.op.colocation_groups(), c.device, d.device,
            raises(lambda: tf.colocate_with(None).__enter__())]


def case_collection_scope_regex(tf):
    with tf.name_scope("layer1"):
        a = tf.Variable(1.0, name="w")
    with tf.name_scope("layer10"):
        b = tf.Variable(1.0, name="w")
    with tf.name_scope("other"):
        c = tf.Variable(1.0, name="w")
    names = lambda vs: [v.op.name for v in vs]  # noqa: E731
    return [names(tf.global_variables("layer1")), names(tf.global_variables("layer1/")),
            names(tf.trainable_variables(".*w")), names(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "oth"))]


def case_stop_gradient_and_unconnected(tf):
    x = tf.constant(3.0)
    y = tf.constant(4.0)
    z = x * tf.stop_gradient(x) + y
    gx, gy = tf.gradients(z, [x, y])
    n = tf.gradients(z, [tf.constant(1.0)])
    zz = tf.gradients(z, [tf.constant(1.0)], unconnected_gradients="zero")
    with tf.Session() as s:
        return [s.run([gx, gy]), n, s.run(zz), [g.name for g in (gx, gy)]]


def case_gradients_names_and_aggregation(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    y = x * x + tf.sin(x)
    (g,) = tf.gradients(y, x)
    (g2,) = tf.gradients(y, x)
    with tf.name_scope("outer"):
        (g3,) = tf.gradients(y, x, name="my_grads")
    with tf.Session() as s:
        return [s.run(g, {x: 1.0}), g.op.type, g.name.split("/")[0], g2.name.split("/")[0], g3.name.split("/")[:2]]


def case_global_step_and_train_op(tf):
    w = tf.Variable(1.0, name="w")
    step = tf.train.get_or_create_global_step()
    opt = tf.train.GradientDescentOptimizer(0.5)
    train = opt.minimize(tf.square(w), global_step=step)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train)
        return [s.run([w, step]), step.op.name, step.dtype.base_dtype.name, train.name, train.type,
                tf.train.get_global_step() is step, opt.get_name()]


def case_momentum_slots(tf):
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(tf.reduce_sum(tf.square(w)))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        s.run(train)
        slot = opt.get_slot(w, "momentum")
        return [opt.get_slot_names(), slot.op.name, s.run([w, slot]), [v.op.name for v in opt.variables()]]


def case_saver_round_trip_names(tf):
    import os
    import tempfile
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    d = tempfile.mkdtemp()
    with tf.Session() as s:
        s.run(v.initializer)
        path = saver.save(s, os.path.join(d, "m"), global_step=7)
        s.run(v.assign([5.0, 6.0]))
        saver.restore(s, path)
        val = s.run(v)
    return [os.path.basename(path), val, os.path.basename(tf.train.latest_checkpoint(d)),
            sorted(os.path.basename(p) for p in saver.last_checkpoints)]


def case_matmul_errors_and_dtypes(tf):
    a = tf.constant([[1, 2]], dtype=tf.int32)
    return [raises(lambda: tf.matmul(a, tf.constant([[1.0], [2.0]]))),
            raises(lambda: tf.matmul(tf.constant([1.0, 2.0]), tf.constant([[1.0]]))),
            tf.matmul(a, tf.transpose(a)).dtype.name,
            raises(lambda: tf.matmul(tf.constant([[1.0, 2.0]]), tf.constant([[1.0, 2.0]])))]


def case_cast_and_dtype_rules(tf):
    x = tf.constant([1.7, -1.7])
    with tf.Session() as s:
        return [s.run(tf.cast(x, tf.int32)), s.run(tf.cast(x, tf.bool)), s.run(tf.cast(tf.constant([True]), tf.float32)),
                raises(lambda: tf.constant(1) + tf.constant(1.0)), (tf.constant(1) / 2).dtype.name,
                (tf.constant(1.0, tf.float64) * 2).dtype.name, raises(lambda: tf.constant("a") * 2)]


def case_reductions_and_args(tf):
    x = tf.constant([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    with tf.Session() as s:
        return s.run([tf.reduce_sum(x), tf.reduce_sum(x, 0), tf.reduce_mean(x, 1, keepdims=True),
                      tf.reduce_max(x, axis=[0, 1]), tf.argmax(x, 1), tf.argmin(x, 0), tf.reduce_prod(x, -1),
                      tf.reduce_any(x > 5.0), tf.reduce_all(x > 0.0), tf.reduce_logsumexp(x)])


def case_concat_stack_split(tf):
    a = tf.constant([[1, 2], [3, 4]])
    b = tf.constant([[5, 6]])
    parts = tf.split(tf.constant(np.arange(12).reshape(3, 4)), [1, 3], axis=1)
    with tf.Session() as s:
        return [s.run(tf.concat([a, b], 0)), s.run(tf.stack([a, a], axis=1)).shape, s.run(tf.unstack(a)),
                [p.shape.as_list() for p in parts], s.run(parts[1]), raises(lambda: tf.concat([a, b], 1))]


def case_variable_scope_in_name_scope(tf):
    with tf.name_scope("ns"):
        with tf.variable_scope("vs"):
            v = tf.get_variable("v", [1])
            c = tf.constant(1.0, name="c")
    with tf.variable_scope("vs", reuse=True):
        same = tf.get_variable("v") is v
    return [v.name, c.name, same]


def case_run_options_timeout_proto(tf):
    o = tf.RunOptions(timeout_in_ms=5, trace_level=tf.RunOptions.SOFTWARE_TRACE)
    m = tf.RunMetadata()
    return [o.timeout_in_ms, o.trace_level, len(m.partition_graphs), type(m).__name__, type(o).__name__]


def case_list_devices(tf):
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        devs = s.list_devices()
        return [sorted(d.name for d in devs if d.device_type == "CPU"), sorted({d.device_type for d in devs})]


def case_print_output_format(tf):
    """tf.Print writes TF's format (message, then each tensor summarized in brackets) once per run."""
    import contextlib
    import io
    x = tf.constant([1.0, 2.5])
    y = tf.Print(x, [x, tf.constant([[1, 2], [3, 4]]), "a\\tb", tf.constant(True)], message="x is ")
    z = tf.Print(x, [tf.range(10), tf.constant(0.1, tf.float64)], summarize=4, first_n=2, name="limited")
    g = tf.get_default_graph()
    attrs = [[op.name, op.get_attr("message"), op.get_attr("first_n"), op.get_attr("summarize")]
             for op in g.get_operations() if op.type == "Print"]
    with tf.Session() as s:
        s.run(y)
        for _ in range(3):
            s.run(z)
    return attrs

"""Session.run semantics: fetches, feeds, errors, subgraphs, cond, devices, run options."""
import collections
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def case_fetch_errors(tf):
    x = tf.placeholder(tf.float32, [3])
    y = tf.square(x)
    g2 = tf.Graph()
    with g2.as_default():
        other = tf.constant(1.0)
    with tf.Session() as s:
        return [raises(lambda: s.run(None)), raises(lambda: s.run(5)), raises(lambda: s.run("nope:0")),
                raises(lambda: s.run([y, None])), raises(lambda: s.run(other)), raises(lambda: s.run("x:0:1"))]


def case_feed_errors(tf):
    x = tf.placeholder(tf.float32, [3])
    i = tf.placeholder(tf.int32, [])
    y = tf.square(x)
    with tf.Session() as s:
        return [raises(lambda: s.run(y)), raises(lambda: s.run(y, {x: 37.0})),
                raises(lambda: s.run(y, {x: tf.constant([1.0, 2.0, 3.0])})), raises(lambda: s.run(y, {"zz:0": 1})),
                raises(lambda: s.run(y, {3: 1})), raises(lambda: s.run(y, {x: "abc"})),
                raises(lambda: s.run(i, {i: 2 ** 40})), raises(lambda: s.run(y, {x: [[1.0, 2.0, 3.0]]})),
                raises(lambda: s.run(y, {y.op: [1.0, 2.0, 3.0]}))]


def case_feed_conversions(tf):
    i = tf.placeholder(tf.int32, [])
    f = tf.placeholder(tf.float32, [None])
    st = tf.placeholder(tf.string, [2])
    b = tf.placeholder(tf.bool, [])
    with tf.Session() as s:
        return [s.run(i, {i: 1.7}), s.run(f, {f: np.array([1, 2], np.int64)}), s.run(st, {st: ["a", b"b"]}),
                s.run(b, {b: 1}), s.run(i * 2, {i: np.int64(4)}), s.run(f * 2, {"Placeholder_1:0": [1.5]})]


def case_feed_any_tensor(tf):
    a = tf.constant(2.0, name="a")
    b = a * 3.0
    c = b + 1.0
    v = tf.Variable(5.0, name="v")
    w = v * 2.0
    with tf.Session() as s:
        return [s.run(c, {b: 10.0}), s.run(c, {a: 1.0}), s.run([b, c], {b: 0.5}), s.run(w, {v: 1.0}),
                s.run(b, {b: 7.0})]


def case_fetch_structures_nested(tf):
    a = tf.constant(1.0)
    b = tf.constant([2, 3])
    P = collections.namedtuple("P", ["x", "y"])
    with tf.Session() as s:
        out = s.run(collections.OrderedDict([("z", a), ("b", [b, P(a, b.op)]), ("t", (a,))]))
        d = s.run({"k": {"inner": b}})
        return [list(out.keys()), type(out).__name__, out["b"][1].y, out["b"][1].x, type(out["b"][1]).__name__,
                out["t"], d, s.run([]), s.run({}), s.run(()), s.run([[a], [[b]]])]


def case_fetch_dtypes_and_scalars(tf):
    with tf.Session() as s:
        vals = s.run([tf.constant(1.0), tf.constant(1), tf.constant(True), tf.constant("s"),
                      tf.constant([1.0]), tf.constant(1, tf.int64), tf.constant(1.5, tf.float64)])
        return [[type(v).__name__, str(np.asarray(v).dtype)] for v in vals]


def case_each_op_runs_once(tf):
    v = tf.Variable(0, name="counter")
    inc = tf.assign_add(v, 1)
    doubled = inc * 2
    with tf.Session() as s:
        s.run(v.initializer)
        r = s.run([inc, doubled, inc])
        r2 = s.run({"a": inc, "b": [inc, doubled]})
        return [r, r2, s.run(v)]


def case_only_needed_subgraph_runs(tf):
    v = tf.Variable(0, name="v")
    inc = v.assign_add(1)
    x = tf.constant(1)
    with tf.control_dependencies([inc]):
        y = tf.identity(x)
    z = x + 1
    with tf.Session() as s:
        s.run(v.initializer)
        s.run(z)
        a = s.run(v)
        s.run(y)
        s.run(y)
        return [a, s.run(v)]


def case_targets_and_ops(tf):
    v = tf.Variable(1.0, name="v")
    with tf.Session() as s:
        r = [s.run(v.initializer), s.run([v.initializer, v]), s.run("v/Assign")]
        r.append(s.run(tf.no_op()))
        r.append(s.run(tf.group(v.initializer)))
        return r


def case_control_dependencies_order(tf):
    v = tf.Variable(1.0, name="v")
    a = v.assign(10.0)
    with tf.control_dependencies([a]):
        r = tf.identity(v)
    with tf.Session() as s:
        s.run(v.initializer)
        return s.run(r)


def case_cond(tf):
    x = tf.constant(2.0, name="x")
    p = tf.placeholder(tf.bool, name="p")
    r = tf.cond(p, lambda: x * 3.0, lambda: tf.constant(7.0) + x)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    with tf.Session() as s:
        return [names, s.run(r, {p: True}), s.run(r, {p: False}), raises(lambda: tf.cond(True, lambda: x, lambda: x)),
                raises(lambda: s.run("cond/mul:0", {p: True})), r.name]


def case_cond_side_effects_only_on_taken_branch(tf):
    v = tf.Variable(1.0, name="v")
    p = tf.placeholder(tf.bool)
    r = tf.cond(p, lambda: v.assign(5.0), lambda: tf.identity(v))
    c = tf.Variable(0, name="c")
    r2 = tf.cond(p, lambda: tf.assign_add(c, 1), lambda: tf.assign_add(c, 100))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = [s.run(r, {p: False}), s.run(v), s.run(r, {p: True}), s.run(v)]
        out += [s.run(r2, {p: True}), s.run(r2, {p: False}), s.run(c)]
        return out


def case_cond_constant_branches(tf):
    """Branches computed from constants alone (which constant folding precomputes) still give the taken one."""
    p = tf.placeholder(tf.bool)
    q = tf.placeholder(tf.bool)
    r = tf.cond(p, lambda: tf.constant(1) + tf.constant(2), lambda: tf.constant(5) * tf.constant(3))
    nested = tf.cond(p, lambda: tf.cond(q, lambda: tf.constant(1.0) * 2.0 + 1.0, lambda: tf.constant(5.0) - 1.0),
                     lambda: tf.square(tf.constant(3.0)))
    loop = tf.while_loop(lambda i: i < 7, lambda i: i + tf.constant(2) * tf.constant(1), [tf.constant(0)])
    with tf.Session() as s:
        return [s.run(r, {p: True}), s.run(r, {p: False}),
                [s.run(nested, {p: a, q: b}) for a in (True, False) for b in (True, False)], s.run(loop)]


def case_cond_nested_and_tuples(tf):
    p = tf.placeholder(tf.bool)
    q = tf.placeholder(tf.bool)
    a = tf.constant(1.0)
    r = tf.cond(p, lambda: tf.cond(q, lambda: a + 1.0, lambda: a + 2.0), lambda: a + 3.0)
    t = tf.cond(p, lambda: (a, a * 2.0), lambda: (a * 3.0, a * 4.0))
    with tf.Session() as s:
        return [s.run(r, {p: True, q: True}), s.run(r, {p: True, q: False}), s.run(r, {p: False, q: True}),
                s.run(t, {p: True}), s.run(t, {p: False})]


def case_cond_gradient(tf):
    x = tf.placeholder(tf.float32, [])
    p = tf.placeholder(tf.bool)
    y = tf.cond(p, lambda: x * x, lambda: 3.0 * x)
    (g,) = tf.gradients(y, [x])
    with tf.Session() as s:
        return [s.run(g, {x: 2.0, p: True}), s.run(g, {x: 2.0, p: False})]


def case_initialized_value(tf):
    v = tf.Variable(2.0, name="v")
    w = tf.Variable(v.initialized_value() + 1.0, name="w")
    with tf.Session() as s:
        s.run(w.initializer)
        r = [s.run(w), raises(lambda: s.run(v))]
        s.run(v.initializer)
        s.run(v.assign(10.0))
        s.run(w.initializer)
        r.append(s.run(w))
        return r


def case_kernel_errors_at_run_time(tf):
    p = tf.placeholder(tf.float32, [None])
    idx = tf.placeholder(tf.int32, [None])
    g = tf.gather(p, idx)
    r = tf.reshape(p, [2, 2])
    with tf.Session() as s:
        return [raises(lambda: s.run(g, {p: [1.0, 2.0], idx: [5]})),
                raises(lambda: s.run(r, {p: [1.0, 2.0, 3.0]})),
                s.run(r, {p: [1.0, 2.0, 3.0, 4.0]}).tolist()]


def case_session_lifecycle(tf):
    a = tf.constant(1.0)
    s = tf.Session()
    first = s.run(a)
    s.close()
    s.close()
    r = [first, raises(lambda: s.run(a))]
    with tf.Session() as s2:
        r.append(tf.get_default_session() is s2)
        r.append(tf.get_default_graph() is s2.graph)
    r.append(tf.get_default_session() is None)
    s3 = tf.Session()
    with s3.as_default():
        r.append(a.eval())
    r.append(raises(lambda: a.eval()))
    s3.close()
    return r


def case_graph_argument_and_default_graph(tf):
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(5.0)
    d = tf.constant(6.0)
    with tf.Session(graph=g) as s:
        return [s.run(c), raises(lambda: s.run(d)), s.graph is g]


def case_device_placement_errors(tf):
    g1 = tf.Graph()
    with g1.as_default():
        with tf.device("/job:ps/task:0"):
            a = tf.constant(1.0, name="a")
    with tf.Session(graph=g1) as s:
        e1 = raises(lambda: s.run(a))
    with tf.Session(graph=g1, config=tf.ConfigProto(allow_soft_placement=True)) as s:
        e1_soft = raises(lambda: s.run(a))
    with tf.device("/device:GPU:0"):
        b = tf.constant(1.0, name="b") * 2.0
    with tf.Session() as s:
        e2 = raises(lambda: s.run(b))
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as s:
        soft = s.run(b)
    return [e1, e1_soft, e2, soft]


def case_run_options_and_metadata(tf):
    x = tf.constant([[1.0, 2.0]])
    y = tf.matmul(x, tf.transpose(x))
    with tf.Session() as s:
        options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE, output_partition_graphs=True)
        md = tf.RunMetadata()
        val = s.run(y, options=options, run_metadata=md)
        names = sorted({n.node_name for d in md.step_stats.dev_stats for n in d.node_stats})
        md2 = tf.RunMetadata()
        s.run(y, run_metadata=md2)
        return [val, "MatMul" in names, len(md.partition_graphs) >= 1, len(md2.step_stats.dev_stats),
                [d.device.split("/")[-1] for d in md.step_stats.dev_stats]]


def case_interactive_session(tf):
    a = tf.constant(3.0)
    s = tf.InteractiveSession()
    r = [a.eval(), tf.get_default_session() is s]
    s.close()
    r.append(tf.get_default_session() is None)
    return r


def case_config_proto_fields(tf):
    c = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False, device_count={"CPU": 2},
                       inter_op_parallelism_threads=2, intra_op_parallelism_threads=1,
                       operation_timeout_in_ms=5000)
    c.gpu_options.allow_growth = True
    c.graph_options.optimizer_options.opt_level = tf.OptimizerOptions.L0
    return [c.allow_soft_placement, dict(c.device_count), c.gpu_options.allow_growth,
            c.graph_options.optimizer_options.opt_level, tf.RunOptions.FULL_TRACE, tf.RunOptions.NO_TRACE,
            tf.RunOptions.SOFTWARE_TRACE, tf.RunOptions.HARDWARE_TRACE]


def case_two_cpu_devices(tf):
    with tf.device("/cpu:0"):
        a = tf.constant([1.0, 2.0]) * 2.0
        s0 = tf.constant(["x", "yy"])
    with tf.device("/cpu:1"):
        b = a + 1.0
        s1 = tf.identity(s0)
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        md = tf.RunMetadata()
        out = s.run([b, s1], options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=md)
        return [out, sorted(d.device.split("/")[-1] for d in md.step_stats.dev_stats)]


def case_timeout_in_ms(tf):
    q = tf.placeholder(tf.float32)
    with tf.Session() as s:
        return s.run(q * 2.0, {q: 1.0}, options=tf.RunOptions(timeout_in_ms=10000))


def case_py_func_error_classes(tf):
    def thrower(exc):
        def f():
            raise exc
        return f
    out = []
    for exc in [StopIteration(), ValueError("v"), TypeError("t"), UnicodeDecodeError("utf-8", b"\xff", 0, 1, "u"),
                MemoryError("m"), NotImplementedError("n"), KeyError("k"), RuntimeError("r"), ZeroDivisionError("z"),
                IndexError("i"), FileNotFoundError("f")]:
        p = tf.py_func(thrower(exc), [], tf.float32)
        with tf.Session() as s:
            try:
                s.run(p)
                out.append("no error")
            except tf.errors.OpError as e:
                out.append([type(e).__name__, e.error_code, type(exc).__name__ + ":" in e.message])
    return out


def case_py_func_stop_iteration_ends_an_input_loop(tf):
    items = iter([1.0, 2.0, 3.0])
    nxt = tf.py_func(lambda: np.float32(next(items)), [], tf.float32)
    total = 0.0
    with tf.Session() as s:
        try:
            while True:
                total += s.run(nxt)
        except tf.errors.OutOfRangeError:
            pass
    return total

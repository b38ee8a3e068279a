"""Graph construction: names, scopes, lookups, collections, control dependencies, devices, conversion."""
import collections
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def case_unique_names_case_insensitive(tf):
    g = tf.get_default_graph()
    return [g.unique_name("foo"), g.unique_name("foo"), g.unique_name("Foo"), g.unique_name("foo_1"),
            g.unique_name("foo", mark_as_used=False), g.unique_name("FOO")]


def case_double_suffixes(tf):
    a = tf.constant(1, name="c")
    b = tf.constant(1, name="c_1")
    c = tf.constant(1, name="c")
    d = tf.constant(1, name="c_1")
    return [t.op.name for t in (a, b, c, d)]


def case_name_scope_reentry_and_reset(tf):
    with tf.name_scope("a") as s1:
        x = tf.constant(1.0, name="x")
        with tf.name_scope(None) as s2:
            y = tf.constant(1.0, name="y")
        with tf.name_scope("b/") as s3:
            z = tf.constant(1.0, name="z")
        with tf.name_scope("") as s4:
            w = tf.constant(1.0, name="w")
    with tf.name_scope("a") as s5:
        pass
    with tf.name_scope("a/") as s6:
        u = tf.constant(1.0, name="u")
    return [s1, s2, s3, s4, s5, s6, x.name, y.name, z.name, w.name, u.name]


def case_name_scope_default_name_and_values(tf):
    a = tf.constant(1.0)
    with tf.name_scope(None, "default", [a]) as s1:
        pass
    with tf.name_scope("given", "default", [a]) as s2:
        pass
    with tf.name_scope(None, "default") as s3:
        pass
    return [s1, s2, s3, raises(lambda: tf.name_scope(None, None, [a]).__enter__())]


def case_invalid_names(tf):
    def bad_op():
        tf.constant(1.0, name="bad name")

    def bad_root_scope():
        with tf.name_scope("_x"):
            pass

    def ok_nested_scope():
        with tf.name_scope("a"):
            with tf.name_scope("_x") as s:
                return s

    def duplicate():
        tf.constant(1.0, name="m/")
        tf.constant(1.0, name="m/")
    return [raises(bad_op), raises(bad_root_scope), ok_nested_scope(), raises(duplicate)]


def case_operator_names(tf):
    a = tf.constant(2.0)
    b = tf.constant(3.0)
    outs = [a + b, a - b, a * b, a / b, a // b, a % b, a ** b, -a, abs(a), 2.0 + a, 2.0 - a, 2.0 * a,
            2.0 / a, a < b, a <= b, a > b, a >= b]
    t = tf.constant(True)
    outs += [t & t, t | t, t ^ t, ~t]
    return [[o.name, o.op.type] for o in outs]


def case_implicit_constant_names(tf):
    a = tf.constant(2.0)
    ops_before = len(tf.get_default_graph().get_operations())
    a * 3.0
    3.0 - a
    tf.add(a, 1.0)
    tf.matmul([[1.0]], [[2.0]])
    return [op.name for op in tf.get_default_graph().get_operations()[ops_before:]]


def case_int_truediv_casts(tf):
    x = tf.constant(3)
    y = x / 2
    names = [op.name + ":" + op.type for op in tf.get_default_graph().get_operations()]
    with tf.Session() as s:
        return [names, y.dtype.name, s.run(y)]


def case_lookups(tf):
    a = tf.constant(1.0, name="a")
    g = tf.get_default_graph()
    return [g.get_tensor_by_name("a:0").name, g.get_operation_by_name("a").name,
            g.as_graph_element("a").name, g.as_graph_element("a:0").name,
            raises(lambda: g.get_operation_by_name("zz")), raises(lambda: g.get_tensor_by_name("zz:0")),
            raises(lambda: g.get_tensor_by_name("a:3")), raises(lambda: g.get_tensor_by_name("a")),
            raises(lambda: g.get_operation_by_name("a:0")), raises(lambda: g.get_operation_by_name(3)),
            raises(lambda: g.get_tensor_by_name(3)), raises(lambda: g.as_graph_element("a:b")),
            raises(lambda: g.as_graph_element(3)), raises(lambda: g.as_graph_element(a, allow_tensor=False))]


def case_collections(tf):
    g = tf.get_default_graph()
    c = tf.constant(1.0, name="c")
    tf.add_to_collection("k", c)
    tf.add_to_collections(["k", "k2"], "s")
    tf.add_to_collections("k3", 1)
    ref = tf.get_collection_ref("k")
    copy = tf.get_collection("k")
    copy.append("not in the collection")
    ref.append("in the collection")
    keys = sorted(g.get_all_collection_keys())
    g.clear_collection("k2")
    return [[x if isinstance(x, (str, int)) else x.name for x in tf.get_collection("k")], keys,
            tf.get_collection("k2"), tf.get_collection("k3"), [x.name for x in tf.get_collection("k", scope="c")],
            tf.get_collection("k", scope="zz")]


def case_graph_keys(tf):
    k = tf.GraphKeys
    return [k.GLOBAL_VARIABLES, k.LOCAL_VARIABLES, k.TRAINABLE_VARIABLES, k.SUMMARIES, k.QUEUE_RUNNERS,
            k.MODEL_VARIABLES, k.UPDATE_OPS, k.LOSSES, k.REGULARIZATION_LOSSES, k.TRAIN_OP, k.GLOBAL_STEP,
            k.SAVERS, k.INIT_OP, k.LOCAL_INIT_OP, k.READY_OP, k.VARIABLES, k.MOVING_AVERAGE_VARIABLES,
            k.ACTIVATIONS, k.WEIGHTS, k.BIASES, k.TABLE_INITIALIZERS, k.ASSET_FILEPATHS, k.EVAL_STEP]


def case_control_dependencies(tf):
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    with tf.control_dependencies([a]):
        c = tf.constant(3.0, name="c")
        d = c + 1.0
        with tf.control_dependencies([b]):
            e = tf.identity(c, name="e")
        with tf.control_dependencies(None):
            f = tf.constant(4.0, name="f")
    g = tf.no_op(name="g")
    with tf.control_dependencies([g, a.op]):
        h = tf.constant(5.0, name="h")
    return [[op.name for op in t.op.control_inputs] for t in (a, c, d, e, f, h)]


def case_control_dependencies_bad_input(tf):
    return raises(lambda: tf.control_dependencies([3]).__enter__())


def case_group_and_tuple(tf):
    a = tf.constant(1.0, name="a")
    b = tf.constant(2.0, name="b")
    g1 = tf.group(a, b)
    g2 = tf.group(a, b, name="mine")
    g3 = tf.group()
    t = tf.tuple([a, b])
    return [g1.name, g1.type, sorted(o.name for o in g1.control_inputs), g2.name, g3.name,
            [x.name for x in t], [sorted(o.name for o in x.op.control_inputs) for x in t]]


def case_finalize_blocks_changes(tf):
    g = tf.Graph()
    with g.as_default():
        tf.constant(1.0)
    g.finalize()
    return [g.finalized, raises(lambda: g.add_to_collection("x", 1)), raises(lambda: g.clear_collection("x")),
            len(g.get_collection_ref("x"))]


def case_reset_default_graph_in_nested_graph(tf):
    g = tf.Graph()
    with g.as_default():
        inner = raises(tf.reset_default_graph)
    return inner


def case_default_graph_restored_after_exception(tf):
    outer = tf.get_default_graph()
    g = tf.Graph()
    try:
        with g.as_default():
            raise KeyError("x")
    except KeyError:
        pass
    return tf.get_default_graph() is outer


def case_tensor_repr_and_shape(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    y = tf.placeholder(tf.int32, name="y")
    s = tf.placeholder(tf.string, [3])
    return [str(x), repr(x), str(y), str(s), x.shape.as_list(), str(x.get_shape()), x.value_index,
            x.dtype.name, y.shape.ndims, str(x.shape), repr(x.shape)]


def case_tensor_bool_and_iter_errors(tf):
    a = tf.constant([1.0, 2.0])

    def use_bool():
        if a:
            pass
    return [raises(use_bool), raises(lambda: iter(a)), raises(lambda: len(a))]


def case_set_shape(tf):
    x = tf.placeholder(tf.float32)
    x.set_shape([None, 3])
    y = tf.placeholder(tf.float32, [None, 3])
    y.set_shape([2, None])
    z = tf.placeholder(tf.float32, [2])
    return [x.shape.as_list(), y.shape.as_list(), raises(lambda: z.set_shape([3]))]


def case_operation_properties(tf):
    a = tf.constant([[1.0, 2.0]], name="a")
    b = tf.matmul(a, a, transpose_b=True, name="mm")
    op = b.op
    return [op.name, op.type, [t.name for t in op.inputs], [t.name for t in op.outputs], op.device,
            op.get_attr("transpose_b"), op.get_attr("T").name, raises(lambda: op.get_attr("nope")),
            [c.name for c in a.consumers()], op.graph is tf.get_default_graph(), repr(op),
            [t.name for t in op.values()]]


def case_device_canonical_forms(tf):
    out = []
    for spec in ["/cpu:0", "/CPU:0", "/gpu:1", "/device:GPU:*", "/job:ps/task:1/cpu:0", "/job:w/replica:2",
                 "/replica:1/task:3", "/device:cpu:0", "cpu:0", ""]:
        with tf.device(spec):
            out.append(tf.constant(1.0).device)
    return out


def case_device_merging(tf):
    with tf.device("/job:worker/task:1"):
        with tf.device("/device:GPU:0"):
            a = tf.constant(1.0)
        with tf.device("/job:ps"):
            b = tf.constant(1.0)
        with tf.device(None):
            c = tf.constant(1.0)
        with tf.device(""):
            d = tf.constant(1.0)
        with tf.device(lambda op: "/cpu:0"):
            e = tf.constant(1.0)
        with tf.device(lambda op: op.device + "/cpu:3" if op.device else "/cpu:9"):
            f = tf.constant(1.0)
    with tf.device(tf.DeviceSpec(job="j", device_type="CPU")):
        g = tf.constant(1.0)
    return [t.device for t in (a, b, c, d, e, f, g)]


def case_device_spec(tf):
    d = tf.DeviceSpec.from_string("/job:ps/replica:0/task:1/cpu:0")
    d2 = tf.DeviceSpec(job="a")
    d2.merge_from(tf.DeviceSpec.from_string("/task:3/device:GPU:2"))
    d3 = tf.DeviceSpec.from_string("/job:a/task:2").make_merged_spec(tf.DeviceSpec.from_string("/job:b"))
    d4 = tf.DeviceSpec()
    d4.parse_from_string("/gpu:1")
    return [d.to_string(), d.job, d.replica, d.task, d.device_type, d.device_index, d2.to_string(),
            d3.to_string(), d4.to_string(), d.replace(job="z").to_string(),
            raises(lambda: tf.DeviceSpec.from_string("/foo:1")),
            raises(lambda: tf.DeviceSpec.from_string("/cpu:0/gpu:0"))]


def case_colocate_with(tf):
    with tf.device("/job:ps/task:0"):
        a = tf.constant(1.0, name="a")
    with tf.device("/job:worker"):
        with tf.colocate_with(a):
            b = tf.constant(2.0, name="b")
            with tf.device("/cpu:1"):
                c = tf.constant(3.0, name="c")
        d = tf.constant(4.0, name="d")
    return [[t.device, t.op.colocation_groups()] for t in (a, b, c, d)]


def case_replica_device_setter_options(tf):
    out = []
    cluster = tf.train.ClusterSpec({"ps": ["h1:1", "h2:1"], "worker": ["w:1"]})
    with tf.device(tf.train.replica_device_setter(cluster=cluster)):
        v1 = tf.Variable(1.0, name="v1")
        v2 = tf.Variable(1.0, name="v2")
        v3 = tf.Variable(1.0, name="v3")
        x = v1 + v2
    out.append([v1.device, v2.device, v3.device, x.device, v1.initializer.device, v1.value().device])
    with tf.device(tf.train.replica_device_setter(ps_tasks=2, ps_device="/job:param",
                                                 worker_device="/job:worker/task:3")):
        w1 = tf.Variable(1.0, name="w1")
        with tf.device("/job:special"):
            w2 = tf.Variable(1.0, name="w2")
        y = tf.identity(w1)
    out.append([w1.device, w2.device, y.device])
    with tf.device(tf.train.replica_device_setter(ps_tasks=2, merge_devices=False)):
        with tf.device("/cpu:0"):
            z = tf.Variable(1.0, name="z")
    out.append(z.device)
    out.append(tf.train.replica_device_setter(ps_tasks=0) is None)
    out.append(tf.train.replica_device_setter(cluster={"worker": ["a:1"]}) is None)
    with tf.device(tf.train.replica_device_setter(ps_tasks=3, ps_strategy=lambda op: 2)):
        s = tf.Variable(1.0, name="s")
    out.append(s.device)
    return out


def case_cluster_spec(tf):
    c = tf.train.ClusterSpec({"ps": ["ps0:2222", "ps1:2222"], "worker": {1: "w1:2222", 3: "w3:2222"}})
    return [sorted(c.jobs), c.num_tasks("ps"), c.num_tasks("worker"), c.task_indices("worker"),
            c.task_address("worker", 3), c.job_tasks("worker"), c.as_dict(),
            raises(lambda: c.task_address("worker", 2)), raises(lambda: c.num_tasks("nope")),
            str(c.as_cluster_def()).replace("\n", " "),
            tf.train.ClusterSpec(c.as_cluster_def()).as_dict() == c.as_dict(), bool(tf.train.ClusterSpec({}))]


def case_convert_to_tensor_dtypes(tf):
    vals = [3, 3.0, [[1, 2], [3, 4]], np.array([1.5], np.float64), "hi", b"hi", [True, False], 2 ** 40,
            [1, 2 ** 40], 1j, np.int64(3), np.float64(1.0), [np.float64(1.0)], [], [[]], np.array(["a", "bb"]),
            [1.0, 2], (1, 2), np.uint8(3)]
    out = []
    for v in vals:
        t = tf.convert_to_tensor(v)
        out.append([t.dtype.name, t.shape.as_list()])
    return out


def case_convert_to_tensor_errors(tf):
    return [raises(lambda: tf.convert_to_tensor(None)), raises(lambda: tf.convert_to_tensor(object())),
            raises(lambda: tf.convert_to_tensor([1, "a"])), raises(lambda: tf.convert_to_tensor(2 ** 70)),
            raises(lambda: tf.convert_to_tensor(1.5, dtype=tf.int32)),
            raises(lambda: tf.convert_to_tensor(tf.constant(1.0), dtype=tf.int32)),
            raises(lambda: tf.convert_to_tensor([[1, 2], [3]])),
            raises(lambda: tf.constant([1, 2, 3], shape=[2])),
            raises(lambda: tf.constant("a", dtype=tf.float32)), raises(lambda: tf.constant(True, dtype=tf.int32)),
            tf.convert_to_tensor(3, dtype=tf.float32).dtype.name,
            tf.convert_to_tensor(3, preferred_dtype=tf.float32).dtype.name,
            tf.convert_to_tensor(3.0, preferred_dtype=tf.int32).dtype.name,
            tf.convert_to_tensor(1, dtype_hint=tf.int64).dtype.name]


def case_constant_shape_fill(tf):
    a = tf.constant([1, 2], shape=[4])
    b = tf.constant(7, shape=[2, 2])
    c = tf.constant(np.arange(4), shape=[2, 2])
    with tf.Session() as s:
        return s.run([a, b, c]) + [a.shape.as_list()]


def case_autopacking(tf):
    t = tf.constant(1.0)
    p = tf.convert_to_tensor([t, 2.0, 3.0])
    q = tf.convert_to_tensor([[t, 2.0], [3.0, 4.0]])
    r = tf.stack([t, 2.0])
    names = [op.name for op in tf.get_default_graph().get_operations()]
    with tf.Session() as s:
        return [names, p.op.type, q.shape.as_list(), s.run([p, q, r]),
                raises(lambda: tf.convert_to_tensor([t, tf.constant(1)]))]


def case_register_conversion_priority(tf):
    class A:
        pass

    class B(A):
        pass

    def to_a(value, dtype=None, name=None, as_ref=False):
        return tf.constant(1.0, name="from_a")

    def to_b(value, dtype=None, name=None, as_ref=False):
        return NotImplemented

    def to_b_first(value, dtype=None, name=None, as_ref=False):
        return tf.constant(2.0, name="from_b")

    tf.register_tensor_conversion_function(A, to_a)
    tf.register_tensor_conversion_function(B, to_b, priority=1)
    first = tf.convert_to_tensor(B()).op.name
    tf.register_tensor_conversion_function(B, to_b_first, priority=50)
    second = tf.convert_to_tensor(B()).op.name
    return [first, second, raises(lambda: tf.register_tensor_conversion_function(int, to_a)),
            raises(lambda: tf.register_tensor_conversion_function(A, 3))]


def case_dtypes(tf):
    out = []
    for d in [tf.float16, tf.float32, tf.float64, tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.uint16,
              tf.bool, tf.string, tf.complex64, tf.complex128]:
        out.append([d.name, d.is_floating, d.is_integer, d.is_complex, d.is_bool, d.is_unsigned, d.size,
                    d.as_datatype_enum, str(d), repr(d), d.base_dtype.name, d.real_dtype.name])
    return out + [tf.as_dtype("float").name, tf.as_dtype(np.int64).name, tf.as_dtype(float).name,
                  tf.as_dtype(np.dtype("float32")).name, raises(lambda: tf.as_dtype("nope")),
                  raises(lambda: tf.as_dtype(int)), tf.float32 == "float32", tf.int32.max, tf.uint8.min,
                  tf.as_dtype(1).name, tf.float32.is_compatible_with(tf.float32)]


def case_tensor_shape_api(tf):
    s = tf.TensorShape([1, None, 3])
    u = tf.TensorShape(None)
    return [s.ndims, str(s), repr(s), s.as_list(), str(s[1:]), s[0].value, s.num_elements(),
            tf.TensorShape([2, 3]).num_elements(), str(s.merge_with([1, 2, None])),
            s.is_compatible_with([1, 5, 3]), s.is_compatible_with([2, 5, 3]), raises(lambda: s.merge_with([2, 2, 3])),
            str(s.concatenate([4])), str(u), u.ndims, raises(lambda: u.as_list()), raises(lambda: len(u)),
            s == [1, None, 3], str(s.with_rank(3)), raises(lambda: s.with_rank(2)), s.is_fully_defined(),
            str(tf.TensorShape([])), str(tf.TensorShape([3]))]


def case_multiple_graphs_names_independent(tf):
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0, name="x")
    with g2.as_default():
        b = tf.constant(1.0, name="x")
        c = tf.constant(1.0, name="x")
    return [a.name, b.name, c.name, a.graph is g1, len(g1.get_operations()), len(g2.get_operations())]


def case_ops_go_to_graph_of_inputs(tf):
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    b = tf.identity(a)
    c = a + 1.0
    return [b.graph is g, c.graph is g, len(tf.get_default_graph().get_operations())]


def case_eval_and_run_with_default_session(tf):
    a = tf.constant(3.0)
    b = a * 2.0
    v = tf.Variable(1.0)
    with tf.Session() as s:
        s.run(v.initializer)
        r = [b.eval(), float(v.eval()), tf.get_default_session() is s]
        inc = v.assign_add(1.0)
        inc.op.run()
        r.append(float(v.eval()))
    r.append(raises(lambda: b.eval()))
    r.append(tf.get_default_session() is None)
    return r


def case_namedtuple_and_ordered_dict_fetches(tf):
    a = tf.constant(1.0)
    b = tf.constant([2, 3])
    P = collections.namedtuple("P", ["x", "y"])
    with tf.Session() as s:
        out = s.run(collections.OrderedDict([("z", a), ("b", [b, P(a, b.op)])]))
        return [list(out.keys()), type(out).__name__, out["b"][1].y, out["b"][1].x, type(out["b"][1]).__name__,
                s.run([]), s.run({}), s.run(())]

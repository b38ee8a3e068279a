"""Variables (RefVariable), variable scopes, get_variable, initializers."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _ops(tf):
    return [[op.name, op.type, op.get_attr("_class") if "_class" in op.node_def.attr else []]
            for op in tf.get_default_graph().get_operations()]


def case_variable_ops(tf):
    v = tf.Variable(0, name="v")
    w = tf.Variable(tf.zeros([2]), name="w")
    u = tf.Variable(lambda: tf.ones([3]), name="u")
    with tf.name_scope("s"):
        q = tf.Variable(1.0)
    return [_ops(tf), v.name, v.op.name, str(v.dtype), v.shape.as_list(), v.initial_value.name,
            u.initial_value.name, v.initializer.name, v.value().name, v._as_graph_element().name, q.name,
            repr(v), w.trainable]


def case_variable_methods_make_ops(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    before = len(tf.get_default_graph().get_operations())
    a = v.assign([3.0, 4.0])
    b = v.assign_add([1.0, 1.0])
    c = v.assign_sub([1.0, 1.0], read_value=False)
    d = v.read_value()
    e = tf.assign(v, [5.0, 6.0])
    f = tf.assign_add(v, [1.0, 0.0])
    ops = [[op.name, op.type, op.device, op.colocation_groups()]
           for op in tf.get_default_graph().get_operations()[before:]]
    return [ops, a.dtype.name, c.type, d.dtype.name, e.name, f.name]


def case_variable_run(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(v.initialized_value() * 2.0, name="w")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        r = [s.run(v), s.run(w)]
        s.run(v.assign([5.0, 6.0]))
        r.append(s.run(v))
        v.load([7.0, 8.0], s)
        r.append(s.run(v))
        r.append(s.run(v.assign_add([1.0, 1.0])))
        r.append(s.run(tf.report_uninitialized_variables()))
        r.append(s.run(tf.is_variable_initialized(v)))
    return r


def case_uninitialized_and_feeding_variables(tf):
    v = tf.Variable(3.0, name="v")
    y = v * 2.0
    with tf.Session() as s:
        r = [raises(lambda: s.run(y)), s.run(tf.report_uninitialized_variables()),
             s.run(tf.is_variable_initialized(v)), s.run(y, {v: 10.0}), s.run(y, {"v:0": 1.0})]
        s.run(v.initializer)
        r.append(s.run(y))
        r.append(s.run(tf.report_uninitialized_variables()))
    return r


def case_variable_state_per_session(tf):
    v = tf.Variable(1, name="v")
    inc = v.assign_add(1)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    r = [s1.run(v), s2.run(v)]
    s1.close()
    s2.close()
    return r


def case_variable_collections_and_trainable(tf):
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    c = tf.Variable(1.0, name="c", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    d = tf.Variable(1.0, name="d", collections=["custom"])
    names = lambda xs: [x.op.name for x in xs]  # noqa: E731
    return [names(tf.global_variables()), names(tf.trainable_variables()), names(tf.local_variables()),
            names(tf.get_collection("custom")), tf.variables_initializer([a, b]).name,
            tf.global_variables_initializer().name, tf.local_variables_initializer().name,
            tf.variables_initializer([]).type, c.trainable, d.trainable,
            raises(lambda: tf.Variable(1.0, collections="x")), raises(lambda: tf.Variable())]


def case_variable_dtype_and_shape(tf):
    a = tf.Variable(1, dtype=tf.float32, name="a")
    b = tf.Variable([[1, 2]], name="b")
    c = tf.Variable(tf.placeholder_with_default([1.0], [None]), validate_shape=False, name="c")
    return [a.dtype.name, b.shape.as_list(), str(c.shape), raises(lambda: tf.Variable(
        tf.placeholder(tf.float32, [None])))]


def case_get_variable_and_scopes(tf):
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [2, 3])
        w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
        i = tf.get_variable("i", [], dtype=tf.int32)
        c = tf.get_variable("c", initializer=tf.constant([1.0, 2.0]))
        k = tf.get_variable("k", [2], initializer=tf.constant_initializer(3.0))
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations()]
    with tf.variable_scope("foo", reuse=True):
        same = tf.get_variable("v") is v
    return [ops, same, v.name, i.dtype.name, c.shape.as_list(), k.name, w.name]


def case_get_variable_errors(tf):
    with tf.variable_scope("foo"):
        tf.get_variable("v", [2, 3])

    def dup():
        with tf.variable_scope("foo"):
            tf.get_variable("v", [2, 3])

    def missing():
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("zz", [2, 3])

    def bad_shape():
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("v", [2, 4])

    def bad_dtype():
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("v", [2, 3], dtype=tf.int32)

    def undefined_shape():
        tf.get_variable("u", [None, 2])

    def constant_with_shape():
        tf.get_variable("u2", [2], initializer=tf.constant([1.0, 2.0]))
    return [raises(dup), raises(missing), raises(bad_shape), raises(bad_dtype), raises(undefined_shape),
            raises(constant_with_shape)]


def case_variable_scope_names(tf):
    out = []
    with tf.variable_scope("foo") as scope:
        out += [scope.name, scope.original_name_scope, tf.get_variable_scope().name]
        out.append(tf.constant(1.0, name="x").name)
        with tf.variable_scope("bar"):
            out.append(tf.get_variable("v", [1]).name)
            out.append(tf.get_variable_scope().name)
    with tf.variable_scope("foo"):
        out.append(tf.constant(1.0, name="x").name)
        out.append(tf.get_variable("w", [1]).name)
    with tf.variable_scope(scope):
        out.append(tf.constant(1.0, name="y").name)
    with tf.variable_scope(None, default_name="bar"):
        out.append(tf.get_variable("q", [1]).name)
    with tf.variable_scope(None, default_name="bar"):
        out.append(tf.get_variable("q", [1]).name)
    with tf.name_scope("ns"):
        out.append(tf.get_variable("nsv", [1]).name)
        out.append(tf.Variable(1.0, name="plain").name)
    out.append(tf.get_variable_scope().name)
    return out


def case_reuse_modes(tf):
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("v", [1]) is v
        n = tf.get_variable("n", [1]).name
    with tf.variable_scope("s") as sc:
        sc.reuse_variables()
        b = tf.get_variable("v") is v
        with tf.variable_scope("inner"):
            inner_reuse = tf.get_variable_scope().reuse
    with tf.variable_scope("s", reuse=True):
        with tf.variable_scope("deeper", reuse=False):
            still = tf.get_variable_scope().reuse
    return [a, n, b, inner_reuse, still, tf.get_variable_scope().reuse]


def case_scope_initializer_and_collections(tf):
    with tf.variable_scope("s", initializer=tf.constant_initializer(2.0)):
        v = tf.get_variable("v", [2])
        w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        l = tf.get_local_variable("l", [1])
        nt = tf.get_variable("nt", [1], trainable=False)
    names = lambda xs: [x.op.name for x in xs]  # noqa: E731
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(tf.local_variables_initializer())
        vals = s.run([v, w, l])
    return [vals, names(tf.global_variables()), names(tf.trainable_variables()), names(tf.local_variables())]


def case_initializer_ops(tf):
    out = []
    for init in [tf.zeros_initializer(), tf.ones_initializer(), tf.constant_initializer(5),
                 tf.random_uniform_initializer(-1.0, 1.0), tf.random_normal_initializer(0.0, 2.0),
                 tf.truncated_normal_initializer(stddev=0.1), tf.glorot_uniform_initializer(),
                 tf.glorot_normal_initializer(), tf.variance_scaling_initializer()]:
        t = init([2, 3])
        out.append([t.name, t.dtype.name, t.shape.as_list()])
    with tf.Session() as s:
        out.append(s.run(tf.constant_initializer([1, 2, 3])([3])))
        out.append(s.run(tf.constant_initializer(7)([2, 2], dtype=tf.int32)))
        u = s.run(tf.glorot_uniform_initializer(seed=1)([100, 100]))
        limit = np.sqrt(6.0 / 200)
        out.append(bool(np.all(np.abs(u) <= limit)) and float(np.abs(u).max()) > limit * 0.9)
        n = s.run(tf.truncated_normal_initializer(stddev=0.5, seed=2)([1000]))
        out.append(bool(np.all(np.abs(n) <= 1.0)))
    return out


def case_reentering_the_root_scope_keeps_the_name_scope(tf):
    """Multi-tower programs (TF1's cifar10_multi_gpu pattern) re-enter the root variable scope inside each
    tower's name scope and collect that tower's losses by the name scope: the root scope ("") opens no name
    scope of its own."""
    out = []
    for i in range(2):
        with tf.name_scope("tower_%d" % i) as scope:
            with tf.variable_scope(tf.get_variable_scope(), reuse=bool(i)):
                with tf.variable_scope("layer1"):
                    w = tf.get_variable("weights", [2, 2])
                    tf.add_to_collection("losses", tf.nn.l2_loss(w))
                    y = tf.identity(w, name="y")
            out.append([y.name, w.name, [t.name for t in tf.get_collection("losses", scope)]])
    with tf.name_scope("outer"):
        with tf.variable_scope(""):
            out.append(tf.identity(1.0, name="z").name)
        with tf.variable_scope(tf.get_variable_scope(), auxiliary_name_scope=False):
            out.append(tf.identity(1.0, name="z").name)
        with tf.variable_scope("inner"):
            with tf.variable_scope(tf.get_variable_scope()):
                out.append(tf.identity(1.0, name="z").name)
    return out

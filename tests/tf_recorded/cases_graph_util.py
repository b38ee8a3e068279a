"""Recorded cases: tf.graph_util (convert_variables_to_constants, extract_sub_graph, remove_training_nodes,
must_run_on_cpu, tensor_shape_from_node_def_name) on GraphDefs, and the frozen graphs imported and run."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import attr_text, error, error_text, shape_of  # noqa: E402

X = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)


def nodes(graph_def):
    """Each node: name, op, inputs, device, attrs (a Const's value by its shape; values are checked by running)."""
    out = []
    for n in graph_def.node:
        attrs = {}
        for k in sorted(n.attr):
            if k.startswith("_") and k != "_class":  # TF 2's _has_manual_control_dependencies marker
                continue
            v = n.attr[k]
            attrs[k] = [d.size for d in v.tensor.tensor_shape.dim] if k == "value" else attr_text(v)
        out.append([n.name, n.op, list(n.input), n.device, attrs])
    return out


def _model(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.device("/cpu:0"):
        w = tf.Variable([[1.0], [2.0]], name="w")
    b = tf.get_variable("b", [1], initializer=tf.constant_initializer(0.5))
    k = tf.Variable(3, name="k")
    y = tf.identity(tf.matmul(x, w) + b, name="y")
    z = tf.cast(k, tf.float32, name="z")
    return x, y, z


def _run_frozen(tf, graph_def, fetches, feeds):
    g = tf.Graph()
    with g.as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session(graph=g) as s:
            return [v.tolist() for v in s.run(fetches, feeds)]


def case_freeze(tf):
    _model(tf)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        gd = s.graph.as_graph_def()
        out = tf.graph_util.convert_variables_to_constants(s, gd, ["y", "z"])
    return [nodes(out), _run_frozen(tf, out, ["y:0", "z:0"], {"x:0": X})]


def case_freeze_lists(tf):
    _model(tf)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        gd = s.graph.as_graph_def()
        black = tf.graph_util.convert_variables_to_constants(s, gd, ["y", "z"], variable_names_blacklist=["k"])
        white = tf.graph_util.convert_variables_to_constants(s, gd, ["y"], variable_names_whitelist=["w"])
    return [nodes(black), nodes(white)]


def case_freeze_errors(tf):
    _model(tf)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        gd = s.graph.as_graph_def()
        return [error_text(lambda: tf.graph_util.convert_variables_to_constants(s, gd, ["nope"])),
                error(lambda: tf.graph_util.convert_variables_to_constants(s, gd, "y"))]


def case_extract_sub_graph(tf):
    x, y, z = _model(tf)
    gd = tf.get_default_graph().as_graph_def()
    sub = tf.graph_util.extract_sub_graph(gd, ["z"])
    with tf.control_dependencies([z]):
        tf.identity(x, name="after")
    sub2 = tf.graph_util.extract_sub_graph(tf.get_default_graph().as_graph_def(), ["after"])
    return [nodes(sub), [n.name for n in sub2.node],
            error_text(lambda: tf.graph_util.extract_sub_graph(gd, "z")),
            error_text(lambda: tf.graph_util.extract_sub_graph(gd, ["missing"])),
            error(lambda: tf.graph_util.extract_sub_graph(nodes(gd), ["z"]))]


def case_remove_training_nodes(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    c = tf.check_numerics(x, "c", name="check")
    i = tf.identity(tf.multiply(c, 2.0, name="m"), name="i1")
    i2 = tf.identity(i, name="i2")
    s = tf.stop_gradient(i2, name="sg")
    with tf.control_dependencies([s]):
        kept = tf.identity(x, name="kept")
    y = tf.add(s, kept, name="y")
    out = tf.graph_util.remove_training_nodes(tf.get_default_graph().as_graph_def())
    prot = tf.graph_util.remove_training_nodes(tf.get_default_graph().as_graph_def(), protected_nodes=["i2"])
    # (TF drops a removed CheckNumerics from its consumers' inputs: `m` is left with one input, as in TF)
    return [nodes(out), nodes(prot), y.name]


def case_must_run_on_cpu(tf):
    a = tf.constant(1)
    b = tf.constant("s")
    c = tf.constant(1.0)
    d = tf.cast(a, tf.float32)
    e = tf.cast(c, tf.int32)
    v = tf.Variable(1.0, name="v")
    st = tf.dynamic_stitch([[0], [1]], [[1], [2]])
    ops = [a.op, b.op, c.op, d.op, e.op, v.op, st.op]
    return [[tf.graph_util.must_run_on_cpu(o) for o in ops],
            [tf.graph_util.must_run_on_cpu(o.node_def, pin_variables_on_cpu=True) for o in ops]]


def case_tensor_shape_from_node_def_name(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    a, b = tf.split(tf.zeros([4, 2]), 2, name="sp")
    g = tf.get_default_graph()
    f = tf.graph_util.tensor_shape_from_node_def_name
    return [shape_of(x), str(f(g, "x")), str(f(g, "sp:1")), f(g, "x").as_list(),
            error(lambda: f(g, "nope")), tf.graph_util.import_graph_def is tf.import_graph_def]

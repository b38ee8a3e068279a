"""GraphDef export and `import_graph_def`: names, inputs, devices, colocation, errors, and imported runs."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _model(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.device("/cpu:0"):
        w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
    with tf.name_scope("layer"):
        y = tf.nn.relu(tf.matmul(x, w), name="y")
    with tf.control_dependencies([w.initializer]):
        z = tf.identity(y, name="z")
    a, b = tf.split(y, 2, axis=1, name="parts")
    tf.add(a, b, name="sum")
    return tf.get_default_graph().as_graph_def()


def _nodes(gd):
    return {n.name: [n.op, list(n.input), n.device] for n in gd.node}


def case_exported_node_structure(tf):
    nodes = _nodes(_model(tf))
    return {k: nodes[k] for k in ("x", "w", "w/read", "layer/MatMul", "layer/y", "z", "parts", "sum")}


def case_exported_attr_keys(tf):
    gd = _model(tf)
    skip = {"_has_manual_control_dependencies", "grad_a", "grad_b"}  # TF2-only attrs
    return {n.name: sorted(set(n.attr) - skip) for n in gd.node}


def case_import_names_and_prefixes(tf):
    gd = _model(tf)
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd)
        tf.import_graph_def(gd)
        tf.import_graph_def(gd, name="named")
        with tf.name_scope("outer"):
            tf.import_graph_def(gd, return_elements=["z"])
        tf.import_graph_def(gd, name="")
        tf.import_graph_def(gd, name="")
        return sorted(op.name for op in g.get_operations())


def case_import_return_elements(tf):
    gd = _model(tf)
    with tf.Graph().as_default():
        out = tf.import_graph_def(gd, return_elements=["layer/y:0", "z", "parts:1", "w"])
        return [[isinstance(e, tf.Operation), e.name] for e in out] + [out[0].shape.as_list(), out[2].dtype.name]


def case_import_input_map(tf):
    gd = _model(tf)
    with tf.Graph().as_default():
        c = tf.constant([[1.0, -1.0]], name="c")
        y, parts = tf.import_graph_def(gd, input_map={"x": c}, return_elements=["layer/y:0", "parts:1"])
        mm = y.op.inputs[0].op
        return [mm.inputs[0].name, y.shape.as_list(), parts.shape.as_list()]


def case_import_input_map_of_python_values(tf):
    gd = _model(tf)
    with tf.Graph().as_default() as g:
        y, = tf.import_graph_def(gd, input_map={"x:0": [[2.0, 0.5]]}, return_elements=["layer/y:0"])
        return [y.shape.as_list(), sorted(op.name for op in g.get_operations() if "_inputs" in op.name)]


def case_import_errors(tf):
    gd = _model(tf)
    with tf.Graph().as_default():
        c = tf.constant([[1.0, -1.0]], name="c")
        return [raises(lambda: tf.import_graph_def(gd, input_map={"nope:0": c})),
                raises(lambda: tf.import_graph_def(gd, input_map={"x:1": c})),
                raises(lambda: tf.import_graph_def(gd, input_map={c: c})),
                raises(lambda: tf.import_graph_def(gd, input_map={"x:0": tf.constant([1, 2])})),
                raises(lambda: tf.import_graph_def(gd, input_map={"x:0": [1.0, 2.0]}, name="")),
                raises(lambda: tf.import_graph_def(gd, return_elements=["nope"])),
                raises(lambda: tf.import_graph_def(gd, return_elements=["nope:0"])),
                raises(lambda: tf.import_graph_def(gd, return_elements=["z:3"])),
                raises(lambda: tf.import_graph_def(gd, return_elements=[3])),
                raises(lambda: tf.import_graph_def("gd"))]


def case_import_devices_and_colocation(tf):
    gd = _model(tf)
    with tf.Graph().as_default() as g:
        with tf.device("/job:worker/task:1"):
            tf.import_graph_def(gd, name="w1")
        names = ("w1/x", "w1/w", "w1/w/read", "w1/w/Assign", "w1/layer/MatMul", "w1/z")
        return [[n, g.get_operation_by_name(n).device, g.get_operation_by_name(n).colocation_groups()] for n in names]


def case_import_control_scope(tf):
    gd = _model(tf)
    with tf.Graph().as_default() as g:
        c = tf.constant(0.0, name="c")
        with tf.control_dependencies([c]):
            tf.import_graph_def(gd, name="i")
        return {op.name: sorted(x.name for x in op.control_inputs) for op in g.get_operations()}


def case_imported_graph_runs(tf):
    gd = _model(tf)
    with tf.Graph().as_default():
        y, z, s = tf.import_graph_def(gd, return_elements=["layer/y:0", "z:0", "sum:0"])
        with tf.Session() as sess:
            sess.run("import/w/Assign")
            feed = {"import/x:0": np.array([[1.0, -1.0], [0.5, 2.0]], np.float32)}
            return sess.run([y, z, s], feed)


def case_round_trip_twice_is_stable(tf):
    gd = _model(tf)
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        again = g.as_graph_def()
    return [_nodes(gd) == _nodes(again), len(again.node)]


def case_input_map_from_another_graph(tf):
    gd = _model(tf)
    other = tf.Graph()
    with other.as_default():
        c = tf.constant([[1.0, 2.0]], name="c")
    with tf.Graph().as_default():
        return raises(lambda: tf.import_graph_def(gd, input_map={"x:0": c}))


def _malformed_graph_defs(tf):
    """A valid two-node GraphDef with one bad node (or input) added after them, one per kind of damage."""
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [2], name="x")
        tf.identity(x, name="y")
    base = g.as_graph_def()

    def with_node(op, name="bad", inputs=(), **attrs):
        gd = type(base)()
        gd.CopyFrom(base)
        nd = gd.node.add()
        nd.name, nd.op = name, op
        nd.input.extend(inputs)
        for key, fill in attrs.items():
            fill(nd.attr[key])
        return gd

    def dtype(a):
        a.type = 1  # DT_FLOAT

    def shape(a):
        a.shape.unknown_rank = True
    out = {
        "placeholder_without_dtype": with_node("Placeholder"),
        "const_without_value": with_node("Const", dtype=dtype),
        "add_with_one_input": with_node("AddV2", inputs=["y"], T=dtype),
        "add_without_type_attr": with_node("AddV2", inputs=["x", "y"]),
        "unknown_op": with_node("NoSuchOpType"),
        "type_attr_of_wrong_kind": with_node("Identity", inputs=["x"], T=shape),
        "duplicate_name": with_node("Identity", name="y", inputs=["x"], T=dtype),
        "bad_output_index": with_node("Identity", inputs=["x:7"], T=dtype),
        "unknown_input": with_node("Identity", inputs=["nowhere"], T=dtype),
    }
    return base, out


def case_import_malformed_node_is_atomic_value_error(tf):
    base, bad = _malformed_graph_defs(tf)
    out = {}
    for label, gd in bad.items():
        with tf.Graph().as_default() as g:
            tf.constant(1.0, name="c")
            out[label] = [raises(lambda: tf.import_graph_def(gd, name="")), [op.name for op in g.get_operations()]]
    with tf.Graph().as_default() as g:
        out["bad_return_element"] = [raises(lambda: tf.import_graph_def(base, return_elements=["nope:0"])),
                                     [op.name for op in g.get_operations()]]
        out["unused_input_map"] = [raises(lambda: tf.import_graph_def(base, input_map={"zz:0": tf.constant(1.0)})),
                                   [op.name for op in g.get_operations()]]
        tf.import_graph_def(base)  # names taken by failed imports are free again
        out["after"] = [op.name for op in g.get_operations()]
    return out

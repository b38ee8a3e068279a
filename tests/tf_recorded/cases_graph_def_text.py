"""GraphDef details programs print: the producer version, how Const protos hold bool, complex and uint16 arrays
(typed fields, not tensor_content), and the attr TF sets on ops used as manual control dependencies."""
import numpy as np


def case_graph_def_consts_and_control_marks(tf):
    g = tf.Graph()
    with g.as_default():
        tf.constant([True, False, True], name="b")
        tf.constant(np.array([1 + 2j, 3 - 1j], np.complex64), name="c")
        tf.constant(np.array([1, 7, 9], np.uint16), name="u")
        tf.constant(np.arange(4, dtype=np.float32), name="f")
        a = tf.constant(1.0, name="a")
        with tf.control_dependencies([a]):
            tf.identity(a, name="after")
    gd = g.as_graph_def()
    nodes = {n.name: n for n in gd.node}
    return [gd.versions.producer, [str(nodes[k].attr["value"]) for k in ("b", "c", "u", "f")],
            [[k, " ".join(sorted(n.attr))] for k, n in sorted(nodes.items())]]


def case_graph_def_sorts_control_inputs(tf):
    g = tf.Graph()
    with g.as_default():
        a, c, d = tf.constant(1, name="b"), tf.constant(2, name="a"), tf.constant(3, name="c")
        x = tf.identity(a, name="x")
        with tf.control_dependencies([a, d, c]):
            tf.no_op(name="n")
            tf.add(x, a, name="sum")
        tf.group(d, a, c, name="m")
    gd = g.as_graph_def()
    return [[n.name, list(n.input)] for n in gd.node] + [[op.name, list(op.node_def.input)] for op in g.get_operations()]

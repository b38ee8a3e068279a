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


def case_graph_def_compact_constants(tf):
    """A constant built from fewer values than its shape holds keeps just those values in its proto (a
    reader repeats the last), as make_tensor_proto writes it: tf.zeros/tf.ones of small shapes, a scalar or
    a short list with shape=."""
    g = tf.Graph()
    with g.as_default():
        ts = [tf.zeros([3]), tf.ones([2, 2]), tf.constant([1, 2], shape=[4]), tf.constant("x", shape=[2]),
              tf.constant(True, shape=[3]), tf.constant([1.5, 2.5]), tf.zeros([2, 2], tf.int64),
              tf.constant(1, shape=[1]), tf.constant(2.5, shape=[2, 3], dtype=tf.float64),
              tf.constant([], shape=[2]), tf.ones([3], tf.complex64), tf.zeros([2], tf.float16),
              tf.constant([1, 2, 2], shape=[3])]
        with tf.Session() as s:
            values = s.run(ts)
    return [[str(t.op.get_attr("value")), repr(v.tolist())] for t, v in zip(ts, values)] + [
        str(n.attr["value"]) for n in g.as_graph_def().node]


def case_graph_def_compact_constants_survive_import(tf):
    """Importing a GraphDef keeps its compact constants compact when it is exported again, and their values."""
    g = tf.Graph()
    with g.as_default():
        tf.zeros([4], name="z")
        tf.constant([7, 8], shape=[5], name="short")
        tf.constant([1.0, 2.0], name="full")
    g2 = tf.Graph()
    with g2.as_default():
        tf.import_graph_def(g.as_graph_def(), name="im")
        with tf.Session() as s:
            values = s.run(["im/z:0", "im/short:0", "im/full:0"])
    return [[n.name, str(n.attr["value"])] for n in g2.as_graph_def().node] + [v.tolist() for v in values]

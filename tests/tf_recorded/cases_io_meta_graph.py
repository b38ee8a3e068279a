"""MetaGraphDefs: collections as TF serializes them, and `import_meta_graph` rebuilding graph and collections."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _model(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.name_scope("model"):
        w = tf.Variable([[1.0], [2.0]], name="w")
        b = tf.Variable([0.5], name="b", trainable=False)
        y = tf.add(tf.matmul(x, w), b, name="y")
    loss = tf.reduce_sum(y, name="loss")
    tf.add_to_collection("outputs", y)
    tf.add_to_collection("outputs", loss.op)
    tf.add_to_collection("names", "hello")
    tf.add_to_collection("numbers", 3)
    tf.add_to_collection("rates", 0.5)
    tf.add_to_collection(tf.GraphKeys.LOSSES, loss)
    return x, y, loss


def _collections(meta):
    out = {}
    for key, col in sorted(meta.collection_def.items()):
        kind = col.WhichOneof("kind")
        values = list(getattr(col, kind).value)
        if key in ("variables", "trainable_variables"):
            values = [v.hex() for v in values]
        out[key] = [kind, values]
    return out


def case_exported_collections(tf):
    _model(tf)
    meta = tf.train.export_meta_graph()
    return [_collections(meta), meta.HasField("saver_def"), sorted(n.name for n in meta.graph_def.node)]


def case_exported_scope(tf):
    _model(tf)
    meta = tf.train.export_meta_graph(export_scope="model")
    return [_collections(meta), sorted([n.name, list(n.input)] for n in meta.graph_def.node)]


def case_import_meta_graph_rebuilds_collections(tf):
    _model(tf)
    meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(meta, import_scope="restored")
        return [saver is not None,
                sorted(v.name for v in tf.global_variables()), [v.name for v in tf.trainable_variables()],
                [x.name for x in tf.get_collection("outputs")], tf.get_collection("names"),
                tf.get_collection("numbers"), tf.get_collection("rates"),
                [x.name for x in tf.get_collection(tf.GraphKeys.LOSSES)],
                tf.global_variables()[0] is tf.trainable_variables()[0]]


def case_imported_meta_graph_runs(tf):
    _model(tf)
    meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta)
        y = tf.get_collection("outputs")[0]
        with tf.Session() as sess:
            sess.run([v.initializer for v in tf.global_variables()])
            return sess.run(y, {"x:0": [[1.0, 1.0], [2.0, -1.0]]})


def case_meta_graph_without_variables_has_no_saver(tf):
    tf.constant(1.0, name="c")
    meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        return tf.train.import_meta_graph(meta) is None


def case_unbound_inputs_need_an_input_map(tf):
    _model(tf)
    meta = tf.train.export_meta_graph(export_scope="model")
    with tf.Graph().as_default():
        err = raises(lambda: tf.train.import_meta_graph(meta))
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [3, 2], name="new_x")
        unbound = [v.decode() for v in meta.collection_def["unbound_inputs"].bytes_list.value]
        tf.train.import_meta_graph(meta, input_map={k: x for k in set(unbound)}, import_scope="m")
        return [err, unbound, tf.get_default_graph().get_tensor_by_name("m/y:0").shape.as_list()]

"""Recorded cases found comparing raygraph's public names with tf.compat.v1's: tf.manip, tf.io.gfile (TF2's
file API names, as TF 1.13+ has them), tf.init_scope, and the v2-behaviour switches that select TF1's defaults;
and from the Hvass-Labs tutorials, the modes of the files a Saver and write_graph make."""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import sig  # noqa: E402


def case_manip_namespace(tf):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4), name="x")
    outs = [tf.manip.reshape(x, [4, 3]), tf.manip.reverse(x, [1]), tf.manip.roll(x, 1, 0), tf.manip.tile(x, [1, 2]),
            tf.manip.gather_nd(x, [[0, 1], [2, 3]]), tf.manip.scatter_nd([[1], [0]], [5.0, 6.0], [3]),
            tf.manip.space_to_batch_nd(tf.reshape(x, [1, 3, 4, 1]), [1, 2], [[0, 0], [0, 0]]),
            tf.manip.batch_to_space_nd(tf.reshape(x, [4, 3, 1, 1]), [2, 2], [[0, 0], [0, 0]])]
    with tf.Session() as s:
        return [sig(t) for t in outs], [v.tolist() for v in s.run(outs)]


def case_io_gfile_names(tf):
    g = tf.io.gfile
    root = tempfile.mkdtemp()
    g.makedirs(g.join(root, "a", "b"))
    with g.GFile(g.join(root, "a", "f.txt"), "w") as f:
        f.write("hello")
    g.copy(g.join(root, "a", "f.txt"), g.join(root, "a", "b", "g.txt"))
    errors = []
    for fn in (lambda: g.copy(g.join(root, "a", "f.txt"), g.join(root, "a", "b", "g.txt")),
               lambda: g.remove(g.join(root, "nope")), lambda: g.listdir(g.join(root, "nope"))):
        try:
            fn()
        except tf.errors.OpError as e:
            errors.append(type(e).__name__)
    g.rename(g.join(root, "a", "f.txt"), g.join(root, "a", "h.txt"))
    walked = [(os.path.relpath(d, root), sorted(sub), sorted(files)) for d, sub, files in g.walk(root)]
    bottom_up = [os.path.relpath(d, root) for d, _, _ in g.walk(root, topdown=False)]
    out = [walked, bottom_up, list(g.walk(g.join(root, "nope"))), errors, sorted(g.listdir(g.join(root, "a"))), g.exists(g.join(root, "a")),
           g.isdir(g.join(root, "a", "h.txt")), g.stat(g.join(root, "a", "h.txt")).length,
           [os.path.relpath(p, root) for p in g.glob(g.join(root, "a", "*.txt"))],
           g.join("gs://bucket", "dir", "f"), g.join("x", "y"), "" in g.get_registered_schemes()]
    g.rmtree(g.join(root, "a"))
    return out + [g.exists(g.join(root, "a"))]


def case_init_scope(tf):
    x = tf.constant(1.0, name="x")
    with tf.name_scope("outer"):
        with tf.control_dependencies([x]):
            inner = tf.identity(x, name="inner")
            with tf.init_scope():
                lifted = tf.identity(x, name="lifted")

    def branch():
        with tf.init_scope():
            c = tf.constant(3.0, name="made_in_init_scope")
        return c + 1.0
    out = tf.cond(tf.constant(True), branch, lambda: tf.constant(0.0))
    made = tf.get_default_graph().get_operation_by_name("cond/made_in_init_scope")
    with tf.Session() as s:
        return [sig(inner), [o.name for o in inner.op.control_inputs], sig(lifted),
                [o.name for o in lifted.op.control_inputs], made.name, [i.name for i in made.inputs],
                [o.name for o in made.control_inputs], s.run(out)]


def case_v1_behaviour_switches(tf):
    tf.disable_v2_tensorshape()
    tf.disable_tensor_equality()
    tf.disable_control_flow_v2()
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.identity(x)
    return [repr(x.shape[1]), tf.control_flow_v2_enabled(), x == y, x == x, hasattr(tf.test.mock, "patch")]


def case_saver_meta_and_write_graph_file_modes(tf):
    """Files are 0666 less the umask, as TF writes them (a .meta another user or a server can read)."""
    import stat
    d = tempfile.mkdtemp()
    old = os.umask(0o022)
    try:
        tf.Variable(1.0, name="v")
        saver = tf.train.Saver()
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            saver.save(s, os.path.join(d, "model"))
        tf.train.write_graph(tf.get_default_graph(), d, "g.pbtxt")
        tf.train.write_graph(tf.get_default_graph(), d, "g.pb", as_text=False)
    finally:
        os.umask(old)
    return sorted((f, oct(stat.S_IMODE(os.stat(os.path.join(d, f)).st_mode))) for f in os.listdir(d))


def case_shape_size_rank_of_sparse_tensors(tf):
    """tf.shape, tf.size and tf.rank of a SparseTensor (or its value) read its dense_shape, as TF's do."""
    sp = tf.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], [3, 5])
    ph = tf.sparse_placeholder(tf.float32)
    v = tf.SparseTensorValue([[0, 0]], [1.0], [4, 2, 2])
    outs = [tf.shape(sp), tf.shape(sp, out_type=tf.int64), tf.size(sp), tf.rank(sp), tf.shape(ph), tf.rank(ph),
            tf.size(ph, name="sz"), tf.shape(v), tf.rank(v), tf.size(v)]
    with tf.Session() as s:
        return [sig(t) for t in outs], s.run(outs, {ph: tf.SparseTensorValue([[0, 0, 0]], [1.0], [2, 3, 4])})


def case_concat_gradient_of_indexed_slices(tf):
    """(from tensorflow/nmt: a pretrained embedding concatenated with a variable) TF's ConcatV2 gradient keeps
    IndexedSlices: rows split by input along axis 0, values sliced along axis 1; so global_norm counts rows apart."""
    v = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    w = tf.constant(np.ones([4, 2], np.float32))
    c0 = tf.concat([v, w], 0)
    g0 = tf.gradients(tf.reduce_sum(tf.square(tf.gather(c0, [0, 0, 1, 5]))), [v, w])
    u = tf.constant(np.ones([3, 3], np.float32))
    c1 = tf.concat([v, u], 1)
    g1 = tf.gradients(tf.reduce_sum(tf.square(tf.gather(c1, tf.constant([2, 0, 2], tf.int64)))), [v, u])
    vals = [t for g in g0 + g1 for t in (g.values, g.indices, g.dense_shape)]
    with tf.Session() as s:
        return [type(g).__name__ for g in g0 + g1], s.run(vals + [tf.global_norm(g0), tf.global_norm(g1)])


def case_contrib_framework_checkpoint_readers_and_mode_keys(tf):
    if hasattr(tf, "contrib"):
        fw, mode_keys = tf.contrib.framework, tf.contrib.learn.ModeKeys
    else:  # TF 1.15's contrib.framework re-exported tf.train's readers; ModeKeys were these strings
        fw, mode_keys = tf.train, type("ModeKeys", (), {"TRAIN": "train", "EVAL": "eval", "INFER": "infer"})
    v = tf.Variable([1.0, 2.0], name="v")
    tf.Variable(3, name="n")
    d = tempfile.mkdtemp()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(s, os.path.join(d, "m"))
    return [fw.list_variables(path), fw.load_variable(path, "v").tolist(),
            sorted(fw.load_checkpoint(path).get_variable_to_shape_map().items()), v.op.name,
            [mode_keys.TRAIN, mode_keys.EVAL, mode_keys.INFER]]

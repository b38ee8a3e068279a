"""Recorded cases found by running TF1 notebooks and programs (udacity/deep-learning's word2vec, hwalsuklee's
GANs and VAEs, carpedm20's MemN2N, DCGAN and NTM): an elementwise region whose values are read only through
control edges (a gradient the optimizer's gate groups but never reads, as after sampled_softmax_loss with labels
of unknown width); slim's model_analyzer; contrib.layers' internal module path; TF 2.21's positional
(labels, logits); optimizer slots in reusing scopes and the reuse flag a scope takes; TF1's removed tf.mul."""
import contextlib
import importlib
import io
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_layers, error_text, sig  # noqa: E402


def case_region_read_only_through_control_edges(tf):
    x = tf.placeholder(tf.float32, [None], name="x")
    a = tf.exp(x * 2.0) + 1.0
    with tf.control_dependencies([a]):
        y = tf.identity(x, name="y")
    with tf.Session() as s:
        return [sig(y), s.run(y, {x: [1.0, 2.0]}).tolist()]


def case_sampled_softmax_step_with_labels_of_unknown_width(tf):
    tf.set_random_seed(1)
    inputs = tf.placeholder(tf.int32, [None])
    labels = tf.placeholder(tf.int32, [None, None])
    emb = tf.Variable(np.linspace(-1, 1, 80, dtype=np.float32).reshape(20, 4))
    w = tf.Variable(np.linspace(-0.2, 0.2, 80, dtype=np.float32).reshape(20, 4))
    b = tf.Variable(tf.zeros(20))
    cost = tf.reduce_mean(tf.nn.sampled_softmax_loss(w, b, labels, tf.nn.embedding_lookup(emb, inputs), 5, 20))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(cost)
    feed = {inputs: [1, 2, 3], labels: np.array([4, 5, 6])[:, None]}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run([cost, step], feed)[0]
        return [round(float(first), 5), round(float(s.run(cost, feed)), 5), np.round(s.run(b), 5).tolist()]


def _model_analyzer(tf):
    """`tf.contrib.slim.model_analyzer`; when recording, tf_slim's (contrib.slim's successor, the same code)."""
    if hasattr(tf, "contrib"):
        return tf.contrib.slim.model_analyzer
    contrib_layers(tf)
    import tf_slim
    return tf_slim.model_analyzer


def _printed(fn):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        result = fn()
    return result, buf.getvalue().splitlines()


def case_model_analyzer_analyze_vars(tf):
    ma = _model_analyzer(tf)
    with tf.variable_scope("gen"):
        tf.get_variable("w", [62, 1024])
        tf.get_variable("b", [1024], initializer=tf.zeros_initializer())
    tf.Variable(np.zeros((4, 4, 1, 64), np.float64), name="k")
    tf.get_variable("steps", [], tf.int32, trainable=False)
    result, lines = _printed(lambda: ma.analyze_vars(tf.global_variables(), print_info=True))
    quiet, quiet_lines = _printed(lambda: ma.analyze_vars(tf.trainable_variables()))
    return {"result": list(result), "lines": lines, "quiet": list(quiet), "quiet_lines": quiet_lines}


def case_model_analyzer_analyze_ops(tf):
    ma = _model_analyzer(tf)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.ones((3, 2), np.float32), name="w")
    y = tf.matmul(x, w, name="y")
    s = tf.reduce_sum(y, name="s")
    total, lines = _printed(lambda: ma.analyze_ops(tf.get_default_graph(), print_info=True))
    return {"total": total, "lines": lines, "desc_y": ma.tensor_description(y), "desc_s": ma.tensor_description(s)}


def _layers_internal(tf):
    """TF 1.15's `tensorflow.contrib.layers.python.layers` package; when recording, tf_slim.layers (the same
    functions: tf_slim's layers package is that package)."""
    if hasattr(tf, "contrib"):
        return importlib.import_module(tf.__name__ + ".contrib.layers.python.layers")
    contrib_layers(tf)
    importlib.import_module("tf_slim.layers.layers")
    importlib.import_module("tf_slim.layers.initializers")
    return importlib.import_module("tf_slim.layers")  # the package (tf_slim.layers the attribute is its layers.py)


def case_contrib_layers_internal_path(tf):
    pkg = _layers_internal(tf)
    layers_lib = pkg.layers
    x = tf.constant([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]])
    y = pkg.batch_norm(x, is_training=True, scale=True, scope="bn")
    z = layers_lib.fully_connected(x, 2, weights_initializer=pkg.initializers.xavier_initializer(seed=3),
                                   scope="fc")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        yv, zv = sess.run([y, z])
    return {"y": yv, "z": zv, "sig_y": sig(y), "vars": sorted(v.name for v in tf.global_variables()),
            "same_fn": pkg.batch_norm is layers_lib.batch_norm}


def case_xent_positional_labels_logits(tf):
    """TF 2.21's compat.v1 cross-entropy functions have no `_sentinel`: positional (labels, logits)."""
    lab = tf.constant([[0., 1.], [1., 0.]])
    lg = tf.constant([[1., 2.], [3., 0.5]])
    a = tf.nn.softmax_cross_entropy_with_logits(lab, lg)
    b = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([1, 0]), lg)
    c = tf.nn.sigmoid_cross_entropy_with_logits(lab, lg)
    with tf.Session() as s:
        return s.run([a, b, c])


def case_slot_in_reusing_scope_fails(tf):
    """NTM: an optimizer's slots are get_variable("") in a scope; a reuse=True scope cannot create them."""
    with tf.variable_scope("s"):
        v = tf.Variable([1.0, 2.0])
        tf.get_variable_scope().reuse_variables()
        with tf.variable_scope(tf.get_variable_scope(), reuse=False):
            return error_text(lambda: tf.train.RMSPropOptimizer(0.1).minimize(tf.reduce_sum(v * v)))


def case_slot_in_auto_reuse_scope(tf):
    with tf.variable_scope("s"):
        v = tf.Variable([1.0, 2.0])
        tf.get_variable_scope().reuse_variables()
        with tf.variable_scope(tf.get_variable_scope(), reuse=tf.AUTO_REUSE):
            op = tf.train.RMSPropOptimizer(0.1).minimize(tf.reduce_sum(v * v))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(op)
        return [sorted(x.name for x in tf.global_variables()), s.run(v)]


def case_reuse_flag_in_reusing_parent(tf):
    """An explicit AUTO_REUSE wins inside a reuse=True scope; a re-entered scope object keeps its own flag."""
    def r():
        x = tf.get_variable_scope().reuse
        return "AUTO_REUSE" if x is tf.AUTO_REUSE else x
    out = []
    with tf.variable_scope("a") as a:
        pass
    with tf.variable_scope("s"):
        tf.get_variable_scope().reuse_variables()
        with tf.variable_scope("x", reuse=tf.AUTO_REUSE):
            out.append(r())
        with tf.variable_scope(tf.get_variable_scope(), reuse=tf.AUTO_REUSE):
            out.append(r())
        with tf.variable_scope(a):
            out.append(r())
        with tf.variable_scope(None, default_name="d"):
            out.append(r())
    with tf.variable_scope("p", reuse=tf.AUTO_REUSE):
        with tf.variable_scope("q", reuse=True):
            out.append(r())
    return out


def case_pre_1_0_arith_names_absent(tf):
    """tf.mul/tf.sub/tf.neg were removed in TF 1.0 (compat.v1 has none): programs using them fail the same."""
    return [hasattr(tf, n) for n in ("mul", "sub", "neg", "multiply", "subtract", "negative")]


def case_op_input_not_convertible_names_the_input(tf):
    """A partially known TensorShape as an op's input (DCGAN's reshape to a deconvolution's static shape):
    TF's op builder says which input it tried to convert."""
    x = tf.placeholder(tf.float32, [None, 2, 2, 8])
    w = tf.zeros([5, 5, 4, 8])
    y = tf.nn.conv2d_transpose(x, w, output_shape=[3, 4, 4, 4], strides=[1, 2, 2, 1])
    return [str(y.shape), error_text(lambda: tf.reshape(y, x.get_shape())),
            error_text(lambda: tf.fill(x.get_shape(), 1.0)), error_text(lambda: tf.zeros(x.get_shape()))]

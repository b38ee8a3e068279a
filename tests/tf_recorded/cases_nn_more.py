"""Recorded cases: the rest of tf.nn — conv1d_transpose, conv_transpose, atrous_conv2d_transpose,
batch_norm_with_global_normalization, compute_average_loss, scale_regularization_loss: names, shapes, values,
gradients and errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, sig  # noqa: E402


def _arange(shape, scale=0.1):
    return (np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) % 7 - 3) * scale


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        return s.run(fetches, feed)


def case_conv1d_transpose_formats_strides_and_gradients(tf):
    x = tf.constant(_arange([2, 4, 3]))
    w = tf.constant(_arange([3, 5, 3], 0.2))
    same = tf.nn.conv1d_transpose(x, w, [2, 8, 5], 2)
    valid = tf.nn.conv1d_transpose(x, w, tf.constant([2, 9, 5]), [2], padding="VALID", name="up")
    dilated = tf.nn.conv1d_transpose(x, w, [2, 8, 5], 1, dilations=2, padding="VALID")
    grads = tf.gradients(tf.reduce_sum(same * same) + tf.reduce_sum(valid), [x, w])
    info = [sig(same), sig(valid), sig(dilated), [op.type for op in same.graph.get_operations()
                                                 if op.name.startswith("conv1d_transpose/")]]
    return [info, _run(tf, [same, valid, dilated, grads])]


def case_conv_transpose_dispatches_on_output_rank(tf):
    out = [sig(tf.nn.conv_transpose(tf.constant(_arange([1, 3, 2])), tf.constant(_arange([2, 4, 2])), [1, 6, 4], 2)),
           sig(tf.nn.conv_transpose(tf.constant(_arange([1, 3, 3, 2])), tf.constant(_arange([2, 2, 4, 2])),
                                    [1, 6, 6, 4], [1, 2, 2, 1])),
           sig(tf.nn.conv_transpose(tf.constant(_arange([1, 2, 2, 2, 2])), tf.constant(_arange([2, 2, 2, 3, 2])),
                                    [1, 4, 4, 4, 3], 2))]
    values = _run(tf, [t for t in tf.get_default_graph().get_operations()[-1].outputs])
    errors = [error(lambda: tf.nn.conv_transpose(tf.ones([1, 2, 2]), tf.ones([1, 1, 2]), [1, 2], 1)),
              error(lambda: tf.nn.conv_transpose(tf.ones([1, 2, 2]), tf.ones([1, 1, 2]), 7, 1))]
    return [out, values, errors]


def case_atrous_conv2d_transpose_rates_and_paddings(tf):
    x = tf.constant(_arange([2, 5, 5, 3]))
    w = tf.constant(_arange([3, 3, 4, 3], 0.2))
    outs = [tf.nn.atrous_conv2d_transpose(x, w, [2, 5, 5, 4], 2, "SAME"),
            tf.nn.atrous_conv2d_transpose(x, w, [2, 9, 9, 4], 2, "VALID"),
            tf.nn.atrous_conv2d_transpose(x, w, [2, 5, 5, 4], 1, "SAME"),
            tf.nn.atrous_conv2d_transpose(tf.constant(_arange([1, 7, 7, 3])), w, [1, 7, 7, 4], 3, "SAME")]
    grads = tf.gradients(tf.reduce_sum(outs[0] * outs[1][:, :5, :5, :]), [x, w])
    errors = [error(lambda: tf.nn.atrous_conv2d_transpose(x, w, [2, 5, 5, 4], 0, "SAME")),
              error(lambda: tf.nn.atrous_conv2d_transpose(x, w, [2, 5, 5, 4], 2, "FULL")),
              error(lambda: tf.nn.atrous_conv2d_transpose(x, tf.ones([3, 3, 4, 2]), [2, 5, 5, 4], 2, "SAME")),
              error(lambda: tf.nn.atrous_conv2d_transpose(x, w, [2, 5, 5, 6], 2, "SAME")),
              error(lambda: tf.nn.atrous_conv2d_transpose(x, w, [2, 7, 7, 4], 3, "SAME"))]
    return [[sig(t) for t in outs], _run(tf, [outs, grads]), errors]


def case_batch_norm_with_global_normalization(tf):
    x = tf.constant(_arange([2, 3, 4]))
    m, v = tf.constant([0.1, -0.2, 0.0, 0.3]), tf.constant([1.0, 0.5, 2.0, 0.25])
    beta, gamma = tf.constant([0.0, 1.0, -1.0, 0.5]), tf.constant([2.0, 0.5, 1.0, 3.0])
    scaled = tf.nn.batch_norm_with_global_normalization(x, m, v, beta, gamma, 1e-3, True)
    plain = tf.nn.batch_norm_with_global_normalization(input=x, mean=m, variance=v, beta=beta, gamma=gamma,
                                                       variance_epsilon=1e-3, scale_after_normalization=False,
                                                       name="bn")
    return [[sig(scaled), sig(plain)], _run(tf, [scaled, plain, tf.gradients(tf.reduce_sum(scaled), [x, gamma])])]


def case_compute_average_loss_and_scaled_regularization(tf):
    per = tf.constant([1.0, 2.0, 3.0, 4.0])
    outs = [tf.nn.compute_average_loss(per), tf.nn.compute_average_loss(per, global_batch_size=8),
            tf.nn.compute_average_loss(per, sample_weight=[[1.0], [0.0], [2.0], [0.5]]),
            tf.nn.compute_average_loss(per, sample_weight=0.5),
            tf.nn.compute_average_loss(tf.zeros([0])),
            tf.nn.compute_average_loss(tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)),
            tf.nn.scale_regularization_loss([1.0, 2.5]), tf.nn.scale_regularization_loss(3.0)]
    ph = tf.placeholder(tf.float32, [None])
    fed = tf.nn.compute_average_loss(ph)
    errors = [error(lambda: tf.nn.compute_average_loss(tf.constant(1.0))),
              error(lambda: tf.nn.compute_average_loss(per, global_batch_size=2.5)),
              error(lambda: tf.nn.compute_average_loss(per, global_batch_size=[4]))]
    return [[sig(t) for t in outs + [fed]], _run(tf, [outs, fed], {ph: [2.0, 4.0]}), errors]


def _morph_inputs(dtype=np.float32):
    x = (np.arange(2 * 5 * 6 * 3).reshape(2, 5, 6, 3) * 37 % 23 - 11).astype(dtype)
    f = (np.arange(3 * 2 * 3).reshape(3, 2, 3) * 5 % 7 - 3).astype(dtype)
    return x, f


def case_dilation2d_values_shapes_and_gradients(tf):
    xs, fs = _morph_inputs()
    x, f = tf.constant(xs / 4), tf.constant(fs / 2)
    outs = [tf.nn.dilation2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
            tf.nn.dilation2d(x, f, [1, 2, 1, 1], [1, 1, 2, 1], "SAME", name="strided"),
            tf.nn.dilation2d(x, filters=f, strides=[1, 1, 2, 1], dilations=[1, 2, 1, 1], padding="VALID")]
    grads = tf.gradients(tf.reduce_sum(outs[0] * outs[0]) + tf.reduce_sum(outs[1]) + tf.reduce_sum(outs[2] * 3.0),
                         [x, f])
    ints = tf.nn.dilation2d(tf.constant(xs.astype(np.int32)), tf.constant(fs.astype(np.int32)), [1, 1, 1, 1],
                            [1, 1, 1, 1], "VALID")
    ph = tf.placeholder(tf.float32, [None, None, 6, 3])
    partial = tf.nn.dilation2d(ph, f, [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    return [[sig(t) for t in outs + grads + [ints, partial]], _run(tf, [outs, grads, ints])]


def case_erosion2d_and_errors(tf):
    xs, fs = _morph_inputs(np.float64)
    x, f = tf.constant(xs / 3), tf.constant(fs / 5)
    e = tf.nn.erosion2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
    e2 = tf.nn.erosion2d(x, f, [1, 2, 2, 1], [1, 2, 1, 1], "VALID", name="erode")
    grads = tf.gradients(tf.reduce_sum(e * e2[:, :1, :1, :]), [x, f])
    errors = [error(lambda: tf.nn.dilation2d(x, tf.ones([2, 2, 4], tf.float64), [1, 1, 1, 1], [1, 1, 1, 1], "SAME")),
              error(lambda: tf.nn.dilation2d(x, f, [1, 1, 1], [1, 1, 1, 1], "SAME")),
              error(lambda: tf.nn.dilation2d(x, f, [2, 1, 1, 1], [1, 1, 1, 1], "SAME")),
              error(lambda: tf.nn.dilation2d(x, f, [1, 1, 1, 1], [1, 1, 1, 2], "SAME")),
              error(lambda: tf.nn.dilation2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], "FULL")),
              error(lambda: tf.nn.dilation2d(x, f, (1, 1, 1, 1), [1, 1, 1, 1], "SAME")),
              error(lambda: tf.nn.dilation2d(x[:, :2], f, [1, 1, 1, 1], [1, 1, 1, 1], "VALID")),
              error(lambda: tf.nn.dilation2d(tf.ones([1, 2, 2]), tf.ones([1, 1, 2]), [1, 1, 1, 1], [1, 1, 1, 1],
                                             "SAME"))]
    return [[sig(t) for t in [e, e2] + grads], _run(tf, [e, e2, grads]), errors]

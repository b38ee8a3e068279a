"""Recorded cases: tf.conv (the general Conv op: 2-D/3-D, channels last, extra batch dims, dilations, groups) and
the V2 conv backprops, which TF builds but cannot run on a CPU."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402

X = (np.arange(2 * 5 * 6 * 4) % 7 - 3.0).astype(np.float32).reshape(2, 5, 6, 4)
W = (np.arange(3 * 3 * 4 * 2) % 5 - 2.0).astype(np.float32).reshape(3, 3, 4, 2)


def case_conv_values(tf):
    x, w = tf.constant(X), tf.constant(W)
    outs = [tf.conv(x, w, [1, 1, 1, 1], "VALID"), tf.conv(x, w, [1, 2, 1, 1], "SAME"),
            tf.conv(x, w, [1, 1, 1, 1], "SAME", dilations=[1, 2, 2, 1]),
            tf.conv(tf.reshape(x, [2, 1, 5, 6, 4]), w, [1, 1, 1, 1], "VALID", batch_dims=2),
            tf.conv(tf.constant(X[:1, :4, :4, :1].reshape(1, 1, 4, 4, 1)), tf.ones([1, 2, 2, 1, 3]), [1, 1, 1, 1, 1],
                    "SAME"),
            tf.conv(x, w, [1, 1, 1, 1], "EXPLICIT", explicit_paddings=[0, 0, 1, 2, 0, 1, 0, 0])]
    values = run(tf, outs)
    grouped = tf.conv(x, tf.constant(W[:, :, :2]), [1, 1, 1, 1], "VALID", groups=2)  # (no CPU kernel in TF)
    return [describe(tf)[:4], [sig(t)[1:] for t in outs + [grouped]], values, run_error(tf, grouped)]


def case_conv_shapes_errors(tf):
    p = tf.placeholder(tf.float32, [None, 7, None, 4])
    w = tf.constant(W)
    return [sig(tf.conv(p, w, [1, 2, 2, 1], "SAME"))[1:], sig(tf.conv(p, w, [1, 1, 1, 1], "VALID"))[1:],
            sig(tf.conv(tf.placeholder(tf.float32), w, [1, 1, 1, 1], "VALID"))[1:],
            error(lambda: tf.conv(tf.ones([1, 4, 1]), tf.ones([2, 1, 1]), [1, 1, 1], "VALID")),
            error(lambda: tf.conv(tf.ones([1, 4, 4, 3]), tf.ones([2, 2, 1, 2]), [1, 1, 1, 1], "VALID", groups=3)),
            error(lambda: tf.conv(tf.ones([1, 4, 4, 3]), w, [1, 1, 1, 1], "VALID")),
            error(lambda: tf.conv(tf.ones([1, 4, 4, 4], tf.float64), w, [1, 1, 1, 1], "VALID"))]


def case_conv_backprop_v2_graph_only(tf):
    x, w, dy = tf.zeros([1, 4, 4, 1]), tf.ones([2, 2, 1, 1]), tf.ones([1, 3, 3, 1])
    outs = [tf.conv2d_backprop_input_v2(x, w, dy, [1, 1, 1, 1], "VALID"),
            tf.conv2d_backprop_filter_v2(x, w, dy, [1, 1, 1, 1], "VALID"),
            tf.conv2d_backprop_input_v2(tf.placeholder(tf.float32, [None, 5, 5, 2]), tf.ones([3, 3, 2, 4]),
                                        tf.placeholder(tf.float32), [1, 2, 2, 1], "SAME")]
    return [describe(tf, skip=("zeros", "ones", "ones_1", "ones_2", "Placeholder", "Placeholder_1")),
            [sig(t) for t in outs], [run_error(tf, t) for t in outs[:2]]]

"""Recorded cases: extract_image_patches and extract_volume_patches (values, static shapes, gradients, errors)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, sig  # noqa: E402

IMG = np.arange(2 * 5 * 6 * 2, dtype=np.float32).reshape(2, 5, 6, 2)
VOL = np.arange(3 * 4 * 5 * 2, dtype=np.float32).reshape(1, 3, 4, 5, 2)


def case_image_patches(tf):
    x = tf.constant(IMG)
    outs = [tf.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
            tf.extract_image_patches(x, [1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 1, 1], "SAME"),
            tf.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 2, 1], [1, 2, 2, 1], "SAME"),
            tf.extract_image_patches(x, sizes=[1, 1, 1, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="VALID"),
            tf.extract_image_patches(tf.constant(IMG.astype(np.int32)), [1, 5, 6, 1], [1, 1, 1, 1], [1, 1, 1, 1],
                                     "VALID"),
            tf.extract_image_patches(x, [1, 6, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")]
    return [describe(tf), run(tf, outs)]


def case_image_patch_shapes_errors(tf):
    p = tf.placeholder(tf.float32, [None, 7, None, 3])
    shapes = [sig(tf.extract_image_patches(p, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")),
              sig(tf.extract_image_patches(p, [1, 2, 2, 1], [1, 3, 1, 1], [1, 2, 1, 1], "SAME")),
              sig(tf.extract_image_patches(tf.placeholder(tf.float32), [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1],
                                           "SAME"))]
    x = tf.constant(IMG)
    return [shapes, error(lambda: tf.extract_image_patches(x, [2, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")),
            error(lambda: tf.extract_image_patches(x, [1, 2, 2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")),
            error(lambda: tf.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "FULL")),
            error(lambda: tf.extract_image_patches(tf.constant(IMG[0]), [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1],
                                                   "VALID"))]


def case_image_patch_gradients(tf):
    x = tf.constant(IMG.astype(np.float64))
    out = []
    for k, s, r, pad in (([1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"), ([1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 1, 1], "SAME"),
                         ([1, 2, 2, 1], [1, 1, 2, 1], [1, 2, 2, 1], "SAME")):
        y = tf.extract_image_patches(x, k, s, r, pad)
        w = tf.constant(np.cos(np.arange(np.prod(y.shape.as_list()))).reshape(y.shape.as_list()))
        out.append(run(tf, tf.gradients(tf.reduce_sum(y * w), [x])))
    return out


def case_volume_patches(tf):
    x = tf.constant(VOL)
    outs = [tf.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "VALID"),
            tf.extract_volume_patches(x, [1, 2, 3, 2, 1], [1, 2, 2, 3, 1], "SAME"),
            tf.extract_volume_patches(tf.constant(VOL.astype(np.float64)), [1, 1, 2, 1, 1], [1, 2, 1, 1, 1], "SAME")]
    y = tf.extract_volume_patches(tf.constant(VOL.astype(np.float64)), [1, 2, 3, 2, 1], [1, 2, 2, 3, 1], "SAME")
    w = tf.constant(np.sin(np.arange(np.prod(y.shape.as_list()))).reshape(y.shape.as_list()))
    p = tf.placeholder(tf.float32, [None, 6, None, 4, 2])
    return [describe(tf)[:4], [sig(t)[1:] for t in outs], run(tf, outs + tf.gradients(tf.reduce_sum(y * w), [y.op.inputs[0]])),
            sig(tf.extract_volume_patches(p, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "SAME"))[1:],
            error(lambda: tf.extract_volume_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"))]


def case_image_namespace_patches(tf):
    """tf.image's names for them: extract_image_patches (TF1's arguments) and extract_patches (TF2's)."""
    x = tf.constant(np.arange(2 * 4 * 5 * 2, dtype=np.float32).reshape(2, 4, 5, 2))
    outs = [tf.image.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "VALID"),
            tf.image.extract_image_patches(x, sizes=[1, 3, 2, 1], strides=[1, 2, 1, 1], rates=[1, 1, 2, 1],
                                           padding="SAME"),
            tf.image.extract_patches(x, [1, 2, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME", name="p")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]

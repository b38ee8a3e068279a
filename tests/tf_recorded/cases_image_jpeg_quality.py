"""Recorded cases: tf.image.adjust_jpeg_quality and random_jpeg_quality (EncodeJpegVariableQuality, then
DecodeJpeg), values exactly as TF's libjpeg gives them, in uint8 and float images, and their errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, run_error, sig  # noqa: E402

_rng = np.random.default_rng(0)
IMG = np.clip(np.cumsum(_rng.normal(0, 8, (12, 16, 3)), axis=1) + 128, 0, 255).astype(np.uint8)


def case_adjust_jpeg_quality(tf):
    x = tf.constant(IMG)
    outs = [tf.image.adjust_jpeg_quality(x, 10), tf.image.adjust_jpeg_quality(x, 75),
            tf.image.adjust_jpeg_quality(x, tf.constant(100), dct_method="INTEGER_ACCURATE"),
            tf.image.adjust_jpeg_quality(tf.constant(IMG[:, :, :1]), 40, name="gray"),
            tf.image.adjust_jpeg_quality(tf.constant(IMG.astype(np.float32) / 255.0), 60)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_adjust_jpeg_quality_fed(tf):
    img = tf.placeholder(tf.uint8, [None, None, 3])
    q = tf.placeholder(tf.int32, [])
    y = tf.image.adjust_jpeg_quality(img, q)
    with tf.Session() as s:
        out = [s.run(y, {img: IMG, q: v}) for v in (0, 5, 55, 95)]
    return [sig(y), [o.tolist() for o in out],
            kernel_error(tf, y, {img: IMG, q: 101}), kernel_error(tf, y, {img: IMG, q: -1})]


def case_adjust_jpeg_quality_errors(tf):
    # two channels: TF's DecodeJpeg refuses its channels attr before anything runs, raygraph's encoder refuses
    # the image when it runs; the class is the same
    return [run_error(tf, tf.image.adjust_jpeg_quality(tf.constant(IMG[:, :, :2]), 50)),
            error_text(lambda: tf.image.adjust_jpeg_quality(tf.placeholder_with_default(IMG, None), 50)),
            error_text(lambda: tf.image.adjust_jpeg_quality(tf.constant(IMG), [50, 60]))]


def case_random_jpeg_quality(tf):
    tf.set_random_seed(3)
    x = tf.constant(IMG)
    outs = [tf.image.random_jpeg_quality(x, 20, 80, seed=4), tf.image.random_jpeg_quality(x, 0, 100)]
    with tf.Session() as s:
        seeded = [s.run(outs[0]).tolist() for _ in range(2)]
    return [describe(tf), [sig(t) for t in outs], seeded,
            error_text(lambda: tf.image.random_jpeg_quality(x, 50, 50)),
            error_text(lambda: tf.image.random_jpeg_quality(x, -1, 50)),
            error_text(lambda: tf.image.random_jpeg_quality(x, 10, 101))]

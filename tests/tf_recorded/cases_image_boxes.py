"""Recorded cases: tf.image.draw_bounding_boxes (DrawBoundingBoxes and V2): outlines, color tables, boxes partly
or wholly outside the image, inverted boxes, dtypes and errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, sig  # noqa: E402

BOXES = np.array([[[0.1, 0.2, 0.7, 0.9], [0.5, -0.3, 1.4, 0.4], [0.8, 0.1, 0.2, 0.6]],
                  [[0.0, 0.0, 1.0, 1.0], [1.2, 0.0, 1.5, 1.0], [0.35, 0.35, 0.65, 0.55]]], np.float32)


def _images(depth, dtype=np.float32):
    return (np.arange(2 * 6 * 7 * depth).reshape(2, 6, 7, depth) % 5 / 10.0).astype(dtype)


def case_draw_bounding_boxes_default_colors(tf):
    outs = [tf.image.draw_bounding_boxes(tf.constant(_images(d)), tf.constant(BOXES)) for d in (1, 3, 4)]
    half = tf.image.draw_bounding_boxes(tf.constant(_images(3, np.float16)), BOXES, name="half")
    with tf.Session() as s:
        return [[sig(t) for t in outs + [half]], s.run(outs + [half])]


def case_draw_bounding_boxes_color_table(tf):
    colors = np.array([[1.0, 0.5, 0.25, 1.0], [0.0, 0.75, 1.0, 0.5]], np.float32)
    outs = [tf.image.draw_bounding_boxes(tf.constant(_images(d)), tf.constant(BOXES), colors=colors[:, :k])
            for d, k in ((1, 1), (3, 4), (4, 4))]
    empty = tf.image.draw_bounding_boxes(tf.constant(_images(3)), BOXES, colors=np.zeros([0, 3], np.float32))
    ph = tf.placeholder(tf.float32, [None, 6, None, 3])
    fed = tf.image.draw_bounding_boxes(ph, BOXES, colors=colors)
    with tf.Session() as s:
        values = s.run(outs + [empty, fed], {ph: _images(3)})
        runtime = []
        for images, boxes, table in ((_images(2), BOXES, None), (_images(3), BOXES[:1], None),
                                     (_images(3), BOXES[:, :, :3], None), (_images(3), BOXES, colors[:, :2]),
                                     (_images(3), BOXES, colors[0])):
            x = tf.placeholder(tf.float32)
            b = tf.placeholder(tf.float32)
            t = tf.image.draw_bounding_boxes(x, b, colors=None if table is None else tf.placeholder_with_default(
                table, None))
            runtime.append(error(lambda: s.run(t, {x: images, b: boxes})))
    build = [error(lambda: tf.image.draw_bounding_boxes(tf.ones([6, 7, 3]), BOXES)),
             error(lambda: tf.image.draw_bounding_boxes(tf.ones([2, 6, 7, 3]), BOXES[0])),
             error(lambda: tf.image.draw_bounding_boxes(tf.ones([2, 6, 7, 3], tf.float64), BOXES))]
    return [[sig(t) for t in outs + [empty, fed]], values, runtime, build]

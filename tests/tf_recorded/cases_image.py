"""Recorded cases: tf.image (resizing with TF1's align_corners and half-pixel sampling and their gradients,
flips, transposes, dtype conversion, brightness, grayscale)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, sig  # noqa: E402

RNG = np.random.RandomState(3)
IMG = RNG.randint(0, 256, (5, 7, 3)).astype(np.uint8)
BATCH = RNG.rand(2, 4, 6, 2)


def case_resize_images_graph_and_values(tf):
    img = tf.placeholder(tf.uint8, [None, None, 3])
    a = tf.image.resize_images(img, [4, 5])
    b = tf.image.resize_images(img, tf.constant([9, 3]), method=tf.image.ResizeMethod.NEAREST_NEIGHBOR,
                               align_corners=True)
    c = tf.image.resize_images(tf.constant(BATCH), [4, 6])
    return [describe(tf), [sig(t) for t in (a, b, c)], run(tf, [a, b], {img: IMG})]


def case_resize_modes(tf):
    x = tf.constant(BATCH)
    outs = []
    for ac, hp in ((False, False), (True, False), (False, True)):
        for size in ([3, 4], [7, 9], [1, 1]):
            outs += [tf.image.resize_bilinear(x, size, align_corners=ac, half_pixel_centers=hp),
                     tf.image.resize_nearest_neighbor(x, size, align_corners=ac, half_pixel_centers=hp)]
    ints = tf.image.resize_nearest_neighbor(tf.constant(IMG[None]), [3, 10])
    return [[sig(t) for t in outs + [ints]], run(tf, outs + [ints])]


def case_resize_gradients(tf):
    x = tf.constant(BATCH)
    outs = []
    for ac, hp in ((False, False), (True, False), (False, True)):
        b = tf.image.resize_bilinear(x, [7, 3], align_corners=ac, half_pixel_centers=hp)
        n = tf.image.resize_nearest_neighbor(x, [3, 8], align_corners=ac, half_pixel_centers=hp)
        outs += tf.gradients(tf.reduce_sum(b * b), x) + tf.gradients(tf.reduce_sum(n * n), x)
    g = tf.gradients(tf.image.resize_images(tf.placeholder(tf.float32, [1, None, None, 2]), [3, 3]),
                     tf.get_default_graph().get_tensor_by_name("Placeholder:0"))[0]
    return [[op.type for op in tf.get_default_graph().get_operations() if "Grad" in op.type], sig(g),
            run(tf, outs)]


def case_resize_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, None, None, 3])
    s = tf.placeholder(tf.int32, [2])
    a = tf.image.resize_bilinear(p, s)
    b = tf.image.resize_images(p, s)
    same = tf.image.resize_images(tf.constant(BATCH), [4, 6])
    return [sig(a), sig(b), same.op.type, error(lambda: tf.image.resize_images(tf.zeros([2, 3]), [1, 1])),
            error(lambda: tf.image.resize_images(tf.constant(BATCH), [1, 2, 3])),
            error(lambda: tf.image.resize_bilinear(tf.zeros([2, 3, 3]), [1, 1]))]


def case_flips_and_transpose(tf):
    img, batch = tf.constant(IMG), tf.constant(BATCH)
    outs = [tf.image.flip_left_right(img), tf.image.flip_up_down(img), tf.image.flip_left_right(batch),
            tf.image.flip_up_down(batch), tf.image.transpose_image(img), tf.image.transpose_image(batch)]
    p = tf.placeholder(tf.float32, [None, None, 3])
    q = tf.image.flip_left_right(p)
    return [describe(tf), [sig(t) for t in outs + [q]], run(tf, outs),
            error(lambda: tf.image.flip_left_right(tf.zeros([2, 3])))]


def case_convert_brightness_grayscale(tf):
    img = tf.constant(IMG)
    f = tf.image.convert_image_dtype(img, tf.float32)
    outs = [f, tf.image.convert_image_dtype(f, tf.uint8), tf.image.convert_image_dtype(img, tf.int32),
            tf.image.convert_image_dtype(tf.constant([[70000, -5]]), tf.uint8, saturate=True),
            tf.image.convert_image_dtype(f * 1.5, tf.uint8, saturate=True), tf.image.convert_image_dtype(f, tf.float64),
            tf.image.adjust_brightness(img, 0.2), tf.image.adjust_brightness(f, -0.1),
            tf.image.rgb_to_grayscale(img), tf.image.rgb_to_grayscale(f)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_random_flips_and_brightness_seeded(tf):
    tf.set_random_seed(11)
    img, batch = tf.constant(IMG), tf.constant(BATCH.astype(np.float32))
    outs = [tf.image.random_flip_left_right(img, seed=3), tf.image.random_flip_up_down(img, seed=5),
            tf.image.random_flip_left_right(batch, seed=7), tf.image.random_brightness(img, 0.3, seed=9),
            tf.image.random_brightness(batch, 0.5)]
    with tf.Session() as s:
        runs = [s.run(outs) for _ in range(3)]
    return [describe(tf), [sig(t) for t in outs], [[np.asarray(v).tolist() for v in r] for r in runs],
            error(lambda: tf.image.random_brightness(img, -1.0))]


def case_standardization_and_gray_to_rgb(tf):
    img = tf.constant(IMG)
    outs = [tf.image.per_image_standardization(img), tf.image.per_image_standardization(tf.constant(BATCH)),
            tf.image.per_image_standardization(tf.ones([2, 2, 1])),
            tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(img)), tf.image.grayscale_to_rgb(tf.zeros([2, 1]))]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs),
            error(lambda: tf.image.grayscale_to_rgb(tf.zeros([2, 2])))]


def case_central_crop(tf):
    img, batch = tf.constant(IMG), tf.constant(BATCH)
    p = tf.placeholder(tf.float32, [None, None, 2])
    outs = [tf.image.central_crop(img, 0.5), tf.image.central_crop(batch, 0.6), tf.image.central_crop(p, 0.5)]
    same = tf.image.central_crop(img, 1.0)
    return [describe(tf), [sig(t) for t in outs], same.name,
            run(tf, outs, {p: BATCH[0].astype(np.float32)}), error(lambda: tf.image.central_crop(img, 0.0))]

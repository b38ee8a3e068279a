"""Recorded cases: the rest of tf.image (bicubic and area resizing, rotations, crops and pads to boxes, color
conversions and adjustments with their seeded random forms, crop_and_resize, non-max suppression, total
variation, image gradients, Sobel edges, PSNR): static shapes, values, gradients, errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, run, run_error, sig  # noqa: E402

RNG = np.random.RandomState(11)
IMG = RNG.randint(0, 256, (5, 7, 3)).astype(np.uint8)
BATCH = RNG.rand(2, 4, 6, 3).astype(np.float32)
SMALL = RNG.rand(1, 5, 4, 2)


def case_resize_bicubic_and_area(tf):
    x = tf.constant(BATCH)
    outs = []
    for ac, hp in ((False, False), (True, False), (False, True)):
        for size in ([3, 4], [7, 9], [1, 1]):
            outs.append(tf.image.resize_bicubic(x, size, align_corners=ac, half_pixel_centers=hp))
    for ac in (False, True):
        for size in ([3, 4], [7, 9], [2, 5]):
            outs.append(tf.image.resize_area(x, size, align_corners=ac))
    outs += [tf.image.resize_area(tf.constant(IMG[None]), [3, 4]), tf.image.resize_bicubic(tf.constant(IMG[None]), [6, 5]),
             tf.image.resize_images(tf.constant(IMG), [3, 3], method=tf.image.ResizeMethod.BICUBIC),
             tf.image.resize_images(x, [2, 3], method=tf.image.ResizeMethod.AREA, align_corners=True)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_resize_bicubic_gradients(tf):
    x = tf.constant(SMALL)
    outs = []
    for ac, hp in ((False, False), (True, False), (False, True)):
        b = tf.image.resize_bicubic(x, [7, 3], align_corners=ac, half_pixel_centers=hp)
        outs += tf.gradients(tf.reduce_sum(b * b), x)
    types = sorted({op.type for op in tf.get_default_graph().get_operations() if "Grad" in op.type})
    area = tf.image.resize_area(x, [2, 2])
    return [types, run(tf, outs), error(lambda: tf.gradients(area, x))]


def case_rot90(tf):
    img = tf.constant(IMG)
    batch = tf.constant(BATCH)
    p = tf.placeholder(tf.float32, [None, None, 3])
    k = tf.placeholder(tf.int32, [])
    outs = [tf.image.rot90(img, k) for k in (0, 1, 2, 3, -1, 6)] + [tf.image.rot90(batch, 1), tf.image.rot90(batch, 3)]
    dyn = [tf.image.rot90(p), tf.image.rot90(img, k)]
    vals = run(tf, outs)
    with tf.Session() as s:
        dyn_vals = [s.run(dyn[0], {p: BATCH[0]}).tolist(), s.run(dyn[1], {k: 2}).tolist()]
    return [[sig(t) for t in outs + dyn], vals, dyn_vals, error(lambda: tf.image.rot90(img, [1, 2]))]


def case_crop_and_pad_to_bounding_box(tf):
    img = tf.constant(IMG)
    batch = tf.constant(BATCH)
    outs = [tf.image.crop_to_bounding_box(img, 1, 2, 3, 4), tf.image.crop_to_bounding_box(batch, 0, 1, 4, 5),
            tf.image.pad_to_bounding_box(img, 1, 2, 8, 10), tf.image.pad_to_bounding_box(batch, 0, 0, 5, 6)]
    p = tf.placeholder(tf.uint8, [None, None, 3])
    dyn = [tf.image.crop_to_bounding_box(p, 1, 1, 2, 2), tf.image.pad_to_bounding_box(p, 1, 0, 7, 8)]
    errs = [error(lambda: tf.image.crop_to_bounding_box(img, 3, 0, 3, 4)),
            error(lambda: tf.image.crop_to_bounding_box(img, -1, 0, 3, 4)),
            error(lambda: tf.image.pad_to_bounding_box(img, 0, 0, 4, 7)),
            error(lambda: tf.image.crop_to_bounding_box(tf.zeros([2, 3]), 0, 0, 1, 1)),
            run_error(tf, dyn[0], {p: IMG[:2, :2]})]
    vals = run(tf, outs)
    with tf.Session() as s:
        dyn_vals = [v.tolist() for v in s.run(dyn, {p: IMG})]
    return [[sig(t) for t in outs + dyn], vals, dyn_vals, errs]


def case_resize_with_crop_or_pad_and_pad(tf):
    img = tf.constant(IMG)
    batch = tf.constant(BATCH)
    outs = [tf.image.resize_image_with_crop_or_pad(img, 3, 9), tf.image.resize_image_with_crop_or_pad(img, 8, 4),
            tf.image.resize_image_with_crop_or_pad(batch, 4, 6), tf.image.resize_with_crop_or_pad(batch, 3, 3),
            tf.image.resize_image_with_pad(img, 8, 8), tf.image.resize_image_with_pad(batch, 3, 9),
            tf.image.resize_image_with_pad(img, 4, 4, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)]
    p = tf.placeholder(tf.float32, [None, None, 3])
    dyn = tf.image.resize_image_with_crop_or_pad(p, 4, 5)
    with tf.Session() as s:
        dyn_val = s.run(dyn, {p: BATCH[0]}).tolist()
    return [[sig(t) for t in outs + [dyn]], run(tf, outs), dyn_val,
            error(lambda: tf.image.resize_image_with_crop_or_pad(img, 0, 3))]


def case_color_conversions(tf):
    x = tf.constant(BATCH)
    img = BATCH.copy()
    img[0, 0, :3] = [[0.5, 0.5, 0.5], [0.2, 0.7, 0.7], [0, 0, 0]]
    outs = [tf.image.rgb_to_hsv(tf.constant(img)), tf.image.hsv_to_rgb(x), tf.image.rgb_to_hsv(tf.constant(SMALL[..., :1]
                                                                                                         .repeat(3, -1))),
            tf.image.rgb_to_yuv(x), tf.image.yuv_to_rgb(x), tf.image.rgb_to_yiq(x), tf.image.yiq_to_rgb(x),
            tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(x))]
    return [[sig(t) for t in outs], run(tf, outs), error(lambda: tf.image.rgb_to_hsv(tf.zeros([2, 2])))]


def case_adjustments(tf):
    x = tf.constant(BATCH)
    img = tf.constant(IMG)
    outs = [tf.image.adjust_contrast(x, 1.8), tf.image.adjust_contrast(img, 0.5), tf.image.adjust_saturation(x, 0.3),
            tf.image.adjust_saturation(img, 2.0), tf.image.adjust_hue(x, 0.2), tf.image.adjust_hue(img, -0.7),
            tf.image.adjust_gamma(x, 2.0, 1.5), tf.image.adjust_gamma(img, 0.5), tf.image.adjust_hue(x, 1.0)]
    names = [t.op.name for t in outs]
    return [[sig(t) for t in outs], names, run(tf, outs), error(lambda: tf.image.adjust_gamma(x, -1.0)),
            error(lambda: tf.image.adjust_contrast(tf.zeros([2, 2]), 1.0))]


def case_random_color(tf):
    tf.set_random_seed(21)
    x = tf.constant(BATCH)
    outs = [tf.image.random_contrast(x, 0.2, 1.8), tf.image.random_saturation(x, 0.5, 1.5, seed=3),
            tf.image.random_hue(x, 0.3), tf.image.random_brightness(x, 0.2)]
    errs = [error(lambda: tf.image.random_contrast(x, 1.0, 0.5)), error(lambda: tf.image.random_contrast(x, -1.0, 1.0)),
            error(lambda: tf.image.random_saturation(x, 2.0, 1.0)), error(lambda: tf.image.random_hue(x, 0.6)),
            error(lambda: tf.image.random_hue(x, -0.1))]
    with tf.Session() as s:
        first, second = s.run(outs), s.run(outs)
    return [[sig(t) for t in outs], [np.round(v, 4).tolist() for v in first + second], errs]


BOXES = np.array([[0.1, 0.2, 0.8, 0.9], [0.5, 0.5, 0.5, 0.5], [-0.2, 0.3, 1.3, 0.6], [0.9, 0.9, 0.1, 0.2]], np.float32)


def case_crop_and_resize(tf):
    x = tf.constant(BATCH)
    bx = tf.constant(BOXES)
    ind = tf.constant([0, 1, 1, 0])
    outs = []
    for method in ("bilinear", "nearest"):
        for size in ([3, 4], [1, 1]):
            c = tf.image.crop_and_resize(x, bx, ind, size, method=method, extrapolation_value=-1.0)
            outs.append(c)
            outs += tf.gradients(tf.reduce_sum(c * c), [x, bx] if method == "bilinear" else [x])
    ints = tf.image.crop_and_resize(tf.constant(IMG[None]), BOXES[:2], [0, 0], [2, 3])
    p = tf.placeholder(tf.float32, [None, None, None, 3])
    dyn = tf.image.crop_and_resize(p, bx, ind, tf.placeholder(tf.int32, [2]))
    bad = tf.image.crop_and_resize(x, bx, [0, 1, 2, 0], [2, 2])
    return [[sig(t) for t in outs + [ints, dyn]], run(tf, outs + [ints]), run_error(tf, bad),
            error(lambda: tf.image.crop_and_resize(x, bx, ind, [2, 2], method="bicubic"))]


def case_non_max_suppression(tf):
    boxes = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1],
                      [0, 100, 1, 101], [1, 1, 0, 0]], np.float32)
    scores = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.9], np.float32)
    outs = [tf.image.non_max_suppression(boxes, scores, 3), tf.image.non_max_suppression(boxes, scores, 10, 0.5, 0.55),
            tf.image.non_max_suppression(boxes, scores, 10, 0.0), tf.image.non_max_suppression(boxes, scores, 0),
            tf.image.non_max_suppression(boxes, scores, 10, 0.99, name="nms")]
    return [[sig(t) for t in outs], run(tf, outs),
            run_error(tf, tf.image.non_max_suppression(boxes, scores, 3, 1.5))]


def case_differences(tf):
    x = tf.constant(BATCH)
    img = tf.constant(IMG.astype(np.float32))
    dy, dx = tf.image.image_gradients(x)
    outs = [tf.image.total_variation(x), tf.image.total_variation(img), dy, dx, tf.image.sobel_edges(x),
            tf.image.psnr(x, x * 0.9, 1.0), tf.image.psnr(tf.constant(IMG), tf.constant(IMG // 2), 255)]
    grads = tf.gradients(tf.reduce_sum(tf.image.total_variation(x)), x)
    return [[sig(t) for t in outs], run(tf, outs + grads),
            error(lambda: tf.image.image_gradients(img)), error(lambda: tf.image.total_variation(tf.zeros([3])))]


def case_rgb_to_hsv_gradient(tf):
    img = BATCH.astype(np.float64).copy()
    img[0, 0, :4] = [[0.5, 0.5, 0.5], [0.2, 0.7, 0.7], [0.9, 0.9, 0.1], [0.3, 0.1, 0.3]]
    x = tf.constant(img)
    weights = tf.constant(RNG.rand(*img.shape))
    hsv = tf.image.rgb_to_hsv(x)
    grad = tf.gradients(tf.reduce_sum(hsv * weights), x)[0]
    back = tf.gradients(tf.reduce_sum(tf.image.hsv_to_rgb(x)), x)
    return [sig(grad)[1:], run(tf, [grad]), back == [None]]  # (its name counts TF's own Add ops)


def case_ssim(tf):
    a = RNG.rand(2, 16, 13, 3).astype(np.float32)
    b = np.clip(a + RNG.normal(0, 0.1, a.shape), 0, 1).astype(np.float32)
    x, y = tf.constant(a), tf.constant(b)
    outs = [tf.image.ssim(x, y, 1.0), tf.image.ssim(x, x, 1.0), tf.image.ssim(x, y, 1.0, filter_size=5, filter_sigma=0.8),
            tf.image.ssim(tf.constant((a * 255).astype(np.uint8)), tf.constant((b * 255).astype(np.uint8)), 255),
            tf.image.ssim(x, y, 1.0, return_index_map=True)]
    small = error(lambda: tf.image.ssim(tf.zeros([1, 5, 5, 1]), tf.zeros([1, 5, 5, 1]), 1.0))
    return [[sig(t)[1:] for t in outs], run(tf, outs), small]

"""Recorded cases: tf.image.sample_distorted_bounding_box (SampleDistortedBoundingBoxV2): TF's crops bit for bit
for given seeds, run after run; min_object_covered, aspect and area ranges, no boxes, image_size dtypes, the
Inception crop-and-resize snippet, static shapes and errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run_error, sig  # noqa: E402

BOX = np.array([[[0.1, 0.2, 0.5, 0.9]]], np.float32)
BOXES = np.array([[[0.05, 0.1, 0.3, 0.35], [0.4, 0.45, 0.95, 0.9], [0.6, 0.0, 0.62, 0.01]],
                  [[0.0, 0.0, 1.0, 1.0], [0.25, 0.25, 0.5, 0.75], [0.7, 0.7, 0.7, 0.7]]], np.float32)


def _runs(tf, outs, n=4, feed=None):
    """n runs of the same fetches in one session: each run draws anew from the op's stream."""
    with tf.Session() as s:
        return [s.run(outs, feed) for _ in range(n)]


def case_seeds_graph_and_runs(tf):
    outs = [tf.image.sample_distorted_bounding_box([480, 640, 3], BOX, seed=s1, seed2=s2)
            for s1, s2 in ((7, 3), (1, None), (None, 5), (123456789, 987654321))]
    named = tf.image.sample_distorted_bounding_box(tf.constant([100, 80, 1]), BOX, seed=2, name="crop")
    return [describe(tf), [[sig(t) for t in o] for o in outs + [named]], _runs(tf, outs + [named])]


def case_graph_seed_is_not_used(tf):
    tf.set_random_seed(3)  # TF1's function passes seed and seed2 to the op as given
    out = tf.image.sample_distorted_bounding_box([64, 64, 3], BOX)
    with tf.Session() as s:
        begin, size, box = s.run(out)
    ok = (0 <= begin[0] < 64 and 0 < size[0] <= 64 - begin[0] and size[2] == -1 and box.shape == (1, 1, 4))
    return [describe(tf), bool(ok)]


def case_min_object_covered(tf):
    outs = [tf.image.sample_distorted_bounding_box([300, 400, 3], BOXES, seed=11, seed2=s, min_object_covered=m)
            for s, m in ((1, 0.0), (2, 0.9), (3, 1.0), (4, 0.5))]
    m = tf.placeholder(tf.float32, [])
    fed = tf.image.sample_distorted_bounding_box([300, 400, 3], BOXES, seed=11, seed2=9, min_object_covered=m)
    return [[sig(t) for t in fed], _runs(tf, outs + [fed], 3, {m: 0.75})]


def case_no_boxes_use_image(tf):
    empty = np.zeros([1, 0, 4], np.float32)
    outs = [tf.image.sample_distorted_bounding_box([50, 70, 3], empty, seed=4, seed2=s,
                                                   use_image_if_no_bounding_boxes=True, min_object_covered=m)
            for s, m in ((1, 0.1), (2, 0.9))]
    boxes = tf.placeholder(tf.float32, [None, None, 4])
    fed = tf.image.sample_distorted_bounding_box([50, 70, 3], boxes, seed=4, seed2=3,
                                                 use_image_if_no_bounding_boxes=True)
    return [_runs(tf, outs + [fed], 3, {boxes: np.zeros([0, 0, 4], np.float32)}),
            run_error(tf, tf.image.sample_distorted_bounding_box([50, 70, 3], empty, seed=4))]


def case_aspect_and_area_ranges(tf):
    settings = [{"aspect_ratio_range": (0.5, 2.0), "area_range": (0.08, 1.0)},
                {"aspect_ratio_range": (3.0, 4.0), "area_range": (0.5, 1.0)},  # wider than the image allows
                {"aspect_ratio_range": (0.1, 0.2)}, {"area_range": (0.3, 0.3)},
                {"area_range": (0.9, 0.2)},  # min > max: every attempt fails, the whole image
                {"max_attempts": 1}, {"max_attempts": 3, "area_range": (0.01, 0.02), "min_object_covered": 0.0}]
    outs = [tf.image.sample_distorted_bounding_box([37, 211, 3], BOXES, seed=21, seed2=i, **kw)
            for i, kw in enumerate(settings)]
    return [describe(tf)[-3:], _runs(tf, outs, 3)]


def case_small_and_odd_images(tf):
    outs = [tf.image.sample_distorted_bounding_box(size, BOX, seed=8, seed2=i, min_object_covered=0.0,
                                                   area_range=(0.05, 1.0), aspect_ratio_range=(0.3, 3.0))
            for i, size in enumerate(([1, 1, 3], [2, 3, 1], [5, 300, 3], [300, 5, 3], [17, 17, 0]))]
    return _runs(tf, outs, 3)


def case_image_size_dtypes(tf):
    outs = [tf.image.sample_distorted_bounding_box(tf.constant([60, 90, 3], dt), BOX, seed=5, seed2=1)
            for dt in (tf.uint8, tf.int8, tf.int16, tf.int32, tf.int64)]
    return [[[sig(t) for t in o] for o in outs], _runs(tf, outs, 2)]


def case_inception_preprocessing(tf):
    """Inception's distorted_bounding_box_crop: decode, sample a crop, slice it, resize it."""
    pixels = (np.arange(40 * 56 * 3).reshape(40, 56, 3) * 7 % 251).astype(np.uint8)
    image = tf.image.decode_png(tf.image.encode_png(tf.constant(pixels)), channels=3)
    image = tf.image.convert_image_dtype(image, tf.float32)
    bbox = tf.constant([0.0, 0.0, 1.0, 1.0], tf.float32, [1, 1, 4])
    begin, size, box = tf.image.sample_distorted_bounding_box(
        tf.shape(image), bounding_boxes=bbox, seed=42, seed2=7, min_object_covered=0.1,
        aspect_ratio_range=(3. / 4., 4. / 3.), area_range=(0.05, 1.0), max_attempts=100,
        use_image_if_no_bounding_boxes=True)
    crop = tf.slice(image, begin, size)
    crop.set_shape([None, None, 3])
    resized = tf.image.resize_images(crop, [24, 24])
    drawn = tf.image.draw_bounding_boxes(tf.expand_dims(image, 0), box)
    return [sig(crop), sig(resized), _runs(tf, [begin, size, box, tf.shape(crop), resized, tf.reduce_sum(drawn)], 3)]


def case_build_errors(tf):
    bad = [lambda: tf.image.sample_distorted_bounding_box([[480, 640, 3]], BOX),
           lambda: tf.image.sample_distorted_bounding_box([480, 640], BOX),
           lambda: tf.image.sample_distorted_bounding_box([480, 640, 3], BOX[0]),
           lambda: tf.image.sample_distorted_bounding_box([480, 640, 3], BOX[:, :, :3]),
           lambda: tf.image.sample_distorted_bounding_box([480, 640, 3], BOX, min_object_covered=[0.1]),
           lambda: tf.image.sample_distorted_bounding_box([480.0, 640.0, 3.0], BOX),
           lambda: tf.image.sample_distorted_bounding_box(tf.constant([480, 640, 3], tf.uint16), BOX)]
    return [error(f) for f in bad]


def case_run_errors(tf):
    size = tf.placeholder(tf.int32)
    boxes = tf.placeholder(tf.float32)
    m = tf.placeholder(tf.float32)
    fed = tf.image.sample_distorted_bounding_box(size, boxes, seed=1, min_object_covered=m)
    good = {size: [40, 40, 3], boxes: BOX, m: 0.1}
    feeds = [{size: [[40, 40, 3]]}, {size: [40, 40]}, {size: [-40, 40, 3]}, {size: [40, 2 ** 31 - 1, 3]},
             {boxes: BOX[0]}, {boxes: BOX[:, :, :3]}, {m: [0.1, 0.2]}, {m: -0.5},
             {boxes: np.array([[[0.1, 0.2, 1.5, 0.9]]], np.float32)},
             {boxes: np.array([[[-0.1, 0.2, 0.5, 0.9]]], np.float32)}, {boxes: np.zeros([2, 0, 4], np.float32)}]
    errors = [run_error(tf, fed, {**good, **f}) for f in feeds]
    attrs = [{"area_range": (0.0, 1.0)}, {"area_range": (0.1, 1.5)}, {"aspect_ratio_range": (0.0, 1.0)},
             {"aspect_ratio_range": (-1.0, 1.0)}, {"max_attempts": 0}, {"area_range": (0.1, 0.2, 0.3)}]
    for kw in attrs:
        errors.append(run_error(tf, tf.image.sample_distorted_bounding_box([40, 40, 3], BOX, seed=1, **kw)))
    return errors

"""Recorded cases: tf.image.non_max_suppression_with_scores (NonMaxSuppressionV5: hard and Soft-NMS) and
non_max_suppression_overlaps (NonMaxSuppressionWithOverlaps)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, sig  # noqa: E402

BOXES = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1],
                  [0, 100, 1, 101], [0.2, 0.2, 0.8, 0.8], [1, 1, 0, 0]], np.float32)
SCORES = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.9, 0.1], np.float32)


def case_nms_with_scores_hard_and_soft(tf):
    outs = [tf.image.non_max_suppression_with_scores(BOXES, SCORES, 8),
            tf.image.non_max_suppression_with_scores(BOXES, SCORES, 3, iou_threshold=0.4),
            tf.image.non_max_suppression_with_scores(BOXES, SCORES, 8, score_threshold=0.55),
            tf.image.non_max_suppression_with_scores(BOXES, SCORES, 8, soft_nms_sigma=0.5),
            tf.image.non_max_suppression_with_scores(BOXES, SCORES, 8, iou_threshold=0.3, score_threshold=0.2,
                                                     soft_nms_sigma=0.3),
            tf.image.non_max_suppression_with_scores(BOXES, np.full(8, 0.5, np.float32), 8, name="ties")]
    with tf.Session() as s:
        values = s.run(outs)
        bad = [error(lambda: s.run(tf.image.non_max_suppression_with_scores(BOXES, SCORES, 3, iou_threshold=1.5))),
               error(lambda: s.run(tf.image.non_max_suppression_with_scores(BOXES, SCORES, 3, soft_nms_sigma=-1.0))),
               error(lambda: s.run(tf.image.non_max_suppression_with_scores(BOXES, SCORES, -1)))]
    build = [error(lambda: tf.image.non_max_suppression_with_scores(BOXES[0], SCORES, 3)),
             error(lambda: tf.image.non_max_suppression_with_scores(BOXES.astype(np.float16),
                                                                    SCORES.astype(np.float16), 5)),
             error(lambda: tf.image.non_max_suppression_with_scores(BOXES, SCORES, [3]))]
    return [[[sig(t) for t in pair] for pair in outs], values, bad, build]


def case_nms_overlaps(tf):
    overlaps = np.array([[1.0, 0.7, 0.2, 0.0], [0.7, 1.0, 0.6, 0.1], [0.2, 0.6, 1.0, 0.8], [0.0, 0.1, 0.8, 1.0]],
                        np.float32)
    scores = np.array([0.6, 0.9, 0.5, 0.7], np.float32)
    outs = [tf.image.non_max_suppression_overlaps(overlaps, scores, 4),
            tf.image.non_max_suppression_overlaps(overlaps, scores, 4, overlap_threshold=0.65),
            tf.image.non_max_suppression_overlaps(overlaps, scores, 1, overlap_threshold=0.9, name="one"),
            tf.image.non_max_suppression_overlaps(overlaps, scores, 4, score_threshold=0.55)]
    with tf.Session() as s:
        values = s.run(outs)
        bad = [error(lambda: s.run(tf.image.non_max_suppression_overlaps(overlaps[:3], scores[:3], 2))),
               error(lambda: s.run(tf.image.non_max_suppression_overlaps(overlaps, scores[:3], 2)))]
    return [[sig(t) for t in outs], values, bad,
            error(lambda: tf.image.non_max_suppression_overlaps(overlaps[0], scores, 2))]

"""`tf.contrib.deprecated`: TF 1.x's pre-1.0 summary functions (logging_ops.py), which tutorials such as
tensorflow/models' cifar10 still call. Unlike `tf.summary.*` they take the tag as given (a string or a string
tensor, not prefixed by the name scope) and name the op `<name or ScalarSummary, ...>` in the current scope."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import add_to_collection, get_collection, name_scope
from ..graph import GraphKeys
from ..ops.registry import apply_op


def _summary(op_type, default_name, tag_input, tag, inputs, attrs, collections, name):
    """The summary op `op_type` of (tag, *inputs), in SUMMARIES or `collections`."""
    with name_scope(name, default_name, [tag, *inputs]) as scope:
        tag = convert_to_tensor(tag, dtype=dtypes.string, name=tag_input)
        val = apply_op(op_type, [tag, *inputs], attrs, name=scope)
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        add_to_collection(key, val)
    return val


def scalar_summary(tags, values, collections=None, name=None):
    """A Summary of the scalar `values` tagged `tags`."""
    return _summary("ScalarSummary", "ScalarSummary", "tags", tags, [values], {}, collections, name)


def histogram_summary(tag, values, collections=None, name=None):
    """A histogram Summary of `values` tagged `tag`."""
    return _summary("HistogramSummary", "HistogramSummary", "tag", tag, [values], {}, collections, name)


def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    """An image Summary of up to `max_images` images of `tensor`, tagged `<tag>/image/<i>`."""
    attrs = {"max_images": max_images, "bad_color": np.array([255, 0, 0, 255], np.uint8)}
    return _summary("ImageSummary", "ImageSummary", "tag", tag, [tensor], attrs, collections, name)


def audio_summary(tag, tensor, sample_rate, max_outputs=3, collections=None, name=None):
    """An audio Summary of up to `max_outputs` clips of `tensor`, tagged `<tag>/audio/<i>`."""
    with name_scope(name, "AudioSummary", [tag, tensor]) as scope:
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        tag = convert_to_tensor(tag, dtype=dtypes.string, name="tag")
        val = apply_op("AudioSummaryV2", [tag, tensor, rate], {"max_outputs": max_outputs}, name=scope)
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        add_to_collection(key, val)
    return val


def merge_summary(inputs, collections=None, name=None):
    """`tf.summary.merge` under its pre-1.0 name (in no collection unless `collections`)."""
    with name_scope(name, "MergeSummary", inputs):
        val = apply_op("MergeSummary", [list(inputs)], {"N": len(inputs)}, name=name)
    for key in collections or []:
        add_to_collection(key, val)
    return val


def merge_all_summaries(key=GraphKeys.SUMMARIES):
    """`merge_summary` of collection `key`, or None if it is empty."""
    summaries = get_collection(key)
    return merge_summary(summaries) if summaries else None

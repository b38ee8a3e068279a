"""`tf.summary.scalar`, `histogram`, `image`, `text`, `merge`, `merge_all`: ops yielding Summary protobufs.

Each summary op is named by its (name-scoped, uniquified) scope, which is also its tag, and joins the
SUMMARIES collection unless `collections` says otherwise.
"""
import contextlib
import re

from ..convert import constant
from ..default_graph import add_to_collection, get_collection, name_scope
from ..graph import GraphKeys
from ..ops.registry import apply_op

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def clean_tag(name):
    """`name` with characters TensorBoard cannot show replaced by '_' and no leading '/'."""
    if name is None:
        return None
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


@contextlib.contextmanager
def summary_scope(name, family=None, default_name=None, values=None):
    """Yields (tag, scope) for a summary op: the scope names the op, the tag is the scope with `family/`."""
    name, family = clean_tag(name), clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    with name_scope(base, default_name, values=values) as scope:
        tag = scope.rstrip("/") if family is None else f"{family}/{scope.rstrip('/')}"
        yield tag, scope


def _collect(value, collections, default):
    for key in default if collections is None else collections:
        add_to_collection(key, value)


def scalar(name, tensor, collections=None, family=None):
    """A Summary with one `simple_value`, the real scalar `tensor`, tagged by the op's scope name."""
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = apply_op("ScalarSummary", [constant(tag, name="tags"), tensor], {}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def histogram(name, values, collections=None, family=None):
    """A Summary with the histogram of `values` (TensorFlow's buckets), for TensorBoard's Histograms tab."""
    with summary_scope(name, family, default_name="HistogramSummary", values=[values]) as (tag, scope):
        val = apply_op("HistogramSummary", [constant(tag, name="tag"), values], {}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A Summary with up to `max_outputs` PNG images of the [batch, height, width, 1|3|4] `tensor` (uint8,
    or floats scaled per image to 0..255), tagged `<tag>/image/<i>` (`<tag>/image` if max_outputs is 1)."""
    import numpy as np
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = apply_op("ImageSummary", [constant(tag, name="tag"), tensor],
                       {"max_images": max_outputs, "bad_color": np.array([255, 0, 0, 255], np.uint8)}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name, tensor, collections=None):
    """A Summary holding the string `tensor`, for TensorBoard's Text tab."""
    from tensorboard.compat.proto import summary_pb2
    metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    with summary_scope(name, values=[tensor]) as (tag, scope):
        val = apply_op("TensorSummaryV2", [constant(tag, name="tag"), tensor,
                                           constant(metadata.SerializeToString(), name="serialized_summary_metadata")],
                       {}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def merge(inputs, collections=None, name=None):
    """One Summary holding the values of all `inputs` (serialized Summary tensors); duplicate tags fail."""
    with name_scope(name, "Merge", inputs):
        val = apply_op("MergeSummary", [list(inputs)], {"N": len(inputs)}, name=name)
        _collect(val, collections, [])
    return val


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """`merge` of every summary in collection `key` (filtered by `scope`), or None if there are none."""
    summary_ops = get_collection(key, scope=scope)
    if not summary_ops:
        return None
    return merge(summary_ops, name=name)

"""`tf.summary.scalar`, `histogram`, `image`, `audio`, `text`, `tensor_summary`, `merge`, `merge_all`: ops
yielding Summary protobufs; `get_summary_description`, `all_v2_summary_ops` and `initialize`.

Each summary op is named by its (name-scoped, uniquified) scope, which is also its tag, and joins the
SUMMARIES collection unless `collections` says otherwise.
"""
import contextlib
import re

from google.protobuf import json_format
from tensorboard.compat.proto import summary_pb2

from .. import dtypes
from .. import logging as tf_logging
from ..convert import constant, convert_to_tensor
from ..default_graph import add_to_collection, get_collection, name_scope
from ..graph import GraphKeys
from ..ops.registry import apply_op

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def clean_tag(name):
    """`name` with characters TensorBoard cannot show replaced by '_' and no leading '/'."""
    if name is None:
        return None
    new_name = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
    if new_name != name:  # as TF's summary_op_util._clean_tag
        tf_logging.info("Summary name %s is illegal; using %s instead." % (name, new_name))
    return new_name


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


def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """A Summary with up to `max_outputs` WAV clips of the [batch, frames(, channels)] float32 `tensor` in
    [-1, 1], tagged `<tag>/audio/<i>` (`<tag>/audio` if max_outputs is 1)."""
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        sample_rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        if max_outputs < 1:
            raise ValueError(f"Attr 'max_outputs' of 'AudioSummaryV2' Op passed {max_outputs} less than minimum 1.")
        val = apply_op("AudioSummaryV2", [constant(tag, name="tag"), tensor, sample_rate],
                       {"max_outputs": max_outputs}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name, tensor, collections=None):
    """A Summary holding the string `tensor`, for TensorBoard's Text tab."""
    if tensor.dtype != dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got {tensor.dtype}")
    metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    return tensor_summary(name, tensor, collections=collections, summary_metadata=metadata)


def tensor_summary(name, tensor, summary_description=None, collections=None, summary_metadata=None, family=None,
                   display_name=None):
    """A Summary holding `tensor` itself (a TensorProto) and `summary_metadata` (with the description and
    display name set when given)."""
    metadata = summary_pb2.SummaryMetadata() if summary_metadata is None else summary_metadata
    if summary_description is not None:
        metadata.summary_description = summary_description
    if display_name is not None:
        metadata.display_name = display_name
    with summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = apply_op("TensorSummaryV2", [constant(tag, name="tag"), tensor, metadata.SerializeToString()],
                       {}, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def get_summary_description(node_def):
    """The SummaryDescription in the `description` attr (JSON) of a TensorSummary op's NodeDef."""
    if node_def.op != "TensorSummary":
        raise ValueError(f"Can't get_summary_description on {node_def.op}")
    description = summary_pb2.SummaryDescription()
    json_format.Parse(node_def.attr["description"].s.decode(), description)
    return description


def all_v2_summary_ops():
    """The V2-style summary ops of the default graph (its `_SUMMARY_V2` collection); TF1 summaries are not."""
    return get_collection("_SUMMARY_V2")


def initialize(graph=None, session=None):
    """TF's initializer of the default V2 summary writer; raygraph has no V2 summary writers, so, like TF without
    one, it raises RuntimeError."""
    raise RuntimeError("No default tf.contrib.summary.SummaryWriter found")


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

"""Summary ops: each yields a serialized `Summary` protobuf as a scalar string tensor, for a FileWriter.

ScalarSummary, HistogramSummary (TensorFlow's exponential buckets), ImageSummary (PNGs) and TensorSummaryV2
make one (AudioSummaryV2, of WAV clips, is in audio.py); MergeSummary concatenates several. The Python API
(`tf.summary.scalar` ...) is in raygraph/summary.
"""
import sys

import numpy as np
from tensorboard.compat.proto import summary_pb2, tensor_pb2

from .. import dtypes
from ..errors import InvalidArgumentError
from ..graph_def import shape_proto, tensor_proto
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, REALS, op


def tag_text(tag):
    if isinstance(tag, np.ndarray):
        tag = tag.reshape(-1)[0] if tag.size == 1 else tag
    return tag.decode() if isinstance(tag, bytes) else str(tag)


def string_scalar(inputs, attrs):
    return dtypes.string, TensorShape._raw(())


def serialized_summary(summary):
    return np.array(summary.SerializeToString(), dtype=object)


# ----- scalars -----------------------------------------------------------------------------------------
def _scalar_kernel(a, tags, values):
    tags, values = np.asarray(tags, dtype=object), np.asarray(values)
    if tags.shape != values.shape:
        raise InvalidArgumentError(None, None, f"tags and values are not the same shape: {list(tags.shape)} != "
                                   f"{list(values.shape)}")
    summary = summary_pb2.Summary()
    for tag, value in zip(tags.reshape(-1), values.reshape(-1)):
        summary.value.add(tag=tag_text(tag), simple_value=float(value))
    return serialized_summary(summary)


op("ScalarSummary", "tags:string, values:T", kernel=_scalar_kernel, shape=string_scalar, grad=NOT_DIFFERENTIABLE,
   T=REALS)


# ----- histograms --------------------------------------------------------------------------------------
def _default_bucket_limits():
    """TensorFlow's histogram bucket edges: +-1e-12 growing by 10% up to +-1e20, 0, and +-DBL_MAX."""
    positive = []
    v = 1.0e-12
    while v < 1.0e20:
        positive.append(v)
        v *= 1.1
    positive.append(sys.float_info.max)
    return np.array([-x for x in reversed(positive)] + [0.0] + positive)


_LIMITS = _default_bucket_limits()


def histogram_proto(values):
    """A HistogramProto of `values` as TensorFlow's Histogram encodes it (runs of empty buckets merged)."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    counts = np.bincount(np.searchsorted(_LIMITS, v, side="right"), minlength=len(_LIMITS))
    proto = summary_pb2.HistogramProto(
        min=float(v.min()) if v.size else sys.float_info.max, max=float(v.max()) if v.size else -sys.float_info.max,
        num=float(v.size), sum=float(np.cumsum(v)[-1]) if v.size else 0.0,
        sum_squares=float(np.cumsum(v * v)[-1]) if v.size else 0.0)
    i, n = 0, len(_LIMITS)
    while i < n:
        end, count = _LIMITS[i], counts[i]
        i += 1
        while count <= 0 and i < n and counts[i] <= 0:  # a run of empty buckets becomes its last one
            end, count = _LIMITS[i], counts[i]
            i += 1
        proto.bucket_limit.append(float(end))
        proto.bucket.append(float(count))
    return proto


def _histogram_kernel(a, tag, values):
    v = np.asarray(values, dtype=np.float64)
    if np.isnan(v).any():
        raise InvalidArgumentError(None, None, f"Nan in summary histogram for: {tag_text(tag)}")
    if np.isinf(v).any():
        raise InvalidArgumentError(None, None, f"Infinity in summary histogram for: {tag_text(tag)}")
    summary = summary_pb2.Summary()
    summary.value.add(tag=tag_text(tag), histo=histogram_proto(v))
    return serialized_summary(summary)


op("HistogramSummary", "tag:string, values:T", kernel=_histogram_kernel, shape=string_scalar,
   grad=NOT_DIFFERENTIABLE, T=REALS)


# ----- images ------------------------------------------------------------------------------------------
def _as_uint8(images, bad_color):
    """TF's image scaling: uint8 as is; floats mapped by one affine map per image (max -> 255 when all
    values are >= 0, else 0 -> 128 and the largest magnitude -> +-127); non-finite pixels get `bad_color`."""
    if images.dtype == np.uint8:
        return images
    out = np.empty(images.shape, np.uint8)
    for i, image in enumerate(images.astype(np.float32)):
        finite = np.isfinite(image).all(axis=-1)
        values = image[finite] if finite.any() else np.zeros(1, np.float32)
        low, high = float(values.min()), float(values.max())
        if low < 0:
            biggest = max(abs(low), abs(high))
            scale, offset = (0.0 if biggest < 1e-6 else 127.0 / biggest), 128.0
        else:
            scale, offset = (0.0 if high < 1e-6 else 255.0 / high), 0.0
        scaled = np.where(np.isfinite(image), image, 0) * np.float32(scale) + np.float32(offset)
        out[i] = scaled.astype(np.uint8)
        out[i][~finite] = bad_color[:image.shape[-1]]
    return out


def _png(image):
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.fromarray(image[:, :, 0] if image.shape[-1] == 1 else image).save(buffer, format="PNG")
    return buffer.getvalue()


def _image_kernel(a, tag, tensor):
    images = np.asarray(tensor)
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise InvalidArgumentError(None, None, f"Tensor must be 4-D with last dim 1, 3, or 4, not "
                                   f"{list(images.shape)}")
    max_images, base = a.get("max_images", 3), tag_text(tag)
    pixels = _as_uint8(images[:max_images], np.asarray(a.get("bad_color", [255, 0, 0, 255]), np.uint8))
    summary = summary_pb2.Summary()
    for i, image in enumerate(pixels):
        value = summary.value.add(tag=f"{base}/image/{i}" if max_images > 1 else f"{base}/image")
        value.image.height, value.image.width, value.image.colorspace = image.shape
        value.image.encoded_image_string = _png(image)
    return serialized_summary(summary)


op("ImageSummary", "tag:string, tensor:T", kernel=_image_kernel, shape=string_scalar, grad=NOT_DIFFERENTIABLE,
   T=(dtypes.uint8, dtypes.float32, dtypes.float16, dtypes.float64))


# ----- tensors (text) and merging ----------------------------------------------------------------------
def _content_proto(value, dtype):
    """TF's AsProtoTensorContent: a TensorProto with raw bytes even for one element (strings: string_val)."""
    if dtype is dtypes.string:
        return tensor_proto(value, dtype)
    return tensor_pb2.TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=shape_proto(value.shape),
                                  tensor_content=np.ascontiguousarray(value, dtype.as_numpy_dtype).tobytes())


def _tensor_summary_kernel(a, tag, tensor, serialized_metadata):
    if np.ndim(tag) != 0:
        raise InvalidArgumentError(None, None, "tag must be scalar")
    if np.ndim(serialized_metadata) != 0:
        raise InvalidArgumentError(None, None, "serialized_summary_metadata must be scalar")
    summary = summary_pb2.Summary()
    value = summary.value.add(tag=tag_text(tag))
    value.tensor.CopyFrom(_content_proto(np.asarray(tensor), a["T"]))
    value.metadata.ParseFromString(bytes(np.asarray(serialized_metadata, dtype=object)[()]))
    return serialized_summary(summary)


op("TensorSummaryV2", "tag:string, tensor:T, serialized_summary_metadata:string", kernel=_tensor_summary_kernel,
   shape=string_scalar, grad=NOT_DIFFERENTIABLE)


def _merge_kernel(a, *inputs):
    merged, seen = summary_pb2.Summary(), set()
    for serialized in inputs:
        for item in np.asarray(serialized, dtype=object).reshape(-1):
            summary = summary_pb2.Summary()
            try:
                summary.ParseFromString(bytes(item))
            except Exception:  # noqa: BLE001 - protobuf's DecodeError
                raise InvalidArgumentError(None, None, "Could not parse one of the summary inputs") from None
            for value in summary.value:
                if value.tag in seen:
                    raise InvalidArgumentError(None, None, f"Duplicate tag {value.tag} found in summary inputs")
                seen.add(value.tag)
                merged.value.add().CopyFrom(value)
    return serialized_summary(merged)


op("MergeSummary", "inputs:*string", kernel=_merge_kernel, shape=string_scalar, grad=NOT_DIFFERENTIABLE)

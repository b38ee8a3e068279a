"""Tensors as bytes: `serialize_tensor`/`parse_tensor` (a TensorProto), the sparse serializations
(`serialize_sparse`, `serialize_many_sparse`, `deserialize_many_sparse`: one TensorProto per part),
`decode_compressed` (zlib/gzip) and `decode_json_example` (JSON `Example`s to binary), with TF's op types.

The TensorProtos are TensorFlow's own message (the tensorboard package's copy) laid out as TF's kernels
write them: numbers as raw little-endian `tensor_content`, strings in typed `string_val` fields for
SerializeTensor and as TF's encoded string list (all varint lengths, then the bytes) in `tensor_content`
for the sparse parts.
"""
import zlib

import numpy as np
from google.protobuf import json_format
from tensorboard.compat.proto import tensor_pb2

from .. import dtypes
from ..errors import DataLossError, InvalidArgumentError
from ..example_pb2 import Example
from ..graph_def import shape_proto, tensor_value
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .sparse_ops import as_sparse
from .sparse_tensor import SparseTensor


def _np_type(dtype):
    return object if dtype is dtypes.string else dtype.as_numpy_dtype


# ----- TensorProtos ---------------------------------------------------------------------------------------------
def _varint(n):
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _read_varint(data, pos):
    shift = n = 0
    while True:
        b = data[pos]
        n |= (b & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if not b & 0x80:
            return n, pos


def _proto(arr, dtype, strings_as_content):
    """The TensorProto of `arr` (of raygraph dtype `dtype`) in TF's AsProtoTensorContent layout."""
    proto = tensor_pb2.TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=shape_proto(arr.shape))
    if dtype is not dtypes.string:
        proto.tensor_content = np.ascontiguousarray(arr, dtype=dtype.as_numpy_dtype).tobytes()
        return proto
    items = [v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1)]
    if strings_as_content:
        proto.tensor_content = b"".join(_varint(len(v)) for v in items) + b"".join(items)
    else:
        proto.string_val.extend(items)
    return proto


def _proto_value(data, what="serialized"):
    """The numpy value and raygraph dtype of a serialized TensorProto (either string layout)."""
    try:
        proto = tensor_pb2.TensorProto.FromString(data)
        dtype = dtypes.as_dtype(proto.dtype)
    except Exception:  # noqa: BLE001 - any decoding failure is bad input
        raise InvalidArgumentError(None, None, f"Could not parse `{what}` as TensorProto: '{data!r}'") from None
    if dtype is dtypes.string and proto.tensor_content:
        content, pos, sizes = proto.tensor_content, 0, []
        shape = [d.size for d in proto.tensor_shape.dim]
        for _ in range(int(np.prod(shape, dtype=np.int64))):
            n, pos = _read_varint(content, pos)
            sizes.append(n)
        flat = np.empty(len(sizes), dtype=object)
        for i, n in enumerate(sizes):
            flat[i], pos = content[pos:pos + n], pos + n
        return flat.reshape(shape), dtype
    return tensor_value(proto), dtype


def _scalar_bytes(value):
    value = np.asarray(value, dtype=object).item()
    return value if isinstance(value, bytes) else str(value).encode()


def _serialize_tensor(a, x):
    x = np.asarray(x)
    return _proto(x, a["T"], strings_as_content=False).SerializeToString()


def _parse_tensor(a, serialized):
    value, dtype = _proto_value(_scalar_bytes(serialized))
    if dtype is not a["out_type"]:
        raise InvalidArgumentError(None, None, f"Type mismatch between parsed tensor ({dtype.name}) and dtype "
                                               f"({a['out_type'].name})")
    return value


op("SerializeTensor", "tensor:T", kernel=_serialize_tensor, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.string, TensorShape([])))
op("ParseTensor", "serialized:string", kernel=_parse_tensor, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (a["out_type"], TensorShape(None)))


def serialize_tensor(tensor, name=None):
    """`tensor` as a serialized TensorProto (a scalar string)."""
    return apply_op("SerializeTensor", [tensor], {}, name=name)


def parse_tensor(serialized, out_type, name=None):
    """The tensor of a serialized TensorProto (InvalidArgumentError unless its dtype is `out_type`)."""
    return apply_op("ParseTensor", [serialized], {"out_type": dtypes.as_dtype(out_type)}, name=name)


# ----- sparse tensors -------------------------------------------------------------------------------------------
def _serialize_parts(indices, values, shape, dtype, out_type):
    parts = [(np.asarray(indices, np.int64), dtypes.int64), (np.asarray(values, _np_type(dtype)), dtype),
             (np.asarray(shape, np.int64), dtypes.int64)]
    if out_type is dtypes.variant:  # a variant holds the three tensors themselves
        out = np.empty(3, dtype=object)
        out[:] = [p for p, _ in parts]
        return out
    return np.asarray([_proto(p, t, True).SerializeToString() for p, t in parts], dtype=object)


def _serialize_sparse(a, indices, values, shape):
    return _serialize_parts(indices, values, shape, a["T"], a["out_type"])


def _serialize_many_sparse(a, indices, values, shape):
    indices, shape = np.asarray(indices, np.int64), np.asarray(shape, np.int64)
    if shape.size < 2:
        raise InvalidArgumentError(None, None, f"Rank of input SparseTensor should be > 1, but saw rank: "
                                               f"{shape.size}")
    rows = [np.flatnonzero(indices[:, 0] == b) for b in range(int(shape[0]))]
    out = [_serialize_parts(indices[r, 1:], np.asarray(values)[r], shape[1:], a["T"], a["out_type"]) for r in rows]
    return np.stack(out) if out else np.zeros((0, 3), object)


def _deserialize_many_sparse(a, serialized):
    serialized = np.asarray(serialized, dtype=object)
    if serialized.ndim != 2 or serialized.shape[1] != 3:
        raise InvalidArgumentError(None, None, f"Serialized sparse should be a matrix with 3 columns but "
                                               f"received shape {list(serialized.shape)}")
    indices, values, shapes = [], [], []
    for b, row in enumerate(serialized):
        (i, _), (v, vtype), (s, _) = [_proto_value(bytes(x), "serialized_sparse") for x in row]
        if vtype is not a["dtype"]:
            raise InvalidArgumentError(None, None, f"Requested SparseTensor of type {a['dtype'].name} but "
                                                   f"SparseTensor[{b}].values.dtype() == {vtype.name}")
        if shapes and len(s) != len(shapes[0]):
            raise InvalidArgumentError(None, None, f"Inconsistent rank across SparseTensors: rank prior to "
                                                   f"SparseTensor[{b}] was: {len(shapes[0])} but rank of "
                                                   f"SparseTensor[{b}] is: {len(s)}")
        i = i.reshape(-1, len(s))
        indices.append(np.concatenate([np.full((len(i), 1), b, np.int64), i], axis=1))
        values.append(v.reshape(-1))
        shapes.append(s)
    if not shapes:
        raise InvalidArgumentError(None, None, "Serialized sparse should have at least one element")
    dense = np.concatenate([[len(shapes)], np.max(shapes, axis=0)]).astype(np.int64)
    return np.concatenate(indices), np.concatenate(values).astype(_np_type(a["dtype"])), dense


def _deserialize_sparse(a, serialized):
    """TF's DeserializeSparse: [..., 3] boxed SparseTensors (variants, or serialized TensorProtos) stacked into
    one, the leading dims in front and each other dim the largest of the parts'."""
    serialized = np.asarray(serialized, dtype=object)
    dims = serialized.shape
    if not dims:
        raise InvalidArgumentError(None, None, f"Serialized sparse should have non-zero rank {_debug(dims)}")
    if dims[-1] != 3:
        raise InvalidArgumentError(None, None, f"Serialized sparse should have 3 as the last dimension "
                                               f"{_debug(dims)}")
    lead = dims[:-1]
    rows = serialized.reshape(-1, 3)
    if not len(rows):
        raise InvalidArgumentError(None, None, f"Serialized sparse should have at least 1 serialized tensor, but "
                                               f"has a zero dimension {_debug(dims)}")
    parts = [_sparse_parts(row, i, a["dtype"], a["Tserialized"]) for i, row in enumerate(rows)]
    if not lead:
        return parts[0]
    rank = len(parts[0][2])
    for i, (_, _, shape) in enumerate(parts):
        if len(shape) != rank:
            raise InvalidArgumentError(None, None, f"Inconsistent shape across SparseTensors: rank prior to "
                                                   f"SparseTensor[{i}] was: {rank} but rank of SparseTensor[{i}] "
                                                   f"is: {len(shape)}")
    for i, (indices, _, _) in enumerate(parts):
        if indices.shape[1] != rank:
            raise InvalidArgumentError(None, None, f"Expected column counts of SparseTensor[{i}].indices to match "
                                                   f"size of SparseTensor[{i}].shape but they do not: "
                                                   f"{indices.shape[1]} vs. {rank}")
    where = np.array(np.unravel_index(np.arange(len(parts)), lead), dtype=np.int64).T
    indices = np.concatenate([np.concatenate([np.repeat(where[i:i + 1], len(ix), axis=0), ix], axis=1)
                              for i, (ix, _, _) in enumerate(parts)])
    values = np.concatenate([v for _, v, _ in parts]).astype(_np_type(a["dtype"]), copy=False)
    dense = np.concatenate([lead, np.max([s for _, _, s in parts], axis=0)]).astype(np.int64)
    return indices, values, dense


def _debug(dims):
    return "[" + ",".join(str(d) for d in dims) + "]"


def _sparse_parts(row, i, dtype, kind):
    """(indices [n, rank], values [n], dense shape [rank]) of one boxed SparseTensor, checked as TF does."""
    if kind is dtypes.variant:
        (indices, itype), (values, vtype), (shape, stype) = [(np.asarray(x), dtypes.as_dtype(np.asarray(x).dtype))
                                                             if x is not None else (None, None) for x in row]
    else:
        (indices, itype), (values, vtype), (shape, stype) = [_proto_value(bytes(x), "serialized_sparse")
                                                             for x in row]
    if stype is not dtypes.int64:
        raise InvalidArgumentError(None, None, f"Expected serialized_sparse[{i}, 2] to be a vector of DT_INT64 but "
                                               f"received dtype {_type_name(stype)}")
    if shape.ndim != 1:
        raise InvalidArgumentError(None, None, f"Expected serialized_sparse[{i}, 2] to be a shape vector but its "
                                               f"shape is {_debug(shape.shape)}")
    if itype is not dtypes.int64:
        raise InvalidArgumentError(None, None, f"Expected serialized_sparse[{i}, 0] to be a matrix of DT_INT64 but "
                                               f"received dtype {_type_name(itype)}")
    if vtype is not dtype:
        raise InvalidArgumentError(None, None, f"Requested SparseTensor of type {_type_name(dtype)} but "
                                               f"SparseTensor[{i}].values.dtype() == {_type_name(vtype)}")
    return indices.reshape(-1, len(shape)) if indices.ndim != 2 else indices, values.reshape(-1), shape


def _type_name(dtype):
    return dtypes.type_string(dtype) if dtype is not None else "invalid"


def _deserialize_sparse_shape(inputs, a):
    shape = inputs[0].shape.with_rank_at_least(1)
    if shape.ndims is not None and shape[-1].value not in (None, 3):
        raise ValueError(f"Dimension must be 3 but is {shape[-1].value}")
    return [(dtypes.int64, TensorShape([None, None])), (a["dtype"], TensorShape([None])),
            (dtypes.int64, TensorShape([None]))]


def _serialize_sparse_shape(many):
    def shape(inputs, a):
        return a["out_type"], TensorShape([None, 3] if many else [3])
    return shape


op("SerializeSparse", "sparse_indices:int64, sparse_values:T, sparse_shape:int64", kernel=_serialize_sparse,
   grad=NOT_DIFFERENTIABLE, shape=_serialize_sparse_shape(False))
op("SerializeManySparse", "sparse_indices:int64, sparse_values:T, sparse_shape:int64",
   kernel=_serialize_many_sparse, grad=NOT_DIFFERENTIABLE, shape=_serialize_sparse_shape(True))
op("DeserializeSparse", "serialized_sparse:Tserialized", kernel=_deserialize_sparse, grad=NOT_DIFFERENTIABLE,
   shape=_deserialize_sparse_shape, Tserialized="string variant")
op("DeserializeManySparse", "serialized_sparse:string", kernel=_deserialize_many_sparse, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(dtypes.int64, TensorShape([None, None])), (a["dtype"], TensorShape([None])),
                       (dtypes.int64, TensorShape([None]))])


def serialize_sparse(sp_input, name=None, out_type=dtypes.string):
    """A SparseTensor as a 3-vector of serialized TensorProtos (indices, values, dense_shape)."""
    sp = as_sparse(sp_input)
    return apply_op("SerializeSparse", [sp.indices, sp.values, sp.dense_shape],
                    {"out_type": dtypes.as_dtype(out_type)}, name=name)


def serialize_many_sparse(sp_input, name=None, out_type=dtypes.string):
    """A rank-R SparseTensor as [dense_shape[0], 3] serialized rank-(R-1) SparseTensors, one per row."""
    sp = as_sparse(sp_input)
    return apply_op("SerializeManySparse", [sp.indices, sp.values, sp.dense_shape],
                    {"out_type": dtypes.as_dtype(out_type)}, name=name)


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """The SparseTensor of [N, 3] serialized SparseTensors stacked along a new first dimension."""
    indices, values, shape = apply_op("DeserializeManySparse", [serialized_sparse],
                                      {"dtype": dtypes.as_dtype(dtype)}, name=name)
    indices.set_shape([None, None if rank is None else rank])
    shape.set_shape([rank])
    return SparseTensor(indices, values, shape)


# ----- DecodeCompressed, DecodeJSONExample -----------------------------------------------------------------------
def _decode_compressed(a, data):
    kind = a["compression_type"]
    wbits = {"": None, "ZLIB": zlib.MAX_WBITS, "GZIP": 16 + zlib.MAX_WBITS}.get(kind, False)
    if wbits is False:
        raise InvalidArgumentError(None, None, f"Unsupported compression type: {kind}")
    items = np.asarray(data, dtype=object)
    out = np.empty(items.shape, dtype=object)
    for i, v in np.ndenumerate(items):
        try:
            out[i] = v if wbits is None else zlib.decompress(bytes(v), wbits)
        except zlib.error as e:
            raise DataLossError(None, None, f"inflate() failed with error -3: {e}") from None
    return out


def _decode_json_example(a, data):
    items = np.asarray(data, dtype=object)
    out = np.empty(items.shape, dtype=object)
    for i, v in np.ndenumerate(items):
        try:
            out[i] = json_format.Parse(bytes(v).decode(), Example()).SerializeToString()
        except Exception as e:  # noqa: BLE001 - any JSON or field error is bad input
            raise InvalidArgumentError(None, None, f"Error while parsing JSON: {e}") from None
    return out


op("DecodeCompressed", "bytes:string", kernel=_decode_compressed, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.string, i[0].shape))
op("DecodeJSONExample", "json_examples:string", kernel=_decode_json_example, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.string, i[0].shape))


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002 - TF's argument name
    """Each string decompressed ('ZLIB' or 'GZIP'; '' leaves it as it is)."""
    return apply_op("DecodeCompressed", [bytes], {"compression_type": compression_type}, name=name)


def decode_json_example(json_examples, name=None):
    """JSON-encoded `tf.train.Example`s as binary-serialized ones."""
    return apply_op("DecodeJSONExample", [json_examples], {}, name=name)

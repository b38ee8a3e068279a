"""Parsing ops: `tf.train.Example` records (`parse_example`, `parse_single_example` with `FixedLenFeature` and
`VarLenFeature`, the latter as SparseTensors),
`decode_raw` and `decode_csv`, with TF's op types (ParseExampleV2, DecodeRaw, DecodeCSV) and errors."""
import collections
import csv

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..example_pb2 import Example
from ..shape import TensorShape, as_shape
from .array import reshape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .sparse_ops import sparse_merge
from .sparse_tensor import SparseTensor


class FixedLenFeature(collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])):
    """A feature of a known number of values, parsed into a dense tensor of `shape`."""

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any number of values, parsed into a SparseTensor ([batch, position] -> value)."""


class FixedLenSequenceFeature(collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"])):
    """A feature list of steps of `shape` each, parsed into a dense [steps] + shape tensor (batches padded)."""

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class SparseFeature(collections.namedtuple(
        "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"])):
    """A SparseTensor built from an index feature and a value feature (raygraph parses it in `parse_example`)."""

    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        return super().__new__(cls, index_key, value_key, dtype, size, already_sorted)


class RaggedFeature:
    """TF's RaggedFeature: it parses into a RaggedTensor, which raygraph does not have."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("tf.io.RaggedFeature parses into a RaggedTensor; raygraph has no ragged tensors "
                                  "(use VarLenFeature for a SparseTensor)")


# ----- ParseExampleV2 ------------------------------------------------------------------------------------------
_KINDS = {"int64": "int64_list", "float32": "float_list", "string": "bytes_list"}


def _texts(x):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(x, dtype=object).ravel()]


def _parse(record, index):
    try:
        return Example.FromString(record if isinstance(record, bytes) else bytes(record))
    except Exception:  # noqa: BLE001 - any decoding failure is bad input
        raise InvalidArgumentError(None, None, f"Could not parse example input, value: '{record!r}'") from None


def _feature_values(example, key, dtype, default, shape, index):
    feature = example.features.feature.get(key)
    kind = feature.WhichOneof("kind") if feature is not None else None
    if kind is None:
        if default.size == 0:
            raise InvalidArgumentError(None, None, f"Feature: {key} (data type: {dtypes.type_string(dtype)}) is required "
                                                   f"but could not be found.")
        return default
    if kind != _KINDS[dtype.name]:
        raise InvalidArgumentError(None, None, f"Name: <unknown>, Key: {key}, Index: {index}.  Data types don't "
                                               f"match. Expected type: {dtypes.type_string(dtype)}")
    values = list(getattr(feature, kind).value)
    size = int(np.prod(shape, dtype=np.int64))
    if len(values) != size:
        raise InvalidArgumentError(None, None, f"Name: <unknown>, Key: {key}, Index: {index}.  Number of "
                                               f"{dtypes.type_string(dtype)} values != expected.  Values size: "
                                               f"{len(values)} but output shape: [{','.join(map(str, shape))}]")
    return np.asarray(values, dtype=object if dtype is dtypes.string else dtype.as_numpy_dtype).reshape(shape)


def _var_len_values(example, key, dtype, index):
    feature = example.features.feature.get(key)
    kind = feature.WhichOneof("kind") if feature is not None else None
    if kind is None:
        return []
    if kind != _KINDS[dtype.name]:
        raise InvalidArgumentError(None, None, f"Name: <unknown>, Key: {key}, Index: {index}.  Data types don't "
                                               f"match. Expected type: {dtypes.type_string(dtype)}")
    return list(getattr(feature, kind).value)


def _sparse_outputs(examples, keys, types, batched):
    """Each VarLenFeature as (indices [n, 1 or 2], values [n], dense shape): entry j of example b at [b, j]."""
    indices, values, shapes = [], [], []
    for key, dtype in zip(keys, types):
        rows = [_var_len_values(ex, key, dtype, i) for i, ex in enumerate(examples)]
        idx = [[b, j] if batched else [j] for b, row in enumerate(rows) for j in range(len(row))]
        width = max([len(r) for r in rows], default=0)
        indices.append(np.asarray(idx, np.int64).reshape(len(idx), 2 if batched else 1))
        values.append(np.asarray([v for r in rows for v in r], object if dtype is dtypes.string else
                                 dtype.as_numpy_dtype))
        shapes.append(np.asarray([len(rows), width] if batched else [width], np.int64))
    return indices + values + shapes


def _parse_example_kernel(a, serialized, names, sparse_keys, dense_keys, ragged_keys, *defaults):
    records = np.asarray(serialized, dtype=object)
    examples = [_parse(r, i) for i, r in enumerate(records.ravel())]
    outputs = _sparse_outputs(examples, _texts(sparse_keys), a["sparse_types"], records.ndim > 0)
    for key, dtype, shape, default in zip(_texts(dense_keys), a["Tdense"], a["dense_shapes"], defaults):
        shape = tuple(shape.as_list())
        default = np.asarray(default)
        rows = [_feature_values(ex, key, dtype, default, shape, i) for i, ex in enumerate(examples)]
        np_type = object if dtype is dtypes.string else dtype.as_numpy_dtype
        out = np.stack(rows).astype(np_type) if rows else np.zeros((0,) + shape, np_type)
        outputs.append(out.reshape(records.shape + shape))
    return outputs[0] if len(outputs) == 1 else outputs


def _parse_example_shape(inputs, a):
    batch = inputs[0].shape
    rank = None if batch.ndims is None else batch.ndims + 1
    n = a["num_sparse"]
    sparse = [(dtypes.int64, TensorShape([None, rank]))] * n + [(t, TensorShape([None])) for t in a["sparse_types"]] + \
        [(dtypes.int64, TensorShape([rank]))] * n
    return sparse + [(t, batch.concatenate(s)) for t, s in zip(a["Tdense"], a["dense_shapes"])]


op("ParseExampleV2", "serialized:string, names:string, sparse_keys:string, dense_keys:string, ragged_keys:string, "
   "dense_defaults:+Tdense", kernel=_parse_example_kernel, shape=_parse_example_shape, grad=NOT_DIFFERENTIABLE)


def parse_example(serialized, features, name=None, example_names=None):
    """Parses a batch of serialized `Example`s into {key: dense tensor [batch] + shape} (FixedLenFeature) or
    {key: SparseTensor [batch, longest]} (VarLenFeature)."""
    with name_scope(name, "ParseExample"):
        return _parse_example(serialized, features)


def parse_single_example(serialized, features, name=None, example_names=None):
    """Parses one serialized `Example` into {key: dense tensor of the feature's shape} (FixedLenFeature) or
    {key: 1-D SparseTensor} (VarLenFeature)."""
    with name_scope(name, "ParseSingleExample"):
        serialized = convert_to_tensor(serialized, name="serialized")
        with name_scope("ParseExample"):
            return _parse_example(serialized, features)


def _parse_example(serialized, features):
    features, merges = _without_sparse_features(features)
    result = _parse_plain(serialized, features)
    for key, f, extra in merges:
        ids = [result[k] for k in (f.index_key if isinstance(f.index_key, list) else [f.index_key])]
        size = f.size if isinstance(f.size, list) else [f.size]
        result[key] = sparse_merge(ids if len(ids) > 1 else ids[0], result[f.value_key],
                                   size if len(ids) > 1 else size[0], already_sorted=f.already_sorted)
    for k in {k for _, _, extra in merges for k in extra}:
        result.pop(k, None)
    return result


def _without_sparse_features(features):
    """The features with each SparseFeature replaced by VarLenFeatures of its index and value keys, and
    (key, SparseFeature, keys added only for it) to merge after parsing."""
    plain, merges = dict(features), []
    for key in sorted(features):
        f = features[key]
        if isinstance(f, SparseFeature):
            del plain[key]
            parts = [(k, dtypes.int64) for k in (f.index_key if isinstance(f.index_key, list) else [f.index_key])]
            added = [k for k, _ in parts + [(f.value_key, f.dtype)] if k not in features]
            for k, t in parts + [(f.value_key, f.dtype)]:
                plain.setdefault(k, VarLenFeature(t))
            merges.append((key, f, added))
    return plain, merges


def _parse_plain(serialized, features):
    for k in sorted(features):
        if not isinstance(features[k], (FixedLenFeature, VarLenFeature)):
            raise NotImplementedError(f"raygraph parses FixedLenFeature, VarLenFeature and SparseFeature "
                                      f"features; {k} is {type(features[k]).__name__}")
    keys = sorted(k for k in features if isinstance(features[k], FixedLenFeature))
    sparse_keys = sorted(k for k in features if isinstance(features[k], VarLenFeature))
    defaults = []
    for k in keys:
        f = features[k]
        dtype = dtypes.as_dtype(f.dtype)
        if f.default_value is None:
            defaults.append(convert_to_tensor(np.zeros([0], dtype=object if dtype is dtypes.string else
                                                       dtype.as_numpy_dtype), dtype=dtype, name="Const"))
        else:
            value = convert_to_tensor(f.default_value, dtype=dtype, name=f"key_{k}")
            defaults.append(reshape(value, as_shape(f.shape).as_list()))
    sparse_types = [dtypes.as_dtype(features[k].dtype) for k in sparse_keys]
    attrs = {"Tdense": [dtypes.as_dtype(features[k].dtype) for k in keys], "num_sparse": len(sparse_keys),
             "sparse_types": sparse_types, "ragged_value_types": [], "ragged_split_types": [],
             "dense_shapes": [as_shape(features[k].shape) for k in keys]}
    out = apply_op("ParseExampleV2", [serialized, [], sparse_keys, keys, [], defaults], attrs)
    out = out if isinstance(out, list) else [out]
    n = len(sparse_keys)
    result = {k: SparseTensor(out[i], out[n + i], out[2 * n + i]) for i, k in enumerate(sparse_keys)}
    result.update(zip(keys, out[3 * n:]))
    return result


# ----- DecodeRaw -------------------------------------------------------------------------------------------------
def _decode_raw_kernel(a, data):
    items = np.asarray(data, dtype=object)
    dtype = np.dtype(a["out_type"].as_numpy_dtype).newbyteorder("<" if a["little_endian"] else ">")
    flat = [bytes(v) for v in items.ravel()]
    size = len(flat[0]) if flat else 0
    for i, v in enumerate(flat):
        if len(v) != size:
            raise InvalidArgumentError(None, None, f"DecodeRaw requires input strings to all be the same size, but "
                                                   f"element {i} has size {len(v)} != {size}")
    if size % dtype.itemsize:
        raise InvalidArgumentError(None, None, f"Input to DecodeRaw has length {size} that is not a multiple of "
                                               f"{dtype.itemsize}, the size of {a['out_type'].name}")
    out = np.frombuffer(b"".join(flat), dtype=dtype).astype(dtype.newbyteorder("="))
    return out.reshape(items.shape + (size // dtype.itemsize,))


op("DecodeRaw", "bytes:string", kernel=_decode_raw_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (a["out_type"], i[0].shape.concatenate(TensorShape([None]))))


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):
    """Reinterprets the bytes of each string as a vector of `out_type` numbers."""
    data = input_bytes if input_bytes is not None else bytes
    return apply_op("DecodeRaw", [data], {"out_type": dtypes.as_dtype(out_type), "little_endian": little_endian},
                    name=name)


# ----- DecodeCSV -------------------------------------------------------------------------------------------------
def _csv_fields(record, a):
    delim = a["field_delim"]
    if a["use_quote_delim"]:
        return next(csv.reader([record], delimiter=delim, quotechar='"', strict=True))
    return record.split(delim)


def _csv_value(text, default, dtype, column, row, na_value):
    if text == "" or text == na_value:
        if np.size(default) == 0:
            raise InvalidArgumentError(None, None, f"Field {column} is required but missing in record {row}!")
        return np.asarray(default).ravel()[0]
    if dtype is dtypes.string:
        return text.encode()
    try:
        return float(text) if dtype.is_floating else int(text)
    except ValueError:
        raise InvalidArgumentError(None, None, f"Field {column} in record {row} is not a valid "
                                               f"{dtype.name}: {text}") from None


def _decode_csv_kernel(a, records, *defaults):
    items = np.asarray(records, dtype=object)
    types, select = a["OUT_TYPE"], a.get("select_cols") or None
    columns = [[] for _ in defaults]
    for row, record in enumerate(items.ravel()):
        text = record.decode() if isinstance(record, bytes) else str(record)
        fields = _csv_fields(text, a)
        if select:
            fields = [fields[c] if c < len(fields) else "" for c in select]
        if len(fields) != len(defaults):
            raise InvalidArgumentError(None, None, f"Expect {len(defaults)} fields but have {len(fields)} in "
                                                   f"record {row}")
        for c, (field, default, dtype) in enumerate(zip(fields, defaults, types)):
            columns[c].append(_csv_value(field, default, dtype, c, row, a["na_value"]))
    out = [np.asarray(col, dtype=object if t is dtypes.string else t.as_numpy_dtype).reshape(items.shape)
           for col, t in zip(columns, types)]
    return out[0] if len(out) == 1 else out  # one column: the op's one output itself


op("DecodeCSV", "records:string, record_defaults:+OUT_TYPE", kernel=_decode_csv_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(t, i[0].shape) for t in a["OUT_TYPE"]])


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None, na_value="",
               select_cols=None):
    """Splits CSV lines into one tensor per column, typed by `record_defaults` (empty default: required)."""
    with name_scope(name, "DecodeCSV") as scope:
        defaults = [convert_to_tensor(d, name=f"record_defaults_{i}") for i, d in enumerate(record_defaults)]
        attrs = {"field_delim": field_delim, "use_quote_delim": use_quote_delim, "na_value": na_value,
                 "select_cols": list(select_cols or [])}
        out = apply_op("DecodeCSV", [records, defaults], attrs, name=scope)
    return out if isinstance(out, list) else [out]

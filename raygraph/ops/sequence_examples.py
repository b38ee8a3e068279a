"""`tf.train.SequenceExample` records: `parse_single_sequence_example` and `parse_sequence_example`, one
ParseSequenceExampleV2 op as in TF. Context features parse like an Example's (`FixedLenFeature`,
`VarLenFeature`); feature lists parse into a dense [steps] + shape tensor (`FixedLenSequenceFeature`,
batches padded with zeros, their lengths returned by `parse_sequence_example`) or a SparseTensor
[steps, position] (`VarLenFeature`), with a batch dimension first when the input is a vector.
"""
import types

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..example_pb2 import SequenceExample
from ..shape import TensorShape, as_shape
from .array import reshape
from .parsing import (_KINDS, FixedLenFeature, FixedLenSequenceFeature, VarLenFeature,
                      _feature_values, _sparse_outputs, _texts)
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .sparse_tensor import SparseTensor


def _np_type_of(dtype):
    return object if dtype is dtypes.string else dtype.as_numpy_dtype


def _parse(record):
    try:
        return SequenceExample.FromString(record if isinstance(record, bytes) else bytes(record))
    except Exception:  # noqa: BLE001 - any decoding failure is bad input
        raise InvalidArgumentError(None, None, f"Could not parse example input, value: '{record!r}'") from None


def _steps(seq, key, dtype):
    """The values of each step of feature list `key` (None when the list is missing)."""
    fl = seq.feature_lists.feature_list.get(key)
    if fl is None:
        return None
    out = []
    for feature in fl.feature:
        kind = feature.WhichOneof("kind")
        if kind is not None and kind != _KINDS[dtype.name]:
            raise InvalidArgumentError(None, None, f"Name: <unknown>, Feature list: {key}, Index: {len(out)}.  "
                                                   f"Data types don't match. Expected type: "
                                                   f"{dtypes.type_string(dtype)}")
        out.append(list(getattr(feature, kind).value) if kind else [])
    return out


def _dense_lists(seqs, key, dtype, shape, may_miss):
    """Feature list `key` of each example as [steps] + shape, padded with zeros to the longest."""
    size = int(np.prod(shape, dtype=np.int64))
    per_example = []
    for seq in seqs:
        steps = _steps(seq, key, dtype)
        if steps is None:
            if not may_miss:
                raise InvalidArgumentError(None, None, f"Name: <unknown>, Feature list '{key}' is required but "
                                                       f"could not be found.  Did you mean to include it in "
                                                       f"feature_list_dense_missing_assumed_empty or "
                                                       f"feature_list_dense_defaults?")
            steps = []
        values = [v for step in steps for v in step]
        if any(len(step) != size for step in steps):
            raise InvalidArgumentError(None, None, f"Feature list '{key}' has an unexpected number of values.  "
                                                   f"Total values size: {len(values)} is not consistent with "
                                                   f"output shape: [?,{','.join(map(str, shape))}]")
        per_example.append(np.asarray(values, _np_type_of(dtype)).reshape((len(steps),) + shape))
    longest = max((len(v) for v in per_example), default=0)
    out = np.zeros((len(seqs), longest) + shape, _np_type_of(dtype))
    if dtype is dtypes.string:
        out[...] = b""
    for b, v in enumerate(per_example):
        out[b, :len(v)] = v
    return out, np.asarray([len(v) for v in per_example], np.int64)


def _sparse_lists(seqs, key, dtype, batched):
    """Feature list `key` as (indices, values, dense shape): value j of step t of example b at [b, t, j]."""
    idx, vals, longest_steps, longest_row = [], [], 0, 0
    for b, seq in enumerate(seqs):
        steps = _steps(seq, key, dtype) or []
        longest_steps = max(longest_steps, len(steps))
        for t, step in enumerate(steps):
            longest_row = max(longest_row, len(step))
            idx.extend(([b, t, j] if batched else [t, j]) for j in range(len(step)))
            vals.extend(step)
    rank = 3 if batched else 2
    shape = ([len(seqs)] if batched else []) + [longest_steps, longest_row]
    return (np.asarray(idx, np.int64).reshape(len(idx), rank), np.asarray(vals, _np_type_of(dtype)),
            np.asarray(shape, np.int64))


def _kernel(a, serialized, debug_name, ctx_sparse, ctx_dense, ctx_ragged, fl_sparse, fl_dense, fl_ragged,
            missing_ok, *ctx_defaults):
    records = np.asarray(serialized, dtype=object)
    batched = records.ndim > 0
    seqs = [_parse(r) for r in records.ravel()]
    contexts = [types.SimpleNamespace(features=s.context) for s in seqs]
    out = _sparse_outputs(contexts, _texts(ctx_sparse), a["context_sparse_types"], batched)
    for key, dtype, shape, default in zip(_texts(ctx_dense), a["Tcontext_dense"], a["context_dense_shapes"],
                                          ctx_defaults):
        shape = tuple(shape.as_list())
        rows = [_feature_values(c, key, dtype, np.asarray(default), shape, i) for i, c in enumerate(contexts)]
        out.append(np.stack(rows).astype(_np_type_of(dtype)).reshape(records.shape + shape))
    sparse = [_sparse_lists(seqs, k, t, batched) for k, t in zip(_texts(fl_sparse), a["feature_list_sparse_types"])]
    out += [s[i] for i in range(3) for s in sparse]
    may_miss = set(k for k, ok in zip(_texts(fl_dense), np.asarray(missing_ok).ravel()) if ok)
    dense = [_dense_lists(seqs, k, t, tuple(s.as_list()), k in may_miss) for k, t, s in
             zip(_texts(fl_dense), a["feature_list_dense_types"], a["feature_list_dense_shapes"])]
    out += [v if batched else v[0] for v, _ in dense] + [n if batched else n[0] for _, n in dense]
    return out[0] if len(out) == 1 else out


def _shape(inputs, a):
    batch = inputs[0].shape
    if batch.ndims not in (None, 0, 1):
        raise ValueError(f"Shape must be at most rank 1 but is rank {batch.ndims}")
    r = 0 if batch.ndims is None else batch.ndims
    n, m = a["Ncontext_sparse"], a["Nfeature_list_sparse"]
    out = [(dtypes.int64, TensorShape([None, r + 1]))] * n + [(t, TensorShape([None])) for t in
                                                            a["context_sparse_types"]]
    out += [(dtypes.int64, TensorShape([r + 1]))] * n
    out += [(t, batch.concatenate(s)) for t, s in zip(a["Tcontext_dense"], a["context_dense_shapes"])]
    out += [(dtypes.int64, TensorShape([None, r + 2]))] * m + [(t, TensorShape([None])) for t in
                                                             a["feature_list_sparse_types"]]
    out += [(dtypes.int64, TensorShape([r + 2]))] * m
    out += [(t, batch.concatenate([None]).concatenate(s)) for t, s in
            zip(a["feature_list_dense_types"], a["feature_list_dense_shapes"])]
    return out + [(dtypes.int64, batch)] * a["Nfeature_list_dense"]


op("ParseSequenceExampleV2", "serialized:string, debug_name:string, context_sparse_keys:string, "
   "context_dense_keys:string, context_ragged_keys:string, feature_list_sparse_keys:string, "
   "feature_list_dense_keys:string, feature_list_ragged_keys:string, "
   "feature_list_dense_missing_assumed_empty:bool, context_dense_defaults:+Tcontext_dense",
   kernel=_kernel, shape=_shape, grad=NOT_DIFFERENTIABLE)


# ----- the API ----------------------------------------------------------------------------------------------------
def _split(features, allowed, what):
    features = dict(features or {})
    for k in sorted(features):
        if not isinstance(features[k], allowed):
            raise ValueError(f"Unsupported {what} feature type {type(features[k]).__name__} for key {k} "
                             f"(raygraph parses {', '.join(c.__name__ for c in allowed)})")
    dense = sorted(k for k in features if not isinstance(features[k], VarLenFeature))
    return features, sorted(k for k in features if isinstance(features[k], VarLenFeature)), dense


def _context_defaults(ctx, ctx_dense):
    defaults = []
    for k in ctx_dense:
        f, dtype = ctx[k], dtypes.as_dtype(ctx[k].dtype)
        if f.default_value is None:
            defaults.append(convert_to_tensor(np.zeros([0], _np_type_of(dtype)), dtype=dtype, name="Const"))
        else:
            value = convert_to_tensor(f.default_value, dtype=dtype, name=f"key_{k}")
            defaults.append(reshape(value, as_shape(f.shape).as_list()))
    return defaults


def _parse_sequence(serialized, context_features, sequence_features, name=None):
    ctx, ctx_sparse, ctx_dense = _split(context_features, (FixedLenFeature, VarLenFeature), "context")
    seq, fl_sparse, fl_dense = _split(sequence_features, (FixedLenSequenceFeature, VarLenFeature), "sequence")
    if not ctx and not seq:
        raise ValueError("Must provide at least one feature key.")
    for k in fl_dense:
        if seq[k].default_value is not None:
            raise ValueError(f"Value feature_list.dense_defaults[{k}] must be None")
    attrs = {"Ncontext_sparse": len(ctx_sparse), "Tcontext_dense": [dtypes.as_dtype(ctx[k].dtype) for k in ctx_dense],
             "context_sparse_types": [dtypes.as_dtype(ctx[k].dtype) for k in ctx_sparse],
             "context_ragged_value_types": [], "context_ragged_split_types": [],
             "context_dense_shapes": [as_shape(ctx[k].shape) for k in ctx_dense],
             "Nfeature_list_sparse": len(fl_sparse), "Nfeature_list_dense": len(fl_dense),
             "feature_list_dense_types": [dtypes.as_dtype(seq[k].dtype) for k in fl_dense],
             "feature_list_sparse_types": [dtypes.as_dtype(seq[k].dtype) for k in fl_sparse],
             "feature_list_ragged_value_types": [], "feature_list_ragged_split_types": [],
             "feature_list_dense_shapes": [as_shape(seq[k].shape) for k in fl_dense]}
    inputs = [serialized, [], ctx_sparse, ctx_dense, [], fl_sparse, fl_dense, [],
              [bool(seq[k].allow_missing) for k in fl_dense], None]
    with name_scope(name, "ParseSequenceExample"):
        inputs[-1] = _context_defaults(ctx, ctx_dense)
        out = apply_op("ParseSequenceExampleV2", inputs, attrs, name=name)
    out = out if isinstance(out, list) else [out]
    n, m, d = len(ctx_sparse), len(fl_sparse), len(fl_dense)
    context = {k: SparseTensor(out[i], out[n + i], out[2 * n + i]) for i, k in enumerate(ctx_sparse)}
    context.update(zip(ctx_dense, out[3 * n:3 * n + len(ctx_dense)]))
    rest = out[3 * n + len(ctx_dense):]
    lists = {k: SparseTensor(rest[i], rest[m + i], rest[2 * m + i]) for i, k in enumerate(fl_sparse)}
    lists.update(zip(fl_dense, rest[3 * m:3 * m + d]))
    return context, lists, dict(zip(fl_dense, rest[3 * m + d:]))


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None, example_name=None,
                                  name=None):
    """Parses one serialized `SequenceExample` into (context dict, feature-list dict)."""
    with name_scope(name, "ParseSingleSequenceExample"):
        serialized = convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        serialized.shape.with_rank(0)
        context, lists, _ = _parse_sequence(serialized, context_features, sequence_features, name)
        return context, lists


def parse_sequence_example(serialized, context_features=None, sequence_features=None, example_names=None,
                           name=None):
    """Parses a vector of serialized `SequenceExample`s into (context, feature lists, dense lengths)."""
    with name_scope(name, "ParseSequenceExample"):
        serialized = convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        return _parse_sequence(serialized, context_features, sequence_features, name)

"""String ops that join pieces into strings: `StringJoin` (elementwise), `ReduceJoin` (along axes),
`UnsortedSegmentJoin` (by segment), `StringFormat` (tensors summarized into a template, as tf.print shows them) and
`StringNGrams` (n-grams of rows), with TF1's Python functions over them.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError, OutOfRangeError
from ..shape import TensorShape, unknown_shape
from .array import rank, reshape
from .control import _print_element
from .filling import range as range_
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value, dims, merge_dims
from .strings import _b, _text


# ----- joining -----------------------------------------------------------------------------------------
def _string_join(a, *inputs):
    values = np.broadcast_arrays(*[np.asarray(x, object) for x in inputs])
    sep = _b(a.get("separator", b""))
    out = np.empty(values[0].shape, object)
    for i in np.ndindex(out.shape):
        out[i] = sep.join(_b(v[i]) for v in values)
    return out


def _string_join_shape(inputs, a):
    shaped = [t._shape._dims for t in inputs if t._shape._dims != ()]
    out = shaped[0] if shaped else ()
    for d in shaped[1:]:
        out = merge_dims(out, d)
    return dtypes.string, TensorShape._raw(out)


op("StringJoin", "inputs:*string", kernel=_string_join, shape=_string_join_shape, grad=NOT_DIFFERENTIABLE)


def string_join(inputs, separator="", name=None):
    """Joins the strings of `inputs` elementwise (scalars broadcast), with `separator` between them."""
    return apply_op("StringJoin", [list(inputs)], {"N": len(inputs), "separator": separator}, name=name)


def _reduce_axes(axes, ndim):
    axes = [int(v) for v in np.ravel(axes)]
    for v in axes:
        if not -ndim <= v < ndim:
            raise ValueError(f"Invalid reduction dimension {v} for input with {ndim} dimensions.")
    axes = [v % ndim for v in axes]
    return axes


def _reduce_join_kernel(a, x, axes):
    x = np.asarray(x, object)
    flat = [int(v) for v in np.ravel(axes)]
    for v in flat:
        if not -x.ndim <= v < max(x.ndim, 1):
            raise OutOfRangeError(None, None, f"Invalid reduction dimension {v} for input with {x.ndim} "
                                              f"dimension(s)")
    flat = [v % x.ndim for v in flat] if x.ndim else flat
    if len(set(flat)) != len(flat):
        raise InvalidArgumentError(None, None, f"Duplicate reduction dimension {flat[-1]}")
    kept = [d for d in range(x.ndim) if d not in flat]
    # the first listed axis varies fastest in the joined order
    moved = np.transpose(x, kept + flat[::-1]) if x.ndim else x
    lead = tuple(x.shape[d] for d in kept)
    rows = moved.reshape(lead + (-1,)) if x.size else np.empty(lead + (0,), object)
    sep = _b(a.get("separator", b""))
    out = np.empty(lead, object)
    for i in np.ndindex(lead):
        out[i] = sep.join(_b(v) for v in rows[i])
    if a.get("keep_dims", False):
        out = out.reshape(tuple(1 if d in flat else x.shape[d] for d in range(x.ndim)))
    return out


def _reduce_join_shape(inputs, a):
    x, axes = inputs
    d = dims(x)
    value = constant_value(axes)
    keep = a.get("keep_dims", False)
    if d is None:
        return dtypes.string, unknown_shape()
    if value is None:
        return dtypes.string, TensorShape._raw((None,) * len(d)) if keep else unknown_shape()
    flat = set(_reduce_axes(value, len(d)))
    if keep:
        return dtypes.string, TensorShape._raw(tuple(1 if i in flat else n for i, n in enumerate(d)))
    return dtypes.string, TensorShape._raw(tuple(n for i, n in enumerate(d) if i not in flat))


op("ReduceJoin", "inputs:string, reduction_indices:int32", kernel=_reduce_join_kernel, shape=_reduce_join_shape,
   grad=NOT_DIFFERENTIABLE)


def reduce_join(inputs, axis=None, keep_dims=None, separator="", name=None, reduction_indices=None, keepdims=None):
    """Joins the strings of `inputs` along `axis` (all axes when None), the first listed axis fastest."""
    keepdims = keepdims if keepdims is not None else keep_dims
    axis = axis if axis is not None else reduction_indices
    with name_scope(None, "ReduceJoin", [inputs, axis]):
        x = convert_to_tensor(inputs)
        if axis is None:
            n = x._shape.ndims
            axis = convert_to_tensor(np.arange(n - 1, -1, -1, dtype=np.int32)) if n is not None else \
                range_(rank(x) - 1, -1, -1)
        return apply_op("ReduceJoin", [x, axis], {"keep_dims": bool(keepdims), "separator": separator},
                        name=name)


def _segment_join_kernel(a, x, ids, num):
    x, ids, num = np.asarray(x, object), np.asarray(ids), int(num)
    rest = x.shape[ids.ndim:]
    width = int(np.prod(rest, dtype=np.int64))
    parts = [[[] for _ in range(width)] for _ in range(num)]
    for k, (s, row) in enumerate(zip(ids.reshape(-1), x.reshape((ids.size, width)))):
        if s >= num:
            raise InvalidArgumentError(None, None, f"segment_ids[{k}] = {s} is out of range [0, {num})")
        for j, v in enumerate(row if s >= 0 else ()):  # a negative id drops its row
            parts[s][j].append(_b(v))
    sep = _b(a.get("separator", b""))
    out = np.empty((num, width), object)
    for s in range(num):
        for j in range(width):
            out[s, j] = sep.join(parts[s][j])
    return out.reshape((num,) + rest)


def _segment_join_shape(inputs, a):
    x, ids, num = inputs
    dx, di = dims(x), dims(ids)
    if dx is not None and di is not None:
        if len(di) > len(dx):
            raise ValueError(f"Shape must be at least rank {len(di)} but is rank {len(dx)}")
        merge_dims(dx[:len(di)], di)
    n = constant_value(num)
    rest = None if dx is None or di is None else dx[len(di):]
    if rest is None:
        return dtypes.string, unknown_shape()
    return dtypes.string, TensorShape._raw((None if n is None else int(n),) + tuple(rest))


op("UnsortedSegmentJoin", "inputs:string, segment_ids:Tindices, num_segments:Tnumsegments",
   kernel=_segment_join_kernel, shape=_segment_join_shape, grad=NOT_DIFFERENTIABLE, Tindices="int32 int64",
   Tnumsegments="int32 int64")


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Joins the strings of `inputs` whose leading indices share a segment id, one result per segment."""
    return apply_op("UnsortedSegmentJoin", [inputs, segment_ids, num_segments], {"separator": separator}, name=name)


# ----- formatting tensors --------------------------------------------------------------------------
def _format_element(v):
    if isinstance(v, (bytes, np.bytes_)):
        return '"' + _print_element(v) + '"'
    return _print_element(v)


def _summarize_v2(x, limit):
    """TF's Tensor::SummarizeValue for tf.print: the first and last `limit` entries of each dimension."""
    x = np.asarray(x)
    if x.ndim == 0:
        return _format_element(x.reshape(-1)[0] if x.dtype != object else _b(x.item()))
    limit = x.size if limit < 0 else min(limit, x.size)

    def spacing(d):
        return " " if d == x.ndim - 1 else "\n" * (x.ndim - d - 1) + " " * (d + 1)

    def dim(d, index):
        if d == x.ndim:
            v = x[index]
            return _format_element(_b(v) if x.dtype == object else v)
        n, parts = x.shape[d], []
        for i in range(min(limit, n)):
            parts.append((spacing(d) if i else "") + dim(d + 1, index + (i,)))
        if n > 2 * limit:
            parts.append(spacing(d) + "...")
        for i in range(max(limit, n - limit), n):
            parts.append(spacing(d) + dim(d + 1, index + (i,)))
        return "[" + "".join(parts) + "]"
    return dim(0, ())


def _format_kernel(a, *inputs):
    pieces = _text(_b(a.get("template", b"%s"))).split(_text(_b(a.get("placeholder", b"%s"))))
    if len(pieces) != len(inputs) + 1:
        raise InvalidArgumentError(None, None, f"num placeholders in template and num inputs must match: "
                                               f"{len(pieces) - 1} vs. {len(inputs)}")
    out = [pieces[0]]
    for x, piece in zip(inputs, pieces[1:]):
        out += [_summarize_v2(x, a.get("summarize", 3)), piece]
    return np.array("".join(out).encode("utf-8", "surrogateescape"), object)


op("StringFormat", "inputs:+T", kernel=_format_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.string, TensorShape([])))


def string_format(template, inputs, placeholder="{}", summarize=3, name=None):
    """`template` with each `placeholder` replaced by one tensor of `inputs`, summarized as tf.print does."""
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    if template.count(placeholder) != len(inputs):
        raise ValueError(f"The template expects {template.count(placeholder)} tensors, but the inputs only has "
                         f"{len(inputs)}. Please ensure the number of placeholders in template matches inputs length.")
    return apply_op("StringFormat", [list(inputs)], {"template": template, "placeholder": placeholder,
                                                     "summarize": summarize}, name=name)


# ----- n-grams ---------------------------------------------------------------------------------------
def _ngrams_kernel(a, data, splits):
    sep, widths = _b(a["separator"]), a["ngram_widths"]
    left, right, pad, short = _b(a["left_pad"]), _b(a["right_pad"]), a["pad_width"], a["preserve_short_sequences"]
    values, out_splits = [], [0]
    for start, end in zip(splits[:-1], splits[1:]):
        row = [_b(v) for v in data[int(start):int(end)]]
        made = 0
        for w in widths:
            p = w - 1 if pad < 0 else min(pad, w - 1)
            padded = [left] * p + row + [right] * p
            grams = [sep.join(padded[i:i + w]) for i in range(len(padded) - w + 1)]
            values += grams
            made += len(grams)
        if short and made == 0 and row:
            values.append(sep.join([left] * (pad if pad > 0 else 0) + row + [right] * (pad if pad > 0 else 0)))
            made = 1
        out_splits.append(out_splits[-1] + made)
    return np.array(values, object).reshape(-1), np.array(out_splits, splits.dtype)


op("StringNGrams", "data:string, data_splits:Tsplits", kernel=_ngrams_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(dtypes.string, TensorShape([None])), (i[1].dtype.base_dtype, i[1]._shape)],
   Tsplits="int32 int64")


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None, preserve_short_sequences=False,
           name=None):
    """The n-grams of the last dimension of a dense string tensor (of each width in `ngram_width`)."""
    widths = [ngram_width] if isinstance(ngram_width, int) else list(ngram_width)
    left, right = (pad_values, pad_values) if isinstance(pad_values, (str, bytes)) else (pad_values or ("", ""))
    with name_scope(name, "StringNGrams", [data]):
        data = convert_to_tensor(data, dtypes.string, name="data")
        d = dims(data)
        if d is None or None in d or len(d) == 0:
            raise NotImplementedError("tf.strings.ngrams: raygraph supports dense inputs of known shape only "
                                      "(ragged tensors are not implemented)")
        rows, n = int(np.prod(d[:-1], dtype=np.int64)), d[-1]
        pad = -1 if padding_width is None else padding_width
        if pad_values is None:
            pad = 0
        values, _ = apply_op("StringNGrams", [reshape(data, [-1]), np.arange(0, rows * n + 1, n, dtype=np.int64)],
                             {"separator": separator, "ngram_widths": widths, "left_pad": left, "right_pad": right,
                              "pad_width": pad, "preserve_short_sequences": preserve_short_sequences})
        return reshape(values, list(d[:-1]) + [-1])

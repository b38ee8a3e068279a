"""What shape functions work with: static dims, broadcasting and merging with TF's messages, the values of
inputs known while building (`constant_value`, as TF's shape refiner folds them), and TF's text for a failed
shape function (`shape_error`).
"""
import numpy as np

from .. import dtypes
from ..shape import TensorShape, dims_text as _dims_text, merge_dims, unknown_shape  # noqa: F401 (merge_dims)


# ----- TF's text for a node whose shape function failed ----------------------------------------------
_DT = {dtypes.float32: "DT_FLOAT", dtypes.float64: "DT_DOUBLE", dtypes.float16: "DT_HALF"}
_probe = None  # while explaining a shape error: a _Probe recording (or hiding) the input values used


class _Probe:
    """How TF's shape refiner runs a shape function: first with no input values, then again with the values
    of the inputs the previous runs asked for, until it stops asking. `requests`: (input, "value"/"shape")."""

    def __init__(self, inputs, known):
        self.inputs = inputs
        self.known = known
        self.requests = []
        self.error = None

    def hides(self, t, kind):
        """Records a request for `t`; True if `t` is an input whose value this run must not see."""
        for x in self.inputs:
            if x is t:
                self.requests.append((t, kind))
                return not any(k is t for k in self.known)
        return False


class BareShapeError(ValueError):
    """A shape error TF reports without the node text (raised while evaluating a shape input)."""


def _dt_name(d):
    return _DT.get(d) or "DT_" + d.name.upper()


def float_text(x):
    """A float attr as TF writes it in messages: the shortest of 6 or 9 significant digits that reads back
    as the same float32 (1.0 -> "1", 1.44 -> "1.44")."""
    text = f"{x:.6g}"
    return text if np.float32(text) == np.float32(x) else f"{x:.9g}"


def _item_text(x):
    return _dt_name(x) if isinstance(x, dtypes.DType) else float_text(x) if isinstance(x, float) else str(x)


def _attr_text(attrs):
    parts = []
    for k in sorted(attrs):
        v = attrs[k]
        if isinstance(v, dtypes.DType):
            parts.append(f"{k}={_dt_name(v)}")
        elif isinstance(v, bool):
            parts.append(f"{k}={'true' if v else 'false'}")
        elif isinstance(v, (int, float)):
            parts.append(f"{k}={_item_text(v)}")
        elif isinstance(v, str):
            parts.append(f'{k}="{v}"')
        elif isinstance(v, TensorShape):
            parts.append(f"{k}={_dims_text(v._dims)}")
        elif isinstance(v, list):
            parts.append(f"{k}=[{', '.join(_item_text(x) for x in v)}]")
    return ", ".join(parts)


def shape_error(e, entry, scope, flat, attrs):
    """TF's message for a failed shape function: the node, its input shapes and the input values used.

    TF runs a shape function without input values first, then with the values it asked for (see _Probe);
    the message lists the values known in the run that failed.
    """
    if isinstance(e, BareShapeError):
        return str(e)
    known, requested = [], []
    for _ in range(len(flat) + 1):
        probe = _run_probe(entry, flat, attrs, known)
        if probe.error is not None:
            e = probe.error
            requested = [(t, kind) for t, kind in probe.requests if any(k is t for k in known)]
            break
        new = [t for t, _ in probe.requests if not any(k is t for k in known)]
        if not new:
            requested = probe.requests
            break
        known += new
    values, partial = [], []
    for i, t in enumerate(flat):
        kinds = {kind for r, kind in requested if r is t}
        if "shape" in kinds and constant_value_as_shape(t)._dims is not None:
            partial.append(f"input[{i}] = {_dims_text(constant_value_as_shape(t)._dims)}")
        elif kinds:
            v = constant_value(t)
            if v is not None:
                values.append(f"input[{i}] = <{_summarize(v)}>")
    text = (f"{e} for '{{{{node {scope}}}}} = {entry.type}[{_attr_text(attrs)}]"
            f"({', '.join(t._as_node_def_input() for t in flat)})' with input shapes: "
            f"{', '.join(_dims_text(t._shape._dims) for t in flat)}")
    if values:
        text += " and with computed input tensors: " + ", ".join(values)
    if partial:
        text += " and with input tensors computed as partial shapes: " + ", ".join(partial)
    return text + "."


def _run_probe(entry, flat, attrs, known):
    global _probe
    _probe = probe = _Probe(flat, known)
    try:
        entry.shape(flat, attrs)
    except ValueError as e:
        probe.error = e
    finally:
        _probe = None
    return probe


def _summarize(v):
    v = np.asarray(v)
    if v.ndim <= 1:
        return " ".join(str(x) for x in v.reshape(-1))
    return "".join("[" + _summarize(x) + "]" for x in v)


# ----- shape-function helpers ---------------------------------------------------------------------
def dims(t):
    """The raw dims tuple of a tensor's static shape (None for unknown rank)."""
    return t._shape._dims


def same_shape(inputs, attrs):
    """Output like the first input (unary elementwise ops)."""
    x = inputs[0]
    return x.dtype.base_dtype, x._shape


def broadcast_dims(a, b):
    """Static broadcast of two raw dims tuples, with TF's error for incompatible dimensions."""
    if a is None or b is None:
        return None
    if a == b:
        return a
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + a
    b = (1,) * (n - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y if y is not None and y > 1 else None)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y}")
    return tuple(out)


def merge_all_dims(tensors):
    """The merge of several tensors' shapes, from the last one back (TF's AddN/Pack shape functions)."""
    cur = tensors[-1]._shape._dims
    for i in range(len(tensors) - 2, -1, -1):
        try:
            cur = merge_dims(tensors[i]._shape._dims, cur)
        except ValueError as e:
            raise ValueError(f"{e}\n\tFrom merging shape {i} with other shapes.") from None
    return cur


def broadcast_shape(inputs, attrs):
    """Output of a broadcasting binary op: dtype of the first input, broadcast shape."""
    x, y = inputs
    return x.dtype.base_dtype, TensorShape._raw(broadcast_dims(x._shape._dims, y._shape._dims))


def bool_broadcast_shape(inputs, attrs):
    return dtypes.bool_, broadcast_shape(inputs, attrs)[1]


def with_rank(t, rank):
    d = t._shape._dims
    if d is not None and len(d) != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {len(d)}")
    return d if d is not None else (None,) * rank


_NEVER_FOLD = {"Placeholder", "PlaceholderWithDefault", "Switch", "Merge", "Enter", "Exit", "NextIteration",
               "LoopCond", "Print", "Assert"}
_FOLD_DEPTH = 8      # how far back constant_value evaluates (TF evaluates small constant subgraphs)
_FOLD_SIZE = 10000   # and values up to this many elements


def constant_value(t, _depth=0):
    """The value of `t` if it can be known while building the graph, else None.

    Like TF's shape refiner: Consts, shapes known statically (Shape, Size, Rank, slices of a Shape) and
    small subgraphs of stateless ops over those, evaluated with their kernels.
    """
    if _probe is not None and _probe.hides(t, "value"):
        return None
    op = t.op
    kind = op.type
    if kind == "Const":
        return op._attrs["value"]
    if kind in ("Shape", "Size", "Rank"):
        d = dims(op.inputs[0])
        if d is None or (kind != "Rank" and None in d):
            return None
        out = len(d) if kind == "Rank" else d if kind == "Shape" else int(np.prod(d, dtype=np.int64))
        return np.array(out, dtype=np.int32 if kind == "Rank" else op._attrs["out_type"].as_numpy_dtype)
    if kind == "StridedSlice" and op.inputs[0].op.type == "Shape":
        return _shape_slice(op, _depth)
    return _fold(t, _depth)


def _fold(t, depth):
    """`t` computed by its op's kernel, if every input is known (and small) and the op is stateless."""
    op = t.op
    entry = op._def
    if (depth >= _FOLD_DEPTH or entry is None or entry.stateful or entry.kernel is None
            or op.type in _NEVER_FOLD or not op._outputs):
        return None
    values = []
    for x in op._inputs:
        v = constant_value(x, depth + 1)
        if v is None or np.size(v) > _FOLD_SIZE:
            return None
        values.append(v)
    try:
        out = entry.kernel(op._attrs, *values)
    except Exception:  # noqa: BLE001 - the run will report it; statically the value is just unknown
        return None
    return np.asarray(out[t._value_index] if len(op._outputs) > 1 else out)


def _shape_slice(op, depth):
    """A StridedSlice of a Shape, known where it selects only known dims (TF infers it from the shape)."""
    d = dims(op.inputs[0].op.inputs[0])
    parts = [constant_value(x, depth + 1) for x in op.inputs[1:]]
    if d is None or any(p is None for p in parts):
        return None
    try:
        picked = op._def.kernel(op._attrs, np.array(d, dtype=object), *parts)
    except Exception:  # noqa: BLE001
        return None
    if any(v is None for v in np.ravel(picked)):
        return None
    return np.asarray(picked, dtype=op._outputs[0].dtype.as_numpy_dtype)


def _partial_shape_slice(op):
    """A 1-D StridedSlice of a Shape (or of one output of a ShapeN) as a partial shape (the dims it selects,
    known or not)."""
    shape_of = op.inputs[0]
    d = dims(shape_of.op.inputs[shape_of.value_index])
    parts = [constant_value(x) for x in op.inputs[1:]]
    a = op._attrs
    if d is None or any(p is None for p in parts) or a["ellipsis_mask"] or a["new_axis_mask"] or \
            a["shrink_axis_mask"]:
        return None
    try:
        picked = op._def.kernel(a, np.array(d, dtype=object), *parts)
    except Exception:  # noqa: BLE001
        return None
    return TensorShape._raw(tuple(picked)) if np.ndim(picked) == 1 else None


def constant_value_as_shape(t):
    """A 1-D shape tensor's partially known value, as a TensorShape (TF's constant_value_as_shape)."""
    d = dims(t)
    if _probe is not None and _probe.hides(t, "shape"):
        return unknown_shape(d[0] if d is not None and len(d) == 1 else None)
    if d is not None and len(d) == 0:
        v = constant_value(t)
        if v is not None:
            return unknown_shape(int(v))
    op = t.op
    if op.type in ("Shape", "ShapeN"):
        return op.inputs[t.value_index].shape
    if op.type == "Pack":
        out = []
        for x in op.inputs:
            v = constant_value(x)
            out.append(None if v is None or int(v) < 0 else int(v))
        return TensorShape._raw(tuple(out))
    if op.type == "ConcatV2":
        out = TensorShape._raw(())
        for x in op.inputs[:-1]:
            out = out.concatenate(constant_value_as_shape(x))
        return out
    if op.type == "StridedSlice" and op.inputs[0].op.type in ("Shape", "ShapeN"):
        partial = _partial_shape_slice(op)
        if partial is not None:
            return partial
    v = constant_value(t)
    if v is not None:
        for x in np.ravel(v):
            if int(x) < -1:
                raise BareShapeError(f"Invalid value in tensor used for shape: {int(x)}")
        return TensorShape._raw(tuple(None if int(x) < 0 else int(x) for x in np.ravel(v)))
    n = d[0] if d is not None and len(d) == 1 else None
    return unknown_shape(n)

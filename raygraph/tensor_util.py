"""TF's tensor utilities: TensorProtos to and from numpy, and what can be known of a tensor while building."""
import numpy as np
from tensorboard.compat.proto import tensor_pb2

from . import dtypes
from .convert import _fit_shape, to_numpy
from .graph_def import tensor_proto, tensor_value
from .tensor import Tensor
from .ops.indexed_slices import IndexedSlices
from .ops.shape_fns import constant_value
from .ops.sparse_tensor import SparseTensor

# the ops TF's constant_value evaluates while building (tensor_util._ConstantValue); nothing else folds
_SHAPE_OPS = ("Const", "Shape", "Size", "Rank")
_EVALUATED = ("Range", "Cast", "Concat", "ConcatV2", "Pack", "Fill", "Equal", "NotEqual", "StopGradient",
              "Identity")


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """A TensorProto of `values` (numpy or Python values) with TF's dtype choices; `shape` fills or checks."""
    if isinstance(values, tensor_pb2.TensorProto):
        return values
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    arr, dt = to_numpy(values, dtype)
    if shape is None:
        return tensor_proto(arr, dt)
    shape = [int(d) for d in shape]
    if allow_broadcast and arr.size != 1 and list(arr.shape) != shape:
        arr = np.broadcast_to(arr, shape)
    full = _fit_shape(arr, shape, verify_shape)  # checks the shape and the number of values
    # fewer values than the shape holds: TF keeps just those (a reader repeats the last one)
    return tensor_proto(full, dt, arr.size if arr.size < full.size else None)


def make_ndarray(tensor):
    """The numpy array a TensorProto holds (a short value list repeats its last value, as in TF)."""
    tensor.tensor_shape  # noqa: B018 - anything but a TensorProto fails here, as in TF (AttributeError)
    return tensor_value(tensor)


def is_tensor(x):
    """Whether `x` is a graph value: a Tensor, SparseTensor, IndexedSlices or Variable."""
    return isinstance(x, (Tensor, SparseTensor, IndexedSlices)) or hasattr(x, "_as_graph_element")


def is_symbolic_tensor(x):
    """Whether `x` is a (graph) Tensor: everything is symbolic in TF1's graph mode, and only Tensors count."""
    return isinstance(x, Tensor)


def get_static_value(tensor, partial=False):
    """`tensor`'s value if it is known while building (TF's constant_value), else None; non-tensors as given."""
    if not is_tensor(tensor):
        return tensor
    if not isinstance(tensor, Tensor):
        return None
    return _static(tensor, partial)


def _static(t, partial):
    op = t.op
    if op.type in _SHAPE_OPS:
        return constant_value(t)
    if op.type == "Pack" and partial:
        parts = [_static(x, partial) for x in op.inputs]
        return np.array(parts, dtype=None if all(p is not None for p in parts) else object)
    if op.type in ("Equal", "NotEqual"):  # TF compares with numpy: a numpy bool, not an array
        x, y = (_static(i, False) for i in op.inputs)
        return None if x is None or y is None else (np.equal if op.type == "Equal" else np.not_equal)(x, y)
    if op.type not in _EVALUATED:
        return None
    values = [_static(x, False) for x in op.inputs]
    if any(v is None for v in values):
        return None
    out = op._def.kernel(op._attrs, *values)
    return np.asarray(out) if not isinstance(out, np.generic) else out

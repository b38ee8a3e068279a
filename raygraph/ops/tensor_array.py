"""`TensorArray`: TF1's TensorArrayV3 op family and the Python object over it.

A TensorArray's handle is, on the device, a `_Store` made afresh by each step that runs its TensorArrayV3
op: the elements written so far (a list, None where unwritten). Its `flow` is a float scalar that each
write returns anew and each read takes: ops that use the array are ordered by the flow they pass on.
Gradients go to a second store kept by the first one per gradient source (TensorArrayGradV3), where
writes to one index add up.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape, as_shape, unknown_shape
from ..tensor import Tensor
from .array import shape
from .filling import range as range_
from .registry import NOT_DIFFERENTIABLE, apply_op, constant_value, op
from .slicing import strided_slice


class _Store:
    """A TensorArray's elements on the device."""

    __slots__ = ("values", "dynamic", "dtype", "element_shape", "grads", "accumulate", "clear_after_read", "cleared",
                 "identical")

    def __init__(self, size, dynamic, dtype, element_shape, accumulate=False, clear_after_read=False,
                 identical=False):
        self.values = [None] * int(size)
        self.identical = identical  # infer_shape: the first write fixes the element shape (TF's kernel)
        self.clear_after_read = clear_after_read
        self.cleared = set()
        self.dynamic = dynamic
        self.dtype = dtype
        self.element_shape = element_shape
        self.grads = {}
        self.accumulate = accumulate  # a gradient array: writes to one index add up

    def write(self, index, value):
        index = int(index)
        if index < 0:
            raise InvalidArgumentError(None, None, f"Tried to write to index {index} but array size is: "
                                                   f"{len(self.values)}")
        if index >= len(self.values):
            if not self.dynamic:
                raise InvalidArgumentError(None, None, f"Tried to write to index {index} but array is not "
                                                       f"resizeable and size is: {len(self.values)}")
            self.values.extend([None] * (index + 1 - len(self.values)))
        old = self.values[index]
        if old is not None and not self.accumulate:
            raise InvalidArgumentError(None, None, f"Could not write to TensorArray index {index} because it has "
                                                   f"already been written to.")
        value = np.asarray(value)
        if self.identical and self.element_shape is None:
            self.element_shape = value.shape
        self.values[index] = value if old is None else old + value

    def read(self, index):
        index = int(index)
        if not 0 <= index < len(self.values):
            raise InvalidArgumentError(None, None, f"Tried to read from index {index} but array size is: "
                                                   f"{len(self.values)}")
        value = self.values[index]
        if index in self.cleared:
            raise InvalidArgumentError(None, None, f"Could not read index {index} twice because it was cleared after "
                                                   f"a previous read (perhaps try setting clear_after_read = false?)")
        if self.clear_after_read and value is not None:
            self.cleared.add(index)
        if value is None:  # TF: an unwritten element reads as zeros once the element shape is fully known
            if self.element_shape is not None:
                return np.zeros(self.element_shape, self.dtype)
            raise InvalidArgumentError(None, None, f"Could not read from TensorArray index {index}.  Furthermore, "
                                                   f"the element shape is not fully defined: <unknown>.  It is "
                                                   f"possible you are working with a resizeable TensorArray and "
                                                   f"stop_gradients is not allowing the gradients to be written.  If "
                                                   f"you set the full element_shape property on the forward "
                                                   f"TensorArray, the proper all-zeros tensor will be returned "
                                                   f"instead of incurring this error.")
        return value

    def grad(self, source):
        g = self.grads.get(source)
        if g is None:
            shape = self.element_shape
            if shape is None and any(v is not None for v in self.values):
                shape = next(v.shape for v in self.values if v is not None)
            g = self.grads[source] = _Store(len(self.values), self.dynamic, self.dtype, shape, accumulate=True,
                                            identical=self.identical)
        return g


def _np(dtype):
    return dtype.base_dtype.as_numpy_dtype


def _known(shape):
    return tuple(shape.as_list()) if shape.is_fully_defined() else None


def _create(a, size):
    return _Store(size, a["dynamic_size"], _np(a["dtype"]), _known(a["element_shape"]),
                  clear_after_read=a["clear_after_read"], identical=a["identical_element_shapes"]), np.float32(0)


def _stacked(store, indices, element_shape):
    values = [store.read(i) for i in indices]
    if not values:
        shape = store.element_shape or (_known(element_shape) if element_shape is not None else None)
        if shape is None:
            raise InvalidArgumentError(None, None, "TensorArray has size zero, but element shape <unknown> is not "
                                                   "fully defined. Currently only static shapes are supported "
                                                   "when packing zero-size TensorArrays.")
        return np.zeros((0,) + tuple(shape), store.dtype)
    return np.stack(values).astype(store.dtype, copy=False)


def _write(a, store, index, value, flow):
    store.write(index, value)
    return np.float32(0)


def _scatter(a, store, indices, value, flow):
    value = np.asarray(value)
    for k, i in enumerate(np.asarray(indices).reshape(-1)):
        store.write(i, value[k])
    return np.float32(0)


def _split(a, store, value, lengths, flow):
    value = np.asarray(value)
    start = 0
    for i, n in enumerate(np.asarray(lengths).reshape(-1)):
        store.write(i, value[start:start + int(n)])
        start += int(n)
    return np.float32(0)


def _concat(a, store, flow):
    values = [store.read(i) for i in range(len(store.values))]
    lengths = np.array([v.shape[0] for v in values], np.int64)
    if not values:
        rest = _known(a["element_shape_except0"]) or ()
        return np.zeros((0,) + rest, store.dtype), lengths
    return np.concatenate(values).astype(store.dtype, copy=False), lengths


def _grad_kernel(a, store, flow):
    return store.grad(a["source"]), np.float32(0)


# ----- shapes -----------------------------------------------------------------------------------------------
def _create_shape(inputs, a):
    return [(dtypes.resource, TensorShape([2])), (dtypes.float32, TensorShape([]))]


def _flow_shape(inputs, a):
    return [(dtypes.float32, TensorShape([]))]


def _read_shape(inputs, a):
    return [(a["dtype"], unknown_shape())]


def _gather_shape(inputs, a):
    element = a.get("element_shape", unknown_shape())
    return [(a["dtype"], TensorShape([None]).concatenate(element) if element.ndims is not None else unknown_shape())]


def _concat_shape(inputs, a):
    rest = a.get("element_shape_except0", unknown_shape())
    shape = TensorShape([None]).concatenate(rest) if rest.ndims is not None else unknown_shape()
    return [(a["dtype"], shape), (dtypes.int64, TensorShape([None]))]


def _size_shape(inputs, a):
    return [(dtypes.int32, TensorShape([]))]


def _grad_shape(inputs, a):
    return _create_shape(inputs, a)


# ----- gradients (TF1's tensor_array_grad) -------------------------------------------------------------------
def _source(grad):
    """The gradient's source: the name scope of the `gradients` call that made it."""
    parts = grad.name.split("/")
    return next((p for p in parts if p.startswith("gradients")), "gradients")


def _grad_array(handle, flow, dtype, source):
    g_handle, g_flow = apply_op("TensorArrayGradV3", [handle, flow], {"source": source})
    return TensorArray(dtype, handle=g_handle, flow=g_flow)


def _read_grad(op, grad):
    handle, index, flow = op.inputs
    g = _grad_array(handle, flow, op._attrs["dtype"], _source(grad))
    return [None, None, g.write(index, grad).flow]


def _write_grad(op, flow):
    handle, index = op.inputs[0], op.inputs[1]
    g = _grad_array(handle, flow, op._attrs["T"], _source(flow))
    return [None, None, g.read(index), flow]


def _gather_grad(op, grad):
    handle, indices, flow = op.inputs
    g = _grad_array(handle, flow, op._attrs["dtype"], _source(grad))
    return [None, None, g.scatter(indices, grad).flow]


def _scatter_grad(op, flow):
    handle, indices = op.inputs[0], op.inputs[1]
    g = _grad_array(handle, flow, op._attrs["T"], _source(flow))
    return [None, None, g.gather(indices), flow]


def _concat_grad(op, grad, _lengths_grad):
    handle, flow = op.inputs
    g = _grad_array(handle, flow, op._attrs["dtype"], _source(grad))
    return [None, g.split(grad, lengths=op.outputs[1]).flow]


def _split_grad(op, flow):
    g = _grad_array(op.inputs[0], flow, op._attrs["T"], _source(flow))
    return [None, g.concat(), None, flow]


op("TensorArrayV3", "size:int32", kernel=_create, shape=_create_shape, grad=NOT_DIFFERENTIABLE)
op("TensorArrayGradV3", "handle:resource, flow_in:float32", kernel=_grad_kernel, shape=_grad_shape,
   grad=NOT_DIFFERENTIABLE)
op("TensorArrayWriteV3", "handle:resource, index:int32, value:T, flow_in:float32", kernel=_write, shape=_flow_shape,
   grad=_write_grad)
op("TensorArrayReadV3", "handle:resource, index:int32, flow_in:float32",
   kernel=lambda a, store, index, flow: store.read(index), shape=_read_shape, grad=_read_grad)
op("TensorArrayGatherV3", "handle:resource, indices:int32, flow_in:float32",
   kernel=lambda a, store, indices, flow: _stacked(store, np.asarray(indices).reshape(-1),
                                                    a.get("element_shape")),
   shape=_gather_shape, grad=_gather_grad)
op("TensorArrayScatterV3", "handle:resource, indices:int32, value:T, flow_in:float32", kernel=_scatter,
   shape=_flow_shape, grad=_scatter_grad)
op("TensorArrayConcatV3", "handle:resource, flow_in:float32", kernel=_concat, shape=_concat_shape, grad=_concat_grad)
op("TensorArraySplitV3", "handle:resource, value:T, lengths:int64, flow_in:float32", kernel=_split,
   shape=_flow_shape, grad=_split_grad)
op("TensorArraySizeV3", "handle:resource, flow_in:float32",
   kernel=lambda a, store, flow: np.int32(len(store.values)), shape=_size_shape, grad=NOT_DIFFERENTIABLE)
op("TensorArrayCloseV3", "handle:resource", kernel=lambda a, store: None, shape=lambda inputs, a: [],
   grad=NOT_DIFFERENTIABLE)


# ----- the Python object -------------------------------------------------------------------------------------
class TensorArray:
    """A list of tensors of one dtype that graph ops write and read (TF1's graph-mode TensorArray)."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None, tensor_array_name=None,
                 handle=None, flow=None, infer_shape=True, element_shape=None, colocate_with_first_write_call=True,
                 name=None):
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._infer_shape = infer_shape
        self._element_shape = [as_shape(element_shape) if element_shape is not None else unknown_shape()]
        self._dynamic_size = bool(dynamic_size)
        self._size = None
        if handle is not None:
            if size is not None:
                raise ValueError("Cannot provide both a handle and size at the same time")
            if flow is None:
                raise ValueError("flow must not be None if handle is not None.")
            self._handle, self._flow = handle, flow
            return
        if size is None:
            raise ValueError("Argument `size` must be provided if handle is not provided.")
        with name_scope(name, "TensorArray", [size]) as scope:
            self._size = size
            self._handle, self._flow = apply_op("TensorArrayV3", [size], {
                "dtype": self._dtype, "element_shape": self._element_shape[0], "dynamic_size": self._dynamic_size,
                "clear_after_read": True if clear_after_read is None else clear_after_read,
                "identical_element_shapes": infer_shape, "tensor_array_name": tensor_array_name or ""},
                name=scope)

    dtype = property(lambda self: self._dtype)
    handle = property(lambda self: self._handle)
    flow = property(lambda self: self._flow)
    dynamic_size = property(lambda self: self._dynamic_size)
    element_shape = property(lambda self: self._element_shape[0])

    def _with_flow(self, flow):
        ta = TensorArray(self._dtype, handle=self._handle, flow=flow, infer_shape=self._infer_shape)
        ta._element_shape = self._element_shape  # shared, as TF shares it between a write's input and output
        ta._dynamic_size = self._dynamic_size
        ta._size = self._size
        return ta

    def _merge_shape(self, shape):
        if self._infer_shape:
            if not shape.is_compatible_with(self._element_shape[0]):
                raise ValueError(f"Inconsistent shapes: saw {shape} but expected {self._element_shape[0]} "
                                 f"(and infer_shape=True)")
            self._element_shape[0] = self._element_shape[0].merge_with(shape)

    def identity(self):
        return self._with_flow(apply_op("Identity", [self._flow], {}))

    def grad(self, source, flow=None, name=None):
        return _grad_array(self._handle, self._flow if flow is None else flow, self._dtype, source)

    def read(self, index, name=None):
        value = apply_op("TensorArrayReadV3", [self._handle, index, self._flow],
                         {"dtype": self._dtype}, name=name)
        if self._element_shape[0].ndims is not None:
            value.set_shape(self._element_shape[0])
        return value

    def write(self, index, value, name=None):
        with name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = convert_to_tensor(value, self._dtype, name="value")
            self._merge_shape(value.shape)
            flow = apply_op("TensorArrayWriteV3", [self._handle, index, value,
                                                   self._flow], {}, name=name)
        return self._with_flow(flow)

    def stack(self, name=None):
        with name_scope(name, "TensorArrayStack", [self._handle]):
            value = self.gather(range_(0, self.size()), name=name)
            size = constant_value(self._size) if isinstance(self._size, Tensor) else self._size
            if self._element_shape[0].ndims is not None and not self._dynamic_size and size is not None:
                value.set_shape(TensorShape([int(size)]).concatenate(self._element_shape[0]))
            return value

    def gather(self, indices, name=None):
        attrs = {"dtype": self._dtype, "element_shape": self._element_shape[0]}
        return apply_op("TensorArrayGatherV3", [self._handle, indices, self._flow],
                        attrs, name=name)

    def concat(self, name=None):
        rest = self._element_shape[0][1:] if self._element_shape[0].ndims else unknown_shape()
        return apply_op("TensorArrayConcatV3", [self._handle, self._flow],
                        {"dtype": self._dtype, "element_shape_except0": rest}, name=name)[0]

    def unstack(self, value, name=None):
        with name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            value = convert_to_tensor(value, self._dtype, name="value")
            n = shape(value)[0]
            return self.scatter(range_(0, n), value, name=name)

    def scatter(self, indices, value, name=None):
        with name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = convert_to_tensor(value, self._dtype, name="value")
            if value.shape.ndims:
                self._merge_shape(value.shape[1:])
            flow = apply_op("TensorArrayScatterV3", [self._handle, indices, value,
                                                     self._flow], {}, name=name)
        return self._with_flow(flow)

    def split(self, value, lengths, name=None):
        with name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            value = convert_to_tensor(value, self._dtype, name="value")
            flow = apply_op("TensorArraySplitV3", [self._handle, value, lengths,
                                                   self._flow], {}, name=name)
        return self._with_flow(flow)

    def size(self, name=None):
        if not self._dynamic_size and self._size is not None:
            return convert_to_tensor(self._size, dtypes.int32)
        return apply_op("TensorArraySizeV3", [self._handle, self._flow], {}, name=name)

    def close(self, name=None):
        return apply_op("TensorArrayCloseV3", [self._handle], {}, name=name)

"""TF1's session tensor handles: keep a step's tensor in its device between `Session.run` calls.

`get_session_handle(t)` is a GetSessionHandle op: running it stores t's value in the device (its session
store lives as long as the session's device actor) and returns a handle string
`"<op name>;<id>;<device>"`, which `Session.run` hands back as a `TensorHandle`. `get_session_tensor(handle,
dtype)` gives a string placeholder (fed the handle) and the GetSessionTensor op reading the stored value;
`delete_session_tensor` gives a placeholder and the DeleteSessionTensor op freeing it.
"""
import itertools

import numpy as np

from .. import dtypes
from ..default_graph import colocate_with, device as device_scope
from ..device_spec import DeviceSpec
from ..errors import InternalError, InvalidArgumentError
from ..shape import TensorShape
from ..tensor import Tensor
from .array import placeholder
from .registry import NOT_DIFFERENTIABLE, apply_op, op

_STORE = "__session_tensors__"  # the container of stored tensors in the device's store, by handle


def _counter(res):
    """The device's handle ids, 0, 1, ... (one counter per device, kept with its stored tensors)."""
    with res.locks[(_STORE, None)]:
        return res.variables.setdefault((_STORE, None), itertools.count())


def _get_handle_kernel(a, res, x):
    handle = f"{res.name};{next(_counter(res))};{res.device}"
    res.variables[(_STORE, handle)] = x
    return np.array(handle.encode(), dtype=object)


def _handle_text(h):
    h = np.asarray(h).item()
    return h.decode() if isinstance(h, bytes) else str(h)


def _get_tensor_kernel(a, res, h):
    handle = _handle_text(h)
    try:
        value = res.variables[(_STORE, handle)]
    except KeyError:
        raise InvalidArgumentError(None, None, f"The tensor with handle '{handle}' is not in the session "
                                               f"store.") from None
    want = a["dtype"]
    got = dtypes.as_dtype(np.asarray(value).dtype)
    if got is not want:
        raise InternalError(None, None, f"Output 0 of type {dtypes.type_string(got)} does not match declared "
                                        f"output type {dtypes.type_string(want)} for node {{{{node {res.name}}}}}")
    return value


def _delete_kernel(a, res, h):
    handle = _handle_text(h)
    if res.variables.pop((_STORE, handle), None) is None:
        raise InvalidArgumentError(None, None, f"Failed to delete a tensor with handle '{handle}' in the session "
                                               f"store.")


op("GetSessionHandle", "value:T", kernel=_get_handle_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: [(dtypes.string, TensorShape([]))])
op("GetSessionTensor", "handle:string", kernel=_get_tensor_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: [(a["dtype"], TensorShape(None))])
op("DeleteSessionTensor", "handle:string", kernel=_delete_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: [])


class TensorHandle:
    """A tensor kept in its device between runs: what `Session.run` returns for a get_session_handle tensor."""

    def __init__(self, handle, dtype, session):
        self._handle = handle.decode() if isinstance(handle, bytes) else str(handle)
        self._dtype = dtype
        self._session = session
        self._auto_gc_enabled = True

    def __str__(self):
        return self._handle

    @property
    def handle(self):
        """The handle string (what a get_session_tensor placeholder is fed)."""
        return self._handle

    def eval(self):
        """The value of the tensor this handle names."""
        if not self._auto_gc_enabled:
            raise TypeError(f"Persistent tensor {self.handle} may have already been deleted.")
        holder, reader = _cached(self._session.graph, "readers", self._handle,
                                 lambda: get_session_tensor(self._handle, self._dtype))
        return self._session.run(reader, feed_dict={holder: self._handle})

    def delete(self):
        """Frees the tensor in its device."""
        if not self._auto_gc_enabled:
            raise TypeError(f"Persistent tensor {self.handle} may have already been deleted.")
        self._auto_gc_enabled = False
        holder, deleter = _cached(self._session.graph, "deleters", self._handle,
                                  lambda: delete_session_tensor(self._handle))
        self._session.run(deleter, feed_dict={holder: self._handle})

    def get_raw_handle(self):
        """The handle string; this object no longer deletes the tensor (the caller does)."""
        self._auto_gc_enabled = False
        return self._handle


def _cached(graph, kind, handle, build):
    """One reader (or deleter) per (op name, device) of a graph, as TF keeps them."""
    ref = graph.get_collection_ref(("__session_handle_ops", kind))
    if not ref:
        ref.append({})
    parts = handle.split(";")
    key = parts[0] + ";" + parts[-1]
    if key not in ref[0]:
        with graph.as_default():
            ref[0][key] = build()
    return ref[0][key]


def _device_of(handle):
    text = handle.decode() if isinstance(handle, bytes) else str(handle)
    return DeviceSpec.from_string(text.split(";")[-1]).to_string()


def get_session_handle(data, name=None):
    """A GetSessionHandle op: running it keeps `data`'s value in its device and returns the handle."""
    if not isinstance(data, Tensor):
        raise TypeError("`data` must be of type Tensor.")
    with colocate_with(data):
        return apply_op("GetSessionHandle", [data], {}, name=name)


def get_session_tensor(handle, dtype, name=None):
    """(placeholder fed a handle string, the tensor of `dtype` that handle names), on the handle's device."""
    with device_scope(_device_of(handle)):
        holder = placeholder(dtypes.string)
        tensor = apply_op("GetSessionTensor", [holder], {"dtype": dtypes.as_dtype(dtype).base_dtype}, name=name)
    return holder, tensor


def delete_session_tensor(handle, name=None):
    """(placeholder fed a handle string, the op deleting the tensor that handle names)."""
    with device_scope(_device_of(handle)):
        holder = placeholder(dtypes.string)
        deleter = apply_op("DeleteSessionTensor", [holder], {}, name=name)
    return holder, deleter


def fetched(tensor):
    """Whether `tensor` is a session handle (Session.run hands back a TensorHandle for it)."""
    return tensor.op.type in ("GetSessionHandle", "GetSessionHandleV2")

"""Variable ops (TF1 RefVariables): `VariableV2` yields a ref to a value held by its device; `Assign*`
write through the ref; any non-ref consumer reads the value (FailedPreconditionError if uninitialized).

A value read earlier in a step (or fetched) is never changed under its reader: a write stores a new array, or
writes the variable's array in place only where nothing but the variable's store holds it (`sole_array`: the
merged gradient descent and momentum of a product, ops/linalg.py), so that no value read from it sees the
write; a step reading the variable beside such an update, at that moment, may see it partly done, as TF1's
in-place updates allow. (The row updates of ops/scatter.py and the SparseApply* ops write the rows they touch in
place, as in TF.) An update with `use_locking=True` holds its variable's lock from its read to its write, so
concurrent locked updates are never lost (TF1's guarantee); unlocked ones may race and lose updates, as TF1
allows.
"""
import contextlib
import sys

import numpy as np

from scheduler.resources import VariableRef

from ..errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from ..shape import TensorShape, dims_text
from .registry import NOT_DIFFERENTIABLE, NUMBERS, apply_op, op
from ..dtypes import bool_


class Ref(VariableRef):
    """A reference to one variable in a device's variable store: what a ref-typed tensor carries."""

    __slots__ = ("store", "key", "name", "locks")

    def __init__(self, store, key, name, locks):
        self.store = store
        self.key = key
        self.name = name
        self.locks = locks

    @property
    def lock(self):
        """The variable's lock (held by updates with use_locking=True)."""
        return self.locks[self.key]

    def read(self):
        value = self.store.get(self.key)
        if value is None:
            raise FailedPreconditionError(None, None, f"Attempting to use uninitialized value {self.name}")
        return value

    def write(self, value):
        self.store[self.key] = value

    def __reduce__(self):
        raise TypeError(f"the variable ref {self.name} cannot leave its device; read its value instead")


def _sole_count():
    """What `_held` counts for an array only a store holds (the interpreter's own references included: measured,
    not assumed, as they differ between Python versions)."""
    store = {"probe": np.zeros(1)}
    return _held(Ref(store, "probe", "probe", {}))[1]


def _held(ref):
    """(the variable's array or None, the references to it counted here)."""
    value = ref.store.get(ref.key)
    return value, sys.getrefcount(value)


def sole_array(ref):
    """The variable's array where nothing but its store holds it, so that an update may write it in place unseen
    (no value of a step, fetch or kept output is it or a view of it): a writable C-ordered array that owns its
    memory; else None (uninitialized, held elsewhere, a view, read-only)."""
    value, count = _held(ref)
    if count > _SOLE or type(value) is not np.ndarray or value.base is not None or not value.flags.writeable or \
            not value.flags.c_contiguous:
        return None
    return value


_SOLE = _sole_count()


def locked(a, refs):
    """A context holding the locks of `refs` (in one order, so two updates cannot deadlock) when the op's
    `use_locking` attr is set; else nothing."""
    if not a.get("use_locking"):
        return contextlib.nullcontext()
    stack = contextlib.ExitStack()
    for ref in sorted({r.key: r for r in refs}.values(), key=lambda r: repr(r.key)):
        stack.enter_context(ref.lock)
    return stack


def _variable_key(a, name):
    return (a.get("container") or "", a.get("shared_name") or name)


def _variable_kernel(a, res):
    return Ref(res.variables, _variable_key(a, res.name), res.name, res.locks)


def _assign_kernel(a, res, ref, value):
    new = np.array(value, dtype=a["T"].as_numpy_dtype)
    with locked(a, [ref]):
        if a.get("validate_shape", True):
            old = ref.store.get(ref.key)
            if old is not None and np.shape(old) != np.shape(value):
                raise InvalidArgumentError(None, None, "Assign requires shapes of both tensors to match. lhs "
                                           f"shape= {dims_text(np.shape(old))} rhs shape= {dims_text(np.shape(value))}")
        ref.write(new)
    return ref


def _update_kernel(fn):
    def kernel(a, res, ref, value):
        with locked(a, [ref]):
            old = ref.read()
            if np.shape(old) != np.shape(value) and np.size(value) != 1:
                raise InvalidArgumentError(None, None, f"Must have updates.shape = ref.shape, got ref.shape = "
                                           f"{list(np.shape(old))} updates.shape = {list(np.shape(value))}")
            ref.write(np.asarray(fn(old, value)).astype(old.dtype, copy=False))
        return ref
    return kernel


def _ref_shape(inputs, a):
    ref = inputs[0]
    return ref.dtype, ref.shape


def _assign_shape(inputs, a):
    ref, value = inputs
    if a.get("validate_shape", True):
        if not ref.shape.is_compatible_with(value.shape):
            raise ValueError(f"Shapes {ref.shape} and {value.shape} are incompatible")
        return ref.dtype, ref.shape.merge_with(value.shape)
    return ref.dtype, value.shape


def _update_shape(inputs, a):
    ref, value = inputs
    if not ref.shape.is_compatible_with(value.shape) and value.shape.ndims != 0:
        raise ValueError(f"Shapes {ref.shape} and {value.shape} are incompatible")
    return ref.dtype, ref.shape


op("VariableV2", kernel=_variable_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (a["dtype"]._as_ref, a["shape"]))
op("Assign", "ref:&T, value:T", kernel=_assign_kernel, stateful=True, shape=_assign_shape, grad=NOT_DIFFERENTIABLE)
op("AssignAdd", "ref:&T, value:T", kernel=_update_kernel(np.add), stateful=True, shape=_update_shape,
   grad=NOT_DIFFERENTIABLE, T=NUMBERS)
op("AssignSub", "ref:&T, value:T", kernel=_update_kernel(np.subtract), stateful=True, shape=_update_shape,
   grad=NOT_DIFFERENTIABLE, T=NUMBERS)
op("IsVariableInitialized", "ref:&dtype", kernel=lambda a, res, ref: np.bool_(ref.store.get(ref.key) is not None),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=lambda i, a: (_bool(), TensorShape._raw(())))


def _bool():
    return bool_


def _apply(op_type, inputs, attrs, name):
    return apply_op(op_type, inputs, attrs, name=name)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Writes `value` into the variable `ref`; returns the ref (its value after the write)."""
    attrs = {"validate_shape": True if validate_shape is None else validate_shape,
             "use_locking": True if use_locking is None else use_locking}
    return _apply("Assign", [ref, value], attrs, name)


def assign_add(ref, value, use_locking=None, name=None):
    return _apply("AssignAdd", [ref, value], {"use_locking": bool(use_locking)}, name)


def assign_sub(ref, value, use_locking=None, name=None):
    return _apply("AssignSub", [ref, value], {"use_locking": bool(use_locking)}, name)


def _count_up_to_kernel(a, res, ref):
    with ref.lock:  # TF's CountUpTo holds the variable's lock: each value is handed out once
        old = ref.read()
        if old >= a["limit"]:
            raise OutOfRangeError(None, None, f"Reached limit of {a['limit']}")
        ref.write(np.asarray(old + 1, dtype=old.dtype))
    return old


op("CountUpTo", "ref:&T", kernel=_count_up_to_kernel, stateful=True, grad=NOT_DIFFERENTIABLE, T="int32 int64",
   shape=lambda i, a: (i[0].dtype.base_dtype, i[0].shape))


def count_up_to(ref, limit, name=None):
    """Increments the variable `ref` until it reaches `limit` (then OutOfRangeError); returns its old value."""
    return _apply("CountUpTo", [ref], {"limit": limit}, name)

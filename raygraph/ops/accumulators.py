"""Conditional accumulators (TF1's data_flow_ops): `ConditionalAccumulator` and `SparseConditionalAccumulator`,
which SyncReplicasOptimizer aggregates the replicas' gradients in.

An accumulator is a resource of its device, like a queue (`Resources.shared`, keyed by (container, shared
name)). State: `step` (its global time step), `count` (gradients taken in since the last take) and the running
sum (sparse: the sum per row and how many gradients held each row). A gradient whose local step is below `step`
is stale and silently dropped. A take waits until `count >= num_required`, returns the mean (per row for sparse;
or the sum with reduction_type SUM), resets the sum and count, and advances `step` by one.
"""
import threading

import numpy as np
from scheduler.resources import step_cancelled

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import CancelledError, InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from .indexed_slices import IndexedSlices
from .math import cast
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .queues import QueueHandle

_POLL = 0.05  # seconds between checks, while a take waits, of whether its step has ended


class _Accumulator:
    """One accumulator's state (see the module docstring); `rows` is None for a dense one."""

    def __init__(self, name, attrs, sparse):
        self.name, self.sparse = name, sparse
        self.dtype = attrs["dtype"].as_numpy_dtype
        self.shape = TensorShape(attrs.get("shape"))
        self.mean = attrs.get("reduction_type", "MEAN") == "MEAN"
        self.cond = threading.Condition()
        self.step, self.cancelled = 0, False
        self._reset()

    def _reset(self):
        self.count, self.sum, self.rows = 0, None, {}  # rows (sparse): index -> [sum, how many]

    def cancel(self):
        with self.cond:
            self.cancelled = True
            self.cond.notify_all()

    def _check_shape(self, shape):
        if not self.shape.is_compatible_with(shape):
            raise InvalidArgumentError(None, None, f"Shape mismatch: expected {self.shape}, got {list(shape)}")

    def apply(self, local_step, grad):
        with self.cond:
            if local_step < self.step:
                return  # stale
            grad = np.asarray(grad, self.dtype)
            self._check_shape(grad.shape)
            if self.sum is not None and self.sum.shape != grad.shape:
                raise InvalidArgumentError(None, None, f"Shape mismatch: expected {list(self.sum.shape)}, got "
                                           f"{list(grad.shape)}")
            self.sum = grad.copy() if self.sum is None else self.sum + grad
            self.count += 1
            self.cond.notify_all()

    def apply_sparse(self, local_step, indices, values, shape):
        with self.cond:
            if local_step < self.step:
                return
            values = np.asarray(values, self.dtype)
            self._check_sparse(np.asarray(indices, np.int64), values, shape)
            for i, row in zip(np.asarray(indices, np.int64).tolist(), values):
                held = self.rows.get(i)
                self.rows[i] = [row.copy(), 1] if held is None else [held[0] + row, held[1] + 1]
            self.sum = shape if shape is not None else self.sum
            self.count += 1
            self.cond.notify_all()

    def _check_sparse(self, indices, values, shape):
        """TF's checks: the accumulator's shape is a prefix of the gradient's; indices within its first
        dimension; values' rows shaped like the rows held."""
        want = self.shape.as_list() if self.shape.ndims is not None else []
        if shape is not None:
            if len(want) > len(shape) or any(w is not None and w != d for w, d in zip(want, shape)):
                raise InvalidArgumentError(None, None, f"Shape mismatch: expected {self.shape}, got {list(shape)}")
        if want and want[0] is not None and indices.size and indices.max() >= want[0]:
            raise InvalidArgumentError(None, None, f"Shape mismatch: index of slice {int(indices.max())} exceeded "
                                       f"limits of shape; limit is {want[0]}")
        rows = next(iter(self.rows.values()))[0].shape if self.rows else None
        if rows is not None and values.shape[1:] != rows or len(indices) != len(values):
            raise InvalidArgumentError(None, None, f"Shape mismatch: expected rows {rows}, got {list(values.shape)}")

    def take(self, num_required):
        if num_required < 1:
            raise InvalidArgumentError(None, None, f"Argument num_required must be positive, but was {num_required}")
        with self.cond:
            while self.count < num_required:
                if self.cancelled or step_cancelled():
                    raise CancelledError(None, None, f"TakeGrad operation was cancelled")
                self.cond.wait(_POLL)
            out = self._sparse_result() if self.sparse else (self.sum / self.count if self.mean else self.sum)
            self._reset()
            self.step += 1
            return out

    def _sparse_result(self):
        order = sorted(self.rows)
        held = [self.rows[i] for i in order]
        values = np.stack([s / n if self.mean else s for s, n in held]).astype(self.dtype) if held else \
            np.zeros((0,), self.dtype)
        shape = np.asarray(self.sum if self.sum is not None else [], np.int64)
        return [np.asarray(order, np.int64), values, shape]

    def set_step(self, new_step):
        with self.cond:
            self.step = int(new_step)  # (TF only warns when it goes back)


def _accumulator_kernel(sparse):
    def kernel(a, res):
        key = (a.get("container") or "", a.get("shared_name") or res.name)
        with res.locks[("accumulator",) + key]:
            if key not in res.shared:
                res.shared[key] = _Accumulator(key[1], a, sparse)
        return QueueHandle(key, res.shared)
    return kernel


def _get(res, handle):
    acc = handle.resource(res)
    if acc is None:
        raise CancelledError(None, None, f"Accumulator {handle.key[1]} was closed with its session")
    return acc


def _handle_shape(inputs, a):
    return dtypes.resource, TensorShape([])


def _take_shape(inputs, a):
    return a["dtype"], TensorShape(a.get("shape"))


def _sparse_take_shape(inputs, a):
    return [(dtypes.int64, TensorShape([None])), (a["dtype"], TensorShape(None)), (dtypes.int64, TensorShape([None]))]


_none = lambda i, a: []  # noqa: E731 - ops with no outputs
op("ResourceConditionalAccumulator", kernel=_accumulator_kernel(False), stateful=True, shape=_handle_shape,
   grad=NOT_DIFFERENTIABLE)
op("SparseConditionalAccumulator", kernel=_accumulator_kernel(True), stateful=True, shape=_handle_shape,
   grad=NOT_DIFFERENTIABLE)
op("ResourceAccumulatorApplyGradient", "handle:resource, local_step:int64, gradient:dtype", stateful=True,
   kernel=lambda a, res, h, step, g: _get(res, h).apply(int(step), g), shape=_none, grad=NOT_DIFFERENTIABLE)
op("SparseAccumulatorApplyGradient", "handle:resource, local_step:int64, gradient_indices:int64, "
   "gradient_values:dtype, gradient_shape:int64", stateful=True, shape=_none, grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, res, h, step, i, v, s: _get(res, h).apply_sparse(
       int(step), i, v, np.asarray(s).tolist() if a.get("has_known_shape") else None))
op("ResourceAccumulatorTakeGradient", "handle:resource, num_required:int32", stateful=True, shape=_take_shape,
   kernel=lambda a, res, h, n: _get(res, h).take(int(n)), grad=NOT_DIFFERENTIABLE)
op("SparseAccumulatorTakeGradient", "handle:resource, num_required:int32", stateful=True, shape=_sparse_take_shape,
   kernel=lambda a, res, h, n: _get(res, h).take(int(n)), grad=NOT_DIFFERENTIABLE)
op("ResourceAccumulatorNumAccumulated", "handle:resource", stateful=True, grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, res, h: np.int32(_get(res, h).count), shape=lambda i, a: (dtypes.int32, TensorShape([])))
op("ResourceAccumulatorSetGlobalStep", "handle:resource, new_global_step:int64", stateful=True, shape=_none,
   kernel=lambda a, res, h, step: _get(res, h).set_step(int(step)), grad=NOT_DIFFERENTIABLE)


# ----- the Python classes -----------------------------------------------------------------------------------
class ConditionalAccumulatorBase:
    """An accumulator's handle and the ops common to both kinds."""

    def __init__(self, dtype, shape, accumulator_ref):
        self._dtype = dtypes.as_dtype(dtype)
        self._shape = TensorShape(shape) if shape is not None else unknown_shape()
        self._accumulator_ref = accumulator_ref
        self._name = accumulator_ref.op.name.split("/")[-1]

    accumulator_ref = property(lambda self: self._accumulator_ref)
    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)

    def num_accumulated(self, name=None):
        """How many gradients the accumulator holds."""
        return apply_op("ResourceAccumulatorNumAccumulated", [self._accumulator_ref], {},
                        name=name or f"{self._name}_NumAccumulated")

    def set_global_step(self, new_global_step, name=None):
        """Sets the accumulator's time step (gradients from earlier steps are then dropped)."""
        step = cast(convert_to_tensor(new_global_step), dtypes.int64)
        return apply_op("ResourceAccumulatorSetGlobalStep", [self._accumulator_ref, step], {}, name=name)


def _make(op_type, dtype, shape, shared_name, name, reduction_type):
    attrs = {"dtype": dtypes.as_dtype(dtype), "shape": TensorShape(shape), "container": "",
             "shared_name": shared_name or "", "reduction_type": reduction_type}
    return apply_op(op_type, [], attrs, name=name)


class ConditionalAccumulator(ConditionalAccumulatorBase):
    """Averages the fresh dense gradients applied to it; `take_grad` waits for `num_required` of them."""

    def __init__(self, dtype, shape=None, shared_name=None, name="conditional_accumulator", reduction_type="MEAN"):
        super().__init__(dtype, shape, _make("ResourceConditionalAccumulator", dtype, shape, shared_name, name,
                                             reduction_type))

    def apply_grad(self, grad, local_step=0, name=None):
        """Adds `grad` unless `local_step` is older than the accumulator's step."""
        grad = convert_to_tensor(grad, self._dtype)
        grad.shape.assert_is_compatible_with(self._shape)
        local_step = cast(convert_to_tensor(local_step), dtypes.int64)
        return apply_op("ResourceAccumulatorApplyGradient", [self._accumulator_ref, local_step, grad], {}, name=name)

    def take_grad(self, num_required, name=None):
        """The mean of the gradients once `num_required` are in (then the accumulator resets, its step + 1)."""
        out = apply_op("ResourceAccumulatorTakeGradient", [self._accumulator_ref, num_required],
                       {"dtype": self._dtype, "shape": self._shape}, name=name)
        out.set_shape(self._shape)
        return out


class SparseConditionalAccumulator(ConditionalAccumulatorBase):
    """Like ConditionalAccumulator for IndexedSlices gradients: each row is averaged over the gradients holding
    it."""

    def __init__(self, dtype, shape=None, shared_name=None, name="sparse_conditional_accumulator",
                 reduction_type="MEAN"):
        super().__init__(dtype, shape, _make("SparseConditionalAccumulator", dtype, shape, shared_name, name,
                                             reduction_type))

    def apply_indexed_slices_grad(self, grad, local_step=0, name=None):
        return self.apply_grad(grad.indices, grad.values, grad.dense_shape, local_step, name)

    def apply_grad(self, grad_indices, grad_values, grad_shape=None, local_step=0, name=None):
        """Adds the rows `grad_values` at `grad_indices` unless `local_step` is stale."""
        local_step = cast(convert_to_tensor(local_step), dtypes.int64)
        shape = cast([] if grad_shape is None else grad_shape, dtypes.int64)
        return apply_op("SparseAccumulatorApplyGradient", [
            self._accumulator_ref, local_step, cast(grad_indices, dtypes.int64), grad_values, shape],
            {"has_known_shape": grad_shape is not None}, name=name)

    def take_grad(self, num_required, name=None):
        """(indices, values, shape) of the averaged rows once `num_required` gradients are in."""
        return apply_op("SparseAccumulatorTakeGradient", [self._accumulator_ref, num_required],
                        {"dtype": self._dtype}, name=name)

    def take_indexed_slices_grad(self, num_required, name=None):
        indices, values, shape = self.take_grad(num_required, name)
        return IndexedSlices(values, indices, shape)

"""Slots: variables that shadow a primary variable or tensor, named `<variable scope>/<primary>/<name>` (made
unique) and, for a variable, colocated with it. Optimizers keep their accumulators in slots;
ExponentialMovingAverage its averages."""
import contextlib

from .default_graph import name_scope
from .ops.array import shape
from .ops.filling import zeros, zeros_like
from .tensor import Tensor
from .variable_scope import get_variable_scope
from .variables import Variable

_VARIABLE_OPS = ("Variable", "VariableV2", "VarHandleOp")


def create_slot(primary, initializer, op_name, colocate=True):
    """A slot for `primary` from `initializer(shape, dtype)`, or from a tensor value (which TF1 builds before the
    slot, in the caller's name scope)."""
    g = primary.graph
    shape, dtype = primary.shape, primary.dtype.base_dtype
    with g.control_dependencies(None), name_scope(None):
        with g.colocate_with(primary) if colocate else contextlib.nullcontext():
            var_scope = get_variable_scope()
            scope = var_scope.name   # TF opens variable_scope(None, "<primary>/<name>") where it is
            name = g.unique_name(f"{scope}/" * bool(scope) + primary.op.name + "/" + op_name, mark_as_used=False)
            if var_scope.reuse is True:
                # TF makes the slot with get_variable("") in that scope, which a reusing scope cannot create
                raise ValueError(f"Variable {name}/ does not exist, or was not created with tf.get_variable(). "
                                 f"Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
            if isinstance(initializer, Tensor):
                return Variable(initializer, name=name, trainable=False,
                                validate_shape=initializer.shape.is_fully_defined())
            if shape.is_fully_defined():
                return Variable(lambda: initializer(shape.as_list(), dtype), name=name, trainable=False)
            return Variable(lambda: zeros_like(primary.initial_value), name=name, trainable=False,
                            validate_shape=False)


def create_zeros_slot(primary, op_name):
    """A slot of zeros shaped like `primary` (a variable, or any tensor: colocated only with a variable)."""
    colocate = primary.op.type in _VARIABLE_OPS
    if primary.shape.is_fully_defined():
        return create_slot(primary, lambda shape, dtype: zeros(shape, dtype), op_name, colocate)
    with primary.graph.colocate_with(primary) if colocate else contextlib.nullcontext():
        value = zeros(shape(primary), dtype=primary.dtype.base_dtype)
    return create_slot(primary, value, op_name, colocate)

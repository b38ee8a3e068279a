"""TF's check_ops that tf.metrics and tf.image build: assertions over tensors, checked at build time when
the values are constants (InvalidArgumentError / ValueError / TypeError, as TF raises them) and otherwise
by an `Assert` op at run time."""
import numpy as np

from . import dtypes
from .convert import convert_to_tensor
from .default_graph import name_scope
from .errors import InvalidArgumentError
from .ops.array import rank, shape
from .ops.control import Assert, no_op
from .ops.math import equal, greater_equal, less, less_equal, logical_or
from .ops.reduction import reduce_all
from .ops.shape_fns import constant_value


def _prefix(message):
    return f"{message}.  " if message else ""


def _binary_assert(sym, opname, op_fn, np_fn, x, y, data=None, message=None, name=None):
    with name_scope(name, opname, [x, y]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if data is None:
            data = [f"Condition x {sym} y did not hold element-wise:", f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        if message is not None:
            data = [message] + list(data)
        condition = reduce_all(op_fn(x, y))
        xs, ys = constant_value(x), constant_value(y)
        if xs is not None and ys is not None and not np.all(np_fn(xs, ys)):
            raise InvalidArgumentError(None, None, "\n".join(d if isinstance(d, str) else str(constant_value(d))
                                                             for d in data))
        return Assert(condition, data)


def assert_less(x, y, data=None, message=None, name=None):
    return _binary_assert("<", "assert_less", less, np.less, x, y, data, message, name)


def assert_less_equal(x, y, data=None, message=None, name=None):
    return _binary_assert("<=", "assert_less_equal", less_equal, np.less_equal, x, y, data, message, name)


def assert_greater_equal(x, y, data=None, message=None, name=None):
    return _binary_assert(">=", "assert_greater_equal", greater_equal, np.greater_equal, x, y, data, message, name)


def _assert_sign(opname, sym, check, x, data, message, name):
    with name_scope(name, opname, [x, data]):
        x = convert_to_tensor(x, name="x")
        if data is None:
            data = [_prefix(message), f"Condition x {sym} 0 did not hold element-wise:", f"x ({x.name}) = ", x]
        return check(convert_to_tensor(0, dtype=x.dtype), x, data=data)


def assert_non_negative(x, data=None, message=None, name=None):
    return _assert_sign("assert_non_negative", ">=", assert_less_equal, x, data, message, name)


def assert_positive(x, data=None, message=None, name=None):
    return _assert_sign("assert_positive", ">", assert_less, x, data, message, name)


def assert_type(tensor, tf_type, message=None, name=None):
    """TypeError at build time unless `tensor` has dtype `tf_type`."""
    tf_type = dtypes.as_dtype(tf_type)
    with name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != tf_type:
            raise TypeError(f"{_prefix(message)}{tensor.name} must be of type {tf_type!r}; got {tensor.dtype!r}")
        return no_op(name="statically_determined_correct_type")


def assert_rank_in(x, ranks, data=None, message=None, name=None):
    """`x`'s rank is one of `ranks` (checked now where the ranks are known, else by an Assert)."""
    with name_scope(name, "assert_rank_in", (x,) + tuple(ranks) + tuple(data or [])):
        x = convert_to_tensor(x, name="x")
        ranks = tuple(convert_to_tensor(r, name="rank") for r in ranks)
        if data is None:
            data = [_prefix(message), f"Tensor {x.name} must have rank in"] + list(ranks) + \
                ["Received shape: ", shape(x)]
        for r in ranks:
            assert_type(r, dtypes.int32)
        static = [constant_value(r) for r in ranks]
        if all(s is not None for s in static) and x.shape.ndims is not None:
            if x.shape.ndims not in [int(s) for s in static]:
                raise ValueError(f"{_prefix(message)}Tensor {x.name} must have rank in "
                                 f"{tuple(int(s) for s in static)}.  Received rank {x.shape.ndims}, shape {x.shape}")
            return no_op(name="static_checks_determined_all_ok")
        x_rank = rank(x)
        condition = equal(ranks[0], x_rank)
        for r in ranks[1:]:
            condition = logical_or(condition, equal(r, x_rank))
        return Assert(condition, data)

"""Tensor's Python operators (`x + y`, `x @ y`, `x < y`, `-x`, `x[i]`...): each builds its op through the
op table, in a name scope named after the operator, as TF1's overloads do. `Tensor` calls these."""
from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..tensor import Tensor
from .linalg import matmul
from .math import (abs, floordiv, floormod, greater, greater_equal, invert, less, less_equal, logical_and,
                   logical_or, logical_xor, multiply, negative, pow, subtract, truediv)
from .registry import apply_op
from .slicing import slice_helper


def _add_operator(x, y, name=None):
    if not isinstance(y, Tensor):
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
    return apply_op("Add" if x.dtype.base_dtype is dtypes.string else "AddV2", [x, y], {}, name=name)


def _logical_or_bitwise(logical, bitwise):
    def fn(x, y, name=None):
        if x.dtype.base_dtype is dtypes.bool_:
            return logical(x, y, name=name)
        return apply_op(bitwise, [x, y], {})  # TF names the bitwise op by its type, inside the scope
    return fn


_OPERATORS = {"add": _add_operator, "sub": subtract, "mul": multiply, "truediv": truediv,
              "floordiv": floordiv, "mod": floormod, "pow": pow, "matmul": matmul,
              "and": _logical_or_bitwise(logical_and, "BitwiseAnd"),
              "or": _logical_or_bitwise(logical_or, "BitwiseOr"),
              "xor": _logical_or_bitwise(logical_xor, "BitwiseXor")}


def operator(op_name, x, y, reverse=False):
    """`x <op> y` for a Tensor x (or `y <op> x` when reverse), in a name scope named after the operator."""
    fn = _OPERATORS[op_name]
    with name_scope(None, op_name, [x, y]) as scope:
        if reverse:
            left = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="x")
            return fn(left, x, name=scope)
        try:
            return fn(x, y, name=scope)
        except (TypeError, ValueError) as e:
            r_op = getattr(type(y), f"__r{op_name}__", None)
            if r_op is None or isinstance(y, Tensor):
                raise
            try:
                out = r_op(y, x)
            except (TypeError, ValueError):
                raise e from None
            if out is NotImplemented:
                raise
            return out


_COMPARISONS = {"lt": less, "le": less_equal, "gt": greater, "ge": greater_equal}
_UNARY = {"neg": negative, "abs": abs, "invert": invert}


def compare(op_name, x, y):
    """`x < y` and friends: the comparison op itself, named Less, LessEqual..."""
    return _COMPARISONS[op_name](x, y)


def unary(op_name, x):
    """`-x`, `abs(x)`, `~x`."""
    return _UNARY[op_name](x)


def getitem(x, key):
    """`x[key]`: TF's slice helper (StridedSlice, or a Const for a known result)."""
    return slice_helper(x, key)

"""Checks: the `CheckNumerics` op and TF1's `assert_*` functions (TF's check_ops.py and numerics.py).

Each assert builds TF's graph: a name scope, the condition (`reduce_all` of an elementwise test) and an
`Assert` op (guarded by a cond unless all its data are strings or int32s) that fails the step with
InvalidArgumentError showing the data. Where TF knows both sides while building (its `constant_value`:
Consts, fully known shapes and a few ops over them), a failing check raises InvalidArgumentError at once.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..graph import get_default_graph
from ..tensor import Tensor
from .registry import apply_op, op
from .shape_fns import constant_value, same_shape
from .array import reshape, rank as rank_of, shape as shape_of, size as size_of
from .math import abs as abs_, equal, greater, greater_equal, less, less_equal, logical_or, not_equal
from .reduction import reduce_all
from .slicing import strided_slice
from .control_flow import cond
from .control import Assert, group, no_op, with_dependencies


# ----- CheckNumerics ----------------------------------------------------------------------------------------
def _check_numerics_kernel(a, x):
    nan, inf = bool(np.isnan(x).any()), bool(np.isinf(x).any())
    if nan or inf:
        what = "Inf and NaN" if nan and inf else "NaN" if nan else "Inf"
        raise InvalidArgumentError(None, None, f"{a['message']} : Tensor had {what} values")
    return x


def _check_numerics_grad(op, g):
    # TF formats the attr as bytes here: "... in gradient. b'message'"
    return [check_numerics(g, "Not a number (NaN) or infinity (Inf) values detected in gradient. "
                              f"{op._attrs['message'].encode()!r}")]


op("CheckNumerics", "tensor:T", kernel=_check_numerics_kernel, shape=same_shape, grad=_check_numerics_grad,
   T="bfloat16 float16 float32 float64")


def check_numerics(tensor, message, name=None):
    """`tensor`, failing the step with InvalidArgumentError if it holds a NaN or an Inf."""
    return apply_op("CheckNumerics", [tensor], {"message": message}, name=name)


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """`t` after a CheckNumerics of it (TF1's assert_all_finite)."""
    x = t if x is None else x
    message = msg if message is None else message
    with name_scope(name, "VerifyFinite", [x]):
        x = convert_to_tensor(x, name="x")
        with get_default_graph().colocate_with(x.op):
            verify = check_numerics(x, message=message)
            return with_dependencies([verify], x)


def add_check_numerics_ops():
    """One CheckNumerics per floating-point tensor of the default graph, chained; returns their group."""
    check = []
    for o in get_default_graph().get_operations():
        for out in o.outputs:
            if out.dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
                if o._cond_context is not None:
                    raise ValueError("`tf.add_check_numerics_ops() is not compatible with TensorFlow control flow "
                                     "operations such as `tf.cond()` or `tf.while_loop()`.")
                with get_default_graph().control_dependencies(check):
                    check = [check_numerics(out, message=f"{o.name}:{out.value_index}")]
    return group(*check)


# ----- values known while building ---------------------------------------------------------------------------
_FOLDED_BY_TF = {"Identity", "StopGradient", "Cast", "Pack", "ConcatV2", "Fill", "Range", "Equal", "NotEqual"}


def static_value(t):
    """TF's python `constant_value`: Consts, fully known Shape/Size/Rank and a few ops over known values."""
    kind = t.op.type
    if kind in ("Const", "Shape", "Size", "Rank"):
        return constant_value(t)
    if kind in _FOLDED_BY_TF and all(static_value(x) is not None for x in t.op.inputs):
        return constant_value(t)
    return None


def _static_text(x):
    if not isinstance(x, Tensor):
        return str(x)
    v = static_value(x)
    return str(v) if v is not None else str(x)


def _assert_static(condition, data):
    if not condition:
        raise InvalidArgumentError(None, None, "\n".join(_static_text(x) for x in data))


def _message_prefix(message):
    return f"{message}.  " if message else ""


# ----- comparing two tensors --------------------------------------------------------------------------------
def _binary_assert(sym, opname, test, static_test, x, y, data, summarize, message, name):
    with name_scope(name, opname, [x, y, data]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if data is None:
            data = [f"Condition x {sym} y did not hold element-wise:", f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        if message is not None:
            data = [message] + list(data)
        condition = reduce_all(test(x, y))
        xs, ys = static_value(x), static_value(y)
        if xs is not None and ys is not None:
            _assert_static(np.all(static_test(xs, ys)), data)
        return Assert(condition, data, summarize=summarize)


def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    """An op failing the step unless x == y everywhere (x and y broadcast)."""
    with name_scope(name, "assert_equal", [x, y, data]):
        if x is y:
            return no_op()
    return _binary_assert("==", "assert_equal", equal, np.equal, x, y, data, summarize, message, name)


def assert_none_equal(x, y, data=None, summarize=None, message=None, name=None):
    """An op failing the step unless x != y everywhere."""
    return _binary_assert("!=", "assert_none_equal", not_equal, np.not_equal, x, y, data, summarize, message, name)


def assert_less(x, y, data=None, summarize=None, message=None, name=None):
    """An op failing the step unless x < y everywhere."""
    return _binary_assert("<", "assert_less", less, np.less, x, y, data, summarize, message, name)


def assert_less_equal(x, y, data=None, summarize=None, message=None, name=None):
    """An op failing the step unless x <= y everywhere."""
    return _binary_assert("<=", "assert_less_equal", less_equal, np.less_equal, x, y, data, summarize, message,
                          name)


def assert_greater(x, y, data=None, summarize=None, message=None, name=None):
    """An op failing the step unless x > y everywhere."""
    return _binary_assert(">", "assert_greater", greater, np.greater, x, y, data, summarize, message, name)


def assert_greater_equal(x, y, data=None, summarize=None, message=None, name=None):
    """An op failing the step unless x >= y everywhere."""
    return _binary_assert(">=", "assert_greater_equal", greater_equal, np.greater_equal, x, y, data, summarize,
                          message, name)


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None, name=None):
    """An op failing the step unless |x - y| < atol + rtol * |y| everywhere (default tolerances 10 eps)."""
    message = _message_prefix(message)
    with name_scope(name, "assert_near", [x, y, rtol, atol, data]):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype)
        dtype = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
        eps = np.finfo(dtype.as_numpy_dtype).eps
        rtol = convert_to_tensor(10 * eps if rtol is None else rtol, name="rtol", dtype=dtype)
        atol = convert_to_tensor(10 * eps if atol is None else atol, name="atol", dtype=dtype)
        if data is None:
            data = [message, f"x and y not equal to tolerance rtol = {rtol}, atol = {atol}",
                    f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        tol = atol + rtol * abs_(y)
        diff = abs_(x - y)
        return Assert(reduce_all(less(diff, tol)), data, summarize=summarize)


def _sign_assert(opname, sym, zero_first, compare):
    def check(x, data=None, summarize=None, message=None, name=None):
        message = _message_prefix(message)
        with name_scope(name, opname, [x, data]):
            x = convert_to_tensor(x, name="x")
            if data is None:
                # TF's assert_non_positive joins its two middle strings (a missing comma in check_ops.py)
                text = f"Condition x {sym} 0 did not hold element-wise:"
                data = [message] + ([text + f"x ({x.name}) = "] if opname == "assert_non_positive"
                                    else [text, f"x ({x.name}) = "]) + [x]
            zero = convert_to_tensor(0, dtype=x.dtype)
            return compare(zero, x, data=data, summarize=summarize) if zero_first else \
                compare(x, zero, data=data, summarize=summarize)
    check.__name__ = opname
    check.__doc__ = f"An op failing the step unless x {sym} 0 everywhere."
    return check


assert_negative = _sign_assert("assert_negative", "<", False, assert_less)
assert_positive = _sign_assert("assert_positive", ">", True, assert_less)
assert_non_negative = _sign_assert("assert_non_negative", ">=", True, assert_less_equal)
assert_non_positive = _sign_assert("assert_non_positive", "<=", False, assert_less_equal)


# ----- ranks, types, shapes ---------------------------------------------------------------------------------
def _rank_condition(x, ranks, static_ok, dynamic_ok, data, summarize):
    for r in ranks:
        assert_type(r, dtypes.int32)
    known = [static_value(r) for r in ranks]
    if all(k is not None for k in known):
        if any(np.ndim(k) != 0 for k in known):
            raise ValueError("Rank must be a scalar.")
        x_rank = x.shape.ndims
        if x_rank is not None:
            if not static_ok(x_rank, known):
                raise _StaticRankFailed(x_rank, known)
            return no_op(name="static_checks_determined_all_ok")
    condition = dynamic_ok(rank_of(x), ranks)
    for r, k in zip(ranks, known):
        if k is None:
            rank_check = assert_rank(r, 0, data=["Rank must be a scalar. Received rank: ", r])
            condition = with_dependencies([rank_check], condition)
    return Assert(condition, data, summarize=summarize)


class _StaticRankFailed(ValueError):
    def __init__(self, actual, wanted):
        super().__init__("Static rank condition failed")
        self.actual, self.wanted = actual, wanted


def _rank_assert(opname, phrase, x, ranks, data, summarize, message, name, static_ok, dynamic_ok, shown):
    with name_scope(name, opname, (x,) + tuple(ranks) + tuple(data or [])):
        x = convert_to_tensor(x, name="x")
        ranks = [convert_to_tensor(r, name="rank") for r in ranks]
        message = _message_prefix(message)
        if data is None:
            data = [message, f"Tensor {x.name} must have {phrase}"] + ranks + ["Received shape: ", shape_of(x)]
        try:
            return _rank_condition(x, ranks, static_ok, dynamic_ok, data, summarize)
        except _StaticRankFailed as e:
            raise ValueError(f"{message}Tensor {x.name} must have {phrase} {shown(e.wanted)}.  Received rank "
                             f"{e.actual}, shape {x.shape}") from None


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that `x` has rank `rank`: at build time when both are known, else with an Assert op."""
    return _rank_assert("assert_rank", "rank", x, [rank], data, summarize, message, name,
                        lambda r, k: r == k[0], lambda r, ks: equal(r, ks[0]), lambda k: int(k[0]))


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that `x` has rank `rank` or more."""
    return _rank_assert("assert_rank_at_least", "rank at least", x, [rank], data, summarize, message, name,
                        lambda r, k: r >= k[0], lambda r, ks: greater_equal(r, ks[0]), lambda k: int(k[0]))


def _any_rank(r, ranks):
    if not ranks:
        return convert_to_tensor(False)
    out = equal(ranks[0], r)
    for other in ranks[1:]:
        out = logical_or(out, equal(other, r))
    return out


def assert_rank_in(x, ranks, data=None, summarize=None, message=None, name=None):
    """Checks that `x`'s rank is one of `ranks`."""
    return _rank_assert("assert_rank_in", "rank in", x, list(ranks), data, summarize, message, name,
                        lambda r, ks: r in ks, _any_rank, lambda ks: tuple(int(k) for k in ks))


def assert_integer(x, message=None, name=None):
    """A NoOp if `x` has an integer dtype; TypeError otherwise."""
    with name_scope(name, "assert_integer", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError(f'{_message_prefix(message)}Expected "x" to be integer type.  Found: {x.name} of dtype '
                            f'{x.dtype}')
        return no_op("statically_determined_was_integer")


def assert_type(tensor, tf_type, message=None, name=None):
    """A NoOp if `tensor` has dtype `tf_type`; TypeError otherwise."""
    tf_type = dtypes.as_dtype(tf_type)
    with name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != tf_type:
            raise TypeError(f"{_message_prefix(message)}{tensor.name} must be of type {tf_type!r}; got "
                            f"{tensor.dtype!r}")
        return no_op("statically_determined_correct_type")


def assert_scalar(tensor, name=None, message=None):
    """`tensor` itself if its static rank is 0; ValueError otherwise."""
    with name_scope(name, "assert_scalar", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name=scope)
        if tensor.shape.ndims != 0:
            raise ValueError(f"{_message_prefix(message)}Expected scalar shape for {tensor.name}, saw shape: "
                             f"{tensor.shape}.")
        return tensor


def assert_same_float_dtype(tensors=None, dtype=None):
    """The common floating dtype of `tensors` (and `dtype`); float32 if none; ValueError on a mismatch."""
    if tensors:
        first, expected = None, dtype
        for t in tensors:
            if t is None:
                continue
            base = t.dtype.base_dtype
            if expected is None:
                expected, first = base, getattr(t, "name", str(t))
            elif base != expected:
                shown = f" as {first}" if dtype is None else ""
                raise ValueError(f"{getattr(t, 'name', str(t))}, type={base}, must be of the same type "
                                 f"({expected}){shown}.")
        dtype = expected
    if not dtype:
        return dtypes.float32
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return dtype


def assert_proper_iterable(values):
    """TypeError unless `values` is an iterable other than a Tensor, an ndarray or a string."""
    if isinstance(values, (Tensor, np.ndarray, bytes, str)):
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}')
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


# ----- predicates -------------------------------------------------------------------------------------------
_NUMERIC = {dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
            dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64, dtypes.complex64, dtypes.complex128}


def is_numeric_tensor(tensor):
    """Whether `tensor` is a Tensor of one of TF's NUMERIC_TYPES."""
    return isinstance(tensor, Tensor) and tensor.dtype in _NUMERIC


def _monotonic(x, compare):
    x = reshape(x, [-1])
    if not is_numeric_tensor(x):
        raise TypeError(f"Expected x to be numeric, instead found: {x}")
    short = less(size_of(x), 2)
    n = shape_of(x) - 1
    return cond(short, lambda: convert_to_tensor([], dtype=dtypes.bool_),
                lambda: compare(strided_slice(x, [1], [1] + n), strided_slice(x, [0], n)))


def is_non_decreasing(x, name=None):
    """A bool scalar: whether x (flattened) never decreases."""
    with name_scope(name, "is_non_decreasing", [x]):
        return reduce_all(_monotonic(x, greater_equal))


def is_strictly_increasing(x, name=None):
    """A bool scalar: whether x (flattened) always increases."""
    with name_scope(name, "is_strictly_increasing", [x]):
        return reduce_all(_monotonic(x, greater))


# ----- assert_shapes -----------------------------------------------------------------------------------------
def _dim_sizes(x):
    """x's dims: ints where static, else slices of its Shape; a scalar counts as shape [1]."""
    dynamic = shape_of(x)
    r = x.shape.ndims
    if r == 0:
        return (1,)
    if r is not None:
        return [int(d) if d is not None else dynamic[i] for i, d in enumerate(x.shape.as_list())]
    return cond(equal(rank_of(x), 0), lambda: convert_to_tensor([1]), lambda: dynamic)


def _known_int(v):
    try:
        int(v)
        return v is not None
    except (ValueError, TypeError):
        return False


def _shape_specs(shapes, prefix):
    """(tensor, whether '...' leads, its dim sizes, the spec's dim symbols) per constrained tensor."""
    out = []
    for x, spec in shapes:
        if spec is None:
            continue
        x = convert_to_tensor(x)
        if not (hasattr(spec, "__iter__") or hasattr(spec, "__getitem__")):
            raise ValueError(f"{prefix}Tensor {x.name}.  Specified shape must be an iterable.  An iterable has the "
                             f"attribute `__iter__` or `__getitem__`.  Received specified shape: {spec}")
        spec = tuple(spec)
        for i, symbol in enumerate(spec):
            if (symbol is Ellipsis or symbol == "*") and i != 0:
                raise ValueError(f"{prefix}Tensor {x.name} specified shape index {i}.  Symbol `...` or `*` for a "
                                 f"variable number of unspecified dimensions is only allowed as the first entry")
        leading = bool(spec) and (spec[0] is Ellipsis or spec[0] == "*")
        symbols = spec[1:] if leading else spec
        out.append((x, leading, _dim_sizes(x), symbols or (1,)))
    return out


def _rank_checks(specs, data, summarize, message, name):
    checks = []
    for x, leading, _, symbols in specs:
        r = len(symbols)
        if leading:
            if r in (0, 1):
                continue
            checks.append(assert_rank_at_least(x, r, data=data, summarize=summarize, message=message, name=name))
        elif r in (0, 1):
            checks.append(assert_rank_in(x, [0, 1], data=data, summarize=summarize, message=message, name=name))
        else:
            checks.append(assert_rank(x, r, data=data, summarize=summarize, message=message, name=name))
    return checks


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Checks tensors' shapes against specs like (x, ('N', 3)), ('...', 'N'): ints, shared symbols, '.' for
    any size; at build time where the sizes are known, else with Assert ops. Returns their group."""
    shapes = shapes.items() if isinstance(shapes, dict) else shapes
    prefix = _message_prefix(message)
    g = get_default_graph()
    with name_scope(name, "assert_shapes", [shapes, data]):
        specs = _shape_specs(shapes, prefix)
        ranks = _rank_checks(specs, data, summarize, message, name)
        sizes, known = [], {}
        for x, leading, actual_sizes, symbols in specs:
            for i, symbol in enumerate(symbols):
                if symbol is None or symbol == ".":
                    continue
                dim = i - len(symbols) if leading else i
                if symbol not in known and not _known_int(symbol):
                    with g.control_dependencies(ranks):
                        known[symbol] = (actual_sizes[dim], x, dim)
                    continue
                if _known_int(symbol):
                    wanted, how = int(symbol), "Specified explicitly"
                else:
                    wanted, by, at = known[symbol]
                    how = f"Specified by tensor {by.name} dimension {at}"
                with g.control_dependencies(ranks):
                    actual = actual_sizes[dim]
                if _known_int(actual) and _known_int(wanted):
                    if int(actual) != int(wanted):
                        raise ValueError(f"{prefix}{how}.  Tensor {x.name} dimension {dim} must have size "
                                         f"{wanted}.  Received size {actual}, shape {x.shape}")
                    continue
                condition = equal(convert_to_tensor(actual), convert_to_tensor(wanted))
                shown = data if data is not None else [prefix, how, f"Tensor {x.name} dimension", dim,
                                                       "must have size", wanted, "Received shape: ", shape_of(x)]
                sizes.append(Assert(condition, shown, summarize=summarize))
    with g.control_dependencies(ranks):
        return group(sizes)

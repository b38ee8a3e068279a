"""TF's distribution utilities (tensorflow/python/ops/distributions/util.py): parameters as logits and probs,
and the checks embedded in a tensor's dependencies."""
import hashlib

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import shape as shape_op
from ..ops.checks import (
    assert_equal,
    assert_greater_equal,
    assert_less_equal,
    assert_near,
    assert_non_negative,
    assert_rank_at_least,
)
from ..ops.control import no_op, with_dependencies
from ..ops.joining import concat
from ..ops.math import cast, log, log1p, sigmoid
from ..ops.nn import softmax
from ..ops.reduction import reduce_sum
from ..ops.shape_fns import constant_value
from ..ops.slicing import slice as slice_op
from ..ops.slicing import where, where_v2
from ..ops.special import lgamma
from ..shape import dimension_value

_UNSIGNED = (dtypes.bool, dtypes.uint8, dtypes.uint16)
_SIGNED = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)


def _largest_integer_by_dtype(dt):
    if dt.base_dtype not in _UNSIGNED + _SIGNED:
        raise TypeError(f"Unrecognized dtype: {dt.name}")
    if dt.is_floating:
        return int(2 ** (np.finfo(dt.as_numpy_dtype).nmant + 1))
    if dt.is_integer:
        return np.iinfo(dt.as_numpy_dtype).max
    return 1  # bool


def _smallest_integer_by_dtype(dt):
    if dt.base_dtype not in _UNSIGNED + _SIGNED:
        raise TypeError(f"Unrecognized dtype: {dt.name}")
    return 0 if dt.base_dtype in _UNSIGNED else -_largest_integer_by_dtype(dt)


def _is_integer_like_by_dtype(dt):
    if dt.base_dtype not in _UNSIGNED + _SIGNED:
        raise TypeError(f"Unrecognized dtype: {dt.name}")
    return dt.is_integer or dt.base_dtype == dtypes.bool


def assert_integer_form(x, data=None, summarize=None, message=None, int_dtype=None, name="assert_integer_form"):
    """Asserts that x (float) holds whole numbers: x == cast(cast(x, int_dtype), x.dtype)."""
    with name_scope(name, values=[x, data]):
        x = convert_to_tensor(x, name="x")
        if x.dtype.is_integer:
            return no_op()
        message = message or f"{x} has non-integer components"
        if int_dtype is None:
            int_types = {dtypes.float16: dtypes.int16, dtypes.float32: dtypes.int32, dtypes.float64: dtypes.int64}
            if x.dtype.base_dtype not in int_types:
                raise TypeError(f"Unrecognized type {x.dtype.name}")
            int_dtype = int_types[x.dtype.base_dtype]
        return assert_equal(x, cast(cast(x, int_dtype), x.dtype), data=data, summarize=summarize, message=message,
                            name=name)


def embed_check_nonnegative_integer_form(x, name="embed_check_nonnegative_integer_form"):
    """x with assertions that it is non-negative and whole."""
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        assertions = [assert_non_negative(x, message=f"'{x}' must be non-negative.")]
        if not x.dtype.is_integer:
            assertions += [assert_integer_form(x, message=f"'{x}' cannot contain fractional components.")]
        return with_dependencies(assertions, x)


def embed_check_integer_casting_closed(x, target_dtype, assert_nonnegative=True, name="embed_check_casting_closed"):
    """x with assertions that casting it to target_dtype loses nothing."""
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        if not _is_integer_like_by_dtype(x.dtype) and not x.dtype.is_floating:
            raise TypeError(f"{x.dtype.name}.dtype must be floating- or integer-type.")
        if not _is_integer_like_by_dtype(target_dtype) and not target_dtype.is_floating:
            raise TypeError(f"target_dtype ({target_dtype.name}) must be floating- or integer-type.")
        if not _is_integer_like_by_dtype(x.dtype) and not _is_integer_like_by_dtype(target_dtype):
            raise TypeError(f"At least one of {x}.dtype ({x.dtype.name}) and target_dtype ({target_dtype.name}) "
                            f"must be integer-type.")
        assertions = []
        if assert_nonnegative:
            assertions += [assert_non_negative(x, message="Elements must be non-negative.")]
        largest = _largest_integer_by_dtype(target_dtype)
        if x.dtype.is_floating:
            assertions += [assert_integer_form(x, int_dtype=target_dtype,
                                               message=f"Elements must be {target_dtype.name}-equivalent.")]
        else:
            if _largest_integer_by_dtype(x.dtype) > largest:
                assertions += [assert_less_equal(x, largest, message=f"Elements cannot exceed {largest}.")]
            smallest = _smallest_integer_by_dtype(target_dtype)
            if not assert_nonnegative and _smallest_integer_by_dtype(x.dtype) < smallest:
                assertions += [assert_greater_equal(x, smallest,
                                                    message=f"Elements cannot be smaller than {smallest}.")]
        if not assertions:
            return x
        return with_dependencies(assertions, x)


def embed_check_categorical_event_shape(categorical_param, name="embed_check_categorical_event_shape"):
    """The parameter, checked to have at least 2 events and no more than its dtype counts exactly."""
    with name_scope(name, values=[categorical_param]):
        x = convert_to_tensor(categorical_param, name="categorical_param")
        x_dtype = x.dtype.base_dtype
        max_event_size = _largest_integer_by_dtype(x_dtype) if x_dtype.is_floating else 0
        if max_event_size == 0:
            raise TypeError(f"Unable to validate size of unrecognized dtype ({x_dtype.name}).")
        try:
            x_shape_static = x.get_shape().with_rank_at_least(1)
        except ValueError:
            raise ValueError("A categorical-distribution parameter must have at least 1 dimension.") from None
        if dimension_value(x_shape_static[-1]) is not None:
            event_size = x_shape_static.dims[-1].value
            if event_size < 2:
                raise ValueError("A categorical-distribution parameter must have at least 2 events.")
            if event_size > max_event_size:
                raise ValueError(f"Number of classes exceeds `dtype` precision, i.e., {x_dtype.name} implies shape "
                                 f"({event_size}) cannot exceed {max_event_size}.")
            return x
        event_size = shape_op(x, name="x_shape")[-1]
        return with_dependencies([
            assert_rank_at_least(x, 1, message="A categorical-distribution parameter must have at least 1 dimension."),
            assert_greater_equal(shape_op(x)[-1], 2,
                                 message="A categorical-distribution parameter must have at least 2 events."),
            assert_less_equal(event_size, max_event_size,
                              message=f"Number of classes exceeds `dtype` precision, i.e., {x_dtype.name} dtype "
                                      f"cannot exceed {max_event_size} shape.")], x)


def get_logits_and_probs(logits=None, probs=None, multidimensional=False, validate_args=False,
                         name="get_logits_and_probs", dtype=None):
    """(logits, probs) from one of them: sigmoid/softmax one way, log-odds/log the other."""
    with name_scope(name, values=[probs, logits]):
        if (probs is None) == (logits is None):
            raise ValueError("Must pass probs or logits, but not both.")
        if probs is None:
            logits = convert_to_tensor(logits, name="logits", dtype=dtype)
            if not logits.dtype.is_floating:
                raise TypeError("logits must having floating type.")
            if multidimensional:
                if validate_args:
                    logits = embed_check_categorical_event_shape(logits)
                return logits, softmax(logits, name="probs")
            return logits, sigmoid(logits, name="probs")
        probs = convert_to_tensor(probs, name="probs", dtype=dtype)
        if not probs.dtype.is_floating:
            raise TypeError("probs must having floating type.")
        if validate_args:
            with name_scope("validate_probs"):
                one = constant(1.0, probs.dtype)
                dependencies = [assert_non_negative(probs)]
                if multidimensional:
                    probs = embed_check_categorical_event_shape(probs)
                    dependencies += [assert_near(reduce_sum(probs, -1), one, message="probs does not sum to 1.")]
                else:
                    dependencies += [assert_less_equal(probs, one, message="probs has components greater than 1.")]
                probs = with_dependencies(dependencies, probs)
        with name_scope("logits"):
            if multidimensional:
                return log(probs), probs
            return log(probs) - log1p(-1.0 * probs), probs


def pick_vector(cond, true_vector, false_vector, name="pick_vector"):
    """true_vector if cond else false_vector, statically when cond is known."""
    with name_scope(name, values=(cond, true_vector, false_vector)):
        cond = convert_to_tensor(cond, name="cond")
        if cond.dtype != dtypes.bool:
            raise TypeError(f"{cond}.dtype={cond.dtype} which is not {dtypes.bool}")
        cond_value_static = constant_value(cond)
        if cond_value_static is not None:
            return true_vector if cond_value_static else false_vector
        true_vector = convert_to_tensor(true_vector, name="true_vector")
        false_vector = convert_to_tensor(false_vector, name="false_vector")
        if true_vector.dtype != false_vector.dtype:
            raise TypeError(f"{true_vector}.dtype={true_vector.dtype} does not match "
                            f"{false_vector}.dtype={false_vector.dtype}")
        n = shape_op(true_vector)[0]
        return slice_op(concat([true_vector, false_vector], 0), [where_v2(cond, 0, n)], [where(cond, n, -1)])


def gen_new_seed(seed, salt):
    """A new seed from seed and a salt string (None stays None)."""
    if seed is None:
        return None
    return int(hashlib.md5((str(seed) + salt).encode("utf-8")).hexdigest()[:8], 16) & 0x7FFFFFFF


def log_combinations(n, counts, name="log_combinations"):
    """log(n! / prod(counts!)) over the last axis of counts."""
    with name_scope(name, values=[n, counts]):
        n = convert_to_tensor(n, name="n")
        counts = convert_to_tensor(counts, name="counts")
        total_permutations = lgamma(n + 1)
        redundant_permutations = reduce_sum(lgamma(counts + 1), axis=[-1])
        return total_permutations - redundant_permutations

"""TF1's `tf.debugging` namespace."""
from .ops.checks import (add_check_numerics_ops, assert_equal, assert_greater, assert_greater_equal,  # noqa: F401
                         assert_integer, assert_less, assert_less_equal, assert_near, assert_negative,
                         assert_non_negative, assert_non_positive, assert_none_equal, assert_positive,
                         assert_proper_iterable, assert_rank, assert_rank_at_least, assert_rank_in,
                         assert_same_float_dtype, assert_scalar, assert_type, check_numerics, is_non_decreasing,
                         is_numeric_tensor, is_strictly_increasing, verify_tensor_all_finite as assert_all_finite,
                         assert_shapes)
from .ops.control import Assert  # noqa: F401
from .ops.math import is_finite, is_inf, is_nan  # noqa: F401

_flags = {"log_device_placement": False, "traceback_filtering": True}


def set_log_device_placement(enabled):
    """TF's eager-context flag; as in TF1 graph mode, sessions log placement only with their ConfigProto's."""
    _flags["log_device_placement"] = bool(enabled)


def get_log_device_placement():
    return _flags["log_device_placement"]


def enable_traceback_filtering():
    """TF hides its own frames in tracebacks when this is on; raygraph keeps the flag (its frames are few)."""
    _flags["traceback_filtering"] = True


def disable_traceback_filtering():
    _flags["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    return _flags["traceback_filtering"]


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """Not implemented: TF2's op-creation callbacks; use `tf.add_check_numerics_ops()` on a TF1 graph."""
    raise NotImplementedError("tf.debugging.enable_check_numerics instruments TF2 op callbacks, which raygraph "
                              "does not have; use tf.add_check_numerics_ops() or tf.debugging.check_numerics")


def disable_check_numerics():
    """Nothing to undo: enable_check_numerics is not implemented."""

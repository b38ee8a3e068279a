"""`tf.math`: elementwise math, reductions and segment sums (the same functions as at the top level)."""
from .ops.array import invert_permutation  # noqa: F401
from .ops.math import (abs, add, atan2, ceil, cos, div_no_nan, divide, equal, exp, expm1, floor,  # noqa: F401,A004
                       floordiv, floormod, greater, greater_equal, invert, is_finite, is_inf, is_nan, less, less_equal,
                       log, log1p, logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod, multiply,
                       negative, not_equal, pow, reciprocal, rint, round, rsqrt, sigmoid, sign, sin, sqrt, square,
                       squared_difference, subtract, tanh, truediv, truncatediv)
from .ops.reduction import (add_n, argmax, argmin, count_nonzero, reduce_all, reduce_any,  # noqa: F401,A004
                            reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)
from .ops.nn import softplus  # noqa: F401
from .ops.reduction import unsorted_segment_sum  # noqa: F401
from .ops.checks import is_non_decreasing, is_strictly_increasing  # noqa: F401
from .ops.segments import segment_sum  # noqa: F401

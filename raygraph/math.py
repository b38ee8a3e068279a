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
from .ops.reduction import cumsum  # noqa: F401
from .ops.ranking import approx_max_k, approx_min_k, in_top_k, top_k  # noqa: F401
from .ops.nn import log_softmax, softmax, softsign, l2_normalize  # noqa: F401
from .ops.nn_impl import zero_fraction  # noqa: F401
from .ops.math import div_no_nan as divide_no_nan  # noqa: F401
from .ops.special import (acos, acosh, asin, asinh, atan, atanh, bessel_i0, bessel_i0e, bessel_i1,  # noqa: F401
                          bessel_i1e, betainc, cosh, digamma, erf, erfc, erfcinv, erfinv, igamma, igammac, lbeta,
                          lgamma, log_sigmoid, multiply_no_nan, ndtri, nextafter, polygamma, sinh, tan, xdivy,
                          xlog1py, xlogy, zeta)
from .ops.complex import angle, conj, imag, real  # noqa: F401
from .ops.cumulative import (cumprod, cumulative_logsumexp, reduce_euclidean_norm, reduce_std,  # noqa: F401
                             reduce_variance)
from .ops.segments import (segment_max, segment_mean, segment_min, segment_prod, unsorted_segment_max,  # noqa: F401
                           unsorted_segment_mean, unsorted_segment_min, unsorted_segment_prod,
                           unsorted_segment_sqrt_n)
from .ops.bincount import bincount, sobol_sample  # noqa: F401
from .ops.math_functions import accumulate_n, polyval, reciprocal_no_nan, scalar_mul  # noqa: F401

"""raygraph: TensorFlow 1's graphs and sessions, run on Ray. `import raygraph as tf`."""
from . import dtypes, errors, nn, ops, train  # noqa: F401
from .convert import constant, convert_n_to_tensor, convert_to_tensor, register_tensor_conversion_function  # noqa: F401
from .device import DeviceSpec  # noqa: F401
from .dtypes import (DType, as_dtype, bool_ as bool, complex64, complex128, double, float16, float32,  # noqa: F401,A004
                     float64, half, int8, int16, int32, int64, resource, string, uint8, uint16, uint32, uint64,
                     variant)
from .errors import OpError  # noqa: F401
from .gradients import (AggregationMethod, NotDifferentiable, RegisterGradient, UnconnectedGradients,  # noqa: F401
                        gradients, no_gradient)
from .graph_def import AttrValue, GraphDef, NodeDef  # noqa: F401
from .importer import import_graph_def  # noqa: F401
from . import bitwise, client, compat, image, io, math, saved_model, summary  # noqa: F401,E402,A004
from .graph import (Graph, GraphKeys, add_to_collection, add_to_collections, colocate_with,  # noqa: F401
                    container, control_dependencies, device, get_collection, get_collection_ref,
                    get_default_graph, get_name_scope, name_scope, reset_default_graph)
from .operation import Operation  # noqa: F401
from .ops.joining import dynamic_stitch  # noqa: F401
from .ops.array import (broadcast_to, concat, expand_dims, fill, gather, identity, newaxis, one_hot,  # noqa: F401
                        invert_permutation, ones, ones_like, pad, placeholder, placeholder_with_default, range, rank, reshape,
                        reverse, shape, size, slice, split, squeeze, stack, stop_gradient, strided_slice, tile,
                        transpose, unstack, where, where_v2, zeros, zeros_like)
from .ops.control import Assert, Print, group, no_op, tuple, with_dependencies  # noqa: F401
from .ops.control_flow import cond  # noqa: F401
from .ops.script import numpy_function, py_func  # noqa: F401
from .ops.io import decode_jpeg, decode_png, read_file, write_file  # noqa: F401
from .ops.math import (abs, add, add_n, argmax, argmin, atan2, cast, ceil, cos, count_nonzero, div,  # noqa: F401
                       div_no_nan, divide, equal, exp, expm1, floor, floordiv, floormod, greater, greater_equal,
                       is_finite, is_inf, is_nan, less, less_equal, log, log1p, logical_and, logical_not,
                       logical_or, logical_xor, matmul, maximum, minimum, mod, multiply, negative, not_equal,
                       pow, reciprocal, reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean,
                       reduce_min, reduce_prod, reduce_sum, rint, round, rsqrt, sigmoid, sign, sin, sqrt, square,
                       squared_difference, subtract, tanh, to_float, to_int32, to_int64, truediv, truncatediv)
from .ops.reduction import unsorted_segment_sum  # noqa: F401
from .ops.state import assign, assign_add, assign_sub  # noqa: F401
from .ops.random import get_seed, random_normal, random_uniform, set_random_seed, truncated_normal  # noqa: F401
from .session import (ConfigProto, GPUOptions, GraphOptions, InteractiveSession, OptimizerOptions,  # noqa: F401
                      RunMetadata, RunOptions, Session, get_default_session)
from .shape import Dimension, TensorShape, dimension_value  # noqa: F401
from .tensor import Tensor  # noqa: F401
from .variables import (Variable, all_variables, assert_variables_initialized, global_variables,  # noqa: F401
                        global_variables_initializer, initialize_all_variables, initialize_local_variables,
                        initialize_variables, is_variable_initialized, local_variables,
                        local_variables_initializer, model_variables, moving_average_variables,
                        report_uninitialized_variables, trainable_variables, variables_initializer)

neg = negative
sub = subtract
mul = multiply
__version__ = "0.1.0"


def disable_v2_behavior():
    """raygraph only has TF1 behaviour; kept so TF1 programs run unchanged."""


disable_eager_execution = disable_v2_behavior
enable_resource_variables = disable_resource_variables = disable_v2_behavior


def executing_eagerly():
    return False

from . import initializers  # noqa: E402,F401
from .initializers import (constant_initializer, glorot_normal_initializer, glorot_uniform_initializer,  # noqa: E402,F401
                           ones_initializer, random_normal_initializer, random_uniform_initializer,
                           truncated_normal_initializer, variance_scaling_initializer, zeros_initializer)
from .variable_scope import (AUTO_REUSE, VariableScope, get_local_variable, get_variable,  # noqa: E402,F401
                             get_variable_scope, variable_op_scope, variable_scope)

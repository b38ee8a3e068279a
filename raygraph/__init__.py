"""raygraph: TensorFlow 1's graphs and sessions, run on Ray. `import raygraph as tf`."""
from . import (app, audio, bitwise, client, compat, contrib, data, debugging, dtypes, errors,  # noqa: F401
               feature_column, flags, gfile, graph_util, image, initializers, io, layers, linalg, logging, losses,
               manip, math, metrics, nest, nn, ops, python_io,
               queue, random, saved_model, sets, sparse, strings, summary, test, train)
from .convert import constant, convert_n_to_tensor, convert_to_tensor, register_tensor_conversion_function  # noqa: F401
from .default_graph import (add_to_collection, add_to_collections, colocate_with, container,  # noqa: F401
                            control_dependencies, device, get_collection, get_collection_ref, get_name_scope,
                            init_scope, name_scope)
from .device_spec import DeviceSpec  # noqa: F401
from .dtypes import (as_dtype, bool_ as bool, complex128, complex64, double, DType, float16, float32,  # noqa: F401
                     float64, half, int16, int32, int64, int8, resource, string, uint16, uint32, uint64, uint8, variant)
from .errors import OpError  # noqa: F401
from .gradients import (AggregationMethod, gradients, no_gradient, NotDifferentiable, RegisterGradient,  # noqa: F401
                        UnconnectedGradients)
from .graph import get_default_graph, Graph, GraphKeys, reset_default_graph  # noqa: F401
from .graph_def import AttrValue, GraphDef, NodeDef  # noqa: F401
from .logging import get_logger  # noqa: F401
from .importer import import_graph_def  # noqa: F401
from .initializers import (constant_initializer, glorot_normal_initializer, glorot_uniform_initializer,  # noqa: F401
                           ones_initializer, random_normal_initializer, random_uniform_initializer,
                           truncated_normal_initializer, variance_scaling_initializer, zeros_initializer)
from .initializers import orthogonal_initializer  # noqa: F401
from .operation import Operation  # noqa: F401
from .ops.array import (broadcast_to, expand_dims, identity, invert_permutation, newaxis, placeholder,  # noqa: F401
                        placeholder_with_default, rank, reshape, reverse, reverse_sequence, setdiff1d, shape, size,
                        squeeze, stop_gradient, transpose)
from .ops.checks import (add_check_numerics_ops, assert_equal, assert_greater, assert_greater_equal,  # noqa: F401
                         assert_integer, assert_less, assert_less_equal, assert_near, assert_negative,
                         assert_non_negative, assert_non_positive, assert_none_equal, assert_positive,
                         assert_proper_iterable, assert_rank, assert_rank_at_least, assert_rank_in,
                         assert_same_float_dtype, assert_scalar, assert_type, check_numerics, is_non_decreasing,
                         is_numeric_tensor, is_strictly_increasing, verify_tensor_all_finite)
from .ops.clip import (clip_by_average_norm, clip_by_global_norm, clip_by_norm, clip_by_value,  # noqa: F401
                        global_norm)
from .ops.control import Assert, group, no_op, Print, tuple, with_dependencies  # noqa: F401
from .ops.indexed_slices import IndexedSlices, IndexedSlicesValue, convert_to_tensor_or_indexed_slices  # noqa: F401
from .ops.segments import segment_sum, sparse_segment_mean, sparse_segment_sqrt_n, sparse_segment_sum  # noqa: F401
from .ops.sparse_math import (sparse_maximum, sparse_minimum, sparse_reduce_max, sparse_reduce_max_sparse,  # noqa: F401
                              sparse_reduce_sum, sparse_reduce_sum_sparse, sparse_softmax)
from .ops.sparse_ops import (sparse_add, sparse_mask, sparse_merge, sparse_reorder, sparse_reset_shape,  # noqa: F401
                             sparse_reshape, sparse_retain, sparse_tensor_dense_matmul, sparse_tensor_to_dense,
                             sparse_to_indicator, sparse_transpose)
from .ops.sparse_slicing import sparse_concat, sparse_fill_empty_rows, sparse_slice, sparse_split  # noqa: F401
from .ops.sparse_tensor import (convert_to_tensor_or_sparse_tensor, sparse_placeholder, SparseTensor,  # noqa: F401
                                SparseTensorValue)
from .ops.scatter import (scatter_add, scatter_div, scatter_max, scatter_min, scatter_mul, scatter_sub,  # noqa: F401
                          scatter_update, sparse_to_dense, unique)
from .ops.control_flow import cond  # noqa: F401
from .ops.while_loop import while_loop  # noqa: F401
from .ops.tensor_array import TensorArray  # noqa: F401
from .functional import case, foldl, foldr, map_fn, scan  # noqa: F401
from .ops.filling import fill, one_hot, ones, ones_like, range, zeros, zeros_like  # noqa: F401
from .ops.io import decode_jpeg, decode_png, read_file, write_file  # noqa: F401
from .ops.parsing import (decode_csv, decode_raw, FixedLenFeature, parse_example, parse_single_example,  # noqa: F401
                          VarLenFeature)
from .ops.parsing import FixedLenSequenceFeature, SparseFeature  # noqa: F401
from .ops.io import matching_files  # noqa: F401
from .ops.readers import (FixedLengthRecordReader, IdentityReader, LMDBReader, ReaderBase,  # noqa: F401
                          TextLineReader, TFRecordReader, WholeFileReader)
from .ops.sequence_examples import parse_single_sequence_example  # noqa: F401
from .ops.serialization import (decode_compressed, decode_json_example, deserialize_many_sparse,  # noqa: F401
                                parse_tensor, serialize_many_sparse, serialize_sparse, serialize_tensor)
from .ops.joining import concat, dynamic_partition, dynamic_stitch, pad, split, stack, tile, unstack  # noqa: F401
from .ops.linalg import matmul, tensordot  # noqa: F401
from .ops.decompositions import qr, svd  # noqa: F401
from .ops.least_squares import matrix_solve_ls  # noqa: F401
from .ops.matrix_functions import matrix_square_root  # noqa: F401
from .ops.products import cross, einsum, norm, tensor_diag as diag, tensor_diag_part as diag_part  # noqa: F401
from .ops.matrix import (cholesky, cholesky_solve, eye, matrix_band_part, matrix_determinant, matrix_diag,  # noqa: F401
                         matrix_diag_part, matrix_inverse, matrix_set_diag, matrix_solve, matrix_transpose,
                         matrix_triangular_solve, self_adjoint_eig, self_adjoint_eigvals, trace)
from .ops.math import (abs, add, atan2, cast, ceil, cos, div, div_no_nan, divide, equal, exp, expm1,  # noqa: F401
                       floor, floordiv, floormod, greater, greater_equal, is_finite, is_inf, is_nan, less, less_equal,
                       log, log1p, logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod, multiply,
                       negative, not_equal, pow, reciprocal, rint, round, rsqrt, sigmoid, sign, sin, sqrt, square,
                       squared_difference, subtract, tanh, to_float, to_int32, to_int64, truediv, truncatediv)
from .ops.accumulators import ConditionalAccumulator, SparseConditionalAccumulator  # noqa: F401
from .ops.queues import FIFOQueue, PaddingFIFOQueue, PriorityQueue, QueueBase, RandomShuffleQueue  # noqa: F401
from .ops.random import get_seed, random_normal, random_shuffle, random_uniform, set_random_seed, truncated_normal  # noqa: F401
from .ops.random import multinomial, random_gamma, random_poisson  # noqa: F401
from .ops.array import broadcast_dynamic_shape  # noqa: F401
from .image_core import random_crop  # noqa: F401
from .ops.reduction import (add_n, arg_max, arg_min, argmax, argmin, count_nonzero, reduce_all, reduce_any,  # noqa: F401
                            reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum,
                            unsorted_segment_sum)
from .ops.script import numpy_function, py_func  # noqa: F401
from .ops.slicing import gather, slice, strided_slice, where, where_v2  # noqa: F401
from .ops.string_joins import reduce_join, string_join  # noqa: F401
from .ops.regexes import regex_replace  # noqa: F401
from .ops.strings import (as_string, decode_base64, encode_base64, string_split, string_strip,  # noqa: F401
                          string_to_hash_bucket, string_to_hash_bucket_fast, string_to_hash_bucket_strong,
                          string_to_number, substr)
from .ops.state import assign, assign_add, assign_sub, count_up_to  # noqa: F401
from .ops.blocks import batch_to_space, batch_to_space_nd, depth_to_space, space_to_batch, space_to_batch_nd, space_to_depth  # noqa: F401,E501
from .metrics import confusion_matrix  # noqa: F401
from .ops.reduction import cumsum  # noqa: F401
# tf.math's functions at the top level (issue 16)
from .ops.special import (acos, acosh, asin, asinh, atan, atanh, betainc, cosh, digamma, erf, erfc,  # noqa: F401
                          igamma, igammac, lbeta, lgamma, log_sigmoid, polygamma, sinh, tan, truncatemod, zeta)
from .ops.complex import angle, complex, conj, imag, real, to_complex128, to_complex64  # noqa: F401,A004
from .ops.cumulative import cumprod  # noqa: F401
from .ops.segments import (segment_max, segment_mean, segment_min, segment_prod, unsorted_segment_max,  # noqa: F401
                           unsorted_segment_mean, unsorted_segment_min, unsorted_segment_prod,
                           unsorted_segment_sqrt_n)
from .ops.bincount import bincount  # noqa: F401
from .ops.math_functions import accumulate_n, floor_div, realdiv, saturate_cast, scalar_mul, to_double  # noqa: F401
from .ops.slicing import gather_nd, scatter_nd  # noqa: F401
from .session import (ConfigProto, get_default_session, GPUOptions, GraphOptions, InteractiveSession,  # noqa: F401
                      OptimizerOptions, RunMetadata, RunOptions, Session)
from .shape import Dimension, dimension_value, TensorShape  # noqa: F401
from .tensor import Tensor  # noqa: F401
from .variable_scope import (AUTO_REUSE, get_local_variable, get_variable, get_variable_scope,  # noqa: F401
                             variable_op_scope, variable_scope, VariableScope)
from .variables import (all_variables, assert_variables_initialized, global_variables,  # noqa: F401
                        global_variables_initializer, initialize_all_variables, initialize_local_variables,
                        initialize_variables, is_variable_initialized, local_variables, local_variables_initializer,
                        model_variables, moving_average_variables, report_uninitialized_variables, trainable_variables,
                        Variable, variables_initializer)
# issue 16's array ops (helper "arrays")
from .ops.array import reverse as reverse_v2, shape_n  # noqa: F401
from .ops.blocks import required_space_to_batch_paddings  # noqa: F401
from .ops.conv_general import conv, conv2d_backprop_filter_v2, conv2d_backprop_input_v2  # noqa: F401
from .ops.edit_distance import edit_distance  # noqa: F401
from .ops.fft import fft, fft2d, fft3d, fftnd, ifft, ifft2d, ifft3d, ifftnd, irfftnd, rfftnd  # noqa: F401
from . import config, signal, spectral  # noqa: F401
from .ops.quantize import (fake_quant_with_min_max_args, fake_quant_with_min_max_args_gradient,  # noqa: F401
                           fake_quant_with_min_max_vars, fake_quant_with_min_max_vars_gradient,
                           fake_quant_with_min_max_vars_per_channel, fake_quant_with_min_max_vars_per_channel_gradient)
from .ops.quantized import dequantize, quantize, quantize_v2, quantized_concat  # noqa: F401
from . import quantization  # noqa: F401,E402
from .ops.patches import extract_image_patches, extract_volume_patches  # noqa: F401
from .ops.permutations import random_index_shuffle  # noqa: F401
from .ops.sparse_matmul import sparse_matmul  # noqa: F401
from .ops.hashing import fingerprint  # noqa: F401
from .ops.histograms import histogram_fixed_width, histogram_fixed_width_bins, unique_with_counts  # noqa: F401
from .ops.identities import (bitcast, broadcast_static_shape, dimension_at_index, ensure_shape,  # noqa: F401
                             guarantee_const)
from .ops.scatter_nd import (batch_scatter_update, scatter_nd_add, scatter_nd_sub, scatter_nd_update,  # noqa: F401
                             tensor_scatter_nd_add, tensor_scatter_nd_max, tensor_scatter_nd_min, tensor_scatter_nd_sub,
                             tensor_scatter_nd_update)
from .ops.scatter_nd import (tensor_scatter_nd_add as tensor_scatter_add,  # noqa: F401
                             tensor_scatter_nd_sub as tensor_scatter_sub,
                             tensor_scatter_nd_update as tensor_scatter_update)
from .ops.sequences import (batch_gather, boolean_mask, linspace, linspace as lin_space, meshgrid,  # noqa: F401
                            parallel_stack, repeat, roll, sequence_mask, unravel_index)
from .ops.sorting import approx_top_k, argsort, searchsorted, sort  # noqa: F401

__version__ = "1.15.0"  # TF 1.15's, as tf.VERSION: TF1 programs compare tf.__version__ (the package: 0.1.0)
def disable_v2_behavior():
    """raygraph only has TF1 behaviour; kept so TF1 programs run unchanged."""
disable_eager_execution = disable_v2_behavior
enable_resource_variables = disable_resource_variables = disable_v2_behavior
disable_v2_tensorshape = disable_tensor_equality = disable_control_flow_v2 = disable_v2_behavior  # TF1's defaults
def control_flow_v2_enabled():
    return False
def executing_eagerly():
    return False
# `tf.initializers`' names for the variable initializers (defined above it, in variables.py)
initializers.global_variables, initializers.local_variables = global_variables_initializer, local_variables_initializer
initializers.variables = variables_initializer
train.summary_iterator = summary.summary_iterator  # (defined in summary.writer, above tf.train)
io.write_graph, io.match_filenames_once = train.write_graph, train.match_filenames_once  # (tf.train is above tf.io)
dtypes.as_string = as_string  # `tf.dtypes.as_string` is the string op, defined above dtypes (ops/strings.py)
# ----- framework-level names (issue 16): versions, protos, specs, dtypes, misc ---------------------------
from tensorboard.compat.proto.attr_value_pb2 import NameAttrList  # noqa: E402,F401
from tensorboard.compat.proto.event_pb2 import LogMessage  # noqa: E402,F401
from tensorboard.compat.proto.meta_graph_pb2 import MetaGraphDef, TensorInfo  # noqa: E402,F401
from .summary import Event, HistogramProto, SessionLog, Summary, SummaryMetadata  # noqa: E402,F401
from . import versions as version  # noqa: E402,F401 - tf.version
from .versions import (COMPILER_VERSION, CXX11_ABI_FLAG, CXX_VERSION, GIT_VERSION, GRAPH_DEF_VERSION,  # noqa: E402,F401
                       GRAPH_DEF_VERSION_MIN_CONSUMER, GRAPH_DEF_VERSION_MIN_PRODUCER, MONOLITHIC_BUILD, VERSION)
from .dtypes import bfloat16, qint16, qint32, qint8, quint16, quint8, QUANTIZED_DTYPES  # noqa: E402,F401
from .ops.math import to_bfloat16  # noqa: E402,F401
from .type_spec import (IndexedSlicesSpec, NoneTensorSpec, OptionalSpec, SparseTensorSpec,  # noqa: E402,F401
                        TensorArraySpec, TensorSpec, type_spec_from_value, TypeSpec)
from .ragged import RaggedTensor, ragged_fill_empty_rows, ragged_fill_empty_rows_grad, RaggedTensorSpec  # noqa: E402,F401,E501
from .native_libraries import load_file_system_library, load_library, load_op_library  # noqa: E402,F401
from .tensor_util import get_static_value, is_symbolic_tensor, is_tensor, make_ndarray, make_tensor_proto  # noqa: E402,F401,E501
from .variables import VariableAggregation, VariableSynchronization  # noqa: E402,F401
from .ops.accumulators import ConditionalAccumulatorBase  # noqa: E402,F401
from .lookup_tables import initialize_all_tables, tables_initializer  # noqa: E402,F401
from .variable_scope import no_regularizer  # noqa: E402,F401
from . import lookup  # noqa: E402,F401
from .default_graph import op_scope  # noqa: E402,F401
from .initializers import UniformUnitScaling as uniform_unit_scaling_initializer  # noqa: E402,F401
NoGradient = no_gradient
dtypes.cast = cast  # `tf.dtypes.cast` is the Cast op (ops/math.py, above dtypes)
from .custom_gradient import custom_gradient, grad_pass_through  # noqa: E402,F401
from .gradients import hessians  # noqa: E402,F401
from .ops.array import identity_n  # noqa: E402,F401
from .ops.printing import print_v2 as print, timestamp  # noqa: E402,F401,A004
from .ops.session_handles import delete_session_tensor, get_session_handle, get_session_tensor  # noqa: E402,F401
from .ops.script import py_function  # noqa: E402,F401
from .switch_case import switch_case  # noqa: E402,F401
from .templates import make_template  # noqa: E402,F401
from .partitioners import (create_partitioned_variables, fixed_size_partitioner,  # noqa: E402,F401
                           min_max_variable_partitioner, variable_axis_size_partitioner)
from .batching import nondifferentiable_batch_function  # noqa: E402,F401
dtypes.complex, dtypes.saturate_cast = complex, saturate_cast  # ops defined above dtypes (ops/complex.py...)
math.confusion_matrix = confusion_matrix  # defined in metrics.py, above tf.math
from . import distributions  # noqa: E402,F401
from . import python  # noqa: E402,F401 - TF's internal module paths (tensorflow.python..., contrib's) importable

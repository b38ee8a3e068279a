"""The op table (see registry.py); importing this package loads every op family into it."""
from . import blocks, nn_impl, ranking  # noqa: F401
from . import (array, candidate_sampling, clip, control, control_flow, conv, embedding, filling,  # noqa: F401
               io, joining, linalg, math, nn, normalization, operators, parsing, pooling, queues, random, reduction,
               scatter, script, slicing, state, summary, tensor_array, training, while_loop)
from . import accumulators, boxes, color, image, segments, sets, sparse_math, sparse_ops, sparse_slicing, sparse_tensor  # noqa: F401
from . import crop_sampling, morphology, replica_losses, sparse_cross, stateless_random  # noqa: F401
from . import bincount, complex, cumulative, math_functions, special  # noqa: F401
from . import regexes, string_joins, strings  # noqa: F401
from . import conv_general, edit_distance, fft, hashing, histograms, identities, patches, permutations, quantize, scatter_nd, sequences, sorting, sparse_matmul  # noqa: F401
from . import ctc, fractional_pooling  # noqa: F401
from .registry import REGISTRY, NOT_DIFFERENTIABLE, apply_op, op  # noqa: F401

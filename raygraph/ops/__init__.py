"""The op table (see registry.py); importing this package loads every op family into it."""
from . import blocks, nn_impl, ranking  # noqa: F401
from . import (array, clip, control, control_flow, conv, filling, io, joining, linalg, math, nn,  # noqa: F401
               normalization, operators, parsing, pooling, random, reduction, script, slicing, state, summary,
               tensor_array, training, while_loop)
from .registry import REGISTRY, NOT_DIFFERENTIABLE, apply_op, op  # noqa: F401

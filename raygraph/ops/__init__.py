"""The op table (see registry.py); importing this package loads every op family into it."""
from . import (array, clip, control, control_flow, conv, filling, io, joining, linalg, math, nn,  # noqa: F401
               normalization, operators, pooling, queues, random, reduction, script, slicing, state, summary,
               training)
from .registry import REGISTRY, NOT_DIFFERENTIABLE, apply_op, op  # noqa: F401

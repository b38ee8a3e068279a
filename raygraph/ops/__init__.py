"""The op table (see registry.py); importing this package loads every op family into it."""
from . import (array, control, control_flow, filling, io, joining, linalg, math, nn, operators, random,  # noqa: F401
               reduction, script, slicing, state, summary, training)
from .registry import REGISTRY, NOT_DIFFERENTIABLE, apply_op, op  # noqa: F401

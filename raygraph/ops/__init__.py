"""The op table (see registry.py); importing this package loads every op family into it."""
from . import array, control, control_flow, io, math, nn, random, script, state, summary, training  # noqa: F401
from .registry import REGISTRY, NOT_DIFFERENTIABLE, apply_op, op  # noqa: F401

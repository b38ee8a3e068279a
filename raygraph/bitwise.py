"""`tf.bitwise`: integer bit operations."""
from .ops.math import bitwise_and, bitwise_or, bitwise_xor, invert, left_shift, right_shift  # noqa: F401

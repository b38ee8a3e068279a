"""`tf.image`: image decoding."""
from .ops.io import decode_jpeg, decode_png  # noqa: F401

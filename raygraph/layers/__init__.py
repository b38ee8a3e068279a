"""`tf.layers`: TF1's layers (classes and function forms) with their variable scopes and reuse."""
from .base import InputSpec, Layer  # noqa: F401
from .core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401

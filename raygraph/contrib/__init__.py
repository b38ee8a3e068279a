"""`tf.contrib`: the parts of TF 1.x's contrib that TF1 programs use most (`contrib.layers`)."""
from . import layers  # noqa: F401

"""`tf.contrib`: the parts of TF 1.x's contrib that TF1 programs use most (`contrib.layers`, `contrib.rnn`)."""
from . import layers, rnn  # noqa: F401

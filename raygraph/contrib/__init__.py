"""`tf.contrib`: the parts of TF 1.x's contrib that TF1 programs use most (`contrib.layers`, `contrib.framework`'s
arg scopes, `contrib.rnn`, `contrib.seq2seq`'s sequence loss)."""
from . import framework, layers, learn, lookup, rnn, seq2seq, tensorboard, training  # noqa: F401

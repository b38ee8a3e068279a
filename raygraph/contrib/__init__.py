"""`tf.contrib`: the parts of TF 1.x's contrib that TF1 programs use most (`contrib.layers`, `contrib.framework`'s
arg scopes, `contrib.rnn`, `contrib.seq2seq`'s sequence loss)."""
from . import framework, layers, learn, lookup, rnn, seq2seq, tensorboard, training  # noqa: F401


def __getattr__(name):
    """`tf.contrib.slim`, imported on first use: it stands on tf.train, which comes after tf.contrib."""
    if name == "slim":
        import importlib
        return importlib.import_module(".slim", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

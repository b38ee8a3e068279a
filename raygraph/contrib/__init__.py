"""`tf.contrib`: the parts of TF 1.x's contrib that TF1 programs use most (`contrib.layers`, `contrib.framework`'s
arg scopes, `contrib.rnn`, `contrib.seq2seq`'s sequence loss)."""
from . import crf, framework, layers, learn, legacy_seq2seq, lookup, rnn, seq2seq, tensorboard, training  # noqa: F401

# imported on first use: they stand on tf.train, which comes after tf.contrib (TF 1.15's contrib.losses and
# contrib.metrics are the modules slim.losses and slim.metrics)
_LATER = {"slim": ".slim", "losses": ".slim.losses", "metrics": ".slim.metrics", "opt": ".opt"}


def __getattr__(name):
    if name in _LATER:
        import importlib
        return importlib.import_module(_LATER[name], __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

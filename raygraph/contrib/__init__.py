"""`tf.contrib`: the parts of TF 1.15's contrib that TF1 programs import: layers and framework (arg scopes,
variable functions), slim, rnn (cells, wrappers, fused block cells), seq2seq's loss, legacy_seq2seq, crf, lookup,
opt, data, deprecated (the pre-1.0 *_summary functions), training's HParams, learn's text preprocessing and
tensorboard's projector config; `contrib.losses` and `contrib.metrics` are slim's, as in TF 1.15."""
from . import (crf, data, deprecated, framework, layers, learn, legacy_seq2seq, lookup, opt, rnn,  # noqa: F401
               seq2seq, slim, staging, tensorboard, training)
from .slim import losses, metrics  # noqa: F401

"""`tf.contrib.learn`: the part TF1 programs still import from it, its text preprocessing (`preprocessing`) and
the mode names (`ModeKeys`) that TF1 model code branches on."""
from . import preprocessing  # noqa: F401


class ModeKeys(object):
    """TF 1.15's `tf.contrib.learn.ModeKeys`: the standard names for model modes (the strings TF uses)."""
    TRAIN = "train"
    EVAL = "eval"
    INFER = "infer"

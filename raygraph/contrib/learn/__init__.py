"""`tf.contrib.learn`: the part TF1 programs still import from it, its text preprocessing (`preprocessing`)."""
from . import preprocessing  # noqa: F401

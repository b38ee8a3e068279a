"""`tf.client`: `timeline`, the Chrome-trace view of a traced step."""
from . import timeline  # noqa: F401

"""`tf.client`: `timeline`, the Chrome-trace view of a traced step."""
from . import device_lib, timeline  # noqa: F401

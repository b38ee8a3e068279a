"""`slim.initializers` (tf_slim.initializers): the contrib initializers under tf_slim's module name
(facenet's `slim.initializers.xavier_initializer()`)."""
from ..layers import variance_scaling_initializer, xavier_initializer, xavier_initializer_conv2d  # noqa: F401

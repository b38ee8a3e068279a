"""`tf.manip`: TF 1.x's namespace for the array manipulations (the same functions as at the top level)."""
from .ops.array import reshape, reverse  # noqa: F401
from .ops.blocks import batch_to_space_nd, space_to_batch_nd  # noqa: F401
from .ops.joining import tile  # noqa: F401
from .ops.sequences import roll  # noqa: F401
from .ops.slicing import gather_nd, scatter_nd  # noqa: F401

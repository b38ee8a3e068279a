"""TF1's `tf.random` namespace (the random ops raygraph has: Philox streams bit-identical to TF's)."""
from .ops.random import (get_seed, random_normal as normal, random_uniform as uniform,  # noqa: F401
                         set_random_seed, truncated_normal)

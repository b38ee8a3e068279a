"""`tf.contrib.opt`: the TF 1.15 contrib optimizers TF1 programs import, built as TF's code builds them on
raygraph's `tf.train` optimizers (the same slots, non-slot variables, op types and names)."""
from .adam_variants import AdaMaxOptimizer, LazyAdamOptimizer, NadamOptimizer  # noqa: F401
from .external_optimizer import ExternalOptimizerInterface, ScipyOptimizerInterface  # noqa: F401
from .weight_decay_optimizers import (  # noqa: F401
    AdamWOptimizer,
    DecoupledWeightDecayExtension,
    MomentumWOptimizer,
    extend_with_decoupled_weight_decay,
)
from .wrappers import (  # noqa: F401
    DropStaleGradientOptimizer,
    MovingAverageOptimizer,
    MultitaskOptimizerWrapper,
    VariableClippingOptimizer,
    clip_gradients_by_global_norm,
)

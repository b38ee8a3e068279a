"""`slim.regularizers` (tf_slim.regularizers): the contrib regularizers under tf_slim's module name."""
from ..layers import (  # noqa: F401
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)

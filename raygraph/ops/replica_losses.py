"""Losses averaged over a batch split among replicas (`tf.nn.compute_average_loss`,
`scale_regularization_loss`), as TF builds them outside a distribution strategy: one replica."""
from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import control_dependencies
from .array import expand_dims, rank, shape, squeeze
from .checks import assert_greater_equal, assert_integer, assert_non_negative, assert_scalar
from .math import cast, div_no_nan, multiply
from .reduction import reduce_sum

REPLICAS = 1  # raygraph runs no tf.distribute strategy: every graph is its only replica


def scale_regularization_loss(regularization_loss):
    """The summed regularization loss, divided by the number of replicas."""
    return reduce_sum(regularization_loss) / REPLICAS


def _match_rank(losses, weight):
    """The sample weight squeezed or expanded by one trailing dim to the losses' rank, where static ranks say so."""
    lr, wr = losses.shape.ndims, weight.shape.ndims
    if lr is not None and wr is not None:
        if wr - lr == 1 and weight.shape.dims[-1].value == 1:
            return squeeze(weight, [-1])
        if lr - wr == 1:
            return expand_dims(weight, -1)
    return weight


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """sum(per_example_loss * sample_weight) / global_batch_size (the batch size times the replicas by default);
    0 when the batch is empty."""
    per_example_loss = convert_to_tensor(per_example_loss)
    dtype = per_example_loss.dtype
    checks = []
    rank_ = per_example_loss.shape.ndims
    if rank_ == 0:
        raise ValueError(f"Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1. "
                         f"Received per_example_loss={per_example_loss} with rank {rank_}")
    if rank_ is None:
        checks.append(assert_greater_equal(rank(per_example_loss), cast(1, dtype=dtypes.int32),
                                           message="Invalid value passed for `per_example_loss`. Expected a tensor "
                                                   "with at least rank 1."))
    with control_dependencies(checks):
        if sample_weight is not None:
            sample_weight = convert_to_tensor(sample_weight)
            losses = cast(per_example_loss, dtypes.float32)
            per_example_loss = multiply(losses, _match_rank(losses, cast(sample_weight, dtypes.float32)))
        per_example_loss = cast(per_example_loss, dtype)
        if global_batch_size is None:
            global_batch_size = shape(per_example_loss)[0] * REPLICAS
        assert_scalar(global_batch_size, message="global_batch_size must be scalar.")
        assert_integer(global_batch_size, message="global_batch_size must be an integer.")
        assert_non_negative(global_batch_size, message="global_batch_size must be non-negative.")
        loss = reduce_sum(per_example_loss)
        return div_no_nan(loss, cast(global_batch_size, dtype))

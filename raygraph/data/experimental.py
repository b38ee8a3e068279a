"""`tf.data.experimental`'s common part: AUTOTUNE, `map_and_batch`, `parallel_interleave`, `shuffle_and_repeat`,
`make_csv_dataset`."""
from .. import dtypes
from ..shape import TensorShape
from . import structure as nest
from .csv_dataset import make_csv_dataset  # noqa: F401
from .dataset import AUTOTUNE, Dataset, _batch_dim, _const
from .structure import Spec


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None):
    """`map(map_func)` then `batch(batch_size)` as one op (`MapAndBatchDataset`), for `Dataset.apply`."""
    parallel = num_parallel_calls if num_parallel_calls is not None else (num_parallel_batches or 1) * batch_size

    def apply(dataset):
        f, structure, _ = dataset._trace(map_func, "map_and_batch")
        size = _const(batch_size, dtypes.int64, "batch_size")
        n = _const(parallel, dtypes.int64, "num_parallel_calls")
        drop = _const(drop_remainder, dtypes.bool_, "drop_remainder")
        dim = _batch_dim(size, drop)
        batched = nest.map_structure(lambda s: Spec(s.dtype, TensorShape([dim]).concatenate(s.shape)), structure)
        return dataset._apply("MapAndBatchDataset", [dataset._variant_tensor, size, n, drop], batched, {"f": f})
    return apply


def parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False, buffer_output_elements=None,
                        prefetch_input_elements=None):
    """`interleave(map_func, cycle_length, block_length)`, for `Dataset.apply` (in order even if `sloppy`)."""
    return lambda dataset: dataset.interleave(map_func, cycle_length, block_length)


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """`shuffle(buffer_size, seed)` then `repeat(count)`, for `Dataset.apply` (as TF 2 builds it)."""
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


__all__ = ["AUTOTUNE", "Dataset", "make_csv_dataset", "map_and_batch", "parallel_interleave", "shuffle_and_repeat"]

"""`tf.contrib.data` as TF 1.15 had it: the names it moved to `tf.data.experimental` (the same objects here;
TF 1.15 wrapped most in deprecation warnings) and the few it kept: drop-remainder batching, sliding windows,
sloppy interleave, `reduce_dataset`, `assert_element_shape` and `read_batch_features`."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..data import Dataset
from ..data import structure as nest
from ..data.experimental import (  # noqa: F401
    AUTOTUNE,
    Counter,
    CsvDataset,
    Optional,
    RandomDataset,
    Reducer,
    SqlDataset,
    TFRecordWriter,
    bucket_by_sequence_length,
    choose_from_datasets,
    copy_to_device,
    dense_to_sparse_batch,
    enumerate_dataset,
    get_next_as_optional,
    get_single_element,
    group_by_reducer,
    group_by_window,
    ignore_errors,
    make_batched_features_dataset,
    make_csv_dataset,
    make_saveable_from_iterator,
    map_and_batch,
    parallel_interleave,
    parse_example_dataset,
    prefetch_to_device,
    rejection_resample,
    sample_from_datasets,
    scan,
    shuffle_and_repeat,
    unbatch,
    unique,
)
from ..data.iterator import make_one_shot_iterator
from ..default_graph import control_dependencies
from ..errors import not_implemented
from ..ops.array import identity, reshape, shape, size
from ..ops.control import Assert
from ..ops.math import equal, logical_and, logical_or
from ..ops.reduction import reduce_all
from ..shape import as_shape

CheckpointInputPipelineHook = not_implemented("tf.contrib.data", "CheckpointInputPipelineHook",
                                              "an iterator's position is not saved in checkpoints.")
LMDBDataset = not_implemented("tf.contrib.data", "LMDBDataset", "raygraph has no LMDB dataset kernel (only "
                              "tf.LMDBReader, which needs the `lmdb` package).")


def batch_and_drop_remainder(batch_size):
    """`Dataset.batch(batch_size, drop_remainder=True)`."""
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)


def padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values=None):
    """`Dataset.padded_batch(..., drop_remainder=True)`."""
    return lambda dataset: dataset.padded_batch(batch_size, padded_shapes=padded_shapes,
                                                padding_values=padding_values, drop_remainder=True)


def sloppy_interleave(map_func, cycle_length, block_length=1):
    """`parallel_interleave(..., sloppy=True)`."""
    return parallel_interleave(map_func, cycle_length, block_length, sloppy=True)


def sliding_window_batch(window_size, stride=None, window_shift=None, window_stride=1):
    """Full windows of `window_size` elements `window_stride` apart, starting every `window_shift` (or the
    deprecated `stride`) elements, each batched (unknown batch dimension, as TF's SlidingWindowDataset)."""
    if stride is not None and window_shift is not None:
        raise ValueError("Cannot specify both `stride` and `window_shift`")
    shift = window_shift if window_shift is not None else (1 if stride is None else stride)

    def batched(*windows):
        if len(windows) == 1 and not isinstance(windows[0], Dataset):
            windows = windows[0]
        return Dataset.zip(nest.map_structure(lambda w: w.batch(window_size), windows))

    def apply(dataset):
        windows = dataset.window(window_size, shift, window_stride, drop_remainder=True)
        if isinstance(dataset._structure, (tuple, dict)):
            return windows.flat_map(batched)
        return windows.flat_map(lambda w: w.batch(window_size))
    return apply


def reduce_dataset(dataset, reducer):
    """`reducer.finalize_func(dataset.reduce(reducer.init_func(0), reducer.reduce_func))`: one group of
    group_by_reducer, its finalized initial state when `dataset` is empty."""
    if not isinstance(dataset, Dataset):
        raise TypeError("`dataset` must be a `tf.data.Dataset` object.")
    state = reducer.init_func(np.int64(0))
    sentinel = Dataset.from_tensors(reducer.finalize_func(*state) if isinstance(state, tuple)
                                    else reducer.finalize_func(state))
    reduced = dataset.apply(group_by_reducer(lambda *_: np.int64(0), reducer))
    return get_single_element(reduced.concatenate(sentinel).take(1))


def _with_shape(expected, tensor):
    """`tensor`, checked at run time against the known dims of `expected` when its own shape is not known."""
    if tensor.shape.is_fully_defined():
        return tensor
    if expected.rank == 0:
        return reshape(tensor, [])  # TF 1.15's special case: a scalar, or one value of any rank
    dims = convert_to_tensor([-1 if d is None else d for d in expected.as_list()], dtype=dtypes.int32)
    actual = shape(tensor)
    ok = logical_and(equal(size(actual), expected.rank), reduce_all(logical_or(equal(dims, -1), equal(dims, actual))))
    with control_dependencies([Assert(ok, [f"Wrong shape for {tensor.name} [expected] [actual].", dims, actual])]):
        out = identity(tensor)
    out.set_shape(expected)
    return out


def assert_element_shape(expected_shapes):
    """Merges `expected_shapes` (a structure of TensorShapes) into the dataset's static shapes (ValueError if
    incompatible) and checks elements of unknown shape at run time (InvalidArgumentError)."""
    def apply(dataset):
        flat = nest.flatten(dataset._structure)
        expected = [as_shape(s) for s in nest.flatten(expected_shapes)]
        for spec, want in zip(flat, expected):
            spec.shape.merge_with(want)

        def check(*elements):
            value = elements[0] if len(elements) == 1 else elements
            checked = [_with_shape(want, t) if want else t for want, t in zip(expected, nest.flatten(value))]
            return nest.pack(value, checked)
        return dataset.map(check)
    return apply


def read_batch_features(file_pattern, batch_size, features, reader=None, reader_args=None, randomize_input=True,
                        num_epochs=None, capacity=10000):
    """The next batch (a dict of features) of `make_batched_features_dataset`'s one-shot iterator."""
    dataset = make_batched_features_dataset(file_pattern, batch_size, features, reader=reader,
                                            reader_args=reader_args, shuffle=randomize_input,
                                            num_epochs=num_epochs, shuffle_buffer_size=capacity)
    return make_one_shot_iterator(dataset).get_next()

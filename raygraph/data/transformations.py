"""`tf.data.experimental`'s transformations for `Dataset.apply` (scan, take_while, unique, grouping, bucketing,
sampling...), counts and cardinality, optionals, the TFRecord writer, options, and the specs' old names.

Functions given here are traced like `map`'s (`_trace`): each argument structure becomes one argument (a lone
tuple element is unpacked, as `map` does), a dataset-valued argument a `Dataset`."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..ops import math as math_ops
from ..ops.array import reshape
from ..ops.filling import zeros
from ..ops.random import get_seed, random_uniform
from ..ops.reduction import reduce_max, reduce_min, reduce_sum
from ..ops.registry import apply_op
from ..ops.slicing import gather, where
from ..ops.stateless_random import stateless_multinomial
from ..shape import TensorShape
from ..tensor import Tensor
from . import structure as nest
from .dataset import (AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, _batch_dim, _const,  # noqa: F401
                      _most_specific, _normalize, _spec_of, shown_as, trace as _trace, trace_state)
from .options import (AutoShardPolicy, AutotuneAlgorithm, AutotuneOptions, DistributeOptions,  # noqa: F401
                      ExternalStatePolicy, OptimizationOptions, Options, ServiceOptions, ThreadingOptions)
from .specs import (DatasetSpec, OptionalSpec, RaggedTensorStructure, SparseTensorSpec, SparseTensorStructure,  # noqa: F401
                    Structure, TensorArrayStructure, TensorSpec, TensorStructure, element_spec)
from .structure import Spec

SHARD_HINT = -1
DatasetStructure = DatasetSpec
OptionalStructure = OptionalSpec
_KEY = Spec(dtypes.int64, TensorShape([]))


def _scalar(outputs, dtype):
    return len(outputs) == 1 and outputs[0].dtype.base_dtype == dtype and outputs[0].shape.ndims in (0, None)


def _check_fn(outputs, dtype, what, message):
    if not _scalar(outputs, dtype):
        got = [f"{t.dtype.base_dtype.name}{t.shape}" for t in outputs]
        raise ValueError(f"Invalid `{what}`. `{what}` must return a {message} but its return type is {got}.")


# ----- element-wise transformations --------------------------------------------------------------------------
def scan(initial_state, scan_func):
    """Carries a state through the elements: scan_func(state, element) -> (new_state, output)."""
    def apply(dataset):
        flat, state = _normalize(initial_state)
        f, state, (_, output) = trace_state(scan_func, state, dataset._structure, "scan", _scanned, _check_scanned)
        return dataset._apply("ScanDataset", [dataset._variant_tensor, flat, f.captured], output,
                              {"f": f, "preserve_cardinality": True, "use_default_device": True})
    return apply


def _scanned(result):
    if not isinstance(result, tuple) or len(result) != 2:
        raise TypeError(f"Invalid `scan_func`. `scan_func` should return a pair consisting of new state and the "
                        f"output value but its return type is {result}.")
    return result[0]


def _check_scanned(state, new_state):
    if not nest.same_structure(state, new_state):
        raise TypeError(f"Invalid `scan_func`. The element structure of the new state {new_state} does not match "
                        f"the element structure of the initial state {state}.")
    olds, news = nest.flatten(state), nest.flatten(new_state)
    if [s.dtype for s in olds] != [s.dtype for s in news]:
        raise TypeError(f"Invalid `scan_func`. The element types for the new state must match the initial state. "
                        f"Expected {[s.dtype.name for s in olds]}; got {[s.dtype.name for s in news]}.")


def take_while(predicate):
    """The elements up to the first for which `predicate` is false."""
    def apply(dataset):
        f, _, outputs = _trace(predicate, [dataset._structure], "take_while")
        _check_fn(outputs, dtypes.bool_, "predicate", "scalar `tf.bool` tensor")
        return dataset._apply("TakeWhileDataset", [dataset._variant_tensor, f.captured], dataset._structure,
                              {"predicate": f})
    return apply


def unique():
    """Each distinct element once, in order of first appearance (an int32, int64 or string component)."""
    def apply(dataset):
        specs = dataset._flat_specs()
        if len(specs) == 1 and specs[0].dtype not in (dtypes.int32, dtypes.int64, dtypes.string):
            raise TypeError(f"Unique transformation does not support type {specs[0].dtype!r}.")
        return dataset._apply("UniqueDataset", [dataset._variant_tensor], dataset._structure)
    return apply


def ignore_errors(log_warning=False):
    """Drops the elements whose computation fails."""
    return lambda dataset: dataset._apply("IgnoreErrorsDataset", [dataset._variant_tensor], dataset._structure,
                                          {"log_warning": log_warning})


def enumerate_dataset(start=0):
    """(index, element) pairs, counting from `start`."""
    return lambda dataset: shown_as(dataset.enumerate(start), "DatasetV1Adapter")


def dense_to_sparse_batch(batch_size, row_shape):
    """Batches of up to `batch_size` elements (of one component, each no larger than `row_shape`; its -1 dims
    the batch's largest) as SparseTensors of shape [batch] + row_shape holding every element's every entry."""
    def apply(dataset):
        specs = dataset._flat_specs()
        if not isinstance(dataset._structure, Spec):
            raise TypeError(f"`dense_to_sparse_batch` requires an input dataset whose elements have a single "
                            f"component, but the given dataset has the following component types: "
                            f"{dataset.output_types}.")
        shape = TensorShape(row_shape) if not isinstance(row_shape, Tensor) else TensorShape(None)
        dims = [-1 if d is None else d for d in shape.as_list()] if shape.ndims is not None else row_shape
        inputs = [dataset._variant_tensor, _const(batch_size, dtypes.int64, "batch_size"),
                  _const(dims, dtypes.int64, "row_shape")]
        structure = Spec(specs[0].dtype, TensorShape([None]).concatenate(shape), sparse=True)
        return dataset._apply("DenseToSparseBatchDataset", inputs, structure)
    return apply


def unbatch():
    return lambda dataset: shown_as(dataset.unbatch(), "DatasetV1Adapter")


def Counter(start=0, step=1, dtype=dtypes.int64):  # noqa: N802 - TF's name
    """start, start + step, ... forever."""
    with_dtype = dtypes.as_dtype(dtype)
    start_t = convert_to_tensor(start, dtype=with_dtype, name="start")
    step_v = step
    return Dataset.from_tensors(0).repeat(None).apply(scan(start_t, lambda state, _: (
        state + math_ops.cast(step_v, with_dtype), state)))


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None):
    """`map(map_func)` then `batch(batch_size)` as one op (`MapAndBatchDataset`)."""
    parallel = num_parallel_calls if num_parallel_calls is not None else (num_parallel_batches or 1) * batch_size

    def apply(dataset):
        f, structure, _ = dataset._trace(map_func, "map_and_batch")
        size = _const(batch_size, dtypes.int64, "batch_size")
        n = _const(parallel, dtypes.int64, "num_parallel_calls")
        drop = _const(drop_remainder, dtypes.bool_, "drop_remainder")
        dim = _batch_dim(size, drop)
        batched = nest.map_structure(lambda s: s.with_shape(TensorShape([dim]).concatenate(s.shape)), structure)
        return dataset._apply("MapAndBatchDataset", [dataset._variant_tensor, f.captured, size, n, drop], batched,
                              {"f": f})
    return apply


map_and_batch_with_legacy_function = map_and_batch


def parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False, buffer_output_elements=None,
                        prefetch_input_elements=None):
    """`interleave(map_func, cycle_length, block_length)` (in order even if `sloppy`)."""
    return lambda dataset: shown_as(dataset.interleave(map_func, cycle_length, block_length),
                                    "ParallelInterleaveDataset")


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """`shuffle(buffer_size, seed)` then `repeat(count)` (as TF 2 builds it)."""
    return lambda dataset: shown_as(dataset.shuffle(buffer_size, seed).repeat(count), "_ShuffleAndRepeatDataset")


def copy_to_device(target_device, source_device="/cpu:0"):
    """The same dataset: a raygraph dataset is iterated where its iterator lives, so there is no copy to make."""
    return lambda dataset: shown_as(dataset, "_CopyToDeviceDataset")


def prefetch_to_device(device, buffer_size=None):
    """`prefetch(buffer_size)` where the iterator lives (its device)."""
    return lambda dataset: shown_as(dataset.prefetch(AUTOTUNE if buffer_size is None else buffer_size),
                                    "DatasetV1Adapter")


# ----- grouping --------------------------------------------------------------------------------------------------
def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    """Groups elements by key_func (an int64 scalar); each group of window_size (or window_size_func(key))
    elements, and each group left at the end, becomes reduce_func(key, window dataset)."""
    def apply(dataset):
        if (window_size is None) == (window_size_func is None):
            raise ValueError("Either the `window_size` argument or the `window_size_func` argument must be "
                             "specified.")
        size_func = window_size_func or (lambda _: convert_to_tensor(window_size, dtype=dtypes.int64))
        key_f, _, outputs = _trace(key_func, [dataset._structure], "key_func")
        _check_fn(outputs, dtypes.int64, "key_func", "single `tf.int64` scalar tensor")
        window = Spec(dtypes.variant, TensorShape([]), dataset._structure)
        reduce_f, result, _ = _trace(reduce_func, [_KEY, window], "reduce_func")
        if not isinstance(result, Dataset):
            raise TypeError(f"Invalid `reduce_func`. `reduce_func` must return a single `tf.data.Dataset` object but "
                            f"its return type is {result}.")
        size_f, _, outputs = _trace(size_func, [_KEY], "window_size_func")
        _check_fn(outputs, dtypes.int64, "window_size_func", "scalar `tf.int64` tensor")
        inputs = [dataset._variant_tensor, key_f.captured, reduce_f.captured, size_f.captured]
        return dataset._apply("GroupByWindowDataset", inputs, result._structure,
                              {"key_func": key_f, "reduce_func": reduce_f, "window_size_func": size_f})
    return apply


class Reducer:
    """How group_by_reducer reduces a group: init_func(key) -> state; reduce_func(state, element) -> state;
    finalize_func(state) -> result."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self._init_func, self._reduce_func, self._finalize_func = init_func, reduce_func, finalize_func

    init_func = property(lambda self: self._init_func)
    reduce_func = property(lambda self: self._reduce_func)
    finalize_func = property(lambda self: self._finalize_func)


def group_by_reducer(key_func, reducer):
    """One element per key (in key order, at the end): the reducer's result over the elements of that key."""
    def apply(dataset):
        key_f, _, outputs = _trace(key_func, [dataset._structure], "key_func")
        _check_fn(outputs, dtypes.int64, "key_func", "single `tf.int64` scalar tensor")
        init_f, state, _ = _trace(reducer.init_func, [_KEY], "init_func")
        reduce_f, new_state, _ = _trace(reducer.reduce_func, [state, dataset._structure], "reduce_func")
        if not nest.same_structure(state, new_state) or [s.dtype for s in nest.flatten(state)] != \
                [s.dtype for s in nest.flatten(new_state)]:
            raise TypeError(f"Invalid `reduce_func`. The element types for the new state must match the initial "
                            f"state. Expected {nest.map_structure(lambda s: s.dtype, state)}; got "
                            f"{nest.map_structure(lambda s: s.dtype, new_state)}.")
        finalize_f, result, _ = _trace(reducer.finalize_func, [state], "finalize_func")
        inputs = [dataset._variant_tensor] + [g.captured for g in (key_f, init_f, reduce_f, finalize_f)]
        return dataset._apply("ExperimentalGroupByReducerDataset", inputs, result, {
            "key_func": key_f, "init_func": init_f, "reduce_func": reduce_f, "finalize_func": finalize_f})
    return apply


def bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes=None,
                              padding_values=None, pad_to_bucket_boundary=False, no_padding=False,
                              drop_remainder=False):
    """Batches elements of similar lengths together: bucket i holds lengths in [boundaries[i-1], boundaries[i])
    and batches bucket_batch_sizes[i] of them, padded to the batch's longest (group_by_window underneath)."""
    if pad_to_bucket_boundary:
        raise NotImplementedError("tf.data.experimental.bucket_by_sequence_length(pad_to_bucket_boundary=True) is "
                                  "not implemented in raygraph: its padded shapes are tensors, which raygraph's "
                                  "padded_batch does not take.")
    low = [np.iinfo(np.int32).min] + list(bucket_boundaries)
    high = list(bucket_boundaries) + [np.iinfo(np.int32).max]

    def bucket_id(*args):
        length = element_length_func(*args)
        inside = math_ops.logical_and(math_ops.less_equal(convert_to_tensor(low, dtype=length.dtype), length),
                                      math_ops.less(length, convert_to_tensor(high, dtype=length.dtype)))
        return reduce_min(where(inside))

    def batch_size(bucket):
        return gather(convert_to_tensor(bucket_batch_sizes, dtype=dtypes.int64), bucket)

    def batching(bucket, grouped):
        size = batch_size(bucket)
        if no_padding:
            return grouped.batch(size, drop_remainder=drop_remainder)
        shapes = padded_shapes if padded_shapes is not None else grouped.output_shapes
        return grouped.padded_batch(size, shapes, padding_values, drop_remainder=drop_remainder)

    def apply(dataset):
        if len(bucket_batch_sizes) != len(bucket_boundaries) + 1:
            raise ValueError(f"`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but "
                             f"`len(bucket_batch_sizes)={len(bucket_batch_sizes)}` and "
                             f"`len(bucket_boundaries)={len(bucket_boundaries)}`.")
        return dataset.apply(group_by_window(bucket_id, batching, window_size_func=batch_size))
    return apply


# ----- several datasets --------------------------------------------------------------------------------------------
def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=False):
    """Elements of `datasets` in the order the int64 scalars of `choice_dataset` pick them."""
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    specs = choice_dataset._flat_specs() if isinstance(choice_dataset, Dataset) else None
    if specs is None or len(specs) != 1 or specs[0].dtype != dtypes.int64 or specs[0].shape.ndims not in (0, None):
        raise TypeError(f"Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` tensors "
                        f"but are {getattr(choice_dataset, 'output_types', choice_dataset)}.")
    return _directed(choice_dataset, datasets, stop_on_empty_dataset)


def _directed(selector, datasets, stop_on_empty):
    first = datasets[0]
    for d in datasets[1:]:
        if not nest.same_structure(first._structure, d._structure) or \
                [s.dtype for s in first._flat_specs()] != [s.dtype for s in d._flat_specs()]:
            raise TypeError(f"Incompatible dataset elements:\n  {first.output_types} vs.  {d.output_types}")
    flat = [list(x) for x in zip(*[d._flat_specs() for d in datasets])]
    merged = nest.pack(first._structure, [f[0].with_shape(_merge_all([s.shape for s in f])) for f in flat])
    return selector._apply("DirectedInterleaveDataset", [selector._variant_tensor,
                                                         [d._variant_tensor for d in datasets]], merged,
                           {"stop_on_empty_dataset": bool(stop_on_empty)})


def _merge_all(shapes):
    out = shapes[0]
    for s in shapes[1:]:
        out = _most_specific(out, s)
    return out


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """Elements drawn from `datasets` at random with probabilities `weights` (uniform if None); a seed repeats
    the order run to run (not TF's order: raygraph's RandomDataset draws other numbers)."""
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    n = len(datasets)
    weights = np.full(n, 1.0 / n) if weights is None else np.asarray(weights, dtype=np.float64)
    if weights.shape != (n,):
        raise ValueError(f"Invalid `weights`. The shape of `weights` should be compatible with `[len(datasets)]` "
                         f"but is {list(weights.shape)}.")
    keep = [i for i in range(n) if weights[i] > 0] or [0]  # zero weights: never sampled, so left out, as TF
    datasets = [datasets[i] for i in keep] if any(weights > 0) else [datasets[0].take(0)]
    weights = weights[keep] if any(weights > 0) else np.ones(1)
    if len(datasets) == 1:
        return datasets[0]
    logits = np.log(weights / weights.sum()).astype(np.float32).reshape(1, len(datasets))

    def select(seeds):
        return reshape(stateless_multinomial(convert_to_tensor(logits), 1, seed=seeds), [])
    selector = RandomDataset(seed).batch(2).map(select)
    return _directed(selector, datasets, stop_on_empty_dataset)


class RandomDataset(Dataset):
    """Random int64 scalars in [0, 2^32), forever (seeded: the same sequence every run, not TF's)."""

    _shown_as = "RandomDatasetV2"

    def __init__(self, seed=None):
        seed1, seed2 = get_seed(seed)
        ds = Dataset(None, None)._apply("RandomDataset", [_const(seed1 or 0, dtypes.int64, "seed"),
                                                          _const(seed2 or 0, dtypes.int64, "seed2")], _KEY)
        super().__init__(ds._variant_tensor, ds._structure)


def from_list(elements, name=None):
    """A dataset of the given elements (each a structure of tensors, all alike)."""
    if not elements:
        raise ValueError("Invalid `elements`. `elements` should not be empty.")
    flats, structure = [], None
    for e in elements:
        flat, s = _normalize(e)
        if structure is None:
            structure = s
        elif not nest.same_structure(structure, s) or [a.dtype for a in nest.flatten(structure)] != \
                [a.dtype for a in nest.flatten(s)]:
            raise TypeError(f"Incompatible elements of `from_list`: {elements[0]} and {e}.")
        else:
            structure = nest.pack(structure, [a.with_shape(_most_specific(a.shape, b.shape))
                                              for a, b in zip(nest.flatten(structure), nest.flatten(s))])
        flats.extend(flat)
    return Dataset(None, None)._apply("ListDataset", [flats], structure, name=name)


# ----- counts ------------------------------------------------------------------------------------------------------
def cardinality(dataset):
    """The number of elements of `dataset` (an int64 scalar tensor; -1 infinite, -2 unknown)."""
    return dataset.cardinality()


def assert_cardinality(expected_cardinality):
    """The same elements; FailedPreconditionError when their number is not `expected_cardinality`."""
    def apply(dataset):
        n = _const(expected_cardinality, dtypes.int64, "cardinality")
        return dataset._apply("AssertCardinalityDataset", [dataset._variant_tensor, n], dataset._structure)
    return apply


def get_single_element(dataset):
    """The one element of `dataset` (InvalidArgumentError when it has none or more)."""
    if not isinstance(dataset, Dataset):
        raise TypeError(f"Invalid `dataset`. Expected a `tf.data.Dataset` object but got {type(dataset)}.")
    out = apply_op("DatasetToSingleElement", [dataset._variant_tensor], dataset._type_attrs())
    flat = out if isinstance(out, list) else [out]
    return nest.pack(dataset._structure, flat)


def get_structure(dataset_or_iterator):
    """The element spec of a dataset or iterator."""
    return element_spec(dataset_or_iterator._structure)


def pad_to_cardinality(cardinality, mask_key="valid"):
    """A dataset of dicts padded with zero elements to `cardinality` elements; `mask_key` marks the real ones."""
    def apply(dataset):
        if not isinstance(dataset._structure, dict):
            raise ValueError(f"`pad_to_cardinality` requires its input dataset to be a dictionary, but got "
                             f"{dataset.output_types}.")
        padding = _const(cardinality, dtypes.int64, "cardinality") - dataset.cardinality()
        filler = {k: zeros(s.shape, s.dtype) for k, s in dataset._structure.items()}
        filler[mask_key] = convert_to_tensor(False)
        valid = dataset.map(lambda x: dict(x, **{mask_key: True}))
        return valid.concatenate(Dataset.from_tensors(filler).repeat(padding))
    return apply


# ----- optionals ------------------------------------------------------------------------------------------------------
class Optional:
    """A value that may be missing (TF's `tf.experimental.Optional`): `has_value()`, `get_value()`."""

    def __init__(self, variant, structure):
        self._variant_tensor, self._structure = variant, structure

    @staticmethod
    def from_value(value):
        flat, structure = _normalize(value)
        return Optional(apply_op("OptionalFromValue", [flat], {}), structure)

    @staticmethod
    def empty(element_spec):
        structure = nest.map_structure(_spec_of_type_spec, element_spec)
        return Optional(apply_op("OptionalNone", [], {}), structure)

    @property
    def element_spec(self):
        return element_spec(self._structure)

    def has_value(self, name=None):
        return apply_op("OptionalHasValue", [self._variant_tensor], {}, name=name)

    def get_value(self, name=None):
        specs = nest.flatten(self._structure)
        out = apply_op("OptionalGetValue", [self._variant_tensor], {
            "output_types": [s.dtype for s in specs], "output_shapes": [s.shape for s in specs]}, name=name)
        return nest.pack(self._structure, out if isinstance(out, list) else [out])


def get_next_as_optional(iterator):
    """The iterator's next element as an `Optional`, empty at the end (instead of OutOfRangeError)."""
    with iterator._iterator_resource.graph.colocate_with(iterator._iterator_resource.op):
        variant = apply_op("IteratorGetNextAsOptional", [iterator._iterator_resource], iterator._type_attrs())
    return Optional(variant, iterator._structure)


class TFRecordWriter:
    """Writes a dataset of scalar strings to a TFRecord file (`write(dataset)` is the op that does it)."""

    def __init__(self, filename, compression_type=None):
        self._filename = convert_to_tensor(filename, dtypes.string, name="filename")
        self._compression_type = convert_to_tensor(compression_type or "", dtypes.string, name="compression_type")

    def write(self, dataset):
        specs = dataset._flat_specs()
        if len(specs) != 1 or specs[0].dtype != dtypes.string or not specs[0].shape.is_compatible_with([]):
            raise TypeError(f"Invalid `dataset.` Expected a `dataset` that produces scalar `tf.string` elements, "
                            f"but got a dataset which produces elements with shapes {dataset.output_shapes} and "
                            f"types {dataset.output_types}.")
        return apply_op("DatasetToTFRecord", [dataset._variant_tensor, self._filename, self._compression_type], {})


# ----- resampling -------------------------------------------------------------------------------------------------
def rejection_resample(class_func, target_dist, initial_dist=None, seed=None):
    """(class, element) pairs whose classes follow `target_dist`: each element is kept with probability
    (target / initial) / max(target / initial) for its class, `initial_dist` estimated from the classes seen so
    far when not given. Plain rejection: TF also mixes in unrejected elements to waste fewer, so its orders and
    rates differ; the target distribution is the same."""
    target = np.asarray(target_dist, dtype=np.float32)
    known = None if initial_dist is None else np.asarray(initial_dist, dtype=np.float32)
    n = len(target)

    def with_class(*x):
        return class_func(*x), (x[0] if len(x) == 1 else x)

    def apply(dataset):
        labelled = dataset.map(with_class)

        def accept(counts, pair):
            cls = math_ops.cast(pair[0], dtypes.int32)
            counts = counts + math_ops.cast(math_ops.equal(np.arange(n, dtype=np.int32), cls), dtypes.int64)
            initial = convert_to_tensor(known) if known is not None else \
                math_ops.cast(counts, dtypes.float32) / math_ops.cast(reduce_sum(counts), dtypes.float32)
            ratio = math_ops.div_no_nan(convert_to_tensor(target), initial)
            prob = gather(ratio / reduce_max(ratio), cls)
            return counts, (random_uniform([], seed=seed) < prob, pair)
        scanned = labelled.apply(scan(convert_to_tensor(np.zeros(n, np.int64)), accept))
        return shown_as(scanned.filter(lambda keep, pair: keep).map(lambda keep, pair: pair), "DatasetV1Adapter")
    return apply


# ----- variants and eager-only names ------------------------------------------------------------------------------
def to_variant(dataset):
    """The dataset's variant tensor."""
    return dataset._variant_tensor


def from_variant(variant, structure):
    """The dataset a variant tensor holds, its elements described by `structure` (TensorSpecs)."""
    return Dataset(variant, nest.map_structure(_spec_of_type_spec, structure))


def _spec_of_type_spec(spec):
    return Spec(spec.dtype, spec.shape, sparse=isinstance(spec, SparseTensorSpec))


def enable_debug_mode():
    raise ValueError("`enable_debug_mode() is only supported in eager mode.")


def get_model_proto(iterator):
    raise ValueError("Only supports `tf.data.Iterator`-typed `iterator`.")

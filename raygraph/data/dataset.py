"""`tf.data.Dataset` (TF1's DatasetV1): each method adds one dataset op to the graph; its element structure
(nested tuples/dicts of (dtype, static shape)) is known while building, as in TF.

Functions given to `map`, `filter`, `flat_map`, `interleave` are traced once into graphs of their own
(`function.trace`) and run by the device that iterates the dataset.
"""
import copy
import re

from .. import dtypes
from ..convert import convert_to_tensor, to_numpy
from ..default_graph import name_scope
from ..errors import UnimplementedError
from ..ops.array import identity, size
from ..ops.control import Assert
from ..ops.math import greater
from ..ops.random import get_seed
from ..ops.registry import apply_op
from ..ops.serialization import serialize_many_sparse
from ..ops.shape_fns import constant_value
from ..ops.sparse_tensor import SparseTensor, is_sparse
from ..shape import TensorShape, as_shape, unknown_shape
from ..tensor import Tensor
from . import function, iterator
from .options import Options
from .specs import TensorSpec, element_spec
from . import ops as _ops  # noqa: F401 - the dataset ops' table entries
from . import structure as nest
from .structure import Spec, Structured

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


_INT64_MAX = (1 << 63) - 1


def _spec_of(t):
    return Spec(t.dtype.base_dtype, t.shape, sparse=isinstance(t, SparseTensor))


def _const(value, dtype, name):
    return convert_to_tensor(value, dtype=dtype, name=name)


def _class_of(op_type):
    """TF's Python class for a dataset op, which TF prints a dataset as: "_MapDataset" for MapDataset,
    "_BatchDataset" for BatchDatasetV2."""
    return _CLASSES.get(op_type) or "_" + re.sub(r"V\d+$", "", op_type)


_CLASSES = {"CacheDataset": "CacheDataset", "GeneratorDataset": "DatasetV1Adapter",
            "ExperimentalGroupByReducerDataset": "_GroupByReducerDataset"}


def shown_as(dataset, name):
    """A copy of `dataset` that prints as TF's class `name`."""
    out = copy.copy(dataset)
    out._shown_as = name
    return out


class Dataset(Structured):
    """A dataset: its variant tensor and its element structure (leaves are `Spec`s)."""

    def __init__(self, variant, structure):
        self._variant_tensor = variant
        self._structure = structure

    # ----- static types ----------------------------------------------------------------------------------
    def _flat_specs(self):
        return nest.flatten(self._structure)

    def _type_attrs(self):
        return nest.type_attrs(self._structure)

    def _apply(self, op_type, inputs, structure, extra=None, name=None):
        attrs = nest.type_attrs(structure)
        attrs.update(extra or {})
        out = Dataset(apply_op(op_type, inputs, attrs, name=name), structure)
        out._options = getattr(self, "_options", None)
        return out

    @property
    def element_spec(self):
        return element_spec(self._structure)

    def __repr__(self):
        return f"<{self._shown_as or _class_of(self._variant_tensor.op.type)} element_spec={self.element_spec}>"

    _shown_as = None  # the class TF prints this dataset as, where not the one of its op (see _class_of)

    # ----- options and counts ------------------------------------------------------------------------------
    def options(self):
        """The options set on this dataset's way (read-only)."""
        return (getattr(self, "_options", None) or Options())._frozen()

    def with_options(self, options, name=None):
        """This dataset with `options` merged into its options (an `OptionsDataset`)."""
        out = self._apply("OptionsDataset", [self._variant_tensor], self._structure,
                          {"serialized_options": b""}, name=name)
        out._options = self.options()._merge(options)
        return out

    def cardinality(self):
        """The number of elements as an int64 scalar tensor: INFINITE_CARDINALITY (-1) or UNKNOWN (-2) if so."""
        return apply_op("DatasetCardinality", [self._variant_tensor], {})

    def as_numpy_iterator(self):
        raise RuntimeError("`tf.data.Dataset.as_numpy_iterator()` is only supported in eager mode.")

    def enumerate(self, start=0):
        """(index, element) pairs, the index counting from `start`."""
        return Dataset.zip((Dataset.range(start, _INT64_MAX), self))

    # ----- sources -----------------------------------------------------------------------------------------
    @staticmethod
    def from_tensors(tensors):
        """A dataset of one element, `tensors`."""
        flat, structure = _normalize(tensors)
        return Dataset(None, None)._apply("TensorDataset", [flat], structure)

    @staticmethod
    def from_tensor_slices(tensors):
        """A dataset of the slices of `tensors` along their first dimension."""
        flat, structure = _normalize(tensors, batched=True)
        sliced = nest.map_structure(lambda s: s.with_shape(_row_shape(s.shape)), structure)
        return Dataset(None, None)._apply("TensorSliceDataset", [flat], sliced)

    @staticmethod
    def range(*args, output_type=dtypes.int64):
        """Like Python's range, as int64 scalars (`output_type`)."""
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid arguments to range: {args}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args + (1,))[:3]
        inputs = [_const(v, dtypes.int64, n) for v, n in ((start, "start"), (stop, "stop"), (step, "step"))]
        return Dataset(None, None)._apply("RangeDataset", inputs, Spec(dtypes.as_dtype(output_type), TensorShape([])))

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """Elements from a Python generator; it runs in the device that iterates the dataset."""
        if output_shapes is None:
            output_shapes = nest.map_structure(lambda t: unknown_shape(), output_types)
        types, shapes = nest.flatten(output_types), _flatten_like(output_types, output_shapes)
        structure = nest.pack(output_types, [Spec(dtypes.as_dtype(t), as_shape(s)) for t, s in zip(types, shapes)])
        call_args = tuple(_generator_arg(a) for a in (args or ()))
        make = (lambda: generator(*call_args)) if call_args else generator
        attrs = {"_generator": function.PythonFunction(make, "generator"),
                 "_flatten": function.PythonFunction(_Flattener(output_types), "flatten")}
        return Dataset(None, None)._apply("GeneratorDataset", [], structure, attrs)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None):
        """The file names matching `file_pattern` (a glob, or several), shuffled unless `shuffle=False`."""
        with name_scope("file_pattern"):
            matches = apply_op("MatchingFiles", [convert_to_tensor(file_pattern, dtype=dtypes.string)], {})
            count = size(matches, out_type=dtypes.int64)
            check = Assert(greater(count, 0), [convert_to_tensor(f"No files matched pattern: {file_pattern}")])
            with matches.graph.control_dependencies([check]):
                matches = identity(matches)
        ds = Dataset.from_tensor_slices(matches)
        if shuffle is None or shuffle:
            ds = ds.shuffle(count, seed=seed)
        return shown_as(ds, "DatasetV1Adapter")

    @staticmethod
    def zip(datasets):
        """Elements of `datasets` (a nested structure of datasets) side by side."""
        flat = nest.flatten(datasets)
        structure = nest.pack(datasets, [d._structure for d in flat])
        return Dataset(None, None)._apply("ZipDataset", [[d._variant_tensor for d in flat]], structure)

    def concatenate(self, dataset):
        if not nest.same_structure(self._structure, dataset._structure) or [s.dtype for s in self._flat_specs()] \
                != [s.dtype for s in dataset._flat_specs()]:
            raise TypeError(f"Two datasets to concatenate have different types {self.output_types} and "
                            f"{dataset.output_types}")
        merged = nest.pack(self._structure, [a.with_shape(_most_specific(a.shape, b.shape)) for a, b in
                                             zip(self._flat_specs(), dataset._flat_specs())])
        return self._apply("ConcatenateDataset", [self._variant_tensor, dataset._variant_tensor], merged)

    # ----- functions ---------------------------------------------------------------------------------------
    def _trace(self, fn, kind):
        """Traces `fn` over this dataset's elements: (Function, output structure of Specs, output tensors); the
        tensors of the outer graph it uses are the Function's `captured`, the op's other_arguments."""
        return trace(fn, [self._structure], f"Dataset_{kind}")

    def map(self, map_func, num_parallel_calls=None):
        """Applies `map_func` to each element (`num_parallel_calls` at once)."""
        f, structure, _ = self._trace(map_func, "map")
        if num_parallel_calls is None:
            return self._apply("MapDataset", [self._variant_tensor, f.captured], structure, {"f": f})
        n = _const(num_parallel_calls, dtypes.int64, "num_parallel_calls")
        return self._apply("ParallelMapDatasetV2", [self._variant_tensor, f.captured, n], structure, {"f": f})

    def filter(self, predicate):
        """The elements for which `predicate` is true."""
        f, _, outputs = self._trace(predicate, "filter")
        if len(outputs) != 1 or outputs[0].dtype.base_dtype != dtypes.bool_ or outputs[0].shape.ndims not in (0, None):
            spec = outputs[0] if outputs else None
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its return "
                             f"type was {spec}.")
        return self._apply("FilterDataset", [self._variant_tensor, f.captured], self._structure, {"predicate": f})

    def flat_map(self, map_func):
        """Maps each element to a dataset and flattens them in order."""
        f, inner, _ = self._trace(map_func, "flat_map")
        _check_dataset(inner, "flat_map")
        return self._apply("FlatMapDataset", [self._variant_tensor, f.captured], inner._structure, {"f": f})

    def interleave(self, map_func, cycle_length=AUTOTUNE, block_length=1, num_parallel_calls=None):
        """Maps each element to a dataset; reads `cycle_length` of them in turn, `block_length` at a time."""
        f, inner, _ = self._trace(map_func, "interleave")
        _check_dataset(inner, "interleave")
        cycle = 4 if cycle_length in (None, AUTOTUNE) else cycle_length
        inputs = [self._variant_tensor, f.captured, _const(cycle, dtypes.int64, "cycle_length"),
                  _const(block_length, dtypes.int64, "block_length")]
        out = self._apply("InterleaveDataset", inputs, inner._structure, {"f": f})
        return out if num_parallel_calls is None else shown_as(out, "_ParallelInterleaveDataset")

    # ----- batching ----------------------------------------------------------------------------------------
    def batch(self, batch_size, drop_remainder=False):
        """Stacks `batch_size` consecutive elements (the last batch smaller unless `drop_remainder`)."""
        size = _const(batch_size, dtypes.int64, "batch_size")
        drop = _const(drop_remainder, dtypes.bool_, "drop_remainder")
        dim = _batch_dim(size, drop)
        structure = nest.map_structure(lambda s: s.with_shape(TensorShape([dim]).concatenate(s.shape)),
                                       self._structure)
        return self._apply("BatchDatasetV2", [self._variant_tensor, size, drop], structure,
                           {"parallel_copy": False})

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False):
        """Batches elements padded to `padded_shapes` (None dims: the batch's largest)."""
        specs = self._flat_specs()
        for spec in nest.flatten(self.element_spec):
            if not isinstance(spec, TensorSpec):
                raise TypeError("`padded_batch` is only supported for datasets that produce tensor elements but type "
                                f"spec of elements in the input dataset is not a subclass of TensorSpec: `{spec!r}`.")
        if padded_shapes is None:
            padded_shapes = nest.map_structure(lambda s: s.shape, self._structure)
        shapes = [as_shape(s) for s in _flatten_like(self._structure, padded_shapes)]
        values = _flatten_like(self._structure, padding_values) if padding_values is not None else [None] * len(specs)
        size = _const(batch_size, dtypes.int64, "batch_size")
        dims = [_const(-1 if d is None else d, dtypes.int64, "padded_shapes") for s in shapes for d in s.as_list()]
        pads = [_const(v if v is not None else (b"" if sp.dtype == dtypes.string else 0), sp.dtype, "padding_value")
                for v, sp in zip(values, specs)]
        drop = _const(drop_remainder, dtypes.bool_, "drop_remainder")
        dim = _batch_dim(size, drop)
        structure = nest.pack(self._structure, [Spec(sp.dtype, TensorShape([dim]).concatenate(sh))
                                                for sp, sh in zip(specs, shapes)])
        return self._apply("PaddedBatchDatasetV2", [self._variant_tensor, size, dims, pads, drop], structure,
                           {"_ranks": [len(s) for s in shapes], "parallel_copy": False})

    def window(self, size, shift=None, stride=1, drop_remainder=False):
        """Elements grouped into windows: each component becomes a dataset of up to `size` of its values,
        windows starting `shift` elements apart, taking every `stride`-th element."""
        inputs = [self._variant_tensor] + [_const(v, dtype, n) for v, dtype, n in (
            (size, dtypes.int64, "size"), (size if shift is None else shift, dtypes.int64, "shift"),
            (stride, dtypes.int64, "stride"), (drop_remainder, dtypes.bool_, "drop_remainder"))]
        structure = nest.map_structure(lambda s: Spec(dtypes.variant, TensorShape([]), s), self._structure)
        return self._apply("WindowDataset", inputs, structure)

    def unbatch(self):
        """Splits each element's components along their first dimension (a SparseTensor boxed again as a
        [rows, 3] stack of its rows first, as TF does)."""
        structure = nest.map_structure(lambda s: s.with_shape(_row_shape(s.shape)), self._structure)
        source = self
        if any(s.sparse for s in self._flat_specs()):
            f, _, _ = trace(lambda *x: tuple(serialize_many_sparse(t, out_type=dtypes.variant)
                                             if isinstance(t, SparseTensor) else t for t in nest.flatten(x)),
                            [self._structure], "Dataset_map")
            source = self._apply("MapDataset", [self._variant_tensor, []], self._structure, {"f": f})
        return source._apply("UnbatchDataset", [source._variant_tensor], structure)

    # ----- order and count ---------------------------------------------------------------------------------
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None):
        """Shuffles with a buffer of `buffer_size` elements; seeded orders repeat run to run (not TF's order)."""
        seed1, seed2 = get_seed(seed)
        inputs = [self._variant_tensor, _const(buffer_size, dtypes.int64, "buffer_size"),
                  _const(seed1 or 0, dtypes.int64, "seed"), _const(seed2 or 0, dtypes.int64, "seed2")]
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        return self._apply("ShuffleDataset", inputs, self._structure, {"reshuffle_each_iteration": reshuffle})

    def repeat(self, count=None):
        """Repeats the dataset `count` times (forever if None or -1)."""
        return self._count_op("RepeatDataset", -1 if count is None else count)

    def take(self, count):
        return self._count_op("TakeDataset", count)

    def skip(self, count):
        return self._count_op("SkipDataset", count)

    def shard(self, num_shards, index, name=None):
        """Every `num_shards`-th element from position `index` on (one worker's share of the input)."""
        return self._apply("ShardDataset", [self._variant_tensor, _const(num_shards, dtypes.int64, "num_shards"),
                                            _const(index, dtypes.int64, "index")], self._structure,
                           {"require_non_empty": False}, name=name)

    def _count_op(self, op_type, count):
        return self._apply(op_type, [self._variant_tensor, _const(count, dtypes.int64, "count")], self._structure)

    def cache(self, filename=""):
        """Keeps the elements of the first complete pass in memory and replays them."""
        f = _const(filename, dtypes.string, "filename")
        return self._apply("CacheDataset", [self._variant_tensor, f], self._structure)

    def prefetch(self, buffer_size):
        """Produces up to `buffer_size` elements ahead, in the background."""
        n = _const(buffer_size, dtypes.int64, "buffer_size")
        return self._apply("PrefetchDataset", [self._variant_tensor, n], self._structure)

    def apply(self, transformation_func):
        return transformation_func(self)

    def reduce(self, initial_state, reduce_func, name=None):
        """The state after folding every element into it: reduce_func(state, element) -> new state (a
        `ReduceDataset` op; its outputs, nested like `initial_state`)."""
        del name  # (TF 2.21 writes it into the op's metadata only)
        with name_scope("initial_state"):
            flat, state = _normalize(initial_state)
        f, state, _ = trace_state(reduce_func, state, self._structure, "reduce", lambda result: result,
                                  _check_reduced)
        out = apply_op("ReduceDataset", [self._variant_tensor, flat, f.captured], {
            "f": f, **nest.type_attrs(state), "use_inter_op_parallelism": True})
        return nest.pack(state, out if isinstance(out, list) else [out])

    # ----- iterators (TF1) ---------------------------------------------------------------------------------
    def make_one_shot_iterator(self):
        return iterator.make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        return iterator.make_initializable_iterator(self, shared_name)


DatasetV1 = Dataset


class NumpyIterator:
    """TF's iterator of numpy values over a dataset: eager only, so never usable in a TF1 graph."""

    def __init__(self, dataset):
        raise RuntimeError("`tf.data.Dataset.as_numpy_iterator()` is only supported in eager mode.")


class _Flattener:
    """Flattens what a generator yields by the structure of `output_types` (picklable)."""

    def __init__(self, output_types):
        self.output_types = output_types

    def __call__(self, value):
        return _flatten_like(self.output_types, value)


def _generator_arg(value):
    """An argument of from_generator's generator as TF hands it over: made a tensor, then its numpy value (a
    string a bytes object, an array of strings an object array of bytes, a Python int an np.int32)."""
    if isinstance(value, Tensor):
        folded = constant_value(value)
        if folded is None:
            raise UnimplementedError(None, None, f"from_generator: an argument must be a Python value or a constant "
                                                 f"tensor (raygraph hands it over when the dataset is built): {value}")
        value = folded
    arr, dtype = to_numpy(value)
    if arr.ndim == 0:
        return arr.item() if dtype is dtypes.string else arr[()]
    return arr


def _flatten_like(structure, value):
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in _flatten_like(structure[k], value[k])]
    if isinstance(structure, tuple):
        if len(value) != len(structure):
            raise ValueError(f"The two structures don't have the same number of elements: {structure} and {value}")
        return [leaf for s, v in zip(structure, value) for leaf in _flatten_like(s, v)]
    return [value]


def _normalize(tensors, batched=False):
    """`tensors` as flat tensors (named normalize_element/component_i; a SparseTensor boxed, each row apart if
    `batched`) and their structure of Specs."""
    leaves = nest.flatten(tensors)
    with name_scope("normalize_element"):
        flat = [t if isinstance(t, (Tensor, SparseTensor)) else SparseTensor.from_value(t) if is_sparse(t) else
                convert_to_tensor(t, name=f"component_{i}") for i, t in enumerate(leaves)]
    structure = nest.pack(tensors, [_spec_of(t) for t in flat])
    many = batched and any(isinstance(t, SparseTensor) for t in flat)
    return [serialize_many_sparse(t, out_type=dtypes.variant) if many and isinstance(t, SparseTensor) else
            nest.box(t) for t in flat], structure


def _row_shape(shape):
    if shape.ndims == 0:
        raise ValueError("Unbatching a tensor is only supported for rank >= 1")
    return shape[1:] if shape.ndims is not None else unknown_shape()


def _batch_dim(size, drop):
    if constant_value(drop) is not None and bool(constant_value(drop)):
        value = constant_value(size)
        return int(value) if value is not None else None
    return None


def _most_specific(a, b):
    if a.ndims != b.ndims or a.ndims is None:
        return unknown_shape()
    return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])


def _check_reduced(state, new_state):
    """TF's check of reduce's new state: its dtypes, leaf by leaf (a leaf count that differs fails at run time)."""
    if any(a.dtype != b.dtype for a, b in zip(nest.flatten(state), nest.flatten(new_state))):
        expected, got = (nest.map_structure(lambda s: s.dtype, x) for x in (state, new_state))
        raise TypeError(f"The element types for the new state must match the initial state. Expected {expected} but "
                        f"got {got}.")


def _check_dataset(result, kind):
    if not isinstance(result, Dataset):
        raise TypeError(f"The `map_func` argument of `{kind}` must return a `Dataset` object, got {result!r}.")


def trace(fn, structures, name):
    """Traces `fn` over arguments of `structures`: (Function, result structure of Specs or a Dataset, outputs);
    the tensors of the outer graph that `fn` uses are the Function's `captured` (the op's other_arguments)."""
    specs = [s for st in structures for s in nest.flatten(st)]
    results = []

    def body(args):
        args = [Dataset(a, s.inner) if s.inner is not None else nest.unbox(a, s) for a, s in zip(args, specs)]
        packed, at = [], 0
        for st in structures:
            n = len(nest.flatten(st))
            packed.append(nest.pack(st, args[at:at + n]))
            at += n
        lone = len(packed) == 1 and isinstance(packed[0], tuple) and not hasattr(packed[0], "_fields")
        result = fn(*packed[0]) if lone else fn(*packed)
        if isinstance(result, Dataset):
            results.append(result)
            return [result._variant_tensor]
        if isinstance(result, list):
            result = tuple(result) if any(isinstance(r, Tensor) for r in result) else convert_to_tensor(result)
        results.append(result)
        return [nest.box(t) for t in nest.flatten(result)]
    f, outputs = function.trace(body, [s.flat for s in specs], f"{name}_{getattr(fn, '__name__', 'fn')}")
    result = results[0]
    if isinstance(result, Dataset):
        return f, result, outputs
    leaves = nest.flatten(result)
    return f, nest.pack(result, [_spec_of(t if isinstance(t, SparseTensor) else out)
                                 for t, out in zip(leaves, outputs)]), outputs


def trace_state(fn, state, structure, name, new_state_of, check):
    """Traces fn(state, element) over a state of Specs until the state's static shapes settle, as TF's scan and
    reduce do: a dim the function changes becomes unknown (a changed rank, an unknown rank) and fn is traced
    again. `new_state_of(result)` is the new state in fn's result; `check(state, new_state)` raises TF's errors.
    Returns (Function, the settled state, fn's result structure)."""
    while True:
        f, result, _ = trace(fn, [state, structure], name)
        new_state = new_state_of(result)
        check(state, new_state)
        olds = nest.flatten(state)
        relaxed = [a.with_shape(_most_specific(a.shape, b.shape)) for a, b in zip(olds, nest.flatten(new_state))]
        if all(a.shape.ndims is None or r.shape.ndims is not None and r.shape.as_list() == a.shape.as_list()
               for r, a in zip(relaxed, olds)):
            return f, state, result
        state = nest.pack(state, relaxed + olds[len(relaxed):])

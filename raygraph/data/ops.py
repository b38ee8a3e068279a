"""The dataset and iterator ops of the op table, with TF's op types and inputs.

A dataset op's output is a scalar `variant`: at run time, a recipe (sources.py, pipeline.py) made from its inputs' values.
Functions (map, filter, ...) are `function.Function`s in the op's function attr (`f`, `predicate`), run by the device that iterates.
The iterator ops are stateful: `IteratorV2`/`OneShotIterator` keep an `IteratorResource` in their
device (their private op state, like a variable's value), and the ops that use it are colocated with them.
"""

import numpy as np

from .. import dtypes
from ..ops.registry import NOT_DIFFERENTIABLE, op
from ..shape import TensorShape
from . import pipeline, resource, rows, sources, transforms
from .cardinality import cardinality
from .function import bound

_SCALAR = TensorShape._raw(())


def _variant(inputs, a):
    return dtypes.variant, _SCALAR


def _resource(inputs, a):
    return dtypes.resource, _SCALAR


def _check_scalar(name):
    def shape(inputs, a):
        for t in inputs[1:]:
            if t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
        return dtypes.variant, _SCALAR
    return shape


def _dataset(type, inputs, kernel, shape=_variant):
    op(type, inputs, kernel=kernel, shape=shape, grad=NOT_DIFFERENTIABLE)


def _int(x):
    return int(np.asarray(x))


# ----- sources ---------------------------------------------------------------------------------------------
_dataset("TensorDataset", "components:+Toutput_types", lambda a, *cs: sources.Tensors(cs))
_dataset("TensorSliceDataset", "components:+Toutput_types", lambda a, *cs: sources.Slices(cs))
_dataset("RangeDataset", "start:int64, stop:int64, step:int64",
         lambda a, start, stop, step: sources.Range(start, stop, step, a["output_types"][0].as_numpy_dtype))
_dataset("GeneratorDataset", "", lambda a: sources.Generator(a["_generator"], [t.as_numpy_dtype or np.object_
                                                                                  for t in a["output_types"]],
                                                                              a["_flatten"]))

# ----- combinators ---------------------------------------------------------------------------------------
_dataset("ZipDataset", "input_datasets:*variant", lambda a, *ds: pipeline.Zip(ds))
_dataset("ConcatenateDataset", "input_dataset:variant, another_dataset:variant",
         lambda a, x, y: pipeline.Concatenate(x, y))
# (other_arguments: the values of the tensors a function captured, its last arguments: function.bound)
_dataset("MapDataset", "input_dataset:variant, other_arguments:+Targuments",
         lambda a, d, *other: pipeline.Map(d, bound(a["f"], other)))
_dataset("ParallelMapDatasetV2", "input_dataset:variant, other_arguments:+Targuments, num_parallel_calls:int64",
         lambda a, d, *rest: pipeline.Map(d, bound(a["f"], rest[:-1]), _int(rest[-1]) if _int(rest[-1]) > 0 else 4))
_dataset("FilterDataset", "input_dataset:variant, other_arguments:+Targuments",
         lambda a, d, *other: pipeline.Filter(d, bound(a["predicate"], other)))
_dataset("FlatMapDataset", "input_dataset:variant, other_arguments:+Targuments",
         lambda a, d, *other: pipeline.FlatMap(d, bound(a["f"], other)))
_dataset("InterleaveDataset", "input_dataset:variant, other_arguments:+Targuments, cycle_length:int64, "
         "block_length:int64", lambda a, d, *rest: pipeline.FlatMap(d, bound(a["f"], rest[:-2]), _int(rest[-2]),
                                                                     _int(rest[-1])))
_dataset("BatchDatasetV2", "input_dataset:variant, batch_size:int64, drop_remainder:bool",
         lambda a, d, n, drop: pipeline.Batch(d, _int(n), bool(drop)), _check_scalar("batch_size"))
_dataset("DenseToSparseBatchDataset", "input_dataset:variant, batch_size:int64, row_shape:int64",
         lambda a, d, n, shape: pipeline.DenseToSparseBatch(d, _int(n), shape))
_dataset("PaddedBatchDatasetV2", "input_dataset:variant, batch_size:int64, padded_shapes:*int64, "
         "padding_values:+Toutput_types, drop_remainder:bool",
         lambda a, d, n, *rest: pipeline.Batch(d, _int(n), bool(rest[-1]), _padding(a, rest[:-1])))
_dataset("MapAndBatchDataset", "input_dataset:variant, other_arguments:+Targuments, batch_size:int64, "
         "num_parallel_calls:int64, drop_remainder:bool", lambda a, d, *rest: pipeline.Batch(
             _preserving(pipeline.Map(d, bound(a["f"], rest[:-3]), _int(rest[-2]))), _int(rest[-3]), bool(rest[-1])))
_dataset("ShuffleDataset", "input_dataset:variant, buffer_size:int64, seed:int64, seed2:int64",
         lambda a, d, n, s, s2: pipeline.Shuffle(d, _int(n), _int(s), _int(s2), a["reshuffle_each_iteration"]))
_dataset("RepeatDataset", "input_dataset:variant, count:int64", lambda a, d, n: pipeline.Repeat(d, n))
_dataset("TakeDataset", "input_dataset:variant, count:int64", lambda a, d, n: pipeline.Take(d, n))
_dataset("SkipDataset", "input_dataset:variant, count:int64", lambda a, d, n: pipeline.Skip(d, n))
_dataset("ShardDataset", "input_dataset:variant, num_shards:int64, index:int64",
         lambda a, d, n, i: pipeline.Shard(d, _int(n), _int(i)))
_dataset("CacheDataset", "input_dataset:variant, filename:string", lambda a, d, f: pipeline.Cache(d))
_dataset("PrefetchDataset", "input_dataset:variant, buffer_size:int64",
         lambda a, d, n: pipeline.Prefetch(d, _int(n) if _int(n) > 0 else 2))
_dataset("UnbatchDataset", "input_dataset:variant", lambda a, d: pipeline.Unbatch(d))
_dataset("WindowDataset", "input_dataset:variant, size:int64, shift:int64, stride:int64, drop_remainder:bool",
         lambda a, d, n, shift, stride, drop: pipeline.Window(d, _int(n), _int(shift), _int(stride), bool(drop)))


def _state_and_function(a, rest):
    """(`f` bound to its other_arguments, the initial state): a scan's or reduce's inputs after the dataset."""
    n = len(a["Tstate"])
    return bound(a["f"], rest[n:]), rest[:n]


def _functions(a, other, *names):
    """The functions `names` bound to their own other_arguments (`other`, each's list in turn: a grouping op)."""
    out, at = [], 0
    for name in names:
        n = len(a.get(f"T{name}_other_arguments") or ())
        out.append(bound(a[name], other[at:at + n]))
        at += n
    return out


def _preserving(map_recipe):
    """A map that keeps its input's cardinality (TF2's map inside map_and_batch; TF1's own map does not)."""
    map_recipe.preserve_cardinality = True
    return map_recipe


def _padding(a, rest):
    """padded_shapes (flat int64 scalars, split by each component's rank) and padding values."""
    ranks = a["_ranks"]
    values = rest[len(rest) - len(ranks):]
    dims = [_int(d) for d in rest[:len(rest) - len(ranks)]]
    shapes, at = [], 0
    for r in ranks:
        shapes.append([None if d == -1 else d for d in dims[at:at + r]])
        at += r
    return shapes, values


# ----- iterators ---------------------------------------------------------------------------------------------
def _iterator(a, res):
    it = res.state.get("iterator")
    if it is None:
        it = res.state["iterator"] = resource.IteratorResource(res.name)
    return it


def _one_shot(a, res):
    it = res.state.get("iterator")
    if it is None:
        it = resource.IteratorResource(res.name)
        it.initialize(a["dataset_factory"](())[0])
        res.state["iterator"] = it
    return it


def _make_iterator(a, res, dataset, iterator):
    iterator.initialize(dataset)


def _get_next(a, res, iterator):
    element = iterator.get_next()
    return element[0] if len(element) == 1 else element


def _get_next_shape(inputs, a):
    return [(t, s) for t, s in zip(a["output_types"], a["output_shapes"])]


op("IteratorV2", kernel=_iterator, stateful=True, grad=NOT_DIFFERENTIABLE, shape=_resource)
op("OneShotIterator", kernel=_one_shot, stateful=True, grad=NOT_DIFFERENTIABLE, shape=_resource)
op("MakeIterator", "dataset:variant, iterator:resource", kernel=_make_iterator, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])
op("IteratorGetNext", "iterator:resource", kernel=_get_next, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=_get_next_shape)
op("IteratorToStringHandle", "resource_handle:resource", kernel=lambda a, res, it: resource.register(it),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=lambda i, a: (dtypes.string, _SCALAR))
op("IteratorFromStringHandleV2", "string_handle:string", kernel=lambda a, res, h: resource.lookup(h),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=_resource)


# ----- files ---------------------------------------------------------------------------------------------------
_dataset("TFRecordDataset", "filenames:string, compression_type:string, buffer_size:int64",
         lambda a, f, c, n: sources.FileRecords("tfrecord", f, c))
_dataset("TextLineDataset", "filenames:string, compression_type:string, buffer_size:int64",
         lambda a, f, c, n: sources.FileRecords("text", f, c))
_dataset("FixedLengthRecordDatasetV2", "filenames:string, header_bytes:int64, record_bytes:int64, "
         "footer_bytes:int64, buffer_size:int64, compression_type:string",
         lambda a, f, h, r, t, n, c: sources.FileRecords("fixed", f, c, (_int(h), _int(r), _int(t))))



# ----- tf.data.experimental ------------------------------------------------------------------------------------
def _outputs(inputs, a):
    return [(t, s) for t, s in zip(a["output_types"], a["output_shapes"])]


def _one(values):
    return values[0] if len(values) == 1 else tuple(values)


_dataset("ScanDataset", "input_dataset:variant, initial_state:+Tstate, other_arguments:+Targuments",
         lambda a, d, *rest: transforms.Scan(d, *_state_and_function(a, rest), len(a["Tstate"])))
_dataset("TakeWhileDataset", "input_dataset:variant, other_arguments:+Targuments",
         lambda a, d, *other: transforms.TakeWhile(d, bound(a["predicate"], other)))
_dataset("UniqueDataset", "input_dataset:variant", lambda a, d: transforms.Unique(d))
_dataset("IgnoreErrorsDataset", "input_dataset:variant", lambda a, d: transforms.IgnoreErrors(d))
_dataset("GroupByWindowDataset", "input_dataset:variant, key_func_other_arguments:+Tkey_func_other_arguments, "
         "reduce_func_other_arguments:+Treduce_func_other_arguments, "
         "window_size_func_other_arguments:+Twindow_size_func_other_arguments",
         lambda a, d, *other: transforms.GroupByWindow(d, *_functions(a, other, "key_func", "reduce_func",
                                                                      "window_size_func")))
_dataset("ExperimentalGroupByReducerDataset", "input_dataset:variant, "
         "key_func_other_arguments:+Tkey_func_other_arguments, init_func_other_arguments:+Tinit_func_other_arguments, "
         "reduce_func_other_arguments:+Treduce_func_other_arguments, "
         "finalize_func_other_arguments:+Tfinalize_func_other_arguments",
         lambda a, d, *other: transforms.GroupByReducer(d, *_functions(a, other, "key_func", "init_func",
                                                                       "reduce_func", "finalize_func")))
_dataset("DirectedInterleaveDataset", "selector_input_dataset:variant, data_input_datasets:*variant",
         lambda a, sel, *ds: transforms.DirectedInterleave(sel, ds, a["stop_on_empty_dataset"]))
_dataset("RandomDataset", "seed:int64, seed2:int64", lambda a, s, s2: transforms.RandomInts(_int(s), _int(s2)))
_dataset("AssertCardinalityDataset", "input_dataset:variant, cardinality:int64",
         lambda a, d, n: transforms.AssertCardinality(d, _int(n)))
_dataset("ListDataset", "tensors:+Tinput_types", lambda a, *flat: transforms.Elements(
    tuple(flat[i:i + len(a["output_types"])]) for i in range(0, len(flat), len(a["output_types"]))))
_dataset("OptionsDataset", "input_dataset:variant", lambda a, d: d)  # options tune nothing here: the same recipe
_dataset("CSVDatasetV2", "filenames:string, compression_type:string, buffer_size:int64, header:bool, "
         "field_delim:string, use_quote_delim:bool, na_value:string, select_cols:int64, "
         "record_defaults:+output_types, exclude_cols:int64", lambda a, f, c, n, h, delim, q, na, sel, *rest: rows.Csv(
             f, c, h, np.asarray(delim).item(), q, np.asarray(na).item(), np.asarray(sel).ravel().tolist(),
             _csv_defaults(a, rest[:-1])))
_dataset("SqlDataset", "driver_name:string, data_source_name:string, query:string", lambda a, drv, src, q: rows.Sql(
    drv, src, q, [t.as_numpy_dtype or np.object_ for t in a["output_types"]]))


def _csv_defaults(a, defaults):
    out = []
    for t, d in zip(a["output_types"], defaults):
        dtype = t.as_numpy_dtype or np.object_
        d = np.asarray(d, dtype=object if dtype is np.object_ else dtype)
        out.append((dtype, d.reshape(()) if d.size == 1 else None))
    return out


op("DatasetCardinality", "input_dataset:variant", kernel=lambda a, d: np.int64(cardinality(d)),
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: (dtypes.int64, _SCALAR))
op("DatasetToSingleElement", "dataset:variant", kernel=lambda a, res, d: _one(transforms.single_element(d)),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=_outputs)
op("ReduceDataset", "input_dataset:variant, initial_state:+Tstate, other_arguments:+Targuments",
   kernel=lambda a, d, *rest: _one(transforms.reduce(d, *_state_and_function(a, rest))), grad=NOT_DIFFERENTIABLE,
   shape=_outputs)
op("DatasetToTFRecord", "input_dataset:variant, filename:string, compression_type:string",
   kernel=lambda a, res, d, f, c: transforms.write_tfrecords(d, sources._text(f), sources._text(c)), stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])

# Optionals: the variant value is the element's tuple of values, or None for an empty optional.
op("OptionalFromValue", "components:+Toutput_types", kernel=lambda a, *cs: resource.Optional(cs),
   grad=NOT_DIFFERENTIABLE, shape=_variant)
op("OptionalNone", kernel=lambda a: resource.Optional(None), grad=NOT_DIFFERENTIABLE, shape=_variant)
op("OptionalHasValue", "optional:variant", kernel=lambda a, o: np.bool_(o.value is not None), grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.bool_, _SCALAR))
op("OptionalGetValue", "optional:variant", kernel=lambda a, o: _one(o.get()), grad=NOT_DIFFERENTIABLE, shape=_outputs)
op("IteratorGetNextAsOptional", "iterator:resource", kernel=lambda a, res, it: it.get_next_as_optional(),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=_variant)

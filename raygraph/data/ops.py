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
from . import pipeline, resource, sources

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
_dataset("MapDataset", "input_dataset:variant", lambda a, d: pipeline.Map(d, a["f"]))
_dataset("ParallelMapDatasetV2", "input_dataset:variant, num_parallel_calls:int64",
         lambda a, d, n: pipeline.Map(d, a["f"], _int(n) if _int(n) > 0 else 4))
_dataset("FilterDataset", "input_dataset:variant", lambda a, d: pipeline.Filter(d, a["predicate"]))
_dataset("FlatMapDataset", "input_dataset:variant", lambda a, d: pipeline.FlatMap(d, a["f"]))
_dataset("InterleaveDataset", "input_dataset:variant, cycle_length:int64, block_length:int64",
         lambda a, d, c, b: pipeline.FlatMap(d, a["f"], _int(c), _int(b)))
_dataset("BatchDatasetV2", "input_dataset:variant, batch_size:int64, drop_remainder:bool",
         lambda a, d, n, drop: pipeline.Batch(d, _int(n), bool(drop)), _check_scalar("batch_size"))
_dataset("PaddedBatchDatasetV2", "input_dataset:variant, batch_size:int64, padded_shapes:*int64, "
         "padding_values:+Toutput_types, drop_remainder:bool",
         lambda a, d, n, *rest: pipeline.Batch(d, _int(n), bool(rest[-1]), _padding(a, rest[:-1])))
_dataset("MapAndBatchDataset", "input_dataset:variant, batch_size:int64, num_parallel_calls:int64, "
         "drop_remainder:bool", lambda a, d, n, p, drop: pipeline.Batch(pipeline.Map(d, a["f"], _int(p)), _int(n),
                                                                         bool(drop)))
_dataset("ShuffleDataset", "input_dataset:variant, buffer_size:int64, seed:int64, seed2:int64",
         lambda a, d, n, s, s2: pipeline.Shuffle(d, _int(n), _int(s), _int(s2), a["reshuffle_each_iteration"]))
_dataset("RepeatDataset", "input_dataset:variant, count:int64", lambda a, d, n: pipeline.Repeat(d, n))
_dataset("TakeDataset", "input_dataset:variant, count:int64", lambda a, d, n: pipeline.Take(d, n))
_dataset("SkipDataset", "input_dataset:variant, count:int64", lambda a, d, n: pipeline.Skip(d, n))
_dataset("CacheDataset", "input_dataset:variant, filename:string", lambda a, d, f: pipeline.Cache(d))
_dataset("PrefetchDataset", "input_dataset:variant, buffer_size:int64",
         lambda a, d, n: pipeline.Prefetch(d, _int(n) if _int(n) > 0 else 2))
_dataset("UnbatchDataset", "input_dataset:variant", lambda a, d: pipeline.Unbatch(d))
_dataset("WindowDataset", "input_dataset:variant, size:int64, shift:int64, stride:int64, drop_remainder:bool",
         lambda a, d, n, shift, stride, drop: pipeline.Window(d, _int(n), _int(shift), _int(stride), bool(drop)))


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


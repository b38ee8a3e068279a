"""The dense columns: numeric values, bucketized ones (also categorical), embeddings (alone or sharing one
variable) and indicators of categorical columns, and numeric sequences."""
import collections
import math

from .. import dtypes
from ..default_graph import add_to_collection, get_collection, name_scope
from ..graph import GraphKeys
from ..initializers import truncated_normal_initializer
from ..ops.array import expand_dims, reshape, shape as shape_, transpose
from ..ops.embedding import safe_embedding_lookup_sparse
from ..ops.filling import one_hot, range as range_
from ..ops.joining import stack, tile
from ..ops.math import cast
from ..ops.math_functions import bucketize
from ..ops.parsing import FixedLenFeature
from ..ops.reduction import reduce_sum
from ..ops.slicing import scatter_nd
from ..ops.sparse_ops import sparse_merge, sparse_tensor_to_dense
from ..ops.sparse_slicing import sparse_slice
from ..ops.sparse_tensor import SparseTensor
from ..shape import TensorShape
from ..train.checkpoint_utils import init_from_checkpoint
from ..variable_scope import get_variable
from .base import (_CategoricalColumn, _OneFeature, _check_default_value, _check_key, _check_shape, _DenseColumn,
                   IdWeightPair)
from .categorical import SequenceCategoricalColumn, WeightedCategoricalColumn


def _not_a_sequence(kind, column, fix_a="DenseFeatures", fix_b="SequenceFeatures instead of DenseFeatures"):
    """TF's ValueError for a sequence column given where a dense tensor is built (input_layer, linear_model)."""
    if isinstance(column.categorical_column, SequenceCategoricalColumn):
        raise ValueError(f"In {kind}: {column.name}. categorical_column must not be of type "
                         f"_SequenceCategoricalColumn. "
                         f"Suggested fix A: If you wish to use {fix_a}, use a non-sequence categorical_column_with_*. "
                         f"Suggested fix B: If you wish to create sequence input, use {fix_b}. Given (type "
                         f"{type(column.categorical_column)}): {column.categorical_column}")


class NumericColumn(_DenseColumn, collections.namedtuple(
        "NumericColumn", ("key", "shape", "default_value", "dtype", "normalizer_fn"))):
    """A real-valued feature of a fixed shape, cast to float32 (after `normalizer_fn`)."""

    @property
    def name(self):
        return self.key

    @property
    def parse_example_spec(self):
        return {self.key: FixedLenFeature(self.shape, self.dtype, self.default_value)}

    def _transform_feature(self, inputs):
        t = inputs.get(self.key)
        if isinstance(t, SparseTensor):
            raise ValueError(f"The corresponding Tensor of numerical column must be a Tensor. SparseTensor is not "
                             f"supported. key: {self.key}")
        if self.normalizer_fn is not None:
            t = self.normalizer_fn(t)
        return cast(t, dtypes.float32)

    @property
    def variable_shape(self):
        return TensorShape(self.shape)

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return inputs.get(self)


class BucketizedColumn(_DenseColumn, _CategoricalColumn, collections.namedtuple(
        "BucketizedColumn", ("source_column", "boundaries"))):
    """A numeric column's values as bucket ids: one-hot when dense, one id per element when categorical."""

    @property
    def name(self):
        return f"{self.source_column.name}_bucketized"

    @property
    def parse_example_spec(self):
        return self.source_column.parse_example_spec

    def _transform_feature(self, inputs):
        return bucketize(inputs.get(self.source_column), boundaries=self.boundaries)

    @property
    def variable_shape(self):
        return TensorShape(tuple(self.source_column.shape) + (len(self.boundaries) + 1,))

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return one_hot(cast(inputs.get(self), dtypes.int64), depth=len(self.boundaries) + 1, on_value=1.,
                       off_value=0.)

    @property
    def num_buckets(self):
        return (len(self.boundaries) + 1) * self.source_column.shape[0]

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        ids = inputs.get(self)
        batch = shape_(ids)[0]
        width = self.source_column.shape[0]
        rows = reshape(tile(expand_dims(range_(0, batch), 1), [1, width]), (-1,))
        cols = tile(range_(0, width), [batch])
        values = reshape(ids, (-1,)) + (len(self.boundaries) + 1) * cols
        indices = cast(transpose(stack((rows, cols))), dtypes.int64)
        return IdWeightPair(SparseTensor(indices, values, cast(stack([batch, width]), dtypes.int64)), None)


class EmbeddingColumn(_DenseColumn, collections.namedtuple(
        "EmbeddingColumn", ("categorical_column", "dimension", "combiner", "initializer", "ckpt_to_load_from",
                            "tensor_name_in_ckpt", "max_norm", "trainable", "use_safe_embedding_lookup"))):
    """A categorical column's ids looked up in a [num_buckets, dimension] variable, combined per row."""

    @property
    def name(self):
        return f"{self.categorical_column.name}_embedding"

    @property
    def parse_example_spec(self):
        return self.categorical_column._parse_example_spec

    def _transform_feature(self, inputs):
        return inputs.get(self.categorical_column)

    @property
    def variable_shape(self):
        return TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        _not_a_sequence("embedding_column", self)
        pair = self.categorical_column._get_sparse_tensors(inputs, weight_collections, trainable)
        if weight_collections and GraphKeys.GLOBAL_VARIABLES not in weight_collections:
            weight_collections.append(GraphKeys.GLOBAL_VARIABLES)
        weights = get_variable("embedding_weights", shape=(self.categorical_column._num_buckets, self.dimension),
                               dtype=dtypes.float32, initializer=self.initializer,
                               trainable=self.trainable and trainable, collections=weight_collections)
        if self.ckpt_to_load_from is not None:
            init_from_checkpoint(self.ckpt_to_load_from, {self.tensor_name_in_ckpt: weights})
        return safe_embedding_lookup_sparse(weights, pair.id_tensor, pair.weight_tensor, combiner=self.combiner,
                                            name=f"{self.name}_weights", max_norm=self.max_norm)


class _SharedEmbeddingColumn(_DenseColumn, collections.namedtuple(
        "_SharedEmbeddingColumn", ("categorical_column", "dimension", "combiner", "initializer",
                                   "shared_embedding_collection_name", "ckpt_to_load_from", "tensor_name_in_ckpt",
                                   "max_norm", "trainable", "use_safe_embedding_lookup"))):
    """An embedding column whose variable is shared with the other columns of its collection: the first one
    built makes it (in its scope, named after the collection) and puts it in the collection; the others find it."""

    @property
    def name(self):
        return f"{self.categorical_column.name}_shared_embedding"

    @property
    def _var_scope_name(self):
        return self.shared_embedding_collection_name

    @property
    def _parse_example_spec(self):
        return self.categorical_column._parse_example_spec

    def _transform_feature(self, inputs):
        return inputs.get(self.categorical_column)

    @property
    def _variable_shape(self):
        return TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        _not_a_sequence("embedding_column", self, "input_layer", "sequence_input_layer instead of input_layer")
        with name_scope(None, default_name=self.name):
            pair = self.categorical_column._get_sparse_tensors(inputs, weight_collections, trainable)
            shape = (self.categorical_column._num_buckets, self.dimension)
            shared = get_collection(self.shared_embedding_collection_name)
            if shared:
                if len(shared) > 1:
                    raise ValueError(f"Collection {shared} can only contain one variable. Suggested fix A: Choose a "
                                     f"unique name for this collection. Suggested fix B: Do not add any variables to "
                                     f"this collection. The feature_column library already adds a variable under the "
                                     f"hood.")
                weights = shared[0]
                if weights.get_shape() != shape:
                    raise ValueError(f"Shared embedding collection {self.shared_embedding_collection_name} contains "
                                     f"variable {weights.name} of unexpected shape {weights.get_shape()}. Expected "
                                     f"shape is {shape}. Suggested fix A: Choose a unique name for this collection. "
                                     f"Suggested fix B: Do not add any variables to this collection. The "
                                     f"feature_column library already adds a variable under the hood.")
            else:
                weights = get_variable("embedding_weights", shape=shape, dtype=dtypes.float32,
                                       initializer=self.initializer, trainable=self.trainable and trainable,
                                       collections=weight_collections)
                add_to_collection(self.shared_embedding_collection_name, weights)
            if self.ckpt_to_load_from is not None:
                init_from_checkpoint(self.ckpt_to_load_from, {self.tensor_name_in_ckpt: weights})
            return safe_embedding_lookup_sparse(weights, pair.id_tensor, pair.weight_tensor, combiner=self.combiner,
                                                name=f"{self.name}_weights", max_norm=self.max_norm)


class IndicatorColumn(_DenseColumn, collections.namedtuple("IndicatorColumn", ("categorical_column",))):
    """A categorical column as a multi-hot (or weighted) dense vector of num_buckets."""

    @property
    def name(self):
        return f"{self.categorical_column.name}_indicator"

    @property
    def parse_example_spec(self):
        return self.categorical_column._parse_example_spec

    @property
    def variable_shape(self):
        return TensorShape([1, self.categorical_column._num_buckets])

    def _transform_feature(self, inputs):
        pair = self.categorical_column._get_sparse_tensors(inputs)
        size = self._variable_shape[-1]
        size = size if isinstance(size, int) else size.value
        if pair.weight_tensor is not None:
            merged = sparse_merge(sp_ids=pair.id_tensor, sp_values=pair.weight_tensor, vocab_size=int(size))
            merged = sparse_slice(merged, [0, 0], merged.dense_shape)
            return scatter_nd(merged.indices, merged.values, merged.dense_shape)
        dense_ids = sparse_tensor_to_dense(pair.id_tensor, default_value=-1)
        return reduce_sum(one_hot(dense_ids, depth=size, on_value=1.0, off_value=0.0), axis=[-2])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        _not_a_sequence("indicator_column", self)
        return inputs.get(self)


# ----- constructors ------------------------------------------------------------------------------------------
def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32, normalizer_fn=None):
    """A real-valued feature: a float32 tensor of [batch] + shape."""
    shape = _check_shape(shape, key)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    default_value = _check_default_value(shape, default_value, dtype, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    _check_key(key)
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


def bucketized_column(source_column, boundaries):
    """A 1-D numeric column discretized by sorted `boundaries` (buckets include their left boundary)."""
    if not isinstance(source_column, NumericColumn):
        raise ValueError(f"source_column must be a column generated with numeric_column(). Given: {source_column}")
    if len(source_column.shape) > 1:
        raise ValueError(f"source_column must be one-dimensional column. Given: {source_column}")
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    if not isinstance(boundaries, (list, tuple)):
        raise ValueError("boundaries must be a sorted list.")
    if any(a >= b for a, b in zip(boundaries, boundaries[1:])):
        raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(boundaries))


def indicator_column(categorical_column):
    """A categorical column as a multi-hot dense column."""
    if not isinstance(categorical_column, _CategoricalColumn):
        raise ValueError(f"Unsupported input type. Input must be a CategoricalColumn. Given: {categorical_column}")
    return IndicatorColumn(categorical_column)


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None, ckpt_to_load_from=None,
                     tensor_name_in_ckpt=None, max_norm=None, trainable=True, use_safe_embedding_lookup=True):
    """A categorical column as a learned embedding of `dimension` (rows combined by mean, sqrtn or sum)."""
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them.")
    if initializer is not None and not callable(initializer):
        raise ValueError(f"initializer must be callable if specified. Embedding of column_name: "
                         f"{categorical_column.name}")
    if initializer is None:
        initializer = truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(dimension))
    return EmbeddingColumn(categorical_column, dimension, combiner, initializer, ckpt_to_load_from,
                           tensor_name_in_ckpt, max_norm, trainable, use_safe_embedding_lookup)


def _unwrapped(column):
    while isinstance(column, (WeightedCategoricalColumn, SequenceCategoricalColumn)):
        column = column.categorical_column
    return column


def shared_embedding_columns(categorical_columns, dimension, combiner="mean", initializer=None,
                             shared_embedding_collection_name=None, ckpt_to_load_from=None, tensor_name_in_ckpt=None,
                             max_norm=None, trainable=True, use_safe_embedding_lookup=True):
    """Embedding columns of categorical columns of one kind and size, sharing one embedding variable."""
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them.")
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified.")
    if initializer is None:
        initializer = truncated_normal_initializer(mean=0.0, stddev=1. / math.sqrt(dimension))
    ordered = sorted(categorical_columns, key=lambda c: c.name)
    first = ordered[0]
    num_buckets = first._num_buckets
    if not isinstance(first, _CategoricalColumn):
        raise ValueError(f"All categorical_columns must be subclasses of _CategoricalColumn. Given: {first}, of type: "
                         f"{type(first)}")
    first = _unwrapped(first)
    for c in ordered[1:]:
        c = _unwrapped(c)
        if not isinstance(c, type(first)):
            raise ValueError(f"To use shared_embedding_column, all categorical_columns must have the same type, or be "
                             f"weighted_categorical_column or sequence column of the same type. Given column: {first} "
                             f"of type: {type(first)} does not match given column: {c} of type: {type(c)}")
        if num_buckets != c._num_buckets:
            raise ValueError(f"To use shared_embedding_column, all categorical_columns must have the same number of "
                             f"buckets. ven column: {first} with buckets: {num_buckets} does  not match column: {c} "
                             f"with buckets: {c._num_buckets}")
    if not shared_embedding_collection_name:
        shared_embedding_collection_name = "_".join(c.name for c in ordered) + "_shared_embedding"
    return [_SharedEmbeddingColumn(c, dimension, combiner, initializer, shared_embedding_collection_name,
                                   ckpt_to_load_from, tensor_name_in_ckpt, max_norm, trainable,
                                   use_safe_embedding_lookup) for c in categorical_columns]


class SequenceNumericColumn(_OneFeature, collections.namedtuple("SequenceNumericColumn",
                                                   ("key", "shape", "default_value", "dtype", "normalizer_fn"))):
    """A real-valued feature over sequences. Like TF's, a v2-only column: TF1's `input_layer`, `linear_model` and
    `make_parse_example_spec` reject it."""

    @property
    def variable_shape(self):
        return TensorShape(self.shape)


def sequence_numeric_column(key, shape=(1,), default_value=0., dtype=dtypes.float32, normalizer_fn=None):
    """A real-valued feature of `shape` per sequence step."""
    shape = _check_shape(shape, key)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return SequenceNumericColumn(key, shape, default_value, dtype, normalizer_fn)

"""The categorical columns: feature values as SparseTensors of int64 ids in [0, num_buckets) (hashed, looked
up in a vocabulary list or file, used as they are, weighted, crossed), and their sequence forms."""
import collections

import numpy as np

from .. import dtypes
from ..gfile import Exists, GFile
from ..lookup import index_table_from_file, index_table_from_tensor
from ..ops.array import shape as shape_
from ..ops.filling import fill
from ..ops.math import cast, logical_or
from ..ops.parsing import VarLenFeature
from ..ops.reduction import reduce_prod
from ..ops.slicing import where_v2
from ..ops.sparse_cross import cross_hashed
from ..ops.sparse_ops import sparse_reshape
from ..ops.sparse_tensor import SparseTensor, convert_to_tensor_or_sparse_tensor
from ..ops.strings import as_string, string_to_hash_bucket_fast
from .base import (_CategoricalColumn, _OneFeature, _check_key, _check_string_or_int, _FeatureColumn,
                   _to_sparse_input, IdWeightPair)


def _check_input_dtype(column, t):
    if column.dtype.is_integer != t.dtype.is_integer:
        raise ValueError(f"Column dtype and SparseTensors dtype must be compatible. key: {column.key}, column dtype: "
                         f"{column.dtype}, tensor dtype: {t.dtype}")
    _check_string_or_int(t.dtype, prefix=f"column_name: {column.key} input_tensor")


class HashedCategoricalColumn(_OneFeature, _CategoricalColumn, collections.namedtuple(
        "HashedCategoricalColumn", ("key", "hash_bucket_size", "dtype"))):
    """Each value (ints written in decimal) hashed into `hash_bucket_size` buckets."""

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def _transform_feature(self, inputs):
        t = _to_sparse_input(inputs.get(self.key))
        _check_string_or_int(t.dtype, prefix=f"column_name: {self.key} input_tensor")
        _check_input_dtype(self, t)
        values = t.values if self.dtype == dtypes.string else as_string(t.values)
        ids = string_to_hash_bucket_fast(values, self.hash_bucket_size, name="lookup")
        return SparseTensor(t.indices, ids, t.dense_shape)


class _VocabularyColumn(_OneFeature, _CategoricalColumn):
    """Shared by the vocabulary columns: ids from a lookup table named `<key>_lookup`."""

    def _transform_feature(self, inputs):
        t = _to_sparse_input(inputs.get(self.key))
        _check_input_dtype(self, t)
        key_dtype = self.dtype
        if t.dtype.is_integer:
            key_dtype = dtypes.int64
            t = cast(t, dtypes.int64)
        return self._table(key_dtype).lookup(t)


class VocabularyListCategoricalColumn(_VocabularyColumn, collections.namedtuple(
        "VocabularyListCategoricalColumn", ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"))):
    """Each value's position in `vocabulary_list`; others `default_value` or hashed into oov buckets."""

    @property
    def num_buckets(self):
        return len(self.vocabulary_list) + self.num_oov_buckets

    def _table(self, key_dtype):
        return index_table_from_tensor(vocabulary_list=tuple(self.vocabulary_list), default_value=self.default_value,
                                       num_oov_buckets=self.num_oov_buckets, dtype=key_dtype,
                                       name=f"{self.key}_lookup")


class VocabularyFileCategoricalColumn(_VocabularyColumn, collections.namedtuple(
        "VocabularyFileCategoricalColumn", ("key", "vocabulary_file", "vocabulary_size", "num_oov_buckets", "dtype",
                                            "default_value", "file_format"))):
    """Each value's line number in `vocabulary_file`; others `default_value` or hashed into oov buckets."""

    @property
    def num_buckets(self):
        return self.vocabulary_size + self.num_oov_buckets

    def _table(self, key_dtype):
        return index_table_from_file(vocabulary_file=self.vocabulary_file, num_oov_buckets=self.num_oov_buckets,
                                     vocab_size=self.vocabulary_size, default_value=self.default_value,
                                     key_dtype=key_dtype, name=f"{self.key}_lookup")


class IdentityCategoricalColumn(_OneFeature, _CategoricalColumn, collections.namedtuple(
        "IdentityCategoricalColumn", ("key", "number_buckets", "default_value"))):
    """Integer values used as ids; out-of-range ones replaced by `default_value` when it is given."""

    @property
    def parse_example_spec(self):
        return {self.key: VarLenFeature(dtypes.int64)}

    @property
    def num_buckets(self):
        return self.number_buckets

    def _transform_feature(self, inputs):
        t = _to_sparse_input(inputs.get(self.key))
        if not t.dtype.is_integer:
            raise ValueError(f"Invalid input, not integer. key: {self.key} dtype: {t.dtype}")
        values = t.values
        if values.dtype != dtypes.int64:
            values = cast(values, dtypes.int64, name="values")
        if self.default_value is not None:
            values = cast(t.values, dtypes.int64, name="values")
            num_buckets = cast(self.num_buckets, dtypes.int64, name="num_buckets")
            zero = cast(0, dtypes.int64, name="zero")
            out_of_range = logical_or(values < zero, values >= num_buckets, name="out_of_range")
            defaults = fill(dims=shape_(values), value=cast(self.default_value, dtypes.int64), name="default_values")
            values = where_v2(out_of_range, defaults, values)
        return SparseTensor(t.indices, values, t.dense_shape)


class WeightedCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "WeightedCategoricalColumn", ("categorical_column", "weight_feature_key", "dtype"))):
    """A categorical column's ids with per-id weights from the feature `weight_feature_key`."""

    @property
    def name(self):
        return f"{self.categorical_column.name}_weighted_by_{self.weight_feature_key}"

    @property
    def parse_example_spec(self):
        config = dict(self.categorical_column._parse_example_spec)
        if self.weight_feature_key in config:
            raise ValueError(f"Parse config {config[self.weight_feature_key]} already exists for "
                             f"{self.weight_feature_key}.")
        config[self.weight_feature_key] = VarLenFeature(self.dtype)
        return config

    @property
    def num_buckets(self):
        return self.categorical_column._num_buckets

    def _transform_feature(self, inputs):
        weights = inputs.get(self.weight_feature_key)
        if weights is None:
            raise ValueError(f"Missing weights {self.weight_feature_key}.")
        weights = convert_to_tensor_or_sparse_tensor(weights)
        if self.dtype != weights.dtype.base_dtype:
            raise ValueError(f"Bad dtype, expected {self.dtype}, but got {weights.dtype}.")
        if not isinstance(weights, SparseTensor):
            weights = _to_sparse_input(weights, ignore_value=0.0)
        if not weights.dtype.is_floating:
            weights = SparseTensor(weights.indices, cast(weights.values, dtypes.float32), weights.dense_shape)
        return inputs.get(self.categorical_column), weights

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return IdWeightPair(*inputs.get(self))


def _leaf_keys(cross):
    out = []
    for k in cross.keys:
        out.extend(_leaf_keys(k) if isinstance(k, CrossedColumn) else [k])
    return out


class CrossedColumn(_CategoricalColumn, collections.namedtuple(
        "CrossedColumn", ("keys", "hash_bucket_size", "hash_key"))):
    """Every combination of one value from each key (feature names or categorical columns), hashed."""

    @property
    def name(self):
        return "_X_".join(sorted(k.name if isinstance(k, _FeatureColumn) else k for k in _leaf_keys(self)))

    @property
    def parse_example_spec(self):
        config = {}
        for k in self.keys:
            config.update(k._parse_example_spec if isinstance(k, _FeatureColumn) else {k: VarLenFeature(dtypes.string)})
        return config

    @property
    def num_buckets(self):
        return self.hash_bucket_size

    def _transform_feature(self, inputs):
        tensors = []
        for k in _leaf_keys(self):
            if isinstance(k, str):
                tensors.append(inputs.get(k))
            elif isinstance(k, _CategoricalColumn):
                pair = k._get_sparse_tensors(inputs)
                if pair.weight_tensor is not None:
                    raise ValueError(f"crossed_column does not support weight_tensor, but the given column populates "
                                     f"weight_tensor. Given column: {k.name}")
                tensors.append(pair.id_tensor)
            else:
                raise ValueError(f"Unsupported column type. Given: {k}")
        return cross_hashed(tensors, num_buckets=self.hash_bucket_size, hash_key=self.hash_key)


# ----- constructors ------------------------------------------------------------------------------------------
def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """A string or int feature hashed into `hash_bucket_size` buckets."""
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}")
    _check_key(key)
    _check_string_or_int(dtype, prefix=f"column_name: {key}")
    return HashedCategoricalColumn(key, hash_bucket_size, dtype)


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0):
    """A string or int feature mapped to its position in `vocabulary_list`."""
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    vocabulary_dtype = dtypes.as_dtype(np.array(vocabulary_list).dtype)
    if num_oov_buckets:
        if default_value != -1:
            raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
    _check_string_or_int(vocabulary_dtype, prefix=f"column_name: {key} vocabulary")
    if dtype is None:
        dtype = vocabulary_dtype
    elif dtype.is_integer != vocabulary_dtype.is_integer:
        raise ValueError(f"dtype {dtype} and vocabulary dtype {vocabulary_dtype} do not match, column_name: {key}")
    _check_string_or_int(dtype, prefix=f"column_name: {key}")
    _check_key(key)
    return VocabularyListCategoricalColumn(key, tuple(vocabulary_list), dtype, default_value, num_oov_buckets)


def categorical_column_with_vocabulary_file(key, vocabulary_file, vocabulary_size=None, num_oov_buckets=0,
                                            default_value=None, dtype=dtypes.string):
    """A string or int feature mapped to its line in `vocabulary_file` (its size counted when not given)."""
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if vocabulary_size is None:
        if not Exists(vocabulary_file):
            raise ValueError(f"vocabulary_file in {key} does not exist.")
        with GFile(vocabulary_file, mode="rb") as f:
            vocabulary_size = sum(1 for _ in f)
    if vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    if num_oov_buckets:
        if default_value is not None:
            raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
    _check_string_or_int(dtype, prefix=f"column_name: {key}")
    _check_key(key)
    return VocabularyFileCategoricalColumn(key, vocabulary_file, vocabulary_size, num_oov_buckets or 0, dtype,
                                           -1 if default_value is None else default_value, None)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """An integer feature used as ids in [0, num_buckets)."""
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and (default_value < 0 or default_value >= num_buckets):
        raise ValueError(f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}")
    _check_key(key)
    return IdentityCategoricalColumn(key, num_buckets, default_value)


def weighted_categorical_column(categorical_column, weight_feature_key, dtype=dtypes.float32):
    """A categorical column whose ids carry the weights of the feature `weight_feature_key`."""
    if dtype is None or not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    return WeightedCategoricalColumn(categorical_column, weight_feature_key, dtype)


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """The hashed cross of feature names and categorical columns (not hashed ones)."""
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for k in keys:
        if not isinstance(k, (str, _CategoricalColumn)):
            raise ValueError(f"Unsupported key type. All keys must be either string, or categorical column except "
                             f"HashedCategoricalColumn. Given: {k}")
        if isinstance(k, HashedCategoricalColumn):
            raise ValueError(f"categorical_column_with_hash_bucket is not supported for crossing. Hashing before "
                             f"crossing will increase probability of collision. Instead, use the feature name as a "
                             f"string. Given: {k}")
    return CrossedColumn(tuple(keys), hash_bucket_size, hash_key)


# ----- sequences of categorical values ------------------------------------------------------------------------
class SequenceCategoricalColumn(_CategoricalColumn, collections.namedtuple("SequenceCategoricalColumn",
                                                                           ("categorical_column",))):
    """A categorical column over sequences: ids of [batch, time, n] (n the values per step, flattened)."""

    @property
    def name(self):
        return self.categorical_column.name

    @property
    def parse_example_spec(self):
        return self.categorical_column._parse_example_spec

    @property
    def num_buckets(self):
        return self.categorical_column._num_buckets

    def _transform_feature(self, inputs):
        return self.categorical_column._transform_feature(inputs)

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        pair = self.categorical_column._get_sparse_tensors(inputs)
        dims = shape_(pair.id_tensor)
        target = [dims[0], dims[1], reduce_prod(dims[2:])]
        weights = pair.weight_tensor
        return IdWeightPair(sparse_reshape(pair.id_tensor, target),
                            None if weights is None else sparse_reshape(weights, target))


def sequence_categorical_column_with_identity(key, num_buckets, default_value=None):
    """`categorical_column_with_identity` over sequences."""
    return SequenceCategoricalColumn(categorical_column_with_identity(key, num_buckets, default_value))


def sequence_categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """`categorical_column_with_hash_bucket` over sequences."""
    return SequenceCategoricalColumn(categorical_column_with_hash_bucket(key, hash_bucket_size, dtype))


def sequence_categorical_column_with_vocabulary_file(key, vocabulary_file, vocabulary_size=None, num_oov_buckets=0,
                                                     default_value=None, dtype=dtypes.string):
    """`categorical_column_with_vocabulary_file` over sequences."""
    return SequenceCategoricalColumn(categorical_column_with_vocabulary_file(
        key, vocabulary_file, vocabulary_size, num_oov_buckets, default_value, dtype))


def sequence_categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1,
                                                     num_oov_buckets=0):
    """`categorical_column_with_vocabulary_list` over sequences."""
    return SequenceCategoricalColumn(categorical_column_with_vocabulary_list(key, vocabulary_list, dtype,
                                                                             default_value, num_oov_buckets))

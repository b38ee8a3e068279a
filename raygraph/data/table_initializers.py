"""Lookup tables filled from datasets (`tf.data.experimental`): `DatasetInitializer` (the
`InitializeTableFromDataset` op, which iterates the dataset of (key, value) scalars in its device), and the
`table_from_dataset` / `index_table_from_dataset` tables built on it, as TF builds them."""
from .. import dtypes
from ..default_graph import add_to_collection, name_scope
from ..graph import GraphKeys
from ..lookup import FastHashSpec, IdTableWithHashBuckets, StaticHashTable, TableInitializerBase, check_table_dtypes
from ..ops.math import cast
from ..ops.registry import apply_op
from ..tensor import Tensor
from .specs import TensorSpec
from .transformations import assert_cardinality

_FORM = ("Datasets used to initialize lookup tables must produce elements in the form (key, value), where the keys "
         "and values are scalar tensors. However, the given dataset produces ")


def _check_element_spec(spec):
    if len(spec) != 2:
        raise ValueError(f"{_FORM}{len(spec)} components instead of two (key, value) components. Full dataset "
                         f"element spec: {spec}.")
    for what, s in (("keys", spec[0]), ("values", spec[1])):
        if not isinstance(s, TensorSpec):
            raise ValueError(f"{_FORM}non-Tensor {what} of type {type(s)}.")
    for what, s in (("key", spec[0]), ("value", spec[1])):
        if s.shape.ndims not in (None, 0):
            raise ValueError(f"{_FORM}non-scalar {what} Tensors of rank {s.shape.ndims}.")


class DatasetInitializer(TableInitializerBase):
    """Fills a table with the (key, value) scalar pairs of a dataset."""

    def __init__(self, dataset):
        self.dataset = dataset
        spec = dataset.element_spec
        _check_element_spec(spec)
        super().__init__(spec[0].dtype, spec[1].dtype)

    def initialize(self, table):
        check_table_dtypes(table, self._key_dtype, self._value_dtype)
        init_op = apply_op("InitializeTableFromDataset", [table.resource_handle, self.dataset._variant_tensor], {})
        add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        return init_op


def table_from_dataset(dataset=None, num_oov_buckets=0, vocab_size=None, default_value=None,
                       hasher_spec=FastHashSpec, key_dtype=dtypes.string, name=None):
    """A table of the dataset's (key, value) pairs; keys it lacks get `default_value`, or with `num_oov_buckets`
    one of that many hash buckets after the vocabulary."""
    spec = dataset.element_spec
    _check_element_spec(spec)
    if default_value is None:
        default_value = -1
        if not (spec[1].dtype.is_integer or spec[1].dtype.is_floating):
            raise ValueError("`default_value` must be specified when creating a table from a dataset that produces "
                             f"values of type {spec[1].dtype}.")
    if num_oov_buckets < 0:
        raise ValueError(f"`num_oov_buckets` must be greater than or equal to 0, got {num_oov_buckets}.")
    if not isinstance(vocab_size, Tensor) and vocab_size is not None and vocab_size < 1:
        raise ValueError(f"`vocab_size` must be greater than 0, got {vocab_size}.")
    key_dtype = dtypes.as_dtype(key_dtype)
    if not key_dtype.is_integer and key_dtype.base_dtype != dtypes.string:
        raise TypeError(f"`key_dtype` must be either an integer or string type, but got {key_dtype}")
    if vocab_size is not None:
        if isinstance(vocab_size, Tensor):
            vocab_size = cast(vocab_size, dtypes.int64)
        dataset = dataset.take(vocab_size).apply(assert_cardinality(vocab_size))
    with name_scope(name, "string_to_index"):
        initializer = DatasetInitializer(dataset)
        with name_scope(None, "hash_table"):
            table = StaticHashTable(initializer, default_value)
            if num_oov_buckets:
                table = IdTableWithHashBuckets(table, num_oov_buckets=num_oov_buckets, hasher_spec=hasher_spec,
                                               key_dtype=key_dtype)
            return table


def index_table_from_dataset(dataset=None, num_oov_buckets=0, vocab_size=None, default_value=-1,
                             hasher_spec=FastHashSpec, key_dtype=dtypes.string, name=None):
    """A table of each of the dataset's keys to its position; other keys as `table_from_dataset`'s."""
    return table_from_dataset(dataset.enumerate().map(lambda v, k: (k, v)), num_oov_buckets, vocab_size,
                              default_value, hasher_spec, key_dtype, name)

"""`tf.lookup` (TF1's tf.compat.v1.lookup) and the contrib-era helpers of TF's lookup_ops: tables mapping keys
to values, filled by an initializer op that `tf.tables_initializer()` runs (the TABLE_INITIALIZERS collection).

    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1)
    out = table.lookup(tf.constant(["b", "z"]))    # after sess.run(tf.tables_initializer()): [2, -1]

The ops live in ops/lookup_ops.py; a table's handle is a `HashTableV2` op, shared by name (a uuid unless the
initializer names its file) within the device holding it.
"""
import collections
import types
import uuid

from . import dtypes
from .convert import convert_to_tensor
from .default_graph import add_to_collection, colocate_with, name_scope
from .graph import GraphKeys
from .ops import lookup_ops as _ops  # noqa: F401 - the table ops' entries
from .ops.array import size as _size
from .ops.control import no_op
from .ops.filling import range as _range
from .ops.math import add, cast, not_equal
from .ops.registry import apply_op
from .ops.slicing import where_v2
from .ops.sparse_tensor import SparseTensor
from .ops.strings import as_string, string_to_hash_bucket, string_to_hash_bucket_fast, string_to_hash_bucket_strong
from .saveable import SaveableObject
from .shape import TensorShape
from .tensor import Tensor


def check_table_dtypes(table, key_dtype, value_dtype):
    """TypeError unless `key_dtype`/`value_dtype` are the table's."""
    if key_dtype.base_dtype != table.key_dtype:
        raise TypeError(f"Invalid key dtype for table, expected {table.key_dtype} but got {key_dtype}.")
    if value_dtype.base_dtype != table.value_dtype:
        raise TypeError(f"Invalid value dtype for table, expected {table.value_dtype} but got {value_dtype}.")


class LookupInterface:
    """A lookup table that persists across steps."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    key_dtype = property(lambda self: self._key_dtype)
    value_dtype = property(lambda self: self._value_dtype)
    resource_handle = property(lambda self: self._resource_handle)

    @property
    def name(self):
        return NotImplementedError  # (sic: TF returns the class)

    def size(self, name=None):
        raise NotImplementedError

    def lookup(self, keys, name=None):
        raise NotImplementedError

    def __getitem__(self, keys):
        return self.lookup(keys)


class InitializableLookupTableBase(LookupInterface):
    """A table filled once by its initializer's op (`initializer`), read-only afterwards."""

    def __init__(self, default_value, initializer):
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        self._default_value = convert_to_tensor(default_value, dtype=self._value_dtype)
        self._default_value.shape.merge_with(TensorShape([]))
        self._initializer = initializer
        self._resource_handle = self._create_resource()
        self._init_op = self._initialize()

    def _initialize(self):
        return self._initializer.initialize(self)

    default_value = property(lambda self: self._default_value)
    initializer = property(lambda self: self._init_op)

    def size(self, name=None):
        """The number of entries (0 before initialization)."""
        with name_scope(name, f"{self.name}_Size", [self.resource_handle]):
            return apply_op("LookupTableSizeV2", [self.resource_handle], {})

    def lookup(self, keys, name=None):
        """The values of `keys` (a Tensor or SparseTensor), the default value for missing keys."""
        key_tensor = keys.values if isinstance(keys, SparseTensor) else keys
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}")
        with name_scope(name, f"{self.name}_Lookup", (self.resource_handle, key_tensor, self._default_value)):
            values = apply_op("LookupTableFindV2", [self.resource_handle, key_tensor, self._default_value],
                              {"Tin": self._key_dtype, "Tout": self._value_dtype})
        values.set_shape(key_tensor.shape)
        if isinstance(keys, SparseTensor):
            return SparseTensor(keys.indices, values, keys.dense_shape)
        return values


class StaticHashTable(InitializableLookupTableBase):
    """A hash table, immutable once initialized (TF1's tf.lookup.StaticHashTable)."""

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        if experimental_is_anonymous:
            raise NotImplementedError("raygraph has no anonymous tables (AnonymousHashTable)")
        self._initializer = initializer
        self._shared_name = initializer._shared_name or f"hash_table_{uuid.uuid4()}"
        self._name = name or "hash_table"
        self._table_name = None
        super().__init__(default_value, initializer)
        self._value_shape = self._default_value.shape

    def _create_resource(self):
        ref = apply_op("HashTableV2", [], {"container": "", "shared_name": self._shared_name,
                                           "use_node_name_sharing": False, "key_dtype": self._initializer.key_dtype,
                                           "value_dtype": self._initializer.value_dtype}, name=self._name)
        self._table_name = ref.op.name.split("/")[-1]
        return ref

    name = property(lambda self: self._table_name)

    def export(self, name=None):
        """Tensors of all keys and all values in the table."""
        with name_scope(name, f"{self.name}_Export", [self.resource_handle]):
            keys, values = apply_op("LookupTableExportV2", [self.resource_handle],
                                    {"Tkeys": self._key_dtype, "Tvalues": self._value_dtype})
        values.set_shape(keys.shape.concatenate(self._value_shape))
        return keys, values


class HashTable(StaticHashTable):
    """TF1's name of StaticHashTable (contrib.lookup.HashTable), with `init`."""

    init = property(lambda self: self.initializer)


# ----- mutable tables (tf.lookup.experimental) ------------------------------------------------------------
class _MutableTableBase(LookupInterface):
    """What MutableHashTable and DenseHashTable share: a table op named `name`, shared by its node name when
    checkpointed, whose contents a Saver saves as "<name>-keys" and "<name>-values" (SAVEABLE_OBJECTS)."""

    def _setup(self, key_dtype, value_dtype, name, checkpoint, experimental_is_anonymous):
        if experimental_is_anonymous:
            raise NotImplementedError("raygraph has no anonymous tables (AnonymousMutableHashTable)")
        self._value_shape = self._default_value.shape
        self._checkpoint, self._name = checkpoint, name
        super().__init__(key_dtype, value_dtype)
        self._resource_handle = self._create_resource()
        self._table_name = self._resource_handle.op.name.split("/")[-1]
        if checkpoint:
            add_to_collection(GraphKeys.SAVEABLE_OBJECTS, _TableSaveable(self, name))

    def _table_attrs(self):
        return {"container": "", "shared_name": "", "use_node_name_sharing": bool(self._checkpoint),
                "key_dtype": self._key_dtype, "value_dtype": self._value_dtype}

    name = property(lambda self: self._table_name)
    default_value = property(lambda self: self._default_value)

    def size(self, name=None):
        """The number of entries."""
        with name_scope(name, f"{self.name}_Size", [self.resource_handle]), colocate_with(self.resource_handle):
            return apply_op("LookupTableSizeV2", [self.resource_handle], {})

    def _find(self, keys, default, name):
        with name_scope(name, f"{self.name}_lookup_table_find", (self.resource_handle, keys, self._default_value)):
            keys = convert_to_tensor(keys, dtype=self._key_dtype, name="keys")
            with colocate_with(self.resource_handle):
                return apply_op("LookupTableFindV2", [self.resource_handle, keys, default], {})

    def insert(self, keys, values, name=None):
        """An op setting the values of `keys` (inserting or overwriting)."""
        with name_scope(name, f"{self.name}_lookup_table_insert", [self.resource_handle, keys, values]):
            keys = convert_to_tensor(keys, self._key_dtype, name="keys")
            values = convert_to_tensor(values, self._value_dtype, name="values")
            with colocate_with(self.resource_handle):
                return apply_op("LookupTableInsertV2", [self.resource_handle, keys, values], {})

    def _remove(self, keys, name):
        with name_scope(name, f"{self.name}_lookup_table_remove", (self.resource_handle, keys, self._default_value)):
            return apply_op("LookupTableRemoveV2", [self.resource_handle, keys], {})

    def export(self, name=None):
        """Tensors of the table's keys and values (a DenseHashTable's: all its buckets)."""
        with name_scope(name, f"{self.name}_lookup_table_export_values", [self.resource_handle]), \
                colocate_with(self.resource_handle):
            return tuple(apply_op("LookupTableExportV2", [self.resource_handle],
                                  {"Tkeys": self._key_dtype, "Tvalues": self._value_dtype}))


class MutableHashTable(_MutableTableBase):
    """A table that `insert` and `remove` change (tf.lookup.experimental.MutableHashTable); values of the
    default value's shape (MutableHashTableV2 for scalars, else MutableHashTableOfTensorsV2)."""

    def __init__(self, key_dtype, value_dtype, default_value, name="MutableHashTable", checkpoint=True,
                 experimental_is_anonymous=False):
        self._default_value = convert_to_tensor(default_value, dtype=value_dtype)
        self._setup(key_dtype, value_dtype, name, checkpoint, experimental_is_anonymous)

    def _create_resource(self):
        if self._default_value.shape.ndims == 0:
            return apply_op("MutableHashTableV2", [], self._table_attrs(), name=self._name)
        return apply_op("MutableHashTableOfTensorsV2", [], dict(self._table_attrs(), value_shape=self._value_shape),
                        name=self._name)

    def lookup(self, keys, dynamic_default_values=None, name=None):
        """The values of `keys`, the default value (or `dynamic_default_values`: one per key) for missing keys."""
        return self._find(keys, self._default_value if dynamic_default_values is None else dynamic_default_values,
                          name)

    def remove(self, keys, name=None):
        """An op removing `keys` (missing keys are ignored)."""
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}")
        return self._remove(keys, name)


class DenseHashTable(_MutableTableBase):
    """A mutable table in open-addressed buckets (tf.lookup.experimental.DenseHashTable): `empty_key` marks
    empty buckets, `deleted_key` removed ones; neither may be used as a key."""

    def __init__(self, key_dtype, value_dtype, default_value, empty_key, deleted_key, initial_num_buckets=None,
                 name="MutableDenseHashTable", checkpoint=True, experimental_is_anonymous=False):
        self._default_value = convert_to_tensor(default_value, dtype=value_dtype, name="default_value")
        self._initial_num_buckets, self._empty_key, self._deleted_key = initial_num_buckets, empty_key, deleted_key
        self._setup(key_dtype, value_dtype, name, checkpoint, experimental_is_anonymous)

    def _create_resource(self):
        empty_key = convert_to_tensor(self._empty_key, dtype=self._key_dtype, name="empty_key")
        deleted_key = convert_to_tensor(self._deleted_key, dtype=self._key_dtype, name="deleted_key")
        attrs = dict(self._table_attrs(), value_shape=self._value_shape, max_load_factor=0.8,
                     initial_num_buckets=131072 if self._initial_num_buckets is None else self._initial_num_buckets)
        del attrs["key_dtype"]   # (inferred from empty_key)
        return apply_op("MutableDenseHashTableV2", [empty_key, deleted_key], attrs, name=self._name)

    def lookup(self, keys, name=None):
        """The values of `keys`, the default value for missing keys."""
        return self._find(keys, self._default_value, name)

    def insert_or_assign(self, keys, values, name=None):
        return self.insert(keys, values, name)

    def erase(self, keys, name=None):
        """An op removing `keys` (missing keys are ignored)."""
        if keys.dtype != self._key_dtype:
            raise TypeError(f"Signature mismatch. Keys must be dtype {self._key_dtype}, got {keys.dtype}.")
        return self._remove(keys, name)

    def remove(self, keys, name=None):
        return self.erase(keys, name)


class _TableSaveable(SaveableObject):
    """TF's table _Saveable: a mutable table's export saved as "<name>-keys" and "<name>-values", restored by
    LookupTableImportV2 in "<name>_table_restore" on the table's device."""

    def __init__(self, table, name):
        keys, values = table.export()
        super().__init__(table, [(name + "-keys", keys), (name + "-values", values)], name)

    def restore(self, restored_tensors):
        with name_scope(f"{self.name}_table_restore"), colocate_with(self.op.resource_handle):
            return apply_op("LookupTableImportV2", [self.op.resource_handle, *restored_tensors], {})


experimental = types.SimpleNamespace(MutableHashTable=MutableHashTable, DenseHashTable=DenseHashTable)


# ----- initializers ---------------------------------------------------------------------------------------
class TableInitializerBase:
    """What fills a table: its key and value dtypes and the op `initialize(table)` builds."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    key_dtype = property(lambda self: self._key_dtype)
    value_dtype = property(lambda self: self._value_dtype)
    _shared_name = property(lambda self: "")

    def initialize(self, table):
        raise NotImplementedError


class KeyValueTensorInitializer(TableInitializerBase):
    """Fills a table from a vector of keys and a vector of values (`LookupTableImportV2`)."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
        self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
        self._name = name if name is not None else "key_value_init"
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table):
        check_table_dtypes(table, self._keys.dtype, self._values.dtype)
        with name_scope(self._name, values=(table.resource_handle, self._keys, self._values)):
            init_op = apply_op("LookupTableImportV2", [table.resource_handle, self._keys, self._values],
                               {"Tin": self._keys.dtype, "Tout": self._values.dtype})
        add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        return init_op


class TextFileIndex:
    """Which part of a line a key or value is: `WHOLE_LINE`, `LINE_NUMBER`, or a column >= 0."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class TextFileInitializer(TableInitializerBase):
    """Fills a table with one entry per line of a text file (`InitializeTableFromTextFileV2`)."""

    def __init__(self, filename, key_dtype, key_index, value_dtype, value_index, vocab_size=None, delimiter="\t",
                 name=None, value_index_offset=0):
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        key_dtype, value_dtype = dtypes.as_dtype(key_dtype), dtypes.as_dtype(value_dtype)
        for what, index, dtype in (("key", key_index, key_dtype), ("value", value_index, value_dtype)):
            if index < -2:
                raise ValueError(f"`{what}_index` should be >= -2, received: {index}" + ("." if what == "key" else ""))
            if index == TextFileIndex.LINE_NUMBER and dtype != dtypes.int64:
                raise ValueError(f"`{what}_dtype` must be int64 " + ("if" if what == "key" else "for") + f" `{what}_"
                                 f"index` " + ("is " if what == "key" else "") + f"{TextFileIndex.LINE_NUMBER}, "
                                 f"received: {dtype}")
            if index == TextFileIndex.WHOLE_LINE and not dtype.is_integer and dtype != dtypes.string:
                raise ValueError(f"`{what}_dtype` should be either integer or string for `{what}_index` "
                                 f"{TextFileIndex.WHOLE_LINE}, received: {dtype}")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        self._filename_arg = filename
        self._filename = convert_to_tensor(filename, dtypes.string, name="asset_path")  # (TF's Asset)
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size, self._delimiter, self._name, self._offset = vocab_size, delimiter, name, value_index_offset
        super().__init__(key_dtype, value_dtype)

    def initialize(self, table):
        check_table_dtypes(table, self.key_dtype, self.value_dtype)
        with name_scope(self._name, "text_file_init", (table.resource_handle,)):
            filename = self._filename
            init_op = apply_op("InitializeTableFromTextFileV2", [table.resource_handle, filename], {
                "key_index": self._key_index, "value_index": self._value_index,
                "vocab_size": -1 if self._vocab_size is None else self._vocab_size, "delimiter": self._delimiter,
                "offset": self._offset})
        add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        if filename.op.type == "Const":
            add_to_collection(GraphKeys.ASSET_FILEPATHS, filename)
        return init_op

    @property
    def _shared_name(self):
        parts = [self._filename_arg] + ([self._vocab_size] if self._vocab_size else []) + [
            self._key_index, self._value_index] + ([self._offset] if self._offset else [])
        return "hash_table_" + "_".join(str(p) for p in parts)


class TextFileStringTableInitializer(TextFileInitializer):
    """An int64 -> string table's initializer from a text file (line number -> whole line by default)."""

    def __init__(self, filename, key_column_index=TextFileIndex.LINE_NUMBER, value_column_index=TextFileIndex.WHOLE_LINE,
                 vocab_size=None, delimiter="\t", name="text_file_string_table_init"):
        super().__init__(filename, dtypes.int64, key_column_index, dtypes.string, value_column_index,
                         vocab_size=vocab_size, delimiter=delimiter, name=name)


class TextFileIdTableInitializer(TextFileInitializer):
    """A string -> int64 id table's initializer from a text file (whole line -> line number by default)."""

    def __init__(self, filename, key_column_index=TextFileIndex.WHOLE_LINE, value_column_index=TextFileIndex.LINE_NUMBER,
                 vocab_size=None, delimiter="\t", name="text_file_id_table_init", key_dtype=dtypes.string):
        super().__init__(filename, key_dtype, key_column_index, dtypes.int64, value_column_index,
                         vocab_size=vocab_size, delimiter=delimiter, name=name)


# ----- tables with out-of-vocabulary buckets -----------------------------------------------------------------
class HasherSpec(collections.namedtuple("HasherSpec", ["hasher", "key"])):
    """Which hash puts out-of-vocabulary keys in buckets: "fasthash", "legacy" or "stronghash" (with a key)."""

    __slots__ = ()


FastHashSpec = HasherSpec("fasthash", None)


class StrongHashSpec(HasherSpec):
    """The keyed strong hash (StringToHashBucketStrong) for out-of-vocabulary keys."""

    __slots__ = ()

    def __new__(cls, key):
        if len(key) != 2:
            raise ValueError(f"`key` must have size 2, received {len(key)}")
        if not all(isinstance(k, int) for k in key):
            raise TypeError(f"Invalid key {key}. Must be unsigned integer values.")
        return super(cls, StrongHashSpec).__new__(cls, "stronghash", key)


def _as_string(t):
    return t if t.dtype.base_dtype == dtypes.string else as_string(t)


def _hash_fn(spec):
    if not isinstance(spec, HasherSpec):
        raise TypeError(f"`hasher_spec` must be of type HasherSpec, got {type(spec)}.")
    if spec.hasher == "fasthash":
        return string_to_hash_bucket_fast
    if spec.hasher == "legacy":
        return string_to_hash_bucket
    if spec.hasher == "stronghash":
        return lambda x, num_buckets, name: string_to_hash_bucket_strong(x, num_buckets, spec.key, name=name)
    raise ValueError(f"Found unknown hasher {spec.hasher} in `hasher_spec`")


class _BucketedTable(LookupInterface):
    """A table's ids, or for keys it lacks a hash bucket after them (IdTableWithHashBuckets and
    StaticVocabularyTable share the lookup)."""

    def _wrap(self, table, num_oov_buckets, hasher_spec, name, key_dtype):
        self._table, self._num_oov_buckets, self._hasher_spec = table, num_oov_buckets, hasher_spec
        self._table_name = name.split("/")[-1] if name else None
        super().__init__(key_dtype, dtypes.int64)

    resource_handle = property(lambda self: self._table.resource_handle if self._table is not None else None)
    name = property(lambda self: self._table_name)

    @property
    def initializer(self):
        if self._table is not None:
            return self._table._init_op
        with name_scope(None, "init"):
            return no_op()

    def size(self, name=None):
        """The table's size plus the number of buckets."""
        with name_scope(name, f"{self.name}_Size"):
            tsize = self._table.size() if self._table else convert_to_tensor(0, dtype=dtypes.int64)
            return tsize + self._num_oov_buckets

    def lookup(self, keys, name=None):
        """The ids of `keys`: the table's value, else num_table_entries + a hash bucket of the key."""
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError(f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}")
        values = keys.values if isinstance(keys, SparseTensor) else keys
        if self._table and self._table.key_dtype.base_dtype == dtypes.int64:
            values = cast(values, dtypes.int64)
        if self._num_oov_buckets == 0:
            ids = self._table.lookup(values, name=name)
        else:
            with name_scope(name, f"{self.name}_Lookup"):
                buckets = _hash_fn(self._hasher_spec)(_as_string(values), num_buckets=self._num_oov_buckets,
                                                      name="hash_bucket")
                if self._table:
                    ids = self._table.lookup(values)
                    buckets = add(buckets, self._table.size())
                    ids = where_v2(not_equal(ids, self._table.default_value), ids, buckets)
                else:
                    ids = buckets
        if isinstance(keys, SparseTensor):
            return SparseTensor(keys.indices, ids, keys.dense_shape)
        return ids


_ID_TABLE_ERRORS = {  # IdTableWithHashBuckets and StaticVocabularyTable word the same checks apart
    "ids": ("Invalid `key_dtype`, expected one of {0}, received {1}.", "Invalid `key dtype`, expected {0} but got {1}.",
            "Invalid `value_dtype`: expected int64 but got {0}."),
    "vocab": ("Invalid `key_dtype`, expected one of {0}, but got {2}.", "Invalid `key_dtype`, expected {0} but got {1}.",
              "Invalid `value_dtype`, expected <dtype: 'int64'> but got {0}.")}


def _check_id_table(table, key_dtype, kind):
    """TypeError unless `table` (a table or initializer) maps int64 or string keys to int64 ids."""
    supported, dtype_text, value_text = _ID_TABLE_ERRORS[kind]
    if table.key_dtype not in (dtypes.int64, dtypes.string):
        raise TypeError(supported.format((dtypes.int64, dtypes.string), key_dtype, table.key_dtype))
    if table.key_dtype.is_integer != key_dtype.is_integer:
        raise TypeError(dtype_text.format("integer" if key_dtype.is_integer else "non-integer", table.key_dtype))
    if table.value_dtype != dtypes.int64:
        raise TypeError(value_text.format(table.value_dtype))


class IdTableWithHashBuckets(_BucketedTable):
    """An id table (string or int64 keys to int64 ids) whose missing keys go to `num_oov_buckets` hash buckets."""

    def __init__(self, table, num_oov_buckets, hasher_spec=FastHashSpec, name=None, key_dtype=None):
        name = name.rstrip("/") if name else name
        if table:
            key_dtype = table.key_dtype if key_dtype is None else key_dtype
            _check_id_table(table, key_dtype, "ids")
            name = name or table.name
        else:
            if num_oov_buckets <= 0:
                raise ValueError("`oov_buckets` must be > 0 if no `table` is supplied.")
            key_dtype = dtypes.string if key_dtype is None else key_dtype
            name = name or "hash_bucket"
        if not key_dtype.is_integer and key_dtype != dtypes.string:
            raise TypeError(f"Invalid `key_dtype`, expected integer or string, got {key_dtype}.")
        if not isinstance(hasher_spec, HasherSpec):
            raise TypeError(f"`hasher_spec` must be of type HasherSpec, got {type(hasher_spec)}.")
        self._wrap(table, num_oov_buckets, hasher_spec, name, key_dtype)

    init = property(lambda self: self.initializer)


class StaticVocabularyTable(_BucketedTable):
    """A vocabulary table (string or int64 keys to int64 ids) whose missing keys go to `num_oov_buckets`
    buckets by Fingerprint64 (TF1's tf.lookup.StaticVocabularyTable)."""

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None,
                 experimental_is_anonymous=False):
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        name = name.rstrip("/") if name else name
        table = None
        if initializer:
            lookup_key_dtype = initializer.key_dtype if lookup_key_dtype is None else lookup_key_dtype
            _check_id_table(initializer, lookup_key_dtype, "vocab")
            table = HashTable(initializer, default_value=-1, experimental_is_anonymous=experimental_is_anonymous)
            name = name or table.name
        else:
            lookup_key_dtype = dtypes.string
            name = name or "hash_bucket"
        if not lookup_key_dtype.is_integer and lookup_key_dtype != dtypes.string:
            raise TypeError(f"Invalid `key_dtype`, expected integer or string, got {lookup_key_dtype}")
        self._wrap(table, num_oov_buckets, FastHashSpec, name, lookup_key_dtype)


# ----- TF1's helper functions (tf.contrib.lookup) -------------------------------------------------------------
def index_table_from_file(vocabulary_file=None, num_oov_buckets=0, vocab_size=None, default_value=-1,
                          hasher_spec=FastHashSpec, key_dtype=dtypes.string, name=None,
                          key_column_index=TextFileIndex.WHOLE_LINE, value_column_index=TextFileIndex.LINE_NUMBER,
                          delimiter="\t"):
    """A table mapping each line of a vocabulary file to its line number (missing keys: `default_value`, or
    one of `num_oov_buckets` buckets)."""
    if vocabulary_file is None or (isinstance(vocabulary_file, str) and not vocabulary_file):
        raise ValueError("`vocabulary_file` must be specified and must not be empty.")
    if num_oov_buckets < 0:
        raise ValueError(f"num_oov_buckets must be greater or equal than 0, got {num_oov_buckets}.")
    if vocab_size is not None and vocab_size < 1:
        shown = "?" if isinstance(vocabulary_file, Tensor) else vocabulary_file
        raise ValueError(f"`vocab_size` must be greater than 0, got {vocab_size} for vocabulary_file: {shown}.")
    if not key_dtype.is_integer and key_dtype.base_dtype != dtypes.string:
        raise TypeError("Dtype for `keys` should be either integer or string.")
    with name_scope(name, "string_to_index"):
        with name_scope(None, "hash_table"):
            init = TextFileIdTableInitializer(
                vocabulary_file, vocab_size=vocab_size, key_dtype=dtypes.int64 if key_dtype.is_integer else key_dtype,
                name="table_init", key_column_index=key_column_index, value_column_index=value_column_index,
                delimiter=delimiter)
            table = HashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets=num_oov_buckets, hasher_spec=hasher_spec,
                                           key_dtype=key_dtype)
        return table


def index_table_from_tensor(vocabulary_list, num_oov_buckets=0, default_value=-1, hasher_spec=FastHashSpec,
                            dtype=dtypes.string, name=None):
    """A table mapping each element of `vocabulary_list` to its position."""
    if vocabulary_list is None:
        raise ValueError("`vocabulary_list` must be specified.")
    if num_oov_buckets < 0:
        raise ValueError(f"`num_oov_buckets` must be greater or equal than 0, got {num_oov_buckets}.")
    if not dtype.is_integer and dtype.base_dtype != dtypes.string:
        raise TypeError("`dtype` must either be integer or string.")
    with name_scope(name, "string_to_index"):
        keys = convert_to_tensor(vocabulary_list)
        if keys.dtype.is_integer != dtype.is_integer:
            raise ValueError(f"Invalid `dtype`: Expected {'integer' if dtype.is_integer else 'non-integer'}, got "
                             f"{keys.dtype}.")
        if not dtype.is_integer and keys.dtype.base_dtype != dtype:
            raise ValueError(f"Invalid `dtype`: Expected {dtype}, got {keys.dtype}.")
        values = cast(_range(_size(keys)), dtypes.int64)
        with name_scope(None, "hash_table"):
            table_keys = cast(keys, dtypes.int64) if keys.dtype.is_integer else keys
            init = KeyValueTensorInitializer(table_keys, values, table_keys.dtype.base_dtype, dtypes.int64,
                                             name="table_init")
            table = HashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets=num_oov_buckets, hasher_spec=hasher_spec,
                                           key_dtype=dtype)
        return table


def index_to_string_table_from_file(vocabulary_file, vocab_size=None, default_value="UNK", name=None,
                                    key_column_index=TextFileIndex.LINE_NUMBER,
                                    value_column_index=TextFileIndex.WHOLE_LINE, delimiter="\t"):
    """A table mapping line numbers (int64) to the lines of a vocabulary file."""
    if vocabulary_file is None or (isinstance(vocabulary_file, str) and not vocabulary_file):
        raise ValueError("`vocabulary_file` must be specified and must not be empty.")
    if vocab_size is not None and vocab_size < 1:
        raise ValueError(f"`vocab_size` must be greater than 0, got {vocab_size}.")
    with name_scope(name, "index_to_string"):
        init = TextFileStringTableInitializer(vocabulary_file, vocab_size=vocab_size, name="table_init",
                                              key_column_index=key_column_index,
                                              value_column_index=value_column_index, delimiter=delimiter)
        return HashTable(init, default_value)


def index_to_string_table_from_tensor(vocabulary_list, default_value="UNK", name=None):
    """A table mapping positions (int64) to the strings of `vocabulary_list`."""
    if vocabulary_list is None:
        raise ValueError("`vocabulary_list` argument must be specified.")
    with name_scope(name, "index_to_string"):
        vocabulary_list = convert_to_tensor(vocabulary_list, dtypes.string)
        keys = cast(_range(_size(vocabulary_list)), dtypes.int64)
        init = KeyValueTensorInitializer(keys, vocabulary_list, dtypes.int64, dtypes.string, name="table_init")
        return HashTable(init, default_value)

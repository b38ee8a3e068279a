"""Datasets of table rows and of parsed Examples: `CsvDataset`, `make_csv_dataset` (column names and types
read from the files while building, as TF does), `SqlDataset`, `parse_example_dataset` and
`make_batched_features_dataset`."""
import collections
import csv
import glob
import io

import numpy as np

from .. import dtypes, python_io
from ..convert import constant, convert_to_tensor
from ..ops.parsing import parse_example
from ..ops.shape_fns import constant_value
from ..shape import TensorShape
from ..tensor import Tensor
from .dataset import AUTOTUNE, Dataset, _const
from .transformations import ignore_errors as _ignore_errors, parallel_interleave
from .readers import TFRecordDataset
from .structure import Spec

_CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)


def _defaults(record_defaults):
    """Each column's default as a tensor: a dtype alone means a required column (an empty default)."""
    out = []
    for d in record_defaults:
        if isinstance(d, dtypes.DType) or (not isinstance(d, Tensor) and d in _CSV_TYPES):
            d = constant([], dtype=dtypes.as_dtype(d))
        out.append(convert_to_tensor(d, dtype=dtypes.string) if isinstance(d, np.ndarray) and d.dtype == object
                   else convert_to_tensor(d))
    for i, d in enumerate(out):
        if d.dtype.base_dtype not in _CSV_TYPES:
            raise TypeError(f"Unsupported type for record_defaults[{i}]: {d.dtype.base_dtype.name}")
    return out


class CsvDataset(Dataset):
    """The records of CSV files: one scalar per (selected) column, typed by `record_defaults`."""

    _shown_as = "CsvDatasetV2"

    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None, header=False,
                 field_delim=",", use_quote_delim=True, na_value="", select_cols=None, exclude_cols=None):
        if select_cols and exclude_cols:
            raise ValueError("Either select_cols or exclude_cols should be empty")
        if exclude_cols:
            raise NotImplementedError("tf.data.experimental.CsvDataset(exclude_cols=...) is not implemented in "
                                      "raygraph: use select_cols.")
        defaults = _defaults(record_defaults)
        inputs = [_const(filenames, dtypes.string, "filenames"),
                  _const(compression_type or "", dtypes.string, "compression_type"),
                  _const(buffer_size or 4 * 1024 * 1024, dtypes.int64, "buffer_size"),
                  _const(header, dtypes.bool_, "header"), _const(field_delim, dtypes.string, "field_delim"),
                  _const(use_quote_delim, dtypes.bool_, "use_quote_delim"), _const(na_value, dtypes.string, "na_value"),
                  _const(list(select_cols or []), dtypes.int64, "select_cols"), defaults,
                  _const([], dtypes.int64, "exclude_cols")]
        structure = tuple(Spec(d.dtype.base_dtype, TensorShape([])) for d in defaults)
        ds = Dataset(None, None)._apply("CSVDatasetV2", inputs, structure)
        super().__init__(ds._variant_tensor, ds._structure)


CsvDatasetV1 = CsvDataset


class SqlDataset(Dataset):
    """The rows of an SQL query on an SQLite database (`driver_name` "sqlite"), one scalar per column."""

    def __init__(self, driver_name, data_source_name, query, output_types):
        types = output_types if isinstance(output_types, tuple) else (output_types,)
        structure = tuple(Spec(dtypes.as_dtype(t), TensorShape([])) for t in types)
        if not isinstance(output_types, tuple):
            structure = structure[0]
        inputs = [_const(v, dtypes.string, n) for v, n in ((driver_name, "driver_name"),
                                                          (data_source_name, "data_source_name"), (query, "query"))]
        ds = Dataset(None, None)._apply("SqlDataset", inputs, structure)
        super().__init__(ds._variant_tensor, ds._structure)


# ----- make_csv_dataset ----------------------------------------------------------------------------------------
def _value(default):
    """A column default as plain data: a DType, or the numpy value of a constant."""
    if isinstance(default, Tensor):
        value = constant_value(default)
        if value is None:
            raise ValueError(f"raygraph's make_csv_dataset needs constant column defaults, got {default}.")
        return value
    return default


def _file_names(file_pattern):
    patterns = file_pattern if isinstance(file_pattern, list) else [file_pattern]
    if isinstance(file_pattern, list) and not file_pattern:
        raise ValueError("Argument `file_pattern` should not be empty.")
    names = sorted(f for p in patterns for f in glob.glob(p))
    if not names:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    return names


def _csv_rows(path, delim, quote, compression):
    if compression == "ZLIB":
        raise ValueError(f"`compression_type` {compression} is not supported for probing columns.")
    text = python_io.read_bytes(path, compression or "").decode("utf-8")
    return csv.reader(io.StringIO(text, newline=""), delimiter=delim,
                      quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)


def _fits(value, dtype):
    try:
        if dtype in (dtypes.int32, dtypes.int64):
            info = np.iinfo(dtype.as_numpy_dtype)
            return info.min <= int(value) <= info.max
        if dtype == dtypes.float32:
            v = float(value)
            return not np.isfinite(v) or abs(v) <= float(np.finfo(np.float32).max)
        if dtype == dtypes.float64:
            float(value)
        return True
    except ValueError:
        return False


def _infer_types(names, n_cols, delim, quote, na_value, header, n_rows, select, compression):
    """Each selected column's least permissive type (int32, int64, float32, float64, string) over the first
    `n_rows` records, as TF infers it."""
    order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string]
    select = list(range(n_cols)) if select is None else select
    inferred = [None] * len(select)
    seen = 0
    for path in names:
        rows = _csv_rows(path, delim, quote, compression)
        if header:
            next(rows, None)
        for row in rows:
            if n_rows is not None and seen >= n_rows:
                break
            if len(row) != n_cols:
                raise ValueError(f"Problem inferring types: CSV row {seen + 1 + bool(header)} has {len(row)} number "
                                 f"of fields. Expected: {n_cols}.")
            for j, c in enumerate(select):
                value = row[c]
                if value in ("", na_value):
                    continue
                floor = order.index(inferred[j]) if inferred[j] is not None else 0
                inferred[j] = next(t for t in order[floor:] if _fits(value, t))
            seen += 1
    return [np.asarray([0 if t != dtypes.string else b""], dtype=(t or dtypes.string).as_numpy_dtype or object)
            for t in (t or dtypes.string for t in inferred)]


def _selected(select_columns, column_names):
    index = {n: i for i, n in enumerate(column_names)}
    out = []
    for v in select_columns:
        if isinstance(v, int):
            if v < 0 or v >= len(column_names):
                raise ValueError(f"Column index {v} specified in `select_columns` should be > 0  and <= "
                                 f"{len(column_names)}, which is the number of columns.")
            out.append(v)
        elif v not in index:
            raise ValueError(f"Column {v} specified in `select_columns` must be of one of the columns: "
                             f"{index.keys()}.")
        else:
            out.append(index[v])
    result = sorted(set(out))
    if len(result) != len(select_columns):
        raise ValueError(f"The `select_columns` argument contains duplicate columns: {select_columns}.")
    return result


def _shuffle_and_repeat(dataset, num_epochs, shuffle, buffer_size, seed):
    if shuffle:
        dataset = dataset.shuffle(buffer_size, seed)
    return dataset.repeat(num_epochs) if num_epochs != 1 else dataset


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None, label_name=None,
                     select_columns=None, field_delim=",", use_quote_delim=True, na_value="", header=True,
                     num_epochs=None, shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False, num_rows_for_inference=100,
                     compression_type=None, ignore_errors=False, encoding="utf-8"):
    """Batches of CSV records as ({column name: values}, label) pairs (or the dict alone without
    `label_name`), read from the files matching `file_pattern`, shuffled and repeated `num_epochs` times."""
    names = _file_names(file_pattern)
    files = Dataset.from_tensor_slices(names)
    if shuffle:
        files = files.shuffle(len(names), shuffle_seed)
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is provided.")
        column_names = next(_csv_rows(names[0], field_delim, use_quote_delim, compression_type), None)
        if column_names is None:
            raise ValueError(f"Failed when reading the header line of {names[0]}. Is it an empty file?")
    if len(column_names) != len(set(column_names)):
        raise ValueError(f"Either `column_names` argument or CSV header row contains duplicate column names: "
                         f"{sorted({c for c in column_names if column_names.count(c) > 1})}.")
    if select_columns is not None:
        select_columns = _selected(select_columns, column_names)
    if column_defaults is None:
        column_defaults = _infer_types(names, len(column_names), field_delim, use_quote_delim, na_value, header,
                                       num_rows_for_inference, select_columns, compression_type)
    if select_columns is not None and len(column_defaults) != len(select_columns):
        raise ValueError(f"If specified, `column_defaults` and `select_columns` must have the same length: "
                         f"`column_defaults` has length {len(column_defaults)}, `select_columns` has length "
                         f"{len(select_columns)}.")
    if select_columns is not None and len(column_names) > len(select_columns):
        column_names = [column_names[i] for i in select_columns]
    if label_name is not None and label_name not in column_names:
        raise ValueError(f"`label_name` provided must be one of the columns: {column_names}. Received: "
                         f"{label_name}.")

    column_defaults = [_value(d) for d in column_defaults]  # made again inside `read`, which cannot capture

    def read(filename):
        ds = CsvDataset(filename, column_defaults, compression_type=compression_type, header=header,
                        field_delim=field_delim, use_quote_delim=use_quote_delim, na_value=na_value,
                        select_cols=select_columns)
        return ds.apply(_ignore_errors()) if ignore_errors else ds

    def to_features(*columns):
        features = collections.OrderedDict(zip(column_names, columns))
        if label_name is not None:
            return features, features.pop(label_name)
        return features
    dataset = files.apply(parallel_interleave(read, cycle_length=num_parallel_reads or 1))
    dataset = _shuffle_and_repeat(dataset, num_epochs, shuffle, shuffle_buffer_size, shuffle_seed)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None).map(to_features)
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


make_csv_dataset_v1 = make_csv_dataset


# ----- Examples -----------------------------------------------------------------------------------------------
def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
    """Parses a dataset of serialized `Example` vectors into dicts of features."""
    def apply(dataset):
        spec = dataset._flat_specs()
        if len(spec) != 1 or spec[0].dtype != dtypes.string:
            raise TypeError(f"Input dataset should be a dataset of vectors of strings. Instead it is "
                            f"`{dataset.output_types}`.")
        return dataset.map(lambda serialized: parse_example(serialized, features),
                           num_parallel_calls=None if num_parallel_calls == 1 else num_parallel_calls)
    return apply


def make_batched_features_dataset(file_pattern, batch_size, features, reader=None, label_key=None,
                                  reader_args=None, num_epochs=None, shuffle=True, shuffle_buffer_size=10000,
                                  shuffle_seed=None, prefetch_buffer_size=None, reader_num_threads=None,
                                  parser_num_threads=None, sloppy_ordering=False, drop_final_batch=False):
    """Batches of parsed `Example`s (dicts of features, or (features, label) with `label_key`) from the
    TFRecord files matching `file_pattern`, shuffled and repeated `num_epochs` times."""
    reader = reader or TFRecordDataset
    args = list(reader_args or [])
    dataset = Dataset.list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    dataset = dataset.apply(parallel_interleave(lambda f: reader(f, *args), cycle_length=reader_num_threads or 1))
    if dataset.output_types == (dtypes.string, dtypes.string):
        dataset = dataset.map(lambda _, v: v)
    dataset = _shuffle_and_repeat(dataset, num_epochs, shuffle, shuffle_buffer_size, shuffle_seed)
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch or num_epochs is None)
    dataset = dataset.apply(parse_example_dataset(features, num_parallel_calls=parser_num_threads or 2))
    if label_key:
        if label_key not in features:
            raise ValueError(f"The `label_key` provided ({label_key}) must be one of the `features` keys: "
                             f"{features.keys()}.")
        dataset = dataset.map(lambda x: (x, x.pop(label_key)))
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


make_batched_features_dataset_v1 = make_batched_features_dataset

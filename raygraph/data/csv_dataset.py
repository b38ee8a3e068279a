"""`tf.data.experimental.make_csv_dataset`: batches of ({column name: values}, label) from CSV files, with
TF's column-name and type inference (int32, int64, float32, float64 or string, from the first rows) and TF's
pipeline order: files (shuffled), their records interleaved, shuffled and repeated, batched, mapped to dicts.

Each file's records are its lines (after the header) parsed by `decode_csv`, so a quoted field may not span
lines (TF's CsvDataset allows that).
"""
import collections
import csv
import glob
import gzip

import numpy as np

from .. import dtypes
from ..convert import constant
from ..dtypes import DType
from ..ops.parsing import decode_csv
from ..ops.shape_fns import constant_value
from .dataset import AUTOTUNE, Dataset
from .readers import TextLineDataset

_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)


def _valid(dtype, text):
    try:
        if dtype is dtypes.int32:
            return int(np.int64(text)) == int(text) and -2 ** 31 <= int(text) < 2 ** 31
        if dtype is dtypes.int64:
            return -2 ** 63 <= int(text) < 2 ** 63
        if dtype in (dtypes.float32, dtypes.float64):
            with np.errstate(over="ignore"):
                return bool(dtype.as_numpy_dtype(text) < np.inf)
    except (ValueError, OverflowError):
        return False
    return True


def _infer_type(text, na_value, previous):
    """The least permissive type valid for `text` and for the column's values before it (TF's rule)."""
    if text in ("", na_value):
        return previous
    for i, dtype in enumerate(_TYPES):
        if _valid(dtype, text) and (previous is None or previous in _TYPES[:i + 1]):
            return dtype


def _open(compression_type, encoding):
    if compression_type == "GZIP":
        return lambda name: gzip.open(name, "rt", encoding=encoding)
    if compression_type not in (None, ""):
        raise ValueError(f"`compression_type` {compression_type} is not supported for probing columns.")
    return lambda name: open(name, encoding=encoding, newline="")


def _rows(filenames, opener, header, delim, quote):
    for name in filenames:
        with opener(name) as f:
            rows = csv.reader(f, delimiter=delim, quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
            if header:
                next(rows, None)
            yield from rows


def _column_names(filenames, opener, delim, quote):
    heads = [next(_rows([f], opener, False, delim, quote), None) for f in filenames]
    if any(h is None for h in heads):
        raise ValueError(f"Failed when reading the header line of {filenames[heads.index(None)]}. Is it an empty "
                         f"file?")
    if any(h != heads[0] for h in heads[1:]):
        raise ValueError("All input CSV files should have the same column names in the header row.")
    return heads[0]


def _column_defaults(filenames, opener, names, select, na_value, header, delim, quote, limit):
    types = [None] * len(select)
    for i, row in enumerate(_rows(filenames, opener, header, delim, quote)):
        if limit is not None and i >= limit:
            break
        if len(row) != len(names):
            raise ValueError(f"Problem inferring types: CSV row has {len(row)} number of fields. Expected: "
                             f"{len(names)}.")
        types = [_infer_type(row[c], na_value, t) for c, t in zip(select, types)]
    return [([""] if t in (None, dtypes.string) else [0], t or dtypes.string) for t in types]


def _value(default):
    """A column default (a value, a list of at most one value, or a constant tensor) as (values, dtype)."""
    if hasattr(default, "op"):
        value = constant_value(default)
        if value is None:
            raise ValueError(f"raygraph's make_csv_dataset needs constant column defaults, not {default}")
        return np.asarray(value).reshape(-1).tolist(), default.dtype.base_dtype
    arr = np.asarray(default)
    kind = {"f": dtypes.float32, "i": dtypes.int32, "U": dtypes.string, "S": dtypes.string, "O": dtypes.string}
    dtype = dtypes.as_dtype(arr.dtype) if isinstance(default, np.ndarray) else kind.get(arr.dtype.kind, dtypes.float32)
    return arr.reshape(-1).tolist(), dtype


def _selected(select, names):
    index = {n: i for i, n in enumerate(names)}
    out = []
    for v in select:
        if isinstance(v, int) and not 0 <= v < len(names):
            raise ValueError(f"Column index {v} specified in `select_columns` should be > 0 and <= {len(names)}, "
                             f"which is the number of columns.")
        if not isinstance(v, int) and v not in index:
            raise ValueError(f"Column {v} specified in `select_columns` must be of one of the columns: "
                             f"{list(index)}.")
        out.append(v if isinstance(v, int) else index[v])
    if len(set(out)) != len(out):
        raise ValueError("The `select_columns` argument contains duplicate columns.")
    return sorted(out)


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None, label_name=None,
                     select_columns=None, field_delim=",", use_quote_delim=True, na_value="", header=True,
                     num_epochs=None, shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False, num_rows_for_inference=100,
                     compression_type=None, ignore_errors=False, encoding="utf-8"):
    """Batches of ({column: values}, label) (or just the dict without `label_name`) from CSV files."""
    patterns = file_pattern if isinstance(file_pattern, list) else [file_pattern]
    filenames = sorted(f for p in patterns for f in glob.glob(p))
    if not filenames:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    opener = _open(compression_type, encoding)
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is provided.")
        column_names = _column_names(filenames, opener, field_delim, use_quote_delim)
    if len(set(column_names)) != len(column_names):
        raise ValueError("Either `column_names` argument or CSV header row contains duplicate column names.")
    select = None if select_columns is None else _selected(select_columns, column_names)
    if column_defaults is not None:
        column_defaults = [([], d) if isinstance(d, DType) else _value(d) for d in column_defaults]
    else:
        column_defaults = _column_defaults(filenames, opener, column_names, select or range(len(column_names)),
                                           na_value, header, field_delim, use_quote_delim, num_rows_for_inference)
    if select is not None and len(column_defaults) != len(select):
        raise ValueError("If specified, `column_defaults` and `select_columns` must have the same length.")
    names = [column_names[i] for i in select] if select is not None else list(column_names)
    if label_name is not None and label_name not in names:
        raise ValueError(f"`label_name` provided must be one of the columns: {names}. Received: {label_name}.")

    def records(filename):
        lines = TextLineDataset(filename, compression_type=compression_type).skip(1 if header else 0)
        def parse(line):  # the defaults are made inside the function's graph
            defaults = [constant(v, dtype=t) for v, t in column_defaults]
            return tuple(decode_csv(line, defaults, field_delim, use_quote_delim, na_value=na_value,
                                    select_cols=select))
        return lines.map(parse)

    def to_dict(*columns):
        features = collections.OrderedDict(zip(names, columns))
        return (features, features.pop(label_name)) if label_name is not None else features

    dataset = Dataset.from_tensor_slices(filenames)
    if shuffle:
        dataset = dataset.shuffle(len(filenames), shuffle_seed)
    dataset = dataset.interleave(records, cycle_length=num_parallel_reads or 1, block_length=1)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None).map(to_dict)
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)

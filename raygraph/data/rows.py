"""Table rows as dataset recipes: the records of CSV files (`CsvDataset`, TF's CSVDatasetV2 kernel) and the rows
of an SQLite query (`SqlDataset`), each an element of one scalar per selected column, converted to its
column's dtype, empty CSV fields (or `na_value`) taking the column's default."""
import csv
import io
import sqlite3

import numpy as np

from .. import python_io
from ..errors import InvalidArgumentError, UnknownError
from .sources import Recipe, _text


def _name(dtype):
    return {np.int32: "int32", np.int64: "int64", np.float32: "float", np.float64: "double"}.get(dtype, "string")


def convert(field, dtype, column, record):
    """`field` (bytes) as a value of `dtype`, or InvalidArgumentError naming the field and record as TF does."""
    if dtype is np.object_:
        return np.asarray(field, dtype=object)
    try:
        if dtype in (np.int32, np.int64):
            value = int(field)
            if np.iinfo(dtype).min <= value <= np.iinfo(dtype).max:
                return dtype(value)
        else:
            return dtype(float(field))
    except ValueError:
        pass
    raise InvalidArgumentError(None, None, f"Field {column} in record {record} is not a valid {_name(dtype)}: "
                                           f"{field.decode('latin-1')}")


class Csv(Recipe):
    """`defaults`: per selected column, its numpy dtype and default (None: the field is required)."""

    def __init__(self, filenames, compression, header, delim, quote, na_value, select, defaults):
        self.files = [_text(f) for f in np.asarray(filenames, dtype=object).ravel()]
        self.compression, self.header, self.delim, self.quote = _text(compression), bool(header), delim, bool(quote)
        self.na_value, self.select, self.defaults = na_value, list(select), defaults
        if len(delim) != 1:
            raise InvalidArgumentError(None, None, "field_delim should be only 1 char")
        if self.select and len(self.select) != len(defaults):
            raise InvalidArgumentError(None, None, "select_cols should match output size")
        if any(b <= a for a, b in zip(self.select, self.select[1:])):
            raise InvalidArgumentError(None, None, "select_cols is not strictly increasing.")
        if any(c < 0 for c in self.select):
            raise InvalidArgumentError(None, None, "select_cols should be non-negative indices")

    def iterate(self):
        for path in self.files:
            yield from self._records(path)

    def _records(self, path):
        text = python_io.read_bytes(path, self.compression).decode("latin-1")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delim.decode("latin-1"),
                            quoting=csv.QUOTE_MINIMAL if self.quote else csv.QUOTE_NONE, strict=self.quote)
        if self.header:
            next(reader, None)
        for record, fields in enumerate(reader):
            yield self._element([f.encode("latin-1") for f in fields], record)

    def _element(self, fields, record):
        columns = self.select or range(len(self.defaults))
        n = len(self.defaults)
        if not self.select and len(fields) != n:
            raise InvalidArgumentError(None, None, f"Expect {n} fields but have {len(fields)} in record {record}")
        if self.select and len(fields) <= columns[-1]:
            raise InvalidArgumentError(None, None, f"Expect {columns[-1] + 1} fields but have {len(fields)} in "
                                                   f"record {record}")
        out = []
        for i, column in enumerate(columns):
            field = fields[column]
            dtype, default = self.defaults[i]
            if field == b"" or field == self.na_value:
                if default is None:
                    raise InvalidArgumentError(None, None, f"Field {i} is required but missing in record {record}!")
                out.append(default)
            else:
                out.append(convert(field, dtype, i, record))
        return tuple(out)


class Sql(Recipe):
    """The rows of `query` on the SQLite database `source` (TF's only driver, "sqlite")."""

    def __init__(self, driver, source, query, dtypes):
        driver, self.source, self.query, self.dtypes = _text(driver), _text(source), _text(query), dtypes
        if driver != "sqlite":
            raise InvalidArgumentError(None, None, f"The database type, {driver}, is not supported by SqlDataset. "
                                                   "The set of supported databases is: {'sqlite'}.")

    def iterate(self):
        try:
            db = sqlite3.connect(f"file:{self.source}?mode=ro", uri=True)
            rows = db.execute(self.query)
        except sqlite3.Error as e:
            raise UnknownError(None, None, f"Sqlite error: {e}") from None
        try:
            for row in rows:
                if len(row) != len(self.dtypes):
                    raise InvalidArgumentError(None, None, "The number of columns in the query result does not match "
                                                           "the number of output types.")
                yield tuple(np.asarray(v if not isinstance(v, str) else v.encode(), dtype=object)
                            if t is np.object_ else t(v) for v, t in zip(row, self.dtypes))
        finally:
            db.close()

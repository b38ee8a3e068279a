"""The file datasets: `TFRecordDataset`, `TextLineDataset`, `FixedLengthRecordDataset`.

As in TF, each is a `flat_map` over the (flattened) file names whose function reads one file with the
reader op, so a file name may be a placeholder fed when the iterator is initialized."""
from .. import dtypes
from ..convert import convert_to_tensor
from ..ops.array import reshape
from ..ops.registry import apply_op
from ..shape import TensorShape
from .dataset import Dataset, _const
from .structure import Spec

_RECORD = Spec(dtypes.string, TensorShape([]))


def _over_files(filenames, read):
    """flat_map over the file names of `read(filename) -> variant tensor` (a dataset of string records)."""
    names = convert_to_tensor(filenames, dtype=dtypes.string)
    files = Dataset.from_tensor_slices(reshape(names, [-1], name="flat_filenames"))
    return files.flat_map(lambda f: Dataset(read(f), _RECORD))


def _reader(op_type, extra):
    def read(filename):
        return apply_op(op_type, [filename] + extra(), {})
    return read


class TFRecordDataset(Dataset):
    """The records of TFRecord files (`compression_type` "", "ZLIB" or "GZIP")."""

    _shown_as = "TFRecordDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None):
        def extra():
            return [_const(compression_type or "", dtypes.string, "compression_type"),
                    _const(buffer_size or 262144, dtypes.int64, "buffer_size")]
        ds = _over_files(filenames, _reader("TFRecordDataset", extra))
        super().__init__(ds._variant_tensor, ds._structure)


class TextLineDataset(Dataset):
    """The lines of text files, without their line endings."""

    _shown_as = "TextLineDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None):
        def extra():
            return [_const(compression_type or "", dtypes.string, "compression_type"),
                    _const(buffer_size or 262144, dtypes.int64, "buffer_size")]
        ds = _over_files(filenames, _reader("TextLineDataset", extra))
        super().__init__(ds._variant_tensor, ds._structure)


class FixedLengthRecordDataset(Dataset):
    """Records of `record_bytes` bytes from files, after `header_bytes` and before `footer_bytes`."""

    _shown_as = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None, buffer_size=None,
                 compression_type=None, num_parallel_reads=None):
        def extra():
            return [_const(header_bytes or 0, dtypes.int64, "header_bytes"),
                    _const(record_bytes, dtypes.int64, "record_bytes"),
                    _const(footer_bytes or 0, dtypes.int64, "footer_bytes"),
                    _const(buffer_size or 262144, dtypes.int64, "buffer_size"),
                    _const(compression_type or "", dtypes.string, "compression_type")]
        ds = _over_files(filenames, _reader("FixedLengthRecordDatasetV2", extra))
        super().__init__(ds._variant_tensor, ds._structure)


TFRecordDatasetV1 = TFRecordDataset

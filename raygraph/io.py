"""`tf.io`: file reading and writing, image decoding."""
from .ops.io import decode_jpeg, decode_png, read_file, write_file  # noqa: F401
from .python_io import (TFRecordCompressionType, TFRecordOptions, TFRecordWriter,  # noqa: F401
                        tf_record_iterator)
from .ops.parsing import (decode_csv, decode_raw, FixedLenFeature, parse_example, parse_single_example,  # noqa: F401
                          VarLenFeature)
from .ops.strings import decode_base64, encode_base64  # noqa: F401

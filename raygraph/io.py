"""`tf.io`: file reading and writing, image codecs, records and their parsing, tensor serialization, queues."""
from .ops.io import decode_jpeg, decode_png, matching_files, read_file, write_file  # noqa: F401
from .ops.image_codecs import (decode_and_crop_jpeg, decode_bmp, decode_gif, decode_image, decode_jxl,  # noqa: F401
                               decode_webp, encode_jpeg, encode_png, extract_jpeg_shape, is_jpeg)
from .python_io import (TFRecordCompressionType, TFRecordOptions, TFRecordWriter,  # noqa: F401
                        tf_record_iterator)
from .ops.parsing import (decode_csv, decode_raw, FixedLenFeature, FixedLenSequenceFeature,  # noqa: F401
                          parse_example, parse_single_example, RaggedFeature, SparseFeature, VarLenFeature)
from .ops.sequence_examples import parse_sequence_example, parse_single_sequence_example  # noqa: F401
from .ops.serialization import (decode_compressed, decode_json_example, deserialize_many_sparse,  # noqa: F401
                                parse_tensor, serialize_many_sparse, serialize_sparse, serialize_tensor)
from .ops.proto_codecs import decode_proto, encode_proto  # noqa: F401
from .ops.queues import PaddingFIFOQueue, PriorityQueue, QueueBase, RandomShuffleQueue  # noqa: F401
from .ops.strings import decode_base64, encode_base64  # noqa: F401
from .gfile import io_gfile as gfile  # noqa: F401

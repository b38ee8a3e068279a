"""`tf.data` (TF1's `tf.compat.v1.data`): datasets, iterators and `experimental`'s common part."""
from . import experimental  # noqa: F401
from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, DatasetV1, NumpyIterator  # noqa: F401
from .iterator import (  # noqa: F401
                       Iterator,
                       get_output_classes,
                       get_output_shapes,
                       get_output_types,
                       make_initializable_iterator,
                       make_one_shot_iterator,
)
from .readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset  # noqa: F401
from .options import Options, ThreadingOptions  # noqa: F401
from .specs import DatasetSpec  # noqa: F401

"""`tf.summary`: summary ops for TensorBoard and the FileWriter that writes them to event files."""
from tensorboard.compat.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata  # noqa: F401
from tensorboard.compat.proto.summary_pb2 import (  # noqa: F401
    HistogramProto,
    Summary,
    SummaryDescription,
    SummaryMetadata,
)

from .summaries import (  # noqa: F401
    all_v2_summary_ops,
    audio,
    get_summary_description,
    histogram,
    image,
    initialize,
    merge,
    merge_all,
    scalar,
    tensor_summary,
    text,
)
from .writer import FileWriter, FileWriterCache, summary_iterator  # noqa: F401

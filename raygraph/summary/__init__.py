"""`tf.summary`: summary ops for TensorBoard and the FileWriter that writes them to event files."""
from tensorboard.compat.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata  # noqa: F401
from tensorboard.compat.proto.summary_pb2 import (HistogramProto, Summary, SummaryDescription,  # noqa: F401
                                                  SummaryMetadata)

from .summaries import histogram, image, merge, merge_all, scalar, text  # noqa: F401
from .writer import FileWriter, FileWriterCache, summary_iterator  # noqa: F401

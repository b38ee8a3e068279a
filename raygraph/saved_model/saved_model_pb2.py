"""The `SavedModel` message (tensorflow/core/protobuf/saved_model.proto), which the tensorboard package does
not ship, declared at runtime over its MetaGraphDef (see protos.py):

    message SavedModel {
      int64 saved_model_schema_version = 1;
      repeated MetaGraphDef meta_graphs = 2;
    }
"""
from tensorboard.compat.proto import meta_graph_pb2

from ..protos import declare

SavedModel = declare("raygraph/saved_model/saved_model.proto", {"SavedModel": [
    ("saved_model_schema_version", 1, "int64"), ("meta_graphs", 2, "MetaGraphDef*")]},
    [meta_graph_pb2.DESCRIPTOR.name])["SavedModel"]

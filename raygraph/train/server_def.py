"""TF's cluster protos for `tf.train`: `ClusterDef` and `JobDef` (tensorboard's compiled copy of TF's
cluster.proto) and `ServerDef`, the message of TF's tensorflow_server.proto, declared here field for field
(numbers and types as TF's, so serialized ServerDefs are interchangeable) on top of those and `ConfigProto`.
TF's `cluster_device_filters` field (7) is left out: no package ships its device_filters.proto."""
from tensorboard.compat.proto import cluster_pb2, config_pb2

from ..protos import declare

ClusterDef = cluster_pb2.ClusterDef
JobDef = cluster_pb2.JobDef
ServerDef = declare("raygraph/tensorflow_server.proto", {"ServerDef": [
    ("cluster", 1, "ClusterDef"), ("job_name", 2, "string"), ("task_index", 3, "int32"),
    ("default_session_config", 4, "ConfigProto"), ("protocol", 5, "string"), ("port", 6, "int32")]},
    [cluster_pb2.DESCRIPTOR.name, config_pb2.DESCRIPTOR.name])["ServerDef"]

"""`tf.train`: device placement for replicas, cluster specs (and, with training, optimizers and savers)."""
from .cluster import ClusterSpec  # noqa: F401
from .device_setter import replica_device_setter  # noqa: F401
from .meta_graph import export_meta_graph, import_meta_graph, write_graph  # noqa: F401

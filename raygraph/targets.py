"""Session targets: what `Session(target, config=...)` connects to, turned into an `Engine`.

"" (or "local") is this machine: a CPU device actor (more with ConfigProto's device_count) and one per GPU
that Ray reports. Any other target is a Ray cluster (cluster_targets.py). grpc:// targets are TF servers,
which raygraph does not talk to.
"""
import os

from scheduler import runtime as ray_runtime

from . import errors
from .cluster_targets import connect_cluster, connect_ray, connect_timeout
from .cluster_targets import reset as cluster_reset
from .device_spec import parse_device
from .engine import Engine

LOCAL_PREFIX = "/job:localhost/replica:0/task:0/device:"


def local_devices(config):
    """Device names of a local session: CPU:0 (and more if device_count asks), plus the node's GPUs."""
    counts = dict(config.device_count)
    n_cpu = max(1, counts.get("CPU", 1))
    names = [f"{LOCAL_PREFIX}CPU:{i}" for i in range(n_cpu)]
    gpus = int(ray_runtime.node_resources().get("GPU", 0))
    if "GPU" in counts:
        gpus = min(gpus, counts["GPU"])
    names += [f"{LOCAL_PREFIX}GPU:{i}" for i in range(gpus)]
    return names


def connect(target, config, graph):
    """The Engine for a session target ("" = the local machine)."""
    if target.startswith("grpc://"):
        from .train.server import ADDRESSES
        if target[len("grpc://"):] in ADDRESSES:  # a task this process hosts (train.Server)
            return connect(ADDRESSES[target[len("grpc://"):]], config, graph)
        raise errors.InvalidArgumentError(
            None, None, f"raygraph sessions run on Ray, not on TensorFlow gRPC servers: got target {target!r}. "
            "Use Session() for this machine, Session('auto') or the RAY_ADDRESS environment variable for a "
            "running Ray cluster, Session('ray://<head>:10001') for Ray client, or a train.Server's target.")
    if target not in ("", "local"):
        return connect_cluster(target, config, graph)
    connect_ray(None, connect_timeout(config))  # RAY_ADDRESS (in a `ray job`) joins that cluster
    devices = local_devices(config)
    threads = config.inter_op_parallelism_threads
    # the machine's cores are shared by its CPU devices: each splits big kernels over its share
    n_cpu = sum(1 for d in devices if parse_device(d)[3] == "CPU")
    blas = config.intra_op_parallelism_threads or max(1, (os.cpu_count() or 1) // n_cpu)

    def acquire(name):
        kind = parse_device(name)[3]
        return ray_runtime.acquire_local_device(name, kind, threads, blas)

    return Engine(graph, devices, acquire, ray_runtime.release_local_device, config.allow_soft_placement)


def reset(target, containers=None, config=None):
    """`Session.reset`: clears the state kept for `containers` (all if None) on a cluster target."""
    cluster_reset(target, containers, config)

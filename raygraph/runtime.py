"""Where a session's devices come from: the session target and ConfigProto, turned into device actors.

`connect(target, config)` returns a `Runtime`: the session's device names, and the engine client that
plans and runs steps on their actors. Engine failures come back as TF1's error classes here.
"""
import os

from scheduler import runtime as ray_runtime
from scheduler.client import Client, DeviceUnavailable, StepFailed, StepTimeout
from scheduler.plan import PlanError

from . import errors
from .device import parse_device

LOCAL_PREFIX = "/job:localhost/replica:0/task:0/device:"


def _key(t):
    return (t._op._name, t._value_index)


class Runtime:
    """A session's devices and engine client; errors come out as `raygraph.errors` classes."""

    def __init__(self, graph, devices, acquire, release, soft):
        self.devices = [(name, parse_device(name)) for name in devices]
        self.graph = graph
        self.client = Client(self.devices, acquire, release, soft)

    def _lookup(self, name):
        return self.graph._ops_by_name.get(name) if name else None

    def plan(self, table, tensors, targets, feeds):
        try:
            return self.client.plan(table.refresh(), [_key(t) for t in tensors], [o._name for o in targets],
                                    [_key(t) for t in feeds])
        except PlanError as e:
            raise _op_error(e.code, e.message, self._lookup(e.node)) from None

    def run_step(self, plan, feeds, trace, timeout):
        try:
            return self.client.run_step(plan, {_key(t): v for t, v in feeds.items()}, trace, timeout)
        except StepFailed as e:
            raise self._kernel_error(e) from None
        except StepTimeout:
            raise errors.DeadlineExceededError(None, None, "Timed out waiting for the step to finish "
                                               f"(deadline {timeout} s)") from None
        except DeviceUnavailable as e:
            raise errors.UnavailableError(None, None, f"Device {e.device} is unavailable: {e.detail}") from None

    def _kernel_error(self, e):
        op = self._lookup(e.node)
        err = e.error
        if err is None:
            return errors.AbortedError(None, op, "The step was aborted")
        if isinstance(err, errors.OpError):
            message = err.message
            cls = type(err)
        else:
            cls = _ERROR_CLASSES.get(type(err).__name__, errors.InvalidArgumentError)
            message = f"{type(err).__name__}: {err}" if cls is not errors.InvalidArgumentError else str(err)
        if op is not None:
            message = message.replace("{name}", op.name) + f"\n\t [[{{{{node {op.name}}}}}]]"
        new = cls(None, op, message) if cls is not errors.OpError else errors.OpError(None, op, message)
        new.__cause__ = err
        return new

    def close(self):
        self.client.close()


_ERROR_CLASSES = {"MemoryError": errors.ResourceExhaustedError, "NotImplementedError": errors.UnimplementedError,
                  "FileNotFoundError": errors.NotFoundError, "TimeoutError": errors.DeadlineExceededError,
                  "RecursionError": errors.InternalError, "AssertionError": errors.InternalError}


def _op_error(code, message, op):
    cls = {"INVALID_ARGUMENT": errors.InvalidArgumentError, "NOT_FOUND": errors.NotFoundError,
           "UNAVAILABLE": errors.UnavailableError, "UNIMPLEMENTED": errors.UnimplementedError,
           "FAILED_PRECONDITION": errors.FailedPreconditionError}.get(code, errors.InternalError)
    return cls(None, op, message)


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
    """The Runtime for a session target ("" = the local machine)."""
    if target.startswith("grpc://"):
        raise errors.InvalidArgumentError(
            None, None, f"raygraph sessions run on Ray, not on TensorFlow gRPC servers: got target {target!r}. "
            "Use Session() for this machine, Session('auto') or the RAY_ADDRESS environment variable for a "
            "running Ray cluster, Session('ray://<head>:10001') for Ray client, or a train.Server's target.")
    if target not in ("", "local"):
        from .cluster import connect_cluster
        return connect_cluster(target, config, graph)
    ray_runtime.ensure_ray()
    devices = local_devices(config)
    threads = config.inter_op_parallelism_threads
    # the machine's cores are shared by its CPU devices: each splits big kernels over its share
    n_cpu = sum(1 for d in devices if parse_device(d)[3] == "CPU")
    blas = config.intra_op_parallelism_threads or max(1, (os.cpu_count() or 1) // n_cpu)

    def acquire(name):
        kind = parse_device(name)[3]
        return ray_runtime.acquire_local_device(name, kind, threads, blas)

    return Runtime(graph, devices, acquire, ray_runtime.release_local_device,
                   config.allow_soft_placement)


def reset(target, containers=None, config=None):
    """`Session.reset`: clears the state kept for `containers` (all if None) on a cluster target."""
    from .cluster import reset as cluster_reset
    cluster_reset(target, containers, config)

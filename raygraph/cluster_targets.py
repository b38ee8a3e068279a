"""Sessions on a Ray cluster: TF1 jobs and tasks (`/job:ps/task:0`) mapped onto the cluster's nodes.

Targets: "auto" (or RAY_ADDRESS) joins the running cluster, "ray://host:port" connects as a Ray client,
"host:port" names a cluster's GCS address, and a `train.Server`'s target ("raygraph://...") names a
cluster spec and the server's own task.

Each device of a cluster task is a named, detached Ray actor, shared by every client that uses the same
cluster (so between-graph replicas update the same ps variables) and outliving client sessions until
`Session.reset(target)`. Where a task's actor runs:

1. on a node advertising the custom resource `"<job>:<task>"` (e.g. `ray start --resources='{"ps:0": 1}'`);
2. else on the node whose IP is the host of the task's address in the ClusterSpec;
3. else wherever Ray spreads it.

A task that cannot be placed (its resource or node is gone, or a GPU is missing) fails at once with
UnavailableError, never pends.
"""
import hashlib
import json

from scheduler import access
from scheduler import runtime as ray_runtime

from . import errors
from .device_spec import device_string, parse_device
from .engine import Engine
from .cluster_spec import ClusterSpec

SERVER_SCHEME = "raygraph://"
NAMESPACE = "raygraph"
CONNECT_TIMEOUT = 30.0  # s, when the ConfigProto sets no operation_timeout_in_ms
_joined = None          # (the address this process joined its Ray cluster with, that cluster's GCS address)


def cluster_key(spec):
    """A stable name for a cluster spec, shared by every process that uses the same spec."""
    if spec is None or not spec:
        return "default"
    text = json.dumps({j: {str(k): v for k, v in t.items()} for j, t in sorted(spec._spec.items())}, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def publish_cluster(spec):
    """Stores the cluster spec in the Ray cluster (its internal KV) so that any client can find it."""
    from ray.experimental import internal_kv
    key = cluster_key(spec)
    internal_kv._internal_kv_put(f"raygraph/cluster/{key}", json.dumps(spec.as_dict()), namespace=NAMESPACE)
    return key


def lookup_cluster(key):
    from ray.experimental import internal_kv
    raw = internal_kv._internal_kv_get(f"raygraph/cluster/{key}", namespace=NAMESPACE)
    if raw is None:
        raise errors.UnavailableError(None, None, f"no raygraph cluster {key!r} is published on this Ray cluster")
    return ClusterSpec({j: ({int(k): v for k, v in t.items()} if isinstance(t, dict) else t)
                        for j, t in json.loads(raw).items()})


def parse_target(target):
    """(ray address for ray.init, cluster key or None, default (job, task) or None)."""
    if target.startswith(SERVER_SCHEME):
        rest = target[len(SERVER_SCHEME):]
        key, job, task = rest.split("/")
        return None, key, (job, int(task))
    if target == "auto":
        return "auto", None, None
    return target, None, None


def connect_ray(address, timeout=30.0):
    """Joins the Ray cluster at `address` (None: RAY_ADDRESS; already joined: nothing to do).

    Resolves within `timeout` s: UnavailableError when nothing answers, UnauthenticatedError when the
    cluster wants a token this process lacks (scheduler/access.py)."""
    import ray
    global _joined
    try:
        if not ray.is_initialized():
            ray_runtime.ensure_ray(address=address, timeout=timeout)
            _joined = (address, _gcs_address())
            return
        if address in (None, "auto") or _joined == (address, _gcs_address()):
            return
        if address.startswith("ray://"):
            access.probe(address, None, timeout)  # an unreachable target fails even while connected
            return
        current = _gcs_address()
        if _resolve(address) == _resolve(current):
            return
        access.probe(address, None, timeout)
    except access.Unreachable as e:
        raise errors.UnavailableError(None, None, f"Cannot reach the Ray cluster at {address!r}: {e}") from None
    except access.Unauthenticated as e:
        raise errors.UnauthenticatedError(None, None, str(e)) from None
    except (ConnectionError, TimeoutError, RuntimeError, ValueError) as e:
        raise errors.UnavailableError(None, None, f"Cannot reach the Ray cluster at {address!r}: {e}") from None
    raise errors.InvalidArgumentError(None, None, f"This process is connected to the Ray cluster at {current}; "
                                      f"a Session cannot also use {address!r}.")


def connect_timeout(config):
    """How long joining a cluster may take: the config's operation_timeout_in_ms, else CONNECT_TIMEOUT."""
    ms = config.operation_timeout_in_ms if config is not None else 0
    return ms / 1000.0 if ms > 0 else CONNECT_TIMEOUT


def _gcs_address():
    import ray
    try:
        return ray.get_runtime_context().gcs_address
    except Exception:  # noqa: BLE001 - a Ray client connection has no GCS address of its own
        return None


def _resolve(address):
    import socket
    host, _, port = address.rpartition(":")
    try:
        return socket.gethostbyname(host), port
    except OSError:
        return host, port


class Placement:
    """Where the device actors of each task go (see the module docstring)."""

    def __init__(self, spec):
        self.spec = spec

    def options(self, job, task, kind):
        import ray
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        resource = f"{job}:{task}"
        opts = {"num_cpus": 0, "max_concurrency": 64, "max_restarts": 0, "lifetime": "detached",
                "namespace": NAMESPACE}
        if kind == "GPU":
            if not any(n["Resources"].get("GPU", 0) >= 1 for n in nodes):
                raise errors.UnavailableError(None, None, f"/job:{job}/task:{task} asks for a GPU but no node "
                                              f"of the Ray cluster has one")
            opts["num_gpus"] = 1
        if any(resource in n["Resources"] for n in nodes):
            opts["resources"] = {resource: 0.001}
            return opts
        if any(resource in str(n.get("Resources", {})) for n in ray.nodes() if not n.get("Alive")):
            raise errors.UnavailableError(None, None, f"Task /job:{job}/replica:0/task:{task} is unavailable: "
                                          f"the node providing resource {resource!r} is gone")
        host = self._host(job, task)
        matching = [n for n in nodes if host and n["NodeManagerAddress"] == host]
        if len(matching) == 1:
            from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy
            opts["scheduling_strategy"] = NodeAffinitySchedulingStrategy(matching[0]["NodeID"], soft=False)
        else:
            opts["scheduling_strategy"] = "SPREAD"
        return opts

    def _host(self, job, task):
        if self.spec is None or job not in self.spec.jobs:
            return None
        try:
            address = self.spec.task_address(job, task)
        except ValueError:
            return None
        host = address.rsplit(":", 1)[0]
        try:
            import socket
            return socket.gethostbyname(host)
        except OSError:
            return host


MASTER_JOBS = ("chief", "master", "worker")  # whose task 0 is a client's master when it names no task


def master_task(spec, table):
    """The task that runs a session's ops that ask for no device, as TF1's master does: the session's own
    task (a `train.Server`'s target names it); else task 0 of the chief, master or worker job of the cluster
    spec (or, without a spec, the lowest task of those jobs that the graph names); else the first job's
    first task; else /job:localhost/task:0 (a graph that names no task at all)."""
    jobs = list(spec.jobs) if spec is not None and spec.jobs else []
    for node in table.values():
        job = node.device[0]
        if job is not None and job not in jobs:
            jobs.append(job)
    for job in MASTER_JOBS:
        if job in jobs:
            return job, _first_task(spec, table, job)
    return (jobs[0], _first_task(spec, table, jobs[0])) if jobs else ("localhost", 0)


def _first_task(spec, table, job):
    if spec is not None and job in spec.jobs:
        indices = spec.task_indices(job)
        if indices:
            return min(indices)
    return min((n.device[2] or 0 for n in table.values() if n.device[0] == job), default=0)


def cluster_devices(spec, default_task, table):
    """Device names a cluster session can use: every task of the spec, every task the graph names,
    and the session's master task first (unconstrained ops run there; see master_task)."""
    tasks = [default_task or master_task(spec, table)]
    if spec is not None:
        for job in spec.jobs:
            tasks.extend((job, i) for i in spec.task_indices(job))
    for node in table.values():
        job, _, task, _, _ = node.device
        if job is not None:
            tasks.append((job, task or 0))
    seen, names = set(), []
    for job, task in tasks:
        if (job, task) in seen:
            continue
        seen.add((job, task))
        names.append(device_string(job, 0, task, "CPU", 0))
    for node in table.values():  # GPUs the graph asks for (placed only where Ray has GPUs)
        job, _, task, kind, index = node.device
        if kind == "GPU" and job is not None:
            name = device_string(job, 0, task or 0, "GPU", index or 0)
            if name not in names:
                names.append(name)
    return names


class ClusterEngine:
    """A cluster session's devices: named, shared actors per task, made on first use."""

    def __init__(self, graph, config, key, spec, default_task):
        self.key, self.spec = key, spec
        self.placement = Placement(spec)
        self.default_task = default_task  # None: the master task follows from the spec and graph
        self.graph = graph
        self._engine = Engine(graph, [], self._acquire, self._release, config.allow_soft_placement)
        self.threads = config.inter_op_parallelism_threads
        self.blas = config.intra_op_parallelism_threads

    def __getattr__(self, name):
        return getattr(self._engine, name)

    @property
    def devices(self):
        return self._engine.devices

    def plan(self, table, tensors, targets, feeds):
        table.refresh()
        names = cluster_devices(self.spec, self.default_task, table)
        self._engine.devices = [(n, parse_device(n)) for n in names]
        self._engine.client.devices = self._engine.devices
        return self._engine.plan(table, tensors, targets, feeds)

    def _acquire(self, name):
        job, _, task, kind, _ = parse_device(name)
        actor_name = f"{self.key}{name}"
        try:
            options = self.placement.options(job, task, kind)
        except errors.OpError:
            raise
        return ray_runtime.acquire_named_device(name, actor_name, options, self.threads, self.blas)

    def _release(self, handle):
        ray_runtime.release_named_device(handle)


def connect_cluster(target, config, graph):
    """The Engine of a session on a Ray cluster target."""
    address, key, default_task = parse_target(target)
    connect_ray(address, connect_timeout(config))
    spec = None
    if key is not None:
        spec = lookup_cluster(key)
    elif config.HasField("cluster_def") and config.cluster_def.job:
        spec = ClusterSpec(config.cluster_def)
    elif getattr(graph, "_cluster_spec", None) is not None:
        spec = graph._cluster_spec
    if key is None:
        key = publish_cluster(spec) if spec else "default"
    return ClusterEngine(graph, config, key, spec, default_task)


def reset(target, containers=None, config=None):
    """Clears the variables (of `containers`, or all) kept by the device actors of `target`'s cluster."""
    address, key, _ = parse_target(target) if target else (None, None, None)
    if target in ("", "local", None):
        return
    connect_ray(address, connect_timeout(config))
    if key is None:
        spec = ClusterSpec(config.cluster_def) if config is not None and config.cluster_def.job else None
        key = cluster_key(spec)
    ray_runtime.reset_named_devices(key, NAMESPACE, containers)

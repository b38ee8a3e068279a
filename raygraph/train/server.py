"""`train.Server`: makes one task of a TF1 cluster exist on this node, as raygraph device actors.

`Server(cluster, job_name, task_index).target` is a Session target for that cluster, whose unplaced ops
run on this task; `join()` blocks, as TF1 ps tasks expect.
"""
import time
import types

from scheduler import runtime as ray_runtime

from ..cluster_spec import ClusterSpec
from ..cluster_targets import NAMESPACE, SERVER_SCHEME, connect_ray, connect_timeout, publish_cluster
from ..device_spec import device_string

# "host:port" of each task this process hosts -> its target: `Session("grpc://host:port")` names a task by the
# address its cluster spec gives it, as TF1 programs that start their servers in-process do
ADDRESSES = {}


class Server:
    """One task of a cluster, hosted on the current Ray node."""

    def __init__(self, server_or_cluster_def, job_name=None, task_index=None, protocol=None, config=None,
                 start=True):
        spec = server_or_cluster_def if isinstance(server_or_cluster_def, ClusterSpec) else \
            ClusterSpec(server_or_cluster_def)
        if job_name is None:
            if len(spec.jobs) != 1:
                raise ValueError("Must specify an explicit `job_name`.")
            job_name = spec.jobs[0]
        if task_index is None:
            if spec.num_tasks(job_name) != 1:
                raise ValueError("Must specify an explicit `task_index`.")
            task_index = spec.task_indices(job_name)[0]
        spec.task_address(job_name, task_index)  # ValueError for a task the cluster does not have
        connect_ray(None, connect_timeout(config))  # RAY_ADDRESS, else this machine's own runtime
        self._spec, self._job, self._task = spec, job_name, task_index
        self._key = publish_cluster(spec)
        self._target = f"{SERVER_SCHEME}{self._key}/{job_name}/{task_index}"
        ADDRESSES[spec.task_address(job_name, task_index)] = self._target
        self._config = config
        self._protocol = protocol or "grpc"
        self._handle = None
        if start:
            self.start()

    @property
    def target(self):
        return self._target

    @property
    def server_def(self):
        return types.SimpleNamespace(cluster=self._spec.as_cluster_def(), job_name=self._job,
                                     task_index=self._task, protocol=self._protocol)

    def start(self):
        """Creates this task's CPU device actor on this node (idempotent)."""
        if self._handle is not None:
            return
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy
        name = device_string(self._job, 0, self._task, "CPU", 0)
        options = {"num_cpus": 0, "max_concurrency": 64, "max_restarts": 0, "lifetime": "detached",
                   "namespace": NAMESPACE,
                   "scheduling_strategy": NodeAffinitySchedulingStrategy(ray_runtime.node_id(), soft=False)}
        self._handle = ray_runtime.acquire_named_device(name, f"{self._key}{name}", options)

    def join(self):
        """Blocks while this task's device actor is alive (forever, normally)."""
        import ray
        self.start()
        while True:
            try:
                ray.get(self._handle.actor.ping.remote(), timeout=60)
            except Exception:  # noqa: BLE001 - the actor is gone: nothing left to serve
                return
            time.sleep(1.0)

    @staticmethod
    def create_local_server(config=None, start=True):
        """A single-task server on this node: `Session(server.target)` runs there."""
        return Server({"localhost": ["localhost:0"]}, job_name="localhost", task_index=0, config=config,
                      start=start)

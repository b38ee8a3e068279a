"""`ClusterSpec`: the jobs of a TF1 cluster, their tasks and the tasks' addresses."""
from tensorboard.compat.proto import cluster_pb2


class ClusterSpec:
    """Jobs -> tasks -> addresses; built from a dict ({"ps": ["h:1"], ...} or {"ps": {0: "h:1"}}),
    another ClusterSpec, or a ClusterDef proto."""

    def __init__(self, cluster):
        self._spec = {}
        if isinstance(cluster, dict):
            for job, tasks in cluster.items():
                if isinstance(tasks, (list, tuple)):
                    self._spec[job] = {i: t for i, t in enumerate(tasks)}
                elif isinstance(tasks, dict):
                    self._spec[job] = {int(i): t for i, t in tasks.items()}
                else:
                    raise TypeError(f"The tasks for job {job!r} must be a list or a dictionary from integers to "
                                    f"strings.")
        elif isinstance(cluster, cluster_pb2.ClusterDef):
            for job in cluster.job:
                if job.name in self._spec:
                    raise ValueError(f"Duplicate job name in cluster_def: {job.name}")
                self._spec[job.name] = dict(job.tasks)
        elif isinstance(cluster, ClusterSpec):
            self._spec = {job: dict(tasks) for job, tasks in cluster._spec.items()}
        else:
            raise TypeError("`cluster` must be a dictionary mapping one or more job names to lists of network "
                            "addresses, or a `ClusterDef` protocol buffer")

    def __bool__(self):
        return bool(self._spec)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self._spec == other._spec

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        return f"ClusterSpec({self.as_dict()!r})"

    @property
    def jobs(self):
        return list(self._spec.keys())

    def _job(self, job_name):
        try:
            return self._spec[job_name]
        except KeyError:
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name):
        return len(self._job(job_name))

    def task_indices(self, job_name):
        return sorted(self._job(job_name))

    def task_address(self, job_name, task_index):
        job = self._job(job_name)
        try:
            return job[task_index]
        except KeyError:
            raise ValueError(f"No task with index {task_index!r} in job {job_name!r}") from None

    def job_tasks(self, job_name):
        """The job's addresses by task index (None where an index is missing)."""
        job = self._job(job_name)
        out = [None] * (max(job) + 1) if job else []
        for i, address in job.items():
            out[i] = address
        return out

    def as_dict(self):
        out = {}
        for job in self.jobs:
            indices = self.task_indices(job)
            if not indices:
                out[job] = {}
            elif max(indices) + 1 == len(indices):
                out[job] = self.job_tasks(job)
            else:
                out[job] = {i: self.task_address(job, i) for i in indices}
        return out

    def as_cluster_def(self):
        """This cluster as a ClusterDef protobuf (jobs sorted by name, as TF writes them)."""
        cluster_def = cluster_pb2.ClusterDef()
        for job in sorted(self._spec):
            job_def = cluster_def.job.add(name=job)
            for i, address in sorted(self._spec[job].items()):
                job_def.tasks[i] = address
        return cluster_def

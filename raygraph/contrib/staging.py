"""`tf.contrib.staging`: StagingArea, TF's staging buffer (`put` stages a tuple of tensors, `get` takes the oldest,
waiting for one), here over a FIFO queue with TF's unbounded default capacity: its ops are the queue's
(QueueEnqueueV2/QueueDequeueV2, not TF's Stage/Unstage), and it has no `peek` or `clear`."""
from ..ops.queues import FIFOQueue

_UNBOUNDED = 2 ** 31 - 1


class StagingArea:
    """TF 1.15's `tf.contrib.staging.StagingArea` (put/get/size over a FIFO buffer)."""

    def __init__(self, dtypes, shapes=None, names=None, shared_name=None, capacity=0, memory_limit=0):
        self._names = list(names) if names else None
        self._queue = FIFOQueue(capacity or _UNBOUNDED, dtypes, shapes=shapes, names=names, shared_name=shared_name,
                                name="StagingArea")
        self.capacity, self.memory_limit = capacity, memory_limit

    def put(self, values, name=None):
        return self._queue.enqueue(values, name=name or "StagingArea_put")

    def get(self, name=None):
        out = self._queue.dequeue(name=name or "StagingArea_get")
        if self._names is None and not isinstance(out, (list, tuple)):
            out = [out]
        return list(out) if isinstance(out, tuple) else out

    def size(self, name=None):
        return self._queue.size(name=name or "StagingArea_size")

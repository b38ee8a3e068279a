"""`tf.queue`: TF1's queues (see ops/queues.py)."""
from .ops.queues import FIFOQueue, PaddingFIFOQueue, PriorityQueue, QueueBase, RandomShuffleQueue  # noqa: F401

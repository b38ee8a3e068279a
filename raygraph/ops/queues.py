"""Queues (TF1's data_flow_ops): `FIFOQueue`, `RandomShuffleQueue`, `PaddingFIFOQueue`, `PriorityQueue`.

A queue is a resource of the device its op runs on (`Resources.shared`, keyed by (container, shared
name)), like a variable: every step and every client of that device sees the same one. The queue op
yields a handle; enqueue/dequeue ops take it, and the planner puts them on the queue's device. A
blocking enqueue or dequeue waits on the queue's condition in its step's thread, polling whether its step
has ended (deadline, abort, another device's failure) so that it never outlives its step; closing a
session cancels what still waits (`cancel`). Other steps run meanwhile in their own threads.

State of one queue: `items` (FIFO: a deque of tuples of arrays; priority: a heap of (priority, seq,
tuple); random-shuffle: a list), `closed`, `cancel_pending` (close(cancel_pending_enqueues=True)) and
`cancelled` (the device dropped it).
"""
import collections
import heapq
import itertools
import threading

import numpy as np
from scheduler.resources import SharedHandle, step_cancelled

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import CancelledError, InvalidArgumentError, OutOfRangeError
from ..shape import Dimension, TensorShape, as_shape
from . import philox
from .random import get_seed
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value

_POLL = 0.05  # seconds between checks, while blocked, of whether the step has ended
_counter = itertools.count()


# ----- the queue, in its device ----------------------------------------------------------------------------
class _Queue:
    """One queue's state and blocking operations (see the module docstring)."""

    kind = "FIFOQueue"

    def __init__(self, name, attrs):
        self.name = name
        self.types = [t.as_numpy_dtype for t in attrs["component_types"]]
        self.shapes = [TensorShape(s) for s in attrs.get("shapes") or ()]
        capacity = attrs.get("capacity", -1)
        self.capacity = capacity if capacity >= 0 else 2 ** 31 - 1
        self.cond = threading.Condition()
        self.items = collections.deque()
        self.closed = self.cancel_pending = self.cancelled = False
        # who is blocked: how many dequeues wait for each number of items, how many enqueues for room. An
        # enqueue wakes the waiting only once the smallest dequeue can go on (each wake-up is a thread switch
        # and a GIL hand-off: a batch of 128 dequeued behind one-element enqueues woke its step 128 times)
        self.takers, self.putters = collections.Counter(), collections.Counter()
        # and a dequeue wakes blocked enqueues once an eighth of the queue is free: an index queue of 32 feeding
        # one-element dequeues woke its producer at every element (a blocked enqueue still checks every _POLL)
        self.low_water = self.capacity - max(1, self.capacity // 8)
        self.fits = set()   # (component, dims) seen to fit the queue's shapes

    # the container of items (subclasses change these three)
    def size(self):
        return len(self.items)

    def _put(self, item):
        self.items.append(item)

    def _take(self):
        return self.items.popleft()

    def available(self):
        """How many items a dequeue may take now."""
        return self.size()

    # ----- blocking -------------------------------------------------------------------------------------
    def _wait(self, ready, what, count, key):
        """Waits (holding `cond` between checks) until `ready()`, counted in count[key] meanwhile; a step that
        ended meanwhile gives up first, so a timed-out dequeue never takes an element enqueued after its
        deadline."""
        while True:
            if self.cancelled or step_cancelled():
                raise CancelledError(None, None, f"{what} operation was cancelled")
            if ready():
                return
            count[key] += 1
            try:
                self.cond.wait(_POLL)
            finally:
                count[key] -= 1
                if not count[key]:
                    del count[key]

    def enqueue(self, items):
        with self.cond:
            if self.closed:
                raise CancelledError(None, None, f"{self.kind} '{self.name}' is closed.")
            for item in items:
                self._wait(lambda: self.size() < self.capacity or self.cancel_pending, "Enqueue", self.putters,
                           "room")
                if self.cancel_pending:
                    raise CancelledError(None, None, "Enqueue operation was cancelled")
                self._put(item)
                if self.takers and self.available() >= min(self.takers):
                    self.cond.notify_all()

    def dequeue(self, n, up_to=False):
        """n items (fewer, at least one, for `up_to` once the queue is closed)."""
        with self.cond:
            self._wait(lambda: self.available() >= n or self.closed, "Dequeue", self.takers, n)
            have = self.available()
            if have < n and (not up_to or have == 0):
                raise OutOfRangeError(None, None, f"{self.kind} '{self.name}' is closed and has insufficient "
                                                  f"elements (requested {n}, current size {self.size()})")
            out = [self._take() for _ in range(min(n, have))]
            if self.putters and self.size() <= self.low_water:
                self.cond.notify_all()
            return out

    def close(self, cancel_pending):
        with self.cond:
            self.closed = True
            self.cancel_pending = self.cancel_pending or cancel_pending
            self.cond.notify_all()

    def cancel(self):
        """The device dropped this queue (its session closed): every blocked operation ends."""
        with self.cond:
            self.cancelled = self.closed = self.cancel_pending = True
            self.cond.notify_all()

    def batch(self, items, n):
        """Stacks n dequeued tuples into a tuple of batches."""
        if n == 0 or not items:
            return tuple(np.zeros((0,) + tuple(s.as_list()), t) for t, s in zip(self.types, self.shapes))
        return tuple(np.stack([item[i] for item in items]) for i in range(len(self.types)))


class _RandomShuffleQueue(_Queue):
    kind = "RandomShuffleQueue"

    def __init__(self, name, attrs):
        super().__init__(name, attrs)
        self.items = []
        self.min_after = attrs.get("min_after_dequeue", 0)
        self.next32 = philox.Stream(attrs.get("seed", 0), attrs.get("seed2", 0))

    def available(self):
        return self.size() if self.closed else max(0, self.size() - self.min_after)

    def _put(self, item):
        self.items.append(item)

    def _take(self):  # TF: a uniform index (the Philox stream, one uint32 at a time), swapped with the last
        items = self.items
        i = self.next32() % len(items)
        item, items[i] = items[i], items[-1]
        items.pop()
        return item


class _PaddingFIFOQueue(_Queue):
    kind = "PaddingFIFOQueue"

    def batch(self, items, n):
        if n == 0 or not items:
            return super().batch(items, n)
        out = []
        for i, t in enumerate(self.types):
            parts = [np.asarray(item[i]) for item in items]
            shape = np.max([p.shape for p in parts], axis=0) if parts[0].ndim else ()
            pad = np.full((len(parts),) + tuple(shape), b"" if np.dtype(t).kind == "O" else 0, dtype=t)
            for j, p in enumerate(parts):
                pad[(j,) + tuple(slice(0, d) for d in p.shape)] = p
            out.append(pad)
        return tuple(out)


class _PriorityQueue(_Queue):
    kind = "PriorityQueue"

    def __init__(self, name, attrs):
        super().__init__(name, dict(attrs, component_types=[dtypes.int64] + list(attrs["component_types"]),
                                    shapes=[TensorShape([])] + list(attrs.get("shapes") or ())))
        self.items, self.seq = [], itertools.count()

    def _put(self, item):
        heapq.heappush(self.items, (int(item[0]), next(self.seq), item))

    def _take(self):
        return heapq.heappop(self.items)[2]


# ----- kernels -------------------------------------------------------------------------------------------------
def _queue_kernel(cls):
    def kernel(a, res):
        key = (a.get("container") or "", a.get("shared_name") or res.name)
        if key not in res.shared:   # (made once: every later run only names it, without the lock)
            with res.locks[("queue",) + key]:
                if key not in res.shared:
                    res.shared[key] = cls(f"_{next(_counter)}_{key[1]}", a)
        return QueueHandle(key, res.shared)
    return kernel


class QueueHandle(SharedHandle):
    """What a queue op yields: the key of its queue in the device's resources."""


def _queue(res, handle):
    q = handle.resource(res)
    if q is None:
        raise CancelledError(None, None, f"Queue {handle.key[1]} was closed with its session")
    return q


def _check_element(q, comps, many):
    comps = [np.asarray(c, dtype=t) for c, t in zip(comps, q.types)]
    n = None
    for i, (c, shape) in enumerate(zip(comps, q.shapes or [None] * len(comps))):
        dims = c.shape[1:] if many else c.shape
        if many:
            if c.ndim == 0:
                raise InvalidArgumentError(None, None, f"Expected batch input tuple component {i} to have "
                                                       f"at least one dimension")
            if n is not None and c.shape[0] != n:
                raise InvalidArgumentError(None, None, f"Expected batch input tuple component {i} to have "
                                                       f"{n} elements, got {c.shape[0]}")
            n = c.shape[0]
        if shape is not None and (i, dims) not in q.fits:
            if not shape.is_compatible_with(dims):
                raise InvalidArgumentError(None, None, f"Shape mismatch in tuple component {i}. Expected "
                                                       f"{_dims(shape)}, got {list(dims)}")
            q.fits.add((i, dims))   # (checked once per shape: TensorShape's check cost ~4 us per element)
    return comps, n


def _dims(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _enqueue_kernel(a, res, handle, *comps):
    q = _queue(res, handle)
    comps, _ = _check_element(q, comps, False)
    q.enqueue([tuple(comps)])


def _enqueue_many_kernel(a, res, handle, *comps):
    q = _queue(res, handle)
    comps, n = _check_element(q, comps, True)
    q.enqueue([tuple(c[j] for c in comps) for j in range(n or 0)])


def _dequeue_kernel(a, res, handle):
    return _outputs(_queue(res, handle).dequeue(1)[0])


def _outputs(values):
    """A kernel's result: the value itself when the op has one output."""
    return values[0] if len(values) == 1 else values


def _dequeue_many_kernel(up_to):
    def kernel(a, res, handle, n):
        q = _queue(res, handle)
        n = int(n)
        if n < 0:
            raise InvalidArgumentError(None, None, f"Request {'DequeueUpTo' if up_to else 'DequeueMany'} "
                                                   f"operation with n < 0: {n}")
        if q.kind != "PaddingFIFOQueue" and any(not s.is_fully_defined() for s in q.shapes) or not q.shapes:
            raise InvalidArgumentError(None, None, f"{q.kind}'s DequeueMany and DequeueUpTo require the "
                                                   f"components to have specified shapes.")
        items = q.dequeue(n, up_to) if n else []
        return _outputs(q.batch(items, len(items)))
    return kernel


# ----- shape functions -----------------------------------------------------------------------------------------
def _handle_shape(inputs, a):
    return dtypes.resource, TensorShape([])


def _dequeue_shape(inputs, a):
    return [(t, TensorShape(None)) for t in a["component_types"]]


def _scalar(dtype):
    return lambda inputs, a: (dtype, TensorShape([]))


_QUEUE_ATTRS = "component_types, shapes, capacity, container, shared_name"
op("FIFOQueueV2", kernel=_queue_kernel(_Queue), stateful=True, shape=_handle_shape, grad=NOT_DIFFERENTIABLE)
op("RandomShuffleQueueV2", kernel=_queue_kernel(_RandomShuffleQueue), stateful=True, shape=_handle_shape,
   grad=NOT_DIFFERENTIABLE)
op("PaddingFIFOQueueV2", kernel=_queue_kernel(_PaddingFIFOQueue), stateful=True, shape=_handle_shape,
   grad=NOT_DIFFERENTIABLE)
op("PriorityQueueV2", kernel=_queue_kernel(_PriorityQueue), stateful=True, shape=_handle_shape,
   grad=NOT_DIFFERENTIABLE)
op("QueueEnqueueV2", "handle:resource, components:+Tcomponents", kernel=_enqueue_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])
op("QueueEnqueueManyV2", "handle:resource, components:+Tcomponents", kernel=_enqueue_many_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])
op("QueueDequeueV2", "handle:resource", kernel=_dequeue_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=_dequeue_shape)
op("QueueDequeueManyV2", "handle:resource, n:int32", kernel=_dequeue_many_kernel(False), stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_dequeue_shape)
op("QueueDequeueUpToV2", "handle:resource, n:int32", kernel=_dequeue_many_kernel(True), stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_dequeue_shape)
op("QueueCloseV2", "handle:resource", kernel=lambda a, res, h: _queue(res, h).close(a["cancel_pending_enqueues"]),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])
op("QueueSizeV2", "handle:resource", kernel=lambda a, res, h: np.int32(_queue(res, h).size()), stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_scalar(dtypes.int32))
op("QueueIsClosedV2", "handle:resource", kernel=lambda a, res, h: np.bool_(_queue(res, h).closed), stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_scalar(dtypes.bool_))


# ----- the Python classes ------------------------------------------------------------------------------------
def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


class QueueBase:
    """TF1's QueueBase: enqueue/dequeue ops over one queue resource (see the subclasses)."""

    def __init__(self, dtypes_, shapes, names, queue_ref):
        self._dtypes = dtypes_
        self._shapes = shapes if shapes else [TensorShape(None)] * len(dtypes_)
        self._names = names
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    queue_ref = property(lambda self: self._queue_ref)
    name = property(lambda self: self._queue_ref.op.name)
    dtypes = property(lambda self: self._dtypes)
    shapes = property(lambda self: self._shapes)
    names = property(lambda self: self._names)

    def _components(self, vals):
        if self._names is not None:
            if not isinstance(vals, dict):
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names) != sorted(vals.keys()):
                raise ValueError(f"Keys in dictionary to enqueue do not match names of Queue.  Dictionary: "
                                 f"{sorted(vals.keys())},Queue: {sorted(self._names)}")
            vals = [vals[k] for k in self._names]
        elif isinstance(vals, dict):
            raise ValueError("Queue must have names to enqueue a dictionary")
        vals = _as_list(vals)
        if len(vals) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} components, got {len(vals)}")
        return [convert_to_tensor(v, dtype=d, name=f"component_{i}") for i, (v, d) in
                enumerate(zip(vals, self._dtypes))]

    def enqueue(self, vals, name=None):
        """Enqueues one element (a tensor, a tuple of tensors, or a dict when the queue has names)."""
        with name_scope(name, f"{self._name}_enqueue") as scope:
            vals = self._components(vals)
            for v, shape in zip(vals, self._shapes):
                v.shape.assert_is_compatible_with(shape)
            return apply_op("QueueEnqueueV2", [self._queue_ref, vals], {"timeout_ms": -1}, name=scope)

    def enqueue_many(self, vals, name=None):
        """Enqueues the elements of a batch (each component's 0th dimension)."""
        with name_scope(name, f"{self._name}_EnqueueMany") as scope:
            vals = self._components(vals)
            batch = Dimension(None)
            for v, shape in zip(vals, self._shapes):
                batch = batch.merge_with(v.shape.with_rank_at_least(1)[0])
                v.shape[1:].assert_is_compatible_with(shape)
            return apply_op("QueueEnqueueManyV2", [self._queue_ref, vals], {"timeout_ms": -1}, name=scope)

    def _result(self, tensors):
        tensors = _as_list(tensors)
        if self._names is not None:
            return dict(zip(self._names, tensors))
        return tensors[0] if len(tensors) == 1 else tensors

    def _dequeue(self, op_type, default, name, n=None):
        name = name if name is not None else f"{self._name}_{default}"
        types = {"component_types": list(self._dtypes), "timeout_ms": -1}
        inputs = [self._queue_ref] if n is None else [self._queue_ref, n]
        out = _as_list(apply_op(op_type, inputs, types, name=name))
        batch = None
        if op_type == "QueueDequeueManyV2":
            size = constant_value(out[0].op.inputs[1])
            batch = None if size is None else int(size)
        for t, shape in zip(out, self._shapes):
            t.set_shape(shape if n is None else TensorShape([batch]).concatenate(shape))
        return self._result(out)

    def dequeue(self, name=None):
        """Dequeues one element."""
        return self._dequeue("QueueDequeueV2", "Dequeue", name)

    def dequeue_many(self, n, name=None):
        """Dequeues and stacks n elements (waits for n)."""
        return self._dequeue("QueueDequeueManyV2", "DequeueMany", name, n)

    def dequeue_up_to(self, n, name=None):
        """Dequeues up to n elements (fewer once the queue is closed)."""
        return self._dequeue("QueueDequeueUpToV2", "DequeueUpTo", name, n)

    def close(self, cancel_pending_enqueues=False, name=None):
        """Closes the queue: later enqueues fail, dequeues drain it then fail with OutOfRangeError."""
        name = name if name is not None else f"{self._name}_Close"
        return apply_op("QueueCloseV2", [self._queue_ref], {"cancel_pending_enqueues": cancel_pending_enqueues},
                        name=name)

    def is_closed(self, name=None):
        name = name if name is not None else f"{self._name}_Is_Closed"
        return apply_op("QueueIsClosedV2", [self._queue_ref], {}, name=name)

    def size(self, name=None):
        name = name if name is not None else f"{self._name}_Size"
        return apply_op("QueueSizeV2", [self._queue_ref], {}, name=name)


def _types_and_shapes(dtypes_, shapes, names, need_shapes=False):
    dtypes_ = [dtypes.as_dtype(d) for d in _as_list(dtypes_)]
    if shapes is not None:
        if isinstance(shapes, TensorShape) or not isinstance(shapes, (list, tuple)) or all(
                d is None or isinstance(d, int) for d in shapes):  # TF's rule: () or [2, None] is one shape
            shapes = [shapes]
        shapes = [as_shape(s) for s in shapes]
        if len(shapes) != len(dtypes_):
            raise ValueError(f"Queue shapes must have the same length as dtypes")
    elif need_shapes:
        raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if names is not None:
        names = _as_list(names)
        if len(names) != len(dtypes_):
            raise ValueError("Queue names must have the same length as dtypes")
    return dtypes_, shapes, names


def _make(op_type, default_name, name, dtypes_, shapes, attrs):
    attrs = dict(component_types=list(dtypes_), shapes=list(shapes or []), **attrs)
    return apply_op(op_type, [], attrs, name=name)  # name=None: the op type, as TF's generated wrappers do


class FIFOQueue(QueueBase):
    """A first-in first-out queue of tuples of tensors."""

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"):
        dtypes_, shapes, names = _types_and_shapes(dtypes, shapes, names)
        ref = _make("FIFOQueueV2", "fifo_queue", name, dtypes_, shapes,
                    dict(capacity=capacity, container="", shared_name=shared_name or ""))
        super().__init__(dtypes_, shapes, names, ref)


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose dequeue_many pads each component to the batch's largest shape."""

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None, name="padding_fifo_queue"):
        dtypes_, shapes, names = _types_and_shapes(dtypes, shapes, names, need_shapes=True)
        ref = _make("PaddingFIFOQueueV2", "padding_fifo_queue", name, dtypes_, shapes,
                    dict(capacity=capacity, container="", shared_name=shared_name or ""))
        super().__init__(dtypes_, shapes, names, ref)


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues in random order, keeping at least `min_after_dequeue` elements until closed."""

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None, shared_name=None,
                 name="random_shuffle_queue"):
        dtypes_, shapes, names = _types_and_shapes(dtypes, shapes, names)
        seed1, seed2 = get_seed(seed)
        if seed1 is None and seed2 is None:
            seed1, seed2 = 0, 0
        ref = _make("RandomShuffleQueueV2", "random_shuffle_queue", name, dtypes_, shapes,
                    dict(capacity=capacity, min_after_dequeue=min_after_dequeue, seed=seed1, seed2=seed2,
                         container="", shared_name=shared_name or ""))
        super().__init__(dtypes_, shapes, names, ref)


class PriorityQueue(QueueBase):
    """A queue ordered by an int64 priority, the first component of every element."""

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None, name="priority_queue"):
        types_, shapes, names = _types_and_shapes(types, shapes, names)
        ref = _make("PriorityQueueV2", "priority_queue", name, types_, shapes,
                    dict(capacity=capacity, container="", shared_name=shared_name or ""))
        super().__init__([dtypes.int64] + types_, [TensorShape([])] + list(shapes or [TensorShape(None)] * len(types_)),
                         names, ref)

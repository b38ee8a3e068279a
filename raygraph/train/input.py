"""TF1's queue-based input pipelines: input producers (queues of filenames, indices or slices, refilled by
queue runners, limited to `num_epochs` by the local variable `limit_epochs/epochs`) and batching (`batch`,
`shuffle_batch`, their `_join` forms, `maybe_batch`), each a queue with a QueueRunner in QUEUE_RUNNERS."""
from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..graph import GraphKeys, get_default_graph
from ..ops.array import identity, shape as shape_of
from ..ops.control import Assert, no_op
from ..ops.control_flow import cond
from ..ops.filling import range as range_
from ..ops.io import matching_files
from ..ops.math import cast, greater, maximum
from ..ops.queues import FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue
from ..ops.random import random_shuffle
from ..ops.registry import apply_op
from ..ops.shape_fns import constant_value
from ..ops.array import size as size_of
from ..ops.slicing import gather
from ..shape import TensorShape, as_shape
from ..tensor import Tensor
from ..variables import Variable
from .queue_runner import QueueRunner, add_queue_runner


def _fraction_summary(name, value):
    """TF's queue-fullness scalar summary (in SUMMARIES, so merge_all and SummarySaverHook write it)."""
    with name_scope(name) as scope:
        out = apply_op("ScalarSummary", [constant(scope.rstrip("/"), name="tags"), value], {}, name=scope)
    get_default_graph().add_to_collection(GraphKeys.SUMMARIES, out)
    return out


# ----- producers ------------------------------------------------------------------------------------------
def match_filenames_once(pattern, name=None):
    """A local variable holding the files matching `pattern`, listed once when it is initialized."""
    with name_scope(name, "matching_filenames", [pattern]) as name:
        return Variable(matching_files(pattern), name=name, trainable=False, validate_shape=False,
                        collections=[GraphKeys.LOCAL_VARIABLES])


def limit_epochs(tensor, num_epochs=None, name=None):
    """`tensor`, OutOfRangeError after it was produced `num_epochs` times (counted in a local variable)."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs", [tensor]) as name:
        zero64 = constant(0, dtype=dtypes.int64)
        epochs = Variable(zero64, name="epochs", trainable=False, collections=[GraphKeys.LOCAL_VARIABLES])
        counter = epochs.count_up_to(num_epochs)
        with get_default_graph().control_dependencies([counter]):
            return identity(tensor, name=name)


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None, capacity=32,
                   shared_name=None, summary_name=None, name=None, cancel_op=None):
    """A FIFOQueue fed with the rows of `input_tensor` (shuffled each epoch) by a QueueRunner."""
    with name_scope(name, "input_producer", [input_tensor]):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        element_shape = input_tensor.shape[1:].merge_with(as_shape(element_shape) if element_shape is not None
                                                          else TensorShape(None))
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be "
                             "specified")
        if shuffle:
            input_tensor = random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype.base_dtype], shapes=[element_shape],
                      shared_name=shared_name, name=name)
        enq = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            _fraction_summary(summary_name, cast(q.size(), dtypes.float32) * (1. / capacity))
        return q


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                          name=None, cancel_op=None):
    """A queue of the strings (filenames) of `string_tensor`, for a reader."""
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, (Tensor, Variable)) and not len(string_tensor):  # a Variable: match_filenames_once
        raise ValueError(not_null_err)
    with name_scope(name, "input_producer", [string_tensor]) as name:
        string_tensor = convert_to_tensor(string_tensor, dtype=dtypes.string)
        with get_default_graph().control_dependencies([Assert(greater(size_of(string_tensor), 0),
                                                              [not_null_err])]):
            string_tensor = identity(string_tensor)
        return input_producer(string_tensor, element_shape=[], num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                              capacity=capacity, shared_name=shared_name, name=name,
                              summary_name=f"fraction_of_{capacity}_full", cancel_op=cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                         name=None):
    """A queue of the integers 0 .. limit-1."""
    with name_scope(name, "input_producer", [limit]) as name:
        range_tensor = range_(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                              f"fraction_of_{capacity}_full", name)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                         name=None):
    """One row of each tensor of `tensor_list` at a time (the same row index for all)."""
    with name_scope(name, "input_producer", tensor_list):
        tensor_list = [convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = shape_of(tensor_list[0])[0]
        queue = range_input_producer(range_size, num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                                     capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [gather(t, index) for t in tensor_list]


# ----- batching -------------------------------------------------------------------------------------------
def _as_tensor_list(tensors):
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors)]
    return list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]


def _as_original_type(tensors, out):
    """The dequeued tensors in the structure given (TF: a one-tensor list comes back as the tensor)."""
    if isinstance(tensors, dict):
        out = out if isinstance(out, (list, tuple)) else [out]
        return dict(zip(sorted(tensors), out))
    return out


def _shapes(tensor_lists, shapes, enqueue_many, dynamic_pad=False):
    if shapes is not None:
        return [as_shape(s) for s in shapes]
    for tensors in tensor_lists:  # TF checks every tensor's rank first
        for t in tensors:
            if t.shape.ndims is None:
                raise ValueError(f"Cannot infer Tensor's rank: {t}")
    out = []
    for i, t in enumerate(tensor_lists[0]):
        shape = t.shape[1:] if enqueue_many else t.shape
        for other in tensor_lists[1:]:
            shape = shape.merge_with(other[i].shape[1:] if enqueue_many else other[i].shape)
        if not shape.is_fully_defined() and not dynamic_pad:
            raise ValueError(f"All shapes must be fully defined: {[t.shape for t in tensor_lists[0]]}")
        out.append(shape)
    return out


def _enqueue_ops(queue, tensor_lists, enqueue_many, keep_input, threads):
    """One enqueue op per list of tensors, run by `threads` threads each (TF's list of the same op)."""
    enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
    ops = []
    for tensors in tensor_lists:
        known = True if keep_input is None else constant_value(keep_input)  # TF's smart_cond
        if known is None:
            ops.append(cond(keep_input, lambda t=tensors: enqueue(t), no_op))
        elif known:
            ops.append(enqueue(tensors))
        else:
            ops.append(no_op())
    add_queue_runner(QueueRunner(queue, ops * threads))


def _batch(tensor_lists, tensors, batch_size, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch,
           shared_name, name, default, keep_input=None, min_after_dequeue=None, seed=None, threads=1):
    with name_scope(name, default, [t for ts in tensor_lists for t in ts]) as name:
        tensor_lists = [[convert_to_tensor(t) for t in ts] for ts in tensor_lists]
        if keep_input is not None:
            keep_input = convert_to_tensor(keep_input, dtype=dtypes.bool_)
        types = [t.dtype.base_dtype for t in tensor_lists[0]]
        shapes = _shapes(tensor_lists, shapes, enqueue_many, dynamic_pad)
        if min_after_dequeue is not None:
            queue = RandomShuffleQueue(capacity=capacity, min_after_dequeue=min_after_dequeue, seed=seed,
                                       dtypes=types, shapes=shapes, shared_name=shared_name)
        elif dynamic_pad:
            queue = PaddingFIFOQueue(capacity=capacity, dtypes=types, shapes=shapes, shared_name=shared_name)
        else:
            queue = FIFOQueue(capacity=capacity, dtypes=types, shapes=shapes, shared_name=shared_name)
        _enqueue_ops(queue, tensor_lists, enqueue_many, keep_input, threads)
        if min_after_dequeue is None:
            _fraction_summary(f"fraction_of_{capacity}_full", cast(queue.size(), dtypes.float32) * (1. / capacity))
        else:
            full = cast(maximum(0, queue.size() - min_after_dequeue), dtypes.float32) * \
                (1. / (capacity - min_after_dequeue))
            _fraction_summary(f"fraction_over_{min_after_dequeue}_of_{capacity - min_after_dequeue}_full", full)
        if allow_smaller_final_batch:
            out = queue.dequeue_up_to(batch_size, name=name)
        else:
            out = queue.dequeue_many(batch_size, name=name)
        return _as_original_type(tensors, out)


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None, dynamic_pad=False,
          allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of `tensors` from a FIFO queue filled by `num_threads` threads."""
    tl = _as_tensor_list(tensors)
    return _batch([tl], tensors, batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                  allow_smaller_final_batch, shared_name, name, "batch", threads=num_threads)


def maybe_batch(tensors, keep_input, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None,
                dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """`batch`, enqueueing only when the scalar `keep_input` is true."""
    tl = _as_tensor_list(tensors)
    return _batch([tl], tensors, batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                  allow_smaller_final_batch, shared_name, name, "batch", keep_input=keep_input, threads=num_threads)


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None, dynamic_pad=False,
               allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches from several lists of tensors, each enqueued by its own thread."""
    lists = [_as_tensor_list(t) for t in tensors_list]
    return _batch(lists, tensors_list[0], batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                  allow_smaller_final_batch, shared_name, name, "batch_join")


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None, enqueue_many=False,
                  shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of `tensors` in random order from a RandomShuffleQueue."""
    tl = _as_tensor_list(tensors)
    return _batch([tl], tensors, batch_size, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, "shuffle_batch",
                  min_after_dequeue=min_after_dequeue, seed=seed, threads=num_threads)


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None, enqueue_many=False,
                       shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """shuffle_batch over several lists of tensors, each enqueued by its own thread."""
    lists = [_as_tensor_list(t) for t in tensors_list]
    return _batch(lists, tensors_list[0], batch_size, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, "shuffle_batch_join",
                  min_after_dequeue=min_after_dequeue, seed=seed)


def maybe_batch_join(tensors_list, keep_input, batch_size, capacity=32, enqueue_many=False, shapes=None,
                     dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """`batch_join`, enqueueing only when the scalar `keep_input` is true."""
    lists = [_as_tensor_list(t) for t in tensors_list]
    return _batch(lists, tensors_list[0], batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                  allow_smaller_final_batch, shared_name, name, "batch_join", keep_input=keep_input)


def maybe_shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, keep_input, num_threads=1, seed=None,
                        enqueue_many=False, shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """`shuffle_batch`, enqueueing only when the scalar `keep_input` is true."""
    tl = _as_tensor_list(tensors)
    return _batch([tl], tensors, batch_size, capacity, enqueue_many, shapes, False, allow_smaller_final_batch,
                  shared_name, name, "shuffle_batch", keep_input=keep_input, min_after_dequeue=min_after_dequeue,
                  seed=seed, threads=num_threads)


def maybe_shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, keep_input, seed=None,
                             enqueue_many=False, shapes=None, allow_smaller_final_batch=False, shared_name=None,
                             name=None):
    """`shuffle_batch_join`, enqueueing only when the scalar `keep_input` is true."""
    lists = [_as_tensor_list(t) for t in tensors_list]
    return _batch(lists, tensors_list[0], batch_size, capacity, enqueue_many, shapes, False,
                  allow_smaller_final_batch, shared_name, name, "shuffle_batch_join", keep_input=keep_input,
                  min_after_dequeue=min_after_dequeue, seed=seed)


def match_filenames_once(pattern, name=None):
    """A local variable holding the file names matching `pattern` (a glob), read once when initialized."""
    with name_scope(name, "matching_filenames", [pattern]) as name:
        matches = apply_op("MatchingFiles", [convert_to_tensor(pattern, dtype=dtypes.string)], {})
        return Variable(matches, name=name, trainable=False, validate_shape=False,
                        collections=[GraphKeys.LOCAL_VARIABLES])

"""`tf.train.QueueRunner`: threads that keep running a queue's enqueue ops, and `start_queue_runners`.

Each enqueue op gets a thread that runs it until it fails; a queue-closed error (by default, as in TF, the
OutOfRangeError of an exhausted input) ends the thread quietly, and the last one to end closes the queue so its
consumers drain it and then see OutOfRangeError. A coordinator's stop request cancels the queue: the enqueues it
cancels report their CancelledError to the coordinator, which has stopped already and keeps its first error.
"""
import threading

from scheduler.runtime import exiting as _interpreter_exiting

from .. import errors
from ..graph import GraphKeys, get_default_graph, register_proto_function
from ..protos import declare
from ..session import get_default_session


# TF's QueueRunnerDef (tensorflow/core/protobuf/queue_runner.proto; not in the tensorboard package): its exception
# types, an enum of error codes in TF, are their int codes here (the same packed varints)
QueueRunnerDef = declare("raygraph/train/queue_runner.proto", {"QueueRunnerDef": [
    ("queue_name", 1, "string"), ("enqueue_op_name", 2, "string*"), ("close_op_name", 3, "string"),
    ("cancel_op_name", 4, "string"), ("queue_closed_exception_types", 5, "int32*")]})["QueueRunnerDef"]


def _strip_scope(name, scope):
    return name[len(scope) + 1:] if scope and name.startswith(scope + "/") else name


class QueueRunner:
    """Enqueue ops to run in threads for one queue (TF1's QueueRunner)."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        self._lock = threading.Lock()
        self._runs_per_session = {}
        self._exceptions_raised = []
        if queue_runner_def is not None:
            if queue or enqueue_ops:
                raise ValueError("queue_runner_def and queue are mutually exclusive.")
            self._init_from_proto(queue_runner_def, import_scope)
            return
        if not queue or not enqueue_ops:
            raise ValueError("Must provide queue and enqueue_ops.")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        if queue_closed_exception_types is not None and (
                not isinstance(queue_closed_exception_types, tuple) or not queue_closed_exception_types
                or not all(issubclass(t, errors.OpError) for t in queue_closed_exception_types)):
            raise TypeError("queue_closed_exception_types, when provided, must be a tuple of tf.error types, but "
                            f"saw: {queue_closed_exception_types}")
        self._queue_closed_exception_types = queue_closed_exception_types or (errors.OutOfRangeError,)

    def _init_from_proto(self, queue_runner_def, import_scope=None):
        """As TF: the queue, enqueue, close and cancel ops are the graph's elements of those names (the queue
        an Operation, as in TF)."""
        g = get_default_graph()

        def element(name):
            return g.as_graph_element(f"{import_scope}/{name}" if import_scope else name)
        self._queue = element(queue_runner_def.queue_name)
        self._enqueue_ops = [element(op) for op in queue_runner_def.enqueue_op_name]
        self._close_op = element(queue_runner_def.close_op_name)
        self._cancel_op = element(queue_runner_def.cancel_op_name)
        codes = list(queue_runner_def.queue_closed_exception_types)
        self._queue_closed_exception_types = tuple(errors.exception_type_from_error_code(c) for c in codes) \
            if codes else (errors.OutOfRangeError,)

    def to_proto(self, export_scope=None):
        """This runner as a `QueueRunnerDef` (op names relative to `export_scope`), or None outside it."""
        if export_scope is not None and not self._queue.name.startswith(export_scope):
            return None
        return QueueRunnerDef(
            queue_name=_strip_scope(self._queue.name, export_scope),
            enqueue_op_name=[_strip_scope(op.name, export_scope) for op in self._enqueue_ops],
            close_op_name=_strip_scope(self._close_op.name, export_scope),
            cancel_op_name=_strip_scope(self._cancel_op.name, export_scope),
            queue_closed_exception_types=[errors.error_code_from_exception_type(t)
                                          for t in self._queue_closed_exception_types])

    @staticmethod
    def from_proto(queue_runner_def, import_scope=None):
        return QueueRunner(queue_runner_def=queue_runner_def, import_scope=import_scope)

    queue = property(lambda self: self._queue)
    enqueue_ops = property(lambda self: self._enqueue_ops)
    close_op = property(lambda self: self._close_op)
    cancel_op = property(lambda self: self._cancel_op)
    queue_closed_exception_types = property(lambda self: self._queue_closed_exception_types)
    exceptions_raised = property(lambda self: self._exceptions_raised)
    name = property(lambda self: self._queue.name)

    def _run(self, sess, enqueue_op, coord=None):
        decremented = False
        try:
            enqueue_callable = sess.make_callable(enqueue_op)
            # In the device, until an enqueue fails (the queue closed: the coordinator's stop cancels it), with
            # no round trip per element; a step over several devices is run from here, one `run` at a time.
            repeat = getattr(sess, "_run_repeatedly", None)
            while coord is None or not coord.should_stop():
                try:
                    if repeat is not None:
                        if repeat(enqueue_op):
                            return  # the session closed
                        repeat = None
                        continue
                    enqueue_callable()
                except self._queue_closed_exception_types:
                    with self._lock:  # the last thread to end closes the queue
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception:  # noqa: BLE001 - the session may be closing
                                pass
                    return
        except Exception as e:  # noqa: BLE001 - reported to the coordinator, as TF1 does
            if getattr(sess, "_closed", False) or _interpreter_exiting():
                # the session closed under this thread, or the interpreter is exiting and Ray's shutdown took
                # the devices (TF1's daemon runner threads end silently at exit): nothing to report
                return
            if coord:
                coord.request_stop(e)
            else:
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess, cancel_op, coord):
        coord.wait_for_stop()
        try:
            sess.run(cancel_op)
        except Exception:  # noqa: BLE001 - the session may already be closed
            pass

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """One thread per enqueue op (and one that cancels the queue when `coord` stops); started if `start`."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []  # already running for this session
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord), daemon=daemon)
                   for op in self._enqueue_ops]
        if coord:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, self._cancel_op, coord),
                                            daemon=daemon))
        for t in threads:
            if coord:
                coord.register_thread(t)
            if start:
                t.start()
        return threads


def add_queue_runner(qr, collection=GraphKeys.QUEUE_RUNNERS):
    """Adds `qr` to the graph's QUEUE_RUNNERS collection (what start_queue_runners starts)."""
    get_default_graph().add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True, collection=GraphKeys.QUEUE_RUNNERS):
    """Starts the threads of every queue runner of the graph's collection; returns them."""
    if sess is None:
        sess = get_default_session()
        if not sess:
            raise ValueError("Cannot start queue runners: No default session is registered. Use `with "
                             "sess.as_default()` or pass an explicit session to tf.start_queue_runners(sess=sess)")
    with sess.graph.as_default():
        threads = []
        for qr in sess.graph.get_collection(collection):
            threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads


register_proto_function(GraphKeys.QUEUE_RUNNERS, QueueRunnerDef, lambda qr, scope: qr.to_proto(export_scope=scope),
                        lambda proto, import_scope=None: QueueRunner.from_proto(proto, import_scope=import_scope))

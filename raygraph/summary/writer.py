"""`FileWriter`: writes TensorBoard event files (`events.out.tfevents.<seconds>.<host>`) in a log directory.

An event file is a sequence of TFRecords (records.py), each a serialized `Event`: first the file version,
then graphs, summaries, run metadata and session logs, each stamped with wall time and, when given, the
global step. Records go to a buffered file at once and reach the disk on `flush()`, `close()`, at
interpreter exit, and within `flush_secs` of being added (one daemon thread checks every open writer
each second, as TF's writer thread flushes on its timer).
"""
import atexit
import os
import socket
import threading
import time
import weakref

from tensorboard.compat.proto import event_pb2, summary_pb2

from .records import encode_record, read_records
from ..train.meta_graph import create_meta_graph_def
from ..graph import Graph
from ..graph_def import GraphDef

_open_writers = weakref.WeakSet()
_flusher = None


@atexit.register
def _flush_all():
    for writer in list(_open_writers):
        writer.flush()


def _flush_due_writers():
    while True:
        time.sleep(1.0)
        for writer in list(_open_writers):
            writer._flush_if_due()


def _start_flusher():
    global _flusher
    if _flusher is None:
        _flusher = threading.Thread(target=_flush_due_writers, name="raygraph-event-flush", daemon=True)
        _flusher.start()


class EventFileWriter:
    """Appends Events to a new event file in `logdir`."""

    def __init__(self, logdir, max_queue=10, flush_secs=120, filename_suffix=None):
        self._logdir = str(logdir)
        os.makedirs(self._logdir, exist_ok=True)
        self._max_queue = max_queue  # events reach the file at once; kept for TF's signature
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.Lock()
        self._file = None
        self._closed = True
        self.reopen()

    def get_logdir(self):
        return self._logdir

    def _new_path(self):
        base = os.path.join(self._logdir, f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}")
        path, n = base + self._suffix, 0
        while os.path.exists(path):  # a second writer in the same second gets its own file
            n += 1
            path = f"{base}.{n}{self._suffix}"
        return path

    def reopen(self):
        """Starts a new event file if this writer was closed."""
        with self._lock:
            if not self._closed:
                return
            self._path = self._new_path()
            self._file = open(self._path, "wb")
            self._closed = False
            self._dirty = False
            self._last_flush = time.time()
            self._file.write(encode_record(event_pb2.Event(wall_time=time.time(),
                                                           file_version="brain.Event:2").SerializeToString()))
        _open_writers.add(self)
        _start_flusher()

    def add_event(self, event):
        """Writes `event` (dropped after `close()`, as in TF)."""
        with self._lock:
            if self._closed:
                return
            self._file.write(encode_record(event.SerializeToString()))
            self._dirty = True

    def flush(self):
        with self._lock:
            if self._closed:
                return
            self._file.flush()
            self._dirty = False
            self._last_flush = time.time()

    def _flush_if_due(self):
        if self._dirty and time.time() - self._last_flush >= self._flush_secs:
            self.flush()

    def close(self):
        self.flush()
        with self._lock:
            if not self._closed:
                self._file.close()
                self._closed = True
        _open_writers.discard(self)

    @property
    def path(self):
        return self._path


class FileWriter:
    """TF1's `tf.summary.FileWriter(logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
    filename_suffix=None)`: the graph, summaries and run metadata of a run, for TensorBoard.

    >>> writer = tf.summary.FileWriter("/tmp/logs", sess.graph)
    >>> writer.add_summary(sess.run(merged), global_step=step)
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None, filename_suffix=None,
                 session=None):
        if session is not None:
            raise NotImplementedError("raygraph's FileWriter writes from Python; session-backed writers (TF2 "
                                      "summary ops) are not supported")
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._seen_summary_tags = set()
        self._session_run_tags = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)
            self.add_meta_graph(create_meta_graph_def(graph_def=self._last_graph_def))

    # ----- what gets written ---------------------------------------------------------------------------
    def add_summary(self, summary, global_step=None):
        """Writes a Summary (a proto, or the serialized bytes a summary op returns)."""
        if isinstance(summary, bytes):
            summary = summary_pb2.Summary.FromString(summary)
        for value in summary.value:  # plugin metadata is kept only on the first value of each tag
            if not value.HasField("metadata"):
                continue
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
            else:
                self._seen_summary_tags.add(value.tag)
        self._add_event(event_pb2.Event(summary=summary), global_step)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Writes a Graph (with shapes, for TensorBoard's graph view) or a GraphDef."""
        if isinstance(graph, Graph):
            if graph_def is not None:
                raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
            graph_def = graph.as_graph_def(add_shapes=True)
        elif isinstance(graph, GraphDef):
            graph_def = graph
        elif graph_def is None:
            raise TypeError("The passed graph must be an instance of `Graph` or the deprecated `GraphDef`")
        self._last_graph_def = graph_def
        self._add_event(event_pb2.Event(graph_def=graph_def.SerializeToString()), global_step)

    def add_meta_graph(self, meta_graph_def, global_step=None):
        from tensorboard.compat.proto import meta_graph_pb2
        if not isinstance(meta_graph_def, meta_graph_pb2.MetaGraphDef):
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: {type(meta_graph_def)}")
        self._add_event(event_pb2.Event(meta_graph_def=meta_graph_def.SerializeToString()), global_step)

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Writes a step's RunMetadata under `tag` (one use per tag), for the graph view's compute stats."""
        if tag in self._session_run_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._session_run_tags.add(tag)
        tagged = event_pb2.TaggedRunMetadata(tag=tag, run_metadata=run_metadata.SerializeToString())
        self._add_event(event_pb2.Event(tagged_run_metadata=tagged), global_step)

    def add_session_log(self, session_log, global_step=None):
        self._add_event(event_pb2.Event(session_log=session_log), global_step)

    def _add_event(self, event, step):
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    # ----- lifecycle ------------------------------------------------------------------------------------
    def add_event(self, event):
        self.event_writer.add_event(event)

    def get_logdir(self):
        return self.event_writer.get_logdir()

    def flush(self):
        self.event_writer.flush()

    def close(self):
        self.event_writer.close()

    def reopen(self):
        self.event_writer.reopen()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FileWriterCache:
    """One shared FileWriter per log directory."""

    _cache = {}
    _lock = threading.Lock()

    @staticmethod
    def get(logdir):
        with FileWriterCache._lock:
            writer = FileWriterCache._cache.get(logdir)
            if writer is None:
                writer = FileWriterCache._cache[logdir] = FileWriter(logdir)
            return writer

    @staticmethod
    def clear():
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache.clear()


def summary_iterator(path):
    """Yields the Events of an event file, in order."""
    for data in read_records(path):
        yield event_pb2.Event.FromString(data)

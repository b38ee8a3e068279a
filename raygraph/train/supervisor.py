"""`tf.train.Supervisor`: TF1's older training helper. It builds the default init, ready, local-init and summary
ops and a Saver (all from the graph's collections when present), finalizes the graph, and makes ready sessions
through a SessionManager: the chief restores the latest checkpoint of `logdir` or initializes, writes
`graph.pbtxt` and starts the standard services; other tasks wait for the chief.

Standard services (chief, with a `logdir`), each a LooperThread under the Supervisor's Coordinator: a checkpoint
every `save_model_secs` (`<logdir>/model.ckpt-<step>`), the summary op's value every `save_summaries_secs`, and
the global step's rate (`global_step/sec`) at the same pace, in an events file of `logdir`.
"""
import contextlib
import os
import time

from tensorboard.compat.proto.event_pb2 import SessionLog
from tensorboard.compat.proto.summary_pb2 import Summary

from .. import logging
from ..graph import GraphKeys, get_default_graph
from ..lookup_tables import tables_initializer
from ..ops.control import group
from ..variables import global_variables, global_variables_initializer, local_variables_initializer, \
    report_uninitialized_variables
from . import training_util
from .coordinator import Coordinator, LooperThread
from .meta_graph import create_meta_graph_def, write_graph
from .monitored_session import _merge_all
from .queue_runner import start_queue_runners
from .saver import Saver
from .session_manager import SessionManager


class Supervisor:
    """A chief or worker's session maker with checkpoints, summaries and a Coordinator (see the module)."""

    USE_DEFAULT = 0

    def __init__(self, graph=None, ready_op=USE_DEFAULT, ready_for_local_init_op=USE_DEFAULT, is_chief=True,
                 init_op=USE_DEFAULT, init_feed_dict=None, local_init_op=USE_DEFAULT, logdir=None,
                 summary_op=USE_DEFAULT, saver=USE_DEFAULT, global_step=USE_DEFAULT, save_summaries_secs=120,
                 save_model_secs=600, recovery_wait_secs=30, stop_grace_secs=120, checkpoint_basename="model.ckpt",
                 session_manager=None, summary_writer=USE_DEFAULT, init_fn=None, local_init_run_options=None):
        self._graph = graph = graph or get_default_graph()
        with graph.as_default():
            self._ready_op = self._default(ready_op, GraphKeys.READY_OP, report_uninitialized_variables)
            self._ready_for_local_init_op = self._default(  # TF1 builds none by default
                ready_for_local_init_op, GraphKeys.READY_FOR_LOCAL_INIT_OP, lambda: None)
            self._init_op = self._default(init_op, GraphKeys.INIT_OP, global_variables_initializer)
            self._init_feed_dict, self._init_fn = init_feed_dict, init_fn
            self._local_init_op = self._default(local_init_op, GraphKeys.LOCAL_INIT_OP,
                                                lambda: group(local_variables_initializer(), tables_initializer()))
            self._saver = self._default(saver, GraphKeys.SAVERS, lambda: Saver() if global_variables() else None)
            self._summary_op = self._default(summary_op, GraphKeys.SUMMARY_OP, _merge_all)
            self._global_step = self._default_global_step(global_step)
        self._meta_graph_def = create_meta_graph_def(graph_def=graph.as_graph_def(add_shapes=True),
                                                     saver_def=self._saver.saver_def if self._saver else None)
        self._is_chief = is_chief
        self._recovery_wait_secs, self._stop_grace_secs = recovery_wait_secs, stop_grace_secs
        self._coord = Coordinator()
        self._started_threads = []
        # only a chief writes checkpoints and events
        self._logdir = logdir if is_chief else None
        self._save_summaries_secs = save_summaries_secs if is_chief else None
        self._save_model_secs = save_model_secs if is_chief else None
        self._save_path = os.path.join(logdir, checkpoint_basename) if is_chief and logdir else None
        self._summary_writer = self._default_writer(summary_writer) if is_chief else None
        self._graph_added_to_summary = False
        if not is_chief:
            for op in graph.get_operations():
                if op.type in ("Variable", "VariableV2") and not op.device:
                    raise ValueError(f"When using replicas, all Variables must have their device set: {op.node_def}")
        self._session_manager = session_manager or SessionManager(
            local_init_op=self._local_init_op, ready_op=self._ready_op,
            ready_for_local_init_op=self._ready_for_local_init_op, graph=graph,
            recovery_wait_secs=recovery_wait_secs, local_init_run_options=local_init_run_options)
        graph.finalize()

    def _default(self, value, key, make):
        """`value`, or the first of collection `key`, or `make()` (then added to the collection)."""
        if value is not Supervisor.USE_DEFAULT:
            return value
        found = self._graph.get_collection(key)
        if found:
            return found[0]
        made = make()
        if made is not None:
            self._graph.add_to_collection(key, made)
        return made

    def _default_global_step(self, global_step):
        if global_step is not Supervisor.USE_DEFAULT:
            return global_step
        found = self._graph.get_collection(GraphKeys.GLOBAL_STEP)
        if found:
            return found[0]
        try:
            return self._graph.get_tensor_by_name("global_step:0")
        except KeyError:
            return None

    def _default_writer(self, writer):
        if writer is not Supervisor.USE_DEFAULT:
            return writer
        if not self._logdir:
            return None
        from ..summary.writer import FileWriter  # noqa: PLC0415 - summary.writer imports train (meta graphs)
        return FileWriter(self._logdir)

    # ----- properties ------------------------------------------------------------------------------------------
    is_chief = property(lambda self: self._is_chief)
    session_manager = property(lambda self: self._session_manager)
    coord = property(lambda self: self._coord)
    init_op = property(lambda self: self._init_op)
    init_feed_dict = property(lambda self: self._init_feed_dict)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    summary_writer = property(lambda self: self._summary_writer)
    summary_op = property(lambda self: self._summary_op)
    save_summaries_secs = property(lambda self: self._save_summaries_secs)
    global_step = property(lambda self: self._global_step)
    saver = property(lambda self: self._saver)
    save_model_secs = property(lambda self: self._save_model_secs)
    save_path = property(lambda self: self._save_path)

    # ----- sessions ----------------------------------------------------------------------------------------------
    def prepare_or_wait_for_session(self, master="", config=None, wait_for_checkpoint=False, max_wait_secs=7200,
                                    start_standard_services=True):
        """The chief restores or initializes the model (and starts the services); a worker waits for it."""
        self._coord.clear_stop()
        if self._summary_writer is not None and hasattr(self._summary_writer, "reopen"):
            self._summary_writer.reopen()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master, init_op=self._init_op, saver=self._saver, checkpoint_dir=self._logdir,
                wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs, config=config,
                init_feed_dict=self._init_feed_dict, init_fn=self._init_fn)
            self._write_graph()
            if start_standard_services:
                logging.info("Starting standard services.")
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(master, config=config, max_wait_secs=max_wait_secs)
        if start_standard_services:
            logging.info("Starting queue runners.")
            self.start_queue_runners(sess)
        return sess

    @contextlib.contextmanager
    def managed_session(self, master="", config=None, start_standard_services=True, close_summary_writer=True):
        """A ready session whose services stop, and which closes, when the block ends; an exception raised in the
        block stops the services and is re-raised (OutOfRangeError counts as a clean stop)."""
        try:
            sess = self.prepare_or_wait_for_session(master=master, config=config,
                                                    start_standard_services=start_standard_services)
            yield sess
        except Exception as e:  # noqa: BLE001 - handed to the coordinator, which re-raises it in stop()
            self.request_stop(e)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                try:
                    sess.close()
                except Exception:  # noqa: BLE001 - TF ignores errors closing the session here
                    pass

    def start_standard_services(self, sess):
        """Starts the checkpoint, summary and step-rate threads (chief only; needs a logdir)."""
        if not self._is_chief:
            raise RuntimeError("Only chief supervisor can start standard services. Because only chief supervisors "
                               "can write events.")
        if not self._logdir:
            logging.warning("Standard services need a 'logdir' passed to the SessionManager")
            return []
        if self._global_step is not None and self._summary_writer:
            step = training_util.global_step(sess, self._global_step)
            self._summary_writer.add_session_log(SessionLog(status=SessionLog.START), step)
        threads = []
        if self._save_summaries_secs and self._summary_writer:
            if self._summary_op is not None:
                threads.append(LooperThread(self._coord, self._save_summaries_secs, self._summaries, (sess,)))
            if self._global_step is not None:
                threads.append(_StepCounterThread(self, sess))
        if self._saver and self._save_model_secs:
            threads.append(LooperThread(self._coord, self._save_model_secs, self._checkpoint, (sess,)))
        for t in threads:
            t.start()
        self._started_threads.extend(threads)
        return threads

    def start_queue_runners(self, sess, queue_runners=None):
        """Starts the graph's queue runners under the Supervisor's Coordinator."""
        threads = start_queue_runners(sess, coord=self._coord, collection=GraphKeys.QUEUE_RUNNERS) \
            if queue_runners is None else [t for qr in queue_runners
                                           for t in qr.create_threads(sess, coord=self._coord, daemon=True,
                                                                      start=True)]
        self._started_threads.extend(threads)
        return threads

    def loop(self, timer_interval_secs, target, args=None, kwargs=None):
        """Runs `target(*args, **kwargs)` every `timer_interval_secs` in a thread until the Supervisor stops."""
        looper = LooperThread(self._coord, timer_interval_secs, target=target, args=args, kwargs=kwargs)
        looper.start()
        self._started_threads.append(looper)
        return looper

    # ----- stopping ----------------------------------------------------------------------------------------------
    def should_stop(self):
        return self._coord.should_stop()

    def request_stop(self, ex=None):
        self._coord.request_stop(ex=ex)

    def stop_on_exception(self):
        return self._coord.stop_on_exception()

    def wait_for_stop(self):
        self._coord.wait_for_stop()

    def stop(self, threads=None, close_summary_writer=True, ignore_live_threads=False):
        """Stops and joins the services (and `threads`); re-raises an exception passed to `request_stop`."""
        self._coord.request_stop()
        try:
            self._coord.join(self._started_threads + list(threads or []), stop_grace_period_secs=self._stop_grace_secs,
                             ignore_live_threads=ignore_live_threads)
        finally:
            if close_summary_writer and self._summary_writer is not None:
                self._summary_writer.add_session_log(SessionLog(status=SessionLog.STOP))
                self._summary_writer.close()
                self._graph_added_to_summary = False
            self._started_threads = []

    # ----- what the services do -------------------------------------------------------------------------------------
    def summary_computed(self, sess, summary, global_step=None):
        """Writes a summary computed by the caller (at the global step's value by default)."""
        if not self._summary_writer:
            raise RuntimeError("Writing a summary requires a summary writer.")
        if global_step is None and self._global_step is not None:
            global_step = training_util.global_step(sess, self._global_step)
        self._summary_writer.add_summary(summary, global_step)

    def _summaries(self, sess):
        if self._global_step is not None:
            summary, step = sess.run([self._summary_op, self._global_step])
        else:
            summary, step = sess.run(self._summary_op), None
        self._summary_writer.add_summary(summary, step)

    def _checkpoint(self, sess):
        logging.info(f"Saving checkpoint to path {self._save_path}")
        self._saver.save(sess, self._save_path, global_step=self._global_step)
        if self._summary_writer and self._global_step is not None:
            step = training_util.global_step(sess, self._global_step)
            self._summary_writer.add_session_log(
                SessionLog(status=SessionLog.CHECKPOINT, checkpoint_path=self._save_path), step)

    def _write_graph(self):
        if self._logdir:
            write_graph(self._graph.as_graph_def(add_shapes=True), self._logdir, "graph.pbtxt")
        if self._summary_writer and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            self._summary_writer.add_meta_graph(self._meta_graph_def)
            self._graph_added_to_summary = True


class _StepCounterThread(LooperThread):
    """Writes the global step's rate (`<global step>/sec`) every `save_summaries_secs`."""

    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv, self._sess = sv, sess
        self._last_time = self._last_step = 0
        self._tag = f"{sv.global_step.op.name}/sec"

    def start_loop(self):
        self._last_time = time.time()
        self._last_step = training_util.global_step(self._sess, self._sv.global_step)

    def run_loop(self):
        step = training_util.global_step(self._sess, self._sv.global_step)
        now = time.time()
        elapsed = now - self._last_time
        rate = (step - self._last_step) / elapsed if elapsed > 0 else float("inf")
        self._last_time, self._last_step = now, step
        self._sv.summary_writer.add_summary(Summary(value=[Summary.Value(tag=self._tag, simple_value=rate)]), step)

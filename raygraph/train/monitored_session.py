"""`MonitoredSession` and `MonitoredTrainingSession`: a session that initializes or restores the model, starts
the queue runners, calls hooks around each `run`, and recovers as TF1 does.

Recovery: when a `run` raises AbortedError or UnavailableError (on raygraph, a lost device actor or node), the
session is closed and a new one made by the session creator, which restores the latest checkpoint of
`checkpoint_dir` (or initializes); the `run` is then retried. Hooks' `after_create_session` run again.
"""
import time

from .. import errors, logging
from ..default_graph import name_scope
from ..graph import GraphKeys, get_default_graph
from ..lookup_tables import tables_initializer
from ..ops.control import group, no_op
from ..ops.registry import apply_op
from ..session import RunMetadata, Session
from ..variables import global_variables_initializer, local_variables_initializer, report_uninitialized_variables
from . import basic_session_run_hooks as hooks_lib
from .checkpoint_management import latest_checkpoint
from .coordinator import Coordinator
from .queue_runner import start_queue_runners
from .saver import Saver

USE_DEFAULT = object()
_RECOVERABLE = (errors.AbortedError, errors.UnavailableError)


class Scaffold:
    """The ops and saver a MonitoredSession needs to make a session ready; defaults built by `finalize`."""

    def __init__(self, init_op=None, init_feed_dict=None, init_fn=None, ready_op=None, ready_for_local_init_op=None,
                 local_init_op=None, summary_op=None, saver=None, copy_from_scaffold=None,
                 local_init_feed_dict=None):
        if copy_from_scaffold is not None:
            init_op = init_op or copy_from_scaffold.init_op
            init_feed_dict = init_feed_dict or copy_from_scaffold.init_feed_dict
            init_fn = init_fn or copy_from_scaffold._user_init_fn
            ready_op = ready_op or copy_from_scaffold.ready_op
            local_init_op = local_init_op or copy_from_scaffold.local_init_op
            summary_op = summary_op or copy_from_scaffold.summary_op
            saver = saver or copy_from_scaffold.saver
        self._init_op, self._init_feed_dict, self._user_init_fn = init_op, init_feed_dict, init_fn
        self._init_fn = (lambda sess: init_fn(self, sess)) if init_fn else None
        self._ready_op, self._ready_for_local_init_op = ready_op, ready_for_local_init_op
        self._local_init_op, self._local_init_feed_dict = local_init_op, local_init_feed_dict
        self._summary_op, self._saver = summary_op, saver

    init_op = property(lambda self: self._init_op)
    init_feed_dict = property(lambda self: self._init_feed_dict)
    init_fn = property(lambda self: self._init_fn)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    local_init_op = property(lambda self: self._local_init_op)
    local_init_feed_dict = property(lambda self: self._local_init_feed_dict)
    summary_op = property(lambda self: self._summary_op)
    saver = property(lambda self: self._saver)

    def finalize(self):
        """Creates the missing ops (from the graph's collections, else TF's defaults) and finalizes the graph."""
        g = get_default_graph()
        if self._init_op is None:
            self._init_op = Scaffold.get_or_default("init_op", GraphKeys.INIT_OP, global_variables_initializer)
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default("ready_op", GraphKeys.READY_OP, report_uninitialized_variables)
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default("local_init_op", GraphKeys.LOCAL_INIT_OP,
                                                          Scaffold.default_local_init_op)
        if self._summary_op is None:
            self._summary_op = Scaffold.get_or_default("summary_op", GraphKeys.SUMMARY_OP, _merge_all)
        if self._saver is None:
            self._saver = Scaffold.get_or_default("saver", GraphKeys.SAVERS,
                                                  lambda: Saver(sharded=True, allow_empty=True))
        g.finalize()
        logging.info("Graph was finalized.")
        return self

    @staticmethod
    def get_or_default(arg_name, collection_key, default_constructor):
        """The single element of `collection_key`, else `default_constructor()` (added to the collection)."""
        elements = get_default_graph().get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                raise RuntimeError(f"More than one item in the collection \"{collection_key}\". Please indicate "
                                   f"which one to use by passing it to the tf.Scaffold constructor as: "
                                   f"tf.Scaffold({arg_name}=item to use)")
            return elements[0]
        op = default_constructor()
        if op is not None:
            get_default_graph().add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op():
        # TF's: local variables, tables, and the local resources (none in raygraph: TF's NoOp `init`)
        return group(local_variables_initializer(), tables_initializer(), no_op(name="init"))


def _merge_all():
    summaries = get_default_graph().get_collection(GraphKeys.SUMMARIES)
    if not summaries:
        return None
    with name_scope(None, "Merge", summaries):  # tf.summary.merge_all's op: Merge/MergeSummary
        return apply_op("MergeSummary", [summaries], {"N": len(summaries)})


# ----- session creators --------------------------------------------------------------------------------------
class SessionCreator:
    """Makes a ready session (the base of ChiefSessionCreator and WorkerSessionCreator)."""

    def create_session(self):
        raise NotImplementedError("create_session is not implemented for {self}.")


class ChiefSessionCreator(SessionCreator):
    """Restores the latest checkpoint of `checkpoint_dir` (or a given one), else runs the init ops."""

    def __init__(self, scaffold=None, master="", config=None, checkpoint_dir=None,
                 checkpoint_filename_with_path=None):
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path
        self._scaffold = scaffold or Scaffold()
        self._master, self._config = master, config

    def create_session(self):
        self._scaffold.finalize()
        sess = Session(self._master, graph=get_default_graph(), config=self._config)
        try:
            path = self._checkpoint_filename_with_path or (
                latest_checkpoint(self._checkpoint_dir) if self._checkpoint_dir else None)
            s = self._scaffold
            if path:
                s.saver.restore(sess, path)
            else:
                if s.init_op is not None:
                    sess.run(s.init_op, feed_dict=s.init_feed_dict)
                if s.init_fn:
                    s.init_fn(sess)
            if s.local_init_op is not None:
                logging.info("Running local_init_op.")
                sess.run(s.local_init_op, feed_dict=s.local_init_feed_dict)
                logging.info("Done running local_init_op.")
            _check_ready(sess, s.ready_op)
        except BaseException:
            sess.close()
            raise
        return sess


class WorkerSessionCreator(SessionCreator):
    """Waits (up to `max_wait_secs`) until the chief has initialized the model, then runs the local init."""

    def __init__(self, scaffold=None, master="", config=None, max_wait_secs=30 * 60):
        self._scaffold = scaffold or Scaffold()
        self._master, self._config, self._max_wait_secs = master, config, max_wait_secs

    def create_session(self):
        self._scaffold.finalize()
        deadline = time.monotonic() + self._max_wait_secs
        while True:
            sess = Session(self._master, graph=get_default_graph(), config=self._config)
            try:
                if self._scaffold.local_init_op is not None:
                    sess.run(self._scaffold.local_init_op)
                _check_ready(sess, self._scaffold.ready_op)
                return sess
            except (errors.FailedPreconditionError, RuntimeError):
                sess.close()
                if time.monotonic() > deadline:
                    raise errors.DeadlineExceededError(None, None, "Session was not ready after waiting "
                                                       f"{self._max_wait_secs} secs.") from None
                time.sleep(1.0)


def _check_ready(sess, ready_op):
    if ready_op is None:
        return
    missing = sess.run(ready_op)
    if len(missing):
        raise RuntimeError("Init operations did not make model ready. Uninitialized variables: "
                           + ", ".join(m.decode() if isinstance(m, bytes) else str(m) for m in missing))


# ----- the monitored session ----------------------------------------------------------------------------------
class _MonitoredSession:
    """Hooks around `run`, queue runners under a Coordinator, recovery from lost devices (see the module)."""

    def __init__(self, session_creator, hooks, should_recover, stop_grace_period_secs=120):
        self._graph_was_finalized = get_default_graph().finalized
        self._hooks = list(hooks or [])
        for h in self._hooks:
            h.begin()
        self._creator = session_creator or ChiefSessionCreator()
        self._should_recover = should_recover
        self._stop_grace_period_secs = stop_grace_period_secs
        self._stop_requested = False
        self._sess = None
        self._create()

    graph = property(lambda self: get_default_graph())

    def _create(self):
        self._sess = self._creator.create_session()
        self._coord = Coordinator()
        self._threads = start_queue_runners(sess=self._sess, coord=self._coord)
        for h in self._hooks:
            h.after_create_session(self._sess, self._coord)

    def _close_internal(self, exception_type=None):
        try:
            if not exception_type and self._sess is not None:
                for h in self._hooks:
                    h.end(self._sess)
        finally:
            try:
                self._coord.request_stop()
                self._coord.join(self._threads, stop_grace_period_secs=self._stop_grace_period_secs,
                                 ignore_live_threads=True)
            except Exception:  # noqa: BLE001 - an input thread's error must not hide the closing
                pass
            finally:
                if self._sess is not None:
                    self._sess.close()
                self._sess = None
                if not self._graph_was_finalized:
                    get_default_graph()._finalized = False  # TF's _unsafe_unfinalize

    def _recover(self):
        logging.info("An error was raised. This may be due to a preemption in a connected worker or parameter "
                     "server. The current session will be closed and a new session will be created.")
        try:
            self._coord.request_stop()
            self._coord.join(self._threads, stop_grace_period_secs=5, ignore_live_threads=True)
        except Exception:  # noqa: BLE001
            pass
        try:
            self._sess.close()
        except Exception:  # noqa: BLE001 - the lost device may fail its release
            pass
        self._sess = None
        self._create()

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs `fetches` with every hook's additions; retried on a new session after a recoverable error."""
        while True:
            try:
                return self._run_once(fetches, feed_dict, options, run_metadata)
            except _RECOVERABLE:
                if not self._should_recover:
                    raise
                self._recover()

    def _run_once(self, fetches, feed_dict, options, run_metadata):
        context = hooks_lib.SessionRunContext(
            original_args=hooks_lib.SessionRunArgs(fetches, feed_dict), session=self._sess)
        feeds = dict(feed_dict or {})
        hook_fetches, opts = {}, None
        for h in self._hooks:
            request = h.before_run(context)
            if request is None:
                continue
            if request.fetches is not None:
                hook_fetches[h] = request.fetches
            if request.feed_dict:
                overlap = set(feeds) & set(request.feed_dict)
                if overlap:
                    raise RuntimeError(f"Same tensor is fed by a SessionRunHook and user. Conflict(s): "
                                       f"{sorted(str(k) for k in overlap)}")
                feeds.update(request.feed_dict)
            if request.options is not None:
                opts = _merge_options(opts, request.options)
        if options is not None:
            opts = _merge_options(opts, options)
        metadata = run_metadata
        if opts is not None and metadata is None:
            metadata = RunMetadata()
        outputs = self._sess.run({"caller": fetches, "hooks": hook_fetches}, feed_dict=feeds or None,
                                 options=opts, run_metadata=metadata)
        for h in self._hooks:
            h.after_run(context, hooks_lib.SessionRunValues(results=outputs["hooks"].get(h), options=opts,
                                                            run_metadata=metadata))
        self._stop_requested = self._stop_requested or context.stop_requested
        return outputs["caller"]

    def should_stop(self):
        return self._stop_requested or self._sess is None or self._coord.should_stop()

    def close(self):
        if self._sess is not None or self._threads:
            self._close_internal()

    def _tf_sess(self):
        return self._sess

    def __enter__(self):
        return self

    def __exit__(self, exception_type, exception_value, traceback):
        if exception_type in (errors.OutOfRangeError, StopIteration):
            exception_type = None
        if self._sess is not None:
            self._close_internal(exception_type)
        return exception_type is None  # the end of the input ends the loop quietly


def _merge_options(a, b):
    if a is None:
        return b
    out = type(a)()
    out.CopyFrom(a)
    out.trace_level = max(a.trace_level, b.trace_level)
    out.timeout_in_ms = max(a.timeout_in_ms, b.timeout_in_ms)
    return out


class MonitoredSession(_MonitoredSession):
    """A session with hooks, queue runners and recovery (a new session restored from the last checkpoint
    after AbortedError or UnavailableError)."""

    def __init__(self, session_creator=None, hooks=None, stop_grace_period_secs=120):
        super().__init__(session_creator, hooks, should_recover=True, stop_grace_period_secs=stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """A MonitoredSession for one process (no recovery) whose `raw_session()` is the underlying Session."""

    def __init__(self, hooks=None, scaffold=None, master="", config=None, checkpoint_dir=None,
                 stop_grace_period_secs=120, checkpoint_filename_with_path=None):
        creator = ChiefSessionCreator(scaffold=scaffold, master=master, config=config, checkpoint_dir=checkpoint_dir,
                                      checkpoint_filename_with_path=checkpoint_filename_with_path)
        super().__init__(creator, hooks, should_recover=False, stop_grace_period_secs=stop_grace_period_secs)

    def raw_session(self):
        return self._tf_sess()


def MonitoredTrainingSession(master="", is_chief=True, checkpoint_dir=None, scaffold=None, hooks=None,  # noqa: N802
                             chief_only_hooks=None, save_checkpoint_secs=USE_DEFAULT,
                             save_summaries_steps=USE_DEFAULT, save_summaries_secs=USE_DEFAULT, config=None,
                             stop_grace_period_secs=120, log_step_count_steps=100, max_wait_secs=7200,
                             save_checkpoint_steps=USE_DEFAULT, summary_dir=None, save_graph_def=True):
    """TF1's training session: a MonitoredSession with a chief's checkpoint, summary and step-rate hooks."""
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    scaffold = scaffold or Scaffold()
    all_hooks = list(hooks or [])
    if not is_chief:
        creator = WorkerSessionCreator(scaffold=scaffold, master=master, config=config,
                                       max_wait_secs=max_wait_secs)
        return MonitoredSession(session_creator=creator, hooks=all_hooks,
                                stop_grace_period_secs=stop_grace_period_secs)
    all_hooks.extend(chief_only_hooks or [])
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_dir=checkpoint_dir, master=master, config=config)
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(hooks_lib.StepCounterHook(output_dir=summary_dir, every_n_steps=log_step_count_steps))
        if (save_summaries_steps and save_summaries_steps > 0) or (save_summaries_secs and save_summaries_secs > 0):
            all_hooks.append(hooks_lib.SummarySaverHook(scaffold=scaffold, save_steps=save_summaries_steps,
                                                        save_secs=save_summaries_secs, output_dir=summary_dir))
    if checkpoint_dir and ((save_checkpoint_secs and save_checkpoint_secs > 0) or
                           (save_checkpoint_steps and save_checkpoint_steps > 0)):
        all_hooks.append(hooks_lib.CheckpointSaverHook(checkpoint_dir, save_steps=save_checkpoint_steps,
                                                       save_secs=save_checkpoint_secs, scaffold=scaffold,
                                                       save_graph_def=save_graph_def))
    return MonitoredSession(session_creator=creator, hooks=all_hooks, stop_grace_period_secs=stop_grace_period_secs)


"""`tf.train.SessionManager`: makes a session whose model is ready, by restoring a checkpoint, running init ops, or
waiting for another process (the chief) to do so.

Ready means `ready_op` (by default, the uninitialized variables' names) reports nothing; the local init op runs
once `ready_for_local_init_op` reports nothing (TF1's order: restore or init, local init, then the ready check).
"""
import math
import time

from .. import errors, logging
from ..graph import get_default_graph
from ..session import Session
from .checkpoint_management import get_checkpoint_state


def _names(values):
    return ", ".join(v.decode() if isinstance(v, bytes) else str(v) for v in values)


def _ready(op, sess, what):
    """(True, None) if `op` reports no uninitialized variables, else (False, a message)."""
    if op is None:
        return True, None
    try:
        missing = sess.run(op)
    except errors.FailedPreconditionError as e:
        if "uninitialized" not in str(e):
            raise
        return False, str(e)
    if missing is None or len(missing) == 0:
        return True, None
    return False, f"Variables not initialized: {_names(missing)}"


class SessionManager:
    """Creates ready sessions (`prepare_session` for a chief, `wait_for_session` and `recover_session` for
    workers)."""

    def __init__(self, local_init_op=None, ready_op=None, ready_for_local_init_op=None, graph=None,
                 recovery_wait_secs=30, local_init_run_options=None, local_init_feed_dict=None):
        if ready_for_local_init_op is not None and local_init_op is None:
            raise ValueError(f"If you pass a ready_for_local_init_op you must also pass a local_init_op , "
                             f"ready_for_local_init_op [{ready_for_local_init_op}]")
        self._local_init_op, self._ready_op = local_init_op, ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._graph = graph or get_default_graph()
        self._recovery_wait_secs = recovery_wait_secs
        self._local_init_run_options, self._local_init_feed_dict = local_init_run_options, local_init_feed_dict

    # ----- checks ------------------------------------------------------------------------------------------
    def _model_ready(self, sess):
        return _ready(self._ready_op, sess, "Model not ready")

    def _try_run_local_init_op(self, sess):
        if self._local_init_op is None:
            return True, None
        ready, msg = _ready(self._ready_for_local_init_op, sess, "Model not ready for local init")
        if not ready:
            return False, msg
        logging.info("Running local_init_op.")
        sess.run(self._local_init_op, feed_dict=self._local_init_feed_dict, options=self._local_init_run_options)
        logging.info("Done running local_init_op.")
        return True, None

    def _restore_checkpoint(self, master, saver=None, checkpoint_dir=None, checkpoint_filename_with_path=None,
                            wait_for_checkpoint=False, max_wait_secs=7200, config=None):
        """(a new session, whether a checkpoint was restored into it)."""
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("Can not provide both checkpoint_dir and checkpoint_filename_with_path.")
        sess = Session(master, graph=self._graph, config=config)
        if not saver or not (checkpoint_dir or checkpoint_filename_with_path):
            return sess, False
        if checkpoint_filename_with_path:
            saver.restore(sess, checkpoint_filename_with_path)
            return sess, True
        waited = 0
        ckpt = get_checkpoint_state(checkpoint_dir)
        while not ckpt or not ckpt.model_checkpoint_path:
            if not wait_for_checkpoint or waited >= max_wait_secs:
                return sess, False
            logging.info("Waiting for checkpoint to be available.")
            time.sleep(self._recovery_wait_secs)
            waited += self._recovery_wait_secs
            ckpt = get_checkpoint_state(checkpoint_dir)
        saver.restore(sess, ckpt.model_checkpoint_path)
        saver.recover_last_checkpoints(list(ckpt.all_model_checkpoint_paths))
        return sess, True

    # ----- the three ways to a session -------------------------------------------------------------------------
    def prepare_session(self, master, init_op=None, saver=None, checkpoint_dir=None,
                        checkpoint_filename_with_path=None, wait_for_checkpoint=False, max_wait_secs=7200,
                        config=None, init_feed_dict=None, init_fn=None):
        """A session with the model restored from a checkpoint if there is one, else initialized."""
        sess, loaded = self._restore_checkpoint(master, saver, checkpoint_dir, checkpoint_filename_with_path,
                                                wait_for_checkpoint, max_wait_secs, config)
        if not loaded:
            if init_op is None and not init_fn and self._local_init_op is None:
                raise RuntimeError("Model is not initialized and no init_op or init_fn or local_init_op was given")
            if init_op is not None:
                sess.run(init_op, feed_dict=init_feed_dict)
            if init_fn:
                init_fn(sess)
        ok, msg = self._try_run_local_init_op(sess)
        if not ok:
            raise RuntimeError(f"Init operations did not make model ready for local_init.  Init op: "
                               f"{_op_name(init_op)}, init fn: {init_fn}, error: {msg}")
        ready, msg = self._model_ready(sess)
        if not ready:
            raise RuntimeError(f"Init operations did not make model ready.  Init op: {_op_name(init_op)}, init fn: "
                               f"{init_fn}, local_init_op: {self._local_init_op}, error: {msg}")
        return sess

    def recover_session(self, master, saver=None, checkpoint_dir=None, checkpoint_filename_with_path=None,
                        wait_for_checkpoint=False, max_wait_secs=7200, config=None):
        """(session, whether it is ready): restores a checkpoint if there is one; never initializes."""
        sess, loaded = self._restore_checkpoint(master, saver, checkpoint_dir, checkpoint_filename_with_path,
                                                wait_for_checkpoint, max_wait_secs, config)
        ok, _ = self._try_run_local_init_op(sess)
        if not loaded or not ok:
            return sess, False
        ready, msg = self._model_ready(sess)
        if not ready:
            logging.info(f"Restoring model from {checkpoint_dir or checkpoint_filename_with_path} did not make "
                         f"model ready for local init: {msg}")
            return sess, False
        return sess, True

    def wait_for_session(self, master, config=None, max_wait_secs=math.inf):
        """A session once another process (the chief) has made the model ready; DeadlineExceededError after
        `max_wait_secs`."""
        start = time.monotonic()
        while True:
            sess = Session(master, graph=self._graph, config=config)
            ok, local_msg = self._try_run_local_init_op(sess)
            msg = None
            if ok:
                ready, msg = self._model_ready(sess)
                if ready:
                    return sess
            sess.close()
            remaining = max_wait_secs - (time.monotonic() - start)
            if remaining < self._recovery_wait_secs:
                raise errors.DeadlineExceededError(None, None, f"Session was not ready after waiting "
                                                   f"{max_wait_secs} secs.")
            logging.info(f"Waiting for model to be ready.  Ready_for_local_init_op:  {local_msg}, ready: {msg}")
            time.sleep(self._recovery_wait_secs)


def _op_name(op):
    return None if op is None else op.name

"""tf.train.Supervisor and tf.train.SessionManager as TF1 runs them: default ops and collections, the graph
finalized, managed_session's training loop, checkpoints and summaries written under logdir by the standard
services, restoring on the next run, exceptions through the coordinator, workers waiting, errors."""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _model(tf):
    step = tf.train.get_or_create_global_step()
    w = tf.Variable([1.0, -2.0], name="w")
    loss = tf.reduce_sum(tf.square(w - [0.5, 0.5]), name="loss")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return step, w, loss, train


def _files(logdir):
    names = sorted(os.listdir(logdir))
    return [n for n in names if not n.startswith("events.")] + [f"events: {sum(n.startswith('events.') for n in names)}"]


def _tags(tf, logdir):
    tags = set()
    for name in os.listdir(logdir):
        if name.startswith("events."):
            for event in tf.train.summary_iterator(os.path.join(logdir, name)):
                tags.update(v.tag for v in event.summary.value)
                if event.HasField("session_log"):
                    tags.add(f"session_log:{event.session_log.status}")
                if event.graph_def:
                    tags.add("graph_def")
                if event.meta_graph_def:
                    tags.add("meta_graph_def")
    return sorted(tags)


def case_defaults_and_collections(tf):
    step, w, loss, train = _model(tf)
    tf.summary.scalar("loss", loss)
    sv = tf.train.Supervisor()
    g = tf.get_default_graph()
    keys = [tf.GraphKeys.INIT_OP, tf.GraphKeys.LOCAL_INIT_OP, tf.GraphKeys.SUMMARY_OP,
            tf.GraphKeys.GLOBAL_STEP, tf.GraphKeys.READY_FOR_LOCAL_INIT_OP]
    return {"finalized": g.finalized, "is_chief": sv.is_chief, "ready_for_local_init": sv.ready_for_local_init_op,
            "collections": {k: [getattr(x, "name", type(x).__name__) for x in g.get_collection(k)] for k in keys},
            "savers": len(g.get_collection(tf.GraphKeys.SAVERS)), "global_step": sv.global_step.name,
            "ops": [sv.init_op.name, sv.init_op.type, sv.summary_op.name],
            "ready_op": sv.ready_op is g.get_collection(tf.GraphKeys.READY_OP)[0],
            "save_path": sv.save_path, "writer": sv.summary_writer is None, "add_op": raises(lambda: tf.constant(1))}


def case_managed_session_trains_and_restores(tf):
    logdir = tempfile.mkdtemp()
    step, w, loss, train = _model(tf)
    sv = tf.train.Supervisor(logdir=logdir, save_model_secs=0, save_summaries_secs=0)
    with sv.managed_session() as sess:
        for _ in range(5):
            if sv.should_stop():
                break
            sess.run(train)
        sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
        first = sess.run([step, w])
    files = _files(logdir)
    tags = _tags(tf, logdir)
    tf.reset_default_graph()
    step, w, loss, train = _model(tf)
    sv = tf.train.Supervisor(logdir=logdir, save_model_secs=0, save_summaries_secs=0)
    with sv.managed_session() as sess:
        second = sess.run([step, w])
        sess.run(train)
        third = sess.run(step)
    return {"first": first, "second": second, "third": third, "files": files, "tags": tags,
            "stopped": sv.should_stop()}


def case_standard_services_write(tf):
    logdir = tempfile.mkdtemp()
    step, w, loss, train = _model(tf)
    tf.summary.scalar("loss", loss)
    sv = tf.train.Supervisor(logdir=logdir, save_model_secs=1, save_summaries_secs=1)
    with sv.managed_session() as sess:
        deadline = time.time() + 2.6
        while time.time() < deadline:
            sess.run(train)
            time.sleep(0.01)
    ckpt = tf.train.get_checkpoint_state(logdir)
    return {"checkpoint": ckpt is not None and os.path.basename(ckpt.model_checkpoint_path).startswith("model.ckpt-"),
            "tags": [t for t in _tags(tf, logdir) if t != "session_log:3"], "graph": "graph.pbtxt" in os.listdir(logdir)}


def case_exceptions_through_the_coordinator(tf):
    _model(tf)
    sv = tf.train.Supervisor()
    out = []

    def body(exc):
        with sv.managed_session() as sess:
            raise exc
    out.append(raises(lambda: body(ValueError("boom"))))
    out.append(raises(lambda: body(tf.errors.OutOfRangeError(None, None, "done"))))
    out.append(sv.should_stop())
    with sv.managed_session() as sess:
        out.append(sv.should_stop())
        sv.request_stop()
        out.append(sv.should_stop())
    return out


def case_loop_thread(tf):
    step, w, loss, train = _model(tf)
    sv = tf.train.Supervisor(save_model_secs=0)
    calls = []
    with sv.managed_session() as sess:
        sv.loop(0.05, lambda: calls.append(1))
        time.sleep(0.5)
        sv.request_stop()
    return [len(calls) > 2, sv.should_stop()]


def case_worker_and_errors(tf):
    with tf.device("/cpu:0"):
        _model(tf)
    sv = tf.train.Supervisor(is_chief=False, recovery_wait_secs=1, logdir=tempfile.mkdtemp())
    return [raises(lambda: sv.prepare_or_wait_for_session(max_wait_secs=0)),
            raises(lambda: sv.start_standard_services(None)), sv.save_path, sv.summary_writer is None]


def case_session_manager(tf):
    step, w, loss, train = _model(tf)
    ready = tf.report_uninitialized_variables()
    init = tf.global_variables_initializer()
    sm = tf.train.SessionManager(ready_op=ready, recovery_wait_secs=1)
    out = [raises(lambda: tf.train.SessionManager(ready_for_local_init_op=ready))]
    out.append(raises(lambda: sm.prepare_session("")))
    sess = sm.prepare_session("", init_op=init)
    out.append(sess.run(w))
    sess.close()
    sess, initialized = sm.recover_session("", saver=tf.train.Saver(), checkpoint_dir=tempfile.mkdtemp())
    out.append(initialized)
    sess.close()
    out.append(raises(lambda: sm.wait_for_session("", max_wait_secs=0)))
    out.append(raises(lambda: tf.train.SessionManager(ready_op=ready).prepare_session(
        "", init_op=tf.no_op())))
    return out


def case_worker_needs_placed_variables(tf):
    _model(tf)
    return raises(lambda: tf.train.Supervisor(is_chief=False))

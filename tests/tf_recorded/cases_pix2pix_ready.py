"""Recorded case from affinelayer/pix2pix-tensorflow: tf.train.Supervisor's ready_op, report_uninitialized_variables,
built as TF builds it (LogicalNot and boolean_mask), so that the meta graphs it saves load in TensorFlow."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe  # noqa: E402


def case_report_uninitialized_variables_graph(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(3, name="w")
    r = tf.report_uninitialized_variables()
    e = tf.report_uninitialized_variables([])
    with tf.Session() as s:
        before = s.run(r)
        s.run(v.initializer)
        mid = s.run(r)
        s.run(w.initializer)
        after = s.run(r)
    return [describe(tf), r.name, r.dtype.name, str(r.shape), e.name, list(before), list(mid), list(after)]


def _table(tf):
    init = tf.lookup.KeyValueTensorInitializer(tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64))
    return tf.lookup.StaticHashTable(init, -1).lookup(tf.constant(["b", "z"]))


def case_supervisor_default_local_init_op_initializes_tables(tf):
    out = _table(tf)
    tf.Variable(1.0, name="v")
    sv = tf.train.Supervisor(logdir=None, save_summaries_secs=0, saver=None)
    local_init = tf.get_collection(tf.GraphKeys.LOCAL_INIT_OP)[0]
    with sv.managed_session() as sess:
        got = sess.run(out)
    return [local_init.name, sorted(i.name for i in local_init.control_inputs), got]


def case_monitored_session_default_local_init_op_initializes_tables(tf):
    out = _table(tf)
    tf.train.get_or_create_global_step()
    with tf.train.MonitoredTrainingSession() as sess:
        got = sess.run(out)
    local_init = tf.get_collection(tf.GraphKeys.LOCAL_INIT_OP)[0]
    return [sorted(i.type for i in local_init.control_inputs), got]

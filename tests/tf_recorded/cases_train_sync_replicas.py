"""tf.train.SyncReplicasOptimizer and the conditional accumulators as TF1 builds and runs them in one client: op
names, local variables, the chief's queue runner and init ops, training through MonitoredSession with the hook
(replicas_to_aggregate=1), two workers' gradients averaged (replicas_to_aggregate=2), stale gradients dropped."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _model(tf, sparse=False):
    step = tf.train.get_or_create_global_step()
    w = tf.Variable([[1.0, -2.0], [0.5, 0.25], [3.0, 1.0]], name="w")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    rows = tf.gather(w, [0, 2]) if sparse else w[:2]
    loss = tf.reduce_sum(tf.square(tf.matmul(x, rows, transpose_b=True) - 1.0))
    return step, w, x, loss


def case_build(tf):
    step, w, x, loss = _model(tf)
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), replicas_to_aggregate=2,
                                         total_num_replicas=3)
    n0 = len(tf.get_default_graph().get_operations())
    train = opt.minimize(loss, global_step=step)
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()[n0:]
           if not o.name.startswith(("gradients", "report_uninitialized_variables"))]  # (built otherwise here)
    init_tokens = opt.get_init_tokens_op()
    return {"train": [train.name, train.op.type], "ops": ops, "local": [v.name for v in tf.local_variables()],
            "chief_init": [opt.chief_init_op.name, sorted(i.name for i in opt.chief_init_op.control_inputs)],
            "local_init": opt.local_step_init_op.name, "tokens": init_tokens.name,
            "runner": [opt.get_chief_queue_runner().queue.name,
                       [o.name for o in opt.get_chief_queue_runner().enqueue_ops]],
            "errors": [raises(lambda: opt.get_init_tokens_op(0)),
                       raises(lambda: tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 1)
                              .apply_gradients([(tf.constant([1.0]), tf.Variable([1.0]))])),
                       raises(lambda: tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 1)
                              .get_chief_queue_runner())]}


def _wait_for_step(sess, step, n):
    """Until the chief has applied update `n` (the global step moves after the variables)."""
    while sess.run(step) < n:
        time.sleep(0.01)


def _train_monitored(tf, sparse):
    step, w, x, loss = _model(tf, sparse)
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), replicas_to_aggregate=1)
    train = opt.minimize(loss, global_step=step)
    hook = opt.make_session_run_hook(is_chief=True)
    seen = []
    feed = {x: [[1.0, 2.0], [0.5, -1.0]]}
    with tf.train.MonitoredTrainingSession(hooks=[hook], stop_grace_period_secs=1) as sess:
        for k in range(4):  # the init token holds step 0: the second step's gradient is stale (no update)
            sess.run(train, feed)
            _wait_for_step(sess, step, [1, 1, 2, 3][k])
            seen.append(sess.run([loss, step], feed))
        final = sess.run(w)
    return {"seen": seen, "final": final}


def case_train_one_replica(tf):
    return _train_monitored(tf, False)


def case_train_one_replica_sparse(tf):
    return _train_monitored(tf, True)


def case_two_workers_average(tf):
    """Two workers (one after the other in one session: they share local_step, so threads would race on it)
    with replicas_to_aggregate=2: one update per two fresh gradients, their mean; stale ones dropped."""
    step, w, x, loss = _model(tf)
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), replicas_to_aggregate=2)
    train = opt.minimize(loss, global_step=step)
    tokens = opt.get_init_tokens_op()
    runner = opt.get_chief_queue_runner()
    feeds = [{x: [[1.0, 2.0], [0.5, -1.0]]}, {x: [[-1.0, 0.0], [2.0, 1.0]]}]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.local_variables_initializer())
        sess.run(opt.chief_init_op)
        sess.run(tokens)
        coord = tf.train.Coordinator()
        threads = runner.create_threads(sess, coord=coord, daemon=True, start=True)
        values = []
        for k in range(3):  # round 2: the first gradient is stale (local step 0), the second counts
            for f in feeds:
                sess.run(train, f)
            _wait_for_step(sess, step, [1, 1, 2][k])
            values.append(sess.run([w, step]))
        coord.request_stop()
    coord.join(threads, stop_grace_period_secs=5)  # closing the session cancelled the chief's blocked take
    return values


def case_accumulator(tf):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2], shared_name="acc")
    apply0 = acc.apply_grad([1.0, 2.0], local_step=0)
    apply1 = acc.apply_grad([3.0, 6.0], local_step=1)
    take = acc.take_grad(2)
    n = acc.num_accumulated()
    set5 = acc.set_global_step(5)
    stale = acc.apply_grad([100.0, 100.0], local_step=2)
    fresh = acc.apply_grad([4.0, 4.0], local_step=5)
    take1 = acc.take_grad(1)
    summed = tf.ConditionalAccumulator(tf.float64, shape=[2], reduction_type="SUM")
    with tf.Session() as s:
        s.run([apply0])
        s.run([apply1])
        before = s.run(n)
        got = s.run(take)
        after = s.run(n)
        s.run(set5)
        s.run(stale)
        stale_n = s.run(n)
        s.run(fresh)
        got1 = s.run(take1)
        s.run(summed.apply_grad([1.0, 1.0]))
        s.run(summed.apply_grad([2.0, 3.0]))
        got_sum = s.run(summed.take_grad(2))
        errors = [raises(lambda: s.run(acc.take_grad(0))),
                  raises(lambda: acc.apply_grad([1.0, 2.0, 3.0])),
                  raises(lambda: s.run(tf.ConditionalAccumulator(tf.float32).apply_grad(
                      tf.placeholder_with_default([1.0, 2.0, 3.0], [None]))))]
        return {"names": [acc.name, apply0.name, apply0.type, take.name, take.op.type, take.shape.as_list(), n.name,
                          set5.name, set5.type], "before": before, "got": got, "after": after, "stale_n": stale_n,
                "got1": got1, "sum": got_sum, "errors": errors}


def case_sparse_accumulator(tf):
    acc = tf.SparseConditionalAccumulator(tf.float32, shape=[4, 2])
    a = acc.apply_grad([0, 2], [[1.0, 1.0], [2.0, 4.0]], grad_shape=[4, 2], local_step=0)
    b = acc.apply_indexed_slices_grad(tf.IndexedSlices(tf.constant([[3.0, 3.0], [6.0, 2.0]]),
                                                       tf.constant([2, 3], tf.int64), tf.constant([4, 2], tf.int64)))
    taken = acc.take_indexed_slices_grad(2)
    with tf.Session() as s:
        s.run(a)
        s.run(b)
        values, indices, shape = s.run([taken.values, taken.indices, taken.dense_shape])
        return {"values": values, "indices": indices, "shape": shape,
                "names": [acc.name, a.name, a.type, taken.values.op.name, taken.values.op.type]}

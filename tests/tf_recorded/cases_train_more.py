"""The rest of tf.train: the cosine decays, AdagradDA, match_filenames_once, the maybe_* batchers, the cluster
protos, VocabInfo and warm_start, checkpoints_iterator and basic_train_loop."""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _at_steps(tf, make, steps=(0, 1, 5, 9, 10, 25, 37, 100, 150)):
    step = tf.placeholder(tf.int64, [])
    lr = make(step)
    with tf.Session() as s:
        return [lr.name, lr.dtype.name, [s.run(lr, {step: k}) for k in steps]]


def case_linear_cosine_decay(tf):
    return [_at_steps(tf, lambda g: tf.train.linear_cosine_decay(0.1, g, 100)),
            _at_steps(tf, lambda g: tf.train.linear_cosine_decay(0.5, g, 40, num_periods=2.0, alpha=0.1, beta=0.01,
                                                                 name="lin"))]


def case_cosine_decay_restarts(tf):
    return [_at_steps(tf, lambda g: tf.train.cosine_decay_restarts(0.1, g, 10)),
            _at_steps(tf, lambda g: tf.train.cosine_decay_restarts(0.1, g, 10, t_mul=1.0, m_mul=0.5, alpha=0.2)),
            _at_steps(tf, lambda g: tf.train.cosine_decay_restarts(1.0, g, 7, t_mul=3.0, m_mul=0.9, name="sgdr"))]


def case_noisy_linear_cosine_decay_at_the_end(tf):
    """Random before decay_steps; exactly beta * lr after (the linear part and its noise's variance vanish
    there... the noise itself does not, so only its name, dtype and the step-0 bounds are compared)."""
    step = tf.placeholder(tf.int64, [])
    lr = tf.train.noisy_linear_cosine_decay(0.1, step, 100)
    with tf.Session() as s:
        early = [s.run(lr, {step: 0}) for _ in range(20)]
    return [lr.name, lr.dtype.name, bool(np.std(early) > 0), raises(
        lambda: tf.train.noisy_linear_cosine_decay(0.1, None, 10))]


def case_decays_need_a_global_step(tf):
    return [raises(lambda: tf.train.linear_cosine_decay(0.1, None, 10)),
            raises(lambda: tf.train.cosine_decay_restarts(0.1, None, 10)),
            tf.train.piecewise_constant_decay is tf.train.piecewise_constant]


def _adagrad_da(tf, **kw):
    step = tf.train.get_or_create_global_step()
    v = tf.Variable([1.0, -2.0, 0.5], name="v")
    w = tf.Variable([[0.5, 0.25], [-1.0, 2.0]], dtype=tf.float64, name="w")
    loss = tf.reduce_sum(v * v * v) + tf.cast(tf.reduce_sum(w * w), tf.float32)
    opt = tf.train.AdagradDAOptimizer(0.1, step, **kw)
    train = opt.minimize(loss, global_step=step)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = []
        for _ in range(4):
            s.run(train)
            out.append(s.run([v, w]))
        return [train.name, sorted(x.op.name for x in opt.variables()), opt.get_slot_names(),
                [t.type for t in tf.get_default_graph().get_operations() if "AdagradDA" in t.type], out]


def case_adagrad_da(tf):
    return _adagrad_da(tf)


def case_adagrad_da_l1_l2(tf):
    return _adagrad_da(tf, l1_regularization_strength=0.3, l2_regularization_strength=0.2,
                       initial_gradient_squared_accumulator_value=0.5)


def case_adagrad_da_errors(tf):
    step = tf.train.get_or_create_global_step()
    return [raises(lambda: tf.train.AdagradDAOptimizer(0.1, step, initial_gradient_squared_accumulator_value=0.0))]


def case_match_filenames_once(tf):
    d = tempfile.mkdtemp()
    for n in ("b.txt", "a.txt", "c.bin"):
        open(os.path.join(d, n), "w").close()
    m = tf.train.match_filenames_once(os.path.join(d, "*.txt"))
    m2 = tf.train.match_filenames_once(os.path.join(d, "*.none"), name="none")
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        got = [os.path.basename(f.decode()) for f in s.run(m)]
        empty = s.run(m2).tolist()
    return [m.op.name, m.initializer.name, m.initial_value.name, m.dtype.name, [v.op.name for v in
            tf.local_variables()], tf.global_variables() == [], got, empty]


def case_maybe_batchers(tf):
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    keep = tf.placeholder(tf.bool, [])
    a = tf.train.maybe_shuffle_batch([x], 2, 10, 1, True, seed=3)
    b = tf.train.maybe_batch_join([[x], [x * 10]], keep, 3)
    c = tf.train.maybe_shuffle_batch_join([[x], [x + 1]], 2, 10, 1, True, seed=1)
    qr = [r.name for r in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
    return [[t.name for t in (a, b, c)], [t.shape.as_list() for t in (a, b, c)], qr]


def case_maybe_batch_join_values(tf):
    x = tf.placeholder(tf.float32, [2])
    keep = tf.placeholder(tf.bool, [])
    b = tf.train.maybe_batch_join([[x]], keep, 2)
    q = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[0]
    with tf.Session() as s:
        for v, k in (([1, 2], True), ([3, 4], False), ([5, 6], True)):
            s.run(q.enqueue_ops[0], {x: v, keep: k})
        return s.run(b)


def case_server_def(tf):
    cluster = tf.train.ClusterSpec({"ps": ["ps0:2222"], "worker": ["w0:2222", "w1:2222"]}).as_cluster_def()
    sd = tf.train.ServerDef(cluster=cluster, job_name="worker", task_index=1, protocol="grpc", port=2222)
    sd.default_session_config.inter_op_parallelism_threads = 2
    job = tf.train.JobDef(name="x", tasks={0: "h:1"})
    back = tf.train.ServerDef.FromString(sd.SerializeToString())
    return [sd.SerializeToString().hex(), job.SerializeToString().hex(), back.job_name, back.task_index,
            [j.name for j in back.cluster.job], type(cluster).__name__, tf.train.ClusterDef.__name__]


def case_vocab_info(tf):
    info = tf.train.VocabInfo("new.txt", 3, 1, "old.txt")
    return [list(info), info._fields, raises(lambda: tf.train.VocabInfo("n", 1, 0, "o", axis=2))]


def _checkpoint(tf, d):
    """A checkpoint of `emb` [4, 2] (rows: the old vocabulary a b c d), `dense/kernel` and `bias`."""
    with tf.Graph().as_default():
        emb = tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2), name="emb")
        k = tf.Variable([[1.0, 2.0, 3.0]], name="dense/kernel")
        b = tf.Variable([7.0], name="bias")
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            return tf.train.Saver([emb, k, b]).save(s, os.path.join(d, "model.ckpt"))


def case_warm_start(tf):
    d = tempfile.mkdtemp()
    _checkpoint(tf, d)
    with open(os.path.join(d, "old.txt"), "w") as f:
        f.write("a\nb\nc\nd\n")
    with open(os.path.join(d, "new.txt"), "w") as f:
        f.write("d\nx\nb\n")
    emb = tf.Variable(tf.ones([4, 2]), name="emb")
    k = tf.Variable(tf.zeros([1, 3]), name="dense/kernel")
    new_b = tf.Variable([0.0], name="new_bias")
    other = tf.Variable([5.0], name="other", trainable=False)
    info = tf.train.VocabInfo(os.path.join(d, "new.txt"), 3, 1, os.path.join(d, "old.txt"))
    tf.train.warm_start(d, vars_to_warm_start=[".*kernel", "emb", "new_bias"], var_name_to_vocab_info={"emb": info},
                        var_name_to_prev_var_name={"new_bias": "bias"})
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run([emb, k, new_b, other])


def case_warm_start_regex_and_errors(tf):
    d = tempfile.mkdtemp()
    _checkpoint(tf, d)
    k = tf.Variable(tf.zeros([1, 3]), name="dense/kernel")
    b = tf.Variable([0.0], name="bias")
    tf.train.warm_start(d, "dense")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        got = s.run([k, b])
    return [got, raises(lambda: tf.train.warm_start(d, "dense", var_name_to_prev_var_name={"nope": "x"})),
            raises(lambda: tf.train.warm_start(d, [b], var_name_to_prev_var_name={"bias": "missing"}))]


def case_checkpoints_iterator(tf):
    d = tempfile.mkdtemp()
    empty = list(tf.train.checkpoints_iterator(d, timeout=0))
    path = _checkpoint(tf, d)
    it = tf.train.checkpoints_iterator(d, timeout=0)
    first = os.path.basename(next(it))
    return [empty, first, path.endswith(first), list(it)]


def case_basic_train_loop(tf):
    d = tempfile.mkdtemp()
    step = tf.train.get_or_create_global_step()
    inc = tf.assign_add(step, 1)
    sv = tf.train.Supervisor(logdir=d, save_model_secs=0, save_summaries_secs=0)
    seen = []

    def train_step(sess, k):
        seen.append(int(sess.run(inc)) * k)
        if len(seen) == 3:
            sv.request_stop()
    tf.train.basic_train_loop(sv, train_step, args=[10])
    return seen

"""tf.contrib.slim (recorded with tf_slim 1.1, contrib.slim's successor): a small model under arg_scope (variable
names, collections, values), the variable functions of tf.contrib.framework, a checkpoint round trip with
assign_from_checkpoint(_fn), slim.losses, create_train_op's losses over a few steps, learning.train in a
temporary directory, and the streaming metrics.

Recording needs `pip install tf-slim==1.1.0` in the TF venv.
"""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_framework, error_text, sig


def _slim(tf):
    """`tf.contrib.slim`; when recording, tf_slim, after the aliases it needs under TF 2.21."""
    if hasattr(tf, "contrib"):
        return tf.contrib.slim
    from tensorflow.python.framework import indexed_slices, ops
    from tensorflow.python.ops import variable_scope, variable_v1
    ops.IndexedSlices = getattr(ops, "IndexedSlices", indexed_slices.IndexedSlices)
    variable_scope.variable = getattr(variable_scope, "variable", variable_v1.VariableV1)
    return contrib_framework(tf)


def _names(xs):
    return [x.name for x in xs]


def _det(seed):
    rng = np.random.default_rng(seed)
    return lambda shape, dtype=None, partition_info=None: rng.uniform(-1, 1, size=shape).astype(np.float32)


def _model(tf, slim, images):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], weights_initializer=_det(1),
                        weights_regularizer=slim.l2_regularizer(0.01)), \
            slim.arg_scope([slim.conv2d], padding="SAME", stride=1):
        net = slim.repeat(images, 2, slim.conv2d, 4, [3, 3], scope="conv")
        net = slim.max_pool2d(net, [2, 2], scope="pool")
        net = slim.flatten(net)
        net = slim.stack(net, slim.fully_connected, [6, 5], scope="fc")
        return slim.fully_connected(net, 3, activation_fn=None, scope="logits")


def _data(seed, n=4):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (n, 6, 6, 2)).astype(np.float32), np.eye(3, dtype=np.float32)[rng.integers(0, 3, n)]


# ----- a model under arg_scope ------------------------------------------------------------------------------
def case_model_under_arg_scope(tf):
    slim = _slim(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 3], name="y")
    logits = _model(tf, slim, x)
    xent = slim.losses.softmax_cross_entropy(logits, y)
    total = slim.losses.get_total_loss()
    out = {"logits": sig(logits), "xent": sig(xent), "total": sig(total),
           "globals": [[v.name, v.shape.as_list()] for v in slim.get_variables()],
           "model": _names(slim.get_model_variables()), "trainable": _names(slim.get_trainable_variables()),
           "reg": _names(slim.losses.get_regularization_losses()), "losses": _names(slim.losses.get_losses())}
    images, labels = _data(2)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["values"] = s.run([logits, xent, total], {x: images, y: labels})
        out["weights"] = s.run(slim.get_variables_by_name("weights")[0])
    return out


def case_losses(tf):
    slim = _slim(tf)
    rng = np.random.default_rng(3)
    p = tf.constant(rng.uniform(0.05, 0.95, (4, 3)).astype(np.float32))
    t = tf.constant((rng.uniform(0, 1, (4, 3)) > 0.5).astype(np.float32))
    w = tf.constant([[1.0], [0.0], [2.0], [0.5]])
    labels = tf.constant([0, 2, 1, 1])
    losses = [slim.losses.absolute_difference(p, t), slim.losses.mean_squared_error(p, t, weights=w),
              slim.losses.log_loss(p, t, weights=2.0), slim.losses.sigmoid_cross_entropy(p, t, label_smoothing=0.1),
              slim.losses.softmax_cross_entropy(p, t, weights=0.0),
              slim.losses.softmax_cross_entropy(p, t, label_smoothing=0.2),
              slim.losses.sparse_softmax_cross_entropy(p, labels, weights=tf.constant([1.0, 2.0, 0.0, 1.0])),
              slim.losses.cosine_distance(tf.nn.l2_normalize(p, 1), tf.nn.l2_normalize(t + 0.1, 1), axis=1),
              slim.losses.hinge_loss(p, t), slim.losses.compute_weighted_loss(p, w)]
    total = slim.losses.get_total_loss(add_regularization_losses=False)
    with tf.Session() as s:
        values = s.run(losses + [total])
    return {"out": [sig(x) for x in losses + [total]], "values": values,
            "collection": _names(slim.losses.get_losses()),
            "no_axis": error_text(lambda: slim.losses.cosine_distance(p, t))}


# ----- the variable functions -------------------------------------------------------------------------------
def case_variable_functions(tf):
    slim = _slim(tf)
    with tf.variable_scope("net"):
        a = slim.model_variable("weights", [2, 3], initializer=tf.ones_initializer())
        slim.variable("biases", [3], initializer=tf.zeros_initializer())
        with tf.variable_scope("sub"):
            slim.model_variable("weights", [1], trainable=False)
            slim.variable("extra", [2], collections=[tf.GraphKeys.GLOBAL_VARIABLES, "mine"])
    slim.local_variable([1.0, 2.0], name="counter")
    slim.global_variable(3, name="gv")
    step = slim.get_or_create_global_step()
    return {
        "all": _names(slim.get_variables()), "net_sub": _names(slim.get_variables("net/sub")),
        "suffix": _names(slim.get_variables(suffix="weights")), "scope_obj": _names(
            slim.get_variables(tf.get_variable_scope())),
        "model": _names(slim.get_model_variables()), "model_net": _names(slim.get_model_variables("net/sub")),
        "local": _names(slim.get_local_variables()), "trainable": _names(slim.get_trainable_variables()),
        "trainable_suffix": _names(slim.get_trainable_variables(suffix="biases")),
        "by_name": _names(slim.get_variables_by_name("weights")), "by_name_gv": _names(slim.get_variables_by_name("gv")),
        "by_suffix": _names(slim.get_variables_by_suffix("ights", "net")),
        "restore": _names(slim.get_variables_to_restore()),
        "restore_incl": _names(slim.get_variables_to_restore(include=["net"], exclude=["net/sub"])),
        "restore_excl": _names(slim.get_variables_to_restore(exclude=["global_step", "net/biases"])),
        "unique": slim.get_unique_variable("net/weights").name, "full_name": slim.get_variable_full_name(a),
        "filter": _names(slim.filter_variables(slim.get_variables(), ["weights", "gv"], ["sub"])),
        "filter_match": _names(slim.filter_variables(slim.get_variables(), ["sub"], reg_search=False)),
        "step": [step.name, slim.get_global_step().name, slim.assert_or_get_global_step().name],
        "errors": [error_text(lambda: slim.get_unique_variable("nope")),
                   error_text(lambda: slim.get_unique_variable("net/weight")),
                   error_text(lambda: slim.get_variables_to_restore(include="net")),
                   error_text(lambda: slim.get_variables_to_restore(exclude="net")),
                   error_text(lambda: slim.create_global_step())],
    }


def case_assign_from_values(tf):
    slim = _slim(tf)
    with tf.variable_scope("m"):
        w = slim.variable("w", [2, 2], initializer=tf.zeros_initializer())
        slim.variable("w2", [3], initializer=tf.zeros_initializer())
    op, feed = slim.assign_from_values({"m/w": np.arange(4.0, dtype=np.float32)})
    fn = slim.assign_from_values_fn({"m/w2": np.array([1.0, 2.0, 3.0], np.float32)})
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(op, feed)
        fn(s)
        values = s.run(slim.get_variables("m"))
    return {"op": [op.name, op.type], "feed": sorted(t.name for t in feed), "values": values,
            "w": w.name, "missing": error_text(lambda: slim.assign_from_values({"q": np.zeros(1)}))}


def case_checkpoint_round_trip(tf):
    slim = _slim(tf)
    d = tempfile.mkdtemp()
    path = os.path.join(d, "model.ckpt")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 6, 6, 2])
        _model(tf, slim, x)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            saved = s.run(slim.get_model_variables())
            tf.train.Saver().save(s, path)
    out = {}
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 6, 6, 2])
        with slim.arg_scope([slim.conv2d, slim.fully_connected], weights_initializer=tf.zeros_initializer()):
            _model(tf, slim, x)
        with tf.variable_scope("new"):
            slim.variable("v", [1])
        restore = slim.get_variables_to_restore(exclude=["new"])
        init_fn = slim.assign_from_checkpoint_fn(path, restore)
        op, feed = slim.assign_from_checkpoint(path, slim.get_variables("conv"))
        tolerant = slim.assign_from_checkpoint_fn(path, slim.get_variables(), ignore_missing_vars=True)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            init_fn(s)
            restored = s.run(slim.get_model_variables())
            s.run(tf.global_variables_initializer())
            s.run(op, feed)
            partial = s.run(slim.get_model_variables())
            tolerant(s)
            again = s.run(slim.get_model_variables())
        out["same"] = [bool(np.array_equal(a, b)) for a, b in zip(saved, restored)]
        out["partial"] = [bool(np.array_equal(a, b)) for a, b in zip(saved, partial)]
        out["again"] = [bool(np.array_equal(a, b)) for a, b in zip(saved, again)]
        out["feed"] = sorted(t.name for t in feed)
        out["op"] = [op.name, op.type]
        out["errors"] = [error_text(lambda: slim.assign_from_checkpoint(path, slim.get_variables("new"))),
                         error_text(lambda: slim.assign_from_checkpoint_fn(path, [])),
                         str(slim.assign_from_checkpoint_fn(path, slim.get_variables("new"),
                                                            ignore_missing_vars=True))]
    return out


# ----- training ---------------------------------------------------------------------------------------------
def case_create_train_op(tf):
    slim = _slim(tf)
    images, labels = _data(5)
    logits = _model(tf, slim, tf.constant(images))
    slim.losses.softmax_cross_entropy(logits, tf.constant(labels))
    total = slim.losses.get_total_loss()
    train_op = slim.learning.create_train_op(total, tf.train.GradientDescentOptimizer(0.1), clip_gradient_norm=1.0,
                                             gradient_multipliers={"logits/weights": 0.5})
    step = tf.train.get_global_step()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [s.run(train_op) for _ in range(4)]
        final = s.run([step, total])
    return {"op": sig(train_op), "train_ops": _names(tf.get_collection(tf.GraphKeys.TRAIN_OP)),
            "losses": losses, "final": final}


def case_learning_train(tf):
    slim = _slim(tf)
    images, labels = _data(6)
    logits = _model(tf, slim, tf.constant(images))
    slim.losses.softmax_cross_entropy(logits, tf.constant(labels))
    total = slim.losses.get_total_loss()
    train_op = slim.learning.create_train_op(total, tf.train.MomentumOptimizer(0.05, 0.9))
    logdir = tempfile.mkdtemp()
    seen = []
    final_loss = slim.learning.train(train_op, logdir, number_of_steps=5, log_every_n_steps=2,
                                     init_fn=lambda sess: seen.append("init"), save_summaries_secs=3600,
                                     save_interval_secs=3600)
    ckpt = tf.train.latest_checkpoint(logdir)
    reader = tf.train.NewCheckpointReader(ckpt)
    return {"loss": final_loss, "ckpt": os.path.basename(ckpt), "step": int(reader.get_tensor("global_step")),
            "init_fn": seen, "errors": [error_text(lambda: slim.learning.train(None, logdir)),
                                        error_text(lambda: slim.learning.train(train_op, logdir, number_of_steps=0)),
                                        error_text(lambda: slim.learning.train(train_op, None, saver=1))]}


# ----- streaming metrics ------------------------------------------------------------------------------------
def case_streaming_metrics(tf):
    slim = _slim(tf)
    rng = np.random.default_rng(7)
    p = tf.placeholder(tf.float32, [None])
    lab = tf.placeholder(tf.int64, [None])
    scores = tf.placeholder(tf.float32, [None, 4])
    m = slim.metrics
    names = {
        "accuracy": m.streaming_accuracy(tf.cast(p > 0.5, tf.int64), lab),
        "precision": m.streaming_precision(p > 0.5, lab),
        "recall": m.streaming_recall(p > 0.5, lab, weights=p),
        "tp": m.streaming_true_positives(p > 0.5, lab), "fn": m.streaming_false_negatives(p > 0.5, lab),
        "mean": m.streaming_mean(p), "mse": m.streaming_mean_squared_error(p, tf.cast(lab, tf.float32)),
        "rmse": m.streaming_root_mean_squared_error(p, tf.cast(lab, tf.float32)),
        "mae": m.streaming_mean_absolute_error(p, tf.cast(lab, tf.float32)),
        "auc": m.streaming_auc(p, lab, num_thresholds=50),
        "less": m.streaming_percentage_less(p, 0.3),
        "prec_thr": m.streaming_precision_at_thresholds(p, lab, [0.2, 0.5, 0.8]),
        "recall_at_k": m.streaming_recall_at_k(scores, tf.cast(lab, tf.int32) + 1, 2),
        "sparse_prec_k": m.streaming_sparse_precision_at_k(scores, lab + 1, 2),
        "iou": m.streaming_mean_iou(tf.cast(p > 0.5, tf.int64), lab, 2),
    }
    values, updates = m.aggregate_metric_map(names)
    pair = m.aggregate_metrics(names["mean"], names["auc"])
    out = {"sig": {k: sig(v) for k, v in values.items()}, "locals": _names(tf.local_variables())[:12],
           "pair": [_names(pair[0]), _names(pair[1])],
           "errors": [error_text(lambda: m.aggregate_metrics())]}
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        for _ in range(3):
            feed = {p: rng.uniform(0, 1, 6).astype(np.float32), lab: rng.integers(0, 2, 6),
                    scores: rng.uniform(0, 1, (6, 4)).astype(np.float32)}
            s.run(list(updates.values()), feed)
        out["values"] = {k: s.run(v) for k, v in values.items()}
    return out


def case_facenet_slim_initializers_and_shape_pool(tf):
    """facenet's inception_resnet_v1: slim.initializers.xavier_initializer(), slim.regularizers, and
    slim.avg_pool2d(net, net.get_shape()[1:3]) (a TensorShape's Dimensions as the pooling window)."""
    slim = _slim(tf)
    tf.set_random_seed(1)
    x = tf.constant(np.arange(2 * 3 * 3 * 2, dtype=np.float32).reshape(2, 3, 3, 2))
    with slim.arg_scope([slim.conv2d], weights_initializer=slim.initializers.xavier_initializer(),
                        weights_regularizer=slim.regularizers.l2_regularizer(0.1)):
        net = slim.conv2d(x, 4, 1, scope="c")
    pool = slim.avg_pool2d(x, x.get_shape()[1:3], padding="VALID", scope="AvgPool")
    window = tf.nn.max_pool(x, [1, x.get_shape()[1], np.int64(2), 1], [1, 1, 1, 1], "VALID")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return {"pool": sig(pool), "pool_v": s.run(pool), "ksize": pool.op.get_attr("ksize"), "net": sig(net),
                "window": s.run(window), "window_ksize": window.op.get_attr("ksize"),
                "reg": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)),
                "names": sorted(n for n in dir(slim.initializers) if n.endswith("initializer"))}

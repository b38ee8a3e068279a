"""Recorded cases found by running tensorflow/models' TF1 tutorials (cifar10, mnist/convolutional, ptb_word_lm)
and TensorFlow's own tutorial examples: tf.contrib.deprecated's pre-1.0 summaries, half-precision products,
queue runners through a MetaGraphDef, TF's INFO lines (illegal summary names, local_init_op), device_lib and
tensorflow.core's protobuf modules."""
import importlib
import logging
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import sig  # noqa: E402


def _deprecated(tf):
    """`tf.contrib.deprecated`; when recording, TF 2.21's logging_ops, which keeps the very same functions."""
    if hasattr(tf, "contrib"):
        return tf.contrib.deprecated
    from tensorflow.python.ops import logging_ops
    return logging_ops


def case_contrib_deprecated_summaries(tf):
    dep = _deprecated(tf)
    x = tf.constant([[0.0, 1.0, -2.0], [3.0, 0.0, 0.5]], name="x")
    with tf.name_scope("tower_0"):
        s1 = dep.scalar_summary("conv1/weight_loss (raw)", tf.reduce_sum(x))        # tag kept verbatim
        s2 = dep.histogram_summary("conv1/activations", x)
        s3 = dep.scalar_summary(tf.constant("dyn"), tf.reduce_mean(x), name="named")
    s4 = dep.scalar_summary("other", tf.constant(2.0), collections=["mine"])
    img = dep.image_summary("img", tf.zeros([2, 4, 4, 3]), max_images=1)
    merged = dep.merge_summary([s1, s2, s3], name="m")
    merged_all = dep.merge_all_summaries()
    with tf.Session() as s:
        a, b = s.run([merged, merged_all])
    summary, summary_all = tf.Summary.FromString(a), tf.Summary.FromString(b)
    vals = sorted((v.tag, v.simple_value if v.HasField("simple_value") else v.histo.num) for v in summary.value)
    return [sig(s1), sig(s2), sig(s3), sig(s4), sig(img), merged.name, merged_all.name,
            [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)], [t.name for t in tf.get_collection("mine")],
            [n.name for n in tf.get_default_graph().as_graph_def().node if "tags" in n.name or "/tag" in n.name],
            vals, sorted(v.tag for v in summary_all.value)]


def case_contrib_deprecated_merge_all_empty(tf):
    return _deprecated(tf).merge_all_summaries() is None


def case_half_matmul_values(tf):
    rng = np.random.RandomState(0)
    a = (rng.rand(8, 300) - 0.5).astype(np.float16)
    b = (rng.rand(300, 5) * 0.02).astype(np.float16)
    c = (rng.rand(3, 4, 300) - 0.5).astype(np.float16)
    pa = tf.placeholder(tf.float16, [None, 300])
    pb = tf.placeholder(tf.float16, [300, None])
    pc = tf.placeholder(tf.float16, [3, 4, 300])
    mm = tf.matmul(pa, pb)
    bmm = tf.matmul(pc, tf.tile(pb[None], [3, 1, 1]))
    g = tf.gradients(tf.reduce_sum(mm), [pa, pb])
    with tf.Session() as s:
        out = s.run([mm, bmm] + g, {pa: a, pb: b, pc: c})
    return [sig(mm), sig(bmm)] + [o.astype(np.float32).round(2).tolist() for o in out[:2]] + \
        [str(o.dtype) for o in out] + [float(np.abs(out[2]).sum()), float(np.abs(out[3]).sum())]


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _capturing(tf, fn):
    logger = logging.getLogger("tensorflow")
    h = _Capture()
    old = tf.logging.get_verbosity()
    tf.logging.set_verbosity(tf.logging.INFO)
    logger.addHandler(h)
    try:
        out = fn()
    finally:
        logger.removeHandler(h)
        tf.logging.set_verbosity(old)
    return out, h.lines


def case_queue_runner_meta_graph_round_trip(tf):
    with tf.Graph().as_default():
        with tf.name_scope("In"):
            tf.train.range_input_producer(3, shuffle=False, name="rip")
        meta = tf.train.export_meta_graph()
    col = meta.collection_def[tf.GraphKeys.QUEUE_RUNNERS]
    kind = col.WhichOneof("kind")
    with tf.Graph().as_default() as g:
        tf.train.import_meta_graph(meta)
        qrs = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        info = [[type(q).__name__, q.name, [op.name for op in q.enqueue_ops], q.close_op.name, q.cancel_op.name]
                for q in qrs]
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord=coord)
            started = len(threads)
            coord.request_stop()
            coord.join(threads)
    return {"kind": kind, "runners": info, "threads": started}


def case_queue_runner_import_feeds_dequeue(tf):
    with tf.Graph().as_default():
        i = tf.train.range_input_producer(3, shuffle=False, name="rip").dequeue(name="next")
        meta = tf.train.export_meta_graph()
    with tf.Graph().as_default() as g:
        tf.train.import_meta_graph(meta)
        nxt = g.get_tensor_by_name("next:0")
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord=coord)
            vals = [int(sess.run(nxt)) for _ in range(5)]
            coord.request_stop()
            coord.join(threads)
    return vals


def case_summary_illegal_name_logs(tf):
    def build():
        with tf.Graph().as_default():
            s = tf.summary.scalar("Training Loss", tf.constant(1.0))
            h = tf.summary.histogram("/lead", tf.constant([1.0]))
            return [s.name, h.name]
    names, lines = _capturing(tf, build)
    return {"names": names, "logs": [l for l in lines if "illegal" in l]}


def case_supervisor_local_init_logs(tf):
    def run():
        with tf.Graph().as_default():
            v = tf.Variable(1.0)
            sv = tf.train.Supervisor(logdir=None)
            with sv.managed_session() as sess:
                return float(sess.run(v))
    value, lines = _capturing(tf, run)
    return {"value": value, "logs": [l for l in lines if "local_init_op" in l]}


def case_device_lib_and_core_protos(tf):
    """`from tensorflow.python.client import device_lib` (the usual list of GPUs: none here) and
    `from tensorflow.core.framework import variable_pb2` / `core.protobuf import rewriter_config_pb2`."""
    device_lib = importlib.import_module(tf.__name__.split(".")[0] + ".python.client.device_lib")
    devices = device_lib.list_local_devices()
    core = tf.__name__.split(".")[0] + ".core"
    variable_pb2 = importlib.import_module(core + ".framework").variable_pb2
    rewriter_config_pb2 = importlib.import_module(core + ".protobuf").rewriter_config_pb2
    v = variable_pb2.VariableDef(variable_name="v:0", trainable=True)
    return [[(d.name, d.device_type, d.memory_limit, d.HasField("locality")) for d in devices],
            [d.name for d in devices if d.device_type == "GPU"], v.SerializeToString().hex(),
            rewriter_config_pb2.RewriterConfig.OFF, type(devices[0]).__name__]

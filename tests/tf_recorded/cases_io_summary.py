"""Summary ops: names, tags and collections, and the Summary protobufs they produce when run."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _values(tf, serialized):
    out = []
    for v in tf.summary.Summary.FromString(serialized).value:
        kind = v.WhichOneof("value")
        if kind == "simple_value":
            out.append([v.tag, kind, v.simple_value])
        elif kind == "histo":
            h = v.histo
            out.append([v.tag, kind, h.min, h.max, h.num, h.sum, h.sum_squares, list(h.bucket_limit), list(h.bucket)])
        else:
            out.append([v.tag, kind, v.metadata.plugin_data.plugin_name, list(v.tensor.string_val),
                        [d.size for d in v.tensor.tensor_shape.dim]])
    return out


def case_summary_op_names_and_tags(tf):
    x = tf.constant(1.5)
    s1 = tf.summary.scalar("loss", x)
    s2 = tf.summary.scalar("loss", x)
    with tf.name_scope("train"):
        s3 = tf.summary.scalar("acc uracy!", x)
        s4 = tf.summary.histogram("weights", tf.constant([1.0, 2.0]))
    s5 = tf.summary.scalar("lr", x, family="opt")
    s6 = tf.summary.scalar("/lead", x, collections=["mine"])
    m = tf.summary.merge([s1, s2])
    m2 = tf.summary.merge([s1], name="named")
    g = tf.get_default_graph()
    consts = sorted(op.name for op in g.get_operations() if op.type == "Const")
    summaries = [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)]
    return [[t.name, t.op.type, t.dtype.name, t.shape.as_list()] for t in (s1, s2, s3, s4, s5, s6, m, m2)] + [
        consts, summaries, [t.name for t in tf.get_collection("mine")]]


def case_scalar_and_merge_all_values(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    tf.summary.scalar("loss", x * 2.0)
    tf.summary.scalar("loss", x)
    tf.summary.scalar("step", tf.constant(7, tf.int64), family="train")
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        return [merged.name, _values(tf, sess.run(merged, {x: 0.25}))]


def case_histogram_buckets(tf):
    values = np.array([[0.0, -1.0, 2.5e-7, 3.0], [1e5, -1e-13, 7.0, 7.0]], np.float32)
    h = tf.summary.histogram("h", tf.constant(values))
    hi = tf.summary.histogram("ints", tf.constant([1, 1, 2, 3, 5, 8], tf.int32))
    he = tf.summary.histogram("empty", tf.zeros([0]))
    with tf.Session() as sess:
        return [_values(tf, v) for v in sess.run([h, hi, he])]


def case_text_summary(tf):
    t = tf.summary.text("notes", tf.constant(["hello", "world"]))
    with tf.Session() as sess:
        return [t.name, t.op.type, _values(tf, sess.run(t))]


def case_merge_all_without_summaries(tf):
    tf.constant(1.0)
    return [tf.summary.merge_all() is None, tf.summary.merge_all(key="nothing") is None]


def case_summary_run_errors(tf):
    nan = tf.summary.histogram("bad", tf.constant([1.0, np.nan]))
    inf = tf.summary.histogram("inf", tf.constant([np.inf]))
    s = tf.summary.scalar("dup", tf.constant(1.0))
    dup = tf.summary.merge([s, s])
    vector = tf.summary.scalar("vec", tf.constant([1.0, 2.0]))
    with tf.Session() as sess:
        return [raises(lambda: sess.run(nan)), raises(lambda: sess.run(inf)), raises(lambda: sess.run(dup)),
                raises(lambda: sess.run(vector))]


def _png_pixels(data):
    """The pixels of an 8-bit, non-interlaced PNG (gray, RGB or RGBA), decoded with zlib alone."""
    import struct
    import zlib
    pos, chunks = 8, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks[kind] = chunks.get(kind, b"") + data[pos + 8:pos + 8 + length]
        pos += 12 + length
    width, height, _, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    channels = {0: 1, 2: 3, 6: 4}[color]
    raw, stride = zlib.decompress(chunks[b"IDAT"]), width * channels
    rows, prev = [], [0] * stride
    for y in range(height):
        kind, line = raw[y * (stride + 1)], list(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            p = a + b - c
            pred = [0, a, b, (a + b) // 2, a if abs(p - a) <= min(abs(p - b), abs(p - c)) else
                    (b if abs(p - b) <= abs(p - c) else c)][kind]
            line[x] = (line[x] + pred) % 256
        rows.append(line)
        prev = line
    return np.array(rows, np.uint8).reshape(height, width, channels)


def case_image_summaries(tf):
    floats = np.array([[[[-1.0], [0.25]], [[2.0], [np.nan]]], [[[0.0], [1.0]], [[3.0], [0.5]]]], np.float32)
    rgb = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(1, 2, 3, 3) * 10
    summaries = [tf.summary.image("floats", tf.constant(floats)), tf.summary.image("rgb", tf.constant(rgb), 1)]
    with tf.Session() as sess:
        out = []
        for serialized in sess.run(summaries):
            for v in tf.summary.Summary.FromString(serialized).value:
                out.append([v.tag, v.image.height, v.image.width, v.image.colorspace,
                            _png_pixels(v.image.encoded_image_string)])
        return out

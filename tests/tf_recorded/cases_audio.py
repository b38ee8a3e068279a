"""Recorded cases: tf.audio.decode_wav / encode_wav (values as int16 steps, WAV files as hex) and the summaries
tf.summary.audio and tensor_summary (their Summary protobufs parsed into fields), get_summary_description,
all_v2_summary_ops and initialize."""
import os
import struct
import sys

import numpy as np
from tensorboard.compat.proto.summary_pb2 import SummaryMetadata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, sig


def _steps(audio):
    """Decoded samples as whole int16 steps (exact), with the dtype and shape."""
    a = np.asarray(audio)
    return [a.dtype.name, list(a.shape), np.round(a.astype(np.float64) * 32768).astype(np.int64).tolist()]


def _wav(channels, frames, rate=8000, fmt_size=16, audio_format=1, bits=16, extra=b"", data=None, pad=b""):
    """A hand-made WAV file, each header field settable."""
    block = channels * bits // 8
    body = data if data is not None else (np.arange(frames * channels) * 3001 - 5000).astype("<i2").tobytes()
    fmt = struct.pack("<HHIIHH", audio_format, channels, rate, rate * block, block, bits) + b"\0" * (fmt_size - 16)
    chunks = pad + b"fmt " + struct.pack("<I", fmt_size) + fmt + b"data" + struct.pack("<I", len(body)) + body + extra
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def _fetch(tf, fetches, feed=None):
    with tf.Session() as s:
        return s.run(fetches, feed)


def case_encode_wav_bytes(tf):
    rng = np.random.default_rng(1)
    a = tf.placeholder(tf.float32, [None, None])
    e = tf.audio.encode_wav(a, 16000)
    e2 = tf.audio.encode_wav(tf.constant([[0.5, -0.5], [1.0, -1.0], [0.25, 2.0]]), tf.constant(44100), name="enc")
    feeds = [rng.uniform(-1.2, 1.2, (5, 3)).astype(np.float32),
             np.array([[0.0], [1 / 65536], [-1 / 65536], [3 / 65536], [-np.inf], [np.inf], [np.nan]], np.float32),
             np.zeros((0, 2), np.float32), np.zeros((4, 1), np.float32) - 1.0]
    out = [_fetch(tf, e, {a: f}).hex() for f in feeds]
    return [describe(tf), sig(e), out, _fetch(tf, e2).hex()]


def case_encode_wav_errors(tf):
    a = tf.placeholder(tf.float32)
    r = tf.placeholder(tf.int32)
    e = tf.audio.encode_wav(a, r)
    build = [error_text(lambda: tf.audio.encode_wav(tf.zeros([3]), 1)),
             error_text(lambda: tf.audio.encode_wav(tf.zeros([2, 2]), [1])),
             error_text(lambda: tf.audio.encode_wav(tf.zeros([2, 2], tf.float64), 1)),
             error_text(lambda: tf.audio.encode_wav(tf.zeros([2, 2]), 1.5))]
    runs = [kernel_error(tf, e, {a: np.zeros([3], np.float32), r: 8}),
            kernel_error(tf, e, {a: np.zeros([2, 2], np.float32), r: [8]}),
            kernel_error(tf, e, {a: np.zeros([2, 2], np.float32), r: 0}),
            kernel_error(tf, e, {a: np.zeros([2, 2], np.float32), r: -1}),
            kernel_error(tf, e, {a: np.zeros([2, 0], np.float32), r: 8})]
    return [build, runs]


def case_decode_wav_structure(tf):
    c = tf.placeholder(tf.string)
    outs = [tf.audio.decode_wav(c), tf.audio.decode_wav(c, desired_channels=2, desired_samples=7, name="dec"),
            tf.audio.decode_wav(c, desired_samples=1.5), tf.audio.decode_wav(tf.constant(b"x"), 0, 0)]
    return [describe(tf), [[type(o).__name__, list(o._fields), sig(o.audio), sig(o.sample_rate)] for o in outs]]


def case_decode_wav_values(tf):
    rng = np.random.default_rng(2)
    c = tf.placeholder(tf.string)
    specs = [(-1, -1), (1, -1), (3, -1), (-1, 2), (2, 9), (0, 3), (2, 0)]
    outs = [tf.audio.decode_wav(c, ch, n) for ch, n in specs]
    stereo = tf.audio.encode_wav(tf.constant(rng.uniform(-1, 1, (5, 2)).astype(np.float32)), 22050)
    files = [_fetch(tf, stereo), _wav(1, 4, rate=48000), _wav(3, 2, fmt_size=18), _wav(2, 3, pad=b"JUNK\3\0\0\0abc"),
             _wav(1, 2, extra=b"LIST\2\0\0\0zz"), _wav(2, 0, data=b"")]
    out = []
    for f in files:
        got = _fetch(tf, outs, {c: f})
        out.append([[_steps(o.audio), int(o.sample_rate)] for o in got])
    return out


def case_decode_wav_errors(tf):
    c = tf.placeholder(tf.string)
    d = tf.audio.decode_wav(c)
    good = _wav(1, 2)
    bad = [b"", b"RIFF", good[:30], b"RIFX" + good[4:], good[:8] + b"WAVX" + good[12:],
           good[:12] + b"LIST" + good[16:], _wav(1, 2, fmt_size=20), _wav(1, 2, audio_format=3),
           _wav(1, 2, bits=8), _wav(0, 2), good[:32] + b"\3\0" + good[34:], good[:28] + b"\0\0\0\0" + good[32:],
           good[:44] + b"\0" * 8, good[:-2], good + b"data\2\0\0\0\1\2", good[:36] + b"abcd" + good[40:],
           good + b"junk\0\0\0\x90", _wav(2, 0, data=b"\1\2\3")]
    build = [error_text(lambda: tf.audio.decode_wav(c, desired_channels=-2)),
             error_text(lambda: tf.audio.decode_wav(c, desired_samples=-3)),
             error_text(lambda: tf.audio.decode_wav(tf.constant([b"a"]))),
             error_text(lambda: tf.audio.decode_wav(c, desired_channels="2"))]
    runs = [kernel_error(tf, d, {c: f}) for f in bad]
    runs.append(kernel_error(tf, d, {c: [good]}))
    return [build, runs]


def _summary_values(tf, serialized):
    out = []
    for v in tf.summary.Summary.FromString(serialized).value:
        kind = v.WhichOneof("value")
        if kind == "audio":
            a = v.audio
            out.append([v.tag, kind, a.sample_rate, a.num_channels, a.length_frames, a.content_type,
                        a.encoded_audio_string.hex()])
        else:
            t = v.tensor
            out.append([v.tag, kind, t.dtype, [d.size for d in t.tensor_shape.dim], t.tensor_content.hex(),
                        list(t.string_val), len(t.int_val) + len(t.float_val), v.metadata.SerializeToString().hex()])
    return out


def case_audio_summary(tf):
    rng = np.random.default_rng(3)
    x = tf.placeholder(tf.float32, [None, None, 2])
    s1 = tf.summary.audio("snd", x, 8000.0, family="fam")
    s2 = tf.summary.audio("snd", tf.constant(rng.uniform(-1, 1, (2, 3)).astype(np.float32)), 44100,
                          max_outputs=1, collections=["mine"])
    with tf.name_scope("outer"):
        s3 = tf.summary.audio("odd rate!", tf.zeros([1, 2, 1]), 2.5, max_outputs=5)
    s4 = tf.summary.audio("tiny", tf.zeros([3, 0]), 0.25)
    keys = [[t.name for t in tf.get_collection(k)] for k in ("summaries", "mine")]
    got = _fetch(tf, [s1, s2, s3, s4], {x: rng.uniform(-1, 1, (4, 3, 2)).astype(np.float32)})
    return [describe(tf), keys, [_summary_values(tf, g) for g in got]]


def case_audio_summary_errors(tf):
    x = tf.placeholder(tf.float32)
    r = tf.placeholder(tf.float32)
    s = tf.summary.audio("e", x, r)
    build = [error_text(lambda: tf.summary.audio("a", tf.zeros([1, 2]), 1.0, max_outputs=0)),
             error_text(lambda: tf.summary.audio("a", tf.zeros([1, 2], tf.float64), 1.0))]
    runs = [kernel_error(tf, s, {x: np.zeros([2], np.float32), r: 1.0}),
            kernel_error(tf, s, {x: np.zeros([1, 2, 3, 4], np.float32), r: 1.0}),
            kernel_error(tf, s, {x: np.zeros([1, 2], np.float32), r: 0.0}),
            kernel_error(tf, s, {x: np.zeros([1, 2], np.float32), r: np.nan}),
            kernel_error(tf, s, {x: np.zeros([1, 2, 0], np.float32), r: 1.0})]
    return [build, runs]


def case_tensor_summary(tf):
    meta = SummaryMetadata(display_name="shown")
    meta.plugin_data.plugin_name = "custom"
    sums = [tf.summary.tensor_summary("ts", tf.constant([1, 2]), summary_description="desc", display_name="dn",
                                      family="f"),
            tf.summary.tensor_summary("ts", 3.5, collections=[]),
            tf.summary.tensor_summary("words", tf.constant([["a", "b"]]), summary_metadata=meta),
            tf.summary.tensor_summary("flag", True, summary_description="only a description"),
            tf.summary.tensor_summary("empty", tf.zeros([2, 0], tf.int64)),
            tf.summary.text("notes", tf.constant("hi"))]
    keys = [t.name for t in tf.get_collection("summaries")]
    bad = error_text(lambda: tf.summary.text("n", tf.constant([1, 2])))
    return [describe(tf), keys, [_summary_values(tf, g) for g in _fetch(tf, sums)], bad]


def case_summary_description_and_v2(tf):
    node = tf.NodeDef(op="TensorSummary", name="x")
    node.attr["description"].s = b'{"typeHint": "hint"}'
    empty = tf.NodeDef(op="TensorSummary", name="y")
    empty.attr["description"].s = b"{}"
    s = tf.summary.tensor_summary("t", 1)
    return [str(tf.summary.get_summary_description(node)), str(tf.summary.get_summary_description(empty)),
            error_text(lambda: tf.summary.get_summary_description(s.op.node_def)),
            type(tf.summary.get_summary_description(node)).__name__,
            tf.summary.all_v2_summary_ops(), error_text(tf.summary.initialize),
            error_text(lambda: tf.summary.initialize(graph=tf.get_default_graph()))]

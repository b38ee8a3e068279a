"""Recorded cases: tensors and sparse tensors as bytes (SerializeTensor, ParseTensor, SerializeSparse,
SerializeManySparse, DeserializeManySparse; the bytes compared in hex), DecodeCompressed, DecodeJSONExample."""
import gzip
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402


def _hex(values):
    return [v.hex() for v in np.asarray(values, dtype=object).ravel()]


def _sparse(tf, dtype=None):
    values = [1.5, -2.0, 3.0] if dtype is None else [b"a", b"", b"xyz"]
    return tf.SparseTensor([[0, 1], [2, 0], [2, 3]], values, [3, 4])


def case_graph(tf):
    st = _sparse(tf)
    outs = [tf.io.serialize_tensor(tf.constant([[1, 2]])), tf.io.parse_tensor(b"x", tf.float32),
            tf.io.serialize_sparse(st), tf.io.serialize_sparse(st, out_type=tf.variant),
            tf.io.serialize_many_sparse(st, name="many")]
    d = tf.io.deserialize_many_sparse(outs[-1], tf.float32)
    d3 = tf.io.deserialize_many_sparse(outs[-1], tf.float32, rank=2)
    more = [tf.io.decode_compressed([b"a", b"b"], "ZLIB"), tf.io.decode_json_example([["{}"]])]
    return [describe(tf), [sig(t) for t in outs + more + [d.indices, d.values, d.dense_shape, d3.indices,
                                                          d3.dense_shape]]]


def case_serialize_tensor_bytes(tf):
    outs = [tf.io.serialize_tensor(x) for x in (tf.constant([[1, 2]]), tf.constant(2.5), tf.constant([b"a", b"bc"]),
                                                  tf.constant([True, False]), tf.zeros([0, 2], tf.int64),
                                                  tf.constant([1.0, 2.0], tf.float64), tf.constant(7, tf.uint8))]
    with tf.Session() as s:
        return [_hex(v) for v in s.run(outs)]


def case_parse_tensor(tf):
    x = tf.constant([[1.5, 2.5], [3.0, 4.0]])
    p = tf.io.parse_tensor(tf.io.serialize_tensor(x), tf.float32)
    strings = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([[b"a"], [b"xyz"]])), tf.string)
    scalar = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(3, tf.int64)), tf.int64)
    return [sig(p), run(tf, [p, strings, scalar])]


def case_parse_tensor_errors(tf):
    ser = tf.io.serialize_tensor(tf.constant([1, 2]))
    return [run_error(tf, tf.io.parse_tensor(ser, tf.float32)),
            run_error(tf, tf.io.parse_tensor(b"\xff\xff", tf.int32)),
            error(lambda: tf.io.parse_tensor([ser], tf.int32))]


def case_serialize_sparse_bytes(tf):
    outs = [tf.io.serialize_sparse(_sparse(tf)), tf.io.serialize_sparse(_sparse(tf, tf.string)),
            tf.io.serialize_many_sparse(_sparse(tf)), tf.io.serialize_many_sparse(_sparse(tf, tf.string))]
    with tf.Session() as s:
        vals = s.run(outs)
    return [[_hex(v), list(np.shape(v))] for v in vals]


def case_deserialize_many_sparse(tf):
    st = _sparse(tf)
    d = tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(st), tf.float32)
    strings = tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(_sparse(tf, tf.string)), tf.string)
    a = tf.io.serialize_sparse(tf.SparseTensor([[0], [4]], [1.0, 2.0], [6]))
    b = tf.io.serialize_sparse(tf.SparseTensor([[1]], [5.0], [3]))
    stacked = tf.io.deserialize_many_sparse(tf.stack([a, b]), tf.float32)
    with tf.Session() as s:
        outs = s.run([d, strings, stacked])
    return [[v.indices, v.values, v.dense_shape] for v in outs]


def case_deserialize_errors(tf):
    ser = tf.io.serialize_many_sparse(_sparse(tf))
    two = tf.stack([tf.io.serialize_sparse(tf.SparseTensor([[0]], [1.0], [2])),
                    tf.io.serialize_sparse(tf.SparseTensor([[0, 0]], [1.0], [2, 2]))])
    return [run_error(tf, tf.io.deserialize_many_sparse(ser, tf.int32).values),
            run_error(tf, tf.io.deserialize_many_sparse(two, tf.float32).values),
            error(lambda: tf.io.serialize_many_sparse(tf.constant([1])))]


def case_decode_compressed(tf):
    text = [b"hello", b"", b"raygraph " * 20]
    outs = [tf.io.decode_compressed([zlib.compress(t) for t in text], "ZLIB"),
            tf.io.decode_compressed([[gzip.compress(t) for t in text]], "GZIP"),
            tf.io.decode_compressed(text)]
    return [[sig(t) for t in outs], run(tf, outs), run_error(tf, tf.io.decode_compressed([b"junk"], "ZLIB"))]


def case_decode_json_example(tf):
    js = ['{"features": {"feature": {"a": {"int64List": {"value": ["3", "-4"]}}, '
          '"b": {"floatList": {"value": [1.5]}}, "c": {"bytesList": {"value": ["eHl6"]}}}}}', '{}']
    out = tf.io.decode_json_example(js)
    parsed = tf.io.parse_example(out, {"a": tf.io.VarLenFeature(tf.int64), "b": tf.io.VarLenFeature(tf.float32),
                                       "c": tf.io.VarLenFeature(tf.string)})
    with tf.Session() as s:
        o, p = s.run([out, parsed])
    return [sig(out), [len(v) > 0 for v in o[:1]], {k: [v.indices, v.values, v.dense_shape] for k, v in p.items()},
            run_error(tf, tf.io.decode_json_example(["{not json"]))]

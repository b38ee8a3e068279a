"""Recorded cases: decode_proto (DecodeProtoV2) and encode_proto (EncodeProto) over messages of the local
descriptor pool: tensorflow.TensorProto (enum, repeated numbers, strings, a sub-message) and
tensorflow.Example; sizes, padding with defaults, round trips, errors. Bytes compared in hex."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402


def _tensor_protos(tf):
    """Serialized TensorProtos, written by SerializeTensor in a session."""
    outs = [tf.io.serialize_tensor(x) for x in (tf.constant(2.5), tf.constant([b"a", b"bc"]), tf.constant(7, tf.int64))]
    with tf.Session() as s:
        return s.run(outs)


FIELDS = ["dtype", "tensor_shape", "float_val", "string_val", "int64_val", "tensor_content", "version_number"]
TYPES = ["int32", "string", "float32", "string", "int64", "string", "int32"]


def case_decode_graph(tf):
    p = tf.placeholder(tf.string, [None, 2])
    out = tf.io.decode_proto(p, "tensorflow.TensorProto", FIELDS, [getattr(tf, t) for t in TYPES])
    one = tf.io.decode_proto(b"", "tensorflow.Example", ["features"], [tf.string], name="ex")
    return [describe(tf), sig(out.sizes), [sig(v) for v in out.values], sig(one.sizes), [sig(v) for v in one.values],
            type(out).__name__]


def case_decode_tensor_protos(tf):
    protos = _tensor_protos(tf)
    tf.reset_default_graph()
    out = tf.io.decode_proto(protos, "tensorflow.TensorProto", FIELDS, [getattr(tf, t) for t in TYPES])
    with tf.Session() as s:
        sizes, values = s.run(out)
    return [sizes, [v if v.dtype != object else [x.hex() for x in v.ravel()] for v in values]]


def case_encode_round_trip(tf):
    protos = _tensor_protos(tf)
    tf.reset_default_graph()
    types = [getattr(tf, t) for t in TYPES]
    out = tf.io.decode_proto(protos, "tensorflow.TensorProto", FIELDS, types)
    again = tf.io.encode_proto(out.sizes, out.values, FIELDS, "tensorflow.TensorProto")
    with tf.Session() as s:
        enc = s.run(again)
    return [sig(again), [v.hex() for v in enc], [a == b for a, b in zip(enc, protos)]]


def case_encode_from_values(tf):
    sizes = tf.constant([[1, 2], [0, 1]], tf.int32)
    values = [tf.constant([[1], [0]], tf.int32), tf.constant([[1.5, 2.5], [3.5, 0.0]])]
    enc = tf.io.encode_proto(sizes, values, ["dtype", "float_val"], "tensorflow.TensorProto")
    dec = tf.io.decode_proto(enc, "tensorflow.TensorProto", ["dtype", "float_val"], [tf.int32, tf.float32])
    with tf.Session() as s:
        e, (sz, vals) = s.run([enc, dec])
    return [[v.hex() for v in e], sz, vals]


def case_example_features(tf):
    ex = tf.train.Example(features=tf.train.Features(feature={"a": tf.train.Feature(
        int64_list=tf.train.Int64List(value=[1, 2]))})).SerializeToString()
    out = tf.io.decode_proto([ex, b""], "tensorflow.Example", ["features"], [tf.string])
    with tf.Session() as s:
        sizes, values = s.run(out)
    return [sizes, [x.hex() for x in values[0].ravel()], list(values[0].shape)]


def case_errors(tf):
    return [run_error(tf, tf.io.decode_proto([b"\xff\xff\xff"], "tensorflow.TensorProto", ["dtype"], [tf.int32])[0]),
            error(lambda: tf.io.decode_proto([b""], "tensorflow.TensorProto", ["dtype"], [tf.int32, tf.int32])),
            run_error(tf, tf.io.encode_proto(tf.constant([[3]]), [tf.constant([[1.0]])], ["float_val"],
                                             "tensorflow.TensorProto"))]

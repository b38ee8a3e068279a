"""TFRecord files (both directions: TF-written fixtures read here; files written by raygraph's pure-Python
writer read by the TF under test), file datasets, tf.train.Example, parse_example, decode_raw, decode_csv."""
import os
import shutil
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
from raygraph import python_io as rg_python_io


def failure(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return "no error"


class TempDir:
    def __enter__(self):
        self.root = tempfile.mkdtemp()
        return self.root

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


def drain(tf, sess, t, limit=50):
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(t))
        except tf.errors.OutOfRangeError:
            out.append("end")
            break
    return out


def example(tf, i):
    f = tf.train
    return f.Example(features=f.Features(feature={
        "id": f.Feature(int64_list=f.Int64List(value=[i])),
        "x": f.Feature(float_list=f.FloatList(value=[i * 0.5, -i])),
        "name": f.Feature(bytes_list=f.BytesList(value=[b"item%d" % i]))}))


# ----- record files ----------------------------------------------------------------------------------------
def case_read_tf_written_fixtures(tf):
    out = []
    for name, options in (("examples.tfrecord", None), ("examples_gzip.tfrecord", "GZIP")):
        records = list(tf.python_io.tf_record_iterator(os.path.join(FIXTURES, name), options=options))
        out.append([tf.train.Example.FromString(r).features.feature["name"].bytes_list.value[0] for r in records])
    return out


def case_tf_reads_raygraph_written_files(tf):
    """In recording, real TF reads files written by raygraph's writer; replayed, raygraph reads them."""
    with TempDir() as d:
        out = []
        for options in (None, "GZIP", "ZLIB", rg_python_io.TFRecordOptions("ZLIB")):
            p = os.path.join(d, "rg.tfrecord")
            with rg_python_io.TFRecordWriter(p, options=options) as w:
                for i in range(4):
                    w.write(b"r" * (i * 100))
                w.write("text")
            kind = options if isinstance(options, (str, type(None))) else options.compression_type
            out.append([len(r) for r in tf.python_io.tf_record_iterator(p, options=kind)])
        return out


def case_written_bytes_match(tf):
    """The bytes of an uncompressed file written by the TF under test."""
    with TempDir() as d:
        p = os.path.join(d, "a.tfrecord")
        with tf.python_io.TFRecordWriter(p) as w:
            w.write(b"hello")
            w.write(b"")
            w.write(bytes(range(200)))
        with open(p, "rb") as f:
            return f.read().hex()


def case_options_and_compression_types(tf):
    o = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    return [o.compression_type, tf.python_io.TFRecordOptions.get_compression_type_string("ZLIB"),
            tf.python_io.TFRecordOptions.get_compression_type_string(None),
            tf.python_io.TFRecordCompressionType.ZLIB, failure(lambda: tf.python_io.TFRecordOptions("LZ4"))]


def case_bad_crc_is_data_loss(tf):
    with TempDir() as d:
        p = os.path.join(d, "bad.tfrecord")
        with tf.python_io.TFRecordWriter(p) as w:
            w.write(b"payload-one")
            w.write(b"payload-two")
        data = bytearray(open(p, "rb").read())
        data[15] ^= 0xFF  # inside the first record's data
        open(p, "wb").write(bytes(data))
        it = tf.python_io.tf_record_iterator(p)
        out = [failure(lambda: next(it))]
        with open(p, "wb") as f:
            f.write(bytes(data[:-3]))
        out.append(failure(lambda: list(tf.python_io.tf_record_iterator(p))))
        nxt = tf.data.make_one_shot_iterator(tf.data.TFRecordDataset(p)).get_next()
        with tf.Session() as sess:
            out.append(failure(lambda: sess.run(nxt)))
        return out + [failure(lambda: tf.python_io.tf_record_iterator(os.path.join(d, "missing")))]


def case_tfrecord_dataset(tf):
    files = [os.path.join(FIXTURES, "examples.tfrecord")] * 2
    ds = tf.data.TFRecordDataset(files)
    gz = tf.data.TFRecordDataset(os.path.join(FIXTURES, "examples_gzip.tfrecord"), compression_type="GZIP")
    a, b = tf.data.make_one_shot_iterator(ds).get_next(), tf.data.make_one_shot_iterator(gz).get_next()
    with tf.Session() as sess:
        ra, rb = drain(tf, sess, a), drain(tf, sess, b)
    return [[ds.output_shapes.as_list(), ds.output_types.name], len(ra), ra[-1],
            [tf.train.Example.FromString(r).features.feature["id"].int64_list.value[0] for r in ra[:-1] + rb[:-1]]]


def case_tfrecord_dataset_placeholder_filenames(tf):
    names = tf.placeholder(tf.string, [None])
    it = tf.data.TFRecordDataset(names).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {names: [os.path.join(FIXTURES, "examples.tfrecord")]})
        return len(drain(tf, sess, nxt))


def case_text_and_fixed_length_datasets(tf):
    with TempDir() as d:
        p = os.path.join(d, "t.txt")
        with open(p, "wb") as f:
            f.write(b"alpha\nbe\rta\r\ngamma\n\nlast!")
        lines = tf.data.make_one_shot_iterator(tf.data.TextLineDataset(p)).get_next()
        gz = tf.data.make_one_shot_iterator(tf.data.TextLineDataset(os.path.join(FIXTURES, "lines.txt.gz"),
                                                                    compression_type="GZIP")).get_next()
        fixed = tf.data.FixedLengthRecordDataset([p, p], 4, header_bytes=2, footer_bytes=3)
        fx = tf.data.make_one_shot_iterator(fixed).get_next()
        bad = tf.data.make_one_shot_iterator(tf.data.FixedLengthRecordDataset(p, 7)).get_next()
        with tf.Session() as sess:
            return [drain(tf, sess, lines), drain(tf, sess, gz), drain(tf, sess, fx), fixed.output_shapes.as_list(),
                    failure(lambda: sess.run(bad))]


# ----- tf.train.Example -------------------------------------------------------------------------------------
def case_example_messages(tf):
    ex = example(tf, 2)
    seq = tf.train.SequenceExample(context=tf.train.Features(feature={"k": tf.train.Feature(
        int64_list=tf.train.Int64List(value=[5]))}))
    fl = seq.feature_lists.feature_list["frames"]
    fl.feature.add().float_list.value.extend([1.0, 2.0])
    parsed = tf.train.SequenceExample.FromString(seq.SerializeToString())
    back = tf.train.Example.FromString(ex.SerializeToString())
    return [back == ex, len(ex.SerializeToString()), sorted(back.features.feature),
            list(back.features.feature["x"].float_list.value), back.features.feature["id"].WhichOneof("kind"),
            list(parsed.feature_lists.feature_list["frames"].feature[0].float_list.value),
            parsed.context.feature["k"].int64_list.value[0], type(ex).__name__,
            tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"a", b"b"])).SerializeToString().hex()]


def case_parse_single_example(tf):
    s = tf.placeholder(tf.string, [])
    feats = tf.parse_single_example(s, {"id": tf.FixedLenFeature([], tf.int64),
                                        "x": tf.FixedLenFeature([2], tf.float32),
                                        "name": tf.FixedLenFeature([], tf.string),
                                        "missing": tf.FixedLenFeature([2], tf.float32, default_value=[7.0, 8.0])})
    with tf.Session() as sess:
        got = sess.run(feats, {s: example(tf, 3).SerializeToString()})
    return [{k: [v.name, v.op.type, v.shape.as_list(), v.dtype.name] for k, v in feats.items()}, got]


def case_parse_example_batch(tf):
    b = tf.placeholder(tf.string, [None])
    feats = tf.parse_example(b, {"x": tf.FixedLenFeature([2], tf.float32), "id": tf.FixedLenFeature([1], tf.int64)})
    with tf.Session() as sess:
        got = sess.run(feats, {b: [example(tf, i).SerializeToString() for i in range(3)]})
    return [{k: [v.name, v.shape.as_list()] for k, v in feats.items()}, got]


def case_parse_example_errors(tf):
    s = tf.placeholder(tf.string, [])
    need = tf.parse_single_example(s, {"absent": tf.FixedLenFeature([], tf.int64)})
    size = tf.parse_single_example(s, {"x": tf.FixedLenFeature([3], tf.float32)})
    kind = tf.parse_single_example(s, {"id": tf.FixedLenFeature([], tf.float32)})
    good = example(tf, 1).SerializeToString()
    with tf.Session() as sess:
        return [failure(lambda: sess.run(need, {s: good})), failure(lambda: sess.run(size, {s: good})),
                failure(lambda: sess.run(kind, {s: good})),
                failure(lambda: sess.run(tf.parse_single_example(tf.constant(b"\x0a\x7f\x01"),
                                                                 {"x": tf.FixedLenFeature([3], tf.float32)})))]


def case_example_pipeline(tf):
    def parse(record):
        f = tf.parse_single_example(record, {"x": tf.FixedLenFeature([2], tf.float32),
                                             "id": tf.FixedLenFeature([], tf.int64)})
        return f["x"], f["id"]
    ds = tf.data.TFRecordDataset(os.path.join(FIXTURES, "examples.tfrecord")).map(parse).batch(2)
    x, i = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        return [x.shape.as_list(), i.shape.as_list(), drain(tf, sess, [x, i])]


# ----- decode_raw, decode_csv -------------------------------------------------------------------------------
def case_decode_raw(tf):
    data = tf.constant([b"\x01\x00\x02\x00", b"\xff\xff\x00\x01"])
    a = tf.decode_raw(data, tf.int16)
    b = tf.decode_raw(data, tf.uint16, little_endian=False)
    c = tf.decode_raw(tf.constant(np.arange(3, dtype=np.float32).tobytes()), tf.float32)
    d = tf.decode_raw(tf.constant([b"ab", b"abc"]), tf.uint8)
    e = tf.decode_raw(tf.constant(b"abc"), tf.int16)
    with tf.Session() as sess:
        return [a.shape.as_list(), c.shape.as_list(), a.op.type, sess.run([a, b, c]), failure(lambda: sess.run(d)),
                failure(lambda: sess.run(e))]


def case_decode_csv(tf):
    rec = tf.constant(["1,2.5,x", '3,,"y,z"', "5,1e3,"])
    cols = tf.decode_csv(rec, [[0], [1.0], ["d"]])
    sel = tf.decode_csv(tf.constant("a;7;b"), [[""], [0]], field_delim=";", select_cols=[0, 1])
    with tf.Session() as sess:
        return [[c.name for c in cols], [c.shape.as_list() for c in cols], sess.run(cols), sess.run(sel)]


def case_decode_csv_errors(tf):
    p = tf.placeholder(tf.string, [None])
    cols = tf.decode_csv(p, [[0], tf.constant([], tf.float32)])
    with tf.Session() as sess:
        return [failure(lambda: sess.run(cols, {p: ["1,2", "3"]})), failure(lambda: sess.run(cols, {p: ["1,"]})),
                failure(lambda: sess.run(cols, {p: ["x,2"]})), sess.run(cols, {p: ["4,0.5"]})]


def case_list_files(tf):
    with TempDir() as d:
        for name in ("b.txt", "a.txt", "c.csv"):
            open(os.path.join(d, name), "w").write(name)
        ordered = tf.data.Dataset.list_files(os.path.join(d, "*.txt"), shuffle=False)
        shuffled = tf.data.Dataset.list_files([os.path.join(d, "*.txt"), os.path.join(d, "*.csv")], seed=1)
        none = tf.data.Dataset.list_files(os.path.join(d, "*.none"))
        a, b = (tf.data.make_one_shot_iterator(x).get_next() for x in (ordered, shuffled))
        c = none.make_initializable_iterator()
        with tf.Session() as sess:
            got_a, got_b = drain(tf, sess, a), drain(tf, sess, b)
            err = failure(lambda: sess.run(c.initializer))
        return [ordered.output_shapes.as_list(), [os.path.basename(v) for v in got_a[:-1]],
                sorted(os.path.basename(v) for v in got_b[:-1]), err]


def case_parallel_interleave_over_files(tf):
    with TempDir() as d:
        for i in range(2):
            with open(os.path.join(d, f"f{i}.txt"), "w") as f:
                f.write("".join(f"{i}-{j}\n" for j in range(3)))
        files = tf.data.Dataset.list_files(os.path.join(d, "*.txt"), shuffle=False)
        ds = files.apply(tf.data.experimental.parallel_interleave(tf.data.TextLineDataset, cycle_length=2))
        nxt = tf.data.make_one_shot_iterator(ds).get_next()
        with tf.Session() as sess:
            return drain(tf, sess, nxt)

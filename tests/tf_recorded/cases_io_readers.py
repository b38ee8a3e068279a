"""Recorded cases: TF1's readers (TFRecordReader, TextLineReader, FixedLengthRecordReader, WholeFileReader,
IdentityReader) reading the file names of a queue: keys, values, read_up_to across files, counters, reset,
IdentityReader's serialized state, OutOfRangeError at the end, DataLossError on a bad record. Keys are shown
with the temporary folder cut off."""
import os
import shutil
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
from ops_helpers import describe, error, run_error, sig  # noqa: E402
from raygraph import python_io as rg_python_io  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(HERE), "fixtures", "examples.tfrecord")


class _Files:
    def __enter__(self):
        self.root = tempfile.mkdtemp()
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.root, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def records(self, name, records, options=None):
        path = os.path.join(self.root, name)
        with rg_python_io.TFRecordWriter(path, options) as w:
            for r in records:
                w.write(r)
        return path

    def short(self, x):
        """Values with the folder's path cut off."""
        if isinstance(x, (list, tuple)):
            return [self.short(v) for v in x]
        if isinstance(x, np.ndarray) and x.dtype == object:
            return [self.short(v) for v in x.tolist()]
        if isinstance(x, bytes):
            return x.replace(self.root.encode() + b"/", b"")
        return x


def _queue(tf, names):
    q = tf.FIFOQueue(10, tf.string)
    return q, q.enqueue_many([names]), q.close()


def _drain(tf, s, fetch, files, limit=20):
    out = []
    for _ in range(limit):
        try:
            out.append(files.short(s.run(fetch)))
        except tf.errors.OutOfRangeError:
            out.append("end")
            break
    return out


def case_graph(tf):
    q = tf.FIFOQueue(10, tf.string)
    readers = [tf.TFRecordReader(), tf.TFRecordReader(name="gz", options=tf.io.TFRecordOptions("GZIP")),
               tf.TextLineReader(skip_header_lines=2), tf.FixedLengthRecordReader(4, header_bytes=1, footer_bytes=2),
               tf.WholeFileReader(), tf.IdentityReader(name="ident")]
    outs = []
    for r in readers:
        outs += list(r.read(q)) + list(r.read_up_to(q, 3)) + [r.num_records_produced(), r.num_work_units_completed(),
                                                           r.serialize_state()]
        r.reset()
    readers[-1].restore_state(b"")
    return [describe(tf), [sig(t) for t in outs], [r.supports_serialize for r in readers], sig(readers[0].reader_ref)]


def case_text_lines(tf):
    with _Files() as files:
        a = files.write("a.txt", b"header\nline 1\r\n\nline 3")
        b = files.write("b.txt", b"header\nonly\n")
        c = files.write("c.txt", b"")
        q, enq, close = _queue(tf, [a, c, b])
        r = tf.TextLineReader(skip_header_lines=1)
        kv = r.read(q)
        with tf.Session() as s:
            s.run([enq])
            s.run(close)
            lines = _drain(tf, s, kv, files)
            return [lines, s.run([r.num_records_produced(), r.num_work_units_completed()])]


def case_tfrecords_and_read_up_to(tf):
    with _Files() as files:
        a = files.records("a.tfrecord", [b"x", b"yy", b"zzz"])
        b = files.records("b.tfrecord.gz", [b"1234", b""], rg_python_io.TFRecordOptions("GZIP"))
        q, enq, close = _queue(tf, [a, a])
        r = tf.TFRecordReader()
        many = r.read_up_to(q, 4)
        q2, enq2, close2 = _queue(tf, [b])
        gz = tf.TFRecordReader(options=tf.io.TFRecordOptions("GZIP")).read(q2)
        with tf.Session() as s:
            s.run(enq)
            s.run(close)
            s.run(enq2)
            s.run(close2)
            return [_drain(tf, s, many, files), s.run([r.num_records_produced(), r.num_work_units_completed()]),
                    _drain(tf, s, gz, files)]


def case_tf_written_fixture(tf):
    q, enq, close = _queue(tf, [FIXTURE])
    kv = tf.TFRecordReader().read(q)
    parsed = tf.parse_single_example(kv[1], {"label": tf.FixedLenFeature([], tf.int64, default_value=-1)})
    with tf.Session() as s:
        s.run(enq)
        s.run(close)
        out = []
        while True:
            try:
                k, p = s.run([kv[0], parsed])
            except tf.errors.OutOfRangeError:
                break
            out.append([os.path.basename(k.decode()), p])
    return out


def case_fixed_length(tf):
    with _Files() as files:
        a = files.write("a.bin", b"H" + b"abcdefghij" + b"FF")
        q, enq, close = _queue(tf, [a, a])
        plain = tf.FixedLengthRecordReader(3, header_bytes=1, footer_bytes=2)
        hop = tf.FixedLengthRecordReader(4, header_bytes=1, footer_bytes=2, hop_bytes=3)
        k1, k2 = plain.read(q), hop.read(q)
        with tf.Session() as s:
            s.run(enq)
            s.run(close)
            return [_drain(tf, s, k1, files, 5), _drain(tf, s, k2, files)]


def case_whole_file_and_identity(tf):
    with _Files() as files:
        a = files.write("a.txt", b"contents\x00of a")
        q, enq, close = _queue(tf, [a, a])
        whole = tf.WholeFileReader()
        kv = whole.read(q)
        q2, enq2, close2 = _queue(tf, ["w1", "w2", "w3"])
        ident = tf.IdentityReader()
        ikv = ident.read(q2)
        counts = [ident.num_records_produced(), ident.num_work_units_completed()]
        state = ident.serialize_state()
        with tf.Session() as s:
            s.run(enq)
            s.run(close)
            s.run(enq2)
            out = [_drain(tf, s, kv, files), s.run([whole.num_records_produced(), whole.num_work_units_completed()])]
            out += [s.run(ikv), s.run(counts), s.run(state).hex()]
            saved = s.run(state)
            out += [s.run(ikv), s.run(counts)]
            s.run(ident.restore_state(saved))
            out += [s.run(counts)]
            s.run(ident.reset())
            out += [s.run(counts), s.run(state).hex()]
            return out


def case_errors(tf):
    with _Files() as files:
        good = files.records("a.tfrecord", [b"abc"])
        data = bytearray(open(good, "rb").read())
        data[13] ^= 0xFF
        bad = files.write("bad.tfrecord", bytes(data))
        q, enq, close = _queue(tf, [bad])
        read = tf.TFRecordReader().read(q)
        q2, enq2, close2 = _queue(tf, [os.path.join(files.root, "missing.txt")])
        missing = tf.TextLineReader().read(q2)
        q3, enq3, close3 = _queue(tf, [good])
        text_state = tf.TextLineReader().serialize_state()
        with tf.Session() as s:
            s.run([enq, enq2, enq3])
            s.run(close2)  # after its enqueue: in one run the two would race
            out = []
            for fetch in (read, missing, text_state):
                try:
                    s.run(fetch)
                    out.append("no error")
                except Exception as e:  # noqa: BLE001
                    out.append(type(e).__name__)
        up_to = tf.IdentityReader().read_up_to(q3, 0)
        return out + [run_error(tf, up_to), error(lambda: tf.TextLineReader().read(tf.constant(1.0)))]

"""tf.io beyond the recorded cases: what raygraph cannot do says so clearly, readers are device resources that
a TF1 queue-runner pipeline drives, and tf.io's aliases of tf.train's file helpers."""
import os

import numpy as np
import pytest


def test_ragged_feature_says_what_is_missing(tf):
    with pytest.raises(NotImplementedError, match="tf.io.RaggedFeature .*RaggedTensor"):
        tf.io.RaggedFeature(tf.int64)


def test_jpeg_xl_and_lmdb_fail_at_run_time_with_tf_classes(rtf, tmp_path):
    tf = rtf
    jxl = tf.io.decode_jxl(b"\xff\x0a")
    assert jxl.op.type == "DecodeJxl" and jxl.shape.as_list() == [None, None, None]
    q = tf.FIFOQueue(2, tf.string)
    fill, read = q.enqueue(str(tmp_path)), tf.LMDBReader().read(q)
    with tf.Session() as s:
        with pytest.raises(tf.errors.UnimplementedError, match="JPEG XL"):
            s.run(jxl)
        s.run(fill)
        with pytest.raises(tf.errors.UnimplementedError, match="lmdb"):
            s.run(read)


def test_reader_pipeline_with_queue_runners(rtf, tmp_path):
    """TF1's input pipeline: string_input_producer -> TFRecordReader -> parse_single_example -> shuffle_batch,
    the reader and queues living in their device across steps."""
    tf = rtf
    for f in range(2):
        with tf.io.TFRecordWriter(str(tmp_path / f"part{f}.tfrecord")) as w:
            for i in range(5):
                w.write(tf.train.Example(features=tf.train.Features(feature={"x": tf.train.Feature(
                    int64_list=tf.train.Int64List(value=[10 * f + i]))})).SerializeToString())
    files = tf.io.match_filenames_once(str(tmp_path / "part*.tfrecord"))
    queue = tf.train.string_input_producer(files, num_epochs=1, shuffle=False)
    reader = tf.TFRecordReader()
    key, value = reader.read(queue)
    x = tf.parse_single_example(value, {"x": tf.FixedLenFeature([], tf.int64)})["x"]
    batch = tf.train.batch([x], batch_size=3, allow_smaller_final_batch=True)
    seen = []
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        assert sorted(os.path.basename(f.decode()) for f in s.run(files)) == ["part0.tfrecord", "part1.tfrecord"]
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(s, coord)
        try:
            while True:
                seen.extend(s.run(batch).tolist())
        except tf.errors.OutOfRangeError:
            pass
        coord.request_stop()
        coord.join(threads)
        assert s.run(reader.num_records_produced()) == 10 and s.run(reader.num_work_units_completed()) == 2
    assert seen == [0, 1, 2, 3, 4, 10, 11, 12, 13, 14]


def test_io_aliases_of_train_helpers(tf):
    assert tf.io.write_graph is tf.train.write_graph
    assert tf.io.match_filenames_once is tf.train.match_filenames_once
    assert tf.io.PaddingFIFOQueue is tf.PaddingFIFOQueue and tf.io.QueueBase is tf.QueueBase
    v = tf.io.match_filenames_once("*.nothing")
    assert v.op.name == "matching_filenames" and v in tf.local_variables()
    assert tf.matching_files("*.x").op.type == "MatchingFiles"


def test_sparse_serialization_as_variants(rtf):
    tf = rtf
    st = tf.SparseTensor([[0, 1]], [2.0], [2, 3])
    v = tf.io.serialize_sparse(st, out_type=tf.variant)
    assert (v.dtype, v.shape.as_list()) == (tf.variant, [3])
    encoded = tf.io.serialize_many_sparse(st)
    with tf.Session() as s:
        back = s.run(tf.io.deserialize_many_sparse(encoded, tf.float32))
    assert back.indices.tolist() == [[0, 1]] and np.array_equal(back.dense_shape, [2, 3])

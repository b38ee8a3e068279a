"""TensorBoard output: TFRecord framing, and event files read back by tensorboard's own EventAccumulator.

What the summary ops compute (tags, histogram buckets, errors) is compared with TensorFlow in
tf_recorded/cases_io_summary.py.
"""
import glob
import os
import socket
import struct

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from raygraph import errors
from raygraph.summary.records import crc32c, encode_record, masked_crc32c, read_records


# ----- records ---------------------------------------------------------------------------------------------
def test_crc32c_check_value_and_masking():
    assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C catalogue's check value
    assert crc32c(b"") == 0
    crc = crc32c(b"abc")
    assert masked_crc32c(b"abc") == ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def test_records_round_trip_and_detect_corruption(tmp_path):
    path = tmp_path / "records"
    path.write_bytes(encode_record(b"first") + encode_record(b"") + encode_record(b"x" * 1000))
    assert list(read_records(path)) == [b"first", b"", b"x" * 1000]
    record = encode_record(b"payload")
    assert struct.unpack("<Q", record[:8])[0] == 7
    corrupted = bytearray(record)
    corrupted[14] ^= 1
    path.write_bytes(bytes(corrupted))
    with pytest.raises(errors.DataLossError):
        list(read_records(path))
    path.write_bytes(record[:-2])
    with pytest.raises(errors.DataLossError):
        list(read_records(path))


# ----- FileWriter --------------------------------------------------------------------------------------------
def _event_file(logdir):
    files = glob.glob(os.path.join(logdir, "events.out.tfevents.*"))
    assert len(files) == 1, files
    return files[0]


def _accumulate(logdir):
    acc = EventAccumulator(str(logdir), size_guidance={"scalars": 0, "histograms": 0})
    acc.Reload()
    return acc


def training_run(tf, logdir):
    """A few steps of a tiny model, logged the TF1 way: graph, loss/weights summaries, one traced step."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.name_scope("model"):
        w = tf.Variable([[0.5], [-0.5]], name="w")
        y = tf.matmul(x, w, name="y")
    with tf.name_scope("cost"):
        loss = tf.reduce_mean(tf.square(y - 1.0), name="mse")
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    step = tf.assign_sub(w, 0.1 * tf.gradients(loss, [w])[0])
    feed = {x: [[1.0, 2.0], [0.5, -1.0]]}
    losses = []
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(logdir, sess.graph)
        sess.run(w.initializer)
        for i in range(3):
            metadata = tf.RunMetadata()
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE) if i == 1 else None
            summary, value, _ = sess.run([merged, loss, step], feed, options=options, run_metadata=metadata)
            writer.add_summary(summary, global_step=i)
            if i == 1:
                writer.add_run_metadata(metadata, "step1", global_step=i)
            losses.append(float(value))
        writer.close()
    return losses


def test_event_file_read_by_tensorboard(rtf, tmp_path):
    losses = training_run(rtf, str(tmp_path))
    name = os.path.basename(_event_file(tmp_path))
    assert name.startswith("events.out.tfevents.") and name.endswith("." + socket.gethostname())
    acc = _accumulate(tmp_path)
    tags = acc.Tags()
    assert tags["graph"] and tags["meta_graph"]
    assert tags["scalars"] == ["loss"] and tags["histograms"] == ["weights"]
    assert tags["run_metadata"] == ["step1"]
    scalars = acc.Scalars("loss")
    assert [s.step for s in scalars] == [0, 1, 2]
    assert [s.value for s in scalars] == pytest.approx(losses)
    histograms = acc.Histograms("weights")
    assert [h.histogram_value.num for h in histograms] == [2, 2, 2]
    graph_nodes = {n.name: n for n in acc.Graph().node}
    assert {"model/w", "model/y", "cost/mse"} <= set(graph_nodes)  # name scopes become TensorBoard groups
    assert graph_nodes["model/y"].attr["_output_shapes"].list.shape[0].dim[1].size == 1
    assert acc.RunMetadata("step1").step_stats.dev_stats


def test_events_are_stamped_and_ordered(tf, tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    summary = tf.summary.Summary(value=[tf.summary.Summary.Value(tag="a", simple_value=1.0)])
    writer.add_summary(summary, global_step=5)
    writer.add_summary(summary.SerializeToString())
    writer.add_session_log(tf.summary.SessionLog(status=tf.summary.SessionLog.START), global_step=6)
    writer.flush()
    events = list(tf.summary.summary_iterator(_event_file(tmp_path)))
    assert events[0].file_version == "brain.Event:2"
    assert [e.WhichOneof("what") for e in events[1:]] == ["summary", "summary", "session_log"]
    assert [e.step for e in events[1:]] == [5, 0, 6]
    assert all(e.wall_time > 0 for e in events)
    writer.close()
    writer.add_summary(summary, global_step=7)  # dropped after close, as in TF
    assert len(list(tf.summary.summary_iterator(_event_file(tmp_path)))) == 4


def test_reopen_starts_a_new_file_and_metadata_is_kept_once_per_tag(tf, tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), filename_suffix=".v1")
    value = tf.summary.Summary.Value(tag="t", simple_value=1.0)
    value.metadata.plugin_data.plugin_name = "scalars"
    writer.add_summary(tf.summary.Summary(value=[value]))
    writer.add_summary(tf.summary.Summary(value=[value]))
    writer.close()
    first = _event_file(tmp_path)
    assert first.endswith(".v1")
    kept = [e.summary.value[0].HasField("metadata") for e in tf.summary.summary_iterator(first) if e.summary.value]
    assert kept == [True, False]
    writer.reopen()
    writer.close()
    assert len(glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*"))) == 2


def test_add_graph_and_run_metadata_checks(tf, tmp_path):
    tf.constant(1.0, name="c")
    with tf.summary.FileWriter(str(tmp_path)) as writer:
        writer.add_graph(tf.get_default_graph().as_graph_def(), global_step=3)
        with pytest.raises(TypeError):
            writer.add_graph("not a graph")
        with pytest.raises(ValueError):
            writer.add_graph(tf.get_default_graph(), graph_def=tf.GraphDef())
        writer.add_run_metadata(tf.RunMetadata(), "tag")
        with pytest.raises(ValueError, match="already used"):
            writer.add_run_metadata(tf.RunMetadata(), "tag")
    events = list(tf.summary.summary_iterator(_event_file(tmp_path)))
    graph = tf.GraphDef.FromString(events[1].graph_def)
    assert events[1].step == 3 and [n.name for n in graph.node] == ["c"]
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is tf.summary.FileWriterCache.get(str(tmp_path))
    tf.summary.FileWriterCache.clear()


def test_events_reach_the_file_within_flush_secs(tf, tmp_path):
    import time
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=1)
    writer.add_summary(tf.summary.Summary(value=[tf.summary.Summary.Value(tag="a", simple_value=1.0)]))
    deadline = time.time() + 10
    while time.time() < deadline and len(list(tf.summary.summary_iterator(_event_file(tmp_path)))) < 2:
        time.sleep(0.2)
    assert len(list(tf.summary.summary_iterator(_event_file(tmp_path)))) == 2  # no flush() or close() called
    writer.close()

"""Checkpoints: both formats (TensorFlow's, written by default, and raygraph's older Arrow one), atomic commits,
all-or-nothing restores, and the Saver around them. tests/test_tf_checkpoints.py checks TensorFlow's bytes."""
import json
import logging
import os
import subprocess
import sys
import textwrap

import numpy as np
import pyarrow as pa
import pytest

from raygraph import errors
from raygraph import checkpoint_io, tensor_bundle

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

VALUES = {
    "f32": np.array([[1.5, -0.0], [np.inf, 3.25e-20]], np.float32),
    "f64/nested": np.linspace(-1, 1, 7),
    "f16": np.array([0.5, 65504.0], np.float16),
    "i8": np.array([-128, 127], np.int8),
    "u64": np.array([2 ** 64 - 1], np.uint64),
    "i64_scalar": np.array(-(2 ** 40), np.int64),
    "bool": np.array([[True, False, True]]),
    "strings": np.array([b"", "ä".encode(), b"a\x00b"], dtype=object),
    "complex": np.array([1 + 2j, -3.5j], np.complex64),
    "empty": np.zeros((0, 3), np.float32),
}


def _same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype == object:
        return a.shape == b.shape and a.tolist() == b.tolist()
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


FORMATS = [checkpoint_io.TENSORFLOW, checkpoint_io.ARROW]


# ----- the formats, without Ray ------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_dtype_round_trips_bit_for_bit(tmp_path, fmt):
    prefix = str(tmp_path / "ck")
    names = list(VALUES)
    checkpoint_io.write(prefix, names, [VALUES[n] for n in names], fmt=fmt)
    got = checkpoint_io.read(prefix, names)
    for name, value in zip(names, got):
        assert _same_bits(VALUES[name], value), name
    assert checkpoint_io.variables(prefix)["f32"] == ("float32", [2, 2])


def test_the_data_file_is_plain_arrow_described_by_a_json_index(tmp_path):
    prefix = str(tmp_path / "ck")
    checkpoint_io.write(prefix, ["w", "b"], [np.arange(6, dtype=np.float32).reshape(2, 3), np.int32(4)],
                        fmt=checkpoint_io.ARROW)
    with open(prefix + ".index") as f:
        index = json.load(f)
    assert [t["name"] for t in index["tensors"]] == ["b", "w"]
    with pa.memory_map(str(tmp_path / index["data"])) as source:
        table = pa.ipc.open_file(source).read_all()
    w = table.column("w")[0].values.to_numpy().reshape(index["tensors"][1]["shape"])
    assert table.schema.field("w").type == pa.large_list(pa.float32())
    assert np.array_equal(w, np.arange(6).reshape(2, 3))


@pytest.mark.parametrize("fmt", FORMATS)
def test_read_checks_everything_before_returning_anything(tmp_path, fmt):
    prefix = str(tmp_path / "ck")
    checkpoint_io.write(prefix, ["a", "b"], [np.zeros(2, np.float32), np.ones(3, np.float32)], fmt=fmt)
    with pytest.raises(errors.NotFoundError, match="Key c not found in checkpoint"):
        checkpoint_io.read(prefix, ["a", "c"])
    with pytest.raises(errors.InvalidArgumentError, match="expected dtype int32 does not equal original dtype float"):
        checkpoint_io.read(prefix, ["a", "b"], ["float32", "int32"])
    with pytest.raises(errors.InvalidArgumentError, match=r"lhs shape= \[4\] rhs shape= \[3\]"):
        checkpoint_io.read(prefix, ["a", "b"], shapes=[[2], [4]])
    with pytest.raises(errors.NotFoundError):
        checkpoint_io.read(str(tmp_path / "nothing"), ["a"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_corrupted_data_file_is_reported_not_loaded(tmp_path, fmt):
    prefix = str(tmp_path / "ck")
    checkpoint_io.write(prefix, ["w"], [np.arange(1000, dtype=np.float32)], fmt=fmt)
    (data,) = checkpoint_io.data_files(prefix)
    raw = bytearray(open(data, "rb").read())
    at = raw.index(np.float32(500.0).tobytes())
    raw[at] ^= 0xFF
    open(data, "wb").write(bytes(raw))
    with pytest.raises(errors.DataLossError, match="Checksum does not match"):
        checkpoint_io.read(prefix, ["w"])


SWEEP_NAMES, SWEEP_DTYPES, SWEEP_SHAPES = ["s", "w"], ["string", "float32"], [[2], [2, 3]]
SWEEP_VALUES = [np.array([b"ab", b"c"], dtype=object), np.arange(6, dtype=np.float32).reshape(2, 3)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("which", ["index", "data"])
def test_every_flipped_byte_is_data_loss_never_a_crash(tmp_path, which, fmt):
    """Each byte of a small checkpoint's files, flipped (all bits, then the lowest): the read is DataLossError
    or (for a byte that does not matter) the saved values, never a crash, a huge allocation, or another
    error. Before the data file's checksum was checked first, some flips crashed pyarrow (SIGSEGV)."""
    prefix = str(tmp_path / "ck")
    checkpoint_io.write(prefix, SWEEP_NAMES, SWEEP_VALUES, fmt=fmt)
    path = prefix + ".index" if which == "index" else checkpoint_io.data_files(prefix)[0]
    with open(path, "rb") as f:
        original = f.read()
    outcomes = {}
    for at in range(len(original)):
        for pattern in (0xFF, 0x01):
            damaged = bytearray(original)
            damaged[at] ^= pattern
            with open(path, "wb") as f:
                f.write(damaged)
            try:
                got = checkpoint_io.read(prefix, SWEEP_NAMES, SWEEP_DTYPES, SWEEP_SHAPES)
                outcome = "restored" if all(_same_bits(w, g) for w, g in zip(SWEEP_VALUES, got)) else "WRONG"
            except errors.DataLossError:
                outcome = "DataLossError"
            except Exception as e:  # noqa: BLE001 - any other outcome is the failure
                outcome = type(e).__name__
            if outcome not in ("DataLossError", "restored"):
                outcomes.setdefault(outcome, []).append((at, pattern))
    assert not outcomes, outcomes


def test_the_data_file_must_lie_beside_its_index(tmp_path):
    (tmp_path / "ck").mkdir()
    (tmp_path / "elsewhere").mkdir()
    prefix, other = str(tmp_path / "ck" / "m"), str(tmp_path / "elsewhere" / "x")
    checkpoint_io.write(other, ["w"], [np.ones(2, np.float32)], fmt=checkpoint_io.ARROW)
    checkpoint_io.write(prefix, ["w"], [np.zeros(2, np.float32)], fmt=checkpoint_io.ARROW)
    (data,) = checkpoint_io.data_files(other)
    for version in (1, 2):
        index = _as_version(prefix, version)
        index["data"] = "../elsewhere/" + os.path.basename(data)
        if version == 2:
            index["index_crc32"] = checkpoint_io._index_checksum(index)  # a consistent, hostile index
        with open(prefix + ".index", "w") as f:
            json.dump(index, f)
        with pytest.raises(errors.DataLossError, match="not a file name beside the index"):
            checkpoint_io.read(prefix, ["w"])


def _as_version(prefix, version):
    """The index of `prefix` rewritten as `version` wrote it (version 1: no size or checksums)."""
    with open(prefix + ".index") as f:
        index = json.load(f)
    if version == 1:
        for key in ("data_size", "data_crc32", "index_crc32"):
            index.pop(key, None)
        index["version"] = 1
    return index


def test_version_1_checkpoints_are_still_read(tmp_path):
    prefix = str(tmp_path / "ck")
    checkpoint_io.write(prefix, SWEEP_NAMES, SWEEP_VALUES, fmt=checkpoint_io.ARROW)
    index = _as_version(prefix, 1)
    with open(prefix + ".index", "w") as f:
        json.dump(index, f)
    got = checkpoint_io.read(prefix, SWEEP_NAMES, SWEEP_DTYPES, SWEEP_SHAPES)
    assert all(_same_bits(w, g) for w, g in zip(SWEEP_VALUES, got))
    with open(prefix + ".index") as f:
        assert json.load(f)["version"] == 1


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("crash_at", ["data", "index", "cleanup"])
def test_a_crash_mid_save_leaves_a_loadable_checkpoint(tmp_path, crash_at, fmt):
    """Overwrite a checkpoint in a process that dies (os._exit) at each step of the commit; twice, since a
    bundle overwriting a bundle alternates between one and two data files."""
    prefix = str(tmp_path / "model")
    checkpoint_io.write(prefix, ["w"], [np.full(3, 1.0, np.float32)], fmt=fmt)
    for _ in range(2):
        _crash_while_overwriting(prefix, crash_at, fmt)
        (value,) = checkpoint_io.read(prefix, ["w"])
        assert value.tolist() == ([2.0] * 3 if crash_at == "cleanup" else [1.0] * 3)
        checkpoint_io.write(prefix, ["w"], [np.full(3, 1.0, np.float32)], fmt=fmt)  # the next save tidies up
        assert checkpoint_io.read(prefix, ["w"])[0].tolist() == [1.0] * 3
        data = checkpoint_io.data_files(prefix)
        assert len(data) == (1 if fmt == checkpoint_io.ARROW else tensor_bundle.read_index(prefix).num_shards)
        assert not [f for f in os.listdir(tmp_path) if ".tmp-" in f]


def _crash_while_overwriting(prefix, crash_at, fmt):
    script = textwrap.dedent(f"""
        import os, numpy as np
        from raygraph import checkpoint_io, tensor_bundle
        real_replace, real_remove = os.replace, os.remove
        def replace(src, dst):
            if {crash_at!r} == "data" and ".data-" in dst or {crash_at!r} == "index" and dst.endswith(".index"):
                os._exit(3)
            real_replace(src, dst)
        def remove(path):
            if {crash_at!r} == "cleanup":
                os._exit(3)
            real_remove(path)
        os.replace, os.remove = replace, remove
        checkpoint_io.write({prefix!r}, ["w"], [np.full(3, 2.0, np.float32)], fmt={fmt!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 3, proc.stderr


def test_remove_deletes_index_first_and_all_data(tmp_path):
    prefix = str(tmp_path / "m")
    checkpoint_io.write(prefix, ["w"], [np.zeros(1)])
    assert checkpoint_io.exists(prefix)
    checkpoint_io.remove(prefix)
    assert not checkpoint_io.exists(prefix) and os.listdir(tmp_path) == []


# ----- Saver in sessions -----------------------------------------------------------------------------------
def _two_variables(tf, shape_b=(3,)):
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable(np.arange(np.prod(shape_b), dtype=np.float32).reshape(shape_b), name="b")
    return a, b


def test_failed_restores_change_no_variable(rtf, tmp_path):
    tf = rtf
    a, b = _two_variables(tf)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(s, str(tmp_path / "m"), write_meta_graph=False)
    for shape_b, extra, error in (((4,), False, tf.errors.InvalidArgumentError),
                                  ((3,), True, tf.errors.NotFoundError)):
        tf.reset_default_graph()
        a, b = _two_variables(tf, shape_b)
        if extra:
            tf.Variable(0.0, name="zzz_missing")
        saver = tf.train.Saver()
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(tf.assign(a, [7.0, 7.0]))
            with pytest.raises(error, match="Restoring from checkpoint failed"):
                saver.restore(s, path)
            assert s.run(a).tolist() == [7.0, 7.0]  # 'a' comes first in the checkpoint, yet was not assigned


def test_a_corrupt_checkpoint_is_data_loss_and_the_device_survives(rtf, tmp_path):
    tf = rtf
    s_var = tf.Variable(SWEEP_VALUES[0], name="s")
    w_var = tf.Variable(SWEEP_VALUES[1], name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
        (data,) = checkpoint_io.data_files(path)
        raw = bytearray(open(data, "rb").read())
        raw[raw.index(np.float32(3.0).tobytes())] ^= 0xFF
        open(data, "wb").write(bytes(raw))
        sess.run(tf.assign(w_var, tf.zeros([2, 3])))
        (device, handle), = sess._runtime.client.handles.items()
        with pytest.raises(tf.errors.DataLossError, match="Checksum does not match"):
            saver.restore(sess, path)
        assert sess.run(w_var).tolist() == [[0.0] * 3] * 2  # the same device, its variables untouched
        assert sess._runtime.client.handles[device] is handle
        assert sess.run(s_var).tolist() == [b"ab", b"c"]


def test_variables_on_two_devices_save_and_restore(rtf, tmp_path):
    tf = rtf
    with tf.device("/cpu:0"):
        a = tf.Variable([1.0, 2.0], name="a")
    with tf.device("/cpu:1"):
        b = tf.Variable([[3, 4]], name="b", dtype=tf.int64)
    saver = tf.train.Saver()
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        s.run(tf.global_variables_initializer())
        path = saver.save(s, str(tmp_path / "m"), global_step=1, write_meta_graph=False)
        s.run([tf.assign(a, [0.0, 0.0]), tf.assign(b, [[0, 0]])])
        saver.restore(s, path)
        assert s.run(a).tolist() == [1.0, 2.0] and s.run(b).tolist() == [[3, 4]]


def test_max_to_keep_deletes_old_files_and_recover_takes_over(rtf, tmp_path):
    tf = rtf
    tf.Variable([1.0], name="w")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for step in range(4):
            saver.save(s, str(tmp_path / "m"), global_step=step, write_meta_graph=False)
    kept = sorted(f for f in os.listdir(tmp_path) if f.endswith(".index"))
    assert kept == ["m-2.index", "m-3.index"]
    assert len([f for f in os.listdir(tmp_path) if ".data-00000-of-00001" in f]) == 2
    state = tf.train.get_checkpoint_state(str(tmp_path))
    later = tf.train.Saver(max_to_keep=2)
    later.recover_last_checkpoints(state.all_model_checkpoint_paths)
    assert later.last_checkpoints == [str(tmp_path / "m-2"), str(tmp_path / "m-3")]


def test_restore_through_an_imported_meta_graph(rtf, tmp_path):
    tf = rtf
    w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(tf.square(w))
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    tf.add_to_collection("train", train)
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        path = saver.save(s, str(tmp_path / "m"))
        want = s.run(w)
    assert os.path.exists(path + ".meta")
    tf.reset_default_graph()
    restorer = tf.train.import_meta_graph(path + ".meta")
    with tf.Session() as s:
        restorer.restore(s, tf.train.latest_checkpoint(str(tmp_path)))
        assert _same_bits(s.run("w:0"), want)
        s.run(tf.get_collection("train")[0])
        assert s.run("w:0").tolist() == (want * 0.5).tolist()


def test_sharded_deferred_relative_saver_as_monitored_sessions_build_it(rtf, tmp_path):
    tf = rtf
    w = tf.Variable([1.0, 2.0], name="w")
    saver = tf.train.Saver(sharded=True, defer_build=True, save_relative_paths=True)
    with pytest.raises(RuntimeError, match="build"):
        saver.save(None, str(tmp_path / "m"))
    saver.build()
    assert isinstance(saver.saver_def, tf.train.SaverDef) and saver.saver_def.sharded
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        path = saver.save(s, str(tmp_path / "m"), global_step=3, write_meta_graph=False)
        s.run(tf.assign(w, [0.0, 0.0]))
        saver.restore(s, path)
        assert s.run(w).tolist() == [1.0, 2.0]
    assert open(tmp_path / "checkpoint").read().splitlines()[0] == 'model_checkpoint_path: "m-3"'
    assert tf.train.latest_checkpoint(str(tmp_path)) == path


FRESH = textwrap.dedent("""
    import sys, numpy as np, raygraph as tf
    mode, prefix, out = sys.argv[1:4]
    rng = np.random.default_rng(7)
    w = tf.Variable(np.zeros((64, 33), np.float32), name="w")
    d = tf.Variable(np.zeros(5), name="d")
    s = tf.Variable(np.array([b""] * 2, dtype=object), name="s")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        if mode == "save":
            sess.run(tf.global_variables_initializer())
            sess.run([tf.assign(w, rng.standard_normal((64, 33)).astype(np.float32) * 1e-30),
                      tf.assign(d, rng.standard_normal(5)), tf.assign(s, [b"x\\x00y", "ü".encode()])])
            saver.save(sess, prefix, write_meta_graph=False)
        else:
            saver.restore(sess, prefix)
        vw, vd, vs = sess.run([w, d, s])
    np.save(out + "_w.npy", vw); np.save(out + "_d.npy", vd); np.save(out + "_s.npy", vs, allow_pickle=True)
""")


def test_restore_in_a_fresh_process_is_bit_identical(tmp_path):
    prefix = str(tmp_path / "m")
    for mode in ("save", "restore"):
        proc = subprocess.run([sys.executable, "-c", FRESH, mode, prefix, str(tmp_path / mode)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
    for part in ("w", "d", "s"):
        saved = np.load(tmp_path / f"save_{part}.npy", allow_pickle=True)
        restored = np.load(tmp_path / f"restore_{part}.npy", allow_pickle=True)
        assert _same_bits(saved, restored), part


def test_the_mlp_example_resumes_after_a_kill_exactly(tmp_path):
    """examples/train_mlp.py --demo: a run SIGKILLed mid-training resumes and ends like an unkilled run."""
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "train_mlp.py"), "--demo", "--steps", "120",
                           "--save-every", "40", "--kill-at", "90"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr[-2000:]
    assert "exit status -9" in out and "step 90: killed" in out
    saved_80 = next(line for line in out.splitlines() if "step 80: loss" in line).split("loss ")[1].split()[0]
    assert f"resumed model.ckpt-80 at step 80: loss {saved_80}" in out
    losses = [float(line.split("loss ")[1].split()[0]) for line in out.splitlines() if "step " in line and "loss" in line]
    assert losses[-1] < 0.5 * losses[0]
    assert out.strip().endswith("True")


def test_restore_logs_its_checkpoint_as_tf_does(rtf, tmp_path, caplog):
    """TF's Saver.restore logs `Restoring parameters from <path>` at INFO on the "tensorflow" logger (what a
    program run under tf.app or with INFO logging prints before training resumes)."""
    tf = rtf
    v = tf.Variable([1.0, 2.0])
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(v.initializer)
        path = saver.save(s, str(tmp_path / "m"), write_meta_graph=False)
        with caplog.at_level(logging.INFO, logger="tensorflow"):
            saver.restore(s, path)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("tensorflow", logging.INFO, f"Restoring parameters from {path}")]

"""TensorFlow's checkpoint format both ways: checkpoints and SavedModels TensorFlow wrote (tests/fixtures/, made by
tests/fixtures/make_checkpoints.py) restore in raygraph, raygraph writes TensorFlow's bytes exactly, and, where a
TensorFlow install is at hand (RAYGRAPH_TF_PYTHON, default /work/tfref/bin/python), TensorFlow itself restores
what raygraph saves and serves raygraph's SavedModels."""
import json
import os
import shutil
import subprocess
import textwrap

import numpy as np
import pytest

from fixtures.checkpoint_values import CNN_INPUT, MLP_INPUT, OTHER, PART, VALUES
from raygraph import checkpoint_io, errors, sstable, tensor_bundle
from raygraph.train import checkpoint_utils

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
TF_CKPT = os.path.join(FIXTURES, "tf_ckpt", "model.ckpt-7")
TF_PART = os.path.join(FIXTURES, "tf_ckpt_part", "model.ckpt")
TF_PYTHON = os.environ.get("RAYGRAPH_TF_PYTHON", "/work/tfref/bin/python")
needs_tensorflow = pytest.mark.skipif(not os.path.exists(TF_PYTHON), reason="no TensorFlow install to check against")


def _same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    if want.dtype == object:
        return got.shape == want.shape and got.tolist() == want.tolist()
    return got.dtype == want.dtype and got.shape == want.shape and got.tobytes() == want.tobytes()


def _dtype(value):
    return "string" if np.asarray(value).dtype == object else np.asarray(value).dtype.name


# ----- the format, without Ray -----------------------------------------------------------------------------------
def test_tensorflows_checkpoint_reads_with_every_dtype():
    names = sorted(VALUES)
    for name, got in zip(names, checkpoint_io.read(TF_CKPT, names, [_dtype(VALUES[n]) for n in names])):
        assert _same(got, VALUES[name]), name
    reader = checkpoint_utils.NewCheckpointReader(TF_CKPT)
    assert reader.get_variable_to_shape_map()["words"] == [2, 2]
    assert reader.get_variable_to_dtype_map()["half"].name == "float16"
    assert reader.has_tensor("global_step") and not reader.has_tensor("nothing")
    listed = checkpoint_utils.list_variables(os.path.dirname(TF_CKPT))  # the directory's `checkpoint` file
    assert listed == sorted((n, list(np.shape(v))) for n, v in VALUES.items())
    assert checkpoint_utils.load_variable(os.path.dirname(TF_CKPT), "dense/kernel:0").tolist() == \
        VALUES["dense/kernel"].tolist()
    assert checkpoint_utils.load_checkpoint(TF_CKPT).get_tensor("scalar_word") == b"ckpt"


def test_raygraph_writes_tensorflows_bytes(tmp_path):
    prefix = str(tmp_path / "model.ckpt-7")
    names = list(VALUES)
    checkpoint_io.write(prefix, names, [VALUES[n] for n in names], [_dtype(VALUES[n]) for n in names])
    for suffix in (".index", ".data-00000-of-00001"):
        with open(prefix + suffix, "rb") as mine, open(TF_CKPT + suffix, "rb") as theirs:
            assert mine.read() == theirs.read(), suffix
    assert sorted(os.listdir(tmp_path)) == ["model.ckpt-7.data-00000-of-00001", "model.ckpt-7.index"]


def test_a_partitioned_tensor_reads_whole_from_its_slices():
    assert checkpoint_utils.list_variables(TF_PART) == [("other", [2]), ("part", [5, 3])]
    assert _same(checkpoint_utils.load_variable(TF_PART, "part"), PART)
    assert _same(checkpoint_io.read(TF_PART, ["other", "part"], shapes=[[2], [5, 3]])[0], OTHER)
    assert tensor_bundle.slice_key(b"part", [(3, 2), (0, 3)]) in tensor_bundle.read_index(TF_PART).entries


def test_slice_keys_sort_as_their_numbers():
    numbers = [-2 ** 62, -70000, -65, -64, -1, 0, 1, 63, 64, 8191, 8192, 2 ** 40, 2 ** 62]
    keys = [tensor_bundle.slice_key(b"v", [(n, 1)]) for n in numbers]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_tables_of_many_blocks_round_trip():
    items = [(b"key/%05d" % i, bytes(i % 300)) for i in range(2000)]
    table = sstable.build(items, block_size=4096)
    assert sstable.parse(table) == items
    with pytest.raises(ValueError, match="increase"):
        sstable.build([(b"b", b""), (b"a", b"")])


def test_damaged_tensorflow_files_are_data_loss(tmp_path):
    for suffix, cut in ((".index", 30), (".index", -3), (".data-00000-of-00001", -1)):
        shutil.copytree(os.path.dirname(TF_CKPT), tmp_path / "ck", dirs_exist_ok=True)
        path = str(tmp_path / "ck" / os.path.basename(TF_CKPT))
        raw = open(path + suffix, "rb").read()
        open(path + suffix, "wb").write(raw[:cut])
        with pytest.raises(errors.DataLossError):
            checkpoint_io.read(path, sorted(VALUES))


def test_every_flipped_byte_of_a_partitioned_index_is_data_loss_or_harmless(tmp_path):
    shutil.copytree(os.path.dirname(TF_PART), tmp_path / "ck")
    prefix = str(tmp_path / "ck" / "model.ckpt")
    original = open(prefix + ".index", "rb").read()
    bad = []
    for at in range(len(original)):
        for pattern in (0xFF, 0x01):
            damaged = bytearray(original)
            damaged[at] ^= pattern
            open(prefix + ".index", "wb").write(bytes(damaged))
            try:
                part, other = checkpoint_io.read(prefix, ["part", "other"])
                if not (_same(part, PART) and _same(other, OTHER)):
                    bad.append((at, pattern, "wrong values"))
            except errors.DataLossError:
                pass
            except Exception as e:  # noqa: BLE001 - any other outcome is the failure
                bad.append((at, pattern, repr(e)))
    assert not bad, bad


def test_a_sharded_tensorflow_save_merges(tmp_path):
    """What TF's sharded saver does (each device's shard to a temporary prefix, then MergeV2Checkpoints)."""
    (tmp_path / "tmp").mkdir()
    shards = [str(tmp_path / "tmp" / f"part-{i}") for i in range(2)]
    checkpoint_io.write(shards[0], ["b", "a"], [np.ones(2, np.float32), np.int64(3)])
    checkpoint_io.write(shards[1], ["c"], [np.array([b"x"], object)])
    tensor_bundle.merge(shards, str(tmp_path / "m"))
    assert checkpoint_io.read(str(tmp_path / "m"), ["a", "c"])[1].tolist() == [b"x"]
    assert sorted(os.listdir(tmp_path)) == ["m.data-00000-of-00002", "m.data-00001-of-00002", "m.index"]


# ----- Saver, meta graphs and SavedModels TensorFlow wrote, in raygraph -------------------------------------------
def test_saver_restores_a_tensorflow_checkpoint(rtf):
    tf = rtf
    kernel = tf.Variable(np.zeros((3, 2), np.float32), name="dense/kernel")
    words = tf.Variable(np.array([[b""] * 2] * 2, object), name="words")
    step = tf.Variable(0, dtype=tf.int64, name="global_step")
    saver = tf.train.Saver([kernel, words, step])
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(os.path.dirname(TF_CKPT)))
        got = sess.run([kernel, words, step])
    for value, name in zip(got, ["dense/kernel", "words", "global_step"]):
        assert _same(value, VALUES[name]), name


def test_a_tensorflow_meta_graph_imports_and_restores(rtf):
    tf = rtf
    saver = tf.train.import_meta_graph(TF_CKPT + ".meta")
    with tf.Session() as sess:
        saver.restore(sess, TF_CKPT)
        for name in ("double", "words", "complex", "many/v_39"):
            assert _same(sess.run(name + ":0"), VALUES[name]), name


def test_restore_v2_reads_slices_as_partitioned_variables_do(rtf):
    tf = rtf
    from raygraph.ops.training import restore_v2
    rows, cols, whole = restore_v2(os.path.abspath(TF_PART), ["part", "part", "other"], ["5 3 3,2:-", "5 3 -:1,2", ""],
                                   [tf.float32] * 3)
    bad = restore_v2(os.path.abspath(TF_PART), ["part"], ["4 3 0,1:-"], [tf.float32])
    with tf.Session() as sess:
        got = sess.run([rows, cols, whole])
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not match the shape"):
            sess.run(bad)
    assert [g.tolist() for g in got] == [PART[3:5].tolist(), PART[:, 1:3].tolist(), OTHER.tolist()]


def test_init_from_checkpoint_follows_the_assignment_map(rtf):
    tf = rtf
    with tf.variable_scope("model"):
        kernel = tf.get_variable("dense/kernel", [3, 2])
        bias = tf.get_variable("dense/bias", [2])
    counts = tf.Variable(np.zeros(3, np.int64), name="x")
    untouched = tf.Variable([9.0], name="y")
    tf.train.init_from_checkpoint(os.path.dirname(TF_CKPT), {"dense/": "model/dense/", "counts": counts})
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("checkpoint_initializer_2").type == "RestoreV2"
    assert kernel.initial_value.name == "checkpoint_initializer_2:0" and kernel.initializer.type == "Assign"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run([kernel, bias, counts, untouched])
    assert [g.tolist() for g in got] == [VALUES["dense/kernel"].tolist(), VALUES["dense/bias"].tolist(),
                                         VALUES["counts"].tolist(), [9.0]]
    with pytest.raises(ValueError, match="Tensor nothing is not found"):
        tf.train.init_from_checkpoint(TF_CKPT, {"nothing": counts})
    with pytest.raises(ValueError, match="Shape of variable y:0"):
        tf.train.init_from_checkpoint(TF_CKPT, {"counts": untouched})
    with pytest.raises(ValueError, match="should map to scope only"):
        tf.train.init_from_checkpoint(TF_CKPT, {"dense": "model/nothing/"})
    with tf.variable_scope("root"):
        step = tf.get_variable("global_step", [], tf.int64)
    tf.train.init_from_checkpoint(TF_CKPT, {"/": "root/"})
    with tf.Session() as sess:
        sess.run(step.initializer)
        assert sess.run(step) == 7


@pytest.mark.parametrize("name,value", [("tf_mlp", MLP_INPUT), ("tf_cnn", CNN_INPUT)])
def test_a_tensorflow_saved_model_serves_its_outputs(rtf, name, value):
    tf = rtf
    with open(os.path.join(FIXTURES, "savedmodels.json")) as f:
        want = json.load(f)[name]
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], os.path.join(FIXTURES, name))
        signature = meta.signature_def["serving_default"]
        got = sess.run(signature.outputs["y"].name, {signature.inputs["x"].name: value})
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


# ----- TensorFlow reads what raygraph writes ------------------------------------------------------------------------
def _run_tensorflow(script, *args):
    proc = subprocess.run([TF_PYTHON, "-c", textwrap.dedent(script), *args], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES=""))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@needs_tensorflow
def test_tensorflow_restores_what_raygraph_saves(rtf, tmp_path):
    tf = rtf
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="layer/w")
    d = tf.Variable([0.5, -2.0], dtype=tf.float64, name="d")
    s = tf.Variable(np.array([b"raw\x00bytes", "\u00fc".encode()], object), name="s")
    step = tf.train.get_or_create_global_step()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([tf.assign_add(w, tf.ones_like(w)), tf.assign(step, 42)])
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)  # overwritten: two data files
        want = sess.run([w, d, s, step])
    got = _run_tensorflow("""
        import json, sys
        import numpy as np
        import tensorflow as tf_mod
        tf = tf_mod.compat.v1
        tf.disable_v2_behavior()
        w = tf.Variable(np.zeros((2, 3), np.float32), name="layer/w")
        d = tf.Variable(np.zeros(2), name="d")
        s = tf.Variable(np.array([b"", b""], object), name="s")
        step = tf.train.get_or_create_global_step()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, tf.train.latest_checkpoint(sys.argv[1]))
            w, d, s, step = sess.run([w, d, s, step])
        print(json.dumps([w.tolist(), d.tolist(), [x.decode("latin-1") for x in s], int(step)]))
    """, str(tmp_path))
    assert path == str(tmp_path / "model.ckpt-42")
    assert got == [want[0].tolist(), want[1].tolist(), [x.decode("latin-1") for x in want[2]], 42]


@needs_tensorflow
def test_tensorflow_serves_a_raygraph_saved_model(rtf, tmp_path):
    tf = rtf
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.Variable(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3), name="dense/w")
    b = tf.Variable([0.1, 0.2, 0.3], name="dense/b")
    y = tf.nn.softmax(tf.matmul(x, w) + b, name="y")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign_add(w, tf.fill([4, 3], 0.5)))  # values only the checkpoint holds
        tf.saved_model.simple_save(sess, str(tmp_path / "model"), inputs={"x": x}, outputs={"y": y})
        want = sess.run(y, {x: MLP_INPUT})
    got = _run_tensorflow("""
        import json, sys
        import numpy as np
        import tensorflow as tf_mod
        tf = tf_mod.compat.v1
        tf.disable_v2_behavior()
        with tf.Session(graph=tf.Graph()) as sess:
            meta = tf.saved_model.loader.load(sess, ["serve"], sys.argv[1])
            sig = meta.signature_def["serving_default"]
            print(json.dumps(sess.run(sig.outputs["y"].name, {sig.inputs["x"].name: json.loads(sys.argv[2])}).tolist()))
    """, str(tmp_path / "model"), json.dumps(MLP_INPUT.tolist()))
    np.testing.assert_allclose(got, want, rtol=1e-6)


@needs_tensorflow
def test_tensorflow_runs_a_graph_raygraph_froze(rtf, tmp_path):
    """graph_util.convert_variables_to_constants' GraphDef imports in TensorFlow and gives raygraph's outputs."""
    tf = rtf
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.Variable(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3), name="dense/w")
    b = tf.Variable([0.1, 0.2, 0.3], name="dense/b")
    y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign_add(w, tf.fill([4, 3], 0.25)))
        frozen = tf.graph_util.convert_variables_to_constants(sess, sess.graph.as_graph_def(), ["y"])
        want = sess.run(y, {x: MLP_INPUT})
    assert not any(n.op.startswith("Variable") for n in frozen.node)
    path = tmp_path / "frozen.pb"
    path.write_bytes(frozen.SerializeToString())
    got = _run_tensorflow("""
        import json, sys
        import tensorflow as tf_mod
        tf = tf_mod.compat.v1
        tf.disable_v2_behavior()
        g = tf.GraphDef()
        g.ParseFromString(open(sys.argv[1], "rb").read())
        with tf.Graph().as_default() as graph:
            tf.import_graph_def(g, name="")
            with tf.Session(graph=graph) as sess:
                print(json.dumps(sess.run("y:0", {"x:0": json.loads(sys.argv[2])}).tolist()))
    """, str(path), json.dumps(MLP_INPUT.tolist()))
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_bring_your_tf1_checkpoint_example(rtf, tmp_path):
    """examples/bring_tf1_checkpoint.py: TF's weights restored and trained on; the SavedModel it exports serves
    the same outputs in raygraph and (where installed) in TensorFlow."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("bring", os.path.join(FIXTURES, "..", "..", "examples",
                                                                         "bring_tf1_checkpoint.py"))
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    before, after = example.main(example.DEFAULT, str(tmp_path / "model"))
    assert after < 0.5 * before
    tf = rtf
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "model"))
        signature = meta.signature_def["serving_default"]
        want = sess.run(signature.outputs["probs"].name, {signature.inputs["x"].name: MLP_INPUT})
    assert checkpoint_utils.load_variable(str(tmp_path), "dense_0/kernel/Adam").shape == (4, 8)
    if os.path.exists(TF_PYTHON):
        got = _run_tensorflow("""
            import json, sys
            import tensorflow as tf_mod
            tf = tf_mod.compat.v1
            tf.disable_v2_behavior()
            with tf.Session(graph=tf.Graph()) as sess:
                meta = tf.saved_model.loader.load(sess, ["serve"], sys.argv[1])
                sig = meta.signature_def["serving_default"]
                x = json.loads(sys.argv[2])
                print(json.dumps(sess.run(sig.outputs["probs"].name, {sig.inputs["x"].name: x}).tolist()))
        """, str(tmp_path / "model"), json.dumps(MLP_INPUT.tolist()))
        np.testing.assert_allclose(got, want, rtol=1e-5)   # (two float32 forward passes: 1.002e-6 seen)

"""Carrying models: MetaGraphDefs (export/import_meta_graph, write_graph) and SavedModels loaded in a fresh
process to serve predictions."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INPUT = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], np.float32)


def build_model(tf):
    """A small classifier whose variables get trained values (so a restore is visible)."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.name_scope("dense"):
        w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10, name="w")
        b = tf.Variable([0.1, -0.1], name="b")
        logits = tf.add(tf.matmul(x, w), b, name="logits")
    probs = tf.nn.softmax(logits, name="probs")
    bump = [tf.assign_add(w, tf.ones_like(w)), tf.assign_add(b, [1.0, 2.0])]  # "training"
    return x, probs, bump


# ----- write_graph and meta graphs ----------------------------------------------------------------------------
def test_write_graph_text_and_binary(tf, tmp_path):
    from google.protobuf import text_format
    build_model(tf)
    g = tf.get_default_graph()
    text_path = tf.train.write_graph(g, str(tmp_path / "sub"), "graph.pbtxt")
    binary_path = tf.train.write_graph(g.as_graph_def(), str(tmp_path), "graph.pb", as_text=False)
    assert text_path == str(tmp_path / "sub" / "graph.pbtxt")
    from_text = text_format.Parse(open(text_path).read(), tf.GraphDef())
    from_binary = tf.GraphDef.FromString(open(binary_path, "rb").read())
    assert from_text == from_binary == g.as_graph_def()
    assert [f for f in os.listdir(tmp_path) if f.startswith(".")] == []  # no temporary files left


def test_meta_graph_round_trip_through_a_file(rtf, tmp_path):
    tf = rtf
    x, probs, bump = build_model(tf)
    tf.add_to_collection("serving", probs)
    with tf.Session() as sess:
        sess.run([v.initializer for v in tf.global_variables()])
        want = sess.run(probs, {x: INPUT})
    path = str(tmp_path / "model.meta")
    for as_text in (False, True):
        tf.train.export_meta_graph(path, as_text=as_text)
        with tf.Graph().as_default() as g:
            tf.train.import_meta_graph(path, import_scope="copy")
            assert [v.name for v in tf.trainable_variables()] == ["copy/dense/w:0", "copy/dense/b:0"]
            out, = tf.get_collection("serving")
            assert out.name == "copy/probs:0"
            with tf.Session() as sess:
                sess.run([v.initializer for v in tf.global_variables()])
                np.testing.assert_allclose(sess.run(out, {g.get_tensor_by_name("copy/x:0"): INPUT}), want)


def test_import_meta_graph_clears_devices_and_reads_errors(tf, tmp_path):
    with tf.device("/cpu:0"):
        tf.constant(1.0, name="c")
    meta = tf.train.export_meta_graph()
    assert meta.graph_def.node[0].device == "/device:CPU:0"
    assert tf.train.export_meta_graph(clear_devices=True).graph_def.node[0].device == ""
    with tf.Graph().as_default() as g:
        tf.train.import_meta_graph(meta, clear_devices=True)
        assert g.get_operation_by_name("c").device == ""
    with pytest.raises(IOError):
        tf.train.import_meta_graph(str(tmp_path / "missing.meta"))


def test_saver_meta_graph_restores_variables(rtf, tmp_path):
    tf = rtf
    saver_module = pytest.importorskip("raygraph.train.saver")
    x, probs, bump = build_model(tf)
    saver = saver_module.Saver()
    with tf.Session() as sess:
        sess.run([v.initializer for v in tf.global_variables()])
        sess.run(bump)
        want = sess.run(probs, {x: INPUT})
        prefix = saver.save(sess, str(tmp_path / "ckpt"))
    with tf.Graph().as_default() as g:
        restorer = tf.train.import_meta_graph(prefix + ".meta")
        with tf.Session() as sess:
            restorer.restore(sess, prefix)
            np.testing.assert_allclose(sess.run("probs:0", {g.get_tensor_by_name("x:0"): INPUT}), want)


# ----- SavedModel -------------------------------------------------------------------------------------------
SERVE = """
    import json, sys
    import numpy as np
    import raygraph as tf
    export_dir, inputs = sys.argv[1], json.loads(sys.argv[2])
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        signature = meta.signature_def[tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
        feed = {signature.inputs["x"].name: np.asarray(inputs, np.float32)}
        out = sess.run({k: v.name for k, v in signature.outputs.items()}, feed)
    print(json.dumps({k: np.asarray(v).tolist() for k, v in out.items()}))
"""


def serve_in_fresh_process(export_dir, inputs, ray_runtime):
    """Loads the SavedModel in a new Python process (a new driver of the test's Ray cluster)."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               RAY_ADDRESS=ray_runtime.get_runtime_context().gcs_address)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SERVE), export_dir, json.dumps(inputs.tolist())],
                          capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_simple_save_serves_predictions_in_a_fresh_process(rtf, ray_runtime, tmp_path):
    tf = rtf
    pytest.importorskip("raygraph.train.saver")
    x, probs, bump = build_model(tf)
    classes = tf.argmax(probs, 1, name="classes")
    export_dir = str(tmp_path / "model")
    with tf.Session() as sess:
        sess.run([v.initializer for v in tf.global_variables()])
        sess.run(bump)
        want_probs, want_classes = sess.run([probs, classes], {x: INPUT})
        tf.saved_model.simple_save(sess, export_dir, inputs={"x": x}, outputs={"probs": probs, "classes": classes})
    assert sorted(os.listdir(export_dir)) == ["saved_model.pb", "variables"]
    got = serve_in_fresh_process(export_dir, INPUT, ray_runtime)
    np.testing.assert_allclose(got["probs"], want_probs, rtol=1e-6)
    assert got["classes"] == want_classes.tolist()


def test_saved_model_layout_and_signature(rtf, tmp_path):
    tf = rtf
    pytest.importorskip("raygraph.train.saver")
    x, probs, _ = build_model(tf)
    export_dir = str(tmp_path / "model")
    with tf.Session() as sess:
        sess.run([v.initializer for v in tf.global_variables()])
        tf.saved_model.simple_save(sess, export_dir, inputs={"x": x}, outputs={"probs": probs})
    saved = tf.saved_model.loader.parse_saved_model(export_dir)
    assert saved.saved_model_schema_version == 1 and len(saved.meta_graphs) == 1
    meta = saved.meta_graphs[0]
    assert list(meta.meta_info_def.tags) == ["serve"]
    signature = meta.signature_def["serving_default"]
    assert signature.method_name == "tensorflow/serving/predict"
    assert signature.inputs["x"].name == "x:0"
    assert [d.size for d in signature.inputs["x"].tensor_shape.dim] == [-1, 3]
    assert signature.outputs["probs"].dtype == tf.float32.as_datatype_enum
    assert meta.saver_def.restore_op_name and all(not n.device for n in meta.graph_def.node)
    assert tf.saved_model.maybe_saved_model_directory(export_dir)


def test_builder_tags_main_op_and_errors(rtf, tmp_path):
    tf = rtf
    pytest.importorskip("raygraph.train.saver")
    x, probs, bump = build_model(tf)
    counter = tf.Variable(0, name="loads")
    main_op = tf.assign_add(counter, 1).op
    export_dir = str(tmp_path / "model")
    builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
    with pytest.raises(AssertionError, match="has not been saved yet"):
        builder.add_meta_graph(["train"])
    with tf.Session() as sess:
        sess.run([v.initializer for v in tf.global_variables()])
        builder.add_meta_graph_and_variables(sess, ["serve"], main_op=main_op)
        builder.add_meta_graph(["train", "gpu"])
    builder.save(as_text=True)
    with pytest.raises(AssertionError, match="already exists"):
        tf.saved_model.builder.SavedModelBuilder(export_dir)
    with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
        tf.saved_model.loader.load(sess, ["serve"], export_dir)
        assert sess.run("loads:0") == 1  # the main op ran after the restore
        with pytest.raises(RuntimeError, match="could not be found in SavedModel"):
            tf.saved_model.loader.load(sess, ["train"], export_dir)
    with pytest.raises(IOError):
        tf.saved_model.loader.load(None, ["serve"], str(tmp_path / "nothing"))
    with pytest.raises(ValueError, match="cannot be None or empty"):
        tf.saved_model.signature_def_utils.predict_signature_def({}, {"p": probs})

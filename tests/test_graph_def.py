"""GraphDef interchange: raygraph's GraphDefs as TF writes them, `import_graph_def` with TF1's semantics, and
GraphDefs written by real TensorFlow (tests/fixtures) imported and run with TensorFlow's outputs."""
import json
import os

import numpy as np
import pytest
from tensorboard.compat.proto import graph_pb2

from raygraph import errors
from raygraph.importer import import_graph_def

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def load_fixture(name):
    with open(os.path.join(FIXTURES, f"{name}.pb"), "rb") as f:
        return graph_pb2.GraphDef.FromString(f.read())


def small_graph(tf):
    """x -> y = x @ w + b; z = identity(y) after `b`'s initializer (a control input)."""
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
    b = tf.Variable([0.5, -0.5], name="b")
    with tf.name_scope("layer"):
        y = tf.add(tf.matmul(x, w), b, name="y")
    with tf.control_dependencies([b.initializer]):
        z = tf.identity(y, name="z")
    return x, y, z


# ----- export ------------------------------------------------------------------------------------------
def test_node_defs_carry_inputs_devices_and_attrs(tf):
    x, y, z = small_graph(tf)
    with tf.device("/cpu:0"):
        parts = tf.split(x, 2, axis=1, name="parts")
        second = tf.identity(parts[1], name="second")
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    assert list(nodes["z"].input) == ["layer/y", "^b/Assign"]
    assert list(nodes["second"].input) == ["parts:1"]
    assert nodes["second"].device == "/device:CPU:0"
    assert nodes["x"].attr["dtype"].type == tf.float32.as_datatype_enum
    assert [d.size for d in nodes["x"].attr["shape"].shape.dim] == [-1, 2]
    assert nodes["layer/MatMul"].attr["T"].type == tf.float32.as_datatype_enum
    assert nodes["layer/MatMul"].attr["transpose_a"].b is False
    value = nodes["w/initial_value"].attr["value"].tensor
    assert [d.size for d in value.tensor_shape.dim] == [2, 2]
    assert np.frombuffer(value.tensor_content, np.float32).tolist() == [1.0, 2.0, 3.0, 4.0]
    assert list(nodes["w/read"].attr["_class"].list.s) == [b"loc:@w"]


def test_add_shapes_and_from_version(tf):
    x, y, z = small_graph(tf)
    g = tf.get_default_graph()
    gd = g.as_graph_def(add_shapes=True)
    shapes = {n.name: n.attr["_output_shapes"].list.shape[0] for n in gd.node if n.name in ("x", "z")}
    assert [d.size for d in shapes["z"].dim] == [-1, 2]
    version = g.version
    tf.constant(1.0, name="late")
    assert [n.name for n in g.as_graph_def(from_version=version).node] == ["late"]


# ----- import ------------------------------------------------------------------------------------------
def test_import_prefixes_names_and_keeps_structure(tf):
    small_graph(tf)
    gd = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as g:
        assert import_graph_def(gd) is None
        import_graph_def(gd)
        z = g.get_operation_by_name("import_1/z")
        assert [t.name for t in z.inputs] == ["import_1/layer/y:0"]
        assert [c.name for c in z.control_inputs] == ["import_1/b/Assign"]
        assert g.get_operation_by_name("import_1/w/read").get_attr("_class") == [b"loc:@import_1/w"]
        assert g.get_tensor_by_name("import/layer/y:0").shape.as_list() == [None, 2]
        assert g.get_tensor_by_name("import/w:0").dtype == tf.float32._as_ref


def test_import_with_empty_name_uniquifies_clashes(tf):
    small_graph(tf)
    g = tf.get_default_graph()
    gd = g.as_graph_def()
    n_before = len(g.get_operations())
    z, = import_graph_def(gd, name="", return_elements=["z"])
    assert z.name == "z_1"
    assert [t.name for t in z.inputs] == ["layer/y_1:0"]
    assert len(g.get_operations()) == 2 * n_before
    assert tf.identity(z.outputs[0], name="z").op.name == "z_2"


def test_input_map_and_return_elements(tf):
    small_graph(tf)
    gd = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as g:
        c = tf.constant([[1.0, 1.0]], name="c")
        y, z = import_graph_def(gd, input_map={"x": c}, return_elements=["layer/y:0", "z"])
        assert y.op.inputs[0].op.inputs[0] is c
        assert y.shape.as_list() == [1, 2]
        assert z.type == "Identity" and z.name == "import/z"
        w = g.get_operation_by_name("import/w")
        init, = import_graph_def(gd, input_map={"^b/Assign": w}, return_elements=["z"], name="ctl")
        assert init.control_inputs == [w]


@pytest.mark.parametrize("kwargs,error,text", [
    (dict(input_map={"nope:0": 1.0}), ValueError, "not found in graph_def: [nope:0]"),
    (dict(input_map={"x:1": 1.0}), ValueError, "not found in graph_def: [x:1]"),
    (dict(return_elements=["nope"]), ValueError, "Requested return node 'nope'"),
    (dict(return_elements=["nope:0"]), ValueError, "Requested return tensor 'nope:0'"),
    (dict(return_elements=["z:3"]), ValueError, "Invalid return output 3"),
    (dict(return_elements=[3]), TypeError, "must be a list of strings"),
    (dict(input_map={"x:0": [[1, 2]]}), ValueError, "incompatible with expected float"),
    (dict(input_map={"x:0": [1.0, 2.0, 3.0]}), ValueError, "rank 2"),
])
def test_import_errors(tf, kwargs, error, text):
    small_graph(tf)
    gd = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default():
        with pytest.raises(error) as e:
            import_graph_def(gd, **kwargs)
    assert text in str(e.value)


def test_import_rejects_non_graph_defs_and_unknown_ops(tf):
    with pytest.raises(TypeError, match="must be a GraphDef"):
        import_graph_def("graph")
    with pytest.raises(TypeError, match="must be strings"):
        import_graph_def(graph_pb2.GraphDef(), input_map={tf.constant(1.0): 1.0})
    gd = graph_pb2.GraphDef()
    gd.node.add(name="w", op="NoSuchOp")
    with pytest.raises(errors.NotFoundError, match="NoSuchOp"):
        import_graph_def(gd)


def test_import_applies_device_and_control_scopes(tf):
    small_graph(tf)
    with tf.device("/cpu:0"):
        tf.identity(tf.constant(1.0), name="pinned")
    gd = tf.get_default_graph().as_graph_def()
    gd.node[-1].device = "/device:CPU:1"
    with tf.Graph().as_default():
        c = tf.constant(0.0, name="c")
        with tf.device("/job:worker/task:1"), tf.control_dependencies([c]):
            z, pinned = import_graph_def(gd, return_elements=["z", "pinned"])
        assert z.device == "/job:worker/task:1"
        assert pinned.device == "/job:worker/task:1/device:CPU:1"
        assert c.op in z.control_inputs


def test_import_fills_attrs_left_out_at_their_defaults(tf):
    gd = graph_pb2.GraphDef()
    tf.constant([[1.0, 2.0]], name="a")
    for n in tf.get_default_graph().as_graph_def().node:
        gd.node.add().CopyFrom(n)
    mm = gd.node.add(name="mm", op="MatMul", input=["a", "a"])
    mm.attr["T"].type = tf.float32.as_datatype_enum
    mm.attr["transpose_b"].b = True  # transpose_a left out, as strip_default_attrs writes it
    with tf.Graph().as_default():
        out, = import_graph_def(gd, return_elements=["mm:0"])
        assert out.op.get_attr("transpose_a") is False
        assert out.shape.as_list() == [1, 1]


def test_import_orders_nodes_by_their_inputs(tf):
    small_graph(tf)
    gd = tf.get_default_graph().as_graph_def()
    shuffled = graph_pb2.GraphDef()
    shuffled.node.extend(reversed(gd.node))
    with tf.Graph().as_default() as g:
        import_graph_def(shuffled, name="")
        assert sorted(op.name for op in g.get_operations()) == sorted(n.name for n in gd.node)


# ----- running imported graphs -------------------------------------------------------------------------
def test_round_trip_gives_the_same_outputs(rtf):
    tf = rtf
    x, y, z = small_graph(tf)
    feed = np.array([[1.0, -1.0], [2.0, 0.5]], np.float32)
    with tf.Session() as sess:
        sess.run([v.initializer for v in tf.global_variables()])
        want = sess.run(z, {x: feed})
    gd = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as g:
        import_graph_def(gd, name="copy")
        with tf.Session() as sess:
            sess.run(["copy/w/Assign", "copy/b/Assign"])
            got = sess.run("copy/z:0", {"copy/x:0": feed})
    np.testing.assert_array_equal(got, want)


def _expected(name):
    with open(os.path.join(FIXTURES, "expected.json")) as f:
        return json.load(f)[name]


@pytest.mark.parametrize("name", ["mlp", "train", "optimizers", "zoo"])
def test_tensorflow_written_graphs_run_with_tensorflows_outputs(rtf, name):
    tf = rtf
    want = _expected(name)
    import_graph_def(load_fixture(name), name="")
    feeds = {k: np.asarray(v, np.float32) for k, v in want["feeds"].items()}
    fetches = sorted(want["fetches"])
    with tf.Session() as sess:
        sess.run(want["init"])
        for target in want["targets"]:
            sess.run(target, feeds)
        got = sess.run(fetches, feeds)
    for fetch, value in zip(fetches, got):
        expected = want["fetches"][fetch]
        value = np.asarray(value)
        assert value.dtype.name == expected["dtype"], fetch
        assert list(value.shape) == expected["shape"], fetch
        np.testing.assert_allclose(value, np.asarray(expected["value"], expected["dtype"]), rtol=1e-5, atol=1e-6,
                                   err_msg=fetch)


def test_stripped_default_attrs_come_back_on_import(tf):
    from raygraph.importer import strip_default_attrs
    a = tf.constant([[1.0, 2.0]], name="a")
    tf.matmul(a, a, transpose_b=True, name="mm")
    tf.reduce_sum(a, name="total")
    gd = strip_default_attrs(tf.get_default_graph().as_graph_def())
    nodes = {n.name: n for n in gd.node}
    assert "transpose_a" not in nodes["mm"].attr and nodes["mm"].attr["transpose_b"].b is True
    assert "keep_dims" not in nodes["total"].attr
    meta = tf.train.export_meta_graph(strip_default_attrs=True)
    assert meta.meta_info_def.stripped_default_attrs
    with tf.Graph().as_default():
        mm, total = import_graph_def(meta.graph_def, return_elements=["mm:0", "total:0"])
        assert mm.op.get_attr("transpose_a") is False and mm.shape.as_list() == [1, 1]
        assert total.op.get_attr("keep_dims") is False and total.shape.as_list() == []


@pytest.mark.parametrize("damage", ["no_dtype", "wrong_attr_kind", "missing_type_attr", "bad_return"])
def test_a_failed_import_adds_nothing(tf, damage):
    """A malformed node (or a missing return element) is TF's ValueError, and the graph is left as it was:
    no op, no consumer on an input_map tensor, no name taken."""
    with tf.Graph().as_default() as src:
        x = tf.placeholder(tf.float32, [2], name="x")
        tf.identity(tf.identity(x, name="y") * 2.0, name="z")
    gd = src.as_graph_def()
    bad = gd.node.add()
    bad.name = "bad"
    if damage == "no_dtype":
        bad.op = "Placeholder"
    elif damage == "wrong_attr_kind":
        bad.op, bad.input[:] = "Identity", ["z"]
        bad.attr["T"].shape.unknown_rank = True
    elif damage == "missing_type_attr":
        bad.op, bad.input[:] = "AddV2", ["y", "z"]
    else:
        del gd.node[-1]
    with tf.Graph().as_default() as g:
        mine = tf.constant([1.0, 2.0], name="mine")
        before = [op.name for op in g.get_operations()]
        with pytest.raises(ValueError):
            import_graph_def(gd, input_map={"x:0": mine}, name="",
                             return_elements=["nope:0"] if damage == "bad_return" else None)
        assert [op.name for op in g.get_operations()] == before
        assert mine.consumers() == []
        assert g.version == len(before)
        y, = import_graph_def(src.as_graph_def(), input_map={"x:0": mine}, name="", return_elements=["y:0"])
        assert y.name == "y:0" and [c.name for c in mine.consumers()] == ["y"]

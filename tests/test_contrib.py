"""tf.contrib.layers (TF 1.15's behaviour: TF 2.21 has no contrib to record against)."""
import numpy as np
import pytest

X = np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 10.0


def _run(tf, fetches):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(fetches)


def test_flatten_names_and_values(rtf):
    tf = rtf
    x = tf.placeholder(tf.float32, [None, 2, 3])
    y = tf.contrib.layers.flatten(x)
    z = tf.contrib.layers.flatten(tf.constant(X), outputs_collections="outs", scope="flat")
    assert y.name == "Flatten/flatten/Reshape:0" and y.shape.as_list() == [None, 6]
    assert z.name == "flat/flatten/Reshape:0" and tf.get_collection("outs") == [z]
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(y, {x: X}), X.reshape(2, 6))


def test_xavier_is_glorot_uniform_and_the_normal_form_is_truncated(rtf):
    tf = rtf
    a = tf.contrib.layers.xavier_initializer(seed=3)([30, 20])
    b = tf.glorot_uniform_initializer(seed=3)([30, 20])
    c = tf.contrib.layers.xavier_initializer(uniform=False, seed=3)([30, 20])
    d = tf.contrib.layers.variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=True, seed=1)([50, 4])
    va, vb, vc, vd = _run(tf, [a, b, c, d])
    np.testing.assert_array_equal(va, vb)
    stddev = np.sqrt(1.3 / 25.0)
    assert np.abs(vc).max() <= 2 * stddev + 1e-6  # truncated at two standard deviations
    assert np.abs(vd).max() <= np.sqrt(3.0 * 2.0 / 50.0) + 1e-6
    with pytest.raises(TypeError):
        tf.contrib.layers.variance_scaling_initializer(dtype=tf.int32)
    with pytest.raises(TypeError):
        tf.contrib.layers.variance_scaling_initializer(mode="FAN_SUM")


def test_regularizers(rtf):
    tf = rtf
    w = tf.constant([[1.0, -2.0], [3.0, 0.5]])
    l2 = tf.contrib.layers.l2_regularizer(0.1)(w)
    l1 = tf.contrib.layers.l1_regularizer(0.5, scope="L1")(w)
    both = tf.contrib.layers.sum_regularizer([tf.contrib.layers.l2_regularizer(0.1),
                                              tf.contrib.layers.l1_regularizer(0.5)])(w)
    assert l2.name == "l2_regularizer:0" and l1.name == "L1:0"
    assert tf.contrib.layers.l2_regularizer(0.0)(w) is None
    with pytest.raises(ValueError, match="scale cannot be an integer"):
        tf.contrib.layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="less than 0"):
        tf.contrib.layers.l1_regularizer(-0.5)
    v2, v1, vb = _run(tf, [l2, l1, both])
    assert np.isclose(v2, 0.1 * 14.25 / 2) and np.isclose(v1, 0.5 * 6.5) and np.isclose(vb, v2 + v1)


def test_fully_connected_variables_reuse_and_values(rtf):
    tf = rtf
    x = tf.constant(X.reshape(2, 6))
    y = tf.contrib.layers.fully_connected(x, 3, weights_initializer=tf.ones_initializer())
    z = tf.contrib.layers.fully_connected(x, 3, scope="fc", weights_regularizer=tf.contrib.layers.l2_regularizer(0.1),
                                          activation_fn=None, variables_collections=["mine"])
    again = tf.contrib.layers.fully_connected(x, 3, scope="fc", reuse=True, activation_fn=None)
    names = [v.name for v in tf.global_variables()]
    assert names == ["fully_connected/weights:0", "fully_connected/biases:0", "fc/weights:0", "fc/biases:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)] == names
    assert [v.name for v in tf.get_collection("mine")] == ["fc/weights:0", "fc/biases:0"]
    assert [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)] == \
        ["fc/kernel/Regularizer/l2_regularizer:0"]  # named by the layer's weight, as in TF 1.15
    assert y.name == "fully_connected/Relu:0" and z.name == "fc/BiasAdd:0"
    vy, vz, va = _run(tf, [y, z, again])
    np.testing.assert_allclose(vy, np.maximum(X.reshape(2, 6).sum(1, keepdims=True) * np.ones((1, 3)), 0), rtol=1e-6)
    np.testing.assert_array_equal(vz, va)
    with pytest.raises(ValueError, match="num_outputs"):
        tf.contrib.layers.fully_connected(x, 3.0)


def test_gather_tree_shapes_and_errors(rtf):
    """GatherTree (TF 1.15's contrib op, absent from TF 2.21): its shape function and kernel errors."""
    tf = rtf
    gather_tree = tf.contrib.seq2seq.gather_tree
    steps, parents = tf.placeholder(tf.int32, [None, 2, 3]), tf.placeholder(tf.int32, [4, None, 3])
    assert gather_tree(steps, parents, tf.placeholder(tf.int32, [None]), 1).shape.as_list() == [4, 2, 3]
    assert gather_tree(tf.placeholder(tf.int32), parents, tf.placeholder(tf.int32, [5]), 1).shape.as_list() == \
        [4, 5, 3]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3 for '{{node GatherTree"):
        gather_tree(steps, parents, tf.zeros([3], tf.int32), 1)
    with pytest.raises(ValueError, match="Shape must be rank 3 but is rank 2"):
        gather_tree(tf.zeros([2, 2], tf.int32), parents, [1, 1], 1)
    ids = np.array([[[3, 4]], [[5, 6]]], np.int32)
    bad = gather_tree(ids, np.array([[[0, 0]], [[7, 0]]], np.int32), [2], 1)
    ok = gather_tree(ids, np.array([[[0, 0]], [[1, 0]]], np.int32), [2], 1)
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(ok), [[[4, 3]], [[5, 6]]])
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Saw invalid parent id 7 at \(batch, time, beam\) "
                                                                 r"== \(0, 0, 0\)"):
            s.run(bad)

"""TF's internal module paths (`from tensorflow.python.framework import ops`) as raygraph.python provides them."""
import importlib

import numpy as np
import pytest

import raygraph as tf
import raygraph.python as internal


@pytest.mark.parametrize("path", sorted(internal.MODULES))
def test_every_listed_path_imports_and_reads_existing_namespaces(path):
    module = importlib.import_module(f"raygraph.python.{path}")
    assert module.__name__ == f"raygraph.python.{path}"
    for ns in internal.MODULES[path]:
        assert internal._namespace(ns) is not None
    assert dir(module), path   # it lists the names it serves


def test_a_cookbook_opening_resets_the_default_graph():
    from raygraph.python.framework import ops
    before = tf.get_default_graph()
    tf.constant(1.0)
    ops.reset_default_graph()
    assert tf.get_default_graph() is not before and tf.get_default_graph().get_operations() == []
    assert ops.get_default_graph() is tf.get_default_graph()


def test_names_are_the_public_objects():
    from raygraph.python.framework import dtypes, tensor_shape, tensor_util
    from raygraph.python.ops import array_ops, init_ops, math_ops, nn_ops, rnn_cell, variable_scope
    from raygraph.python.ops.losses import losses
    from raygraph.python.platform import gfile
    from raygraph.python.training import moving_averages, saver
    pairs = [(dtypes.float32, tf.float32), (tensor_shape.TensorShape, tf.TensorShape),
             (tensor_shape.Dimension, tf.Dimension), (array_ops.concat, tf.concat), (math_ops.reduce_sum, tf.reduce_sum),
             (math_ops.log1p, tf.math.log1p), (nn_ops.conv2d, tf.nn.conv2d), (init_ops.Constant, tf.initializers.Constant),
             (init_ops.glorot_uniform_initializer, tf.glorot_uniform_initializer),
             (rnn_cell.BasicLSTMCell, tf.nn.rnn_cell.BasicLSTMCell), (variable_scope.get_variable, tf.get_variable),
             (losses.softmax_cross_entropy, tf.losses.softmax_cross_entropy),
             (moving_averages.ExponentialMovingAverage, tf.train.ExponentialMovingAverage), (saver.Saver, tf.train.Saver),
             (gfile.GFile, tf.gfile.GFile)]
    for got, want in pairs:
        assert got is want, (got, want)
    x = np.arange(6, dtype=np.int64).reshape(2, 3)
    np.testing.assert_array_equal(tensor_util.MakeNdarray(tf.make_tensor_proto(x)), x)


def test_missing_names_and_paths_say_so():
    from raygraph.python.framework import ops
    with pytest.raises(AttributeError, match=r"'raygraph.python.framework.ops' has no attribute 'no_such_name' "
                                             r"\(raygraph looked for it in tf\)"):
        _ = ops.no_such_name
    with pytest.raises(AttributeError, match="'raygraph.python.framework' has no attribute 'array_ops'"):
        _ = importlib.import_module("raygraph.python.framework").array_ops  # a package: only modules
    with pytest.raises(ModuleNotFoundError, match="raygraph.python.keras"):
        importlib.import_module("raygraph.python.keras")

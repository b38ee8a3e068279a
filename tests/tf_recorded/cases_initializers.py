"""tf.initializers.orthogonal / tf.orthogonal_initializer and tf.initializers.identity as TF1 builds them: ops under
`<var>/Initializer/`, seeded values (orthogonal: Q of a seeded normal sample's QR, signs from R), errors."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _build(tf, shape, init, dtype=None):
    g = tf.get_default_graph()
    n0 = len(g.get_operations())
    v = tf.get_variable("v", shape, initializer=init, dtype=dtype or tf.float32)
    ops = [[o.name, o.type] for o in g.get_operations()[n0:]]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return {"value": s.run(v), "ops": ops, "dtype": v.dtype.name}


def case_orthogonal_tall(tf):
    return _build(tf, [5, 3], tf.orthogonal_initializer(seed=3))


def case_orthogonal_wide_gain(tf):
    return _build(tf, [2, 4], tf.initializers.orthogonal(gain=2.0, seed=7))


def case_orthogonal_conv_shape(tf):
    return _build(tf, [3, 4, 2], tf.orthogonal_initializer(seed=3))


def case_orthogonal_float64_graph_seed(tf):
    tf.set_random_seed(11)
    return _build(tf, [4, 4], tf.initializers.orthogonal(), dtype=tf.float64)


def case_orthogonal_is_orthogonal(tf):
    import numpy as np
    v = tf.get_variable("v", [6, 6], initializer=tf.orthogonal_initializer())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        m = s.run(v)
    return bool(np.allclose(m @ m.T, np.eye(6), atol=1e-5))


def case_identity(tf):
    return _build(tf, [3, 3], tf.initializers.identity())


def case_identity_rectangular_gain(tf):
    return _build(tf, [2, 3], tf.initializers.identity(gain=2.0))


def case_identity_float64(tf):
    return _build(tf, [3, 2], tf.initializers.identity(dtype=tf.float64), dtype=tf.float64)


def case_called_directly(tf):
    t = tf.initializers.identity()([2, 2])
    o = tf.orthogonal_initializer(seed=1)([2, 2])
    with tf.Session() as s:
        return [t.name, o.name, s.run(t), s.run(o)]


def case_config(tf):
    return [tf.orthogonal_initializer(gain=0.5, seed=2).get_config(), tf.initializers.identity(gain=3.0).get_config()]


def case_errors(tf):
    return [raises(lambda: tf.orthogonal_initializer()([3])),
            raises(lambda: tf.initializers.identity()([2, 2, 2])),
            raises(lambda: tf.initializers.identity(dtype=tf.int32)),
            raises(lambda: tf.orthogonal_initializer(dtype=tf.int32))]

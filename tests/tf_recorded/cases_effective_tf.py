"""Cases from the Effective TensorFlow guide's snippets (set_shape, float mod, batching a py_func output)."""
import numpy as np


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e)]
    return "no error"


def case_set_shape_incompatible_messages(tf):
    a = tf.placeholder(tf.float32, [None, 128])
    a.set_shape([32, 128])
    out = [a.shape.as_list(), _error(lambda: a.set_shape([16, 128])), _error(lambda: a.set_shape([32, 128, 1]))]
    b = tf.placeholder(tf.float32, [None, 128])
    out.append(_error(lambda: b.set_shape([4, 64])))
    return out


def case_float_floormod_zero_takes_the_sign_of_x(tf):
    x = tf.constant([3., -3., 3., -3., 5.5, -5.5, 0., -0.])
    y = tf.constant([-1., 1., 1., -1., 2., 2., -2., 2.])
    with tf.Session() as sess:
        v, w = sess.run([x % y, tf.floormod(tf.cast(x, tf.float64), tf.cast(y, tf.float64))])
    return [v, np.signbit(v).astype(np.int32), np.signbit(w).astype(np.int32)]


def case_shuffle_batch_of_unknown_rank_py_func(tf):
    feature, label = tf.py_func(lambda: (b"feat", np.int64(7)), [], (tf.string, tf.int64))
    out = [_error(lambda: tf.train.shuffle_batch([feature, label], batch_size=4, capacity=20, min_after_dequeue=5)),
           _error(lambda: tf.train.batch([feature, label], batch_size=4, dynamic_pad=True))]
    feature.set_shape([]); label.set_shape([None])
    out.append(_error(lambda: tf.train.batch([feature, label], batch_size=4)))
    return out


def case_xent_gradient_skips_second_order_branch_for_unused_backprop(tf):
    x = tf.Variable(np.array([[1., 2., 0.5], [0.3, -1., 2.]], np.float32))
    lab = tf.constant([0, 2], tf.int64)
    out = []
    for loss in (tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=x)),
                 tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(lab, 3), logits=x))):
        n0 = len(tf.get_default_graph().get_operations())
        g = tf.gradients(loss, x)[0]
        out.append(sorted(set(o.type for o in tf.get_default_graph().get_operations()[n0:])))
        h = tf.hessians(loss, x)[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out.append(sess.run([g, h]))
    return out


def case_py_func_wrong_dtype_message(tf):
    out = []
    for value, tout in ((np.zeros(3), tf.float32), (np.zeros(3, np.float32), tf.float64),
                        (np.zeros(3, np.int64), tf.int32), (np.zeros(3, np.float16), tf.float32)):
        d = tf.py_func(lambda v=value: v, [], tout)
        try:
            with tf.Session() as sess:
                sess.run(d)
            out.append("no error")
        except Exception as e:  # noqa: BLE001
            out.append([type(e).__name__, str(e).split(" is ", 1)[1].split("\n")[0]])
    return out


def case_compute_gradient_error_type(tf):
    x = tf.constant([1.0, 2.0, 3.0])
    y = x * x
    with tf.Session():
        e = tf.test.compute_gradient_error(x, [3], y, [3])
        x64 = tf.constant([1.0, 2.0, 3.0], tf.float64)
        e64 = tf.test.compute_gradient_error(x64, [3], x64 * x64 * 2.0, [3])
    return [type(e).__name__, bool(e < 1e-2), type(e64).__name__]

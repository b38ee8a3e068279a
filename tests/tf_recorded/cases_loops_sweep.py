"""Recorded cases found running seq2seq tutorials and SeqGAN: gradients of gathers inside cond (IndexedSlices
through TF's merge), the names of cond gradients, TensorArray reads of elements never written (zeros once
the element shape is known) and while_loop's structure kinds."""
import collections
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _kind(tf, g):
    return "IndexedSlices" if isinstance(g, tf.IndexedSlices) else "Tensor"


def case_cond_gather_grad_is_indexed_slices(tf):
    # TF's _SwitchGrad merges IndexedSlices (values, indices, dense_shape each through a Merge in "cond_grad");
    # the untaken branch's zero gradient comes as all rows
    w = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3), name="w")
    p = tf.placeholder(tf.bool, [], name="p")
    c = tf.cond(p, lambda: tf.gather(w, [0, 2, 2]), lambda: tf.zeros([3, 3]))
    g = tf.gradients(tf.reduce_sum(c * c), w)[0]
    out = [_kind(tf, g)]
    if isinstance(g, tf.IndexedSlices):
        out.append([g.values.name, g.indices.name, g.dense_shape.name, g.values.shape.as_list()])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for pv in (True, False):
            out.append(s.run([g.values, g.indices, g.dense_shape] if isinstance(g, tf.IndexedSlices) else g, {p: pv}))
        out.append(s.run(tf.convert_to_tensor(g), {p: True}))
    return out


def case_cond_grad_names(tf):
    x = tf.Variable(2.0, name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    c = tf.cond(p, lambda: x * x, lambda: x + 1.0)
    tf.gradients(c, x)
    return sorted([o.name, o.type] for o in tf.get_default_graph().get_operations()
                  if o.name.startswith("gradients/cond/"))


def case_tensor_array_unwritten_reads_zero(tf):
    def stack(**kw):
        ta = tf.TensorArray(tf.float32, size=3, **kw).write(1, [1.0, 2.0])
        return ta

    out = []
    with tf.Session() as s:
        out.append(s.run(stack(element_shape=[2]).stack()))
        out.append(s.run(stack().stack()))                       # shape inferred from the write
        out.append(s.run(stack(element_shape=[None]).read(0)))
        out.append(s.run(stack(element_shape=[2]).gather([0, 1])))
        out.append(s.run(stack(element_shape=[2]).concat()))
        out.append(raises(lambda: s.run(stack(infer_shape=False).stack())))   # InvalidArgumentError in both
    return out


def case_tensor_array_loop_stops_early(tf):
    x = tf.Variable([1.0, 2.0], name="x")
    ta = tf.TensorArray(tf.float32, size=4, element_shape=[2])
    _, ta = tf.while_loop(lambda i, ta: i < 2,
                          lambda i, ta: (i + 1, ta.write(i, x * tf.cast(i + 1, tf.float32))), [0, ta])
    st = ta.stack()
    g = tf.gradients(tf.reduce_sum(st * st), x)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run([st, g])


def case_while_maximum_iterations_list_vars_tuple_body(tf):
    # TF1 wraps the loop vars as (counter, loop_vars) when maximum_iterations is given, so a list of loop
    # vars and a body returning a tuple no longer have the same structure: TypeError.
    return raises(lambda: tf.while_loop(lambda i, x: i < 100, lambda i, x: (i + 1, x * 1.5),
                                        [0, tf.constant(1.0)], maximum_iterations=4))


def case_while_gather_grad_is_indexed_slices(tf):
    # TF's _EnterGrad accumulates an IndexedSlices gradient of a loop-invariant tensor by concatenation
    # (AddBackpropIndexedSlicesAccumulator, from a zero row at index 0); a dense use too makes it dense
    w = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3), name="w")
    v = tf.Variable(np.ones([4, 3], np.float32), name="v")
    _, acc = tf.while_loop(lambda i, a: i < 3,
                           lambda i, a: (i + 1, a + tf.reduce_sum(tf.gather(w, [i, 1])) +
                                         tf.reduce_sum(tf.gather(v, tf.cast([i], tf.int64)) * v[1])),
                           [tf.constant(0), tf.constant(0.0)])
    gw, gv = tf.gradients(acc, [w, v])
    train = tf.train.AdamOptimizer(0.1).minimize(acc)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = [_kind(tf, gw), _kind(tf, gv), gw.values.shape.as_list(), gw.indices.dtype.name,
               s.run([gw.indices, gw.values, gw.dense_shape, gv])]
        s.run(train)
        return out + [s.run([w, v])]


def case_map_fn_op_order_and_seeded_draws(tf):
    # (from the Hvass-Labs CIFAR-10 tutorial) map_fn creates its ops in TF's order, so the random ops in and
    # after it get TF's seeds; one iteration at a time, so that TF's own draws are in a fixed order
    tf.set_random_seed(1234)
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="x")

    def pre(image):
        image = tf.random_crop(image, size=[6, 6, 3])
        image = tf.image.random_flip_left_right(image)
        image = tf.image.random_brightness(image, max_delta=0.2)
        return tf.maximum(tf.minimum(image, 1.0), 0.0)
    out = tf.map_fn(pre, x, parallel_iterations=1)
    after = tf.random_uniform([2])
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
    xs = np.random.RandomState(0).rand(3, 8, 8, 3).astype(np.float32)
    with tf.Session() as s:
        return ops, s.run([out, after], {x: xs})


def case_cond_returns_namedtuples_dicts_and_sparse_tensors(tf):
    # (met building feature columns) cond's branches may return any nest of tensors, namedtuples and dicts
    # included, and SparseTensors, as TF's expand_composites flattening does; mismatched nests are TF's errors
    p = tf.placeholder(tf.bool, [])
    pair = collections.namedtuple("Pair", ["c", "h"])
    st = tf.cond(p, lambda: pair(tf.constant([1.0]), tf.constant([2.0])),
                 lambda: pair(tf.constant([3.0]), tf.constant([4.0])))
    d = tf.cond(p, lambda: {"b": tf.constant(2.0), "a": tf.constant(1)},
                lambda: {"b": tf.constant(4.0), "a": tf.constant(3)})
    sp = tf.cond(p, lambda: tf.SparseTensor([[0, 1]], [1.0], [2, 3]),
                 lambda: tf.SparseTensor([[1, 0], [1, 2]], [5.0, 6.0], [2, 3]))
    errors = []
    for t, f in ((lambda: [tf.constant(1)], lambda: (tf.constant(2),)),
                 (lambda: [tf.constant(1), tf.constant(2)], lambda: [tf.constant(1)])):
        try:
            tf.cond(p, t, f)
        except (TypeError, ValueError) as e:
            errors.append([type(e).__name__, str(e).split(":")[0]])
    with tf.Session() as s:
        return [type(st).__name__, list(d), [sp.indices.name, sp.values.name, sp.dense_shape.name], errors,
                s.run([st, d, sp], {p: False}), s.run([st, d, sp], {p: True})]


def case_while_loop_sparse_tensor_variables(tf):
    # a SparseTensor loop variable travels as its three parts, its indices and values free to grow ([None, r],
    # [None]) as in TF; alone it comes back in a list (TF counts its three exits); gradients reach its values
    w = tf.Variable(2.0, name="w")
    sp = tf.SparseTensor(tf.constant([[0, 0]], tf.int64), tf.constant([1.0]) * w, tf.constant([3, 3], tf.int64))

    def grow(i, s):
        row = tf.cast(tf.reshape(tf.stack([i + 1, i + 1]), [1, 2]), tf.int64)
        return i + 1, tf.SparseTensor(tf.concat([s.indices, row], 0), tf.concat([s.values, s.values[-1:] * w], 0),
                                      s.dense_shape)
    _, grown = tf.while_loop(lambda i, s: i < 2, grow, [0, sp])
    alone = tf.while_loop(lambda s: tf.size(s.values) < 3,
                          lambda s: tf.SparseTensor(tf.concat([s.indices, s.indices[:1]], 0),
                                                    tf.concat([s.values, [5.0]], 0), s.dense_shape),
                          [sp], shape_invariants=[tf.TensorShape([2])])[0]
    try:
        tf.while_loop(lambda s: tf.size(s.values) < 3, lambda s: s, [sp], shape_invariants=[tf.TensorShape([3, 3])])
        error = None
    except ValueError as e:
        error = str(e)
    g = tf.gradients(tf.reduce_sum(grown.values), w)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [error, type(grown).__name__, type(alone).__name__, grown.indices.shape.as_list(),
                grown.values.shape.as_list(), grown.dense_shape.shape.as_list(), alone.values.shape.as_list(),
                s.run([grown, alone, g])]


def case_gradient_control_dependencies_inside_loop(tf):
    """A gradient built under control_dependencies (SquaredDifference's and Atan2's, as TF's) inside a while
    loop reads forward values through stacks: the forward loop's pushes must not wait for gradient ops
    (a LayerNormBasicLSTMCell's moments in a dynamic_rnn failed to plan)."""
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))

    def body(i, h):
        m = tf.reduce_mean(h, 1, keepdims=True)
        v = tf.reduce_mean(tf.squared_difference(h, tf.stop_gradient(m)), 1, keepdims=True)
        return i + 1, h * 0.5 + v + 0.1 * tf.atan2(h, m + 1.0)
    _, out = tf.while_loop(lambda i, h: i < 3, body, [0, x])
    g = tf.gradients(tf.reduce_sum(out), x)
    with tf.Session() as s:
        return s.run(g)

"""Recorded cases: the graphs tf.gradients builds, op for op (names, types, inputs), where TF's gradient functions
have a particular structure: concat's (ConcatOffset and Slice per input; ShapeN when a shape is not static; Split
past 16 inputs; IndexedSlices along rows or columns)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import run  # noqa: E402


def _grad_ops(tf, prefix="gradients"):
    return [[op.name, op.type, [t.name for t in op.inputs]] for op in tf.get_default_graph().get_operations()
            if op.name.startswith(prefix)]


def _names(gs):
    return [[g.values.name, g.indices.name] if hasattr(g, "values") else g.name for g in gs]


def case_concat_gradient_dense(tf):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.placeholder(tf.float32, [2, None])
    c = tf.concat([a, b, a], 1)
    d = tf.concat([a, a], -2)
    e = tf.concat([b], 0)
    gs = tf.gradients([c * c, d * 3.0, e], [a, b])
    return [_names(gs), _grad_ops(tf), run(tf, gs, {b: np.ones((2, 2), np.float32)})]


def case_concat_gradient_many_inputs(tf):
    xs = [tf.constant(np.full((2, i + 1), i, np.float32)) for i in range(18)]
    y = tf.concat(xs, 1)
    gs = tf.gradients(y * y, xs[:3])
    return [_names(gs), _grad_ops(tf), run(tf, gs)]


def case_concat_gradient_indexed_slices(tf):
    emb = tf.get_variable("emb", [5, 3], initializer=tf.ones_initializer())
    rows = tf.concat([tf.gather(emb, [1, 2]), tf.gather(emb, [0])], 0)
    cols = tf.concat([tf.gather(emb, [1, 2]), tf.gather(emb, [3, 4])], 1)
    gs = tf.gradients(rows * rows, [emb]) + tf.gradients(cols, [emb])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        values = s.run([tf.convert_to_tensor(g) for g in gs])
    return [_names(gs), _grad_ops(tf), values]


def case_concat_gradient_in_loop(tf):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))

    def body(i, x):
        y = tf.concat([x, x * 2.0], 0)
        return i + 1, y[:2] + 1.0
    _, out = tf.while_loop(lambda i, x: i < 3, body, [0, a])
    g, = tf.gradients(out, [a])
    # (only the concat gradient's own ops: raygraph builds a loop's gradient in a scope of its own)
    ops = [[op.name.split("concat_grad/")[1], op.type,
            [t.name.split("concat_grad/")[1] if "concat_grad/" in t.name else "(outside)" for t in op.inputs]]
           for op in tf.get_default_graph().get_operations() if "concat_grad/" in op.name]
    return [ops, run(tf, [g])]


def case_loop_body_gradient_names(tf):
    """The gradient ops of a dynamic_rnn's body keep TF's names (gradients/rnn/while/<op>_grad/...); the gradient
    loop's own frame and accumulator ops are left out (raygraph builds those its own way)."""
    x = tf.placeholder(tf.float32, [None, 5, 3])
    y = tf.placeholder(tf.int64, [None])
    out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x, dtype=tf.float32)
    w = tf.Variable(tf.ones([4, 2]))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=tf.matmul(out[:, -1], w)))
    tf.gradients(loss, tf.trainable_variables())
    kinds = {"MatMul", "BiasAddGrad", "TanhGrad", "SigmoidGrad", "Mul", "ConcatOffset", "Slice", "Split", "Sum",
             "Reshape", "AddN"}
    return sorted([op.name, op.type] for op in tf.get_default_graph().get_operations()
                  if op.type in kinds and op.name.startswith("gradients/rnn/while/"))

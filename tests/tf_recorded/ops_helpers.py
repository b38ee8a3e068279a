"""Helpers shared by the `cases_ops_*.py` files: describe a graph, run fetches, catch errors.

Everything returns plain data, so the same helper works against TensorFlow (when recording) and
raygraph (when replaying).
"""
import numpy as np


def shape_of(t):
    """A static shape as a list with None for unknown dims, or None for unknown rank."""
    return None if t.shape.ndims is None else t.shape.as_list()


def attr_text(value):
    return " ".join(str(value).split())


def describe(tf, graph=None, skip=()):
    """Every op: [name, type, inputs, {attr: text}, [[dtype, shape] per output]] (Const values left out)."""
    g = graph or tf.get_default_graph()
    out = []
    for op in g.get_operations():
        if op.name in skip:
            continue
        nd = op.node_def
        attrs = {k: attr_text(nd.attr[k]) for k in sorted(nd.attr)
                 if not (k == "value" and op.type == "Const") and not k.startswith("_")}
        out.append([op.name, op.type, list(nd.input), attrs, [[t.dtype.name, shape_of(t)] for t in op.outputs]])
    return out


def sig(t):
    """A tensor's name, dtype and static shape."""
    return [t.name, t.dtype.name, shape_of(t)]


def typed(x):
    """A fetched value with its numpy dtype name (and whether it is 0-d)."""
    a = np.asarray(x)
    return [a.dtype.name if a.dtype.kind not in "SUO" else "object", a]


def run(tf, fetches, feed_dict=None):
    """Runs `fetches` (a list) in a new session; each result with its dtype."""
    with tf.Session() as s:
        return [typed(v) for v in s.run(list(fetches), feed_dict)]


def error(fn):
    """The class name of the exception `fn` raises, or 'no error'."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class name is the result
        return type(e).__name__
    return "no error"


def error_text(fn, n=None):
    """The class name and (first n characters of the) message of the exception fn raises."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        msg = " ".join(str(getattr(e, "message", None) or e).split())
        return [type(e).__name__, msg if n is None else msg[:n]]
    return "no error"


def run_error(tf, fetch, feed_dict=None, n=None):
    """The class name (and message start, if n) of the error running `fetch` raises."""
    def go():
        with tf.Session() as s:
            s.run(fetch, feed_dict)
    out = error_text(go, n)
    return out[0] if n is None and isinstance(out, list) else out


def kernel_error(tf, fetch, feed_dict=None):
    """The class and kernel message of the error running `fetch` raises (TF's node traceback left out)."""
    out = run_error(tf, fetch, feed_dict, n=100000)
    if not isinstance(out, list):
        return out
    text = out[1]
    if "Node: '" in text:  # TF 2.21: "Graph execution error: Detected at node ... Node: 'name' <message>"
        text = text.split("Node: '", 1)[1].split("' ", 1)[1]
    return [out[0], text]


def grads(tf, y, xs, feed_dict=None):
    """The op types tf.gradients adds, and the gradient values."""
    before = {op.name for op in tf.get_default_graph().get_operations()}
    gs = tf.gradients(y, xs)
    added = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.name not in before]
    values = run(tf, [g for g in gs if g is not None], feed_dict)
    return [added, [None if g is None else sig(g) for g in gs], values]


def contrib_layers(tf):
    """`tf.contrib.layers`; when recording, tf_slim's layers (contrib's successor, whose layers.py is contrib's),
    after the aliases tf_slim 1.1 needs under TF 2.21 (which keeps its legacy layers under tf_keras.src)."""
    if hasattr(tf, "contrib"):
        return tf.contrib.layers
    import sys

    from tensorflow.python.framework import ops, tensor
    from tensorflow.python.ops import cond, control_flow_ops
    ops.Tensor = getattr(ops, "Tensor", tensor.Tensor)  # tf_slim 1.1 still finds these where TF 1 had them
    control_flow_ops.cond = getattr(control_flow_ops, "cond", cond.cond)
    for name in ("", ".base", ".core", ".convolutional", ".pooling", ".normalization"):
        __import__("tf_keras.src.legacy_tf_layers" + name)
        sys.modules.setdefault("tf_keras.legacy_tf_layers" + name, sys.modules["tf_keras.src.legacy_tf_layers" + name])
    import tf_slim
    return tf_slim.layers


def contrib_framework(tf):
    """`tf.contrib.framework` (arg scopes, model variables); when recording, tf_slim, which holds the same."""
    if hasattr(tf, "contrib"):
        return tf.contrib.framework
    contrib_layers(tf)
    import tf_slim
    return tf_slim

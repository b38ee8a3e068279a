"""tf.contrib.layers' summarize_* helpers (TF 1.15's contrib/layers/summaries.py, kept by tf_slim): which
summaries they add for activations, variables, scalars and other tensors, their tags and ops."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_framework, contrib_layers, describe  # noqa: E402


def case_summarize_helpers(tf):
    layers = contrib_layers(tf)
    slim = layers if hasattr(tf, "contrib") else contrib_framework(tf)   # (tf_slim keeps them at its top)
    x = tf.placeholder(tf.float32, [None, 3])
    init = tf.constant_initializer(np.arange(12, dtype=np.float32).reshape(3, 4) / 10 - 0.5)
    h = layers.fully_connected(x, 4, weights_initializer=init, outputs_collections=tf.GraphKeys.ACTIVATIONS)
    layers.fully_connected(h, 2, activation_fn=tf.nn.relu6, weights_initializer=tf.ones_initializer(),
                           outputs_collections=tf.GraphKeys.ACTIVATIONS, scope="six")
    out = [slim.summarize_activations(), slim.summarize_variables(), slim.summarize_variables(name_filter="six"),
           slim.summarize_tensor(tf.reduce_sum(h)), slim.summarize_tensor(tf.constant("s")),
           slim.summarize_tensor(tf.constant(True)), slim.summarize_tensor(h, tag="hidden"),
           slim.summarize_tensors([tf.constant(1.0, name="one")])]
    names = [[t.name for t in o] if isinstance(o, list) else (o.name if o is not None else None) for o in out]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        merged = s.run(tf.summary.merge(tf.get_collection(tf.GraphKeys.SUMMARIES)), {x: [[1.0, -2.0, 3.0]]})
    summary = tf.Summary.FromString(merged)
    return [names, describe(tf), sorted((v.tag, v.simple_value if v.HasField("simple_value") else v.histo.num)
                                        for v in summary.value)]

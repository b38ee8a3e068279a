"""Recorded cases found running Kyubyong's Transformer and tf_slim's nets: from_generator's output_shapes with ()
leaves and its args as TF hands them over, str components as bytes; a GraphDef of a graph with py_func; tensor
aliases from outputs_collections (recording needs tf_slim, as cases_contrib_layers.py)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_layers, run  # noqa: E402


def case_from_generator_nested_scalar_shapes_and_args(tf):
    def gen(sents, path, n, f):  # runs where the dataset is iterated: what it saw travels in the elements
        seen = "|".join([type(sents).__name__, type(sents[0]).__name__, type(path).__name__,
                         str(np.asarray(n).dtype), str(np.asarray(f).dtype)])
        for s in sents:
            yield (s.decode() + "|" + seen, [n] * len(s)), (n, f)

    ds = tf.data.Dataset.from_generator(gen, output_types=((tf.string, tf.int32), (tf.int32, tf.float32)),
                                        output_shapes=(((), [None]), ((), ())), args=(["ab", "c"], "p.txt", 3, 1.5))
    ds = ds.padded_batch(2, (((), [None]), ((), ())), (("", 0), (0, 0.0)))
    shapes = [str(s) for s in tf.nest.flatten(ds.output_shapes)] if hasattr(tf, "nest") else None
    x = ds.make_one_shot_iterator().get_next()
    with tf.Session() as s:
        v = s.run(x)
    return [shapes, [[type(a).__name__ for a in np.ravel(v[0][0])], v[0][0].tolist(), v[0][1].tolist(),
                     v[1][0].tolist(), v[1][1].tolist()]]


def case_graph_def_with_py_func(tf):
    x = tf.py_func(lambda a: a * 2, [tf.constant(1.0)], tf.float32, name="pf")
    gd = tf.get_default_graph().as_graph_def()
    node = [n for n in gd.node if n.name == "pf"][0]
    return [node.op, sorted(k for k in node.attr if not k.startswith("_")), node.attr["token"].s.decode()[:7],
            run(tf, [x])]


def case_outputs_collections_aliases(tf):
    layers = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [2, 8, 8, 3])
    net = layers.conv2d(x, 4, 3, scope="c1", outputs_collections="ep")
    net = layers.max_pool2d(net, 2, scope="pool/", outputs_collections="ep")
    net = layers.fully_connected(layers.flatten(net), 5, scope="fc", outputs_collections="ep")
    t = tf.constant(1.0)
    t.note = "user attribute"
    return [[(c.name, list(c.aliases)) for c in tf.get_collection("ep")], t.note]


def case_slim_utils_end_points(tf):
    """slim's end_points: the outputs collection made a dict by the aliases layers note (slim.utils)."""
    if hasattr(tf, "contrib"):
        utils = tf.contrib.slim.utils
    else:
        import importlib
        utils = importlib.import_module("tf_slim.layers.utils")
    layers = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [2, 8, 8, 3])
    net = layers.conv2d(x, 4, 3, scope="c1", outputs_collections="ep")
    net = layers.max_pool2d(net, 2, scope="pool/", outputs_collections="ep")
    tf.add_to_collection("ep", tf.identity(net, name="plain"))
    end_points = utils.convert_collection_to_dict("ep")
    out = [[(k, v.name) for k, v in end_points.items()], utils.last_dimension(net.shape),
           utils.get_tensor_aliases(x), len(tf.get_collection("ep"))]
    utils.convert_collection_to_dict("ep", clear_collection=True)
    return out + [len(tf.get_collection("ep"))]

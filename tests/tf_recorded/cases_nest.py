"""Recorded cases: tf.nest (flatten, pack_sequence_as, map_structure, assert_same_structure, is_nested) over
lists, tuples, namedtuples, dicts (sorted keys when flattening, their own key order when packing), OrderedDicts,
strings and None as leaves, tensors as leaves, and the error classes of mismatched structures."""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error  # noqa: E402

Point = collections.namedtuple("Point", "x y")


def _s():
    return {"b": (1, [2, "s"]), "a": Point(3, None), "c": collections.OrderedDict([("z", 4), ("y", 5)])}


def _show(x):
    """A structure as plain data with its container kinds spelled out."""
    if isinstance(x, dict):
        return [type(x).__name__, [[k, _show(v)] for k, v in x.items()]]
    if isinstance(x, (list, tuple)):
        return [type(x).__name__, [_show(v) for v in x]]
    return x


def case_nest_flatten_and_pack(tf):
    s = _s()
    flat = tf.nest.flatten(s)
    packed = tf.nest.pack_sequence_as(s, [f"v{i}" for i in range(len(flat))])
    return [flat, _show(packed), tf.nest.flatten(None), tf.nest.flatten("abc"), tf.nest.flatten([[], ()]),
            [tf.nest.is_nested(v) for v in ([], (), {}, "a", None, 3, Point(1, 2))],
            _show(tf.nest.pack_sequence_as("leaf", [7])), _show(tf.nest.pack_sequence_as([[], (1,)], [9]))]


def case_nest_map_structure(tf):
    s = _s()
    doubled = tf.nest.map_structure(lambda v: v * 2 if isinstance(v, int) else v, s)
    pairs = tf.nest.map_structure(lambda a, b: [a, b], [1, (2, 3)], [4, (5, 6)])
    t = tf.constant(1.0)
    names = tf.nest.map_structure(lambda v: v.name, {"k": [t, t]})
    return [_show(doubled), _show(pairs), _show(names),
            _show(tf.nest.map_structure(lambda a, b: a + b, [1, 2], (3, 4), check_types=False))]


def case_nest_errors(tf):
    return [error(lambda: tf.nest.assert_same_structure([1, 2], [1, 2, 3])),
            error(lambda: tf.nest.assert_same_structure([1, 2], (1, 2))),
            error(lambda: tf.nest.assert_same_structure({"a": 1}, {"b": 1})),
            error(lambda: tf.nest.assert_same_structure([1, [2]], [1, 2])),
            "ok" if tf.nest.assert_same_structure([1, (2,)], ["x", ("y",)]) is None else "value",
            "ok" if tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False) is None else "value",
            error(lambda: tf.nest.pack_sequence_as([1, 2], [1])), error(lambda: tf.nest.pack_sequence_as(1, [1, 2])),
            error(lambda: tf.nest.map_structure(lambda a, b: a, [1], [1, 2])),
            error(lambda: tf.nest.map_structure(3, [1])), error(lambda: tf.nest.map_structure(len)),
            error(lambda: tf.nest.map_structure(len, [1], foo=1))]

"""How much of TF1's API raygraph has: per namespace, the public names of TensorFlow 2.21's `tf.compat.v1`
(from tools/tf_names.json, written by tools/tf_names.py, so no TensorFlow is needed) present in raygraph.

    python tools/coverage.py            # one line per namespace
    python tools/coverage.py linalg     # and the names still missing there
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the repository's raygraph, not an installed one


def tf_names():
    with open(os.path.join(HERE, "tf_names.json")) as f:
        return json.load(f)["names"]


def coverage(module=None):
    """Namespace ('' for the top level) -> (present names, missing names), each sorted."""
    if module is None:
        import raygraph as module
    out = {}
    for ns, names in tf_names().items():
        target = getattr(module, ns, None) if ns else module
        present = [n for n in names if target is not None and hasattr(target, n)]
        out[ns] = (present, [n for n in names if n not in present])
    return out


def main(argv):
    show = set(argv)
    for ns, (present, missing) in coverage().items():
        total = len(present) + len(missing)
        print(f"{'tf.' + ns if ns else 'tf (top level)':16} {len(present):4} of {total:4}  ({100 * len(present) / total:5.1f}%)")
        if ns in show or (not ns and "top" in show):
            print("    missing:", " ".join(missing))


if __name__ == "__main__":
    main(sys.argv[1:])

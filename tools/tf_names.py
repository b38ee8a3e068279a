"""Writes tools/tf_names.json: the public names of TensorFlow's `tf.compat.v1` namespaces that
tools/coverage.py counts. Run once with a TensorFlow install (never imported by raygraph itself):

    /work/tfref/bin/python tools/tf_names.py
"""
import json
import os
import types

NAMESPACES = ("math", "random", "linalg", "strings", "debugging", "io", "sets", "bitwise", "graph_util", "test", "sparse",
              "dtypes")
# Top-level names left out of the count: eager execution, TF2 behaviour switches and tf.function machinery.
EXCLUDED_TOP = {
    "eager execution and TF2 behaviour switches": [
        "control_flow_v2_enabled", "disable_control_flow_v2", "disable_eager_execution",
        "disable_resource_variables", "disable_tensor_equality", "disable_v2_behavior", "disable_v2_tensorshape",
        "enable_control_flow_v2", "enable_eager_execution", "enable_resource_variables", "enable_tensor_equality",
        "enable_v2_behavior", "enable_v2_tensorshape", "executing_eagerly", "executing_eagerly_outside_functions",
        "resource_variables_enabled"],
    "TF2 eager/tf.function machinery": [
        "GradientTape", "Module", "function", "wrap_function", "init_scope", "variable_creator_scope",
        "recompute_grad", "vectorized_map"],
}


def public_names(module):
    return sorted(n for n in dir(module) if not n.startswith("_")
                  and not isinstance(getattr(module, n), types.ModuleType))


def main():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    v1 = tf.compat.v1
    excluded = {n for names in EXCLUDED_TOP.values() for n in names}
    out = {"tensorflow_version": tf.__version__, "excluded_top": EXCLUDED_TOP,
           "names": {"": [n for n in public_names(v1) if n not in excluded]}}
    for ns in NAMESPACES:
        out["names"][ns] = public_names(getattr(v1, ns))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf_names.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()

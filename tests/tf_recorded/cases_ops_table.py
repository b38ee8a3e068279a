"""Recorded cases generated over tables: unary functions x dtypes, binary operators x operand kinds,
reductions x axes, casts x dtype pairs. Each case gives names, dtypes, static shapes and values (or the
error class), so a difference points at one function and one input kind.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, run, sig  # noqa: E402


def _run_or_error(tf, fetches):
    try:
        return run(tf, fetches)
    except Exception as e:  # noqa: BLE001 - the class is the result
        return type(e).__name__

UNARY = ["negative", "abs", "square", "sqrt", "rsqrt", "exp", "log", "tanh", "sigmoid", "sign", "reciprocal",
         "floor", "ceil", "round", "log1p", "expm1", "sin", "cos", "relu"]
FLOAT_KINDS = {"float": ["float32", "float64", "float16"], "other": ["int32", "int64", "uint8", "bool"]}
VALUES = [0.25, 1.5, 2.0, 3.75]


def _fn(tf, name):
    return tf.nn.relu if name == "relu" else getattr(tf, name)


def _unary_case(name, kinds):
    def case(tf):
        out = []
        for dt in kinds:
            x = tf.constant(np.array(VALUES if dt != "bool" else [True, False, True, True]).astype(dt))
            try:
                y = _fn(tf, name)(x)
            except Exception as e:  # noqa: BLE001 - the error class is the result
                out.append([dt, type(e).__name__])
                continue
            out.append([dt, y.op.type, sig(y), _run_or_error(tf, [y])])
        return out
    return case


for _name in UNARY:
    for _kind, _dts in FLOAT_KINDS.items():
        globals()[f"case_unary_{_name}_{_kind}"] = _unary_case(_name, _dts)

BINARY = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
          "truediv": lambda x, y: x / y, "floordiv": lambda x, y: x // y, "mod": lambda x, y: x % y,
          "pow": lambda x, y: x ** y, "lt": lambda x, y: x < y, "ge": lambda x, y: x >= y,
          "maximum": None, "minimum": None, "squared_difference": None}
OPERANDS = {
    "tensors_f32": lambda tf: (tf.constant([1.5, -2.0, 3.0]), tf.constant([2.0, 0.5, -4.0])),
    "tensor_and_int": lambda tf: (tf.constant([1.5, -2.0, 3.0]), 2),
    "int_and_tensor": lambda tf: (3, tf.constant([1, 2, 4])),
    "int_tensors": lambda tf: (tf.constant([7, -7, 9]), tf.constant([2, 3, -4])),
    "tensor_and_np_float64": lambda tf: (tf.constant([1.5, 2.5]), np.float64(2.0)),
    "f64_tensor_and_float": lambda tf: (tf.constant([1.5, 2.5], tf.float64), 0.5),
}


def _binary_case(op_name, operands):
    def case(tf):
        x, y = OPERANDS[operands](tf)
        try:
            fn = BINARY[op_name] or (lambda a, b: getattr(tf, op_name)(a, b))
            z = fn(x, y)
        except Exception as e:  # noqa: BLE001
            return type(e).__name__
        ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations()]
        return [ops, sig(z), _run_or_error(tf, [z])]
    return case


for _op in BINARY:
    for _operands in OPERANDS:
        globals()[f"case_binary_{_op}_{_operands}"] = _binary_case(_op, _operands)

REDUCERS = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"]
AXES = {"all": dict(), "axis0": dict(axis=0), "neg_keep": dict(axis=-1, keepdims=True),
        "list": dict(axis=[0, 2])}


def _reduce_case(reducer, axes):
    def case(tf):
        out = []
        for dt in ("float32", "int32", "float64"):
            x = tf.constant((np.arange(24).reshape(2, 3, 4) % 7 - 3).astype(dt))
            y = getattr(tf, reducer)(x, **AXES[axes])
            out.append([y.op.type, sig(y), run(tf, [y])])
        return out
    return case


for _r in REDUCERS:
    for _a in AXES:
        globals()[f"case_{_r}_{_a}"] = _reduce_case(_r, _a)

CASTS = [("float32", "int32"), ("float32", "uint8"), ("float64", "float16"), ("int32", "bool"), ("bool", "float32"),
         ("int64", "int32"), ("uint8", "int8"), ("float16", "float64"), ("int32", "float64"), ("float32", "int64")]


def _cast_case(src, dst):
    def case(tf):
        x = tf.constant(np.array([-2.7, -0.5, 0.0, 1.0, 2.5, 300.2]).astype(src))
        y = tf.cast(x, dst)
        return [y.op.type, y.op.get_attr("SrcT").name, y.op.get_attr("DstT").name, sig(y), run(tf, [y])]
    return case


for _s, _d in CASTS:
    globals()[f"case_cast_{_s}_to_{_d}"] = _cast_case(_s, _d)


def case_errors_of_ops_on_strings(tf):
    s = tf.constant(["a", "b"])
    return [error(lambda: s + 1), error(lambda: tf.reduce_sum(s)), error(lambda: -s), error(lambda: s * s),
            error(lambda: tf.argmax(s, 0)), error(lambda: tf.nn.relu(s)), run(tf, [s + s, tf.equal(s, "a")])]

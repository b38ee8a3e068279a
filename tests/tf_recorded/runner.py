"""Differential cases recorded from real TensorFlow 1 graph mode, replayed against raygraph.

Each `cases_<area>.py` holds functions `case_<name>(tf)` returning plain data (names, shapes, rounded
values, or the class name of the exception raised); `expected_<area>.json` holds what TensorFlow
returned. Record (needs TensorFlow, in its own virtualenv outside the project):

    /path/to/tf-venv/bin/python tests/tf_recorded/runner.py record tests/tf_recorded/cases_x.py \
        tests/tf_recorded/expected_x.json

`tests/test_tf_recorded.py` replays every case against raygraph.
"""
import importlib.util
import json
import sys
import traceback

import numpy as np


def plain(x):
    """A case's result as JSON-able, comparison-friendly data."""
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in sorted(x.items(), key=lambda kv: str(kv[0]))}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, bytes):
        return x.decode("utf-8", "replace")
    if isinstance(x, (np.generic, np.ndarray)):
        a = np.asarray(x)
        if a.dtype.kind == "c":  # both parts (recordings older than the "imag" key hold the real part only)
            return {"f": np.round(a.real.astype(np.float64), 4).tolist(),
                    "imag": np.round(a.imag.astype(np.float64), 4).tolist(), "shape": list(a.shape)}
        if a.dtype.kind == "f":
            return {"f": np.round(a.astype(np.float64), 4).tolist(), "shape": list(a.shape)}
        if a.dtype.kind in "SUO":
            return {"s": [v.decode() if isinstance(v, bytes) else str(v) for v in a.ravel().tolist()],
                    "shape": list(a.shape)}
        return {"i": a.tolist(), "shape": list(a.shape)}
    if isinstance(x, float):
        return round(x, 4)
    return x


def same(want, got):
    """Structural equality; floats to 1e-3 relative / 1e-4 absolute."""
    if isinstance(want, dict) and "f" in want and isinstance(got, dict) and "f" in got:
        if want.get("shape") != got.get("shape") or ("imag" in want) != ("imag" in got) and "imag" in want:
            return False
        return all(bool(np.allclose(np.asarray(want[k], float), np.asarray(got[k], float), rtol=1e-3, atol=1e-4,
                                    equal_nan=True)) for k in ("f", "imag") if k in want)
    if isinstance(want, dict) and isinstance(got, dict):
        return want.keys() == got.keys() and all(same(want[k], got[k]) for k in want)
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(same(w, g) for w, g in zip(want, got))
    if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(want - got) <= 1e-4 + 1e-3 * abs(want)
    return want == got


def raises(fn):
    """The class name of the exception fn raises, or 'no error'."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class name is the result
        return type(e).__name__
    return "no error"


def load_cases(path):
    spec = importlib.util.spec_from_file_location("cases_" + str(abs(hash(path))), path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [(n[5:], getattr(mod, n)) for n in dir(mod) if n.startswith("case_")]


def run_case(tf, fn):
    tf.reset_default_graph()
    try:
        return plain(fn(tf))
    except Exception as e:  # noqa: BLE001
        return {"crashed": type(e).__name__, "detail": str(e)[:300],
                "where": traceback.format_exc().splitlines()[-3:]}


def main():
    mode, cases_path, expected_path = sys.argv[1:4]
    only = sys.argv[4:]
    cases = [c for c in load_cases(cases_path) if not only or c[0] in only]
    if mode == "record":
        import os
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # TF 2.21 serves tf.layers through tf_keras
        import tensorflow as tf_mod
        tf = tf_mod.compat.v1
        tf.disable_v2_behavior()
        try:
            with open(expected_path) as f:
                out = json.load(f)
        except FileNotFoundError:
            out = {}
        out.update({name: run_case(tf, fn) for name, fn in cases})
        with open(expected_path, "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
        bad = [n for n, v in out.items() if isinstance(v, dict) and "crashed" in v]
        print(f"recorded {len(cases)} cases; crashed under TF: {bad}")
        return
    import raygraph as tf
    with open(expected_path) as f:
        expected = json.load(f)
    failed = 0
    for name, fn in cases:
        got = run_case(tf, fn)
        if same(expected.get(name), got):
            print(f"PASS {name}")
        else:
            failed += 1
            print(f"FAIL {name}\n  want: {json.dumps(expected.get(name))[:400]}\n  got:  {json.dumps(got)[:400]}")
    print(f"{len(cases) - failed} passed, {failed} failed")


if __name__ == "__main__":
    main()

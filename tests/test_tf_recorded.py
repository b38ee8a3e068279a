"""Replays the cases recorded from real TensorFlow 1 (tests/tf_recorded) against raygraph."""
import glob
import json
import os

import pytest

from tf_recorded.runner import load_cases, plain, run_case, same  # noqa: F401

HERE = os.path.join(os.path.dirname(__file__), "tf_recorded")


def _all_cases():
    out = []
    for path in sorted(glob.glob(os.path.join(HERE, "cases_*.py"))):
        area = os.path.basename(path)[len("cases_"):-3]
        with open(os.path.join(HERE, f"expected_{area}.json")) as f:
            expected = json.load(f)
        for name, fn in load_cases(path):
            out.append(pytest.param(fn, expected.get(name, {"missing": name}), id=f"{area}:{name}"))
    return out


@pytest.mark.parametrize("fn,want", _all_cases())
def test_matches_tensorflow(rtf, fn, want):
    got = run_case(rtf, fn)
    assert same(want, got), _difference(want, got)


def _difference(want, got):
    """The first item of a case's results that differs (a case returns a list of them), else both whole."""
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for k, (a, b) in enumerate(zip(want, got)):
            if not same(a, b):
                return f"item {k}: want {json.dumps(a)[:500]}\n got {json.dumps(b)[:500]}"
    return f"want {json.dumps(want)[:500]}\n got {json.dumps(got)[:500]}"

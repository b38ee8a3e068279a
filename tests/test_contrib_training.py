"""tf.contrib.training.HParams and parse_values: TF 1.15's documented behaviour (its hparam.py docstrings and
hparam_test.py's expectations), checked value by value."""
import json

import pytest

import raygraph as tf

HParams = tf.contrib.training.HParams
parse_values = tf.contrib.training.parse_values


def test_values_types_and_parse():
    h = HParams(aaa=1, b=2.0, c_c="relu6", d="/a/b=c/d", flag=True, acts=["relu", "tanh"])
    assert (h.aaa, h.b, h.c_c, h.d, h.flag, h.acts) == (1, 2.0, "relu6", "/a/b=c/d", True, ["relu", "tanh"])
    assert h.parse("aaa=12, b=2, c_c=relu4,flag=false,acts=[elu selu]") is h
    assert h.values() == {"aaa": 12, "b": 2.0, "c_c": "relu4", "d": "/a/b=c/d", "flag": False,
                          "acts": ["elu", "selu"]}
    assert isinstance(h.b, float)                      # "2" parsed as the float it must be
    assert str(h) == str(sorted(h.values().items()))
    assert repr(h) == f"HParams({h})"
    for text, value in (("flag=True", True), ("flag=0", False), ("flag=1", True), ("flag=False", False)):
        assert h.parse(text).flag is value


@pytest.mark.parametrize("text, message", [
    ("aaa=1.5", "Could not parse hparam 'aaa' of type 'int' with value '1.5' in aaa=1.5"),
    ("zzz=1", "Unknown hyperparameter type for zzz"),
    ("aaa=1,aaa=2", "Multiple assignments to variable 'aaa' in aaa=1,aaa=2"),
    ("acts[0]=[a]", "Assignment of a list to a list index."),
    ("aaa", "Malformed hyperparameter value: aaa"),
    ("flag=maybe", "Could not parse hparam 'flag' of type 'bool' with value 'maybe' in flag=maybe"),
    ("aaa=[1,2]", "Must not pass a list for single-valued parameter: aaa"),
    ("acts=elu", "Must pass a list for multi-valued parameter: acts."),
])
def test_parse_errors(text, message):
    h = HParams(aaa=1, flag=True, acts=["relu"])
    with pytest.raises(ValueError) as e:
        h.parse(text)
    assert str(e.value) == message


def test_parse_values_index_assignments():
    types = {"x": int, "arr": float, "L": str}
    assert parse_values("x=5,L=[a,b],arr[1]=3,arr[0]=.5", types) == {"x": 5, "L": ["a", "b"],
                                                                    "arr": {1: 3.0, 0: 0.5}}
    assert parse_values("x=1,unknown=2", types, ignore_unknown=True) == {"x": 1}
    with pytest.raises(ValueError, match=r"Multiple assignments to variable 'arr\[1\]'"):
        parse_values("arr[1]=1,arr[1]=2", types)
    with pytest.raises(ValueError, match="Multiple assignments to variable 'x'"):
        parse_values("x=1,x[0]=2", types)


def test_set_get_delete_and_casts():
    h = HParams(n=3, rate=0.5, name="a", on=False, sizes=[1, 2])
    h.set_hparam("rate", 2)                             # an int becomes the float it must be
    assert h.rate == 2.0 and isinstance(h.rate, float)
    h.set_hparam("sizes", [4, 5, 6])
    assert h.sizes == [4, 5, 6]
    for name, value in (("n", 1.0), ("on", 1), ("n", True), ("name", 3), ("rate", "x")):
        with pytest.raises(ValueError, match=f"Could not cast hparam '{name}'"):
            h.set_hparam(name, value)
    with pytest.raises(KeyError):
        h.set_hparam("missing", 1)
    assert h.get("n") == 3 and h.get("missing", 7) == 7 and h.get("sizes", [0]) == [4, 5, 6]
    with pytest.raises(ValueError, match="Hparam 'n' of type '<class 'int'>' is incompatible with default=x"):
        h.get("n", "x")
    with pytest.raises(ValueError, match="is incompatible with default=1"):
        h.get("sizes", 1)
    assert "n" in h and "missing" not in h
    h.del_hparam("n")
    h.del_hparam("never")                               # nothing to delete: no error
    assert "n" not in h and not hasattr(h, "n")
    with pytest.raises(ValueError, match="Hyperparameter name is reserved: parse"):
        HParams(parse=1)
    with pytest.raises(ValueError, match="Multi-valued hyperparameters cannot be empty: xs"):
        HParams(xs=[])


def test_json_round_trip():
    h = HParams(rate=0.1, acts=["relu"], fn=len, on=True)
    assert json.loads(h.to_json()) == {"rate": 0.1, "acts": ["relu"], "fn": "len", "on": True}
    assert h.to_json(sort_keys=True, indent=1).startswith('{\n "acts"')
    h.parse_json('{"rate": 3, "acts": ["tanh", "elu"]}')
    assert h.rate == 3.0 and isinstance(h.rate, float) and h.acts == ["tanh", "elu"]
    with pytest.raises(KeyError):
        h.parse_json('{"nope": 1}')

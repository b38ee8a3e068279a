"""Sparse updates write the rows they touch in place: no copy of a 50,000-row table per step."""
import collections
import threading

import numpy as np
import pytest

from raygraph.ops import compiled, scatter
from raygraph.ops.registry import REGISTRY
from raygraph.ops.state import Ref


def _ref(value):
    store = {"t": value}
    return Ref(store, "t", "table", collections.defaultdict(threading.Lock)), store


def test_scatter_sub_updates_rows_in_place():
    table = np.zeros((50000, 8), np.float32)
    ref, store = _ref(table)
    updates = np.ones((3, 8), np.float32)
    REGISTRY["ScatterSub"].kernel({"use_locking": True}, None, ref, np.array([7, 49999, 7]), updates)
    assert store["t"] is table  # the same array, not a new one
    assert np.all(table[7] == -2) and np.all(table[49999] == -1)
    assert np.count_nonzero(table) == 16


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_float_row_updates_add_up_in_order_as_the_numpy_way(dtype, monkeypatch):
    """From compiled.COMPILED elements float rows are added by a compiled loop, one after another: the same bits as all
    rows at once with the repeated ones redone in order (which smaller updates take)."""
    rng = np.random.default_rng(0)
    table = rng.standard_normal((300, 2, 3)).astype(dtype)
    idx = rng.integers(0, 300, 100).astype(np.int64)
    idx[[5, 9, 60]] = idx[7]
    rows = (rng.standard_normal((100, 2, 3)) * 1e3).astype(dtype)
    assert rows.size >= compiled.COMPILED
    for subtract in (False, True):
        looped = table.copy()
        scatter.add_rows(looped, idx, rows, subtract)
        monkeypatch.setattr(compiled, "COMPILED", rows.size + 1)
        whole = table.copy()
        scatter.add_rows(whole, idx, rows, subtract)
        monkeypatch.undo()
        assert np.array_equal(looped.view(np.uint8), whole.view(np.uint8))
        sign = -1 if subtract else 1
        expected = table[idx[7]] + sign * rows[5] + sign * rows[7] + sign * rows[9] + sign * rows[60]
        assert np.allclose(looped[idx[7]], expected)


def test_sparse_apply_momentum_in_place_and_in_order():
    var, accum = np.ones((1000, 2)), np.zeros((1000, 2))
    (rv, sv), (ra, sa) = _ref(var), _ref(accum)
    grad = np.array([[1.0, 1.0], [2.0, 2.0]])
    REGISTRY["SparseApplyMomentum"].kernel({"use_nesterov": False}, None, rv, ra, np.float64(0.1), grad,
                                          np.array([5, 5]), np.float64(0.5))
    assert sv["t"] is var and sa["t"] is accum
    # row 5 twice, in order: accum 1 then 0.5 + 2 = 2.5; var 1 - 0.1 - 0.25
    assert np.allclose(accum[5], 2.5) and np.allclose(var[5], 0.65)
    assert np.count_nonzero(accum) == 2 and np.count_nonzero(var != 1) == 2


def test_read_only_value_is_copied_once():
    table = np.zeros((4, 2))
    table.flags.writeable = False  # a buffer received from the object store
    ref, store = _ref(table)
    REGISTRY["ScatterAdd"].kernel({}, None, ref, np.array([1]), np.ones((1, 2)))
    assert store["t"] is not table and store["t"].flags.writeable
    assert np.all(table == 0) and store["t"][1].tolist() == [1.0, 1.0]

"""The Arrow-backed encoding of tensors that cross devices."""
import pickle

import numpy as np
import pytest

from scheduler.wire import NumericTensor, StringTensor, decode, encode


@pytest.mark.parametrize("value", [
    np.arange(12, dtype=np.float32).reshape(3, 4), np.float64(2.5), np.int64(-3), np.array(True),
    np.zeros((0, 3), np.int32), np.arange(6, dtype=np.complex64), np.arange(10)[::2], np.ones(3, np.float16)])
def test_numeric_round_trip(value):
    out = decode(pickle.loads(pickle.dumps(encode(value), protocol=5)))
    assert np.asarray(out).dtype == np.asarray(value).dtype and np.array_equal(out, value)
    assert np.shape(out) == np.shape(value)


def test_numeric_buffers_travel_out_of_band():
    buffers = []
    encoded = encode(np.arange(1 << 16, dtype=np.float32))
    assert isinstance(encoded, NumericTensor)
    head = pickle.dumps(encoded, protocol=5, buffer_callback=buffers.append)
    assert len(buffers) == 1 and len(head) < 200


def test_strings_are_arrow_binary_with_a_shape():
    value = np.array([[b"a", b""], ["\u00e4".encode(), b"x\x00y"]], dtype=object)
    encoded = encode(value)
    assert isinstance(encoded, StringTensor) and str(encoded.values.type) == "large_binary"
    out = decode(pickle.loads(pickle.dumps(encoded, protocol=5)))
    assert out.tolist() == value.tolist()
    assert decode(encode(np.array(b"s", dtype=object))) == b"s"


def test_intra_op_matmul_splits_rows_or_columns_exactly():
    from scheduler import intra_op
    intra_op.configure(2)
    try:
        rng = np.random.default_rng(0)
        for shape_a, shape_b in (((400, 200), (200, 100)), ((100, 200), (200, 400)), ((3, 4), (4, 5))):
            a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
            intra_op.enable(True)
            split = intra_op.matmul(a, b)
            intra_op.enable(False)
            assert np.allclose(split, a @ b) and split.shape == (shape_a[0], shape_b[1])
    finally:
        intra_op.enable(False)
        intra_op.configure(1)

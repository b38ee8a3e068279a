"""The BLAS that single-threaded float products run on (scheduler/blas.py): MKL where the environment has it,
numpy's otherwise; either way numpy's products, in every layout a kernel hands over (transposed operands, column
blocks of a wider matrix, row blocks of a result written in place, stacks of Winograd's chunks)."""
import os
import subprocess
import sys

import numpy as np
import pytest

from scheduler import blas

needs_mkl = pytest.mark.skipif(blas.library() != "mkl", reason="products not on MKL here: not installed (pip install "
                               "'raygraph[mkl]'), RAYGRAPH_MKL=0, or a CPU not Intel's without RAYGRAPH_MKL=1")
M, K, N = 160, 128, 136   # 2.8M multiply-adds: above blas.MIN_WORK


def _operands(layout, dtype):
    """x, y, out (None: a new result), the buffer `out` is a view of, for one layout of the operands."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((M, K)).astype(dtype), rng.standard_normal((K, N)).astype(dtype)
    if layout == "transposed":        # columns of unit stride: MatMul's transpose_a/b, a gradient's x.T
        x, y = np.ascontiguousarray(x.T).T, np.ascontiguousarray(y.T).T
    elif layout == "column block":    # intra_op's column blocks: rows of a wider matrix
        wide = rng.standard_normal((K, N + 24)).astype(dtype)
        wide[:, 8:8 + N] = y
        y = wide[:, 8:8 + N]
    elif layout == "row block out":   # intra_op's row blocks: written into part of the result
        whole = np.full((M + 8, N), 7, dtype)
        return x, y, whole[4:4 + M], whole
    return x, y, None, None


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["rows", "transposed", "column block", "row block out"])
def test_products_match_numpys_in_every_layout(layout, dtype):
    x, y, out, whole = _operands(layout, dtype)
    got = blas.matmul(x, y, out=out)
    assert got.dtype == dtype and got.shape == (M, N)
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got, x.astype(np.float64) @ y.astype(np.float64), rtol=tol, atol=tol)
    if out is not None:
        assert got is out
        assert (whole[:4] == 7).all() and (whole[4 + M:] == 7).all()   # the rows around the block untouched


def test_the_result_does_not_depend_on_what_out_held_and_nans_propagate():
    x, y, _, _ = _operands("rows", np.float32)
    out = np.full((M, N), np.nan, np.float32)
    np.testing.assert_allclose(blas.matmul(x, y, out=out), x @ y, rtol=1e-5, atol=1e-4)
    x[3, 5] = np.nan
    y[:, 7] = np.inf
    y[:, 9] = 0
    y[5, 9] = np.inf                                   # column 9: x[:, 5] * inf, +-inf by x's sign, nan in row 3
    with np.errstate(invalid="ignore"):
        got, ref = blas.matmul(x, y), np.matmul(x.astype(np.float64), y.astype(np.float64))
    assert np.isnan(got[3]).all() and np.isnan(got[:, 7]).all()   # inf - inf
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    np.testing.assert_array_equal(np.isinf(got), np.isinf(ref))
    assert np.isinf(got[:, 9]).sum() == M - 1 and (np.sign(got[:, 9]) == np.sign(x[:, 5]))[np.arange(M) != 3].all()


def test_mismatched_inner_dimensions_raise_numpys_error():
    """gemm takes the inner dimension from one operand and would read past the other: numpy's ValueError instead."""
    x, y = np.ones((300, 3000), np.float32), np.ones((2000, 300), np.float32)   # enough work for MKL
    with pytest.raises(ValueError):
        blas.matmul(x, y)
    with pytest.raises(ValueError):
        blas.matmul(x, y, out=np.empty((300, 300), np.float32))
    with pytest.raises(ValueError):
        blas.matmul_batch(np.ones((4, 300, 3000), np.float32), np.ones((4, 2000, 300), np.float32),
                          np.empty((4, 300, 300), np.float32))


def test_other_products_are_numpys_own():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((M, K)).astype(np.float32), rng.standard_normal((K, N)).astype(np.float32)
    small = blas.matmul(x[:16], y[:, :16])                       # below MIN_WORK
    np.testing.assert_array_equal(small, np.matmul(x[:16], y[:, :16]))
    ints = (x * 10).astype(np.int32), (y * 10).astype(np.int32)
    np.testing.assert_array_equal(blas.matmul(*ints), np.matmul(*ints))
    mixed = blas.matmul(x, y.astype(np.float64))                 # numpy's promotion
    assert mixed.dtype == np.float64
    np.testing.assert_allclose(mixed, x.astype(np.float64) @ y.astype(np.float64), rtol=1e-12)
    strided = x[:, ::2], y[::2]                                   # no unit stride either way
    np.testing.assert_allclose(blas.matmul(*strided), np.matmul(*strided), rtol=1e-5, atol=1e-4)
    assert blas.matmul(x[:0], y).shape == (0, N)
    raw = np.zeros(M * K * 4 + 1, np.uint8)[1:]                   # elements off their alignment
    unaligned = raw.view(np.float32).reshape(M, K)
    unaligned[...] = x
    assert not unaligned.flags.aligned
    np.testing.assert_allclose(blas.matmul(unaligned, y), x @ y, rtol=1e-5, atol=1e-4)
    frozen = np.zeros((M, N), np.float32)
    frozen.flags.writeable = False
    with pytest.raises(ValueError):                               # numpy's error: nothing written
        blas.matmul(x, y, out=frozen)
    assert not frozen.any()
    wider = np.empty((M, N), np.float64)                         # a result of another dtype: numpy's casting
    assert blas.matmul(x, y, out=wider) is wider
    np.testing.assert_allclose(wider, x @ y, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_outer_products_are_numpys_products_bit_for_bit(monkeypatch, dtype):
    """[m, 1] x [1, n] (a matrix-vector product's gradient) is one rounded multiply per element: multiplied, not
    through matmul's loop, with numpy's values, non-finite ones included, in the layouts MatMul hands over."""
    rng = np.random.default_rng(3)
    x, col = rng.standard_normal((512, 1)).astype(dtype), rng.standard_normal((128, 1)).astype(dtype)
    x[7, 0], col[5, 0], col[9, 0] = np.inf, 0, np.nan
    y = col.T                                                     # transpose_b of a column: a [1, 128] view
    with np.errstate(invalid="ignore"):
        ref = np.matmul(x, y)
        ref_block = np.matmul(x[:100], y)
        monkeypatch.setattr(np, "matmul", lambda *a, **k: pytest.fail("an outer product went through matmul"))
        got = blas.matmul(x, y)
        whole = np.full((108, 128), 7, dtype)
        into = blas.matmul(x[:100], y, out=whole[4:104])          # a row block of a result, written in place
    assert got.dtype == dtype and got.shape == (512, 128)
    np.testing.assert_array_equal(got, ref)
    assert np.isnan(got[7, 5]) and np.isnan(got[:, 9]).all()      # inf * 0 and nan, as gemm gives
    assert np.shares_memory(into, whole)
    np.testing.assert_array_equal(whole[4:104], ref_block)
    assert (whole[:4] == 7).all() and (whole[104:] == 7).all()


def test_outer_product_shapes_that_do_not_meet_raise_numpys_error():
    with pytest.raises(ValueError):
        blas.matmul(np.ones((4, 1), np.float32), np.ones((2, 3), np.float32))


def _stacks(layout, dtype, batch=16, m=256, k=48, n=40):
    """x, y, out for a batched product (out a slice of a wider stack where the chunk is one of Winograd's)."""
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((batch, m, k)).astype(dtype), rng.standard_normal((batch, k, n)).astype(dtype)
    out = np.full((batch, m, n), 7, dtype)
    if layout == "transposed":        # Winograd's filter gradient: V^T per place of the transform
        x = np.ascontiguousarray(x.transpose(0, 2, 1)).transpose(0, 2, 1)
    elif layout == "chunk":           # a chunk of tiles: rows [:t] of wider planes
        wide_x, wide_out = np.zeros((batch, m + 32, k), dtype), np.full((batch, m + 32, n), 7, dtype)
        wide_x[:, :m] = x
        x, out = wide_x[:, :m], wide_out[:, :m]
    return x, y, out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["stacked", "transposed", "chunk"])
def test_batched_products_match_numpys(layout, dtype):
    x, y, out = _stacks(layout, dtype)
    want = np.matmul(x.astype(np.float64), y.astype(np.float64))
    assert blas.matmul_batch(x, y, out) is out
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, want, rtol=tol, atol=tol)
    if layout == "chunk":
        assert (out.base[:, 256:] == 7).all()   # the planes' rows past the chunk untouched


def test_batched_products_numpy_runs_itself():
    x, y, out = _stacks("stacked", np.float32)
    small = np.empty((16, 8, 40), np.float32)                     # below MIN_WORK
    np.testing.assert_array_equal(blas.matmul_batch(x[:, :8], y, small), np.matmul(x[:, :8], y))
    broadcast = np.empty_like(out)                                # one filter for every matrix: numpy broadcasts
    np.testing.assert_allclose(blas.matmul_batch(x, y[:1], broadcast), x @ y[:1], rtol=1e-5, atol=1e-4)
    square = x[:, :, :40].copy()                                  # written over its own input: numpy copies first
    want = square @ y[:, :40]
    np.testing.assert_allclose(blas.matmul_batch(square, y[:, :40], square), want, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(blas.matmul_batch(x[:0], y[:0], out[:0]), np.empty((0, 256, 40), np.float32))
    out.flags.writeable = False
    with pytest.raises(ValueError):                               # numpy's error: nothing written
        blas.matmul_batch(x, y, out)
    assert (out == 7).all()


@needs_mkl
def test_products_run_on_mkl_where_it_is_installed(monkeypatch):
    """Each layout reaches MKL's gemm as a row-major product with the transpose flags and leading dimensions of
    its memory (the test extra installs MKL on x86-64)."""
    assert blas.library() == "mkl"
    calls = []
    for dtype, (gemm, batch) in list(blas._gemms.items()):
        monkeypatch.setitem(blas._gemms, dtype, (lambda *a, gemm=gemm: (calls.append(a[:6] + a[8:9] + a[10:11] +
                                                                                      a[13:]), gemm(*a))[1], batch))
    for layout in ("rows", "transposed", "column block", "row block out"):
        x, y, out, _ = _operands(layout, np.float32)
        blas.matmul(x, y, out=out)
    assert calls == [(101, 111, 111, M, N, K, K, N, N), (101, 112, 112, M, N, K, M, K, N),
                     (101, 111, 111, M, N, K, K, N + 24, N), (101, 111, 111, M, N, K, K, N, N)]
    batches = []
    for dtype, (gemm, batch) in list(blas._gemms.items()):
        monkeypatch.setitem(blas._gemms, dtype, (gemm, lambda *a, batch=batch: (batches.append(
            a[:6] + a[8:10] + a[11:13] + a[15:]), batch(*a))[1]))
    for layout in ("stacked", "transposed", "chunk"):
        blas.matmul_batch(*_stacks(layout, np.float32))
    assert batches == [(101, 111, 111, 256, 40, 48, 48, 256 * 48, 40, 48 * 40, 40, 256 * 40, 16),
                       (101, 112, 111, 256, 40, 48, 256, 256 * 48, 40, 48 * 40, 40, 256 * 40, 16),
                       (101, 111, 111, 256, 40, 48, 48, 288 * 48, 40, 48 * 40, 40, 288 * 40, 16)]


def _library_in_a_new_process(**env):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, **env, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-c", "from scheduler import blas; print(blas.library())"], env=env,
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.strip()


def test_raygraph_mkl_0_keeps_numpys_products():
    assert _library_in_a_new_process(RAYGRAPH_MKL="0") == "numpy"
    assert _library_in_a_new_process(RAYGRAPH_MKL="1") == ("numpy" if blas.mkl_path() is None else "mkl")


def test_mkl_is_taken_on_intels_cpus_only_unless_asked():
    """Unset, RAYGRAPH_MKL leaves products on numpy's OpenBLAS on other CPUs (MKL runs slower there)."""
    want = "mkl" if blas.mkl_path() is not None and blas.intel() else "numpy"
    assert _library_in_a_new_process(RAYGRAPH_MKL="") == want


@pytest.mark.parametrize("text, want", [("vendor_id\t: GenuineIntel\ncpu family\t: 6\n", True),
                                        ("processor\t: 0\nvendor_id\t: AuthenticAMD\n", False),
                                        ("processor\t: 0\nCPU implementer\t: 0x41\n", False)])
def test_intel_reads_the_cpus_vendor(tmp_path, text, want):
    (tmp_path / "cpuinfo").write_text(text)
    assert blas.intel(str(tmp_path / "cpuinfo")) is want
    assert blas.intel(str(tmp_path / "absent")) is False


@pytest.mark.parametrize("adj_x, adj_y", [(False, False), (False, True), (True, False)])
def test_batch_matmul_kernel_runs_stacks_through_blas(monkeypatch, adj_x, adj_y):
    """BatchMatMulV2's kernel hands stacks of one batch size to matmul_batch (adjoints as transposed views)."""
    from raygraph.ops.linalg import _batch_matmul_kernel as kernel
    seen, batch = [], blas.matmul_batch
    monkeypatch.setattr(blas, "matmul_batch", lambda x, y, out: (seen.append((x.shape, y.shape)), batch(x, y, out))[1])
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((8, 256, 64)).astype(np.float32), rng.standard_normal((8, 64, 128)).astype(np.float32)
    fx = np.ascontiguousarray(x.transpose(0, 2, 1)) if adj_x else x
    fy = np.ascontiguousarray(y.transpose(0, 2, 1)) if adj_y else y
    got = kernel({"adj_x": adj_x, "adj_y": adj_y}, fx, fy)
    assert got.dtype == np.float32 and got.shape == (8, 256, 128)
    np.testing.assert_allclose(got, x.astype(np.float64) @ y.astype(np.float64), rtol=1e-4, atol=1e-4)
    assert seen == [((8, 256, 64), (8, 64, 128))]
    ints = (x * 10).astype(np.int32), (y * 10).astype(np.int32)
    np.testing.assert_array_equal(kernel({"adj_x": False, "adj_y": False}, *ints), np.matmul(*ints))


@needs_mkl
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["rows", "transposed", "column block", "row block out"])
def test_a_constant_factor_is_packed_once_with_the_same_bits(layout, dtype):
    """blas.matmul(constant=True): MKL packs y once per layout (gemm_pack) and multiplies the packed form
    (gemm_compute) with gemm's bits, NaN included; another row count packs it again in its place; the packed form
    goes with y's memory."""
    x, y, out, whole = _operands(layout, dtype)
    x[3, 5] = np.nan
    want = blas.matmul(x, y)
    before = len(blas._packs)
    for _ in range(2):
        got = blas.matmul(x, y, out=out, constant=True)
        assert got.tobytes() == want.tobytes()
    assert len(blas._packs) == before + 1
    assert blas.matmul(x[:-1], y, constant=True).tobytes() == want[:-1].tobytes()   # other rows: packed again
    assert len(blas._packs) == before + 1 and blas.matmul(x, y, constant=True).tobytes() == want.tobytes()
    del y, whole
    assert len(blas._packs) == before   # (y's memory gone: its packed forms with it)


def test_the_product_kernel_packs_only_a_folded_constant(monkeypatch):
    """MatMul's kernel asks for the packed form only where planning says its right factor is a folded constant
    (partition.CONSTANT_INPUTS): a variable's array changes in place between steps."""
    from raygraph.dtypes import float32
    from raygraph.ops.registry import get
    from scheduler.partition import CONSTANT_INPUTS
    seen = []
    monkeypatch.setattr(blas, "matmul", lambda x, y, out=None, constant=False: seen.append(constant) or x @ y)
    x, y = np.ones((4, 3), np.float32), np.ones((3, 2), np.float32)
    attrs = {"transpose_a": False, "transpose_b": False, "T": float32}
    for marked in [(), (0,), (1,), (0, 1)]:
        get("MatMul").kernel({**attrs, CONSTANT_INPUTS: marked}, x, y)
    assert seen == [False, False, True, True]


@pytest.mark.parametrize("openblas", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", ["rows", "transposed", "column block", "row block out"])
def test_accumulate_adds_a_product_into_an_array_in_its_memory(layout, dtype, openblas):
    """blas.accumulate: c = alpha * x @ y + beta * c in c's own memory, one gemm (an SGD update of a weight by its
    gradient, alpha = -rate and beta = 1, with no array for the gradient), in every layout `matmul` takes; where c
    is a block of a larger array, the rest is untouched."""
    x, y, out, whole = _operands(layout, dtype)
    if out is None:
        whole = np.random.default_rng(1).standard_normal((M, N + 6)).astype(dtype)
        out = whole[:, 3:3 + N] if layout == "column block" else whole[:, :N].copy()
    before, kept = out.copy(), whole.copy()
    address = out.ctypes.data
    assert blas.accumulate(x, y, out, -0.25, 1.0, openblas=openblas)
    want = -0.25 * (x.astype(np.float64) @ y.astype(np.float64)) + before
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(out, want, rtol=tol, atol=tol)
    assert out.ctypes.data == address
    if out.base is whole:   # (a block of a larger array: what lies around it is as it was)
        rows, cols = (slice(4, 4 + M), slice(None)) if layout == "row block out" else (slice(None), slice(3, 3 + N))
        outside = np.ones(whole.shape, bool)
        outside[rows, cols] = False
        np.testing.assert_array_equal(whole[outside], kept[outside])
    assert blas.accumulate(x, y, out, 2.0, 0.5, openblas=openblas)   # any alpha and beta
    np.testing.assert_allclose(out, 2.0 * (x.astype(np.float64) @ y.astype(np.float64)) + 0.5 * want, rtol=tol,
                               atol=tol * 10)


def test_accumulate_refuses_what_no_gemm_computes_and_writes_nothing():
    """False, c untouched: integers, mixed dtypes, c read-only, c column-major, c sharing memory with a factor,
    shapes that do not meet, an empty product."""
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((70, 30)).astype(np.float32), rng.standard_normal((30, 50)).astype(np.float32)
    c = np.ones((70, 50), np.float32)
    read_only = c.copy()
    read_only.flags.writeable = False
    shared = np.ones((70, 80), np.float32)
    cases = [(x.astype(np.int32), y.astype(np.int32), c.astype(np.int32)), (x, y.astype(np.float64), c),
             (x, y, read_only), (x, y, np.asfortranarray(c)), (shared[:, :30], y, shared[:, 30:]),
             (x, y[:20], c), (x[:, :0], y[:0], c), (x, y, c.astype(np.float64))]
    for a, b, out in cases:
        before = out.copy()
        assert not blas.accumulate(a, b, out, 1.0, 1.0)
        np.testing.assert_array_equal(out, before)

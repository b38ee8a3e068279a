"""The BLAS library that single-threaded matrix products of floats run on: Intel's MKL where the environment has
it (`pip install 'raygraph[mkl]'`, or conda's MKL), else numpy's own (OpenBLAS in numpy's wheels).

TF1 runs its products with oneDNN. On an AVX-512 Xeon here OpenBLAS's single-threaded sgemm took 1.12-1.25x
MKL's time (alternated, median of 20 pairs: [384, 384] x [384, 384] 732 against 642 us, [128, 784] x [784, 256]
389 against 346, [64, 1568] x [1568, 128] 215 against 173); `parallel_branches`, whose products run one a core,
13.8-13.9 ms a step in-process against 15.2-15.9. MKL runs sequential (its threading layer SEQUENTIAL): the
device decides how a product is split over its cores, and a product split over OpenBLAS's own threads stays
OpenBLAS's (intra_op.py: they share packed blocks; `mlp_train`'s step 0.79 ms against 1.09-1.25 split into
MKL blocks). MKL's results were the same for operands at every offset from an aligned address. MKL is loaded
with the first product that would use it (~25 ms).

Only on Intel's CPUs: on an AMD EPYC (Zen 3, AVX2) MKL's single-threaded sgemm took 1.03-1.30x OpenBLAS's time
(alternated, medians of 40: 384^3 1.03-1.08x, [128, 784] x [784, 256] 1.04-1.12x, [784, 128] x [128, 256]
1.11-1.30x), its packed form 1.07x (and a float64 product of a packed factor there did not always keep gemm's
bits: tests/test_blas.py fails so with RAYGRAPH_MKL=1). `RAYGRAPH_MKL=1` in a process's environment uses MKL
wherever it is found, `RAYGRAPH_MKL=0` never.
"""
import ctypes
import glob
import os
import sys
import weakref

import numpy as np

MIN_WORK = 2 ** 21   # multiply-adds below which numpy's call costs less than MKL's through ctypes (~5 us more a
                     # call: [64, 128] x [128, 128] 16.7 us with numpy against 17.7, [64, 256] x [256, 256] 58 and 53)
_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_B_MATRIX, _PACKED = 162, 151   # CblasBMatrix (gemm_pack's identifier), CblasPacked (gemm_compute's transpose flag)
_packs = {}          # (y's address, shape, strides) -> (weak reference to y's owner, rows, (gemm_compute, packed y))
_packers = None      # dtype -> MKL's (gemm_pack_get_size, gemm_pack, gemm_compute); loaded on first use
# Outer products ([m, 1] x [1, n], a matrix-vector product's gradient) run as a broadcast multiply, the same
# values: numpy's matmul computes them without BLAS (embedding_train's nce_loss gradient, [512, 1] x [1, 128]:
# 83 us, multiplied 28; [512, 1] x [1, 65] 45 and 16)
_OUTER = (np.dtype(np.float32), np.dtype(np.float64))
_SEQUENTIAL = 1      # MKL_THREADING_SEQUENTIAL
_gemms = None        # dtype -> (MKL's gemm, its batched gemm) for it ({}: numpy's products); loaded on first use
_mkl = None          # the loaded library, where found
_openblas = None     # dtype -> the cblas gemm of numpy's own OpenBLAS (64-bit integers), for `accumulate`


def mkl_path():
    """Where the environment's MKL single dynamic library is (pip's `mkl` and conda put it in the environment's
    lib/), or None."""
    found = sorted(glob.glob(os.path.join(sys.prefix, "lib", "libmkl_rt.so*")) +
                   glob.glob(os.path.join(sys.prefix, "lib", "libmkl_rt*.dylib")))
    return found[0] if found else None


def cpu_vendor(cpuinfo="/proc/cpuinfo"):
    """The CPU's vendor as Linux reports it ("GenuineIntel", "AuthenticAMD"), or "" where it reports none."""
    try:
        with open(cpuinfo) as f:
            return next((line.split(":")[-1].strip() for line in f if line.startswith("vendor_id")), "")
    except OSError:
        return ""


def intel(cpuinfo="/proc/cpuinfo"):
    """Whether this machine's CPU is Intel's (False where Linux reports no vendor)."""
    return cpu_vendor(cpuinfo) == "GenuineIntel"


def _load():
    """{dtype: (MKL's gemm, gemm_batch_strided)} for float32 and float64, their 64-bit-integer forms (MKL 2023 and
    later); {} where MKL is absent, older, unloadable or turned off, or (unless asked for) the CPU not Intel's."""
    global _mkl
    choice = os.environ.get("RAYGRAPH_MKL")
    path = mkl_path() if choice == "1" or (choice != "0" and intel()) else None
    if path is None:
        return {}
    try:
        lib = ctypes.CDLL(path)
        functions = {dtype: (getattr(lib, f"cblas_{k}gemm_64"), getattr(lib, f"cblas_{k}gemm_batch_strided_64"))
                     for k, dtype in (("s", np.float32), ("d", np.float64))}
        lib.MKL_Set_Threading_Layer(_SEQUENTIAL)
    except (OSError, AttributeError):
        return {}
    _mkl = lib
    i, n, p = ctypes.c_int, ctypes.c_int64, ctypes.c_void_p
    for dtype, (gemm, batch) in functions.items():
        scalar = ctypes.c_float if dtype == np.float32 else ctypes.c_double
        gemm.restype = batch.restype = None
        gemm.argtypes = [i, i, i, n, n, n, scalar, p, n, p, n, scalar, p, n]
        batch.argtypes = [i, i, i, n, n, n, scalar, p, n, n, p, n, n, scalar, p, n, n, n]
    return {np.dtype(dtype): pair for dtype, pair in functions.items()}


def _loaded():
    global _gemms
    if _gemms is None:
        _gemms = _load()
    return _gemms


def library():
    """"mkl" or "numpy": what this process's single-threaded float products run on."""
    return "mkl" if _loaded() else "numpy"


def mkl():
    """The environment's MKL (a ctypes library, its threading layer SEQUENTIAL) where products run on it, else
    None: for compiled code that calls its functions (fourier_loops.py)."""
    _loaded()
    return _mkl


def _layout(a):
    """(transpose flag, leading dimension) that describe a 2-D array's memory to a row-major gemm, or None
    where neither its rows nor its columns are of unit stride, or its elements are not aligned."""
    size = a.itemsize
    s0, s1 = a.strides
    if not a.flags.aligned:
        return None
    if s1 == size and s0 % size == 0 and s0 >= size * a.shape[1]:
        return _NO_TRANS, s0 // size
    if s0 == size and s1 % size == 0 and s1 >= size * a.shape[0]:
        return _TRANS, s1 // size
    return None


def _functions(x, y, work):
    """MKL's (gemm, batched gemm) for a product of x and y of `work` multiply-adds, or None (numpy's: it also
    raises numpy's ValueError where their inner dimensions differ, which gemm would read past)."""
    if work < MIN_WORK or y.dtype != x.dtype or x.shape[-1] != y.shape[-2]:
        return None
    return (_gemms if _gemms is not None else _loaded()).get(x.dtype)


def matmul(x, y, out=None, constant=False):
    """x @ y for 2-D arrays (into `out` where given), on MKL for float32 and float64 operands of one dtype and
    enough work, else numpy's; `constant`: y is the same unchanged array in every call (a folded constant), whose
    packed form MKL makes once (`_packed`)."""
    m, n = x.shape[0], y.shape[1]
    if x.shape[1] == 1 and y.shape[0] == 1 and x.dtype == y.dtype and x.dtype in _OUTER:
        return np.multiply(x, y, out=out)   # an outer product: one rounded multiply per element, as in gemm
    functions = _functions(x, y, m * x.shape[1] * n)
    if functions is None:
        return np.matmul(x, y, out=out)
    if out is None:
        out = np.empty((m, n), x.dtype)
    elif not out.flags.writeable or np.may_share_memory(out, x) or np.may_share_memory(out, y):
        return np.matmul(x, y, out=out)   # (numpy's copies what it overwrites)
    a, b = _layout(x), _layout(y)
    c = _layout(out) if out.dtype == x.dtype and out.shape == (m, n) else None
    if a is None or b is None or c is None or c[0] != _NO_TRANS:
        return np.matmul(x, y, out=out)
    packed = _packed(y, b, m) if constant and _mkl is not None else None
    if packed is not None:
        packed[0](_ROW_MAJOR, a[0], _PACKED, m, n, x.shape[1], x.ctypes.data, a[1], packed[1].ctypes.data, n, 0.0,
                  out.ctypes.data, c[1])
        return out
    functions[0](_ROW_MAJOR, a[0], b[0], m, n, x.shape[1], 1.0, x.ctypes.data, a[1], y.ctypes.data, b[1], 0.0,
                 out.ctypes.data, c[1])
    return out


def accumulate(x, y, c, alpha, beta, openblas=False):
    """c = alpha * (x @ y) + beta * c in c's own memory, as one gemm call (a product added into an array, with no
    array for the product): True; False where no gemm applies and nothing was written (`gemm_for`). On MKL where
    it serves products of this size (`matmul`), else on numpy's OpenBLAS (always with `openblas`: whose threads the
    caller has set)."""
    found = gemm_for(x, y, c, openblas)
    if found is None:
        return False
    gemm, a, b, out = found
    gemm(_ROW_MAJOR, a[0], b[0], c.shape[0], c.shape[1], x.shape[1], alpha, x.ctypes.data, a[1], y.ctypes.data,
         b[1], beta, c.ctypes.data, out[1])
    return True


def gemm_for(x, y, c, openblas=False):
    """(gemm, x's, y's and c's layouts) for `accumulate`, or None where none applies: not float32 or float64
    factors of c's dtype, c not writable with rows of unit stride or sharing memory with x or y, a factor with
    neither its rows nor its columns of unit stride, an empty product, no BLAS found."""
    m, n = c.shape
    k = x.shape[1] if x.ndim == 2 else 0
    if not m or not n or not k or x.shape[0] != m or y.shape != (k, n) or not x.dtype == y.dtype == c.dtype or \
            not c.flags.writeable or np.may_share_memory(c, x) or np.may_share_memory(c, y):
        return None
    a, b, out = _layout(x), _layout(y), _layout(c)
    functions = None if openblas else _functions(x, y, m * k * n)
    gemm = functions[0] if functions is not None else _openblas_gemms().get(c.dtype)
    if a is None or b is None or out is None or out[0] != _NO_TRANS or gemm is None:
        return None
    return gemm, a, b, out


def openblas_libraries():
    """[(threadpoolctl's controller, the ctypes library)] for each OpenBLAS this process has loaded (numpy's own
    among them); [] without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController  # noqa: PLC0415
        return [(lib, ctypes.CDLL(lib.filepath))
                for lib in ThreadpoolController().select(internal_api="openblas").lib_controllers]
    except Exception:  # noqa: BLE001 - no threadpoolctl, a library that will not load: none found
        return []


def _openblas_gemms():
    """{dtype: cblas gemm} of numpy's OpenBLAS where it has the 64-bit-integer interface (numpy 2's wheels:
    scipy_cblas_sgemm64_...), else {}."""
    global _openblas
    if _openblas is None:
        found = {}
        i, n, p = ctypes.c_int, ctypes.c_int64, ctypes.c_void_p
        for _, dll in openblas_libraries():
            for k, dtype, scalar in (("s", np.float32, ctypes.c_float), ("d", np.float64, ctypes.c_double)):
                gemm = next((getattr(dll, name) for name in (f"scipy_cblas_{k}gemm64_", f"cblas_{k}gemm64_")
                             if hasattr(dll, name)), None)
                if gemm is not None:
                    gemm.restype = None
                    gemm.argtypes = [i, i, i, n, n, n, scalar, p, n, p, n, scalar, p, n]
                    found.setdefault(np.dtype(dtype), gemm)
        _openblas = found
    return _openblas


def _packed(y, layout, m):
    """(MKL's gemm_compute, y packed by its gemm_pack for products with m rows): made once per array and layout,
    and kept while the array that owns y's memory lives (the caller says that memory never changes); one packed
    form an array and layout (products with another row count pack it again, in its place: a model served with
    batches of every size keeps no more than its constants' size again).
    gemm_compute gives sgemm's and dgemm's bits (checked in tests); `parallel_branches`' eight constant [384, 384]
    factors packed: steps in a row (medians of 50, alternated) 16.82-16.96 ms against 15.92-16.57, products alone
    1-6% faster."""
    owner = y
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    key = (y.ctypes.data, y.shape, y.strides)
    kept = _packs.get(key)
    if kept is not None and kept[0]() is owner and kept[1] == m:
        return kept[2]
    functions = _pack_functions().get(y.dtype)
    if functions is None:
        return None
    size, pack, compute = functions
    k, n = y.shape
    raw = np.empty(size(_B_MATRIX, m, n, k) + 64, np.uint8)
    buffer = raw[-raw.ctypes.data % 64:][:raw.size - 64]   # (aligned to 64 bytes, as MKL's own allocations)
    pack(_ROW_MAJOR, _B_MATRIX, layout[0], m, n, k, 1.0, y.ctypes.data, layout[1], buffer.ctypes.data)
    try:
        ref = weakref.ref(owner, lambda _, key=key: _packs.pop(key, None))
    except TypeError:   # (an owner that takes no weak references: not kept)
        return None
    _packs[key] = (ref, m, (compute, buffer))
    return compute, buffer


def _pack_functions():
    """{dtype: (gemm_pack_get_size, gemm_pack, gemm_compute)} of the loaded MKL (their 64-bit-integer forms)."""
    global _packers
    if _packers is None:
        i, n, p = ctypes.c_int, ctypes.c_int64, ctypes.c_void_p
        found = {}
        try:
            for k, dtype, scalar in (("s", np.float32, ctypes.c_float), ("d", np.float64, ctypes.c_double)):
                size, pack, compute = (getattr(_mkl, f"cblas_{k}gemm_{name}_64")
                                       for name in ("pack_get_size", "pack", "compute"))
                size.restype, size.argtypes = ctypes.c_size_t, [i, n, n, n]
                pack.restype, pack.argtypes = None, [i, i, i, n, n, n, scalar, p, n, p]
                compute.restype, compute.argtypes = None, [i, i, i, n, n, n, p, n, p, n, scalar, p, n]
                found[np.dtype(dtype)] = size, pack, compute
        except AttributeError:   # (an MKL without them: plain products)
            found = {}
        _packers = found
    return _packers


def matmul_batch(x, y, out):
    """np.matmul(x, y, out=out) for stacks of matrices [B, m, k] and [B, k, n] into `out` [B, m, n], on MKL as one
    call where each stack's matrices share a layout a fixed stride apart (Winograd's 16 products, conv_winograd.py:
    [16, 512, 64] x [16, 64, 64] 625 us with numpy's, 472 with MKL's, one thread), else numpy's."""
    batch, m, n = x.shape[0], x.shape[1], y.shape[2]
    functions = _functions(x, y, batch * m * x.shape[2] * n)
    if functions is None or y.shape[0] != batch or out.shape != (batch, m, n) or out.dtype != x.dtype or \
            batch == 0 or not out.flags.writeable or np.may_share_memory(out, x) or np.may_share_memory(out, y):
        return np.matmul(x, y, out=out)
    a, b, c = (_layout(v[0]) for v in (x, y, out))
    strides = [v.strides[0] // v.itemsize if v.strides[0] % v.itemsize == 0 and v.strides[0] >= 0 else None
               for v in (x, y, out)]
    if a is None or b is None or c is None or c[0] != _NO_TRANS or None in strides:
        return np.matmul(x, y, out=out)
    functions[1](_ROW_MAJOR, a[0], b[0], m, n, x.shape[2], 1.0, x.ctypes.data, a[1], strides[0], y.ctypes.data,
                 b[1], strides[1], 0.0, out.ctypes.data, c[1], strides[2], batch)
    return out

"""Compiled loops: a fused elementwise region of float32 ops evaluated in one pass over its elements.

numpy runs a region op by op, one pass over memory per op with a temporary array each, and its
transcendental loops (exp, tanh, log1p) cost 3-15 ns per float32 here. When every member of a region
has an element formula (its op-table entry's `scalar=`, written with `float32_bits`/`float32_from_bits`
for the bit tricks of Eigen's polynomial approximations and `multiply_add` for their fused multiply-adds),
numba compiles the region into one loop whose body calls the formulas in order; LLVM inlines and
vectorizes it (AVX2: 8 floats per instruction; AVX-512: 16, see `wide_vectors`), and the loop runs without
the GIL, in one share of the elements per intra-op thread; an input that holds the region's last axes (a
bias) makes it a loop over rows of that size. A costly op outside any region (fusion.py) is a region of
one. numba is imported only when a region first qualifies, the loop is compiled once per process for its
formulas and pattern of inputs, and a region whose loop cannot be built runs the numpy way.

The loop's numbers: the arithmetic ops' formulas give numpy's bits (float32 operations in the same order,
no multiply and add contracted into one); exp, log, tanh and what is built on them agree with numpy's to
a few units in the last place (they are Eigen's approximations, as TF's CPU kernels compute them).
"""
import functools
import hashlib
import importlib
import importlib.util
import os
import sys
import threading
import types

import numpy as np

from . import intra_op

F32 = np.dtype(np.float32)
# The fewest member-elements (elements times members) for which a region is compiled (a compile costs ~1-3 s
# once per region, its loop then loaded from numba's cache; a numba call ~3 us; below, numpy's per-op calls cost
# little). mlp_train's bias + relu over [128, 256] (2 x 32K) took 52 us in its step as numpy's two calls, 35
# compiled. RAYGRAPH_JIT=0 turns compiled loops off, RAYGRAPH_JIT=always compiles every qualifying region (tests).
MIN_ELEMENTS = 1 << 16
# ... and the fewest for a region with a costly member (its formula marked `costly`: exp, tanh, sigmoid...,
# whose numpy loops take 3-15 ns per float32 here, against ~0.5 ns compiled). In-process, one op, loop
# against numpy: tanh over 8K floats 17 against 35 us, exp 9 against 14; over 32K 33 against 133, 25 against 52.
MIN_COSTLY = 1 << 13
# A region's loop body is one long chain of dependent operations, too long for the CPU to overlap one
# iteration with the next: so each iteration works on INTERLEAVE independent vectors (LLVM's interleaving,
# which its heuristics leave at 1 for long bodies). The 33-member chain of bench/elementwise.py on one core:
# 15.2 ms at 1, 10.3 at 2, 7.6 at 4, 11.6 at 8 (register spills); unrolling the source instead took 25 s to
# compile against 5.
INTERLEAVE = 4
SHORT_ROW = 64         # rows shorter than this (a bias of 16 channels) are read several at once
SPLIT_WORK = 1 << 22   # member-elements from which a loop is cut into one share per intra-op thread
_lock = threading.Lock()   # held while compiling
_loops = {}            # (source, formulas) -> compiled function (shared by the regions of a process)


def float32_bits(x):
    """The bits of float32 `x` as an int32 (compiled: a register move)."""
    return np.asarray(x, np.float32).view(np.int32)[()]


def float32_from_bits(i):
    """The float32 whose bits are int32 `i`."""
    return np.asarray(i, np.int32).view(np.float32)[()]


def multiply_add(a, b, c):
    """a * b + c for float32s, rounded once (compiled: one fused multiply-add instruction; here in float64,
    which rounds twice only in rare ties)."""
    return np.float32(float(a) * float(b) + float(c))


FULL, SINGLE, ROWS = 0, 1, 2   # how an input meets the region's shape: all of it, one element, its last axes


def loop_for(formulas, outputs, inputs, loops, into=None):
    """The outputs of a fused region (a list of float32 arrays) from its compiled loop, or None where no loop
    applies: `formulas` per member (element formula or None, args as fusion.Program's: >= 0 an input, ~j
    member j's value), `outputs` the members whose values leave, `loops` the region's cache of loops by
    how its inputs meet its shape (`formulas` empty: some member has none); `into`: an input that nothing
    else holds (straight_line.py), where the first output is written when it is a writable contiguous array of
    the region's shape, instead of into a new array. A loop applies when every
    member has a formula, every input is float32 and has the region's shape (of at least MIN_ELEMENTS
    member-elements, MIN_COSTLY elements with a costly member, any under RAYGRAPH_JIT=always), one element,
    or the shape's last axes (a bias: all such inputs of one size), and every output depends on an input of
    the region's shape."""
    if not formulas:
        return None
    setting = os.environ.get("RAYGRAPH_JIT", "1")
    if setting == "0":
        return None
    shape, size = (), 0   # of the largest input (run on every fused node's call: kept to attribute reads)
    for a in inputs:
        if not (type(a) is np.ndarray and a.dtype == F32 or type(a) is np.float32):
            return None
        if a.size > size:
            shape, size = a.shape, a.size
    if not shape or setting != "always" and size * len(formulas) < MIN_ELEMENTS and (
            size < MIN_COSTLY or not _costly(formulas)):
        return None
    kinds, row = [], None
    for a in inputs:
        kind = _kind(a, shape)
        if kind is None or kind == ROWS and row not in (None, a.size):
            return None
        row = a.size if kind == ROWS else row
        kinds.append(kind)
    kinds = tuple(kinds)
    if into is not None and not (kinds[into] == FULL and type(inputs[into]) is np.ndarray
                                 and inputs[into].flags.c_contiguous and inputs[into].flags.writeable):
        into = None
    loop = loops.get((kinds, into), _MISSING)
    if loop is _MISSING:
        loop = loops[kinds, into] = _make_loop(formulas, outputs, kinds, into, strict=setting == "always")
    return None if loop is None else loop(inputs, shape, size, row)


@functools.lru_cache(maxsize=1024)
def _costly(formulas):
    return any(getattr(f, "costly", False) for f, _ in formulas)


def _kind(a, shape):
    if a.shape == shape:
        return FULL
    if a.ndim > len(shape):
        return None
    if a.size == 1:
        return SINGLE
    last = a.shape[next((k for k, d in enumerate(a.shape) if d != 1), a.ndim):]   # without leading 1s
    return ROWS if shape[len(shape) - len(last):] == last else None


_MISSING = object()


class _Loop:
    """A compiled loop and how to call it: loop(*inputs, *outputs) over the outputs' elements, or with
    inputs of the shape's last axes, over rows of their size."""

    __slots__ = ("function", "kinds", "n_outputs", "work", "into")

    def __init__(self, function, kinds, n_outputs, n_members, into):
        self.function, self.kinds, self.n_outputs, self.work, self.into = function, kinds, n_outputs, n_members, into

    def __call__(self, inputs, shape, n, row):
        flat = [np.float32(a.item()) if k == SINGLE else _read_only(a) for a, k in zip(inputs, self.kinds)]
        times = _times(n // row, row) if row is not None and row < SHORT_ROW else 1
        if times > 1:   # short rows (16 channels) read as several at once: the loop's vectors need 32 floats
            flat = [np.tile(a, times) if k == ROWS else a for a, k in zip(flat, self.kinds)]
        into = self.into   # (the loop reads that input through the output)
        outs = [inputs[into] if k == 0 and into is not None else np.empty(shape, F32) for k in range(self.n_outputs)]
        args = flat + [o.reshape(-1) for o in outs] + ([np.int32(0)] if into is not None else [])
        step = (row or 1) * times
        if n * self.work < SPLIT_WORK or intra_op.spare() == 0 or n // step < 2:   # one call (~4 us)
            self.function(*args)
            return outs
        cut = [k == FULL for k in self.kinds] + [True] * len(outs) + [False] * (into is not None)

        def share(lo, hi):   # rows [lo, hi) of the full inputs and outputs (elements, without row inputs)
            self.function(*(a[lo * step:hi * step] if c else a for a, c in zip(args, cut)))
        intra_op.shares(share, n // step, intra_op.MIN_WORK)
        return outs


@functools.lru_cache(maxsize=256)
def _times(n_rows, row):
    """How many rows of `row` elements to read as one: the most (up to SHORT_ROW * 4 elements) that divide
    `n_rows`."""
    return max(t for t in range(1, SHORT_ROW * 4 // row + 1) if n_rows % t == 0)


def _read_only(a):
    """A flat read-only view of `a` (or of its contiguous copy): the loop is compiled for read-only inputs
    (a session's feeds arrive read-only), one signature for all."""
    flat = (a if a.flags.c_contiguous else np.ascontiguousarray(a)).reshape(-1)   # a new view
    flat.flags.writeable = False
    return flat


def _make_loop(formulas, outputs, kinds, into, strict):
    """The region's loop for this pattern of inputs, or None (a member without a formula, an output not
    of the region's shape, a member that requires equal shapes reading a smaller value, or a failed
    compile: raised when `strict`)."""
    full = []
    for f, args in formulas:
        if f is None:
            return None
        arg_full = [kinds[a] == FULL if a >= 0 else full[~a] for a in args]
        if getattr(f, "same_shapes", False) and not all(arg_full):
            return None
        full.append(any(arg_full))
    if not all(full[j] for j in outputs):
        return None
    try:
        return _Loop(_compile(formulas, outputs, kinds, into), kinds, len(outputs), len(formulas), into)
    except Exception:   # noqa: BLE001 - the numpy path runs the region instead
        if strict:
            raise
        return None


def _compile(formulas, outputs, kinds, into=None):
    """The loop (`_source`) compiled, or the same loop compiled before in this process."""
    source, names = _source(formulas, outputs, kinds, into)
    key = (source, tuple(names))
    with _lock:
        found = _loops.get(key)
        if found is None:
            found = _loops[key] = _build(source, names, kinds, len(outputs), into is not None)
    return found


def _source(formulas, outputs, kinds, into=None):
    """(source, {formula: its name there}) of the loop as numba compiles it: loop(*inputs, *outputs) over the
    outputs' elements (a loop over range(lo, hi) vectorized 2.6x worse than one over an array's length), row by
    row when some input holds the last axes; input `into`, the first output's own buffer, read through that output (read
    through its read-only argument, the loop would check the two for overlap and not vectorize), its bits
    passed through an xor with `zero`, a last argument (0) whose value LLVM cannot see: a formula may give back
    its input unchanged (relu above 0, elu, the tanh raygraph had before below 4e-4...), and LLVM made a loop that
    stores either that input or another value at the input's own place a masked store (`vmaskmovps`), microcoded on
    AMD's cores: tanh over [384, 384] written into its input 190-250 us against 85-135 into a new array on a Zen 3
    EPYC (one thread, after the product that made it), 93 with the xor. A member that reads no input of the region's
    shape (`_levels`) is computed before the loop, once per element of the row (or once), not once per element
    of the region: nce_loss's log of its 64 samples' expected counts, taken from its [512, 64] logits, ran 512
    times per sample in the loop."""
    n_in = len(kinds)
    names = {}
    for f, _ in formulas:
        names.setdefault(f, f"f{len(names)}")
    level = _levels(formulas, kinds)
    head = [f"x{a}" for a in range(n_in)] + [f"o{k}" for k in range(len(outputs))] + ["zero"] * (into is not None)
    lines = [f"def loop({', '.join(head)}):"]

    def call(j, f, args):
        return f"v{j} = {names[f]}({', '.join(f'a{a}' if a >= 0 else f'v{~a}' for a in args)})"
    once = [j for j, lv in enumerate(level) if lv == SINGLE]
    per_row = [j for j, lv in enumerate(level) if lv == ROWS]
    lines += [f"    a{a} = x{a}" for a in range(n_in) if kinds[a] == SINGLE and (once or per_row)]
    lines += [f"    {call(j, *formulas[j])}" for j in once]
    if per_row:   # (only where an input holds the last axes)
        row = f"x{kinds.index(ROWS)}.shape[0]"
        lines += [f"    h{j} = np.empty({row}, np.float32)" for j in per_row]
        lines += [f"    for i in range({row}):"]
        lines += [f"        a{a} = x{a}[i]" for a in range(n_in) if kinds[a] == ROWS]
        for j in per_row:
            lines += [f"        {call(j, *formulas[j])}", f"        h{j}[i] = v{j}"]
    if ROWS in kinds:   # full inputs and outputs as rows, the row inputs whole
        row = f"x{kinds.index(ROWS)}.shape[0]"
        lines += [f"    for r in range(0, o0.shape[0], {row}):"]
        lines += [f"        y{a} = x{a}[r:r + {row}]" for a in range(n_in) if kinds[a] == FULL]
        lines += [f"        p{k} = o{k}[r:r + {row}]" for k in range(len(outputs))]
        indent, rows, ins, outs = "            ", "p0", {FULL: "y", ROWS: "x"}, "p"
    else:
        indent, rows, ins, outs = "        ", "o0", {FULL: "x"}, "o"
    lines += [f"{indent[:-4]}for i in range({rows}.shape[0]):"]
    lines += [f"{indent}a{a} = float32_from_bits(float32_bits({outs}0[i]) ^ zero)" if a == into else
              f"{indent}a{a} = {ins[kinds[a]]}{a}[i]" if kinds[a] != SINGLE else f"{indent}a{a} = x{a}"
              for a in range(n_in)]
    for j, (f, args) in enumerate(formulas):
        if level[j] == FULL:
            lines.append(f"{indent}{call(j, f, args)}")
        elif level[j] == ROWS:
            lines.append(f"{indent}v{j} = h{j}[i]")
    lines += [f"{indent}{outs}{k}[i] = v{j}" for k, j in enumerate(outputs)]
    return "\n".join(lines), names


def _levels(formulas, kinds):
    """Per member, what its value varies with: FULL (an input of the region's shape), ROWS (only inputs of its
    last axes), SINGLE (only one-element inputs: a constant of the loop)."""
    level = []
    for _, args in formulas:
        read = {kinds[a] if a >= 0 else level[~a] for a in args}
        level.append(FULL if FULL in read else ROWS if ROWS in read else SINGLE)
    return level


def _build(source, names, kinds, n_outputs, zero):
    """Compiled now (not at its first call, which may come from several threads at once), or loaded from
    numba's cache of an earlier process."""
    numba = _numba()
    array, read_only = numba.float32[::1], numba.types.Array(numba.float32, 1, "C", readonly=True)
    signature = numba.void(*(numba.float32 if k == SINGLE else read_only for k in kinds), *([array] * n_outputs),
                           *([numba.int32] * zero))
    loop = _from_file(numba, source, names)
    if loop is not None:
        return numba.njit(signature, nogil=True, error_model="numpy", cache=True)(loop)
    scope = {name: _inline(numba, f) for f, name in names.items()} | {"float32_bits": float32_bits,
                                                                      "float32_from_bits": float32_from_bits, "np": np}
    code = compile(source, f"<compiled loop {hashlib.sha1(source.encode()).hexdigest()[:8]}>", "exec")
    exec(code, scope)  # noqa: S102 - our own generated source (member formulas called in order)
    return numba.njit(signature, nogil=True, error_model="numpy")(scope["loop"])


def _from_file(numba, source, names):
    """The loop, defined in a file of the cache directory ($RAYGRAPH_CACHE_DIR, else ~/.cache/raygraph/loops)
    named by all it is compiled from (its source, its formulas' modules, this module, numba's version), so
    that numba keeps the machine code beside it for later processes (a compile takes seconds, a load ~0.1 s);
    None when a formula is not a module-level function or the directory cannot be written."""
    if any(f.__globals__.get(f.__name__) is not f for f in names):
        return None
    text = "\n".join(["import numpy as np", "", "from scheduler.jit import float32_bits, float32_from_bits, formula",
                      "",
                      *(f'{name} = formula("{f.__module__}", "{f.__name__}")' for f, name in names.items()), "", "",
                      source, ""])
    stamp = [text, numba.__version__, *(_source_of(m) for m in sorted({f.__module__ for f in names} | {__name__}))]
    digest = hashlib.sha1("\0".join(stamp).encode()).hexdigest()[:20]
    folder = os.environ.get("RAYGRAPH_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "raygraph",
                                                                   "loops")
    path = os.path.join(folder, f"loop_{digest}.py")
    try:
        if not os.path.exists(path):
            os.makedirs(folder, exist_ok=True)
            with open(f"{path}.{os.getpid()}", "w") as f:
                f.write(text)
            os.replace(f"{path}.{os.getpid()}", path)   # (whole, for processes compiling it at once)
        spec = importlib.util.spec_from_file_location(f"raygraph_loop_{digest}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except OSError:
        return None
    sys.modules[spec.name] = module   # (numba's cache names the module a loop's environment comes from)
    return module.loop


def _source_of(module_name):
    with open(sys.modules[module_name].__file__, encoding="utf-8") as f:
        return f.read()


def formula(module_name, name):
    """A module-level element formula compiled to be inlined (what a cached loop's file calls)."""
    return _inline(_numba(), getattr(importlib.import_module(module_name), name))


_modules = {}   # a formulas' module name -> its globals, its functions compiled (they call each other)


def _inline(numba, f):
    """`f` compiled to be inlined, the functions of its module that it calls compiled alike."""
    scope = _modules.get(f.__module__)
    if scope is None:
        scope = _modules[f.__module__] = dict(f.__globals__)
        for name, g in f.__globals__.items():
            if isinstance(g, types.FunctionType) and g.__module__ == f.__module__:
                scope[name] = numba.njit(inline="always", error_model="numpy")(
                    types.FunctionType(g.__code__, scope, name, g.__defaults__, g.__closure__))
    if f.__globals__.get(f.__name__) is f:
        return scope[f.__name__]
    return numba.njit(inline="always", error_model="numpy")(   # (not at its module's level)
        types.FunctionType(f.__code__, scope, f.__name__, f.__defaults__, f.__closure__))


_registered = []


def wide_vectors():
    """Called before numba's first import in a process: where the CPU has AVX-512 and the program leaves numba's
    target alone (NUMBA_CPU_NAME, NUMBA_CPU_FEATURES unset), numba's loops get 512-bit vectors. LLVM's tuning for
    Intel's cores prefers 256-bit ones (older ones lowered their clocks for 512-bit instructions): on an Intel Xeon
    VM (README, the third machine) the elementwise chain of bench/elementwise.py took 4.3-4.4 ms a step with
    256-bit vectors, 3.0-3.2 with 512. TF1's kernels (oneDNN) run AVX-512 there too. Set in the environment, which
    numba reads as it is imported."""
    if "numba" in sys.modules or "NUMBA_CPU_NAME" in os.environ or "NUMBA_CPU_FEATURES" in os.environ:
        return
    from llvmlite import binding  # noqa: PLC0415
    features = binding.get_host_cpu_features()
    if features.get("avx512f"):
        os.environ["NUMBA_CPU_FEATURES"] = features.flatten() + ",-prefer-256-bit"


def _numba():
    """numba, with the bit casts and the fused multiply-add registered and LLVM told to interleave four
    vectors per loop iteration (once per process, under _lock)."""
    wide_vectors()
    import numba  # noqa: PLC0415 - imported only when a region first compiles (0.6 s)
    if not _registered:
        from llvmlite import binding, ir  # noqa: PLC0415
        binding.set_option("raygraph", f"-force-vector-interleave={INTERLEAVE}")
        from numba.extending import intrinsic, overload  # noqa: PLC0415

        def cast(to_type, from_type, llvm_type):
            @intrinsic
            def bitcast(typingctx, value):
                return to_type(from_type), lambda ctx, builder, sig, args: builder.bitcast(args[0], llvm_type)
            return bitcast

        @intrinsic
        def fma(typingctx, a, b, c):
            def codegen(ctx, builder, sig, args):
                f32 = ir.FloatType()
                function = builder.module.declare_intrinsic("llvm.fma", [f32], ir.FunctionType(f32, [f32] * 3))
                return builder.call(function, args)
            return numba.float32(numba.float32, numba.float32, numba.float32), codegen
        to_bits = cast(numba.int32, numba.float32, ir.IntType(32))
        from_bits = cast(numba.float32, numba.int32, ir.FloatType())
        overload(float32_bits, inline="always")(lambda x: lambda x: to_bits(x))
        overload(float32_from_bits, inline="always")(lambda i: lambda i: from_bits(i))
        overload(multiply_add, inline="always")(lambda a, b, c: lambda a, b, c: fma(a, b, c))
        _registered.append(True)
    return numba

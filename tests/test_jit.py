"""Compiled loops (scheduler/jit.py): a fused region of float32 ops with element formulas
(raygraph/ops/scalar_math.py) runs as one numba loop, with the numpy kernels' values.

The first tests compile formulas directly; the next plan hand-written node tables whose nodes carry the op
table's kernels and formulas (no Ray); the last runs sessions."""
import os
import platform
import re
import subprocess
import sys

import numpy as np
import pytest

import raygraph  # noqa: F401 - fills the op table
from raygraph.ops import registry, scalar_math
from scheduler import jit
from scheduler.executor import Step, run_inline, run_step
from scheduler.fusion import FUSED_OP
from scheduler.optimize import Optimizations
from scheduler.plan import NodeSpec, build_plan

CPU0 = ("/job:localhost/replica:0/task:0/device:CPU:0", ("localhost", 0, 0, "CPU", 0))
F32 = {"T": raygraph.float32}
# the formulas built on exp, log and tanh approximate (Eigen's polynomials); the others give numpy's bits
APPROXIMATE = {"Exp", "Expm1", "Log", "Log1p", "Tanh", "Sigmoid", "Softplus", "Elu", "Selu"}
SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45, 1e-38, 3e-39, 88.7, 88.73, -87.5,
                    -103.0, -105.0, 1e-8, -1e-8, 0.5, 2.0, 10.0, -10.0, 100.0, -100.0, 1e30, -1e30, 3.4e38, -3.4e38,
                    4e-4, -3.9e-4, 7.9, -8.5, 20.0], np.float32)


def _inputs(n=1 << 16):
    rng = np.random.default_rng(0)
    x = np.concatenate([np.repeat(SPECIAL, SPECIAL.size), rng.standard_normal(n).astype(np.float32) * 5,
                        rng.uniform(-100, 100, n).astype(np.float32)])
    y = np.concatenate([np.tile(SPECIAL, SPECIAL.size), rng.standard_normal(2 * n).astype(np.float32) * 5])
    return x, y


def _formulas():
    return sorted((t, e) for t, e in registry.REGISTRY.items() if e.scalar is not None)


def test_every_element_formula_gives_its_kernels_values(monkeypatch):
    monkeypatch.setenv("RAYGRAPH_JIT", "always")
    entries = _formulas()
    assert len(entries) >= 30 and {"AddV2", "Mul", "Tanh", "Exp", "ReluGrad", "Softplus"} <= {t for t, _ in entries}
    x, y = _inputs()
    formulas = tuple((e.scalar, (0, 1)[:len(e.args)]) for _, e in entries)
    got = jit.loop_for(formulas, tuple(range(len(formulas))), [x, y], {})   # one loop, every formula an output
    assert got is not None and len(got) == len(entries)
    with np.errstate(all="ignore"):
        for (op_type, entry), value in zip(entries, got):
            want = np.asarray(entry.kernel(F32, *(x, y)[:len(entry.args)]))
            assert value.dtype == np.float32 and value.shape == want.shape, op_type
            if op_type in APPROXIMATE:   # a few units in the last place (of 1, where exp(x) - 1 cancels)
                np.testing.assert_allclose(value, want, rtol=5e-7, atol=2.5e-7, err_msg=op_type)
            else:   # the same bits: signed zeros, infinities and NaNs where the kernel has them
                np.testing.assert_array_equal(value.view(np.int32)[~np.isnan(want)],
                                              want.view(np.int32)[~np.isnan(want)], err_msg=op_type)
                np.testing.assert_array_equal(np.isnan(value), np.isnan(want), err_msg=op_type)


def test_formulas_run_as_plain_python_too():
    """The bit casts and the fused multiply-add have Python versions: a formula is readable and checkable
    without numba (a few values, against numpy)."""
    for v in (0.5, -3.0, 20.0):
        x = np.float32(v)
        assert scalar_math.exp(x) == pytest.approx(np.exp(v), rel=3e-7)
        assert scalar_math.tanh(x) == pytest.approx(np.tanh(v), rel=5e-7)
        assert scalar_math.log(np.float32(abs(v))) == pytest.approx(np.log(abs(v)), rel=3e-7, abs=1e-7)
    assert jit.float32_from_bits(jit.float32_bits(np.float32(1.5))) == 1.5
    assert jit.multiply_add(np.float32(2), np.float32(3), np.float32(1)) == 7


def test_compiled_loops_are_kept_on_disk_for_the_next_process(monkeypatch, tmp_path):
    monkeypatch.setenv("RAYGRAPH_JIT", "always")
    monkeypatch.setenv("RAYGRAPH_CACHE_DIR", str(tmp_path))
    formulas = ((registry.get("Softsign").scalar, (0,)), (registry.get("Mul").scalar, (~0, 1)))
    x = np.linspace(-3, 3, 1000).astype(np.float32)
    first = jit.loop_for(formulas, (1,), [x, np.float32(2)], {})[0]
    (source,) = tmp_path.glob("loop_*.py")   # the loop's source, named by what it is compiled from
    assert 'formula("raygraph.ops.scalar_math", "softsign")' in source.read_text()
    monkeypatch.setattr(jit, "_loops", {})   # as in a new process: numba loads the machine code it kept
    again = jit.loop_for(formulas, (1,), [x, np.float32(2)], {})[0]
    (function,) = jit._loops.values()
    assert sum(function.stats.cache_hits.values()) == 1 and not function.stats.cache_misses
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, x / (1 + np.abs(x)) * 2)


_VECTORS = """
import os
import numpy as np
from llvmlite import binding
from raygraph.ops import compiled
compiled.loops()   # (raygraph's loops load numba: its cached ones show no machine code, so a new loop is compiled)
import numba
@numba.njit
def scale(x, y):
    for i in range(x.size):
        y[i] = x[i] * np.float32(1.5) + np.float32(2)
x = np.ones(4096, np.float32)
scale(x, np.empty_like(x))
asm = scale.inspect_asm(scale.signatures[0])
print(bool(binding.get_host_cpu_features().get("avx512f")), "zmm" in asm, os.environ.get("NUMBA_CPU_FEATURES", "-"))
"""


def _vectors(env):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict({k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CPU")}, **env,
               PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-c", _VECTORS], env=env, capture_output=True, text=True, timeout=300,
                       check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    avx512, wide, features = r.stdout.split()
    return avx512 == "True", wide == "True", features


def test_compiled_loops_use_512_bit_vectors_where_the_cpu_has_them():
    """Where the CPU has AVX-512, numba's loops get 512-bit vectors (LLVM's tuning for Intel's cores would keep
    them to 256 bits: jit.wide_vectors); elsewhere raygraph leaves numba's target as it is."""
    avx512, wide, features = _vectors({})
    assert wide == avx512
    assert features.endswith(",-prefer-256-bit") if avx512 else features == "-"


def test_a_programs_own_numba_target_is_kept():
    from llvmlite import binding
    own = binding.get_host_cpu_features().flatten()
    _, _, features = _vectors({"NUMBA_CPU_FEATURES": own})
    assert features == own


# ----- fused regions in plans ---------------------------------------------------------------------------
def op_node(name, op_type, *inputs):
    entry = registry.get(op_type)
    return NodeSpec(name=name, op_type=op_type, kernel=entry.kernel, attrs=F32, inputs=tuple((i, 0) for i in inputs),
                    elementwise=True, pure=True, scalar=entry.scalar)


def feed(name):
    return NodeSpec(name=name, op_type="Placeholder", kernel=None, role="must_feed")


def _plan(specs, fetches, feeds, fuse=True):
    table = {s.name: s for s in specs}
    return build_plan(table, [(f, 0) for f in fetches], [], [(f, 0) for f in feeds], [CPU0],
                      optimizations=Optimizations(fuse=fuse))


def _run(plan, feeds):
    values, _ = run_step(plan.partitions[CPU0[0]], feeds, lambda node: None, run_inline)
    return values


def _programs(plan):
    return [n.attrs["program"] for n in plan.partitions[CPU0[0]].nodes if n.op_type == FUSED_OP]


CHAIN = [feed("x"), feed("y"), feed("k"), op_node("a", "Mul", "x", "k"), op_node("b", "Tanh", "a"),
         op_node("c", "AddV2", "b", "y"), op_node("d", "Sigmoid", "c"), op_node("e", "Maximum", "d", "a"),
         op_node("f", "SquaredDifference", "e", "y"), op_node("g", "Softplus", "f")]


def test_a_region_runs_as_one_loop_with_the_unfused_values_split_or_not(monkeypatch, split_kernels):
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    rng = np.random.default_rng(1)
    feeds = {("x", 0): rng.standard_normal((300, 256)).astype(np.float32),
             ("y", 0): rng.standard_normal((300, 256)).astype(np.float32), ("k", 0): np.float32(1.5)}
    feeds[("y", 0)].flags.writeable = False   # (as a session's feeds arrive)
    fused, plain = _plan(CHAIN, ["g", "c"], ["x", "y", "k"]), _plan(CHAIN, ["g", "c"], ["x", "y", "k"], fuse=False)
    want = _run(plain, feeds)
    got = _run(fused, feeds)
    (program,) = _programs(fused)
    assert [type(loop).__name__ for loop in program.loops.values()] == ["_Loop"]   # it ran compiled
    for g, w in zip(got, want):
        assert g.dtype == np.float32 and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=2.5e-7)   # (ulps of unit-sized intermediates)
    with split_kernels():
        split = _run(fused, feeds)
    for g, s in zip(got, split):
        np.testing.assert_array_equal(g, s)


def test_small_regions_and_inputs_a_loop_cannot_take_run_the_numpy_way(monkeypatch):
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    rng = np.random.default_rng(2)
    plan = _plan(CHAIN, ["g"], ["x", "y", "k"])
    bias = rng.standard_normal(256).astype(np.float32)
    x = rng.standard_normal((300, 256)).astype(np.float32)
    cases = [{("x", 0): x[:10], ("y", 0): x[:10], ("k", 0): np.float32(2)},       # small
             {("x", 0): x, ("y", 0): x[:, :1], ("k", 0): np.float32(2)},          # broadcast along columns
             {("x", 0): x.reshape(30, 10, 256), ("y", 0): bias, ("k", 0): x[:10]},  # two row sizes
             {("x", 0): x.astype(np.float64), ("y", 0): x, ("k", 0): np.float32(2)}]  # not float32
    plain = _plan(CHAIN, ["g"], ["x", "y", "k"], fuse=False)
    for feeds in cases:
        np.testing.assert_array_equal(_run(plan, feeds)[0], _run(plain, feeds)[0])
    assert not any(isinstance(loop, jit._Loop) for p in _programs(plan) for loop in p.loops.values())


def test_a_bias_along_the_last_axes_is_read_row_by_row(monkeypatch):
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    specs = [feed("x"), feed("b"), op_node("add", "AddV2", "x", "b"), op_node("relu", "Relu", "add"),
             op_node("scaled", "Mul", "b", "b"), op_node("out", "Mul", "relu", "scaled")]
    rng = np.random.default_rng(4)
    for x, b in [(rng.standard_normal((64, 32, 48)), rng.standard_normal(48)),
                 (rng.standard_normal((64, 32, 48)), rng.standard_normal((1, 32, 48)))]:
        feeds = {("x", 0): x.astype(np.float32), ("b", 0): b.astype(np.float32)}
        plan = _plan(specs, ["out", "add"], ["x", "b"])
        got = _run(plan, feeds)
        want = _run(_plan(specs, ["out", "add"], ["x", "b"], fuse=False), feeds)
        assert [type(loop).__name__ for p in _programs(plan) for loop in p.loops.values()] == ["_Loop"]
        for g, w in zip(got, want):   # arithmetic and relu: numpy's bits
            np.testing.assert_array_equal(g, w)
    # a value of the bias's shape leaving the region is left to numpy (the loop writes the region's shape)
    plan = _plan(specs, ["out", "scaled"], ["x", "b"])
    np.testing.assert_array_equal(_run(plan, feeds)[1], feeds[("b", 0)] * feeds[("b", 0)])
    assert not any(isinstance(loop, jit._Loop) for p in _programs(plan) for loop in p.loops.values())


def test_members_that_read_no_input_of_the_regions_shape_run_before_its_loop(monkeypatch, split_kernels):
    """nce_loss's pattern: logits [n, 64] + bias [64] - log(expected counts [64]). The log (of the row's inputs
    alone) and exp(k) (of a single element alone) are computed before the loop over the region, once per row
    element and once, with the bits of computing them at every element of the region (as before), split in shares
    over two threads or not."""
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    specs = [feed("x"), feed("b"), feed("n"), feed("k"), op_node("log", "Log", "n"), op_node("e", "Exp", "k"),
             op_node("scaled", "Mul", "log", "e"), op_node("add", "AddV2", "x", "b"),
             op_node("sub", "Sub", "add", "scaled"), op_node("out", "Tanh", "sub")]
    rng = np.random.default_rng(6)
    feeds = {("x", 0): rng.standard_normal((16384, 64)).astype(np.float32),   # (6 members: shared from 4M)
             ("b", 0): rng.standard_normal(64).astype(np.float32),
             ("n", 0): rng.uniform(0.01, 3, 64).astype(np.float32), ("k", 0): np.float32(0.7)}
    plan = _plan(specs, ["out"], ["x", "b", "n", "k"])
    got = _run(plan, feeds)[0]
    (program,) = _programs(plan)
    assert [type(loop).__name__ for loop in program.loops.values()] == ["_Loop"]
    kinds = next(iter(program.loops))[0]
    source, names = jit._source(program.formulas, program.outputs, kinds)
    element_loop = source.split("for i in range")[-1]
    hoisted = {names[scalar_math.log], names[scalar_math.exp]}
    assert not any(f"{name}(" in element_loop for name in hoisted) and all(f"{name}(" in source for name in hoisted)
    with split_kernels():
        np.testing.assert_array_equal(_run(_plan(specs, ["out"], ["x", "b", "n", "k"]), feeds)[0], got)
    monkeypatch.setattr(jit, "_levels", lambda formulas, kinds: [jit.FULL] * len(formulas))   # every member per element
    np.testing.assert_array_equal(_run(_plan(specs, ["out"], ["x", "b", "n", "k"]), feeds)[0], got)
    want = _run(_plan(specs, ["out"], ["x", "b", "n", "k"], fuse=False), feeds)[0]
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=2.5e-7)   # (Eigen's log, exp and tanh against numpy's)


def test_a_layers_bias_add_and_relu_run_as_one_loop_where_the_bias_meets_the_last_axis(monkeypatch):
    """BiasAdd's formula is Add's for NHWC (tf.layers' bias and activation fuse into one loop, numpy's bits); an
    NCHW node has none (its bias meets the second axis: the loop would add it along the last, here as long)."""
    import raygraph as tf  # noqa: PLC0415
    from raygraph.table import spec_of  # noqa: PLC0415
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    g = tf.Graph()
    with g.as_default():
        v, b = tf.placeholder(tf.float32, [None, 8, 8, 8]), tf.placeholder(tf.float32, [8])
        nhwc, nchw = tf.nn.bias_add(v, b), tf.nn.bias_add(v, b, data_format="NCHW")
        wide = tf.nn.bias_add(tf.cast(v, tf.float64), tf.cast(b, tf.float64))
    assert spec_of(nhwc.op).scalar is scalar_math.add
    assert spec_of(nchw.op).scalar is None and spec_of(wide.op).scalar is None
    specs = [feed("x"), feed("b"), op_node("add", "BiasAdd", "x", "b"), op_node("relu", "Relu", "add")]
    assert specs[2].scalar is scalar_math.add
    rng = np.random.default_rng(5)
    feeds = {("x", 0): rng.standard_normal((64, 30, 30, 32)).astype(np.float32),
             ("b", 0): rng.standard_normal(32).astype(np.float32)}
    plan = _plan(specs, ["relu"], ["x", "b"])
    got = _run(plan, feeds)[0]
    assert [type(loop).__name__ for p in _programs(plan) for loop in p.loops.values()] == ["_Loop"]
    np.testing.assert_array_equal(got, np.maximum(feeds[("x", 0)] + feeds[("b", 0)], 0))


def test_costly_ops_run_as_loops_from_fewer_elements_and_alone(monkeypatch):
    """A region with exp, tanh or sigmoid in it compiles from MIN_COSTLY elements, and such an op between two
    others that are not elementwise (a tanh between matmuls) runs as its own loop, under its own name."""
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    specs = [feed("x"), op_node("t", "Tanh", "x"), op_node("r", "Relu", "x"),
             op_node("a", "AddV2", "x", "x"), op_node("ar", "Relu", "a"), op_node("m", "Mul", "x", "x"),
             op_node("s", "Sigmoid", "m")]
    plan = _plan(specs, ["t", "r", "ar", "s"], ["x"])
    plain = _plan(specs, ["t", "r", "ar", "s"], ["x"], fuse=False)
    nodes = {n.name: n for n in plan.partitions[CPU0[0]].nodes}
    assert nodes["t"].op_type == "Tanh" and nodes["r"].kernel is registry.get("Relu").kernel   # cheap: as it was
    x = np.random.default_rng(5).standard_normal((64, 128)).astype(np.float32)   # 8K elements
    for rows in (64, 8):   # at MIN_COSTLY elements, and below
        feeds = {("x", 0): x[:rows]}
        got, want = _run(plan, feeds), _run(plain, feeds)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=4e-7, atol=1e-7)
        if rows == 8:
            np.testing.assert_array_equal(got[0], np.tanh(x[:8]))   # numpy's kernel
    assert x.size == jit.MIN_COSTLY < jit.MIN_ELEMENTS
    assert [type(loop).__name__ for loop in nodes["t"].kernel.loops.values()] == ["_Loop"]
    compiled = {p.members[-1][0]: [type(loop).__name__ for loop in p.loops.values()] for p in _programs(plan)}
    assert compiled == {"ar": [], "s": ["_Loop"]}   # add + relu: cheap, left to numpy; add + sigmoid: compiled


def test_cheap_regions_compile_from_min_elements_member_elements(monkeypatch):
    """A bias add + relu (2 members): numpy's way over 16K elements, a loop over 32K, numpy's bits either way."""
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    specs = [feed("x"), feed("b"), op_node("a", "AddV2", "x", "b"), op_node("r", "Relu", "a")]
    plan, plain = _plan(specs, ["r"], ["x", "b"]), _plan(specs, ["r"], ["x", "b"], fuse=False)
    rng = np.random.default_rng(6)
    x, b = rng.standard_normal((128, 256)).astype(np.float32), rng.standard_normal(256).astype(np.float32)
    loops = []
    for rows in (64, 128):
        assert rows * 256 * 2 >= jit.MIN_ELEMENTS if rows == 128 else rows * 256 * 2 < jit.MIN_ELEMENTS
        feeds = {("x", 0): x[:rows], ("b", 0): b}
        np.testing.assert_array_equal(_run(plan, feeds)[0], _run(plain, feeds)[0])
        loops.append(sorted(type(loop).__name__ for p in _programs(plan) for loop in p.loops.values()))
    assert loops == [[], ["_Loop"]]


def test_an_output_of_single_elements_and_mismatched_activation_gradients_are_left_to_the_kernels(monkeypatch):
    monkeypatch.setenv("RAYGRAPH_JIT", "always")
    specs = [feed("y"), feed("k"), op_node("k2", "Mul", "k", "k"), op_node("r", "ReluGrad", "k2", "y"),
             op_node("out", "AddV2", "r", "k2")]
    plan = _plan(specs, ["out", "k2"], ["y", "k"])
    y = np.linspace(-1, 1, 1000).astype(np.float32)
    step = Step(plan.partitions[CPU0[0]], lambda node: None, {("y", 0): y, ("k", 0): np.float32(3)})
    run_inline(step, plan.partitions[CPU0[0]].roots)
    assert step.error is not None and step.error.node_name == "r"   # ReluGrad's own shape error, as unfused
    assert "must have the same size and shape" in str(step.error.error)


def test_a_formula_numba_cannot_compile_leaves_the_region_to_numpy(monkeypatch):
    def bad(x):
        return {"not": x}["not"] + object()   # nothing numba can type

    specs = [feed("x"), op_node("a", "Exp", "x"),
             NodeSpec(name="b", op_type="Odd", kernel=lambda attrs, v: v * 2, attrs=F32, inputs=(("a", 0),),
                      elementwise=True, pure=True, scalar=bad)]
    x = np.linspace(-1, 1, 1 << 16).astype(np.float32)
    monkeypatch.setenv("RAYGRAPH_JIT", "1")
    np.testing.assert_array_equal(_run(_plan(specs, ["b"], ["x"]), {("x", 0): x})[0], np.exp(x) * 2)
    monkeypatch.setenv("RAYGRAPH_JIT", "always")   # (tests see the compiler's error)
    with pytest.raises(Exception, match="(?i)typing|attribute|object"):
        jit.loop_for(((registry.get("Exp").scalar, (0,)), (bad, (~0,))), (1,), [x], {})
    monkeypatch.setenv("RAYGRAPH_JIT", "0")
    assert jit.loop_for(((registry.get("Exp").scalar, (0,)),), (0,), [x], {}) is None


# ----- sessions -----------------------------------------------------------------------------------------
def _model(tf):
    rng = np.random.default_rng(3)
    x = tf.placeholder(tf.float32, [None, 64])
    w = tf.Variable(rng.standard_normal((64, 256)).astype(np.float32) * 0.2)
    h = tf.nn.relu(tf.matmul(x, w))
    z = tf.sigmoid(h * 2.0 - 1.0) * tf.tanh(h) + tf.nn.softplus(h - 0.5) - tf.nn.elu(-h)
    loss = tf.reduce_mean(z)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return x, z, loss, train, rng.standard_normal((512, 64)).astype(np.float32)   # 131,072-element activations


def test_a_training_step_with_compiled_regions_agrees_with_the_unfused_one(rtf):
    out = {}
    for fuse in (True, False):
        g = rtf.Graph()
        with g.as_default():
            x, z, loss, train, xs = _model(rtf)
            init = rtf.global_variables_initializer()
        config = rtf.ConfigProto()
        config.graph_options.optimizer_options.global_jit_level = 1 if fuse else -1
        with rtf.Session(graph=g, config=config) as s:
            s.run(init)
            losses = [s.run([loss, train], {x: xs})[0] for _ in range(3)]
            out[fuse] = (losses, s.run(z, {x: xs}))
    np.testing.assert_allclose(out[True][0], out[False][0], rtol=2e-6)
    np.testing.assert_allclose(out[True][1], out[False][1], rtol=2e-6, atol=1e-6)


def test_bias_add_and_relu_fused_in_a_session_add_the_bias_along_its_data_formats_axis(rtf, monkeypatch):
    """NCHW over [4, 32, 32, 32]: channels as many as columns, which a loop adding along the last axis would take
    for the bias's; NHWC's loop gives numpy's bits."""
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    rng = np.random.default_rng(9)
    xs, bs = rng.standard_normal((4, 32, 32, 32)).astype(np.float32), rng.standard_normal(32).astype(np.float32)
    g = rtf.Graph()
    with g.as_default():
        x, b = rtf.placeholder(rtf.float32, xs.shape), rtf.placeholder(rtf.float32, bs.shape)
        nchw = rtf.nn.relu(rtf.nn.bias_add(x * 2.0, b, data_format="NCHW"))
        nhwc = rtf.nn.relu(rtf.nn.bias_add(x * 2.0, b))
    config = rtf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = 1
    with rtf.Session(graph=g, config=config) as s:
        got_nchw, got_nhwc = s.run([nchw, nhwc], {x: xs, b: bs})
    np.testing.assert_array_equal(got_nchw, np.maximum(xs * 2 + bs[:, None, None], 0))
    np.testing.assert_array_equal(got_nhwc, np.maximum(xs * 2 + bs, 0))


def test_a_costly_op_alone_in_a_loop_body_runs_compiled(rtf):
    """A tanh between matmuls in a while loop's body (downstream of its switches) runs as its own loop: its
    values are Eigen's tanh, within an ulp or two of numpy's and not all of numpy's bits; unfused, numpy's."""
    rng = np.random.default_rng(6)
    xs = rng.standard_normal((128, 64)).astype(np.float32)   # 8K elements
    ws = (rng.standard_normal((64, 64)) / 8).astype(np.float32)
    for fuse in (True, False):
        g = rtf.Graph()
        with g.as_default():
            x, w = rtf.constant(xs), rtf.constant(ws)
            _, h = rtf.while_loop(lambda i, h: i < 1, lambda i, h: (i + 1, rtf.tanh(rtf.matmul(h, w))),
                                  (rtf.constant(0), x))
            pre = rtf.matmul(x, w)   # the body's product, outside: the same bits
        config = rtf.ConfigProto()
        config.graph_options.optimizer_options.global_jit_level = 1 if fuse else -1
        with rtf.Session(graph=g, config=config) as s:
            got, pre_value = s.run([h, pre])
        np.testing.assert_allclose(got, np.tanh(pre_value), rtol=5e-7, atol=0)   # (a few ulps)
        assert np.array_equal(got, np.tanh(pre_value)) is not fuse   # fused: Eigen's tanh ran


def test_a_loop_writes_into_an_input_it_is_given_when_it_may(monkeypatch):
    """`into`: the first output written into that input's own buffer (a writable contiguous array of the
    region's shape), with the bits of a loop into a new array; any other input gets a new array."""
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    rng = np.random.default_rng(8)
    x = rng.standard_normal((300, 256)).astype(np.float32)
    b = rng.standard_normal(256).astype(np.float32)
    formulas = ((scalar_math.add, (0, 1)), (scalar_math.relu, (~0,)))
    loops = {}
    (want,) = jit.loop_for(formulas, (1,), [x, b], loops)
    for into, buf in [(0, x.copy()), (None, x.copy())]:
        (got,) = jit.loop_for(formulas, (1,), [buf, b], loops, into)
        assert (got is buf) is (into == 0) and got.shape == x.shape
        np.testing.assert_array_equal(got, want)
    read_only, strided = x.copy(), np.repeat(x, 2, axis=1)[:, ::2]
    read_only.flags.writeable = False
    for buf in (read_only, strided):
        (got,) = jit.loop_for(formulas, (1,), [buf, b], loops, 0)
        assert got is not buf and not np.shares_memory(got, buf)
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(read_only, x)
    (got,) = jit.loop_for(formulas, (1,), [b, x], {}, 0)   # (a bias is no buffer for the region's shape)
    np.testing.assert_array_equal(got, want)


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"), reason="x86's masked stores")
@pytest.mark.parametrize("formula", [scalar_math.elu, scalar_math.relu])
def test_a_loop_into_its_input_stores_whole_vectors(monkeypatch, tmp_path, formula):
    """elu and relu give back their input above 0: written into that input, LLVM would store only the
    other lanes (vmaskmovps, or AVX-512's store under a mask), microcoded on AMD's cores (a tanh's loop took twice
    as long): the input's bits pass through an xor with a zero LLVM cannot see, and every vector is stored."""
    monkeypatch.setenv("RAYGRAPH_JIT", "always")
    monkeypatch.setenv("RAYGRAPH_CACHE_DIR", str(tmp_path))   # (compiled here: numba shows no cached code)
    monkeypatch.setattr(jit, "_loops", {})
    x = np.concatenate([SPECIAL, np.random.default_rng(3).standard_normal(4096).astype(np.float32) * 1e-3])
    loops = {}
    (want,) = jit.loop_for(((formula, (0,)),), (0,), [x], loops)
    buf = x.copy()
    (got,) = jit.loop_for(((formula, (0,)),), (0,), [buf], loops, 0)
    assert got is buf
    np.testing.assert_array_equal(got.view(np.int32), want.view(np.int32))
    asm = "".join(loops[(jit.FULL,), 0].function.inspect_asm().values())
    assert re.search(r"vmovu?p[sd]\s+%[xyz]mm", asm)   # (vector stores: the checks below can fail)
    assert "vmaskmov" not in asm and not re.search(r"vmov\w*\s+%[xyz]mm\d+, [^\n]*\{%k", asm)


def test_a_convolution_and_a_product_hand_their_outputs_to_the_regions_that_alone_read_them(rtf, monkeypatch):
    """LeNet-like: the convolution's output is read only by a bias + ReLU region, the product's by one that goes on
    to the loss's square: the product writes its output there, the convolution runs with its region as one node
    (its taps add the bias and take ReLU), and MaxPoolGrad's ReluGrad with it as another (remapped: fusion.remap).
    The training step agrees with one that does not (fusion off) and with one that also fetches the convolution's
    output (then kept, and the region writes into it)."""
    monkeypatch.delenv("RAYGRAPH_JIT", raising=False)
    rng = np.random.default_rng(3)
    xs = rng.standard_normal((16, 28, 28, 1)).astype(np.float32)
    from scheduler.straight_line import _donors
    out = {}
    for fuse, fetch_conv in [(True, False), (False, False), (True, True)]:
        g = rtf.Graph()
        with g.as_default():
            rtf.set_random_seed(0)
            x = rtf.placeholder(rtf.float32, [None, 28, 28, 1])
            w1 = rtf.Variable(rtf.truncated_normal([5, 5, 1, 16], stddev=0.1))
            b1 = rtf.Variable(rtf.fill([16], 0.1))
            conv = rtf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME")
            h = rtf.nn.max_pool(rtf.nn.relu(conv + b1), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
            w2 = rtf.Variable(rtf.truncated_normal([14 * 14 * 16, 32], stddev=0.05))
            b2 = rtf.Variable(rtf.fill([32], 0.1))
            d = rtf.nn.relu(rtf.matmul(rtf.reshape(h, [-1, 14 * 14 * 16]), w2) + b2)
            loss = rtf.reduce_mean(rtf.square(d))
            train = rtf.train.GradientDescentOptimizer(0.1).minimize(loss)
            init = rtf.global_variables_initializer()
        config = rtf.ConfigProto()
        config.graph_options.optimizer_options.global_jit_level = 1 if fuse else -1
        with rtf.Session(graph=g, config=config) as s:
            s.run(init)
            fetches = [loss, train] + ([conv] if fetch_conv else [])
            losses = [s.run(fetches, {x: xs})[0] for _ in range(3)]
            out[fuse, fetch_conv] = losses, s.run([w1, w2, b1])
            (part,) = [p for key, plan in s._plans.items() if train in key[1] for p in plan.partitions.values()]
            reusing = sorted(part.nodes[i].name for i in _donors(part))
            merged = [n.op_type for n in part.nodes if n.name == "gradients/Relu_grad/ReluGrad"]
            layer = [n.op_type for n in part.nodes if n.name == "fused/Relu"]
        assert merged == (["_FusedMaxPoolGrad"] if fuse else ["ReluGrad"])
        if fuse and not fetch_conv:
            assert reusing == ["fused/Square"] and layer == ["_FusedConv2D"], (reusing, layer)
        if fetch_conv:
            assert "fused/Relu" not in reusing and layer == ["_FusedElementwise"]
    for key in [(False, False), (True, True)]:
        np.testing.assert_allclose(out[key][0], out[True, False][0], rtol=1e-5)
        for got, want in zip(out[key][1], out[True, False][1]):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)

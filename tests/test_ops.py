"""The table-driven op test: every op type in raygraph's op table has a row (tests/op_rows.py).

For each row and input case:
- forward: built over Consts, the value equals the numpy reference and its dtype and shape equal the tensor's
  static dtype and (fully known) shape; built over placeholders of partially known shape, the value is the same
  and the static shape is compatible with it;
- gradient (rows marked grad, float64 cases): tf.gradients of sum(w * outputs) equals central differences of
  the numpy reference; where the op's entry is NOT_DIFFERENTIABLE, tf.gradients gives None and the differences
  are zero.
Every row is built into one graph and fetched in one run of one session; custom rows run after it.
"""
import numpy as np
import pytest

from op_rows import CUSTOM, GRAD_EXEMPT, ROWS
from raygraph.ops.registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, REGISTRY

TOLERANCE = {np.dtype(np.float16): 2e-3, np.dtype(np.float32): 2e-5, np.dtype(np.float64): 1e-10}


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _types_built(tf, before):
    return {op.type for op in tf.get_default_graph().get_operations()[before:]}


class Checks:
    """The fetches of every row and case, and what each fetched value must satisfy."""

    def __init__(self):
        self.fetches, self.feeds, self.checks, self.failures = [], {}, [], []

    def expect(self, label, tensors, wants, exact, tol=None):
        for i, (t, want) in enumerate(zip(tensors, wants)):
            self.checks.append((f"{label} output {i}", len(self.fetches), t, np.asarray(want), exact, tol))
            self.fetches.append(t)

    def verify(self, values):
        for label, index, t, want, exact, tol in self.checks:
            got = np.asarray(values[index])
            problem = _problem(t, got, want, exact, tol)
            if problem:
                self.failures.append(f"{label}: {problem}")


def _problem(t, got, want, exact, tol=None):
    static = t.shape
    if got.dtype.kind in "SUO" or want.dtype.kind in "SUO":
        same = got.shape == want.shape and [bytes(v) for v in got.ravel()] == [bytes(v) for v in want.ravel()]
        return None if same else f"value {got!r} != {want!r}"
    if got.dtype != t.dtype.base_dtype.as_numpy_dtype:
        return f"dtype {got.dtype} but static dtype {t.dtype.name}"
    if got.dtype != want.dtype:
        return f"dtype {got.dtype} but numpy gives {want.dtype}"
    if exact and (not static.is_fully_defined() or tuple(static.as_list()) != got.shape):
        return f"static shape {static} but value shape {got.shape}"
    if not static.is_compatible_with(got.shape):
        return f"static shape {static} incompatible with value shape {got.shape}"
    if got.shape != want.shape:
        return f"shape {got.shape} but numpy gives {want.shape}"
    tol = tol or TOLERANCE.get(got.dtype)
    ok = np.array_equal(got, want, equal_nan=True) if tol is None else np.allclose(
        got, want, rtol=tol, atol=tol, equal_nan=True)
    return None if ok else f"value\n{got}\n!= numpy\n{want}"


def _partial(tf, a):
    """A placeholder for `a` with its first dimension unknown (scalars stay scalars)."""
    shape = list(a.shape)
    if shape:
        shape[0] = None
    return tf.placeholder(tf.as_dtype(a.dtype) if a.dtype.kind != "O" else tf.string, shape)


def _add_forward(tf, row, case, label, checks):
    want = _as_list(row.ref(*case))
    before = len(tf.get_default_graph().get_operations())
    out = _as_list(row.build(tf, *[tf.constant(a) for a in case]))
    if row.op not in _types_built(tf, before):
        checks.failures.append(f"{label}: the builder made no {row.op} op")
    checks.expect(label + " (consts)", out, want, row.exact)
    if row.dynamic:
        feeds = [_partial(tf, a) for a in case]
        checks.feeds.update(zip(feeds, case))
        checks.expect(label + " (placeholders)", _as_list(row.build(tf, *feeds)), want, False)


def _add_gradient(tf, row, case, label, checks, rng):
    """Fetches tf.gradients of sum(w * y) and checks it against central differences of the reference."""
    xs = [tf.constant(a) for a in case]
    outs = _as_list(row.build(tf, *xs))
    wants = _as_list(row.ref(*case))
    weights = [rng.uniform(0.5, 1.5, np.shape(w)) for w in wants]
    floating = [i for i, y in enumerate(outs) if y.dtype.base_dtype == tf.float64
                and (row.grad_outputs is None or i in row.grad_outputs)]
    loss = tf.add_n([tf.reduce_sum(outs[i] * weights[i]) for i in floating])
    grads = tf.gradients(loss, xs)
    for k, (a, g) in enumerate(zip(case, grads)):
        if a.dtype != np.float64 or (row.grad_inputs is not None and k not in row.grad_inputs):
            continue
        want = _numeric_grad(row.ref, case, k, weights, floating, row.grad_step)
        if g is None and REGISTRY[row.op].grad is NOT_DIFFERENTIABLE:
            if not np.allclose(want, 0, atol=row.grad_tol):
                checks.failures.append(f"{label}: None gradient for input {k}, but the differences are\n{want}")
            continue
        if g is None:
            checks.failures.append(f"{label}: no gradient for input {k}")
            continue
        checks.expect(f"{label} d/dinput{k}", [tf.convert_to_tensor(g)], [want], False, tol=row.grad_tol)  # densified


def _numeric_grad(ref, case, k, weights, floating, h):
    def f(args):
        outs = _as_list(ref(*args))
        return sum(float(np.sum(outs[i] * weights[i])) for i in floating)
    x = case[k]
    out = np.zeros(x.shape)
    for j in np.ndindex(x.shape):
        up, down = [np.array(a) for a in case], [np.array(a) for a in case]
        up[k][j] += h
        down[k][j] -= h
        out[j] = (f(up) - f(down)) / (2 * h)
    return out


def _run_all(s, checks):
    """All fetches in one run; if that fails, one by one, recording which failed and why."""
    from raygraph.errors import OpError
    try:
        return s.run(checks.fetches, checks.feeds)
    except OpError as e:
        checks.failures.append(f"the run of every row failed: {type(e).__name__}: {e.message.splitlines()[0]}")
        values = []
        for label, index, t, *_ in checks.checks:
            try:
                values.append(s.run(t, {p: v for p, v in checks.feeds.items() if p in _inputs_of(t)}))
            except OpError as e:
                checks.failures.append(f"{label}: {type(e).__name__}: {e.message.splitlines()[0]}")
                values.append(np.zeros(0))
        checks.checks = [c for c, v in zip(checks.checks, values) if v.size or v.shape != (0,)]
        return values


def _inputs_of(t):
    seen, stack = set(), [t.op]
    while stack:
        op = stack.pop()
        if op not in seen:
            seen.add(op)
            stack.extend(x.op for x in op.inputs)
    return {out for op in seen for out in op.outputs}


def test_every_op_in_the_table_has_a_row(tf):
    covered = {row.op for row in ROWS}
    for setup in CUSTOM:
        covered.update(setup(tf))
    missing = sorted(set(REGISTRY) - covered)
    assert not missing, f"op types without a row in tests/op_rows.py: {missing}"


def test_every_gradient_function_has_a_grad_row():
    differentiable = {name for name, entry in REGISTRY.items() if callable(entry.grad)}
    checked = {row.op for row in ROWS if row.grad and any(a.dtype == np.float64 for case in row.cases for a in case)}
    missing = sorted(differentiable - checked - set(GRAD_EXEMPT))
    assert not missing, f"ops with a gradient function but no grad=True row with a float64 case: {missing}"
    assert sorted(set(GRAD_EXEMPT) - differentiable) == [], "GRAD_EXEMPT names an op without a gradient function"
    assert sorted(set(GRAD_EXEMPT) & checked) == [], "GRAD_EXEMPT names an op that has a grad row"


def test_every_entry_states_its_gradient():
    undecided = sorted(name for name, entry in REGISTRY.items()
                       if not (callable(entry.grad) or entry.grad in (NOT_DIFFERENTIABLE, NO_GRADIENT_DEFINED)))
    assert not undecided
    no_rule = {row.op for row in ROWS if row.grad and REGISTRY[row.op].grad is NO_GRADIENT_DEFINED}
    assert not no_rule, f"grad rows for ops with no gradient defined (they would raise LookupError): {no_rule}"


def test_forward_and_gradients(rtf):
    tf, rng, checks = rtf, np.random.RandomState(0), Checks()
    for n, row in enumerate(ROWS):
        for c, case in enumerate(row.cases):
            label = f"{row.op} (row {n}, case {c}: {[f'{a.dtype}{list(a.shape)}' for a in case]})"
            _add_forward(tf, row, case, label, checks)
            if row.grad and any(a.dtype == np.float64 for a in case):
                _add_gradient(tf, row, case, label, checks, rng)
    with tf.Session() as s:
        checks.verify(_run_all(s, checks))
    assert not checks.failures, f"{len(checks.failures)} failures:\n" + "\n".join(checks.failures)


@pytest.mark.parametrize("setup", CUSTOM, ids=lambda f: f.__name__.strip("_"))
def test_custom_rows(rtf, setup):
    checks = set(setup(rtf).values())
    with rtf.Session() as s:
        for check in checks:
            check(s)


def _errors(tf):
    """(label, fetch, feed, error class): bad inputs that only show at run time."""
    p = tf.placeholder(tf.float32)
    i = tf.placeholder(tf.int32)
    table = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    return [
        ("gather index out of range", tf.gather(table, i), {i: [0, 2]}, "InvalidArgumentError"),
        ("integer floordiv by zero", tf.constant([4, 5]) // i, {i: [1, 0]}, "InvalidArgumentError"),
        ("integer floormod by zero", tf.constant([4, 5]) % i, {i: [1, 0]}, "InvalidArgumentError"),
        ("integer truncatediv by zero", tf.truncatediv(tf.constant([4]), i), {i: [0]}, "InternalError"),
        ("integer to a negative power", tf.pow(tf.constant([2]), i), {i: [-1]}, "InvalidArgumentError"),
        ("matmul size mismatch", tf.matmul(p, p), {p: np.ones((2, 3))}, "InvalidArgumentError"),
        ("reshape to another size", tf.reshape(p, [5]), {p: np.ones(6)}, "InvalidArgumentError"),
        ("fill with a negative size", tf.fill(i, 1.0), {i: [2, -1]}, "InvalidArgumentError"),
        ("range with delta 0", tf.range(0, 5, i), {i: 0}, "InvalidArgumentError"),
        ("slice past the end", tf.slice(table, i, [1, 2]), {i: [1, 1]}, "InvalidArgumentError"),
        ("strided slice index past the end", table[i], {i: 2}, "InvalidArgumentError"),
        ("concat of different ranks", tf.concat([p, table], 0), {p: np.ones(2)}, "InvalidArgumentError"),
        ("split not evenly", tf.split(p, 2), {p: np.ones(3)}, "InvalidArgumentError"),
        ("duplicate reduction axes", tf.reduce_sum(table, i), {i: [1, -1]}, "InvalidArgumentError"),
        ("label out of range", tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=table),
         {i: [0, 2]}, "InvalidArgumentError"),
        ("transpose with a repeated axis", tf.transpose(table, i), {i: [0, 0]}, "InvalidArgumentError"),
        ("unfed placeholder", p + 1.0, None, "InvalidArgumentError"),
        ("a dtype with no CPU kernel", tf.reciprocal(i), {i: [2]}, "InvalidArgumentError"),
        ("missing file", tf.read_file("/nonexistent/raygraph"), None, "NotFoundError"),
    ]


def test_runtime_errors_have_tf_classes(rtf):
    cases = _errors(rtf)
    wrong = []
    with rtf.Session() as s:
        for label, fetch, feed, want in cases:
            try:
                s.run(fetch, feed)
                got = "no error"
            except Exception as e:  # noqa: BLE001 - the class is what is checked
                got = type(e).__name__
            if got != want:
                wrong.append(f"{label}: {got}, want {want}")
    assert not wrong, "\n".join(wrong)

"""Fused LSTM and GRU cells (TF's rnn_ops, contrib.rnn's block cells): `LSTMBlockCell` (one step), `BlockLSTM` and
`BlockLSTMV2` (a whole time-major sequence), `GRUBlockCell`, and their `...Grad` ops.

An LSTM's gates are one [batch, 4 * cell] product `[x, h_prev] w + b`, in the order i, ci, f, o (`BlockLSTMV2`:
i, f, ci, o). Kernels are numpy over the batch; BlockLSTM loops over time up to `seq_len_max` and leaves zeros in
`cs` and `h` (and in BlockLSTMGrad's `x_grad`) after it, as TF's kernels do.

Gradients: BlockLSTM's and BlockLSTMV2's are TF 2.21's (rnn_grad.py: both through `BlockLSTMGrad`, V1's layout);
LSTMBlockCell's and GRUBlockCell's are TF 1.15 contrib's (lstm_ops.py, gru_ops.py): the Grad op, then matmuls,
slices and `BiasAddGrad` for the weights.
"""
import numpy as np

from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .joining import concat
from .linalg import matmul
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import with_rank
from .slicing import slice as slice_

_raw = TensorShape._raw


def _bad(message):
    return InvalidArgumentError(None, None, message)


def _require(ok, message):
    if not ok:
        raise _bad(message)


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-x))).astype(x.dtype)


def _mul4(n):
    return None if n is None else 4 * n


# ----- one LSTM step, forward and backward (TF's LSTMBlockCellFprop / LSTMBlockCellBprop) ----------------------
def _gate_slices(n, ifco):
    c, f = (2 * n, n) if ifco else (n, 2 * n)
    return slice(0, n), slice(c, c + n), slice(f, f + n), slice(3 * n, 4 * n)


def _lstm_step(a, x, cs_prev, h_prev, w, wci, wcf, wco, b, ifco=False):
    """(i, cs, f, o, ci, co, h) of one step (`a` holds forget_bias, cell_clip and use_peephole)."""
    dt = x.dtype
    si, sc, sf, so = _gate_slices(cs_prev.shape[1], ifco)
    gates = (np.concatenate([x, h_prev], 1) @ w + b).astype(dt)
    peep = a["use_peephole"]
    i = _sigmoid(gates[:, si] + cs_prev * wci if peep else gates[:, si])
    ci = np.tanh(gates[:, sc])
    f = gates[:, sf] + dt.type(a["forget_bias"])
    f = _sigmoid(f + cs_prev * wcf if peep else f)
    cs = i * ci + f * cs_prev
    clip = a["cell_clip"]
    if clip > 0:
        cs = np.clip(cs, -dt.type(clip), dt.type(clip))
    co = np.tanh(cs)
    o = _sigmoid(gates[:, so] + cs * wco if peep else gates[:, so])
    return i, cs, f, o, ci, co, o * co


def _lstm_step_grad(peep, ifco, cs_prev, wci, wcf, wco, i, cs, f, o, ci, co, cs_grad, h_grad):
    """(d gates, cs_prev_grad, wci_grad, wcf_grad, wco_grad) of one step; the peephole gradients are None
    without peepholes."""
    do = o * (1 - o) * h_grad * co
    dcs = (1 - co * co) * h_grad * o + cs_grad
    if peep:
        dcs = dcs + do * wco
    dci = (1 - ci * ci) * dcs * i
    df = f * (1 - f) * dcs * cs_prev
    di = i * (1 - i) * dcs * ci
    dgates = np.concatenate([di, df, dci, do] if ifco else [di, dci, df, do], 1)
    cs_prev_grad = dcs * f
    if not peep:
        return dgates, cs_prev_grad, None, None, None
    cs_prev_grad = cs_prev_grad + di * wci + df * wcf
    return dgates, cs_prev_grad, (di * cs_prev).sum(0), (df * cs_prev).sum(0), (do * cs).sum(0)


def _with_defaults(a, v2=False):
    """The attrs with their OpDef defaults; V2 has no forget_bias (its kernel takes 0) and clips at 0 (none)."""
    defaults = {"forget_bias": 0.0, "cell_clip": 0.0} if v2 else {"forget_bias": 1.0, "cell_clip": 3.0}
    return {"use_peephole": False, **defaults, **a}


# ----- LSTMBlockCell -------------------------------------------------------------------------------------------
def _check_cell(x, cs_prev, h_prev, w, b):
    batch, inputs, cell = x.shape[0], x.shape[1], cs_prev.shape[1]
    for name, n, want, what in (("cs_prev.dims(0)", cs_prev.shape[0], batch, "batch_size"),
                                ("h_prev.dims(0)", h_prev.shape[0], batch, "batch_size"),
                                ("h_prev.dims(1)", h_prev.shape[1], cell, "cell_size"),
                                ("w.dim_size(0)", w.shape[0], inputs + cell, "input_size + cell_size"),
                                ("w.dim_size(1)", w.shape[1], 4 * cell, "cell_size * 4"),
                                ("b.dim_size(0)", b.shape[0], 4 * cell, "cell_size * 4")):
        _require(n == want, f"{name} != {what}: {n} vs. {want}")


def _lstm_block_cell_kernel(a, x, cs_prev, h_prev, w, wci, wcf, wco, b):
    _check_cell(x, cs_prev, h_prev, w, b)
    _require(cs_prev.shape[0] > 0 and cs_prev.shape[1] > 0,
             f"cs_prev_tensor is empty, has shape: ({cs_prev.shape[0]},{cs_prev.shape[1]}).")
    return _lstm_step(_with_defaults(a), x, cs_prev, h_prev, w, wci, wcf, wco, b)


def _cell_shape(inputs, a, n=7):
    batch = with_rank(inputs[0], 2)[0]
    cell = with_rank(inputs[1], 2)[1]
    return [(inputs[0].dtype.base_dtype, _raw((batch, cell)))] * n


def _lstm_block_cell_grad(op, *grads):
    """TF 1.15 contrib's: LSTMBlockCellGrad for d gates, then [x, h_prev]'s and the weights' gradients."""
    x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
    i, cs, f, o, ci, co, _ = op.outputs
    batch, inputs = with_rank(x, 2)
    if inputs is None:
        raise ValueError("input_size from `x` should not be None.")
    cell = with_rank(cs_prev, 2)[1]
    if cell is None:
        raise ValueError("cell_size from `cs_prev` should not be None.")
    batch = -1 if batch is None else batch
    cs_prev_grad, dicfo, wci_grad, wcf_grad, wco_grad = apply_op(
        "LSTMBlockCellGrad", [x, cs_prev, h_prev, w, wci, wcf, wco, b, i, cs, f, o, ci, co, grads[1], grads[6]],
        {"use_peephole": op._attrs["use_peephole"]})
    xh_grad = matmul(dicfo, w, transpose_b=True)
    x_grad = slice_(xh_grad, (0, 0), (batch, inputs))
    h_prev_grad = slice_(xh_grad, (0, inputs), (batch, cell))
    w_grad = matmul(concat([x, h_prev], 1), dicfo, transpose_a=True)
    b_grad = apply_op("BiasAddGrad", [dicfo], {"data_format": "NHWC"})
    return [x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad, wco_grad, b_grad]


_LSTM_INPUTS = "x:T, cs_prev:T, h_prev:T, w:T, wci:T, wcf:T, wco:T, b:T"
op("LSTMBlockCell", _LSTM_INPUTS, kernel=_lstm_block_cell_kernel, shape=_cell_shape, grad=_lstm_block_cell_grad,
   T="float16 float32")


def _lstm_block_cell_grad_kernel(a, x, cs_prev, h_prev, w, wci, wcf, wco, b, i, cs, f, o, ci, co, cs_grad, h_grad):
    _check_cell(x, cs_prev, h_prev, w, b)
    batch, cell = x.shape[0], cs_prev.shape[1]
    for name, t in (("i", i), ("cs", cs), ("f", f), ("o", o), ("ci", ci), ("co", co)):
        _require(t.shape[0] == batch, f"{name}.dim_size(0) != batch_size: {t.shape[0]} vs. {batch}")
        # TF's message for f's second dimension names i
        _require(t.shape[1] == cell, f"{'i' if name == 'f' else name}.dim_size(1) != cell_size: {t.shape[1]} vs. "
                                     f"{cell}")
    for name, t in (("cs_grad_tensor", cs_grad), ("h_grad_tensor", h_grad)):
        _require(t.shape[0] == batch, f"{name}.dims(0) != batch_size: {t.shape[0]} vs. {batch}")
        _require(t.shape[1] == cell, f"{name}.dims(1) != cell_size: {t.shape[1]} vs. {cell}")
    peep = a["use_peephole"]
    dgates, cs_prev_grad, *peeps = _lstm_step_grad(peep, False, cs_prev, wci, wcf, wco, i, cs, f, o, ci, co,
                                                   cs_grad, h_grad)
    peeps = [p if peep else np.zeros_like(v) for p, v in zip(peeps, (wci, wcf, wco))]
    return [cs_prev_grad, dgates] + peeps


def _lstm_block_cell_grad_shape(inputs, a):
    batch = with_rank(inputs[0], 2)[0]
    cell = with_rank(inputs[1], 2)[1]
    dt = inputs[0].dtype.base_dtype
    return [(dt, _raw((batch, cell))), (dt, _raw((batch, _mul4(cell))))] + [(dt, _raw((cell,)))] * 3


op("LSTMBlockCellGrad", _LSTM_INPUTS + ", i:T, cs:T, f:T, o:T, ci:T, co:T, cs_grad:T, h_grad:T",
   kernel=_lstm_block_cell_grad_kernel, shape=_lstm_block_cell_grad_shape, grad=NO_GRADIENT_DEFINED, T="float16 float32")


# ----- BlockLSTM, BlockLSTMV2 ------------------------------------------------------------------------------------
def _check_seq_len_max(seq_len_max):
    _require(seq_len_max.ndim == 0, f"`seq_len_max_tensor` must be rank 0 but is rank {seq_len_max.ndim}")


def _seq_len_max(seq_len_max, steps):
    n = int(seq_len_max)
    _require(0 <= n <= steps, f"seq_len_max must be between 0 and {steps} but is {n}")
    return n


def _check_block(x, cs_prev, h_prev, w, wci, wcf, wco, b):
    _require(x.ndim == 3, "x must be 3D")
    batch, inputs = x.shape[1], x.shape[2]
    _require(cs_prev.ndim == 2, "cs_prev must be 2D")
    _require(cs_prev.shape[0] == batch, f"cs_prev.dims(0) != batch_size: {cs_prev.shape[0]} vs. {batch}")
    cell = cs_prev.shape[1]
    _require(h_prev.ndim == 2, "h_prev must be 2D")
    _require(h_prev.shape[0] == batch, f"h_prev.dims(0) != batch_size: {h_prev.shape[0]} vs. {batch}")
    _require(h_prev.shape[1] == cell, f"h_prev.dims(1) != cell_size: {h_prev.shape[1]} vs. {cell}")
    _require(w.ndim == 2, "w must be 2D")
    _require(w.shape[0] == inputs + cell, f"w.dim_size(0) != input_size + cell_size: {w.shape[0]} vs. "
                                          f"{inputs + cell}")
    _require(w.shape[1] == 4 * cell, f"w.dim_size(1) != cell_size * 4: {w.shape[1]} vs. {4 * cell}")
    for name, v in (("wci", wci), ("wcf", wcf), ("wco", wco)):
        _require(v.ndim == 1, f"{name} must be 1D")
        _require(v.shape[0] == cell, f"{name}.dim_size(0) != cell_size: {v.shape[0]} vs. {cell}")
    _require(b.ndim == 1, "b must be 1D")
    _require(b.shape[0] == 4 * cell, f"b.dim_size(0) != cell_size * 4: {b.shape[0]} vs. {4 * cell}")


def _block_lstm_kernel(ifco):
    def kernel(a, seq_len_max, x, cs_prev, h_prev, w, wci, wcf, wco, b):
        _check_seq_len_max(seq_len_max)
        _check_block(x, cs_prev, h_prev, w, wci, wcf, wco, b)
        steps = _seq_len_max(seq_len_max, x.shape[0])
        outs = np.zeros((7,) + x.shape[:2] + cs_prev.shape[1:], x.dtype)
        a = _with_defaults(a, ifco)
        for t in range(steps):
            outs[:, t] = _lstm_step(a, x[t], cs_prev, h_prev, w, wci, wcf, wco, b, ifco)
            cs_prev, h_prev = outs[1, t], outs[6, t]
        return list(outs)
    return kernel


def _block_shape(inputs, a):
    x = with_rank(inputs[1], 3)
    cell = with_rank(inputs[-1], 1)[0]
    if cell is not None and cell % 4:
        raise ValueError(f"Dimension size must be evenly divisible by 4 but is {cell}")
    return [(inputs[1].dtype.base_dtype, _raw((x[0], x[1], None if cell is None else cell // 4)))] * 7


def _block_lstm_grad(op, *grads):
    """TF 2.21's rnn_grad.py, for BlockLSTM and BlockLSTMV2 alike: BlockLSTMGrad."""
    grad_inputs = list(op.inputs) + list(op.outputs) + [grads[1], grads[6]]
    return [None] + apply_op("BlockLSTMGrad", grad_inputs, {"use_peephole": op._attrs["use_peephole"]})


_BLOCK_INPUTS = "seq_len_max:int64, " + _LSTM_INPUTS
op("BlockLSTM", _BLOCK_INPUTS, kernel=_block_lstm_kernel(False), shape=_block_shape, grad=_block_lstm_grad,
   T="float16 float32")
op("BlockLSTMV2", _BLOCK_INPUTS, kernel=_block_lstm_kernel(True), shape=_block_shape, grad=_block_lstm_grad,
   T="float16 float32")


def _check_block_grad(x, cs_prev, h_prev, w, wci, wcf, wco, b, outs):
    _require(x.ndim == 3, f"x must be rank 3 but is rank {x.ndim}")
    for name, v, rank in (("cs_prev", cs_prev, 2), ("h_prev", h_prev, 2), ("w", w, 2)):
        _require(v.ndim == rank, f"{name} must be rank {rank} but is rank {v.ndim}")
    cell = w.shape[1] // 4
    _require(x.shape[2] + cell == w.shape[0], f"w matrix rows don't match: {x.shape[2] + cell} vs. {w.shape[0]}")
    for name, v in (("wci", wci), ("wcf", wcf), ("wco", wco), ("b", b)):
        _require(v.ndim == 1, f"{name} must be rank 1 but is rank {v.ndim}")
    _require(cell == b.shape[0] // 4, f"w and b cell_size don't match: {cell} vs. {b.shape[0]}")
    for name, v in zip(("i", "cs", "f", "o", "ci", "co", "h"), outs):
        _require(v.ndim == 3, f"{name} must be rank 3. Received: {v.ndim}")


def _block_lstm_grad_kernel(ifco):
    def kernel(a, seq_len_max, x, cs_prev, h_prev, w, wci, wcf, wco, b, i, cs, f, o, ci, co, h, cs_grad, h_grad):
        _check_seq_len_max(seq_len_max)
        _check_block_grad(x, cs_prev, h_prev, w, wci, wcf, wco, b, (i, cs, f, o, ci, co, h))
        steps = _seq_len_max(seq_len_max, x.shape[0])
        peep, inputs = a["use_peephole"], x.shape[2]
        x_grad = np.zeros_like(x)
        cs_prev_grad, h_prev_grad = np.zeros_like(cs_prev), np.zeros_like(h_prev)
        w_grad, b_grad = np.zeros_like(w), np.zeros_like(b)
        peep_grads = [np.zeros_like(wci), np.zeros_like(wcf), np.zeros_like(wco)]
        for t in range(steps - 1, -1, -1):
            cp, hp = (cs_prev, h_prev) if t == 0 else (cs[t - 1], h[t - 1])
            dgates, cs_prev_grad, *peeps = _lstm_step_grad(
                peep, ifco, cp, wci, wcf, wco, i[t], cs[t], f[t], o[t], ci[t], co[t], cs_prev_grad + cs_grad[t],
                h_prev_grad + h_grad[t])
            xh_grad = dgates @ w.T
            x_grad[t], h_prev_grad = xh_grad[:, :inputs], xh_grad[:, inputs:]
            w_grad += np.concatenate([x[t], hp], 1).T @ dgates
            b_grad += dgates.sum(0)
            if peep:
                peep_grads = [g + p for g, p in zip(peep_grads, peeps)]
        return [x_grad, cs_prev_grad, h_prev_grad, w_grad] + peep_grads + [b_grad]
    return kernel


def _block_grad_shape(inputs, a):
    shapes = [with_rank(inputs[k], rank) for k, rank in ((1, 3), (2, 2), (3, 2), (4, 2), (5, 1), (6, 1), (7, 1),
                                                          (8, 1))]
    return [(inputs[1].dtype.base_dtype, _raw(s)) for s in shapes]


_BLOCK_GRAD_INPUTS = _BLOCK_INPUTS + ", i:T, cs:T, f:T, o:T, ci:T, co:T, h:T, cs_grad:T, h_grad:T"
op("BlockLSTMGrad", _BLOCK_GRAD_INPUTS, kernel=_block_lstm_grad_kernel(False), shape=_block_grad_shape,
   grad=NO_GRADIENT_DEFINED, T="float16 float32")
op("BlockLSTMGradV2", _BLOCK_GRAD_INPUTS, kernel=_block_lstm_grad_kernel(True), shape=_block_grad_shape,
   grad=NO_GRADIENT_DEFINED, T="float16 float32")


# ----- GRUBlockCell ----------------------------------------------------------------------------------------------
def _check_gru(x, h_prev, w_ru, w_c, b_ru, b_c):
    _require(x.ndim == 2, f"Rank of x must be 2, got {x.ndim}")
    batch, inputs = x.shape
    _require(h_prev.ndim == 2, f"Rank of h_prev must be 2, got {h_prev.ndim}")
    _require(h_prev.shape[0] == batch, f"h_prev.dims(0) != batch_size: {h_prev.shape[0]} vs. {batch}")
    cell = h_prev.shape[1]
    both, twice = ("input_size + cell_size", inputs + cell), ("cell_size * 2", 2 * cell)
    for name, rank_name, v, wants in (("w_ru", "w_ru_", w_ru, (both, twice)), ("w_c", "w_c", w_c, (both, ("cell_size", cell))),
                                      ("b_ru", "b_ru", b_ru, (twice,)), ("b_c", "b_c", b_c, (("cell_size", cell),))):
        _require(v.ndim == len(wants), f"Rank of {rank_name} must be {len(wants)}, got {v.ndim}")
        for k, (n, (text, want)) in enumerate(zip(v.shape, wants)):
            _require(n == want, f"{name}.dim_size({k}) != {text}: {n} vs. {want}")
    return batch, inputs, cell


def _gru_step(x, h_prev, w_ru, w_c, b_ru, b_c):
    cell = h_prev.shape[1]
    r_u_bar = np.concatenate([x, h_prev], 1) @ w_ru + b_ru
    r, u = _sigmoid(r_u_bar[:, :cell]), _sigmoid(r_u_bar[:, cell:])
    c = np.tanh(np.concatenate([x, h_prev * r], 1) @ w_c + b_c)
    return r, u, c, u * (h_prev - c) + c


def _gru_block_cell_kernel(a, x, h_prev, w_ru, w_c, b_ru, b_c):
    _check_gru(x, h_prev, w_ru, w_c, b_ru, b_c)
    return list(_gru_step(x, h_prev, w_ru, w_c, b_ru, b_c))


def _gru_shape(inputs, a):
    batch = with_rank(inputs[0], 2)[0]
    cell = with_rank(inputs[1], 2)[1]
    return [(inputs[0].dtype.base_dtype, _raw((batch, cell)))] * 4


def _gru_block_cell_grad(op, *grads):
    """TF 1.15 contrib's: GRUBlockCellGrad, then the weights' gradients by matmuls and BiasAddGrad."""
    x, h_prev, w_ru, w_c, b_ru, b_c = op.inputs
    r, u, c, _ = op.outputs
    d_x, d_h_prev, d_c_bar, d_r_bar_u_bar = apply_op("GRUBlockCellGrad", [x, h_prev, w_ru, w_c, b_ru, b_c, r, u, c,
                                                                          grads[3]])
    d_w_ru = matmul(concat([x, h_prev], 1), d_r_bar_u_bar, transpose_a=True)
    d_b_ru = apply_op("BiasAddGrad", [d_r_bar_u_bar], {"data_format": "NHWC"})
    d_w_c = matmul(concat([x, h_prev * r], 1), d_c_bar, transpose_a=True)
    d_b_c = apply_op("BiasAddGrad", [d_c_bar], {"data_format": "NHWC"})
    return [d_x, d_h_prev, d_w_ru, d_w_c, d_b_ru, d_b_c]


_GRU_INPUTS = "x:T, h_prev:T, w_ru:T, w_c:T, b_ru:T, b_c:T"
op("GRUBlockCell", _GRU_INPUTS, kernel=_gru_block_cell_kernel, shape=_gru_shape, grad=_gru_block_cell_grad,
   T="float32")


def _gru_block_cell_grad_kernel(a, x, h_prev, w_ru, w_c, b_ru, b_c, r, u, c, d_h):
    batch, inputs, cell = _check_gru(x, h_prev, w_ru, w_c, b_ru, b_c)
    for name, v in (("r", r), ("u", u), ("c", c), ("d_h", d_h)):
        _require(v.ndim == 2, f"Rank of {'w_c' if name == 'c' else name} must be 2, got {v.ndim}")
        _require(v.shape[0] == batch, f"{name}.dims(0) != batch_size: {v.shape[0]} vs. {batch}")
        _require(v.shape[1] == cell, f"{name}.dims(1) != cell_size: {v.shape[1]} vs. {cell}")
    d_c_bar = d_h * (1 - u) * (1 - c * c)
    d_u_bar = d_h * (h_prev - c) * u * (1 - u)
    d_x2_hr = d_c_bar @ w_c.T
    d_hr = d_x2_hr[:, inputs:]
    d_r_bar = d_hr * h_prev * r * (1 - r)
    d_r_bar_u_bar = np.concatenate([d_r_bar, d_u_bar], 1)
    d_x1_h1 = d_r_bar_u_bar @ w_ru.T
    d_x = (d_x1_h1 + d_x2_hr)[:, :inputs]
    d_h_prev = d_x1_h1[:, inputs:] + d_hr * r + d_h * u
    return [d_x, d_h_prev, d_c_bar, d_r_bar_u_bar]


def _gru_grad_shape(inputs, a):
    x = with_rank(inputs[0], 2)
    cell = with_rank(inputs[1], 2)[1]
    twice = with_rank(inputs[2], 2)[1]
    dt = inputs[0].dtype.base_dtype
    return [(dt, _raw(x)), (dt, _raw((x[0], cell))), (dt, _raw((x[0], cell))), (dt, _raw((x[0], twice)))]


op("GRUBlockCellGrad", _GRU_INPUTS + ", r:T, u:T, c:T, d_h:T", kernel=_gru_block_cell_grad_kernel,
   shape=_gru_grad_shape, grad=NO_GRADIENT_DEFINED, T="float32")

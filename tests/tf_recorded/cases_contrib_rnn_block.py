"""tf.contrib.rnn's fused cells and their ops: LSTMBlockCell, BlockLSTM(V2), GRUBlockCell and their Grad ops
(raw, through tf.raw_ops when recording and the op table in raygraph), and the cells LSTMBlockCell,
LSTMBlockFusedCell, GRUBlockCell(V2) and LayerNormBasicLSTMCell under dynamic_rnn and static_rnn.

TF 2.21 keeps the ops and BlockLSTM's gradient but has no contrib: when recording, `_tf115` registers TF 1.15
contrib's gradients of LSTMBlockCell and GRUBlockCell and builds TF 1.15's cell classes (written from
contrib/rnn/python/ops/lstm_ops.py, gru_ops.py and rnn_cell.py) on TF 2.21's compat.v1 layers and cells."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_layers, describe, error_text, kernel_error, run, sig

_INPUTS = {
    "LSTMBlockCell": "x cs_prev h_prev w wci wcf wco b",
    "LSTMBlockCellGrad": "x cs_prev h_prev w wci wcf wco b i cs f o ci co cs_grad h_grad",
    "BlockLSTM": "seq_len_max x cs_prev h_prev w wci wcf wco b",
    "BlockLSTMV2": "seq_len_max x cs_prev h_prev w wci wcf wco b",
    "BlockLSTMGrad": "seq_len_max x cs_prev h_prev w wci wcf wco b i cs f o ci co h cs_grad h_grad",
    "BlockLSTMGradV2": "seq_len_max x cs_prev h_prev w wci wcf wco b i cs f o ci co h cs_grad h_grad",
    "GRUBlockCell": "x h_prev w_ru w_c b_ru b_c",
    "GRUBlockCellGrad": "x h_prev w_ru w_c b_ru b_c r u c d_h",
}


def _op(tf, op_type, inputs, attrs=None, name=None):
    """The op `op_type` over `inputs`: tf.raw_ops when recording, raygraph's op table when replaying."""
    attrs = dict(attrs or {})
    if hasattr(tf, "contrib"):
        from raygraph.ops.registry import apply_op
        return list(apply_op(op_type, list(inputs), attrs, name=name))
    _tf115(tf)
    return list(getattr(tf.raw_ops, op_type)(**dict(zip(_INPUTS[op_type].split(), inputs)), **attrs, name=name))


def _data(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]


def _lstm_inputs(seed, batch, inputs, cell, steps=None):
    x = (steps, batch, inputs) if steps else (batch, inputs)
    return _data(seed, x, (batch, cell), (batch, cell), (inputs + cell, 4 * cell), (cell,), (cell,), (cell,),
                 (4 * cell,))


def _weighted_grads(tf, outs, xs, seed):
    """tf.gradients of sum(w_k * outs[k]) with fixed random weights w_k (as grad_ys)."""
    rng = np.random.default_rng(seed)
    return tf.gradients(outs, xs, [rng.uniform(0.5, 1.5, t.shape.as_list()).astype(np.float32) for t in outs])


def _upto(tensors, n):
    """The first n steps of time-major tensors: BlockLSTM leaves its outputs after seq_len_max uninitialized in
    TF 2.21 (raygraph: zeros), and BlockLSTMGrad its x_grad."""
    return [t[:n] for t in tensors]


# ----- the ops -----------------------------------------------------------------------------------------------
def case_lstm_block_cell_graph_and_gradient(tf):
    data = _lstm_inputs(0, 2, 3, 4)
    xs = [tf.constant(a) for a in data]
    outs = _op(tf, "LSTMBlockCell", xs, {"forget_bias": 0.5, "cell_clip": 0.8, "use_peephole": True})
    gs = _weighted_grads(tf, [outs[1], outs[6]], xs, 1)
    return [describe(tf), run(tf, outs + gs)]


def case_lstm_block_cell_values(tf):
    out = []
    for seed, (batch, inputs, cell) in enumerate(((1, 1, 1), (3, 2, 5), (4, 6, 2))):
        for attrs in ({"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": False},
                      {"forget_bias": 0.0, "cell_clip": 0.3, "use_peephole": True},
                      {"forget_bias": 2.0, "cell_clip": 3.0, "use_peephole": False}):
            xs = [tf.constant(a * 2) for a in _lstm_inputs(seed, batch, inputs, cell)]
            outs = _op(tf, "LSTMBlockCell", xs, attrs)
            out.append(run(tf, outs + _weighted_grads(tf, outs[1::5], xs, seed)))
    return out


def case_lstm_block_cell_unknown_shapes(tf):
    p = [tf.placeholder(tf.float32, s) for s in ([None, 3], [None, None], [None, 2], [5, None], [None], [2], [None],
                                                  [None])]
    outs = _op(tf, "LSTMBlockCell", p, {"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": False})
    data = _lstm_inputs(3, 2, 3, 2)
    rank = tf.placeholder(tf.float32)
    grads = _op(tf, "LSTMBlockCellGrad", [rank] * 16, {"use_peephole": False})
    return [[sig(t) for t in outs + grads], run(tf, outs, dict(zip(p, data)))]


def case_lstm_block_cell_errors(tf):
    x, cs, h, w, wci, wcf, wco, b = [tf.constant(a) for a in _lstm_inputs(4, 2, 3, 2)]
    attrs = {"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": False}

    def cell(*inputs):
        return _op(tf, "LSTMBlockCell", inputs, attrs)[6]
    empty = tf.zeros([0, 2])
    return [error_text(lambda: cell(tf.zeros([2]), cs, h, w, wci, wcf, wco, b)),
            error_text(lambda: cell(x, tf.zeros([2, 2, 1]), h, w, wci, wcf, wco, b)),
            kernel_error(tf, cell(x, tf.zeros([3, 2]), h, w, wci, wcf, wco, b)),
            kernel_error(tf, cell(x, cs, tf.zeros([2, 3]), w, wci, wcf, wco, b)),
            kernel_error(tf, cell(x, cs, h, tf.zeros([4, 8]), wci, wcf, wco, b)),
            kernel_error(tf, cell(x, cs, h, tf.zeros([5, 7]), wci, wcf, wco, b)),
            kernel_error(tf, cell(x, cs, h, w, wci, wcf, wco, tf.zeros([7]))),
            kernel_error(tf, cell(tf.zeros([0, 3]), empty, empty, w, wci, wcf, wco, b))]


def case_lstm_block_cell_grad_op(tf):
    data = _lstm_inputs(5, 3, 2, 3)
    outs = _op(tf, "LSTMBlockCell", [tf.constant(a) for a in data],
               {"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": True})
    cs_grad, h_grad = _data(6, (3, 3), (3, 3))
    out = []
    for peep in (True, False):
        grads = _op(tf, "LSTMBlockCellGrad", [tf.constant(a) for a in data] + outs[:6] + [cs_grad, h_grad],
                    {"use_peephole": peep})
        out.append([[sig(t) for t in grads], run(tf, grads)])
    bad = _op(tf, "LSTMBlockCellGrad", [tf.constant(a) for a in data] + outs[:6] + [cs_grad, tf.zeros([3, 2])],
              {"use_peephole": True})
    return out + [kernel_error(tf, bad[0])]


def _block(tf, op_type, seed, steps, batch, inputs, cell, seq_len_max, **attrs):
    data = _lstm_inputs(seed, batch, inputs, cell, steps)
    xs = [tf.constant(a) for a in data]
    outs = _op(tf, op_type, [tf.constant(seq_len_max, tf.int64)] + xs, attrs)
    gs = _weighted_grads(tf, [outs[1], outs[6]], xs, seed)
    return run(tf, _upto(outs + gs[:1], seq_len_max) + gs[1:])


def case_block_lstm_values_and_gradients(tf):
    return [_block(tf, "BlockLSTM", 0, 4, 2, 3, 2, 4, forget_bias=1.0, cell_clip=-1.0, use_peephole=False),
            _block(tf, "BlockLSTM", 1, 5, 3, 2, 3, 3, forget_bias=0.5, cell_clip=0.4, use_peephole=True),
            _block(tf, "BlockLSTM", 2, 3, 1, 1, 1, 0, forget_bias=1.0, cell_clip=3.0, use_peephole=True),
            _block(tf, "BlockLSTMV2", 3, 4, 2, 3, 2, 4, cell_clip=0.0, use_peephole=False),
            _block(tf, "BlockLSTMV2", 4, 5, 2, 2, 3, 2, cell_clip=0.5, use_peephole=True)]


def case_block_lstm_graph(tf):
    data = _lstm_inputs(5, 2, 3, 2, 3)
    xs = [tf.constant(a) for a in data]
    outs = _op(tf, "BlockLSTMV2", [tf.constant(2, tf.int64)] + xs, {"cell_clip": 0.0, "use_peephole": True})
    gs = tf.gradients([outs[6]], xs)
    p = [tf.placeholder(tf.float32, s) for s in ([None, 2, None], [None, 3], None, None, None, None, None, [12])]
    unknown = _op(tf, "BlockLSTM", [tf.constant(1, tf.int64)] + p,
                  {"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": False})
    return [describe(tf), [sig(t) for t in unknown], run(tf, _upto(outs + gs[:1], 2) + gs[1:])]


def case_block_lstm_grad_ops(tf):
    data = _lstm_inputs(6, 3, 2, 2, 4)
    xs = [tf.constant(a) for a in data]
    out = []
    for fwd, bwd in (("BlockLSTM", "BlockLSTMGrad"), ("BlockLSTMV2", "BlockLSTMGradV2")):
        attrs = {"cell_clip": -1.0, "use_peephole": True}
        outs = _op(tf, fwd, [tf.constant(3, tf.int64)] + xs, dict(attrs, forget_bias=1.0) if fwd == "BlockLSTM"
                   else attrs)
        cs_grad, h_grad = _data(7, (4, 3, 2), (4, 3, 2))
        grads = _op(tf, bwd, [tf.constant(3, tf.int64)] + xs + outs + [cs_grad, h_grad], {"use_peephole": True})
        out.append([[sig(t) for t in grads], run(tf, _upto(grads[:1], 3) + grads[1:])])
    return out


def case_block_lstm_errors(tf):
    # (seq_len_max outside [0, time] is left out: TF 2.21's kernel CHECK-fails on it, killing the process)
    x, cs, h, w, wci, wcf, wco, b = [tf.constant(a) for a in _lstm_inputs(8, 2, 3, 2, 3)]
    attrs = {"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": False}

    def block(n, *inputs):
        return _op(tf, "BlockLSTM", [tf.constant(n, tf.int64)] + list(inputs), attrs)[6]
    outs = _op(tf, "BlockLSTM", [tf.constant(3, tf.int64), x, cs, h, w, wci, wcf, wco, b], attrs)
    return [error_text(lambda: block(3, tf.zeros([2, 3]), cs, h, w, wci, wcf, wco, b)),
            error_text(lambda: block(3, x, cs, h, w, wci, wcf, wco, tf.zeros([6]))),
            error_text(lambda: block(3, x, cs, h, w, wci, wcf, wco, tf.zeros([2, 8]))),
            kernel_error(tf, block(3, x, tf.zeros([1, 2]), h, w, wci, wcf, wco, b)),
            kernel_error(tf, block(3, x, cs, h, tf.zeros([5, 4]), wci, wcf, wco, b)),
            kernel_error(tf, block(3, x, cs, h, w, tf.zeros([3]), wcf, wco, b)),
            kernel_error(tf, _op(tf, "BlockLSTM", [tf.constant([3], tf.int64), x, cs, h, w, wci, wcf, wco, b],
                                 attrs)[0]),
            kernel_error(tf, _op(tf, "BlockLSTMGrad", [tf.constant(3, tf.int64), x, cs, h, tf.zeros([5, 6]), wci,
                                                       wcf, wco, b] + outs + outs[:2], {"use_peephole": False})[0])]


def _gru_inputs(seed, batch, inputs, cell):
    return _data(seed, (batch, inputs), (batch, cell), (inputs + cell, 2 * cell), (inputs + cell, cell),
                 (2 * cell,), (cell,))


def case_gru_block_cell(tf):
    out = []
    for seed, dims in enumerate(((1, 1, 1), (2, 3, 4), (5, 2, 3))):
        xs = [tf.constant(a * 2) for a in _gru_inputs(seed, *dims)]
        outs = _op(tf, "GRUBlockCell", xs)
        out.append(run(tf, outs + _weighted_grads(tf, outs[3:], xs, seed)))
    p = [tf.placeholder(tf.float32, s) for s in ([None, 3], [2, None], None, None, None, None)]
    unknown = _op(tf, "GRUBlockCell", p)
    d_h = _data(9, (2, 4))[0]
    xs = [tf.constant(a) for a in _gru_inputs(1, 2, 3, 4)]
    grads = _op(tf, "GRUBlockCellGrad", xs + _op(tf, "GRUBlockCell", xs)[:3] + [d_h])
    return [out, [sig(t) for t in unknown + grads], run(tf, grads)]


def case_gru_block_cell_graph(tf):
    xs = [tf.constant(a) for a in _gru_inputs(3, 2, 2, 3)]
    outs = _op(tf, "GRUBlockCell", xs, name="gru")
    return [describe(tf), run(tf, tf.gradients(outs[3], xs))]


def case_gru_block_cell_errors(tf):
    x, h, w_ru, w_c, b_ru, b_c = [tf.constant(a) for a in _gru_inputs(4, 2, 3, 2)]

    def gru(*inputs):
        return _op(tf, "GRUBlockCell", inputs)[3]
    outs = _op(tf, "GRUBlockCell", [x, h, w_ru, w_c, b_ru, b_c])
    return [error_text(lambda: gru(tf.zeros([3]), h, w_ru, w_c, b_ru, b_c)),
            error_text(lambda: gru(tf.constant([[1.0]], tf.float64), h, w_ru, w_c, b_ru, b_c)),
            kernel_error(tf, gru(x, tf.zeros([3, 2]), w_ru, w_c, b_ru, b_c)),
            kernel_error(tf, gru(x, h, tf.zeros([5, 3]), w_c, b_ru, b_c)),
            kernel_error(tf, gru(x, h, w_ru, tf.zeros([4, 2]), b_ru, b_c)),
            kernel_error(tf, gru(x, h, w_ru, w_c, tf.zeros([2, 2]), b_c)),
            kernel_error(tf, gru(x, h, w_ru, w_c, b_ru, tf.zeros([3]))),
            kernel_error(tf, _op(tf, "GRUBlockCellGrad", [x, h, w_ru, w_c, b_ru, b_c] + outs[:2] +
                                 [tf.zeros([2, 3]), h])[0])]


# ----- the cells ---------------------------------------------------------------------------------------------
def _tf115(tf):
    """TF 1.15 contrib's block-cell gradients (registered once) and cell classes, over TF 2.21 (recording only)."""
    if hasattr(_tf115, "ns"):
        return _tf115.ns
    from tensorflow.python.framework import ops
    from tensorflow.python.ops import gen_nn_ops, gen_rnn_ops
    from tf_keras.src.layers.rnn import legacy_cells

    def lstm_block_cell_grad(op, *grad):
        x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
        i, cs, f, o, ci, co, _ = op.outputs
        batch_size = x.get_shape().with_rank(2).dims[0].value
        batch_size = -1 if batch_size is None else batch_size
        input_size = x.get_shape().with_rank(2).dims[1].value
        cell_size = cs_prev.get_shape().with_rank(2).dims[1].value
        cs_prev_grad, dicfo, wci_grad, wcf_grad, wco_grad = gen_rnn_ops.lstm_block_cell_grad(
            x=x, cs_prev=cs_prev, h_prev=h_prev, w=w, wci=wci, wcf=wcf, wco=wco, b=b, i=i, cs=cs, f=f, o=o, ci=ci,
            co=co, cs_grad=grad[1], h_grad=grad[6], use_peephole=op.get_attr("use_peephole"))
        xh_grad = tf.matmul(dicfo, w, transpose_b=True)
        x_grad = tf.slice(xh_grad, (0, 0), (batch_size, input_size))
        h_prev_grad = tf.slice(xh_grad, (0, input_size), (batch_size, cell_size))
        w_grad = tf.matmul(tf.concat([x, h_prev], 1), dicfo, transpose_a=True)
        b_grad = gen_nn_ops.bias_add_grad(dicfo)
        return x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad, wco_grad, b_grad

    def gru_block_cell_grad(op, *grad):
        x, h_prev, w_ru, w_c, b_ru, b_c = op.inputs
        r, u, c, _ = op.outputs
        d_x, d_h_prev, d_c_bar, d_r_bar_u_bar = gen_rnn_ops.gru_block_cell_grad(
            x, h_prev, w_ru, w_c, b_ru, b_c, r, u, c, grad[3])
        d_w_ru = tf.matmul(tf.concat([x, h_prev], 1), d_r_bar_u_bar, transpose_a=True)
        d_b_ru = gen_nn_ops.bias_add_grad(d_r_bar_u_bar)
        d_w_c = tf.matmul(tf.concat([x, h_prev * r], 1), d_c_bar, transpose_a=True)
        d_b_c = gen_nn_ops.bias_add_grad(d_c_bar)
        return d_x, d_h_prev, d_w_ru, d_w_c, d_b_ru, d_b_c

    ops.RegisterGradient("LSTMBlockCell")(lstm_block_cell_grad)
    ops.RegisterGradient("GRUBlockCell")(gru_block_cell_grad)
    _tf115.ns = ns = _cells(tf, legacy_cells)
    return ns


def _cells(tf, legacy_cells):
    InputSpec = tf.compat.v1.layers.InputSpec
    Tuple = tf.nn.rnn_cell.LSTMStateTuple

    class LSTMBlockCell(legacy_cells.LayerRNNCell):
        def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, dtype=None, reuse=None,
                     name="lstm_cell"):
            super().__init__(_reuse=reuse, dtype=dtype, name=name)
            self._num_units, self._forget_bias, self._use_peephole = num_units, forget_bias, use_peephole
            self._cell_clip = cell_clip if cell_clip is not None else -1
            self.input_spec = InputSpec(ndim=2)

        state_size = property(lambda self: Tuple(self._num_units, self._num_units))
        output_size = property(lambda self: self._num_units)

        def build(self, inputs_shape):
            if not inputs_shape.dims[1].value:
                raise ValueError(f"Expecting inputs_shape[1] to be set: {inputs_shape}")
            n = self._num_units
            self._kernel = self.add_weight("kernel", [inputs_shape.dims[1].value + n, n * 4])
            self._bias = self.add_weight("bias", [n * 4], initializer=tf.constant_initializer(0.0))
            if self._use_peephole:
                self._w_i_diag = self.add_weight("w_i_diag", [n])
                self._w_f_diag = self.add_weight("w_f_diag", [n])
                self._w_o_diag = self.add_weight("w_o_diag", [n])
            self.built = True

        def call(self, inputs, state):
            if len(state) != 2:
                raise ValueError("Expecting state to be a tuple with length 2.")
            if self._use_peephole:
                wci, wcf, wco = self._w_i_diag, self._w_f_diag, self._w_o_diag
            else:
                wci = wcf = wco = tf.zeros([self._num_units], dtype=self.dtype)
            cs_prev, h_prev = state
            _, cs, _, _, _, _, h = tf.raw_ops.LSTMBlockCell(
                x=inputs, cs_prev=cs_prev, h_prev=h_prev, w=self._kernel, wci=wci, wcf=wcf, wco=wco, b=self._bias,
                forget_bias=self._forget_bias, cell_clip=self._cell_clip, use_peephole=self._use_peephole)
            return h, Tuple(cs, h)

    class LSTMBlockFusedCell(tf.compat.v1.layers.Layer):
        def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, reuse=None, dtype=None,
                     name="lstm_fused_cell"):
            super().__init__(_reuse=reuse, name=name, dtype=dtype)
            self._num_units, self._forget_bias, self._use_peephole = num_units, forget_bias, use_peephole
            self._cell_clip = cell_clip if cell_clip is not None else -1
            self.input_spec = InputSpec(ndim=3)

        num_units = property(lambda self: self._num_units)

        def build(self, input_shape):
            n = self._num_units
            self._kernel = self.add_weight("kernel", [input_shape.dims[2].value + n, n * 4])
            self._bias = self.add_weight("bias", [n * 4], initializer=tf.constant_initializer(0.0))
            if self._use_peephole:
                self._w_i_diag = self.add_weight("w_i_diag", [n])
                self._w_f_diag = self.add_weight("w_f_diag", [n])
                self._w_o_diag = self.add_weight("w_o_diag", [n])
            self.built = True

        def call(self, inputs, initial_state=None, dtype=None, sequence_length=None):
            is_list = isinstance(inputs, list)
            if is_list:
                inputs = tf.stack(inputs)
            inputs_shape = inputs.get_shape().with_rank(3)
            if not inputs_shape[2]:
                raise ValueError(f"Expecting inputs_shape[2] to be set: {inputs_shape}")
            batch_size = inputs_shape.dims[1].value
            if batch_size is None:
                batch_size = tf.shape(inputs)[1]
            time_len = inputs_shape.dims[0].value
            if time_len is None:
                time_len = tf.shape(inputs)[0]
            if initial_state is None:
                if dtype is None:
                    raise ValueError("Either initial_state or dtype needs to be specified")
                z = tf.zeros(tf.stack([batch_size, self.num_units]), dtype=dtype)
                initial_state = z, z
            else:
                if len(initial_state) != 2:
                    raise ValueError("Expecting initial_state to be a tuple with length 2 or None")
                if dtype is None:
                    dtype = initial_state[0].dtype
            if sequence_length is not None:
                sequence_length = tf.convert_to_tensor(sequence_length)
            initial_cell_state, initial_output = initial_state
            cell_states, outputs = self._call_cell(inputs, initial_cell_state, initial_output, dtype,
                                                   sequence_length)
            if sequence_length is not None:
                mask = tf.transpose(tf.sequence_mask(sequence_length, time_len, dtype=dtype), [1, 0])
                mask = tf.tile(tf.expand_dims(mask, [-1]), [1, 1, self.num_units])
                outputs *= mask
                mod_cell_states = tf.concat([tf.expand_dims(initial_cell_state, [0]), cell_states], 0)
                mod_outputs = tf.concat([tf.expand_dims(initial_output, [0]), outputs], 0)
                final_cell_state = self._gather_states(mod_cell_states, sequence_length, batch_size)
                final_output = self._gather_states(mod_outputs, sequence_length, batch_size)
            else:
                final_cell_state, final_output = cell_states[-1], outputs[-1]
            if is_list:
                outputs = tf.unstack(outputs)
            return outputs, Tuple(final_cell_state, final_output)

        def _gather_states(self, data, indices, batch_size):
            return tf.gather_nd(data, tf.stack([indices, tf.range(batch_size)], axis=1))

        def _call_cell(self, inputs, initial_cell_state=None, initial_output=None, dtype=None,
                       sequence_length=None):
            time_len = inputs.get_shape().with_rank(3).dims[0].value
            if time_len is None:
                time_len = tf.shape(inputs)[0]
            if self._use_peephole:
                wci, wco, wcf = self._w_i_diag, self._w_o_diag, self._w_f_diag
            else:
                wci = wcf = wco = tf.zeros([self._num_units], dtype=dtype)
            if sequence_length is None:
                max_seq_len = tf.cast(time_len, tf.int64)
            else:
                max_seq_len = tf.cast(tf.reduce_max(sequence_length), tf.int64)
            _, cs, _, _, _, _, h = tf.raw_ops.BlockLSTM(
                seq_len_max=max_seq_len, x=inputs, cs_prev=initial_cell_state, h_prev=initial_output,
                w=self._kernel, wci=wci, wcf=wcf, wco=wco, b=self._bias, forget_bias=self._forget_bias,
                cell_clip=self._cell_clip, use_peephole=self._use_peephole)
            return cs, h

    class GRUBlockCell(legacy_cells.LayerRNNCell):
        names = ("w_ru", "b_ru", "w_c", "b_c")

        def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
            super().__init__(_reuse=reuse, name=name)
            if (cell_size is None) == (num_units is None):
                raise ValueError("Exactly one of num_units or cell_size must be provided.")
            self._cell_size = num_units if num_units is not None else cell_size
            self.input_spec = InputSpec(ndim=2)

        state_size = property(lambda self: self._cell_size)
        output_size = property(lambda self: self._cell_size)

        def build(self, input_shape):
            input_size = tf.compat.dimension_value(input_shape[1])
            if input_size is None:
                raise ValueError("Expecting input_size to be set.")
            n, (w_ru, b_ru, w_c, b_c) = self._cell_size, self.names
            self._gate_kernel = self.add_weight(w_ru, [input_size + n, n * 2])
            self._gate_bias = self.add_weight(b_ru, [n * 2], initializer=tf.constant_initializer(1.0))
            self._candidate_kernel = self.add_weight(w_c, [input_size + n, n])
            self._candidate_bias = self.add_weight(b_c, [n], initializer=tf.constant_initializer(0.0))
            self.built = True

        def call(self, inputs, h_prev):
            cell_size = h_prev.get_shape().with_rank(2)[1]
            if cell_size != self._cell_size:
                raise ValueError(f"Shape of h_prev[1] incorrect: cell_size {self._cell_size} vs {cell_size}")
            _, _, _, new_h = tf.raw_ops.GRUBlockCell(x=inputs, h_prev=h_prev, w_ru=self._gate_kernel,
                                                     w_c=self._candidate_kernel, b_ru=self._gate_bias,
                                                     b_c=self._candidate_bias)
            return new_h, new_h

    class GRUBlockCellV2(GRUBlockCell):
        names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")

    layers = contrib_layers(tf)

    class LayerNormBasicLSTMCell(tf.nn.rnn_cell.RNNCell):
        def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=tf.tanh, layer_norm=True,
                     norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0, dropout_prob_seed=None, reuse=None):
            super().__init__(_reuse=reuse)
            self._num_units, self._activation, self._forget_bias = num_units, activation, forget_bias
            self._keep_prob, self._seed, self._layer_norm = dropout_keep_prob, dropout_prob_seed, layer_norm
            self._norm_gain, self._norm_shift = norm_gain, norm_shift

        state_size = property(lambda self: Tuple(self._num_units, self._num_units))
        output_size = property(lambda self: self._num_units)

        def _norm(self, inp, scope, dtype=tf.float32):
            shape = inp.get_shape()[-1:]
            with tf.variable_scope(scope):
                tf.get_variable("gamma", shape=shape, initializer=tf.constant_initializer(self._norm_gain),
                                dtype=dtype)
                tf.get_variable("beta", shape=shape, initializer=tf.constant_initializer(self._norm_shift),
                                dtype=dtype)
            return layers.layer_norm(inp, reuse=True, scope=scope)

        def _linear(self, args):
            out_size = 4 * self._num_units
            weights = tf.get_variable("kernel", [args.get_shape()[-1], out_size], dtype=args.dtype)
            out = tf.matmul(args, weights)
            if not self._layer_norm:
                out = tf.nn.bias_add(out, tf.get_variable("bias", [out_size], dtype=args.dtype))
            return out

        def call(self, inputs, state):
            c, h = state
            args = tf.concat([inputs, h], 1)
            concat = self._linear(args)
            dtype = args.dtype
            i, j, f, o = tf.split(value=concat, num_or_size_splits=4, axis=1)
            if self._layer_norm:
                i = self._norm(i, "input", dtype=dtype)
                j = self._norm(j, "transform", dtype=dtype)
                f = self._norm(f, "forget", dtype=dtype)
                o = self._norm(o, "output", dtype=dtype)
            g = self._activation(j)
            if (not isinstance(self._keep_prob, float)) or self._keep_prob < 1:
                g = tf.nn.dropout(g, self._keep_prob, seed=self._seed)
            new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
            if self._layer_norm:
                new_c = self._norm(new_c, "state", dtype=dtype)
            new_h = self._activation(new_c) * tf.sigmoid(o)
            return new_h, Tuple(new_c, new_h)

    class Namespace:
        pass
    ns = Namespace()
    for c in (LSTMBlockCell, LSTMBlockFusedCell, GRUBlockCell, GRUBlockCellV2, LayerNormBasicLSTMCell):
        setattr(ns, c.__name__, c)
    return ns


def _rnn(tf):
    return tf.contrib.rnn if hasattr(tf, "contrib") else _tf115(tf)


def _det(seed):
    rng = np.random.default_rng(seed)
    return lambda shape, dtype=None, partition_info=None: rng.uniform(-0.5, 0.5, size=shape).astype(np.float32)


def _variables(tf):
    return [[v.name, v.shape.as_list()] for v in tf.global_variables()]


def _train_values(tf, fetches, loss, feed=None):
    """The fetches, and the gradients of `loss` for every trainable variable, after initializing."""
    grads = [g for g in tf.gradients(loss, tf.trainable_variables()) if g is not None]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(list(fetches) + grads, feed)


def case_lstm_block_cell_dynamic_rnn(tf):
    rnn = _rnn(tf)
    x = tf.placeholder(tf.float32, [None, 4, 3])
    data = np.random.default_rng(10).standard_normal((2, 4, 3)).astype(np.float32)
    out = []
    for k, kwargs in enumerate(({}, {"use_peephole": True, "cell_clip": 0.5, "forget_bias": 0.3})):
        with tf.variable_scope(f"m{k}", initializer=_det(k)):
            cell = rnn.LSTMBlockCell(3, **kwargs)
            y, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, sequence_length=[4, 2])
        out.append([sig(y), sig(state.c), sig(state.h), cell.output_size, list(cell.state_size)])
        out.append(_train_values(tf, [y, state], tf.reduce_sum(y * y) + tf.reduce_sum(state.c), {x: data}))
    return [_variables(tf), out]


def case_lstm_block_cell_static_rnn(tf):
    rnn = _rnn(tf)
    data = np.random.default_rng(11).standard_normal((3, 2, 4)).astype(np.float32)
    with tf.variable_scope("s", initializer=_det(3)):
        cell = rnn.LSTMBlockCell(2, use_peephole=True, name="block")
        ys, state = tf.nn.static_rnn(cell, tf.unstack(tf.constant(data)), dtype=tf.float32)
    types = sorted({op.type for op in tf.get_default_graph().get_operations()})
    return [_variables(tf), [sig(t) for t in ys], types,
            _train_values(tf, ys + [state], tf.add_n([tf.reduce_sum(t) for t in ys]))]


def case_lstm_block_fused_cell(tf):
    rnn = _rnn(tf)
    x = tf.placeholder(tf.float32, [5, None, 3])
    data = np.random.default_rng(12).standard_normal((5, 3, 3)).astype(np.float32)
    out = []
    with tf.variable_scope("f", initializer=_det(4)):
        plain = rnn.LSTMBlockFusedCell(4)
        y, state = plain(x, dtype=tf.float32)
        out.append([sig(y), sig(state.c), _train_values(tf, [y, state], tf.reduce_sum(y * y), {x: data})])
        peep = rnn.LSTMBlockFusedCell(2, use_peephole=True, cell_clip=0.2, forget_bias=0.0)
        init = (tf.ones([3, 2]) * 0.5, tf.zeros([3, 2]))
        y2, state2 = peep(x, initial_state=init, sequence_length=[5, 2, 0])
        out.append([sig(y2), sig(state2.h), _train_values(tf, [y2, state2], tf.reduce_sum(y2) +
                                                           tf.reduce_sum(state2.c), {x: data})])
    return [_variables(tf), out]


def case_gru_block_cells(tf):
    rnn = _rnn(tf)
    x = tf.placeholder(tf.float32, [None, 3, 2])
    data = np.random.default_rng(13).standard_normal((2, 3, 2)).astype(np.float32)
    out = []
    with tf.variable_scope("g", initializer=_det(5)):
        for k, cell in enumerate((rnn.GRUBlockCell(3), rnn.GRUBlockCellV2(num_units=2),
                                  rnn.GRUBlockCell(cell_size=2, name="old"))):
            with tf.variable_scope(f"r{k}"):
                y, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, sequence_length=[3, 1])
            out.append([sig(y), sig(state), _train_values(tf, [y, state], tf.reduce_sum(y * y), {x: data})])
        ys, last = tf.nn.static_rnn(rnn.GRUBlockCellV2(2), tf.unstack(tf.constant(data), axis=1), dtype=tf.float32)
        out.append([[sig(t) for t in ys], _train_values(tf, ys + [last], tf.reduce_sum(last))])
    return [_variables(tf), out]


def case_layer_norm_basic_lstm_cell(tf):
    rnn = _rnn(tf)
    x = tf.placeholder(tf.float32, [2, 4, 3])
    data = np.random.default_rng(14).standard_normal((2, 4, 3)).astype(np.float32)
    out = []
    for k, kwargs in enumerate(({}, {"layer_norm": False, "forget_bias": 0.5},
                                {"norm_gain": 0.7, "norm_shift": 0.2})):
        with tf.variable_scope(f"ln{k}", initializer=_det(6 + k)):
            cell = rnn.LayerNormBasicLSTMCell(3, **kwargs)
            y, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        out.append([sig(y), sig(state.c), _train_values(tf, [y, state], tf.reduce_sum(y * y), {x: data})])
    with tf.variable_scope("st", initializer=_det(9)):
        ys, _ = tf.nn.static_rnn(rnn.LayerNormBasicLSTMCell(2), tf.unstack(tf.constant(data), axis=1),
                                 dtype=tf.float32)
    return [_variables(tf), out, [sig(t) for t in ys], _train_values(tf, ys, tf.reduce_sum(ys[-1]))]


def _in_call(fn):
    """error_text of an error raised in a layer's `call`, less the "in user code" frames TF 2.21 puts first."""
    out = error_text(fn)
    return [out[0], out[1].split(out[0] + ": ")[-1]]


def case_cell_errors(tf):
    rnn = _rnn(tf)
    return [error_text(lambda: rnn.GRUBlockCell()),
            error_text(lambda: rnn.GRUBlockCell(2, cell_size=2)),
            error_text(lambda: rnn.LSTMBlockCell(2)(tf.placeholder(tf.float32, [2, None]), (tf.zeros([2, 2]),) * 2)),
            _in_call(lambda: rnn.LSTMBlockCell(2)(tf.zeros([2, 3]), (tf.zeros([2, 2]),) * 3)),
            error_text(lambda: rnn.LSTMBlockCell(2)(tf.zeros([2, 3, 1]), (tf.zeros([2, 2]),) * 2)),
            error_text(lambda: rnn.GRUBlockCell(2)(tf.placeholder(tf.float32, [2, None]), tf.zeros([2, 2]))),
            _in_call(lambda: rnn.GRUBlockCell(2)(tf.zeros([2, 3]), tf.zeros([2, 3]))),
            _in_call(lambda: rnn.LSTMBlockFusedCell(2)(tf.zeros([3, 2, 4]))),
            _in_call(lambda: rnn.LSTMBlockFusedCell(2)(tf.zeros([3, 2, 4]), initial_state=(tf.zeros([2, 2]),))),
            error_text(lambda: rnn.LSTMBlockFusedCell(2)(tf.zeros([2, 4]), dtype=tf.float32))]

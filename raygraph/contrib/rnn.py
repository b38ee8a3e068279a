"""`tf.contrib.rnn`: TF 1.x's home of the RNN cells and the statically unrolled RNNs, with contrib's own
additions as TF 1.15 had them: the projection and embedding wrappers (core_rnn_cell), the stacked
bidirectional RNNs, the fused cells over the block ops (LSTMBlockCell, LSTMBlockFusedCell, GRUBlockCell,
ops/rnn_ops.py) and LayerNormBasicLSTMCell."""
import math

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import device, name_scope
from ..initializers import constant_initializer, random_uniform_initializer
from ..layers.base import InputSpec, Layer
from ..nest import is_nested
from ..ops import rnn_ops  # noqa: F401 - the block ops' table entries
from ..ops.array import expand_dims, reshape, transpose
from ..ops.array import shape as shape_of
from ..ops.embedding import embedding_lookup
from ..ops.filling import range as range_
from ..ops.filling import zeros
from ..ops.joining import concat, split, stack, tile, unstack
from ..ops.linalg import matmul
from ..ops.math import cast, sigmoid, tanh
from ..ops.nn import bias_add, dropout
from ..ops.reduction import reduce_max
from ..ops.registry import apply_op
from ..ops.sequences import sequence_mask
from ..ops.slicing import gather_nd
from ..rnn import bidirectional_dynamic_rnn, static_bidirectional_rnn, static_rnn  # noqa: F401
from ..rnn_cell import (  # noqa: F401
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LayerRNNCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
)
from ..variable_scope import get_variable, get_variable_scope, variable_scope
from .layers import layer_norm


def _linear_inputs(args):
    """core_rnn_cell's checks of a linear map's inputs: `args` (a [batch, n] tensor or a list of them) as a
    list, their total depth and their dtype."""
    if args is None or (is_nested(args) and not args):
        raise ValueError("`args` must be specified")
    args = list(args) if is_nested(args) else [args]
    shapes = [a.get_shape() for a in args]
    for shape in shapes:
        if shape.ndims != 2:
            raise ValueError(f"linear is expecting 2D arguments: {shapes}")
        if shape.dims[1].value is None:
            raise ValueError(f"linear expects shape[1] to be provided for shape {shape}, but saw {shape[1]}")
    return args, sum(shape.dims[1].value for shape in shapes), args[0].dtype


class _Linear:
    """sum_i(args[i] W[i]) (+ bias): `kernel` [total input depth, output_size] and `bias` made once, in the
    variable scope current when it is built (contrib's core_rnn_cell._Linear)."""

    def __init__(self, args, output_size, build_bias, bias_initializer=None, kernel_initializer=None):
        self._is_sequence = args is not None and is_nested(args)
        _, total, dtype = _linear_inputs(args)
        with variable_scope(get_variable_scope()) as outer:
            self._weights = get_variable("kernel", [total, output_size], dtype=dtype, initializer=kernel_initializer)
            self._biases = None
            if build_bias:
                with variable_scope(outer) as inner:
                    inner.set_partitioner(None)
                    self._biases = get_variable("bias", [output_size], dtype=dtype, initializer=(
                        bias_initializer or constant_initializer(0.0, dtype=dtype)))

    def __call__(self, args):
        args = list(args) if self._is_sequence else [args]
        res = matmul(args[0] if len(args) == 1 else concat(args, 1), self._weights)
        return res if self._biases is None else bias_add(res, self._biases)


def _check_cell(cell):
    if not all(hasattr(cell, a) for a in ("output_size", "state_size", "zero_state")) or not callable(cell):
        raise TypeError("The parameter cell is not RNNCell.")


class _CoreWrapper(RNNCell):
    """A cell around another (contrib's core_rnn_cell wrappers): its state, and zero state in a
    `<Wrapper>ZeroState` name scope, are the wrapped cell's."""

    def __init__(self, cell, reuse=None):
        super().__init__(_reuse=reuse)
        _check_cell(cell)
        self._cell = cell

    state_size = property(lambda self: self._cell.state_size)
    output_size = property(lambda self: self._cell.output_size)

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


class EmbeddingWrapper(_CoreWrapper):
    """Embeds integer inputs (`embedding` [embedding_classes, embedding_size], on the CPU) before the cell."""

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super().__init__(cell, reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError(f"Both embedding_classes and embedding_size must be > 0: {embedding_classes}, "
                             f"{embedding_size}.")
        self._embedding_classes, self._embedding_size = embedding_classes, embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        with device("/cpu:0"):
            # variance 1 by default: uniform on [-sqrt(3), sqrt(3)]
            initializer = self._initializer or get_variable_scope().initializer or \
                random_uniform_initializer(-math.sqrt(3), math.sqrt(3))
            dtype = state[0].dtype if isinstance(state, tuple) else state.dtype
            embedding = get_variable("embedding", [self._embedding_classes, self._embedding_size],
                                     initializer=initializer, dtype=dtype)
            embedded = embedding_lookup(embedding, reshape(inputs, [-1]))
            return self._cell(embedded, state)


class InputProjectionWrapper(_CoreWrapper):
    """Projects the inputs to `num_proj` (then `activation`) before the cell."""

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(cell, reuse)
        self._num_proj, self._activation, self._linear = num_proj, activation, None

    def call(self, inputs, state):
        if self._linear is None:
            self._linear = _Linear(inputs, self._num_proj, True)
        projected = self._linear(inputs)
        return self._cell(self._activation(projected) if self._activation else projected, state)


class OutputProjectionWrapper(_CoreWrapper):
    """Projects the cell's output to `output_size` (then `activation`)."""

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, reuse)
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        self._output_size, self._activation, self._linear = output_size, activation, None

    output_size = property(lambda self: self._output_size)

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        if self._linear is None:
            self._linear = _Linear(output, self._output_size, True)
        projected = self._linear(output)
        return (self._activation(projected) if self._activation else projected), new_state


def _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    for cells, side in ((cells_fw, "fw"), (cells_bw, "bw")):
        if not cells:
            raise ValueError(f"Must specify at least one {side} cell for BidirectionalRNN.")
    for cells, side in ((cells_fw, "fw"), (cells_bw, "bw")):
        if not isinstance(cells, list):
            raise ValueError(f"cells_{side} must be a list of RNNCells (one per layer).")  # noqa: TRY004 - as TF
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for states, side in ((initial_states_fw, "fw"), (initial_states_bw, "bw")):
        if states is not None and (not isinstance(states, list) or len(states) != len(cells_fw)):
            raise ValueError(f"initial_states_{side} must be a list of state tensors (one per layer).")


def _layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    for i, (fw, bw) in enumerate(zip(cells_fw, cells_bw)):
        yield i, fw, bw, initial_states_fw[i] if initial_states_fw else None, \
            initial_states_bw[i] if initial_states_bw else None


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None, dtype=None,
                            sequence_length=None, scope=None):
    """Bidirectional static RNN layers, each layer's concatenated outputs the next one's inputs:
    (outputs, forward states per layer, backward states per layer)."""
    _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, layer = [], [], inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, fw, bw, init_fw, init_bw in _layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
            with variable_scope(f"cell_{i}") as cell_scope:
                layer, state_fw, state_bw = static_bidirectional_rnn(
                    fw, bw, layer, initial_state_fw=init_fw, initial_state_bw=init_bw,
                    sequence_length=sequence_length, dtype=dtype, scope=cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None,
                                    dtype=None, sequence_length=None, parallel_iterations=None, time_major=False,
                                    scope=None, swap_memory=False):
    """Bidirectional dynamic RNN layers, each layer's outputs concatenated on their depth for the next."""
    _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw, layer = [], [], inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, fw, bw, init_fw, init_bw in _layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
            with variable_scope(f"cell_{i}"):
                outputs, (state_fw, state_bw) = bidirectional_dynamic_rnn(
                    fw, bw, layer, initial_state_fw=init_fw, initial_state_bw=init_bw,
                    sequence_length=sequence_length, parallel_iterations=parallel_iterations, dtype=dtype,
                    swap_memory=swap_memory, time_major=time_major)
                layer = concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer, tuple(states_fw), tuple(states_bw)


# ----- the fused cells (TF 1.15's contrib/rnn/python/ops/lstm_ops.py and gru_ops.py) --------------------------
def _lstm_block_cell(x, cs_prev, h_prev, w, b, wci=None, wcf=None, wco=None, forget_bias=None, cell_clip=None,
                     use_peephole=None, name=None):
    """One LSTMBlockCell op: (i, cs, f, o, ci, co, h); no peepholes (zeros) unless given."""
    if wci is None:
        cell_size = cs_prev.get_shape().with_rank(2).dims[1].value
        if cell_size is None:
            raise ValueError("cell_size from `cs_prev` should not be None.")
        wci = wcf = wco = constant(0, dtype=dtypes.float32, shape=[cell_size])
    attrs = {"forget_bias": 1.0 if forget_bias is None else float(forget_bias),
             "cell_clip": -1.0 if cell_clip is None else float(cell_clip), "use_peephole": bool(use_peephole)}
    return apply_op("LSTMBlockCell", [x, cs_prev, h_prev, w, wci, wcf, wco, b], attrs, name=name)


def _block_lstm_attrs(forget_bias, cell_clip, use_peephole):
    return {"forget_bias": float(forget_bias), "cell_clip": float(cell_clip), "use_peephole": bool(use_peephole)}


def _add_lstm_variables(cell, input_depth):
    """LSTMCell's variables, as the block cells make them: `kernel` [input_depth + n, 4n], `bias` (zeros) and,
    with peepholes, `w_i_diag`, `w_f_diag`, `w_o_diag`."""
    n = cell._num_units
    cell._kernel = cell.add_variable("kernel", [input_depth + n, n * 4])
    cell._bias = cell.add_variable("bias", [n * 4], initializer=constant_initializer(0.0))
    if cell._use_peephole:
        cell._w_i_diag, cell._w_f_diag, cell._w_o_diag = (cell.add_variable(f"w_{g}_diag", [n]) for g in "ifo")
    cell.built = True


class LSTMBlockCell(LayerRNNCell):
    """An LSTM cell (gates i, ci, f, o) in one `LSTMBlockCell` op; its variables are LSTMCell's (`kernel`,
    `bias`, and `w_i_diag`, `w_f_diag`, `w_o_diag` with peepholes)."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, dtype=None, reuse=None,
                 name="lstm_cell"):
        super().__init__(_reuse=reuse, dtype=dtype, name=name)
        self._num_units, self._forget_bias, self._use_peephole = num_units, forget_bias, use_peephole
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self.input_spec = InputSpec(ndim=2)

    state_size = property(lambda self: LSTMStateTuple(self._num_units, self._num_units))
    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        if not inputs_shape.dims[1].value:
            raise ValueError(f"Expecting inputs_shape[1] to be set: {inputs_shape}")
        _add_lstm_variables(self, inputs_shape.dims[1].value)

    def call(self, inputs, state):
        if len(state) != 2:
            raise ValueError("Expecting state to be a tuple with length 2.")
        if self._use_peephole:
            wci, wcf, wco = self._w_i_diag, self._w_f_diag, self._w_o_diag
        else:
            wci = wcf = wco = zeros([self._num_units], dtype=self.dtype)
        cs_prev, h_prev = state
        _, cs, _, _, _, _, h = _lstm_block_cell(inputs, cs_prev, h_prev, self._kernel, self._bias, wci=wci, wcf=wcf,
                                                wco=wco, forget_bias=self._forget_bias, cell_clip=self._cell_clip,
                                                use_peephole=self._use_peephole)
        return h, LSTMStateTuple(cs, h)


class LSTMBlockWrapper(Layer):
    """A layer running an LSTM over a whole time-major sequence [time, batch, input] (a list of [batch, input]
    steps gives a list back): subclasses give `num_units` and `_call_cell`. Outputs past each `sequence_length`
    are zeros; the final state is each sequence's last."""

    num_units = property(lambda self: NotImplemented)

    def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, sequence_length):
        raise NotImplementedError

    def call(self, inputs, initial_state=None, dtype=None, sequence_length=None):
        is_list = isinstance(inputs, list)
        if is_list:
            inputs = stack(inputs)
        inputs_shape = inputs.get_shape().with_rank(3)
        if not inputs_shape[2]:
            raise ValueError(f"Expecting inputs_shape[2] to be set: {inputs_shape}")
        batch_size = inputs_shape.dims[1].value
        if batch_size is None:
            batch_size = shape_of(inputs)[1]
        time_len = inputs_shape.dims[0].value
        if time_len is None:
            time_len = shape_of(inputs)[0]
        if initial_state is None:
            if dtype is None:
                raise ValueError("Either initial_state or dtype needs to be specified")
            z = zeros(stack([batch_size, self.num_units]), dtype=dtype)
            initial_state = z, z
        else:
            if len(initial_state) != 2:
                raise ValueError("Expecting initial_state to be a tuple with length 2 or None")
            if dtype is None:
                dtype = initial_state[0].dtype
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length)
        initial_cell_state, initial_output = initial_state
        cell_states, outputs = self._call_cell(inputs, initial_cell_state, initial_output, dtype, sequence_length)
        if sequence_length is not None:
            mask = transpose(sequence_mask(sequence_length, time_len, dtype=dtype), [1, 0])
            mask = tile(expand_dims(mask, [-1]), [1, 1, self.num_units])
            outputs *= mask
            # the initial state first, so that sequence_length - 1 = -1 picks it
            mod_cell_states = concat([expand_dims(initial_cell_state, [0]), cell_states], 0)
            mod_outputs = concat([expand_dims(initial_output, [0]), outputs], 0)
            final_cell_state = self._gather_states(mod_cell_states, sequence_length, batch_size)
            final_output = self._gather_states(mod_outputs, sequence_length, batch_size)
        else:
            final_cell_state, final_output = cell_states[-1], outputs[-1]
        if is_list:
            outputs = unstack(outputs)
        return outputs, LSTMStateTuple(final_cell_state, final_output)

    def _gather_states(self, data, indices, batch_size):
        return gather_nd(data, stack([indices, range_(batch_size)], axis=1))


class LSTMBlockFusedCell(LSTMBlockWrapper):
    """The whole sequence in one `BlockLSTM` op; variables as LSTMBlockCell's."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, reuse=None, dtype=None,
                 name="lstm_fused_cell"):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units, self._forget_bias, self._use_peephole = num_units, forget_bias, use_peephole
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self.input_spec = InputSpec(ndim=3)

    num_units = property(lambda self: self._num_units)

    def build(self, input_shape):
        _add_lstm_variables(self, input_shape.dims[2].value)

    def _call_cell(self, inputs, initial_cell_state=None, initial_output=None, dtype=None, sequence_length=None):
        time_len = inputs.get_shape().with_rank(3).dims[0].value
        if time_len is None:
            time_len = shape_of(inputs)[0]
        if self._use_peephole:
            wci, wco, wcf = self._w_i_diag, self._w_o_diag, self._w_f_diag
        else:
            wci = wcf = wco = zeros([self._num_units], dtype=dtype)
        if sequence_length is None:
            max_seq_len = cast(time_len, dtypes.int64)
        else:
            max_seq_len = cast(reduce_max(sequence_length), dtypes.int64)
        _, cs, _, _, _, _, h = apply_op(
            "BlockLSTM", [max_seq_len, inputs, initial_cell_state, initial_output, self._kernel, wci, wcf, wco,
                          self._bias], _block_lstm_attrs(self._forget_bias, self._cell_clip, self._use_peephole))
        return cs, h


class GRUBlockCell(LayerRNNCell):
    """A GRU cell in one `GRUBlockCell` op: variables `w_ru`, `b_ru` (the gates, bias 1) and `w_c`, `b_c`."""

    _names = ("w_ru", "b_ru", "w_c", "b_c")

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        super().__init__(_reuse=reuse, name=name)
        if (cell_size is None) == (num_units is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        self._cell_size = num_units if num_units is not None else cell_size
        self.input_spec = InputSpec(ndim=2)

    state_size = property(lambda self: self._cell_size)
    output_size = property(lambda self: self._cell_size)

    def build(self, input_shape):
        input_size = input_shape[1].value
        if input_size is None:
            raise ValueError("Expecting input_size to be set.")
        n, (w_ru, b_ru, w_c, b_c) = self._cell_size, self._names
        self._gate_kernel = self.add_variable(w_ru, [input_size + n, n * 2])
        self._gate_bias = self.add_variable(b_ru, [n * 2], initializer=constant_initializer(1.0))
        self._candidate_kernel = self.add_variable(w_c, [input_size + n, n])
        self._candidate_bias = self.add_variable(b_c, [n], initializer=constant_initializer(0.0))
        self.built = True

    def call(self, inputs, h_prev):
        cell_size = h_prev.get_shape().with_rank(2)[1]
        if cell_size != self._cell_size:
            raise ValueError(f"Shape of h_prev[1] incorrect: cell_size {self._cell_size} vs {cell_size}")
        _, _, _, new_h = apply_op("GRUBlockCell", [inputs, h_prev, self._gate_kernel, self._candidate_kernel,
                                                   self._gate_bias, self._candidate_bias])
        return new_h, new_h


class GRUBlockCellV2(GRUBlockCell):
    """GRUBlockCell with GRUCell's variable names (`gates/kernel`, `gates/bias`, `candidate/kernel`, ...)."""

    _names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


# ----- LayerNormBasicLSTMCell (TF 1.15's contrib/rnn/python/ops/rnn_cell.py) -----------------------------------
class LayerNormBasicLSTMCell(RNNCell):
    """A basic LSTM whose gates (and new cell state) are layer-normalized before their nonlinearities, with
    recurrent dropout on the candidate; variables `kernel` (and `bias` without layer norm), and `gamma` and
    `beta` in scopes `input`, `transform`, `forget`, `output`, `state`."""

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=tanh, layer_norm=True,
                 norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0, dropout_prob_seed=None, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units, self._activation, self._forget_bias = num_units, activation, forget_bias
        self._keep_prob, self._seed, self._layer_norm = dropout_keep_prob, dropout_prob_seed, layer_norm
        self._norm_gain, self._norm_shift = norm_gain, norm_shift

    state_size = property(lambda self: LSTMStateTuple(self._num_units, self._num_units))
    output_size = property(lambda self: self._num_units)

    def _norm(self, inp, scope, dtype=dtypes.float32):
        shape_ = inp.get_shape()[-1:]
        with variable_scope(scope):
            get_variable("gamma", shape=shape_, initializer=constant_initializer(self._norm_gain), dtype=dtype)
            get_variable("beta", shape=shape_, initializer=constant_initializer(self._norm_shift), dtype=dtype)
        return layer_norm(inp, reuse=True, scope=scope)

    def _linear(self, args):
        out_size = 4 * self._num_units
        weights = get_variable("kernel", [args.get_shape()[-1], out_size], dtype=args.dtype)
        out = matmul(args, weights)
        if not self._layer_norm:
            out = bias_add(out, get_variable("bias", [out_size], dtype=args.dtype))
        return out

    def call(self, inputs, state):
        c, h = state
        args = concat([inputs, h], 1)
        gates = self._linear(args)
        dtype = args.dtype
        i, j, f, o = split(value=gates, num_or_size_splits=4, axis=1)
        if self._layer_norm:
            i, j, f, o = (self._norm(t, name, dtype=dtype) for t, name in
                          ((i, "input"), (j, "transform"), (f, "forget"), (o, "output")))
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = dropout(g, self._keep_prob, seed=self._seed)
        new_c = c * sigmoid(f + self._forget_bias) + sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state", dtype=dtype)
        new_h = self._activation(new_c) * sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)

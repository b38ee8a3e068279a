"""`tf.contrib.rnn`: TF 1.x's home of the RNN cells and the statically unrolled RNNs, with contrib's own
additions as TF 1.15 had them: the projection and embedding wrappers (core_rnn_cell) and the stacked
bidirectional RNNs."""
import math

from ..default_graph import device, name_scope
from ..initializers import constant_initializer, random_uniform_initializer
from ..nest import is_nested
from ..ops.array import reshape
from ..ops.embedding import embedding_lookup
from ..ops.joining import concat
from ..ops.linalg import matmul
from ..ops.nn import bias_add
from ..rnn import bidirectional_dynamic_rnn, static_bidirectional_rnn, static_rnn  # noqa: F401
from ..rnn_cell import (  # noqa: F401
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
)
from ..variable_scope import get_variable, get_variable_scope, variable_scope


class _Linear:
    """sum_i(args[i] W[i]) (+ bias): `kernel` [total input depth, output_size] and `bias` made once, in the
    variable scope current when it is built (contrib's core_rnn_cell._Linear)."""

    def __init__(self, args, output_size, build_bias, bias_initializer=None, kernel_initializer=None):
        if args is None or (is_nested(args) and not args):
            raise ValueError("`args` must be specified")
        self._is_sequence = is_nested(args)
        args = list(args) if self._is_sequence else [args]
        shapes = [a.get_shape() for a in args]
        total = 0
        for shape in shapes:
            if shape.ndims != 2:
                raise ValueError(f"linear is expecting 2D arguments: {shapes}")
            if shape.dims[1].value is None:
                raise ValueError(f"linear expects shape[1] to be provided for shape {shape}, but saw {shape.dims[1]}")
            total += shape.dims[1].value
        dtype = args[0].dtype
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

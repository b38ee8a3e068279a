"""`tf.nn.rnn_cell`: TF1's RNN cells, as TF 2.21's `tf.compat.v1.nn.rnn_cell` (tf_keras' legacy_cells and
legacy_cell_wrappers) builds them.

A cell is a `tf.layers.Layer` called as `cell(inputs, state) -> (output, new_state)`. The weighted cells
(BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell) make their weights in `build`, in the layer's own variable scope
(`rnn/basic_lstm_cell/kernel` inside `static_rnn`). MultiRNNCell and DropoutWrapper hold no weights of their own:
MultiRNNCell runs its cells in scopes `cell_<i>` inside its own; a DropoutWrapper calls its cell in the scope
where the wrapper is called. States are tensors or (nested) tuples of them, e.g. `LSTMStateTuple(c, h)`.
"""
import collections
import hashlib
import numbers

from . import dtypes
from .convert import convert_to_tensor
from .default_graph import device, name_scope
from .initializers import constant_initializer, zeros_initializer
from .layers.base import InputSpec, Layer
from .nest import flatten, is_nested, map_structure, pack_sequence_as  # noqa: F401 - rnn.py's too
from .ops.array import expand_dims
from .ops.clip import clip_by_value
from .ops.filling import zeros
from .ops.joining import concat, split
from .ops.linalg import matmul
from .ops.math import add, divide, floor, multiply, sigmoid, tanh
from .ops.nn import bias_add, dropout, elu, relu, relu6, selu, softplus, softsign
from .ops.random import random_uniform
from .ops.shape_fns import constant_value
from .ops.slicing import slice as slice_
from .shape import TensorShape
from .tensor import Tensor
from .variable_scope import get_variable_scope, variable_scope

_ACTIVATIONS = {"tanh": tanh, "sigmoid": sigmoid, "relu": relu, "relu6": relu6, "elu": elu, "selu": selu,
                "softplus": softplus, "softsign": softsign, "linear": lambda x: x}


# ----- the base cell ---------------------------------------------------------------------------------------
def _check_supported_dtypes(dtype):
    if dtype is None:
        return
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_complex):
        raise ValueError(f"RNN cell only supports floating point inputs, but received dtype: {dtype}")


def _check_rnn_cell_input_dtypes(inputs):
    for t in flatten(inputs):
        _check_supported_dtypes(t.dtype)


def _activation(activation):
    if not activation:
        return tanh
    return _ACTIVATIONS[activation] if isinstance(activation, str) else activation


def _concat_shape(prefix, suffix, static=False):
    """[prefix..., suffix...] as an int32 tensor, or as a static list (TF's rnn_cell_impl._concat)."""
    def part(x):
        if isinstance(x, Tensor):
            value = constant_value(x)
            static_part = None if value is None else [int(v) for v in (value.reshape(-1))]
            return (expand_dims(x, 0) if x.shape.ndims == 0 else x), static_part
        shape = TensorShape(x)
        static_part = shape.as_list() if shape.ndims is not None else None
        return (convert_to_tensor(shape.as_list(), dtype=dtypes.int32) if shape.is_fully_defined() else None,
                static_part)
    p, p_static = part(prefix)
    s, s_static = part(suffix)
    if static:
        shape = TensorShape(p_static).concatenate(s_static)
        return shape.as_list() if shape.ndims is not None else None
    if p is None or s is None:
        raise ValueError(f"Prefix or suffix can't be None. Received prefix = {prefix} and suffix = {suffix}")
    return concat((p, s), 0)


def _zero_state_tensors(state_size, batch_size, dtype):
    def zeros_for(s):
        z = zeros(_concat_shape(batch_size, s), dtype=dtype)
        z.set_shape(_concat_shape(batch_size, s, static=True))
        return z
    return map_structure(zeros_for, state_size)


class RNNCell(Layer):
    """An RNN cell: `cell(inputs, state)` returns `(output, new_state)`; `state_size`, `output_size`, `zero_state`."""

    def __call__(self, inputs, state, scope=None):
        if scope is not None:
            with variable_scope(scope) as scope:
                return Layer.__call__(self, inputs, state, scope=scope)
        if getattr(self, "_rnncell_scope", None) is None:
            self._rnncell_scope = get_variable_scope()  # re-entered on every call, as TF does
        with variable_scope(self._rnncell_scope):
            return Layer.__call__(self, inputs, state)

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            batch_size = inputs.shape.dims[0].value if inputs.shape.dims[0].value else None
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(f"batch_size and dtype cannot be None while constructing initial state: "
                             f"batch_size={batch_size}, dtype={dtype}")
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size, dtype):
        """Zero-filled state tensor(s) of shape [batch_size, s] for each s in `state_size`."""
        with name_scope(type(self).__name__ + "ZeroState"):
            return _zero_state_tensors(self.state_size, batch_size, dtype)


class LayerRNNCell(RNNCell):
    """A cell whose weights are made in `build`, called as a plain layer (no captured scope)."""

    def __call__(self, inputs, state, scope=None, *args, **kwargs):
        return Layer.__call__(self, inputs, state, *args, scope=scope, **kwargs)


def _input_depth(input_shape, dtype):
    _check_supported_dtypes(dtype)
    depth = TensorShape(input_shape)[-1]
    depth = depth.value if hasattr(depth, "value") else depth
    if depth is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, received shape: {TensorShape(input_shape)}")
    return depth


class _WeightedCell(LayerRNNCell):
    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self.dtype)
        self.input_spec = InputSpec(ndim=2)
        self._num_units = num_units
        self._activation = _activation(activation)

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def _zeros(self):
        return zeros_initializer(dtype=self._dtype or dtypes.float32)


# ----- the cells -------------------------------------------------------------------------------------------
class BasicRNNCell(_WeightedCell):
    """output = new_state = activation(W [inputs, state] + b)."""

    def build(self, input_shape):
        depth = _input_depth(input_shape, self.dtype)
        self._kernel = self.add_weight("kernel", shape=[depth + self._num_units, self._num_units])
        self._bias = self.add_weight("bias", shape=[self._num_units], initializer=self._zeros())
        self.built = True

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        output = self._activation(bias_add(matmul(concat([inputs, state], 1), self._kernel), self._bias))
        return output, output


class GRUCell(_WeightedCell):
    """Gated recurrent unit: `gates/{kernel,bias}` (bias 1.0 by default) and `candidate/{kernel,bias}`."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None, bias_initializer=None,
                 name=None, dtype=None, **kwargs):
        super().__init__(num_units, activation, reuse, name, dtype, **kwargs)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, input_shape):
        depth, n = _input_depth(input_shape, self.dtype), self._num_units
        dtype = self._dtype or dtypes.float32
        self._gate_kernel = self.add_weight("gates/kernel", shape=[depth + n, 2 * n],
                                            initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight("gates/bias", shape=[2 * n], initializer=(
            self._bias_initializer if self._bias_initializer is not None else constant_initializer(1.0, dtype)))
        self._candidate_kernel = self.add_weight("candidate/kernel", shape=[depth + n, n],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight("candidate/bias", shape=[n], initializer=(
            self._bias_initializer if self._bias_initializer is not None else self._zeros()))
        self.built = True

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        gates = sigmoid(bias_add(matmul(concat([inputs, state], 1), self._gate_kernel), self._gate_bias))
        r, u = split(value=gates, num_or_size_splits=2, axis=1)
        candidate = bias_add(matmul(concat([inputs, r * state], 1), self._candidate_kernel), self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state `(c, h)`: the cell state and the output."""
    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent dtypes for internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


class BasicLSTMCell(_WeightedCell):
    """LSTM without peepholes, clipping or projection; `forget_bias` is added to the forget gate."""

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(num_units, activation, reuse, name, dtype, **kwargs)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    def build(self, input_shape):
        depth, n = _input_depth(input_shape, self.dtype), self._num_units
        self._kernel = self.add_weight("kernel", shape=[depth + n, 4 * n])
        self._bias = self.add_weight("bias", shape=[4 * n], initializer=self._zeros())
        self.built = True

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        one = convert_to_tensor(1, dtype=dtypes.int32)
        c, h = state if self._state_is_tuple else split(value=state, num_or_size_splits=2, axis=one)
        gate_inputs = bias_add(matmul(concat([inputs, h], 1), self._kernel), self._bias)
        i, j, f, o = split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias = convert_to_tensor(self._forget_bias, dtype=f.dtype)
        new_c = add(multiply(c, sigmoid(add(f, forget_bias))), multiply(sigmoid(i), self._activation(j)))
        new_h = multiply(self._activation(new_c), sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else concat([new_c, new_h], 1)
        return new_h, new_state


class LSTMCell(_WeightedCell):
    """LSTM with optional peepholes (`w_f_diag`, `w_i_diag`, `w_o_diag`), cell clipping and a projection."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0, state_is_tuple=True,
                 activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(num_units, activation, reuse, name, dtype, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("LSTMCell: num_unit_shards and num_proj_shards (partitioned weights)")
        self._use_peepholes, self._cell_clip, self._initializer = use_peepholes, cell_clip, initializer
        self._num_proj, self._proj_clip = num_proj, proj_clip
        self._forget_bias, self._state_is_tuple = forget_bias, state_is_tuple
        h = num_proj if num_proj else num_units
        self._state_size = LSTMStateTuple(num_units, h) if state_is_tuple else num_units + h
        self._output_size = h

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def build(self, input_shape):
        depth, n = _input_depth(input_shape, self.dtype), self._num_units
        h_depth = n if self._num_proj is None else self._num_proj
        self._kernel = self.add_weight("kernel", shape=[depth + h_depth, 4 * n], initializer=self._initializer)
        self._bias = self.add_weight("bias", shape=[4 * n], initializer=self._zeros())
        if self._use_peepholes:
            self._w_f_diag, self._w_i_diag, self._w_o_diag = (
                self.add_weight(w, shape=[n], initializer=self._initializer)
                for w in ("w_f_diag", "w_i_diag", "w_o_diag"))
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/kernel", shape=[n, self._num_proj],
                                                initializer=self._initializer)
        self.built = True

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        n = self._num_units
        num_proj = n if self._num_proj is None else self._num_proj
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = slice_(state, [0, 0], [-1, n])
            m_prev = slice_(state, [0, n], [-1, num_proj])
        if inputs.shape.with_rank(2).dims[1].value is None:
            raise ValueError(f"Could not infer input size from inputs.get_shape()[-1].Received input shape: "
                             f"{inputs.shape}")
        lstm_matrix = bias_add(matmul(concat([inputs, m_prev], 1), self._kernel), self._bias)
        i, j, f, o = split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        return m, (LSTMStateTuple(c, m) if self._state_is_tuple else concat([c, m], 1))


class MultiRNNCell(RNNCell):
    """Cells run in sequence, each in a scope `cell_<i>`; the state is a tuple of theirs (or their concatenation)."""

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not is_nested(cells):
            raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
        self._cells = cells
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(is_nested(c.state_size) for c in cells):
            raise ValueError(f"Some cells return tuples of states, but the flag state_is_tuple is not set. State "
                             f"sizes are: {[c.state_size for c in cells]}")

    @property
    def state_size(self):
        sizes = tuple(cell.state_size for cell in self._cells)
        return sizes if self._state_is_tuple else sum(sizes)

    output_size = property(lambda self: self._cells[-1].output_size)

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super().zero_state(batch_size, dtype)

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [w for cell in self._cells if isinstance(cell, Layer) for w in cell.trainable_weights]

    @property
    def non_trainable_weights(self):
        weights = [w for cell in self._cells if isinstance(cell, Layer) for w in cell.non_trainable_weights]
        if not self.trainable:
            return [w for cell in self._cells if isinstance(cell, Layer) for w in cell.trainable_weights] + weights
        return weights

    weights = variables = property(lambda self: self.trainable_weights + self.non_trainable_weights)
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def call(self, inputs, state):
        position, current, new_states = 0, inputs, []
        for i, cell in enumerate(self._cells):
            with variable_scope(f"cell_{i}"):
                if self._state_is_tuple:
                    if not is_nested(state):
                        raise ValueError(f"Expected state to be a tuple of length {len(self.state_size)}, but "
                                         f"received: {state}")
                    cell_state = state[i]
                else:
                    cell_state = slice_(state, [0, position], [-1, cell.state_size])
                    position += cell.state_size
                current, new_state = cell(current, cell_state)
                new_states.append(new_state)
        return current, (tuple(new_states) if self._state_is_tuple else concat(new_states, 1))


# ----- wrappers --------------------------------------------------------------------------------------------
def _default_dropout_state_filter(substate):
    return LSTMStateTuple(c=False, h=True) if isinstance(substate, LSTMStateTuple) else True


def _shallow_filter(filter_fn, structure):
    """Which parts of `structure` to drop out, as booleans down to where `filter_fn` decides (TF's
    get_traverse_shallow_structure: True on a nested part means look inside it)."""
    answer = filter_fn(structure)
    if not is_nested(structure):
        if not isinstance(answer, bool):
            raise TypeError(f"dropout_state_filter_visitor returned {answer!r} for a leaf {structure!r}")
        return answer
    if answer is True:
        answer = type(structure)(*[True] * len(structure)) if hasattr(structure, "_fields") else [True] * len(
            structure)
    if answer is False:
        return False
    items = [(_shallow_filter(filter_fn, s) if a is True and is_nested(s) else a) for a, s in zip(answer, structure)]
    return type(structure)(*items) if hasattr(structure, "_fields") else type(structure)(items)


def _enumerate_up_to(shallow, fn, *structures):
    """fn(i, *leaves) over `shallow`'s leaves (a boolean leaf stands for a whole substructure), packed as `shallow`."""
    counter = iter(range(1 << 30))

    def walk(s, *values):
        if not is_nested(s):
            return fn(next(counter), s, *values)
        items = [walk(*parts) for parts in zip(s, *values)]
        return type(s)(*items) if hasattr(s, "_fields") else type(s)(items)
    return walk(shallow, *structures)


class _Wrapper(RNNCell):
    """A cell around another: its sizes, zero state (in a `<Wrapper>ZeroState` scope) and build are the
    wrapped cell's."""

    def __init__(self, cell, **kwargs):
        super().__init__(**kwargs)
        self.cell = cell

    wrapped_cell = property(lambda self: self.cell)
    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)

    def build(self, input_shape):
        self.cell.build(input_shape)
        self.built = True


class DropoutWrapper(_Wrapper):
    """Dropout on a cell's inputs, outputs and states (never on an LSTM's `c`), with a new mask each step or, with
    `variational_recurrent`, one mask per run."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None, **kwargs):
        super().__init__(cell, dtype=dtype, **kwargs)
        if not (hasattr(cell, "output_size") and hasattr(cell, "state_size") and callable(cell)):
            raise TypeError(f"The argument 'cell' ({cell}) is not an RNNCell: 'output_size' property is missing, "
                            f"'state_size' property is missing, either 'zero_state' or 'get_initial_state' method "
                            f"is required, is not callable.")
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError(f"dropout_state_filter_visitor must be callable. Received: "
                            f"{dropout_state_filter_visitor}")
        self._dropout_state_filter = dropout_state_filter_visitor or _default_dropout_state_filter
        with name_scope("DropoutWrapperInit"):
            for prob, attr in ((input_keep_prob, "input_keep_prob"), (state_keep_prob, "state_keep_prob"),
                               (output_keep_prob, "output_keep_prob")):
                tensor = convert_to_tensor(prob)
                value = constant_value(tensor)
                if value is not None:
                    if value < 0 or value > 1:
                        raise ValueError(f"Parameter {attr} must be between 0 and 1. Received {value}")
                    setattr(self, f"_{attr}", float(value))
                else:
                    setattr(self, f"_{attr}", tensor)
        self._variational_recurrent, self._input_size, self._seed = variational_recurrent, input_size, seed
        self._recurrent_input_noise = self._recurrent_state_noise = self._recurrent_output_noise = None
        if variational_recurrent:
            self._make_recurrent_noise(cell, input_size, dtype)

    def _make_recurrent_noise(self, cell, input_size, dtype):
        if dtype is None:
            raise ValueError("When variational_recurrent=True, dtype must be provided")

        def noise(prefix):
            def draw(i, s):
                shape = concat(([1], [s] if isinstance(s, int) else TensorShape(s).as_list()), 0)
                return random_uniform(shape, seed=self._gen_seed(prefix, i), dtype=dtype)
            return draw
        if not isinstance(self._input_keep_prob, numbers.Real) or self._input_keep_prob < 1.0:
            if input_size is None:
                raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, "
                                 "input_size must be provided")
            self._recurrent_input_noise = _enumerate_up_to(input_size, noise("input"))
        self._recurrent_state_noise = _enumerate_up_to(cell.state_size, noise("state"))
        self._recurrent_output_noise = _enumerate_up_to(cell.output_size, noise("output"))

    def _gen_seed(self, salt_prefix, index):
        if self._seed is None:
            return None
        text = (str(self._seed) + f"{salt_prefix}_{index}").encode("utf-8")
        return int(hashlib.md5(text).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout(self, values, salt_prefix, recurrent_noise, keep_prob, shallow=None):
        shallow = values if shallow is None else shallow

        def apply(i, do_dropout, value, noise=None):
            if isinstance(do_dropout, bool) and not do_dropout:
                return value
            if not self._variational_recurrent:
                return dropout(value, rate=1.0 - keep_prob, seed=self._gen_seed(salt_prefix, i))
            out = divide(value, keep_prob) * floor(keep_prob + noise)
            out.set_shape(value.shape)
            return out
        if self._variational_recurrent:
            return _enumerate_up_to(shallow, apply, values, recurrent_noise)
        return _enumerate_up_to(shallow, apply, values)

    def __call__(self, inputs, state, scope=None):
        def should_dropout(p):
            return not isinstance(p, float) or p < 1
        if should_dropout(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._recurrent_input_noise, self._input_keep_prob)
        output, new_state = self.cell(inputs, state, scope=scope)
        if should_dropout(self._state_keep_prob):
            shallow = _shallow_filter(self._dropout_state_filter, new_state)
            new_state = self._dropout(new_state, "state", self._recurrent_state_noise, self._state_keep_prob,
                                      shallow)
        if should_dropout(self._output_keep_prob):
            output = self._dropout(output, "output", self._recurrent_output_noise, self._output_keep_prob)
        return output, new_state


def _map2(fn, a, b):
    """fn over the matching leaves of two nested tuples/lists (TF's nest.map_structure for two structures)."""
    if isinstance(a, (tuple, list)):
        if not isinstance(b, (tuple, list)) or len(a) != len(b):
            raise ValueError(f"The two structures don't have the same nested structure: {a} and {b}")
        out = [_map2(fn, x, y) for x, y in zip(a, b)]
        return type(a)(*out) if hasattr(a, "_fields") else type(a)(out)
    return fn(a, b)


class ResidualWrapper(_Wrapper):
    """A cell whose output is its inputs plus the wrapped cell's output (or `residual_fn(inputs, outputs)`)."""

    def __init__(self, cell, residual_fn=None, **kwargs):
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self.cell(inputs, state, scope=scope)

        def add(inp, out):
            inp.shape.assert_is_compatible_with(out.shape)
            return inp + out
        residual = self._residual_fn or (lambda i, o: _map2(add, i, o))
        return residual(inputs, outputs), new_state


class DeviceWrapper(_Wrapper):
    """A cell whose ops (and zero state) are placed on `device`."""

    def __init__(self, cell, device, **kwargs):
        super().__init__(cell, **kwargs)
        self._device = device

    def zero_state(self, batch_size, dtype):
        with device(self._device):
            return super().zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        with device(self._device):
            return self.cell(inputs, state, scope=scope)

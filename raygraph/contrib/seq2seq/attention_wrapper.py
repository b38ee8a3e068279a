"""`tf.contrib.seq2seq`'s attention (TF 1.15): attention mechanisms over a memory (an encoder's outputs) and
`AttentionWrapper`, an RNN cell that mixes each input with the previous attention, runs the wrapped cell, scores
its output against the memory's keys and keeps the attention (context, or a layer over cell output and
context), the alignments and their history in an `AttentionWrapperState`.

Luong's score is query . keys (times a learnt `attention_g` with `scale`); Bahdanau's is
v . tanh(keys + W query) (weight-normalized with `normalize`). Keys are the memory through a bias-free
`memory_layer`; entries past `memory_sequence_length` are zeroed in the memory and scored -inf."""
import collections
import functools
import math

import numpy as np

from ... import dtypes
from ...convert import convert_to_tensor
from ...default_graph import name_scope
from ...graph import get_default_graph
from ...initializers import constant_initializer, ones_initializer, zeros_initializer
from ...layers.base import Layer
from ...layers.core import Dense
from ...functional import scan
from ...nest import flatten, map_structure
from ...ops.array import expand_dims, identity, rank, reshape, shape, squeeze, transpose
from ...ops.checks import assert_equal, assert_positive
from ...ops.clip import clip_by_value
from ...ops.filling import one_hot, ones, ones_like, zeros
from ...ops.joining import concat
from ...ops.linalg import matmul
from ...ops.cumulative import cumprod
from ...ops.math import cast, exp, log, rsqrt, sigmoid, square, tanh
from ...ops.nn import softmax
from ...ops.random import random_normal
from ...ops.reduction import argmax, cumsum, reduce_sum
from ...ops.sequences import sequence_mask
from ...ops.slicing import where
from ...ops.tensor_array import TensorArray
from ...rnn import _check_cell
from ...rnn_cell import RNNCell, _zero_state_tensors
from ...shape import TensorShape, dimension_value
from ...tensor import Tensor
from ...variable_scope import get_variable, variable_scope
from ..framework import with_same_shape


class AttentionMechanism:
    @property
    def alignments_size(self):
        raise NotImplementedError

    @property
    def state_size(self):
        raise NotImplementedError


def _prepare_memory(memory, memory_sequence_length=None, check_inner_dims_defined=True):
    """`memory` as tensors, zeroed past each entry's `memory_sequence_length`."""
    memory = map_structure(lambda m: convert_to_tensor(m, name="memory"), memory)
    if memory_sequence_length is not None:
        memory_sequence_length = convert_to_tensor(memory_sequence_length, name="memory_sequence_length")
    if check_inner_dims_defined:
        for m in flatten(memory):
            if not m.shape[2:].is_fully_defined():
                raise ValueError(f"Expected memory {m.name} to have fully defined inner dims, but saw shape: "
                                 f"{m.shape}")
    if memory_sequence_length is None:
        return memory
    first = flatten(memory)[0]
    seq_len_mask = sequence_mask(memory_sequence_length, maxlen=shape(first)[1], dtype=first.dtype)

    def masked(m):
        ndims = m.shape.ndims
        extra_ones = ones((ndims if ndims is not None else rank(m)) - 2, dtype=dtypes.int32)
        return m * reshape(seq_len_mask, concat((shape(seq_len_mask), extra_ones), 0))
    return map_structure(masked, memory)


def _maybe_mask_score(score, memory_sequence_length=None, score_mask_value=None):
    if memory_sequence_length is None:
        return score
    message = "All values in memory_sequence_length must be greater than zero."
    with get_default_graph().control_dependencies([assert_positive(memory_sequence_length, message=message)]):
        memory_mask = sequence_mask(memory_sequence_length, maxlen=shape(score)[1])
    return where(memory_mask, score, score_mask_value * ones_like(score))


class _BaseAttentionMechanism(AttentionMechanism):
    """Keeps the query and memory layers, the (masked) memory as `values` and the memory layer's output as
    `keys`."""

    def __init__(self, query_layer, memory, probability_fn, memory_sequence_length=None, memory_layer=None,
                 check_inner_dims_defined=True, score_mask_value=None, custom_key_value_fn=None, name=None):
        for what, layer in (("query_layer", query_layer), ("memory_layer", memory_layer)):
            if layer is not None and not isinstance(layer, Layer):
                raise TypeError(f"{what} is not a Layer: {type(layer).__name__}")
        self._query_layer, self._memory_layer = query_layer, memory_layer
        self.dtype = memory_layer.dtype
        if not callable(probability_fn):
            raise TypeError(f"probability_fn must be callable, saw type: {type(probability_fn).__name__}")
        if score_mask_value is None:
            score_mask_value = dtypes.as_dtype(self._memory_layer.dtype).as_numpy_dtype(-np.inf)
        self._probability_fn = lambda score, prev: probability_fn(
            _maybe_mask_score(score, memory_sequence_length=memory_sequence_length,
                              score_mask_value=score_mask_value), prev)
        with name_scope(name, "BaseAttentionMechanismInit", flatten(memory)):
            self._values = _prepare_memory(memory, memory_sequence_length=memory_sequence_length,
                                           check_inner_dims_defined=check_inner_dims_defined)
            self._keys = self.memory_layer(self._values) if self.memory_layer else self._values
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = dimension_value(self._keys.shape[0]) or shape(self._keys)[0]
            self._alignments_size = dimension_value(self._keys.shape[1]) or shape(self._keys)[1]

    memory_layer = property(lambda self: self._memory_layer)
    query_layer = property(lambda self: self._query_layer)
    values = property(lambda self: self._values)
    keys = property(lambda self: self._keys)
    batch_size = property(lambda self: self._batch_size)
    alignments_size = property(lambda self: self._alignments_size)
    state_size = property(lambda self: self._alignments_size)

    def initial_alignments(self, batch_size, dtype):
        return _zero_state_tensors(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size, dtype):
        return self.initial_alignments(batch_size, dtype)


def _luong_score(query, keys, scale):
    depth, key_units = query.shape[-1], keys.shape[-1]
    if depth != key_units:
        raise ValueError(f"Incompatible or unknown inner dimensions between query and keys.  Query ({query}) has "
                         f"units: {depth}.  Keys ({keys}) have units: {key_units}.  Perhaps you need to set "
                         f"num_units to the keys' dimension ({key_units})?")
    score = squeeze(matmul(expand_dims(query, 1), keys, transpose_b=True), [1])
    return score if scale is None else scale * score


def _projection(num_units, name, dtype):
    """A mechanism's bias-free query or memory layer."""
    return Dense(num_units, name=name, use_bias=False, dtype=dtype or dtypes.float32)


def _probability(probability_fn):
    fn = probability_fn if probability_fn is not None else softmax
    return lambda score, _: fn(score)


class LuongAttention(_BaseAttentionMechanism):
    """Multiplicative attention: score = query . keys (times `attention_g` with `scale=True`)."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False, probability_fn=None,
                 score_mask_value=None, dtype=None, custom_key_value_fn=None, name="LuongAttention"):
        super().__init__(query_layer=None,
                         memory_layer=_projection(num_units, "memory_layer", dtype),
                         memory=memory, probability_fn=_probability(probability_fn),
                         memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
                         custom_key_value_fn=custom_key_value_fn, name=name)
        self._num_units, self._scale, self._name = num_units, scale, name

    def __call__(self, query, state):
        with variable_scope(None, "luong_attention", [query]):
            attention_g = get_variable("attention_g", dtype=query.dtype, initializer=ones_initializer,
                                       shape=()) if self._scale else None
            score = _luong_score(query, self._keys, attention_g)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_score(processed_query, keys, attention_v, attention_g=None, attention_b=None):
    processed_query = expand_dims(processed_query, 1)
    if attention_g is not None and attention_b is not None:
        normed_v = attention_g * attention_v * rsqrt(reduce_sum(square(attention_v)))
        return reduce_sum(normed_v * tanh(keys + processed_query + attention_b), [2])
    return reduce_sum(attention_v * tanh(keys + processed_query), [2])


class BahdanauAttention(_BaseAttentionMechanism):
    """Additive attention: score = v . tanh(keys + W query) (weight-normalized with `normalize=True`)."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False, probability_fn=None,
                 score_mask_value=None, dtype=None, custom_key_value_fn=None, name="BahdanauAttention"):
        super().__init__(query_layer=_projection(num_units, "query_layer", dtype),
                         memory_layer=_projection(num_units, "memory_layer", dtype),
                         memory=memory, probability_fn=_probability(probability_fn),
                         custom_key_value_fn=custom_key_value_fn, memory_sequence_length=memory_sequence_length,
                         score_mask_value=score_mask_value, name=name)
        self._num_units, self._normalize, self._name = num_units, normalize, name

    def __call__(self, query, state):
        with variable_scope(None, "bahdanau_attention", [query]):
            score, _ = _bahdanau_query_score(self, query)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_query_score(mechanism, query):
    """(Bahdanau's score of `query`, the processed query), with the variables (attention_v; attention_g and
    attention_b when normalized)."""
    processed_query = mechanism.query_layer(query) if mechanism.query_layer else query
    units = mechanism._num_units
    attention_v = get_variable("attention_v", [units], dtype=query.dtype)
    attention_g = attention_b = None
    if mechanism._normalize:
        attention_g = get_variable("attention_g", dtype=query.dtype, shape=(),
                                   initializer=constant_initializer(math.sqrt(1. / units)))
        attention_b = get_variable("attention_b", [units], dtype=query.dtype, initializer=zeros_initializer())
    return _bahdanau_score(processed_query, mechanism._keys, attention_v, attention_g, attention_b), processed_query


def safe_cumprod(x, *args, **kwargs):
    """cumprod(x) computed as exp(cumsum(log(x))) (x clipped to [tiny, 1]): no underflow for small factors."""
    with name_scope(None, "SafeCumprod", [x]):
        x = convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return exp(cumsum(log(clip_by_value(x, tiny, 1)), *args, **kwargs))


def monotonic_attention(p_choose_i, previous_attention, mode):
    """The monotonic attention distribution (Raffel et al. 2017) from the probabilities of choosing each memory
    entry and the previous step's attention: exactly by a scan ('recursive'), in closed form ('parallel'), or for
    0/1 probabilities ('hard')."""
    p_choose_i = convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        batch_size = dimension_value(p_choose_i.shape[0]) or shape(p_choose_i)[0]
        shifted_1mp_choose_i = concat([ones((batch_size, 1)), 1 - p_choose_i[:, :-1]], 1)
        return p_choose_i * transpose(scan(lambda x, yz: reshape(yz[0] * x + yz[1], (batch_size,)),
                                           [transpose(shifted_1mp_choose_i), transpose(previous_attention)],
                                           zeros((batch_size,))))
    if mode == "parallel":
        cumprod_1mp_choose_i = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        return p_choose_i * cumprod_1mp_choose_i * cumsum(
            previous_attention / clip_by_value(cumprod_1mp_choose_i, 1e-10, 1.), axis=1)
    if mode == "hard":
        p_choose_i *= cumsum(previous_attention, axis=1)
        return p_choose_i * cumprod(1 - p_choose_i, axis=1, exclusive=True)
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode, seed=None):
    if sigmoid_noise > 0:
        score += sigmoid_noise * random_normal(shape(score), dtype=score.dtype, seed=seed)
    p_choose_i = cast(score > 0, score.dtype) if mode == "hard" else sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
    """Starts from all attention on the memory's first entry."""

    def initial_alignments(self, batch_size, dtype):
        return one_hot(zeros((batch_size,), dtype=dtypes.int32), self._alignments_size, dtype=dtype)


def _monotonic(sigmoid_noise, mode, seed):
    return functools.partial(_monotonic_probability_fn, sigmoid_noise=sigmoid_noise, mode=mode, seed=seed)


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Bahdanau's score plus a learnt bias, through the monotonic attention distribution."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False, score_mask_value=None,
                 sigmoid_noise=0., sigmoid_noise_seed=None, score_bias_init=0., mode="parallel", dtype=None,
                 name="BahdanauMonotonicAttention"):
        super().__init__(query_layer=_projection(num_units, "query_layer", dtype),
                         memory_layer=_projection(num_units, "memory_layer", dtype),
                         memory=memory, probability_fn=_monotonic(sigmoid_noise, mode, sigmoid_noise_seed),
                         memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value, name=name)
        self._num_units, self._normalize, self._name = num_units, normalize, name
        self._score_bias_init = score_bias_init

    def __call__(self, query, state):
        with variable_scope(None, "bahdanau_monotonic_attention", [query]):
            score, processed_query = _bahdanau_query_score(self, query)
            score += get_variable("attention_score_bias", dtype=processed_query.dtype,
                                  initializer=self._score_bias_init)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Luong's score plus a learnt bias, through the monotonic attention distribution."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False, score_mask_value=None,
                 sigmoid_noise=0., sigmoid_noise_seed=None, score_bias_init=0., mode="parallel", dtype=None,
                 name="LuongMonotonicAttention"):
        super().__init__(query_layer=None,
                         memory_layer=_projection(num_units, "memory_layer", dtype),
                         memory=memory, probability_fn=_monotonic(sigmoid_noise, mode, sigmoid_noise_seed),
                         memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value, name=name)
        self._num_units, self._scale, self._name = num_units, scale, name
        self._score_bias_init = score_bias_init

    def __call__(self, query, state):
        with variable_scope(None, "luong_monotonic_attention", [query]):
            attention_g = get_variable("attention_g", dtype=query.dtype, initializer=ones_initializer,
                                       shape=()) if self._scale else None
            score = _luong_score(query, self._keys, attention_g)
            score += get_variable("attention_score_bias", dtype=query.dtype, initializer=self._score_bias_init)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def hardmax(logits, name=None):
    """One-hot vectors at each row's largest logit."""
    with name_scope(name, "Hardmax", [logits]):
        logits = convert_to_tensor(logits, name="logits")
        depth = dimension_value(logits.shape[-1])
        if depth is None:
            depth = shape(logits)[-1]
        return one_hot(argmax(logits, -1), depth, dtype=logits.dtype)


class AttentionWrapperState(collections.namedtuple("AttentionWrapperState", (
        "cell_state", "attention", "time", "alignments", "alignment_history", "attention_state"))):
    """The state of an `AttentionWrapper`."""

    def clone(self, **kwargs):
        """This state with the given fields replaced (each new tensor checked to have the old one's shape)."""
        def with_same(old, new):
            if isinstance(old, Tensor) and isinstance(new, Tensor):
                return with_same_shape(old, new)
            return new
        return map_structure(with_same, self, super()._replace(**kwargs))


def _compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    """(attention, alignments, next attention state) of one mechanism for the cell's output."""
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    context = squeeze(matmul(expand_dims(alignments, 1), attention_mechanism.values), [1])
    attention = attention_layer(concat([cell_output, context], 1)) if attention_layer is not None else context
    return attention, alignments, next_attention_state


class AttentionWrapper(RNNCell):
    """Wraps `cell` with one or more attention mechanisms."""

    def __init__(self, cell, attention_mechanism, attention_layer_size=None, alignment_history=False,
                 cell_input_fn=None, output_attention=True, initial_cell_state=None, name=None, attention_layer=None,
                 attention_fn=None):
        super().__init__(name=name)
        _check_cell("cell", cell)
        self._is_multi = isinstance(attention_mechanism, (list, tuple))
        if self._is_multi:
            mechanisms = attention_mechanism
            for m in mechanisms:
                if not isinstance(m, AttentionMechanism):
                    raise TypeError(f"attention_mechanism must contain only instances of AttentionMechanism, saw "
                                    f"type: {type(m).__name__}")
        else:
            if not isinstance(attention_mechanism, AttentionMechanism):
                raise TypeError(f"attention_mechanism must be an AttentionMechanism or list of multiple "
                                f"AttentionMechanism instances, saw type: {type(attention_mechanism).__name__}")
            mechanisms = (attention_mechanism,)
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: concat([inputs, attention], -1)  # noqa: E731
        elif not callable(cell_input_fn):
            raise TypeError(f"cell_input_fn must be callable, saw type: {type(cell_input_fn).__name__}")
        if attention_layer_size is not None and attention_layer is not None:
            raise ValueError("Only one of attention_layer_size and attention_layer should be set")
        if attention_layer_size is not None:
            sizes = tuple(attention_layer_size if isinstance(attention_layer_size, (list, tuple))
                          else (attention_layer_size,))
            if len(sizes) != len(mechanisms):
                raise ValueError(f"If provided, attention_layer_size must contain exactly one integer per "
                                 f"attention_mechanism, saw: {len(sizes)} vs {len(mechanisms)}")
            self._attention_layers = tuple(Dense(s, name="attention_layer", use_bias=False, dtype=mechanisms[i].dtype)
                                           for i, s in enumerate(sizes))
            self._attention_layer_size = sum(sizes)
        elif attention_layer is not None:
            self._attention_layers = tuple(attention_layer if isinstance(attention_layer, (list, tuple))
                                           else (attention_layer,))
            if len(self._attention_layers) != len(mechanisms):
                raise ValueError(f"If provided, attention_layer must contain exactly one layer per "
                                 f"attention_mechanism, saw: {len(self._attention_layers)} vs {len(mechanisms)}")
            self._attention_layer_size = sum(
                dimension_value(layer.compute_output_shape(TensorShape(
                    [None, cell.output_size + dimension_value(m.values.shape[-1])]))[-1])
                for layer, m in zip(self._attention_layers, mechanisms))
        else:
            self._attention_layers = None
            self._attention_layer_size = sum(dimension_value(m.values.shape[-1]) for m in mechanisms)
        self._attention_fn = attention_fn or _compute_attention
        self._cell, self._attention_mechanisms = cell, tuple(mechanisms)
        self._cell_input_fn, self._output_attention = cell_input_fn, output_attention
        self._alignment_history = alignment_history
        with name_scope(name, "AttentionWrapperInit"):
            if initial_cell_state is None:
                self._initial_cell_state = None
            else:
                final = flatten(initial_cell_state)[-1]
                state_batch_size = dimension_value(final.shape[0]) or shape(final)[0]
                message = (f"When constructing AttentionWrapper {self._base_name}: Non-matching batch sizes between "
                           "the memory (encoder output) and initial_cell_state.  Are you using the "
                           "BeamSearchDecoder?  You may need to tile your initial state via the "
                           "tf.contrib.seq2seq.tile_batch function with argument multiple=beam_width.")
                with get_default_graph().control_dependencies(self._batch_size_checks(state_batch_size, message)):
                    self._initial_cell_state = map_structure(
                        lambda s: identity(s, name="check_initial_cell_state"), initial_cell_state)

    def _batch_size_checks(self, batch_size, error_message):
        return [assert_equal(batch_size, m.batch_size, message=error_message) for m in self._attention_mechanisms]

    def _item_or_tuple(self, seq):
        t = tuple(seq)
        return t if self._is_multi else t[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        return AttentionWrapperState(
            cell_state=self._cell.state_size, time=TensorShape([]), attention=self._attention_layer_size,
            alignments=self._item_or_tuple(a.alignments_size for a in self._attention_mechanisms),
            attention_state=self._item_or_tuple(a.state_size for a in self._attention_mechanisms),
            alignment_history=self._item_or_tuple(a.alignments_size if self._alignment_history else ()
                                                  for a in self._attention_mechanisms))

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.get_initial_state(batch_size=batch_size, dtype=dtype)
            message = (f"When calling zero_state of AttentionWrapper {self._base_name}: Non-matching batch sizes "
                       "between the memory (encoder output) and the requested batch size.  Are you using the "
                       "BeamSearchDecoder?  If so, make sure your encoder output has been tiled to beam_width via "
                       "tf.contrib.seq2seq.tile_batch, and the batch_size= argument passed to zero_state is "
                       "batch_size * beam_width.")
            with get_default_graph().control_dependencies(self._batch_size_checks(batch_size, message)):
                cell_state = map_structure(lambda s: identity(s, name="checked_cell_state"), cell_state)
            initial_alignments = [m.initial_alignments(batch_size, dtype) for m in self._attention_mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state, time=zeros([], dtype=dtypes.int32),
                attention=_zero_state_tensors(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(initial_alignments),
                attention_state=self._item_or_tuple(m.initial_state(batch_size, dtype)
                                                    for m in self._attention_mechanisms),
                alignment_history=self._item_or_tuple(
                    TensorArray(dtype, size=0, dynamic_size=True, element_shape=a.shape)
                    if self._alignment_history else () for a in initial_alignments))

    def call(self, inputs, state):
        if not isinstance(state, AttentionWrapperState):
            raise TypeError(f"Expected state to be instance of AttentionWrapperState. Received type {type(state)} "
                            f"instead.")
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        cell_batch_size = dimension_value(cell_output.shape[0]) or shape(cell_output)[0]
        message = (f"When applying AttentionWrapper {self.name}: Non-matching batch sizes between the memory "
                   "(encoder output) and the query (decoder output).  Are you using the BeamSearchDecoder?  You may "
                   "need to tile your memory input via the tf.contrib.seq2seq.tile_batch function with argument "
                   "multiple=beam_width.")
        with get_default_graph().control_dependencies(self._batch_size_checks(cell_batch_size, message)):
            cell_output = identity(cell_output, name="checked_cell_output")
        if self._is_multi:
            previous_states, previous_histories = state.attention_state, state.alignment_history
        else:
            previous_states, previous_histories = [state.attention_state], [state.alignment_history]
        alignments_all, attentions, attention_states, histories = [], [], [], []
        for i, mechanism in enumerate(self._attention_mechanisms):
            attention, alignments, next_attention_state = self._attention_fn(
                mechanism, cell_output, previous_states[i],
                self._attention_layers[i] if self._attention_layers else None)
            histories.append(previous_histories[i].write(state.time, alignments) if self._alignment_history else ())
            attention_states.append(next_attention_state)
            alignments_all.append(alignments)
            attentions.append(attention)
        attention = concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(attention_states), alignments=self._item_or_tuple(alignments_all),
            alignment_history=self._item_or_tuple(histories))
        return (attention if self._output_attention else cell_output), next_state

"""`tf.contrib.seq2seq`'s beam search (TF 1.15): `BeamSearchDecoder`, which keeps `beam_width` hypotheses per
batch entry, scores each continuation by its total log probability (over a length penalty, plus a coverage
penalty over attention), keeps the best `beam_width`, and at the end traces the chosen beams back through
their parents (`gather_tree`); `tile_batch` repeats a batch's entries for it.

Cell states travel as [batch, beam, ...] between steps and as [batch * beam, ...] through the cell; a
finished beam puts all its mass on `end_token` and keeps its length."""
import collections

import numpy as np

from ... import dtypes
from ...convert import convert_to_tensor
from ...default_graph import name_scope
from ...graph import get_default_graph
from ...layers.base import Layer
from ...logging import warning
from ...nest import flatten, map_structure
from ...ops.array import expand_dims, reshape, shape, size, transpose
from ...ops.beam_search import gather_tree
from ...ops.control import Assert
from ...ops.control_flow import cond
from ...ops.filling import fill, one_hot, ones_like, range as range_, zeros
from ...ops.joining import concat, stack, tile
from ...ops.math import cast, div, equal, log, logical_and, logical_not, logical_or, minimum, mod, to_int64
from ...ops.nn import log_softmax
from ...ops.ranking import top_k
from ...ops.reduction import reduce_all, reduce_max, reduce_mean, reduce_sum
from ...ops.sequences import sequence_mask
from ...ops.shape_fns import constant_value
from ...ops.slicing import gather, gather_nd, where
from ...ops.tensor_array import TensorArray
from ...rnn import _check_cell
from ...shape import TensorShape
from ...tensor import Tensor
from .attention_wrapper import AttentionWrapperState
from .decoder import Decoder, rnn_output_size
from .helper import embedding_fn, start_end_tokens


class BeamSearchDecoderState(collections.namedtuple("BeamSearchDecoderState", (
        "cell_state", "log_probs", "finished", "lengths", "accumulated_attention_probs"))):
    pass


class BeamSearchDecoderOutput(collections.namedtuple("BeamSearchDecoderOutput",
                                                     ("scores", "predicted_ids", "parent_ids"))):
    pass


class FinalBeamSearchDecoderOutput(collections.namedtuple("FinalBeamDecoderOutput",
                                                          ["predicted_ids", "beam_search_decoder_output"])):
    """The final beams (`predicted_ids`, best first) and the search's per-step `BeamSearchDecoderOutput`."""


def _tile_batch(t, multiplier):
    t = convert_to_tensor(t, name="t")
    shape_t = shape(t)
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError("t must have statically known rank")
    tiling = [1] * (t.shape.ndims + 1)
    tiling[1] = multiplier
    batch = t.shape.dims[0].value
    tiled = tile(expand_dims(t, 1), tiling)
    tiled = reshape(tiled, concat(([shape_t[0] * multiplier], shape_t[1:]), 0))
    tiled.set_shape(TensorShape([batch * multiplier if batch is not None else None]).concatenate(t.shape[1:]))
    return tiled


def tile_batch(t, multiplier, name=None):
    """Each batch entry of (each tensor of) `t` repeated `multiplier` times: [batch * multiplier, ...]."""
    flat_t = flatten(t)
    with name_scope(name, "tile_batch", flat_t + [multiplier]):
        return map_structure(lambda t_: _tile_batch(t_, multiplier), t)


def _dim(t, i):
    return t.shape.dims[i].value or shape(t)[i]


def gather_tree_from_array(t, parent_ids, sequence_length):
    """A stacked TensorArray's [max_time, batch * beam, ...] entries reordered along the final beams."""
    max_time, batch_size, beam_width = (_dim(parent_ids, i) for i in range(3))
    beam_ids = tile(expand_dims(expand_dims(range_(beam_width), 0), 0), [max_time, batch_size, 1])
    max_sequence_lengths = cast(reduce_max(sequence_length, axis=1), dtypes.int32)
    sorted_beam_ids = gather_tree(step_ids=beam_ids, parent_ids=parent_ids,
                                  max_sequence_lengths=max_sequence_lengths, end_token=beam_width + 1)
    in_bound_steps = transpose(sequence_mask(sequence_length, maxlen=max_time), perm=[2, 0, 1])
    sorted_beam_ids = where(in_bound_steps, x=sorted_beam_ids, y=beam_ids)
    time_ind = tile(reshape(range_(max_time), [-1, 1, 1]), [1, batch_size, beam_width])
    batch_ind = transpose(tile(reshape(range_(batch_size), [-1, 1, 1]), [1, max_time, beam_width]), perm=[1, 0, 2])
    indices = stack([time_ind, batch_ind, sorted_beam_ids], -1)
    final_shape = shape(t)
    ordered = gather_nd(reshape(t, [max_time, batch_size, beam_width, -1]), indices)
    return reshape(ordered, final_shape)


def _check_ndims(t):
    if t.shape.ndims is None:
        raise ValueError(f"Expected tensor ({t}) to have known rank, but ndims == None.")


def _check_static_batch_beam_maybe(shape_, batch_size, beam_width):
    """False (with TF's warning) when a TensorArray's element shape cannot be [batch, beam, ...]."""
    reshaped_shape = TensorShape([batch_size, beam_width, None])
    d0 = shape_.dims[0].value
    if batch_size is not None and d0 is not None and (
            d0 != batch_size * beam_width or (shape_.ndims >= 2 and shape_.dims[1].value is not None and
                                              (d0 != batch_size or shape_.dims[1].value != beam_width))):
        warning(f"TensorArray reordering expects elements to be reshapable to {reshaped_shape} which is incompatible "
                f"with the current shape {shape_}. Consider setting reorder_tensor_arrays to False to disable "
                f"TensorArray reordering during the beam search.")
        return False
    return True


def _check_batch_beam(t, batch_size, beam_width):
    message = ("TensorArray reordering expects elements to be reshapable to [batch_size, beam_size, -1] which is "
               f"incompatible with the dynamic shape of {t.name} elements. Consider setting reorder_tensor_arrays to "
               "False to disable TensorArray reordering during the beam search.")
    dims = shape(t)
    if t.shape.ndims == 2:
        condition = equal(dims[1], batch_size * beam_width)
    else:
        condition = logical_or(equal(dims[1], batch_size * beam_width),
                               logical_and(equal(dims[1], batch_size), equal(dims[2], beam_width)))
    return Assert(condition, [message])


class BeamSearchDecoder(Decoder):
    """Beam search over `cell` (whose state's batch is batch * beam_width: see `tile_batch`)."""

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width, output_layer=None,
                 length_penalty_weight=0.0, coverage_penalty_weight=0.0, reorder_tensor_arrays=True):
        _check_cell("cell", cell)
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell, self._output_layer, self._reorder_tensor_arrays = cell, output_layer, reorder_tensor_arrays
        self._beam_width = beam_width
        self._length_penalty_weight, self._coverage_penalty_weight = length_penalty_weight, coverage_penalty_weight
        self._embedding_fn = embedding_fn(embedding)
        self._start_tokens, self._end_token = start_end_tokens(start_tokens, end_token)
        self._batch_size = size(start_tokens)
        self._initial_cell_state = map_structure(self._maybe_split_batch_beams, initial_state,
                                                 self._cell.state_size)
        self._start_tokens = tile(expand_dims(self._start_tokens, 1), [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = one_hot(zeros([self._batch_size], dtype=dtypes.int32), depth=self._beam_width,
                                 on_value=False, off_value=True, dtype=dtypes.bool_)

    batch_size = property(lambda self: self._batch_size)
    tracks_own_finished = property(lambda self: True)

    def _rnn_output_size(self):
        return rnn_output_size(self._cell, self._output_layer)

    @property
    def output_size(self):
        beams = TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=beams, predicted_ids=beams, parent_ids=beams)

    @property
    def output_dtype(self):
        dtype = flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(scores=map_structure(lambda _: dtype, self._rnn_output_size()),
                                       predicted_ids=dtypes.int32, parent_ids=dtypes.int32)

    def initialize(self, name=None):
        finished, start_inputs = self._finished, self._start_inputs
        dtype = flatten(self._initial_cell_state)[0].dtype
        log_probs = one_hot(zeros([self._batch_size], dtype=dtypes.int32), depth=self._beam_width,
                            on_value=convert_to_tensor(0.0, dtype=dtype), off_value=convert_to_tensor(-np.inf,
                                                                                                       dtype=dtype),
                            dtype=dtype)
        init_attention_probs = get_attention_probs(self._initial_cell_state, self._coverage_penalty_weight)
        initial_state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state, log_probs=log_probs, finished=finished,
            lengths=zeros([self._batch_size, self._beam_width], dtype=dtypes.int64),
            accumulated_attention_probs=() if init_attention_probs is None else init_attention_probs)
        return finished, start_inputs, initial_state

    def finalize(self, outputs, final_state, sequence_lengths):
        max_sequence_lengths = cast(reduce_max(final_state.lengths, axis=1), dtypes.int32)
        predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids,
                                    max_sequence_lengths=max_sequence_lengths, end_token=self._end_token)
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(cell_state=map_structure(
                lambda t: self._maybe_sort_array_beams(t, outputs.parent_ids, final_state.lengths),
                final_state.cell_state))
        return FinalBeamSearchDecoderOutput(beam_search_decoder_output=outputs, predicted_ids=predicted_ids), \
            final_state

    def _depth(self, s):
        return TensorShape(constant_value(s)) if isinstance(s, Tensor) else TensorShape(s)

    def _merge_batch_beams(self, t, s=None):
        s = self._depth(s)
        static_batch_size = constant_value(self._batch_size)
        merged = None if static_batch_size is None else static_batch_size * self._beam_width
        reshaped = reshape(t, concat(([self._batch_size * self._beam_width], shape(t)[2:]), 0))
        reshaped.set_shape(TensorShape([merged]).concatenate(s))
        return reshaped

    def _split_batch_beams(self, t, s=None):
        s = self._depth(s)
        reshaped = reshape(t, concat(([self._batch_size, self._beam_width], shape(t)[1:]), 0))
        expected = TensorShape([constant_value(self._batch_size), self._beam_width]).concatenate(s)
        if not reshaped.shape.is_compatible_with(expected):
            raise ValueError(f"Unexpected behavior when reshaping between beam width and batch size.  The reshaped "
                             f"tensor has shape: {reshaped.shape}.  We expected it to have shape (batch_size, "
                             f"beam_width, depth) == {expected}.  Perhaps you forgot to create a zero_state with "
                             f"batch_size=encoder_batch_size * beam_width?")
        reshaped.set_shape(expected)
        return reshaped

    def _maybe_split_batch_beams(self, t, s):
        if isinstance(t, TensorArray):
            return t
        _check_ndims(t)
        return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

    def _maybe_merge_batch_beams(self, t, s):
        if isinstance(t, TensorArray):
            return t
        _check_ndims(t)
        return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

    def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
        if not isinstance(t, TensorArray):
            return t
        if t.element_shape.ndims is None or t.element_shape.ndims < 1:
            warning(f"The TensorArray {t.handle.name} in the cell state is not amenable to sorting based on the beam "
                    f"search result. For a TensorArray to be sorted, its elements shape must be defined and have at "
                    f"least a rank of 1, but saw shape: {t.element_shape}")
            return t
        if not _check_static_batch_beam_maybe(t.element_shape, constant_value(self._batch_size), self._beam_width):
            return t
        t = t.stack()
        with get_default_graph().control_dependencies([_check_batch_beam(t, self._batch_size, self._beam_width)]):
            return gather_tree_from_array(t, parent_ids, sequence_length)

    def step(self, time, inputs, state, name=None):
        with name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
            inputs = map_structure(lambda inp: self._merge_batch_beams(inp, s=inp.shape[2:]), inputs)
            cell_state = map_structure(self._maybe_merge_batch_beams, state.cell_state, self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = map_structure(lambda out: self._split_batch_beams(out, out.shape[1:]), cell_outputs)
            next_cell_state = map_structure(self._maybe_split_batch_beams, next_cell_state, self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, beam_state = _beam_search_step(
                time=time, logits=cell_outputs, next_cell_state=next_cell_state, beam_state=state,
                batch_size=self._batch_size, beam_width=self._beam_width, end_token=self._end_token,
                length_penalty_weight=self._length_penalty_weight,
                coverage_penalty_weight=self._coverage_penalty_weight)
            finished = beam_state.finished
            sample_ids = output.predicted_ids
            next_inputs = cond(reduce_all(finished), lambda: self._start_inputs,
                               lambda: self._embedding_fn(sample_ids))
        return output, beam_state, next_inputs, finished


def _beam_search_step(time, logits, next_cell_state, beam_state, batch_size, beam_width, end_token,
                      length_penalty_weight, coverage_penalty_weight):
    """One step: the best `beam_width` continuations of every batch entry's beams, and the new beam state."""
    static_batch_size = constant_value(batch_size)
    prediction_lengths, previously_finished = beam_state.lengths, beam_state.finished
    not_finished = logical_not(previously_finished)
    step_log_probs = _mask_probs(log_softmax(logits), end_token, previously_finished)
    total_probs = expand_dims(beam_state.log_probs, 2) + step_log_probs
    vocab_size = logits.shape.dims[-1].value or shape(logits)[-1]
    lengths_to_add = one_hot(indices=fill([batch_size, beam_width], end_token), depth=vocab_size,
                             on_value=to_int64(0), off_value=to_int64(1), dtype=dtypes.int64)
    lengths_to_add *= expand_dims(cast(not_finished, dtypes.int64), 2)
    new_prediction_lengths = lengths_to_add + expand_dims(prediction_lengths, 2)
    accumulated_attention_probs = None
    attention_probs = get_attention_probs(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= expand_dims(cast(not_finished, dtypes.float32), 2)
        accumulated_attention_probs = beam_state.accumulated_attention_probs + attention_probs
    scores = _get_scores(log_probs=total_probs, sequence_lengths=new_prediction_lengths,
                         length_penalty_weight=length_penalty_weight, coverage_penalty_weight=coverage_penalty_weight,
                         finished=previously_finished, accumulated_attention_probs=accumulated_attention_probs)
    time = convert_to_tensor(time, name="time")
    scores_flat = reshape(scores, [batch_size, -1])
    next_beam_size = convert_to_tensor(beam_width, dtype=dtypes.int32, name="beam_width")
    next_beam_scores, word_indices = top_k(scores_flat, k=next_beam_size)
    next_beam_scores.set_shape([static_batch_size, beam_width])
    word_indices.set_shape([static_batch_size, beam_width])

    def gathered(indices, source, range_size, gather_shape, name=None):
        return _tensor_gather_helper(gather_indices=indices, gather_from=source, batch_size=batch_size,
                                     range_size=range_size, gather_shape=gather_shape, name=name)
    next_beam_probs = gathered(word_indices, total_probs, beam_width * vocab_size, [-1], name="next_beam_probs")
    next_word_ids = cast(mod(word_indices, vocab_size, name="next_beam_word_ids"), dtypes.int32)
    next_beam_ids = cast(word_indices / vocab_size, dtypes.int32, name="next_beam_parent_ids")
    previously_finished = gathered(next_beam_ids, previously_finished, beam_width, [-1])
    next_finished = logical_or(previously_finished, equal(next_word_ids, end_token), name="next_beam_finished")
    lengths_to_add = cast(logical_not(previously_finished), dtypes.int64)
    next_prediction_len = gathered(next_beam_ids, beam_state.lengths, beam_width, [-1])
    next_prediction_len += lengths_to_add
    next_accumulated_attention_probs = ()
    if accumulated_attention_probs is not None:
        next_accumulated_attention_probs = gathered(next_beam_ids, accumulated_attention_probs, beam_width,
                                                    [batch_size * beam_width, -1],
                                                    name="next_accumulated_attention_probs")
    next_cell_state = map_structure(lambda source: _maybe_tensor_gather_helper(
        gather_indices=next_beam_ids, gather_from=source, batch_size=batch_size, range_size=beam_width,
        gather_shape=[batch_size * beam_width, -1]), next_cell_state)
    next_state = BeamSearchDecoderState(cell_state=next_cell_state, log_probs=next_beam_probs,
                                        lengths=next_prediction_len, finished=next_finished,
                                        accumulated_attention_probs=next_accumulated_attention_probs)
    return BeamSearchDecoderOutput(scores=next_beam_scores, predicted_ids=next_word_ids,
                                   parent_ids=next_beam_ids), next_state


def attention_probs_from_attn_state(attention_state):
    """An AttentionWrapperState's alignments (averaged over several mechanisms)."""
    probs = attention_state.alignments
    if isinstance(probs, tuple):
        probs = reduce_mean(concat([expand_dims(p, -1) for p in probs], -1), -1)
    return probs


def get_attention_probs(next_cell_state, coverage_penalty_weight):
    """The attention probabilities [batch, beam, max_time] the coverage penalty needs (None without it)."""
    if coverage_penalty_weight == 0.0:
        return None
    if isinstance(next_cell_state, AttentionWrapperState):
        per_layer = [attention_probs_from_attn_state(next_cell_state)]
    elif isinstance(next_cell_state, tuple):
        per_layer = [attention_probs_from_attn_state(s) for s in next_cell_state
                     if isinstance(s, AttentionWrapperState)]
    else:
        per_layer = []
    if not per_layer:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attentional.")
    if len(per_layer) == 1:
        return per_layer[0]
    return reduce_mean(concat([expand_dims(p, -1) for p in per_layer], -1), -1)


def _get_scores(log_probs, sequence_lengths, length_penalty_weight, coverage_penalty_weight, finished,
                accumulated_attention_probs):
    scores = log_probs / cast(_length_penalty(sequence_lengths, length_penalty_weight), dtype=log_probs.dtype)
    coverage_penalty_weight = convert_to_tensor(coverage_penalty_weight, name="coverage_penalty_weight")
    if coverage_penalty_weight.shape.ndims != 0:
        raise ValueError(f"coverage_penalty_weight should be a scalar, but saw shape: {coverage_penalty_weight.shape}")
    if constant_value(coverage_penalty_weight) == 0.0:
        return scores
    if accumulated_attention_probs is None:
        raise ValueError("accumulated_attention_probs can be None only if coverage penalty is disabled.")
    accumulated_attention_probs = where(equal(accumulated_attention_probs, 0.0), ones_like(accumulated_attention_probs),
                                        accumulated_attention_probs)
    coverage_penalty = reduce_sum(log(minimum(accumulated_attention_probs, 1.0)), 2)
    coverage_penalty *= cast(finished, dtypes.float32)
    return scores + expand_dims(coverage_penalty * coverage_penalty_weight, 2)


def _length_penalty(sequence_lengths, penalty_factor):
    """((5 + length) / 6) ** penalty_factor (GNMT's), or 1.0 when the factor is 0."""
    penalty_factor = convert_to_tensor(penalty_factor, name="penalty_factor")
    penalty_factor.set_shape(())
    static_penalty = constant_value(penalty_factor)
    if static_penalty is not None and static_penalty == 0:
        return 1.0
    return div((5. + cast(sequence_lengths, dtypes.float32)) ** penalty_factor, (5. + 1.) ** penalty_factor)


def _mask_probs(probs, eos_token, finished):
    """Log probabilities where finished beams put all their mass on `eos_token`."""
    vocab_size = shape(probs)[2]
    finished_row = one_hot(eos_token, vocab_size, dtype=probs.dtype, on_value=convert_to_tensor(0., dtype=probs.dtype),
                           off_value=probs.dtype.min)
    finished_probs = tile(reshape(finished_row, [1, 1, -1]), concat([shape(finished), [1]], 0))
    finished_mask = tile(expand_dims(finished, 2), [1, 1, vocab_size])
    return where(finished_mask, finished_probs, probs)


def _maybe_tensor_gather_helper(gather_indices, gather_from, batch_size, range_size, gather_shape):
    if isinstance(gather_from, TensorArray):
        return gather_from
    _check_ndims(gather_from)
    if gather_from.shape.ndims >= len(gather_shape):
        return _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size, gather_shape)
    return gather_from


def _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size, gather_shape, name=None):
    """gather_from's rows (reshaped to `gather_shape`) at `gather_indices` offset to each batch entry's range."""
    with name_scope(name, "tensor_gather_helper"):
        offsets = expand_dims(range_(batch_size) * range_size, 1)
        gather_indices = reshape(gather_indices + offsets, [-1])
        output = gather(reshape(gather_from, gather_shape), gather_indices)
        final_shape = shape(gather_from)[:1 + len(gather_shape)]
        final_static_shape = TensorShape([constant_value(batch_size)]).concatenate(
            gather_from.shape[1:1 + len(gather_shape)])
        output = reshape(output, final_shape, name="output")
        output.set_shape(final_static_shape)
        return output

"""`tf.contrib.crf`: TF 1.15's linear-chain CRF. Scores of tag sequences, the log partition function (a forward
algorithm run by `dynamic_rnn` over a cell whose state holds the log alphas), the log-likelihood, and Viterbi
decoding in the graph (`crf_decode`: a forward pass keeping backpointers, a backward pass following them) or in
numpy (`viterbi_decode`). A `max_seq_len` of 1 takes a shortcut, decided while building when that dimension is
static (TF's `smart_cond`), else by a `cond`."""
import numpy as np

from .. import dtypes
from ..convert import constant
from ..layers.arguments import smart_cond
from ..ops.array import expand_dims, reshape, reverse_sequence, shape, squeeze
from ..ops.filling import fill, zeros_like
from ..ops.filling import range as range_
from ..ops.joining import concat, stack
from ..ops.math import cast, equal, less_equal, maximum
from ..ops.reduction import argmax, reduce_logsumexp, reduce_max, reduce_sum
from ..ops.sequences import sequence_mask
from ..ops.slicing import gather, gather_nd, where
from ..ops.slicing import slice as slice_
from ..rnn import dynamic_rnn
from ..rnn_cell import RNNCell
from ..shape import dimension_value
from ..variable_scope import get_variable

__all__ = [
    "CrfDecodeBackwardRnnCell",
    "CrfDecodeForwardRnnCell",
    "CrfForwardRnnCell",
    "crf_binary_score",
    "crf_decode",
    "crf_log_likelihood",
    "crf_log_norm",
    "crf_multitag_sequence_score",
    "crf_sequence_score",
    "crf_unary_score",
    "viterbi_decode",
]


def _if_single_step(inputs, single, multi):
    return smart_cond(equal(dimension_value(inputs.shape[1]) or shape(inputs)[1], 1), single, multi)


def _mask_empty(sequence_lengths, values):
    """`values`, with 0 for the sequences of length <= 0."""
    return where(less_equal(sequence_lengths, 0), zeros_like(values), values)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """The unnormalized score [batch] of the tag sequences `tag_indices` [batch, time] under the unary potentials
    `inputs` [batch, time, tags] and the `transition_params` [tags, tags]."""
    def single():
        batch_size = shape(inputs, out_type=tag_indices.dtype)[0]
        example_inds = reshape(range_(batch_size, dtype=tag_indices.dtype), [-1, 1])
        scores = gather_nd(squeeze(inputs, [1]), concat([example_inds, tag_indices], axis=1))
        return _mask_empty(sequence_lengths, scores)

    def multi():
        return (crf_unary_score(tag_indices, sequence_lengths, inputs)
                + crf_binary_score(tag_indices, sequence_lengths, transition_params))
    return _if_single_step(inputs, single, multi)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """The log-sum-exp of the scores of every tag sequence allowed by the boolean `tag_bitmap` [batch, time, tags]."""
    def filtered():
        return where(tag_bitmap, inputs, fill(shape(inputs), float("-inf")))

    return _if_single_step(inputs, lambda: reduce_logsumexp(filtered(), axis=[1, 2], keepdims=False),
                           lambda: crf_log_norm(filtered(), sequence_lengths, transition_params))


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """The log partition function [batch]: log-sum-exp over all tag sequences of their scores."""
    first_input = squeeze(slice_(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def single():
        return _mask_empty(sequence_lengths, reduce_logsumexp(first_input, [1]))

    def multi():
        rest_of_input = slice_(inputs, [0, 1, 0], [-1, -1, -1])
        forward_cell = CrfForwardRnnCell(transition_params)
        lengths_less_one = maximum(constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1)
        _, alphas = dynamic_rnn(forward_cell, rest_of_input,
                                sequence_length=lengths_less_one, initial_state=first_input, dtype=dtypes.float32)
        return _mask_empty(sequence_lengths, reduce_logsumexp(alphas, [1]))
    return _if_single_step(inputs, single, multi)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """(log-likelihood [batch] of `tag_indices`, the transition matrix: a new variable "transitions" if not given)."""
    num_tags = dimension_value(inputs.shape[2])
    if transition_params is None:
        transition_params = get_variable("transitions", [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """The sum over each sequence's valid steps of the unary potential of its tag: [batch]."""
    batch_size, max_seq_len, num_tags = shape(inputs)[0], shape(inputs)[1], shape(inputs)[2]
    flattened_inputs = reshape(inputs, [-1])
    offsets = expand_dims(range_(batch_size) * max_seq_len * num_tags, 1)
    offsets += expand_dims(range_(max_seq_len) * num_tags, 0)
    if tag_indices.dtype == dtypes.int64:
        offsets = cast(offsets, dtypes.int64)
    flattened_tag_indices = reshape(offsets + tag_indices, [-1])
    unary_scores = reshape(gather(flattened_inputs, flattened_tag_indices), [batch_size, max_seq_len])
    masks = sequence_mask(sequence_lengths, maxlen=shape(tag_indices)[1], dtype=dtypes.float32)
    return reduce_sum(unary_scores * masks, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """The sum over each sequence's valid transitions of their transition scores: [batch]."""
    num_tags = transition_params.get_shape()[0]
    num_transitions = shape(tag_indices)[1] - 1
    start_tag_indices = slice_(tag_indices, [0, 0], [-1, num_transitions])
    end_tag_indices = slice_(tag_indices, [0, 1], [-1, num_transitions])
    flattened_transition_indices = start_tag_indices * num_tags + end_tag_indices
    flattened_transition_params = reshape(transition_params, [-1])
    binary_scores = gather(flattened_transition_params, flattened_transition_indices)
    masks = sequence_mask(sequence_lengths, maxlen=shape(tag_indices)[1], dtype=dtypes.float32)
    truncated_masks = slice_(masks, [0, 1], [-1, -1])
    return reduce_sum(binary_scores * truncated_masks, 1)


class _CrfCell(RNNCell):
    """A weightless cell over [batch, tags] steps; it builds its ops where it is called (no layer scope)."""

    def __init__(self, transition_params):  # no Layer state: TF's cells skip it too
        self._transition_params = expand_dims(transition_params, 0)
        self._num_tags = dimension_value(transition_params.shape[0])

    state_size = property(lambda self: self._num_tags)
    output_size = property(lambda self: self._num_tags)


class CrfForwardRnnCell(_CrfCell):
    """The forward algorithm's step: new log alphas [batch, tags] (both output and state)."""

    def __call__(self, inputs, state, scope=None):
        transition_scores = expand_dims(state, 2) + self._transition_params
        new_alphas = inputs + reduce_logsumexp(transition_scores, [1])
        return new_alphas, new_alphas


class CrfDecodeForwardRnnCell(_CrfCell):
    """Viterbi's forward step: (backpointers [batch, tags] int32, the new best scores [batch, tags])."""

    def __call__(self, inputs, state, scope=None):
        transition_scores = expand_dims(state, 2) + self._transition_params
        new_state = inputs + reduce_max(transition_scores, [1])
        backpointers = cast(argmax(transition_scores, 1), dtype=dtypes.int32)
        return backpointers, new_state


class CrfDecodeBackwardRnnCell(RNNCell):
    """Viterbi's backward step: the previous tag [batch, 1], read from the backpointers at the current tag."""

    def __init__(self, num_tags):
        self._num_tags = num_tags

    state_size = property(lambda self: 1)
    output_size = property(lambda self: 1)

    def __call__(self, inputs, state, scope=None):
        state = squeeze(state, axis=[1])
        indices = stack([range_(shape(inputs)[0]), state], axis=1)
        new_tags = expand_dims(gather_nd(inputs, indices), axis=-1)
        return new_tags, new_tags


def viterbi_decode(score, transition_params):
    """numpy Viterbi over one sequence's `score` [time, tags]: (best tag list, its score)."""
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = np.expand_dims(trellis[t - 1], 1) + transition_params
        trellis[t] = score[t] + np.max(v, 0)
        backpointers[t] = np.argmax(v, 0)
    viterbi = [np.argmax(trellis[-1])]
    for bp in reversed(backpointers[1:]):
        viterbi.append(bp[viterbi[-1]])
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])


def crf_decode(potentials, transition_params, sequence_length):
    """Viterbi in the graph: (best tags [batch, time] int32, their scores [batch])."""
    def single():
        squeezed = squeeze(potentials, [1])
        decode_tags = expand_dims(argmax(squeezed, axis=1), 1)
        best_score = reduce_max(squeezed, axis=1)
        return cast(decode_tags, dtype=dtypes.int32), best_score

    def multi():
        num_tags = dimension_value(potentials.shape[2])
        forward_cell = CrfDecodeForwardRnnCell(transition_params)
        initial_state = squeeze(slice_(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        inputs = slice_(potentials, [0, 1, 0], [-1, -1, -1])
        length_less_one = maximum(constant(0, dtype=sequence_length.dtype), sequence_length - 1)
        backpointers, last_score = dynamic_rnn(forward_cell, inputs=inputs,
                                               sequence_length=length_less_one, initial_state=initial_state,
                                               time_major=False, dtype=dtypes.int32)
        backpointers = reverse_sequence(backpointers, length_less_one, seq_dim=1)
        initial_state = expand_dims(cast(argmax(last_score, axis=1), dtype=dtypes.int32), axis=-1)
        decode_tags, _ = dynamic_rnn(CrfDecodeBackwardRnnCell(num_tags), inputs=backpointers,
                                     sequence_length=length_less_one, initial_state=initial_state,
                                     time_major=False, dtype=dtypes.int32)
        decode_tags = concat([initial_state, squeeze(decode_tags, axis=[2])], axis=1)
        decode_tags = reverse_sequence(decode_tags, sequence_length, seq_dim=1)
        return decode_tags, reduce_max(last_score, axis=1)
    return _if_single_step(potentials, single, multi)

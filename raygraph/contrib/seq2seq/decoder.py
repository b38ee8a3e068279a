"""`tf.contrib.seq2seq`'s decoders (TF 1.15): the `Decoder` interface, `dynamic_decode`, which runs a decoder's
steps in a `while_loop` writing its outputs to TensorArrays until every batch entry has finished (or
`maximum_iterations`), and `BasicDecoder`, a cell (and optional output layer) whose inputs a `Helper` chooses."""
import collections

from ... import dtypes
from ...convert import constant, convert_to_tensor
from ...default_graph import name_scope
from ...layers.base import Layer
from ...nest import assert_same_structure, flatten, map_structure
from ...ops.array import shape
from ...ops.filling import fill, zeros_like
from ...ops.math import logical_not, logical_or
from ...ops.reduction import reduce_all
from ...ops.shape_fns import constant_value
from ...ops.slicing import where
from ...ops.tensor_array import TensorArray
from ...ops.while_loop import while_loop
from ...rnn import _check_cell, _transpose_batch_time
from ...rnn_cell import _zero_state_tensors
from ...shape import TensorShape
from ...variable_scope import variable_scope
from .helper import Helper


class Decoder:
    """An RNN decoder: `initialize()` gives (finished, inputs, state), `step(time, inputs, state)` gives
    (outputs, next_state, next_inputs, finished); `finalize` (optional) post-processes the stacked outputs."""

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        raise NotImplementedError

    @property
    def output_dtype(self):
        raise NotImplementedError

    def initialize(self, name=None):
        raise NotImplementedError

    def step(self, time, inputs, state, name=None):
        raise NotImplementedError

    def finalize(self, outputs, final_state, sequence_lengths):
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        """Whether the decoder keeps its own `finished` (beams reorder entries between steps)."""
        return False


def _element_shape(batch_size, size):
    if not isinstance(size, TensorShape) or size.ndims == 0:
        return TensorShape(None)
    return TensorShape([constant_value(convert_to_tensor(batch_size, name="batch_size"))]).concatenate(size)


def dynamic_decode(decoder, output_time_major=False, impute_finished=False, maximum_iterations=None,
                   parallel_iterations=32, swap_memory=False, scope=None):
    """Runs `decoder` until every entry finished: (final_outputs, final_state, final_sequence_lengths)."""
    if not isinstance(decoder, Decoder):
        raise TypeError(f"Expected decoder to be type Decoder, but saw: {type(decoder)}")
    with variable_scope(scope, "decoder"):
        if maximum_iterations is not None:
            maximum_iterations = convert_to_tensor(maximum_iterations, dtype=dtypes.int32, name="maximum_iterations")
            if maximum_iterations.shape.ndims != 0:
                raise ValueError("maximum_iterations must be a scalar")
        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = map_structure(lambda s, d: _zero_state_tensors(s, decoder.batch_size, d),
                                     decoder.output_size, decoder.output_dtype)
        if maximum_iterations is not None:
            initial_finished = logical_or(initial_finished, 0 >= maximum_iterations)
        initial_sequence_lengths = zeros_like(initial_finished, dtype=dtypes.int32)
        initial_time = constant(0, dtype=dtypes.int32)
        initial_outputs_ta = map_structure(
            lambda s, d: TensorArray(dtype=d, size=0, dynamic_size=True,
                                     element_shape=_element_shape(decoder.batch_size, s)),
            decoder.output_size, decoder.output_dtype)

        def condition(unused_time, unused_outputs_ta, unused_state, unused_inputs, finished, unused_lengths):
            return logical_not(reduce_all(finished))

        def body(time, outputs_ta, state, inputs, finished, sequence_lengths):
            next_outputs, decoder_state, next_inputs, decoder_finished = decoder.step(time, inputs, state)
            next_finished = decoder_finished if decoder.tracks_own_finished else \
                logical_or(decoder_finished, finished)
            next_sequence_lengths = where(logical_not(finished), fill(shape(sequence_lengths), time + 1),
                                          sequence_lengths)
            assert_same_structure(state, decoder_state)
            assert_same_structure(outputs_ta, next_outputs)
            assert_same_structure(inputs, next_inputs)
            emit = map_structure(lambda out, zero: where(finished, zero, out), next_outputs, zero_outputs) \
                if impute_finished else next_outputs

            def maybe_copy_state(new, cur):  # TensorArrays and scalars pass through
                if isinstance(cur, TensorArray):
                    return new
                new.set_shape(cur.shape)
                return new if new.shape.ndims == 0 else where(finished, cur, new)
            next_state = map_structure(maybe_copy_state, decoder_state, state) if impute_finished else decoder_state
            outputs_ta = map_structure(lambda ta, out: ta.write(time, out), outputs_ta, emit)
            return time + 1, outputs_ta, next_state, next_inputs, next_finished, next_sequence_lengths

        res = while_loop(condition, body, loop_vars=(initial_time, initial_outputs_ta, initial_state, initial_inputs,
                                                     initial_finished, initial_sequence_lengths),
                         parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
                         swap_memory=swap_memory)
        final_outputs_ta, final_state, final_sequence_lengths = res[1], res[2], res[5]
        final_outputs = map_structure(lambda ta: ta.stack(), final_outputs_ta)
        try:
            final_outputs, final_state = decoder.finalize(final_outputs, final_state, final_sequence_lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = map_structure(_transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_sequence_lengths


def rnn_output_size(cell, output_layer):
    """The size of a step's output: the cell's, or what `output_layer` makes of it (batch left out)."""
    if output_layer is None:
        return cell.output_size
    unknown_batch = map_structure(lambda s: TensorShape([None]).concatenate(s), cell.output_size)
    return map_structure(lambda s: s[1:], output_layer.compute_output_shape(unknown_batch))


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput", ("rnn_output", "sample_id"))):
    pass


class BasicDecoder(Decoder):
    """A sampling decoder: the cell's output (through `output_layer`), the helper's sample and next inputs."""

    def __init__(self, cell, helper, initial_state, output_layer=None):
        _check_cell("cell", cell)
        if not isinstance(helper, Helper):
            raise TypeError(f"helper must be a Helper, received: {type(helper)}")
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell, self._helper = cell, helper
        self._initial_state, self._output_layer = initial_state, output_layer

    @property
    def batch_size(self):
        return self._helper.batch_size

    def _rnn_output_size(self):
        return rnn_output_size(self._cell, self._output_layer)

    @property
    def output_size(self):
        return BasicDecoderOutput(rnn_output=self._rnn_output_size(), sample_id=self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        dtype = flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(map_structure(lambda _: dtype, self._rnn_output_size()),
                                  self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        with name_scope(name, "BasicDecoderStep", (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished

"""`tf.contrib.seq2seq`'s helpers (TF 1.15): what a `BasicDecoder` samples from its cell's output and feeds
back as the next input. Training helpers read the next input from the given sequence (optionally sampling
instead, scheduled); inference helpers embed the greedy or sampled id (or call the user's functions)."""
from ... import dtypes
from ...convert import convert_to_tensor
from ...default_graph import name_scope
from ...distributions.bernoulli import Bernoulli
from ...distributions.categorical import Categorical
from ...nest import map_structure
from ...ops.array import shape, size
from ...ops.control_flow import cond
from ...ops.embedding import embedding_lookup
from ...ops.filling import fill, zeros_like
from ...ops.joining import concat, tile
from ...ops.math import cast, equal, logical_not, logical_or
from ...ops.reduction import argmax, reduce_all, reduce_any
from ...ops.slicing import gather_nd, scatter_nd, where
from ...ops.tensor_array import TensorArray
from ...rnn import _transpose_batch_time
from ...shape import TensorShape
from ...tensor import Tensor


def _unstack_ta(inp):
    return TensorArray(dtype=inp.dtype, size=shape(inp)[0], element_shape=inp.shape[1:]).unstack(inp)


def embedding_fn(embedding):
    """`embedding` itself if callable, else the lookup of ids in it."""
    return embedding if callable(embedding) else (lambda ids: embedding_lookup(embedding, ids))


def start_end_tokens(start_tokens, end_token):
    """The start tokens (an int32 vector) and end token (an int32 scalar) of an inference decoder, checked."""
    start_tokens = convert_to_tensor(start_tokens, dtype=dtypes.int32, name="start_tokens")
    end_token = convert_to_tensor(end_token, dtype=dtypes.int32, name="end_token")
    if start_tokens.shape.ndims != 1:
        raise ValueError("start_tokens must be a vector")
    if end_token.shape.ndims != 0:
        raise ValueError("end_token must be a scalar")
    return start_tokens, end_token


def _argmax_ids(outputs):
    return cast(argmax(outputs, axis=-1), dtypes.int32)


class Helper:
    """What a `BasicDecoder` samples and feeds back: `batch_size`, `sample_ids_shape`, `sample_ids_dtype`,
    `initialize()` -> (finished, inputs), `sample(...)` -> ids, `next_inputs(...)` -> (finished, inputs, state)."""

    @property
    def batch_size(self):
        raise NotImplementedError("batch_size has not been implemented")

    @property
    def sample_ids_shape(self):
        raise NotImplementedError("sample_ids_shape has not been implemented")

    @property
    def sample_ids_dtype(self):
        raise NotImplementedError("sample_ids_dtype has not been implemented")

    def initialize(self, name=None):
        raise NotImplementedError

    def sample(self, time, outputs, state, name=None):
        raise NotImplementedError

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        raise NotImplementedError


class CustomHelper(Helper):
    """A helper made of the user's three functions."""

    def __init__(self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None, sample_ids_dtype=None):
        self._initialize_fn, self._sample_fn, self._next_inputs_fn = initialize_fn, sample_fn, next_inputs_fn
        self._batch_size = None
        self._sample_ids_shape = TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or dtypes.int32

    @property
    def batch_size(self):
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    sample_ids_shape = property(lambda self: self._sample_ids_shape)
    sample_ids_dtype = property(lambda self: self._sample_ids_dtype)

    def initialize(self, name=None):
        with name_scope(name, f"{type(self).__name__}Initialize"):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        with name_scope(name, f"{type(self).__name__}Sample", (time, outputs, state)):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with name_scope(name, f"{type(self).__name__}NextInputs", (time, outputs, state)):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state, sample_ids=sample_ids)


class TrainingHelper(Helper):
    """Reads each next input from `inputs` (teacher forcing); sample ids are the outputs' argmax."""

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        with name_scope(name, "TrainingHelper", [inputs, sequence_length]):
            inputs = convert_to_tensor(inputs, name="inputs")
            if not time_major:
                inputs = map_structure(_transpose_batch_time, inputs)
            self._input_tas = map_structure(_unstack_ta, inputs)
            self._sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if self._sequence_length.shape.ndims != 1:
                raise ValueError(f"Expected sequence_length to be a vector, but received shape: "
                                 f"{self._sequence_length.shape}")
            self._zero_inputs = map_structure(lambda inp: zeros_like(inp[0, :]), inputs)
            self._batch_size = size(sequence_length)

    batch_size = property(lambda self: self._batch_size)
    sample_ids_shape = property(lambda self: TensorShape([]))
    sample_ids_dtype = property(lambda self: dtypes.int32)

    def initialize(self, name=None):
        with name_scope(name, "TrainingHelperInitialize"):
            finished = equal(0, self._sequence_length)
            next_inputs = cond(reduce_all(finished), lambda: self._zero_inputs,
                               lambda: map_structure(lambda inp: inp.read(0), self._input_tas))
            return finished, next_inputs

    def sample(self, time, outputs, name=None, **unused_kwargs):
        with name_scope(name, "TrainingHelperSample", [time, outputs]):
            return _argmax_ids(outputs)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        with name_scope(name, "TrainingHelperNextInputs", [time, outputs, state]):
            next_time = time + 1
            finished = next_time >= self._sequence_length
            next_inputs = cond(reduce_all(finished), lambda: self._zero_inputs,
                               lambda: map_structure(lambda inp: inp.read(next_time), self._input_tas))
            return finished, next_inputs, state


def _check_probability(p):
    if p.shape.ndims not in (0, 1):
        raise ValueError(f"sampling_probability must be either a scalar or a vector. saw shape: {p.shape}")


def _mixed(where_sampling, sampled, where_not_sampling, not_sampled, like):
    """The sampled rows and the others, scattered back into one [batch, ...] tensor."""
    base_shape = shape(like)
    return scatter_nd(indices=where_sampling, updates=sampled, shape=base_shape) + \
        scatter_nd(indices=where_not_sampling, updates=not_sampled, shape=base_shape)


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """A training helper that, with `sampling_probability`, feeds the embedding of an id sampled from the
    outputs instead of the given input (sample id -1 where it did not sample)."""

    def __init__(self, inputs, sequence_length, embedding, sampling_probability, time_major=False, seed=None,
                 scheduling_seed=None, name=None):
        with name_scope(name, "ScheduledEmbeddingSamplingWrapper", [embedding, sampling_probability]):
            self._embedding_fn = embedding_fn(embedding)
            self._sampling_probability = convert_to_tensor(sampling_probability, name="sampling_probability")
            _check_probability(self._sampling_probability)
            self._seed, self._scheduling_seed = seed, scheduling_seed
            super().__init__(inputs=inputs, sequence_length=sequence_length, time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with name_scope(name, "ScheduledEmbeddingTrainingHelperSample", [time, outputs, state]):
            select_sample = Bernoulli(probs=self._sampling_probability, dtype=dtypes.bool_).sample(
                sample_shape=self.batch_size, seed=self._scheduling_seed)
            return where(select_sample, Categorical(logits=outputs).sample(seed=self._seed),
                         fill([self.batch_size], -1))

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with name_scope(name, "ScheduledEmbeddingTrainingHelperSample", [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super().next_inputs(time=time, outputs=outputs, state=state,
                                                                    sample_ids=sample_ids, name=name)

            def maybe_sample():
                where_sampling = cast(where(sample_ids > -1), dtypes.int32)
                where_not_sampling = cast(where(sample_ids <= -1), dtypes.int32)
                sample_ids_sampling = gather_nd(sample_ids, where_sampling)
                inputs_not_sampling = gather_nd(base_next_inputs, where_not_sampling)
                return _mixed(where_sampling, self._embedding_fn(sample_ids_sampling), where_not_sampling,
                              inputs_not_sampling, base_next_inputs)
            next_inputs = cond(reduce_all(finished), lambda: base_next_inputs, maybe_sample)
            return finished, next_inputs, state


class ScheduledOutputTrainingHelper(TrainingHelper):
    """A training helper that, with `sampling_probability`, feeds the cell's output (through `next_inputs_fn`)
    instead of the given input; sample ids say where it did."""

    def __init__(self, inputs, sequence_length, sampling_probability, time_major=False, seed=None,
                 next_inputs_fn=None, auxiliary_inputs=None, name=None):
        with name_scope(name, "ScheduledOutputTrainingHelper", [inputs, auxiliary_inputs, sampling_probability]):
            self._sampling_probability = convert_to_tensor(sampling_probability, name="sampling_probability")
            _check_probability(self._sampling_probability)
            if auxiliary_inputs is None:
                maybe_concatenated_inputs = inputs
            else:
                inputs = convert_to_tensor(inputs, name="inputs")
                auxiliary_inputs = convert_to_tensor(auxiliary_inputs, name="auxiliary_inputs")
                maybe_concatenated_inputs = map_structure(lambda x, y: concat((x, y), -1), inputs, auxiliary_inputs)
                if not time_major:
                    auxiliary_inputs = map_structure(_transpose_batch_time, auxiliary_inputs)
            self._auxiliary_input_tas = map_structure(_unstack_ta, auxiliary_inputs) \
                if auxiliary_inputs is not None else None
            self._seed, self._next_inputs_fn = seed, next_inputs_fn
            super().__init__(inputs=maybe_concatenated_inputs, sequence_length=sequence_length,
                             time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with name_scope(name, "ScheduledOutputTrainingHelperSample", [time, outputs, state]):
            return Bernoulli(probs=self._sampling_probability).sample(sample_shape=self.batch_size, seed=self._seed)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with name_scope(name, "ScheduledOutputTrainingHelperNextInputs", [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super().next_inputs(time=time, outputs=outputs, state=state,
                                                                    sample_ids=sample_ids, name=name)
            sample_ids = cast(sample_ids, dtypes.bool_)

            def with_auxiliary(outputs_, indices=None):
                if self._auxiliary_input_tas is None:
                    return outputs_
                auxiliary_inputs = map_structure(lambda ta: ta.read(time + 1), self._auxiliary_input_tas)
                if indices is not None:
                    auxiliary_inputs = gather_nd(auxiliary_inputs, indices)
                return map_structure(lambda x, y: concat((x, y), -1), outputs_, auxiliary_inputs)

            def maybe_sample():
                if self._next_inputs_fn is None:
                    return where(sample_ids, with_auxiliary(outputs), base_next_inputs)
                where_sampling = cast(where(sample_ids), dtypes.int32)
                where_not_sampling = cast(where(logical_not(sample_ids)), dtypes.int32)
                outputs_sampling = gather_nd(outputs, where_sampling)
                inputs_not_sampling = gather_nd(base_next_inputs, where_not_sampling)
                sampled = with_auxiliary(self._next_inputs_fn(outputs_sampling), where_sampling)
                return _mixed(where_sampling, sampled, where_not_sampling, inputs_not_sampling, base_next_inputs)
            no_samples = logical_not(reduce_any(sample_ids))
            next_inputs = cond(logical_or(reduce_all(finished), no_samples), lambda: base_next_inputs, maybe_sample)
            return finished, next_inputs, state


class GreedyEmbeddingHelper(Helper):
    """Inference: the outputs' argmax, embedded, is the next input; an entry ends at `end_token`."""

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = embedding_fn(embedding)
        self._start_tokens, self._end_token = start_end_tokens(start_tokens, end_token)
        self._batch_size = size(start_tokens)
        self._start_inputs = self._embedding_fn(self._start_tokens)

    batch_size = property(lambda self: self._batch_size)
    sample_ids_shape = property(lambda self: TensorShape([]))
    sample_ids_dtype = property(lambda self: dtypes.int32)

    def initialize(self, name=None):
        return tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        if not isinstance(outputs, Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        return _argmax_ids(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        finished = equal(sample_ids, self._end_token)
        next_inputs = cond(reduce_all(finished), lambda: self._start_inputs, lambda: self._embedding_fn(sample_ids))
        return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """Inference: an id sampled from the outputs (divided by `softmax_temperature`), embedded, is the next input."""

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None, seed=None):
        super().__init__(embedding, start_tokens, end_token)
        self._softmax_temperature, self._seed = softmax_temperature, seed

    def sample(self, time, outputs, state, name=None):
        if not isinstance(outputs, Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        logits = outputs if self._softmax_temperature is None else outputs / self._softmax_temperature
        return Categorical(logits=logits).sample(seed=self._seed)


class InferenceHelper(Helper):
    """Inference with the user's sampling, ending and next-input functions."""

    def __init__(self, sample_fn, sample_shape, sample_dtype, start_inputs, end_fn, next_inputs_fn=None):
        self._sample_fn, self._end_fn, self._next_inputs_fn = sample_fn, end_fn, next_inputs_fn
        self._sample_shape, self._sample_dtype = TensorShape(sample_shape), sample_dtype
        self._batch_size = shape(start_inputs)[0]
        self._start_inputs = convert_to_tensor(start_inputs, name="start_inputs")

    batch_size = property(lambda self: self._batch_size)
    sample_ids_shape = property(lambda self: self._sample_shape)
    sample_ids_dtype = property(lambda self: self._sample_dtype)

    def initialize(self, name=None):
        return tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        return self._sample_fn(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        next_inputs = sample_ids if self._next_inputs_fn is None else self._next_inputs_fn(sample_ids)
        return self._end_fn(sample_ids), next_inputs, state

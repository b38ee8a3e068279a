"""Recorded cases: tf.contrib.crf and tf.contrib.legacy_seq2seq. TF 2.21 has no contrib, so when recording the TF
side builds TF 1.15's functions from TF 2.21's ops (`_tf115_crf` and `_tf115_seq2seq` below copy TF 1.15's
crf.py and legacy_seq2seq/seq2seq.py algorithms, for the TF side only): the cases compare raygraph's graphs
(names, types, shapes), variable names and values, with initializers of fixed values so values compare."""
import os
import sys
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, sig


def _det(seed):
    """An initializer of fixed pseudo-random values, the same under both libraries."""
    rng = np.random.default_rng(seed)
    return lambda shape, dtype=None, partition_info=None: rng.uniform(-1, 1, size=shape).astype(np.float32)


# ----- TF 1.15's crf.py, built from TF 2.21's ops (TF side only) ---------------------------------------------
def _tf115_crf(tf):
    from tensorflow.python.framework import smart_cond as smart
    from tensorflow.python.framework.tensor_shape import dimension_value

    def if_single(inputs, single, multi):
        return smart.smart_cond(tf.equal(dimension_value(inputs.shape[1]) or tf.shape(inputs)[1], 1), single, multi)

    def mask_empty(lengths, values):
        return tf.where(tf.less_equal(lengths, 0), tf.zeros_like(values), values)

    def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
        def single():
            batch_size = tf.shape(inputs, out_type=tag_indices.dtype)[0]
            example_inds = tf.reshape(tf.range(batch_size, dtype=tag_indices.dtype), [-1, 1])
            scores = tf.gather_nd(tf.squeeze(inputs, [1]), tf.concat([example_inds, tag_indices], axis=1))
            return mask_empty(sequence_lengths, scores)

        def multi():
            unary = crf_unary_score(tag_indices, sequence_lengths, inputs)
            binary = crf_binary_score(tag_indices, sequence_lengths, transition_params)
            return unary + binary
        return if_single(inputs, single, multi)

    def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
        def single():
            filtered = tf.where(tag_bitmap, inputs, tf.fill(tf.shape(inputs), float("-inf")))
            return tf.reduce_logsumexp(filtered, axis=[1, 2], keepdims=False)

        def multi():
            filtered = tf.where(tag_bitmap, inputs, tf.fill(tf.shape(inputs), float("-inf")))
            return crf_log_norm(filtered, sequence_lengths, transition_params)
        return if_single(inputs, single, multi)

    def crf_log_norm(inputs, sequence_lengths, transition_params):
        first_input = tf.slice(inputs, [0, 0, 0], [-1, 1, -1])
        first_input = tf.squeeze(first_input, [1])

        def single():
            return mask_empty(sequence_lengths, tf.reduce_logsumexp(first_input, [1]))

        def multi():
            rest_of_input = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
            forward_cell = Forward(transition_params)
            less_one = tf.maximum(tf.constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1)
            _, alphas = tf.nn.dynamic_rnn(cell=forward_cell, inputs=rest_of_input, sequence_length=less_one,
                                          initial_state=first_input, dtype=tf.float32)
            return mask_empty(sequence_lengths, tf.reduce_logsumexp(alphas, [1]))
        return if_single(inputs, single, multi)

    def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
        num_tags = dimension_value(inputs.shape[2])
        if transition_params is None:
            transition_params = tf.get_variable("transitions", [num_tags, num_tags])
        scores = crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params)
        log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
        return scores - log_norm, transition_params

    def crf_unary_score(tag_indices, sequence_lengths, inputs):
        batch_size = tf.shape(inputs)[0]
        max_seq_len = tf.shape(inputs)[1]
        num_tags = tf.shape(inputs)[2]
        flattened_inputs = tf.reshape(inputs, [-1])
        offsets = tf.expand_dims(tf.range(batch_size) * max_seq_len * num_tags, 1)
        offsets += tf.expand_dims(tf.range(max_seq_len) * num_tags, 0)
        if tag_indices.dtype == tf.int64:
            offsets = tf.cast(offsets, tf.int64)
        flattened_tag_indices = tf.reshape(offsets + tag_indices, [-1])
        unary_scores = tf.reshape(tf.gather(flattened_inputs, flattened_tag_indices), [batch_size, max_seq_len])
        masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1], dtype=tf.float32)
        return tf.reduce_sum(unary_scores * masks, 1)

    def crf_binary_score(tag_indices, sequence_lengths, transition_params):
        num_tags = transition_params.get_shape()[0]
        num_transitions = tf.shape(tag_indices)[1] - 1
        start = tf.slice(tag_indices, [0, 0], [-1, num_transitions])
        end = tf.slice(tag_indices, [0, 1], [-1, num_transitions])
        flat_indices = start * num_tags + end
        flat_params = tf.reshape(transition_params, [-1])
        binary_scores = tf.gather(flat_params, flat_indices)
        masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1], dtype=tf.float32)
        truncated_masks = tf.slice(masks, [0, 1], [-1, -1])
        return tf.reduce_sum(binary_scores * truncated_masks, 1)

    class Cell:
        def __init__(self, transition_params):
            self._transition_params = tf.expand_dims(transition_params, 0)
            self._num_tags = dimension_value(transition_params.shape[0])

        state_size = property(lambda self: self._num_tags)
        output_size = property(lambda self: self._num_tags)

        def zero_state(self, batch_size, dtype):
            raise NotImplementedError

    class Forward(Cell):
        def __call__(self, inputs, state, scope=None):
            state = tf.expand_dims(state, 2)
            transition_scores = state + self._transition_params
            new_alphas = inputs + tf.reduce_logsumexp(transition_scores, [1])
            return new_alphas, new_alphas

    class DecodeForward(Cell):
        def __call__(self, inputs, state, scope=None):
            state = tf.expand_dims(state, 2)
            transition_scores = state + self._transition_params
            new_state = inputs + tf.reduce_max(transition_scores, [1])
            backpointers = tf.cast(tf.argmax(transition_scores, 1), dtype=tf.int32)
            return backpointers, new_state

    class DecodeBackward(Cell):
        def __init__(self, num_tags):
            self._num_tags = num_tags

        state_size = property(lambda self: 1)
        output_size = property(lambda self: 1)

        def __call__(self, inputs, state, scope=None):
            state = tf.squeeze(state, axis=[1])
            batch_size = tf.shape(inputs)[0]
            b_indices = tf.range(batch_size)
            indices = tf.stack([b_indices, state], axis=1)
            new_tags = tf.expand_dims(tf.gather_nd(inputs, indices), axis=-1)
            return new_tags, new_tags

    def crf_decode(potentials, transition_params, sequence_length):
        def single():
            squeezed = tf.squeeze(potentials, [1])
            decode_tags = tf.expand_dims(tf.argmax(squeezed, axis=1), 1)
            best_score = tf.reduce_max(squeezed, axis=1)
            return tf.cast(decode_tags, dtype=tf.int32), best_score

        def multi():
            num_tags = dimension_value(potentials.shape[2])
            fwd_cell = DecodeForward(transition_params)
            initial_state = tf.slice(potentials, [0, 0, 0], [-1, 1, -1])
            initial_state = tf.squeeze(initial_state, axis=[1])
            inputs = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])
            less_one = tf.maximum(tf.constant(0, dtype=sequence_length.dtype), sequence_length - 1)
            backpointers, last_score = tf.nn.dynamic_rnn(fwd_cell, inputs=inputs, sequence_length=less_one,
                                                         initial_state=initial_state, time_major=False,
                                                         dtype=tf.int32)
            backpointers = tf.reverse_sequence(backpointers, less_one, seq_axis=1, batch_axis=0)
            bwd_cell = DecodeBackward(num_tags)
            initial_state = tf.cast(tf.argmax(last_score, axis=1), dtype=tf.int32)
            initial_state = tf.expand_dims(initial_state, axis=-1)
            decode_tags, _ = tf.nn.dynamic_rnn(bwd_cell, inputs=backpointers, sequence_length=less_one,
                                               initial_state=initial_state, time_major=False, dtype=tf.int32)
            decode_tags = tf.squeeze(decode_tags, axis=[2])
            decode_tags = tf.concat([initial_state, decode_tags], axis=1)
            decode_tags = tf.reverse_sequence(decode_tags, sequence_length, seq_axis=1, batch_axis=0)
            return decode_tags, tf.reduce_max(last_score, axis=1)
        return if_single(potentials, single, multi)

    return types.SimpleNamespace(**{k: v for k, v in locals().items() if k.startswith("crf_")})


_INNER = ("rnn", "ReduceLogSumExp", "SequenceMask")


def _inner(name):
    """The scope of a dynamic_rnn, reduce_logsumexp or sequence_mask that `name` lies in, or None."""
    parts = name.split("^")[-1].split(":")[0].split("/")
    for i, part in enumerate(parts[:-1]):
        if part.split("_")[0] in _INNER:
            return "/".join(parts[:i + 1])
    return None


def _crf_graph(tf):
    """`describe` of the CRF's own ops: the insides of dynamic_rnn, reduce_logsumexp and sequence_mask (TF's
    library functions, recorded by their own case files) collapse to their scope names."""
    out = []
    for name, kind, inputs, attrs, outputs in describe(tf):
        if _inner(name) is None:
            out.append([name, kind, [_inner(i) or i for i in inputs], attrs, outputs])
    return out


def _crf(tf):
    return tf.contrib.crf if hasattr(tf, "contrib") else _tf115_crf(tf)


def _crf_data(seed=7, batch=3, time=4, tags=3):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((batch, time, tags)).astype(np.float32),
            rng.integers(0, tags, (batch, time)).astype(np.int32), rng.standard_normal((tags, tags)).astype(np.float32))


def case_crf_log_likelihood_static_graph(tf):
    crf = _crf(tf)
    x, tags, _ = _crf_data()
    with tf.variable_scope("crf", initializer=_det(1)):
        ll, trans = crf.crf_log_likelihood(tf.constant(x), tf.constant(tags), tf.constant([4, 2, 1]))
    return {"graph": _crf_graph(tf), "out": [sig(ll), sig(trans)],
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()], "values": _init_run(tf, [ll])}


def _init_run(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [np.asarray(v) for v in s.run(list(fetches), feed)]


def case_crf_fed_unknown_dims_graph_and_values(tf):
    crf = _crf(tf)
    x, tags, trans = _crf_data(8, 4, 5, 3)
    xp, tp, lp = (tf.placeholder(tf.float32, [None, None, 3]), tf.placeholder(tf.int32, [None, None]),
                  tf.placeholder(tf.int32, [None]))
    ll, _ = crf.crf_log_likelihood(xp, tp, lp, tf.constant(trans))
    decoded, best = crf.crf_decode(xp, tf.constant(trans), lp)
    outs = [ll, decoded, best]
    feeds = [{xp: x, tp: tags, lp: [5, 3, 1, 0]}, {xp: x[:, :1], tp: tags[:, :1], lp: [1, 1, 0, 1]},
             {xp: x[:, :2], tp: tags[:, :2], lp: [2, 1, 2, 0]}]
    return {"graph": _crf_graph(tf), "out": [sig(t) for t in outs], "values": [run(tf, outs, f) for f in feeds]}


def case_crf_decode_static_graph(tf):
    crf = _crf(tf)
    x, _, trans = _crf_data(9, 2, 6, 4)
    decoded, best = crf.crf_decode(tf.constant(x), tf.constant(trans), tf.constant([6, 3]))
    return {"graph": _crf_graph(tf), "out": [sig(decoded), sig(best)], "values": run(tf, [decoded, best])}


def case_crf_single_step_static(tf):
    crf = _crf(tf)
    x, tags, trans = _crf_data(10, 3, 1, 4)
    lengths = tf.constant([1, 0, 1])
    ll, _ = crf.crf_log_likelihood(tf.constant(x), tf.constant(tags), lengths, tf.constant(trans))
    decoded, best = crf.crf_decode(tf.constant(x), tf.constant(trans), lengths)
    multi = crf.crf_multitag_sequence_score(tf.constant(x), tf.constant(x > 0), lengths, tf.constant(trans))
    outs = [ll, decoded, best, multi]
    return {"graph": _crf_graph(tf), "out": [sig(t) for t in outs], "values": run(tf, outs)}


def case_crf_pieces_int64_and_multitag(tf):
    crf = _crf(tf)
    x, tags, trans = _crf_data(11, 3, 5, 3)
    bitmap = np.random.default_rng(12).random(x.shape) > 0.5
    bitmap[..., 1] = True
    xt, tt, lt, trt = tf.constant(x), tf.constant(tags.astype(np.int64)), tf.constant([5, 2, 4]), tf.constant(trans)
    outs = [crf.crf_unary_score(tt, lt, xt), crf.crf_binary_score(tt, lt, trt),
            crf.crf_sequence_score(xt, tt, lt, trt), crf.crf_log_norm(xt, lt, trt),
            crf.crf_multitag_sequence_score(xt, tf.constant(bitmap), lt, trt),
            crf.crf_log_likelihood(xt, tt, lt, trt)[0]]
    return {"out": [sig(t) for t in outs], "values": run(tf, outs)}


def case_crf_gradients(tf):
    crf = _crf(tf)
    x, tags, trans = _crf_data(13, 2, 4, 3)
    xp, tp = tf.placeholder(tf.float32, [None, None, 3]), tf.placeholder(tf.int32, [None, None])
    with tf.variable_scope("crf", initializer=tf.constant_initializer(trans)):
        ll, t = crf.crf_log_likelihood(xp, tp, tf.constant([4, 2]))
    g = tf.gradients(tf.reduce_sum(ll), [t, xp])
    return {"out": [[v.dtype.name, v.shape.as_list()] for v in g], "values": _init_run(tf, g, {xp: x, tp: tags})}


def case_crf_errors(tf):
    crf = _crf(tf)
    x, tags, trans = _crf_data(14, 2, 3, 3)
    bad = tags.copy()
    bad[0, 1] = 7
    ll, _ = crf.crf_log_likelihood(tf.constant(x), tf.constant(bad), tf.constant([3, 3]), tf.constant(trans))
    # TF 1.15's single-step branch is built too when time is unknown: static [2, 3] tags fail there
    return [error_text(lambda: crf.crf_log_likelihood(tf.placeholder(tf.float32, [2, None, 3]), tf.constant(tags),
                                                      tf.constant([3, 3]), tf.constant(trans))),
            kernel_error(tf, ll)]


# ----- TF 1.15's legacy_seq2seq/seq2seq.py and core_rnn_cell's wrappers, built from TF 2.21's ops (TF side) --
def _tf115_seq2seq(tf):
    import copy
    import math

    from tensorflow.python.framework.tensor_shape import dimension_value as dv
    nest = tf.nest

    def linear(args, output_size, bias, bias_initializer=None, kernel_initializer=None):
        if args is None or (nest.is_nested(args) and not args):
            raise ValueError("`args` must be specified")
        if not nest.is_nested(args):
            args = [args]
        total_arg_size = 0
        shapes = [a.get_shape() for a in args]
        for shape in shapes:
            if shape.ndims != 2:
                raise ValueError(f"linear is expecting 2D arguments: {shapes}")
            if dv(shape.dims[1]) is None:
                raise ValueError(f"linear expects shape[1] to be provided for shape {shape}, but saw {shape[1]}")
            total_arg_size += dv(shape.dims[1])
        dtype = next(a.dtype for a in args)
        scope = tf.get_variable_scope()
        with tf.variable_scope(scope) as outer_scope:
            weights = tf.get_variable("kernel", [total_arg_size, output_size], dtype=dtype,
                                      initializer=kernel_initializer)
            res = tf.matmul(args[0], weights) if len(args) == 1 else tf.matmul(tf.concat(args, 1), weights)
            if not bias:
                return res
            with tf.variable_scope(outer_scope) as inner_scope:
                inner_scope.set_partitioner(None)
                if bias_initializer is None:
                    bias_initializer = tf.constant_initializer(0.0, dtype=dtype)
                biases = tf.get_variable("bias", [output_size], dtype=dtype, initializer=bias_initializer)
            return tf.nn.bias_add(res, biases)

    RNNCell = tf.nn.rnn_cell.RNNCell

    class EmbeddingWrapper(RNNCell):
        def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
            super().__init__(_reuse=reuse)
            if embedding_classes <= 0 or embedding_size <= 0:
                raise ValueError(f"Both embedding_classes and embedding_size must be > 0: {embedding_classes}, "
                                 f"{embedding_size}.")
            self._cell, self._embedding_classes, self._embedding_size = cell, embedding_classes, embedding_size
            self._initializer = initializer

        state_size = property(lambda self: self._cell.state_size)
        output_size = property(lambda self: self._cell.output_size)

        def zero_state(self, batch_size, dtype):
            with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
                return self._cell.zero_state(batch_size, dtype)

        def call(self, inputs, state):
            with tf.device("/cpu:0"):
                if self._initializer:
                    initializer = self._initializer
                elif tf.get_variable_scope().initializer:
                    initializer = tf.get_variable_scope().initializer
                else:
                    sqrt3 = math.sqrt(3)
                    initializer = tf.random_uniform_initializer(-sqrt3, sqrt3)
                data_type = state[0].dtype if isinstance(state, tuple) else state.dtype
                embedding = tf.get_variable("embedding", [self._embedding_classes, self._embedding_size],
                                            initializer=initializer, dtype=data_type)
                embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
                return self._cell(embedded, state)

    class OutputProjectionWrapper(RNNCell):
        def __init__(self, cell, output_size, activation=None, reuse=None):
            super().__init__(_reuse=reuse)
            if output_size < 1:
                raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
            self._cell, self._output_size, self._activation = cell, output_size, activation

        state_size = property(lambda self: self._cell.state_size)
        output_size = property(lambda self: self._output_size)

        def zero_state(self, batch_size, dtype):
            with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
                return self._cell.zero_state(batch_size, dtype)

        def call(self, inputs, state):   # (TF 1.15: a core_rnn_cell._Linear made once, applied outside its scope)
            output, res_state = self._cell(inputs, state)
            if getattr(self, "_proj", None) is None:
                with tf.variable_scope(tf.get_variable_scope()) as outer:
                    w = tf.get_variable("kernel", [dv(output.get_shape()[1]), self._output_size], dtype=output.dtype)
                    with tf.variable_scope(outer) as inner:
                        inner.set_partitioner(None)
                        b = tf.get_variable("bias", [self._output_size], dtype=output.dtype,
                                            initializer=tf.constant_initializer(0.0, dtype=output.dtype))
                self._proj = (w, b)
            projected = tf.nn.bias_add(tf.matmul(output, self._proj[0]), self._proj[1])
            if self._activation:
                projected = self._activation(projected)
            return projected, res_state

    def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
        def loop_function(prev, _):
            if output_projection is not None:
                prev = tf.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
            prev_symbol = tf.argmax(prev, 1)
            emb_prev = tf.nn.embedding_lookup(embedding, prev_symbol)
            if not update_embedding:
                emb_prev = tf.stop_gradient(emb_prev)
            return emb_prev
        return loop_function

    def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
        with tf.variable_scope(scope or "rnn_decoder"):
            state = initial_state
            outputs = []
            prev = None
            for i, inp in enumerate(decoder_inputs):
                if loop_function is not None and prev is not None:
                    with tf.variable_scope("loop_function", reuse=True):
                        inp = loop_function(prev, i)
                if i > 0:
                    tf.get_variable_scope().reuse_variables()
                output, state = cell(inp, state)
                outputs.append(output)
                if loop_function is not None:
                    prev = output
        return outputs, state

    def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=tf.float32, scope=None):
        with tf.variable_scope(scope or "basic_rnn_seq2seq"):
            enc_cell = copy.deepcopy(cell)
            _, enc_state = tf.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
            return rnn_decoder(decoder_inputs, enc_state, cell)

    def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None, dtype=tf.float32, scope=None):
        with tf.variable_scope("combined_tied_rnn_seq2seq"):
            scope = scope or "tied_rnn_seq2seq"
            _, enc_state = tf.nn.static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
            tf.get_variable_scope().reuse_variables()
            return rnn_decoder(decoder_inputs, enc_state, cell, loop_function=loop_function, scope=scope)

    def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                              output_projection=None, feed_previous=False, update_embedding_for_previous=True,
                              scope=None):
        with tf.variable_scope(scope or "embedding_rnn_decoder") as vscope:
            if output_projection is not None:
                dtype = vscope.dtype
                proj_weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
                proj_weights.get_shape().assert_is_compatible_with([None, num_symbols])
                proj_biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
                proj_biases.get_shape().assert_is_compatible_with([num_symbols])
            embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
            loop_function = _extract_argmax_and_embed(embedding, output_projection,
                                                      update_embedding_for_previous) if feed_previous else None
            emb_inp = (tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs)
            return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)

    def _cond(feed_previous, decoder, outputs_len):
        outputs_and_state = tf.cond(feed_previous, lambda: decoder(True), lambda: decoder(False))
        return outputs_and_state[:outputs_len], outputs_and_state[outputs_len:]

    def _state_list(state):
        return nest.flatten(state) if nest.is_nested(state) else [state]

    def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols, num_decoder_symbols,
                              embedding_size, output_projection=None, feed_previous=False, dtype=None, scope=None):
        with tf.variable_scope(scope or "embedding_rnn_seq2seq") as vscope:
            if dtype is not None:
                vscope.set_dtype(dtype)
            else:
                dtype = vscope.dtype
            encoder_cell = copy.deepcopy(cell)
            encoder_cell = EmbeddingWrapper(encoder_cell, embedding_classes=num_encoder_symbols,
                                            embedding_size=embedding_size)
            _, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
            if output_projection is None:
                cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            if isinstance(feed_previous, bool):
                return embedding_rnn_decoder(decoder_inputs, encoder_state, cell, num_decoder_symbols,
                                             embedding_size, output_projection=output_projection,
                                             feed_previous=feed_previous)

            def decoder(feed_previous_bool):
                reuse = None if feed_previous_bool else True
                with tf.variable_scope(tf.get_variable_scope(), reuse=reuse):
                    outputs, state = embedding_rnn_decoder(
                        decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                        output_projection=output_projection, feed_previous=feed_previous_bool,
                        update_embedding_for_previous=False)
                    return outputs + _state_list(state)
            outputs, state_list = _cond(feed_previous, decoder, len(decoder_inputs))
            state = state_list[0]
            if nest.is_nested(encoder_state):
                state = nest.pack_sequence_as(structure=encoder_state, flat_sequence=state_list)
            return outputs, state

    def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols, embedding_size,
                                   num_decoder_symbols=None, output_projection=None, feed_previous=False,
                                   dtype=None, scope=None):
        with tf.variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as vscope:
            dtype = vscope.dtype
            if output_projection is not None:
                proj_weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
                proj_weights.get_shape().assert_is_compatible_with([None, num_symbols])
                proj_biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
                proj_biases.get_shape().assert_is_compatible_with([num_symbols])
            embedding = tf.get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
            emb_encoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in encoder_inputs]
            emb_decoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in decoder_inputs]
            output_symbols = num_symbols
            if num_decoder_symbols is not None:
                output_symbols = num_decoder_symbols
            if output_projection is None:
                cell = OutputProjectionWrapper(cell, output_symbols)
            if isinstance(feed_previous, bool):
                loop_function = _extract_argmax_and_embed(embedding, output_projection,
                                                          True) if feed_previous else None
                return tied_rnn_seq2seq(emb_encoder_inputs, emb_decoder_inputs, cell, loop_function=loop_function,
                                        dtype=dtype)

            def decoder(feed_previous_bool):
                loop_function = _extract_argmax_and_embed(embedding, output_projection,
                                                          False) if feed_previous_bool else None
                reuse = None if feed_previous_bool else True
                with tf.variable_scope(tf.get_variable_scope(), reuse=reuse):
                    outputs, state = tied_rnn_seq2seq(emb_encoder_inputs, emb_decoder_inputs, cell,
                                                      loop_function=loop_function, dtype=dtype)
                    return outputs + _state_list(state)
            outputs, state_list = _cond(feed_previous, decoder, len(decoder_inputs))
            state = state_list[0]
            static_batch_size = encoder_inputs[0].get_shape()[0]
            for inp in encoder_inputs[1:]:
                static_batch_size.merge_with(inp.get_shape()[0])
            batch_size = dv(static_batch_size)
            if batch_size is None:
                batch_size = tf.shape(encoder_inputs[0])[0]
            zero_state = cell.zero_state(batch_size, dtype)
            if nest.is_nested(zero_state):
                state = nest.pack_sequence_as(structure=zero_state, flat_sequence=state_list)
            return outputs, state

    def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None, num_heads=1,
                          loop_function=None, dtype=None, scope=None, initial_state_attention=False):
        if not decoder_inputs:
            raise ValueError("Must provide at least 1 input to attention decoder.")
        if num_heads < 1:
            raise ValueError("With less than 1 heads, use a non-attention decoder.")
        if dv(attention_states.get_shape()[2]) is None:
            raise ValueError(f"Shape[2] of attention_states must be known: {attention_states.get_shape()}")
        if output_size is None:
            output_size = cell.output_size
        with tf.variable_scope(scope or "attention_decoder", dtype=dtype) as vscope:
            dtype = vscope.dtype
            batch_size = tf.shape(decoder_inputs[0])[0]
            attn_length = dv(attention_states.get_shape()[1])
            if attn_length is None:
                attn_length = tf.shape(attention_states)[1]
            attn_size = dv(attention_states.get_shape()[2])
            hidden = tf.reshape(attention_states, [-1, attn_length, 1, attn_size])
            hidden_features = []
            v = []
            attention_vec_size = attn_size
            for a in range(num_heads):
                k = tf.get_variable(f"AttnW_{a}", [1, 1, attn_size, attention_vec_size])
                hidden_features.append(tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME"))
                v.append(tf.get_variable(f"AttnV_{a}", [attention_vec_size]))
            state = initial_state

            def attention(query):
                ds = []
                if nest.is_nested(query):
                    query_list = nest.flatten(query)
                    query = tf.concat(query_list, 1)
                for a in range(num_heads):
                    with tf.variable_scope(f"Attention_{a}"):
                        y = linear(query, attention_vec_size, True)
                        y = tf.reshape(y, [-1, 1, 1, attention_vec_size])
                        s = tf.reduce_sum(v[a] * tf.tanh(hidden_features[a] + y), [2, 3])
                        a = tf.nn.softmax(s)
                        d = tf.reduce_sum(tf.reshape(a, [-1, attn_length, 1, 1]) * hidden, [1, 2])
                        ds.append(tf.reshape(d, [-1, attn_size]))
                return ds

            outputs = []
            prev = None
            batch_attn_size = tf.stack([batch_size, attn_size])
            attns = [tf.zeros(batch_attn_size, dtype=dtype) for _ in range(num_heads)]
            for a in attns:
                a.set_shape([None, attn_size])
            if initial_state_attention:
                attns = attention(initial_state)
            for i, inp in enumerate(decoder_inputs):
                if i > 0:
                    tf.get_variable_scope().reuse_variables()
                if loop_function is not None and prev is not None:
                    with tf.variable_scope("loop_function", reuse=True):
                        inp = loop_function(prev, i)
                input_size = inp.get_shape().with_rank(2)[1]
                if dv(input_size) is None:
                    raise ValueError(f"Could not infer input size from input: {inp.name}")
                x = linear([inp] + attns, input_size, True)
                cell_output, state = cell(x, state)
                if i == 0 and initial_state_attention:
                    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
                        attns = attention(state)
                else:
                    attns = attention(state)
                with tf.variable_scope("AttnOutputProjection"):
                    output = linear([cell_output] + attns, output_size, True)
                if loop_function is not None:
                    prev = output
                outputs.append(output)
        return outputs, state

    def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell, num_symbols,
                                    embedding_size, num_heads=1, output_size=None, output_projection=None,
                                    feed_previous=False, update_embedding_for_previous=True, dtype=None, scope=None,
                                    initial_state_attention=False):
        if output_size is None:
            output_size = cell.output_size
        if output_projection is not None:
            proj_biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
            proj_biases.get_shape().assert_is_compatible_with([num_symbols])
        with tf.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
            embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
            loop_function = _extract_argmax_and_embed(embedding, output_projection,
                                                      update_embedding_for_previous) if feed_previous else None
            emb_inp = [tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
            return attention_decoder(emb_inp, initial_state, attention_states, cell, output_size=output_size,
                                     num_heads=num_heads, loop_function=loop_function,
                                     initial_state_attention=initial_state_attention)

    def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols, num_decoder_symbols,
                                    embedding_size, encoder_cell=None, num_heads=1, output_projection=None,
                                    feed_previous=False, dtype=None, scope=None, initial_state_attention=False):
        with tf.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as vscope:
            dtype = vscope.dtype
            if encoder_cell is None:
                encoder_cell = copy.deepcopy(cell)
            encoder_cell = EmbeddingWrapper(encoder_cell, embedding_classes=num_encoder_symbols,
                                            embedding_size=embedding_size)
            encoder_outputs, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
            top_states = [tf.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
            attention_states = tf.concat(top_states, 1)
            output_size = None
            if output_projection is None:
                cell = OutputProjectionWrapper(cell, num_decoder_symbols)
                output_size = num_decoder_symbols
            if isinstance(feed_previous, bool):
                return embedding_attention_decoder(
                    decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols, embedding_size,
                    num_heads=num_heads, output_size=output_size, output_projection=output_projection,
                    feed_previous=feed_previous, initial_state_attention=initial_state_attention)

            def decoder(feed_previous_bool):
                reuse = None if feed_previous_bool else True
                with tf.variable_scope(tf.get_variable_scope(), reuse=reuse):
                    outputs, state = embedding_attention_decoder(
                        decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols, embedding_size,
                        num_heads=num_heads, output_size=output_size, output_projection=output_projection,
                        feed_previous=feed_previous_bool, update_embedding_for_previous=False,
                        initial_state_attention=initial_state_attention)
                    return outputs + _state_list(state)
            outputs, state_list = _cond(feed_previous, decoder, len(decoder_inputs))
            state = state_list[0]
            if nest.is_nested(encoder_state):
                state = nest.pack_sequence_as(structure=encoder_state, flat_sequence=state_list)
            return outputs, state

    def one2many_rnn_seq2seq(encoder_inputs, decoder_inputs_dict, enc_cell, dec_cells_dict, num_encoder_symbols,
                             num_decoder_symbols_dict, embedding_size, feed_previous=False, dtype=None, scope=None):
        outputs_dict = {}
        state_dict = {}
        if not isinstance(enc_cell, RNNCell):
            raise TypeError(f"enc_cell is not an RNNCell: {type(enc_cell)}")
        if set(dec_cells_dict) != set(decoder_inputs_dict):
            raise ValueError("keys of dec_cells_dict != keys of decodre_inputs_dict")
        for dec_cell in dec_cells_dict.values():
            if not isinstance(dec_cell, RNNCell):
                raise TypeError(f"dec_cell is not an RNNCell: {type(dec_cell)}")
        with tf.variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as vscope:
            dtype = vscope.dtype
            enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
            _, encoder_state = tf.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
            for name, decoder_inputs in decoder_inputs_dict.items():
                num_decoder_symbols = num_decoder_symbols_dict[name]
                dec_cell = dec_cells_dict[name]
                with tf.variable_scope("one2many_decoder_" + str(name)) as vscope:
                    dec_cell = OutputProjectionWrapper(dec_cell, num_decoder_symbols)
                    if isinstance(feed_previous, bool):
                        outputs, state = embedding_rnn_decoder(decoder_inputs, encoder_state, dec_cell,
                                                               num_decoder_symbols, embedding_size,
                                                               feed_previous=feed_previous)
                    else:
                        def filled(feed_previous, decoder_inputs=decoder_inputs, dec_cell=dec_cell,
                                   num_decoder_symbols=num_decoder_symbols):
                            reuse = None if feed_previous else True
                            with tf.variable_scope(tf.get_variable_scope(), reuse=reuse):
                                outputs, state = embedding_rnn_decoder(decoder_inputs, encoder_state, dec_cell,
                                                                       num_decoder_symbols, embedding_size,
                                                                       feed_previous=feed_previous)
                                return outputs + _state_list(state)
                        outputs, state_list = _cond(feed_previous, filled, len(decoder_inputs))
                        state = state_list[0]
                        if nest.is_nested(encoder_state):
                            state = nest.pack_sequence_as(structure=encoder_state, flat_sequence=state_list)
                outputs_dict[name] = outputs
                state_dict[name] = state
        return outputs_dict, state_dict

    def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                                 softmax_loss_function=None, name=None):
        if len(targets) != len(logits) or len(weights) != len(logits):
            raise ValueError(f"Lengths of logits, weights, and targets must be the same {len(logits)}, "
                             f"{len(weights)}, {len(targets)}.")
        with tf.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
            log_perp_list = []
            for logit, target, weight in zip(logits, targets, weights):
                if softmax_loss_function is None:
                    target = tf.reshape(target, [-1])
                    crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=logit)
                else:
                    crossent = softmax_loss_function(labels=target, logits=logit)
                log_perp_list.append(crossent * weight)
            log_perps = tf.add_n(log_perp_list)
            if average_across_timesteps:
                total_size = tf.add_n(weights)
                total_size += 1e-12
                log_perps /= total_size
        return log_perps

    def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                      softmax_loss_function=None, name=None):
        with tf.name_scope(name, "sequence_loss", logits + targets + weights):
            cost = tf.reduce_sum(sequence_loss_by_example(logits, targets, weights,
                                                          average_across_timesteps=average_across_timesteps,
                                                          softmax_loss_function=softmax_loss_function))
            if average_across_batch:
                batch_size = tf.shape(targets[0])[0]
                return cost / tf.cast(batch_size, cost.dtype)
            return cost

    def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                           softmax_loss_function=None, per_example_loss=False, name=None):
        if len(encoder_inputs) < buckets[-1][0]:
            raise ValueError(f"Length of encoder_inputs ({len(encoder_inputs)}) must be at least that of last "
                             f"bucket ({buckets[-1][0]}).")
        if len(targets) < buckets[-1][1]:
            raise ValueError(f"Length of targets ({len(targets)}) must be at least that of lastbucket "
                             f"({buckets[-1][1]}).")
        if len(weights) < buckets[-1][1]:
            raise ValueError(f"Length of weights ({len(weights)}) must be at least that of lastbucket "
                             f"({buckets[-1][1]}).")
        all_inputs = encoder_inputs + decoder_inputs + targets + weights
        losses = []
        outputs = []
        with tf.name_scope(name, "model_with_buckets", all_inputs):
            for j, bucket in enumerate(buckets):
                with tf.variable_scope(tf.get_variable_scope(), reuse=True if j > 0 else None):
                    bucket_outputs, _ = seq2seq(encoder_inputs[:bucket[0]], decoder_inputs[:bucket[1]])
                    outputs.append(bucket_outputs)
                    loss = sequence_loss_by_example if per_example_loss else sequence_loss
                    losses.append(loss(outputs[-1], targets[:bucket[1]], weights[:bucket[1]],
                                       softmax_loss_function=softmax_loss_function))
        return outputs, losses

    return types.SimpleNamespace(**{k: v for k, v in locals().items() if not k.startswith("_")})


def _s2s(tf):
    return tf.contrib.legacy_seq2seq if hasattr(tf, "contrib") else _tf115_seq2seq(tf)


def _ids(tf, seed, n, vocab, batch=3):
    rng = np.random.default_rng(seed)
    return [tf.constant(rng.integers(0, vocab, batch).astype(np.int32)) for _ in range(n)]


def _vecs(tf, seed, n, depth=2, batch=3):
    rng = np.random.default_rng(seed)
    return [tf.constant(rng.uniform(-1, 1, (batch, depth)).astype(np.float32)) for _ in range(n)]


def _model(tf, outs, feed=None):
    """Output signatures, variables (name, shape) and values of a built model."""
    flat = tf.nest.flatten(outs)
    return {"out": [sig(t) for t in flat], "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "values": _init_run(tf, flat, feed)}


def case_s2s_losses(tf):
    s2s = _s2s(tf)
    rng = np.random.default_rng(20)
    logits = [tf.constant(rng.standard_normal((3, 5)).astype(np.float32)) for _ in range(3)]
    targets = [tf.constant(rng.integers(0, 5, 3).astype(np.int32)) for _ in range(3)]
    weights = [tf.constant(w) for w in rng.integers(0, 2, (3, 3)).astype(np.float32)]
    outs = [s2s.sequence_loss_by_example(logits, targets, weights),
            s2s.sequence_loss_by_example(logits, targets, weights, average_across_timesteps=False, name="sum"),
            s2s.sequence_loss(logits, targets, weights),
            s2s.sequence_loss(logits, targets, weights, average_across_batch=False),
            s2s.sequence_loss(logits, targets, weights, softmax_loss_function=lambda labels, logits:
                              tf.reduce_max(logits, 1) + tf.cast(labels, tf.float32))]
    return {"graph": describe(tf), "out": [sig(t) for t in outs], "values": run(tf, outs)}


def case_s2s_basic_rnn_graph(tf):
    s2s = _s2s(tf)
    enc = [tf.placeholder(tf.float32, [None, 2]) for _ in range(3)]
    dec = [tf.placeholder(tf.float32, [None, 2]) for _ in range(2)]
    with tf.variable_scope("m", initializer=_det(1)):
        outs = s2s.basic_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(4))
    feed = {p: np.random.default_rng(i).uniform(-1, 1, (3, 2)).astype(np.float32) for i, p in enumerate(enc + dec)}
    return {"graph": describe(tf), **_model(tf, outs, feed)}


def case_s2s_tied_and_rnn_decoder_loop(tf):
    s2s = _s2s(tf)
    enc, dec = _vecs(tf, 21, 3), _vecs(tf, 22, 3)
    with tf.variable_scope("tied", initializer=_det(2)):
        tied = s2s.tied_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.BasicLSTMCell(2), loop_function=lambda prev, i: prev * i)
    with tf.variable_scope("dec", initializer=_det(3)):
        cell = tf.nn.rnn_cell.GRUCell(2)
        plain = s2s.rnn_decoder(dec, cell.zero_state(3, tf.float32), cell, scope="d")
    return _model(tf, [tied, plain])


def case_s2s_embedding_rnn(tf):
    s2s = _s2s(tf)
    enc, dec = _ids(tf, 23, 3, 5), _ids(tf, 24, 2, 6)
    feed = tf.placeholder(tf.bool, [])
    outs = []
    for i, fp in enumerate([False, True, feed]):
        with tf.variable_scope(f"e{i}", initializer=_det(4)):
            outs.append(s2s.embedding_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(3), 5, 6, 4, feed_previous=fp))
    with tf.variable_scope("lstm", initializer=_det(5)):
        outs.append(s2s.embedding_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.BasicLSTMCell(3), 5, 6, 4, feed_previous=feed))
    return [_model(tf, outs, {feed: True}), _init_run(tf, tf.nest.flatten(outs[2:]), {feed: False})]


def case_s2s_embedding_tied_with_projection(tf):
    s2s = _s2s(tf)
    enc, dec = _ids(tf, 25, 2, 7), _ids(tf, 26, 3, 7)
    w, b = tf.constant(_det(6)([3, 7])), tf.constant(_det(7)([7]))
    feed = tf.placeholder(tf.bool, [])
    with tf.variable_scope("t", initializer=_det(8)):
        a = s2s.embedding_tied_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(3), 7, 2, output_projection=(w, b),
                                           feed_previous=True)
    with tf.variable_scope("u", initializer=_det(9)):
        c = s2s.embedding_tied_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.BasicLSTMCell(3), 7, 2, num_decoder_symbols=5,
                                           feed_previous=feed)
    return _model(tf, [a, c], {feed: True})


def case_s2s_attention(tf):
    s2s = _s2s(tf)
    enc, dec = _ids(tf, 27, 3, 5), _ids(tf, 28, 2, 6)
    feed = tf.placeholder(tf.bool, [])
    with tf.variable_scope("att", initializer=_det(10)):
        a = s2s.embedding_attention_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(3), 5, 6, 4, num_heads=2,
                                            initial_state_attention=True)
    with tf.variable_scope("att2", initializer=_det(11)):
        b = s2s.embedding_attention_seq2seq(enc, dec, tf.nn.rnn_cell.BasicLSTMCell(3), 5, 6, 4, feed_previous=feed)
    states = tf.placeholder(tf.float32, [None, None, 3])
    with tf.variable_scope("plain", initializer=_det(12)):
        cell = tf.nn.rnn_cell.GRUCell(3)
        c = s2s.attention_decoder(_vecs(tf, 29, 2), cell.zero_state(3, tf.float32), states, cell, output_size=2)
    feeds = {feed: True, states: np.random.default_rng(30).uniform(-1, 1, (3, 4, 3)).astype(np.float32)}
    return _model(tf, [a, b, c], feeds)


def case_s2s_one2many(tf):
    s2s = _s2s(tf)
    enc = _ids(tf, 31, 2, 5)
    decs = {"x": _ids(tf, 32, 2, 4), "y": _ids(tf, 33, 3, 6)}
    feed = tf.placeholder(tf.bool, [])
    with tf.variable_scope("o", initializer=_det(13)):
        a = s2s.one2many_rnn_seq2seq(enc, decs, tf.nn.rnn_cell.GRUCell(3),
                                     {"x": tf.nn.rnn_cell.GRUCell(3), "y": tf.nn.rnn_cell.GRUCell(3)}, 5,
                                     {"x": 4, "y": 6}, 2)
    with tf.variable_scope("p", initializer=_det(14)):
        b = s2s.one2many_rnn_seq2seq(enc, decs, tf.nn.rnn_cell.GRUCell(3),
                                     {"x": tf.nn.rnn_cell.GRUCell(3), "y": tf.nn.rnn_cell.GRUCell(3)}, 5,
                                     {"x": 4, "y": 6}, 2, feed_previous=feed)
    return _model(tf, [a, b], {feed: True})


def case_s2s_model_with_buckets(tf):
    s2s = _s2s(tf)
    enc, dec = _vecs(tf, 34, 3), _vecs(tf, 35, 3)
    targets = _ids(tf, 36, 3, 4)
    weights = [tf.constant(w) for w in np.random.default_rng(37).integers(0, 2, (3, 3)).astype(np.float32)]
    with tf.variable_scope("b", initializer=_det(15)):
        outs = s2s.model_with_buckets(enc, dec, targets, weights, [(2, 2), (3, 3)],
                                      lambda x, y: s2s.basic_rnn_seq2seq(x, y, s2s.OutputProjectionWrapper(
                                          tf.nn.rnn_cell.GRUCell(3), 4)))
    with tf.variable_scope("c", initializer=_det(16)):
        per = s2s.model_with_buckets(enc, dec, targets, weights, [(3, 3)],
                                     lambda x, y: s2s.tied_rnn_seq2seq(x, y, s2s.OutputProjectionWrapper(
                                         tf.nn.rnn_cell.GRUCell(2), 4)), per_example_loss=True)
    return _model(tf, [outs, per])


def case_s2s_errors(tf):
    s2s = _s2s(tf)
    ids, vecs = _ids(tf, 38, 2, 4), _vecs(tf, 39, 2)
    cell = tf.nn.rnn_cell.GRUCell(2)
    state = cell.zero_state(3, tf.float32)
    return [error_text(lambda: s2s.sequence_loss_by_example(vecs, ids[:1], vecs)),
            error_text(lambda: s2s.attention_decoder([], state, tf.zeros([3, 2, 2]), cell)),
            error_text(lambda: s2s.attention_decoder(vecs, state, tf.zeros([3, 2, 2]), cell, num_heads=0)),
            error_text(lambda: s2s.attention_decoder(vecs, state, tf.placeholder(tf.float32, [3, 2, None]), cell)),
            error_text(lambda: s2s.model_with_buckets(vecs, vecs, ids, vecs, [(3, 2)], None)),
            error_text(lambda: s2s.model_with_buckets(vecs, vecs, ids, vecs, [(2, 3)], None)),
            error_text(lambda: s2s.model_with_buckets(vecs, vecs, ids * 2, vecs, [(2, 3)], None)),
            error_text(lambda: s2s.EmbeddingWrapper(cell, 0, 3)),
            error_text(lambda: s2s.OutputProjectionWrapper(cell, 0)),
            error_text(lambda: s2s.one2many_rnn_seq2seq(ids, {"a": ids}, "cell", {"a": cell}, 4, {"a": 4}, 2)),
            error_text(lambda: s2s.one2many_rnn_seq2seq(ids, {"a": ids}, cell, {"b": cell}, 4, {"a": 4}, 2)),
            error_text(lambda: s2s.linear([], 3, True)),
            error_text(lambda: s2s.linear(tf.zeros([2, 3, 1]), 3, True)),
            error_text(lambda: s2s.linear(tf.placeholder(tf.float32, [2, None]), 3, True))]


def case_s2s_attention_decoder_graph(tf):
    s2s = _s2s(tf)
    states = tf.placeholder(tf.float32, [None, None, 3])
    inputs = [tf.placeholder(tf.float32, [None, 2]) for _ in range(2)]
    with tf.variable_scope("a", initializer=_det(17)):
        cell = tf.nn.rnn_cell.GRUCell(3)
        outs = s2s.attention_decoder(inputs, cell.zero_state(tf.shape(inputs[0])[0], tf.float32), states, cell,
                                     num_heads=2, initial_state_attention=True)
    return {"graph": describe(tf), "out": [sig(t) for t in tf.nest.flatten(outs)]}


def case_s2s_embedding_cond_graph(tf):
    s2s = _s2s(tf)
    enc, dec = _ids(tf, 40, 2, 4), _ids(tf, 41, 2, 5)
    with tf.variable_scope("c", initializer=_det(18)):
        outs = s2s.embedding_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.BasicRNNCell(2), 4, 5, 2,
                                         feed_previous=tf.placeholder(tf.bool, []))
    return {"graph": describe(tf), "out": [sig(t) for t in tf.nest.flatten(outs)]}

"""`tf.contrib.legacy_seq2seq`: TF 1.15's statically unrolled sequence-to-sequence models (lists of per-step
tensors in and out): RNN and attention decoders, their embedding and tied variants, the one-encoder-many-decoders
model, bucketing, and the per-step sequence losses, over tf.contrib.rnn's EmbeddingWrapper and
OutputProjectionWrapper and contrib's `_linear` (variables `kernel` and `bias` in the current scope)."""
import copy

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..initializers import constant_initializer
from ..nest import flatten, is_nested, pack_sequence_as
from ..ops.array import reshape, shape, stop_gradient
from ..ops.control_flow import cond
from ..ops.conv import conv2d
from ..ops.embedding import embedding_lookup
from ..ops.filling import zeros
from ..ops.joining import concat, stack
from ..ops.linalg import matmul
from ..ops.math import cast, tanh
from ..ops.nn import bias_add, softmax, sparse_softmax_cross_entropy_with_logits
from ..ops.nn_impl import xw_plus_b
from ..ops.reduction import add_n, argmax, reduce_sum
from ..rnn import static_rnn
from ..variable_scope import get_variable, get_variable_scope, variable_scope
from .rnn import EmbeddingWrapper, OutputProjectionWrapper, RNNCell, _linear_inputs


# ----- contrib's core_rnn_cell._linear (the wrappers are tf.contrib.rnn's) ------------------------------------
def linear(args, output_size, bias, bias_initializer=None, kernel_initializer=None):
    """args (a tensor or list of [batch, n] tensors) concatenated, times `kernel`, plus `bias` if asked (its
    ops made inside the re-entered scope, unlike tf.contrib.rnn's _Linear)."""
    args, total_arg_size, dtype = _linear_inputs(args)
    with variable_scope(get_variable_scope()) as outer_scope:
        weights = get_variable("kernel", [total_arg_size, output_size], dtype=dtype, initializer=kernel_initializer)
        res = matmul(args[0], weights) if len(args) == 1 else matmul(concat(args, 1), weights)
        if not bias:
            return res
        with variable_scope(outer_scope) as inner_scope:
            inner_scope.set_partitioner(None)
            biases = get_variable("bias", [output_size], dtype=dtype,
                                  initializer=bias_initializer or constant_initializer(0.0, dtype=dtype))
        return bias_add(res, biases)


# ----- decoders and models ----------------------------------------------------------------------------------
def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A loop function: the embedding of the previous output's argmax symbol."""
    def loop_function(prev, _):
        if output_projection is not None:
            prev = xw_plus_b(prev, output_projection[0], output_projection[1])
        emb_prev = embedding_lookup(embedding, argmax(prev, 1))
        return emb_prev if update_embedding else stop_gradient(emb_prev)
    return loop_function


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """Runs `cell` over `decoder_inputs` from `initial_state` (inputs after the first from `loop_function` if
    given): (outputs, final state)."""
    with variable_scope(scope or "rnn_decoder"):
        state, outputs, prev = initial_state, [], None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=dtypes.float32, scope=None):
    """An encoder RNN (a copy of `cell`) whose final state starts the decoder RNN."""
    with variable_scope(scope or "basic_rnn_seq2seq"):
        _, enc_state = static_rnn(copy.deepcopy(cell), encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None, dtype=dtypes.float32, scope=None):
    """As basic_rnn_seq2seq, the encoder and decoder sharing the cell's variables."""
    with variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, enc_state = static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, enc_state, cell, loop_function=loop_function, scope=scope)


def _check_projection(output_projection, num_symbols, dtype):
    weights = convert_to_tensor(output_projection[0], dtype=dtype)
    weights.get_shape().assert_is_compatible_with([None, num_symbols])
    biases = convert_to_tensor(output_projection[1], dtype=dtype)
    biases.get_shape().assert_is_compatible_with([num_symbols])


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size, output_projection=None,
                          feed_previous=False, update_embedding_for_previous=True, scope=None):
    """rnn_decoder over the embeddings (variable `embedding`) of integer `decoder_inputs`; with `feed_previous`,
    greedy decoding from the first input."""
    with variable_scope(scope or "embedding_rnn_decoder") as vscope:
        if output_projection is not None:
            _check_projection(output_projection, num_symbols, vscope.dtype)
        embedding = get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (_extract_argmax_and_embed(embedding, output_projection, update_embedding_for_previous)
                         if feed_previous else None)
        emb_inp = (embedding_lookup(embedding, i) for i in decoder_inputs)
        return rnn_decoder(emb_inp, initial_state, cell, loop_function=loop_function)


def _cond_decoders(feed_previous, decoder, num_outputs):
    """Both decoders (feeding previous outputs and not) under a `cond` on the tensor `feed_previous`:
    (outputs, the final state's tensors as a list)."""
    def branch(feed):
        with variable_scope(get_variable_scope(), reuse=None if feed else True):
            outputs, state = decoder(feed)
            return outputs + (flatten(state) if is_nested(state) else [state])
    outputs_and_state = cond(feed_previous, lambda: branch(True), lambda: branch(False))
    return outputs_and_state[:num_outputs], outputs_and_state[num_outputs:]


def _pack_state(like, state_list):
    return pack_sequence_as(like, state_list) if is_nested(like) else state_list[0]


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols, num_decoder_symbols,
                          embedding_size, output_projection=None, feed_previous=False, dtype=None, scope=None):
    """An embedding encoder RNN whose final state starts an embedding decoder (projected to the decoder symbols
    unless `output_projection` is given)."""
    with variable_scope(scope or "embedding_rnn_seq2seq") as vscope:
        if dtype is not None:
            vscope.set_dtype(dtype)
        else:
            dtype = vscope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)

        def decoder(feed, update=False):
            return embedding_rnn_decoder(decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                                         output_projection=output_projection, feed_previous=feed,
                                         update_embedding_for_previous=update)
        if isinstance(feed_previous, bool):
            return decoder(feed_previous, True)
        outputs, state_list = _cond_decoders(feed_previous, decoder, len(decoder_inputs))
        return outputs, _pack_state(encoder_state, state_list)


def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols, embedding_size,
                               num_decoder_symbols=None, output_projection=None, feed_previous=False, dtype=None,
                               scope=None):
    """tied_rnn_seq2seq over embeddings from one shared `embedding` variable."""
    with variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as vscope:
        dtype = vscope.dtype
        if output_projection is not None:
            _check_projection(output_projection, num_symbols, dtype)
        embedding = get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
        emb_encoder_inputs = [embedding_lookup(embedding, x) for x in encoder_inputs]
        emb_decoder_inputs = [embedding_lookup(embedding, x) for x in decoder_inputs]
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols if num_decoder_symbols is not None
                                           else num_symbols)

        def decoder(feed, update=False):
            loop_function = _extract_argmax_and_embed(embedding, output_projection, update) if feed else None
            return tied_rnn_seq2seq(emb_encoder_inputs, emb_decoder_inputs, cell, loop_function=loop_function,
                                    dtype=dtype)
        if isinstance(feed_previous, bool):
            return decoder(feed_previous, True)
        outputs, state_list = _cond_decoders(feed_previous, decoder, len(decoder_inputs))
        static_batch_size = encoder_inputs[0].get_shape()[0]
        for inp in encoder_inputs[1:]:
            static_batch_size.merge_with(inp.get_shape()[0])
        batch_size = static_batch_size.value
        if batch_size is None:
            batch_size = shape(encoder_inputs[0])[0]
        zero_state = cell.zero_state(batch_size, dtype)  # only its structure is needed
        return outputs, _pack_state(zero_state, state_list)


def _attention_reads(query, hidden, hidden_features, v, attn_length, attn_size):
    """One read of `hidden` [batch, length, 1, size] per head: softmax(v^T tanh(W1 h + W2 query))-weighted sums."""
    ds = []
    if is_nested(query):
        query_list = flatten(query)
        for q in query_list:
            assert not q.get_shape().ndims or q.get_shape().ndims == 2
        query = concat(query_list, 1)
    for a in range(len(v)):
        with variable_scope(f"Attention_{a}"):
            y = reshape(linear(query, attn_size, True), [-1, 1, 1, attn_size])
            s = reduce_sum(v[a] * tanh(hidden_features[a] + y), [2, 3])
            weights = softmax(s)
            d = reduce_sum(reshape(weights, [-1, attn_length, 1, 1]) * hidden, [1, 2])
            ds.append(reshape(d, [-1, attn_size]))
    return ds


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None, num_heads=1,
                      loop_function=None, dtype=None, scope=None, initial_state_attention=False):
    """rnn_decoder whose cell input mixes in, and whose output projects, `num_heads` attention reads over
    `attention_states` [batch, length, size] queried by the cell state."""
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    if attention_states.get_shape()[2].value is None:
        raise ValueError(f"Shape[2] of attention_states must be known: {attention_states.get_shape()}")
    if output_size is None:
        output_size = cell.output_size
    with variable_scope(scope or "attention_decoder", dtype=dtype) as vscope:
        dtype = vscope.dtype
        batch_size = shape(decoder_inputs[0])[0]
        attn_length = attention_states.get_shape()[1].value
        if attn_length is None:
            attn_length = shape(attention_states)[1]
        attn_size = attention_states.get_shape()[2].value
        hidden = reshape(attention_states, [-1, attn_length, 1, attn_size])  # W1 * h_t as a 1x1 convolution
        hidden_features, v = [], []
        for a in range(num_heads):
            k = get_variable(f"AttnW_{a}", [1, 1, attn_size, attn_size])
            hidden_features.append(conv2d(hidden, k, [1, 1, 1, 1], "SAME"))
            v.append(get_variable(f"AttnV_{a}", [attn_size]))

        def attention(query):
            return _attention_reads(query, hidden, hidden_features, v, attn_length, attn_size)

        state, outputs, prev = initial_state, [], None
        batch_attn_size = stack([batch_size, attn_size])
        attns = [zeros(batch_attn_size, dtype=dtype) for _ in range(num_heads)]
        for a in attns:
            a.set_shape([None, attn_size])
        if initial_state_attention:
            attns = attention(initial_state)
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = inp.get_shape().with_rank(2)[1]
            if input_size.value is None:
                raise ValueError(f"Could not infer input size from input: {inp.name}")
            cell_output, state = cell(linear([inp] + attns, input_size, True), state)
            if i == 0 and initial_state_attention:
                with variable_scope(get_variable_scope(), reuse=True):
                    attns = attention(state)
            else:
                attns = attention(state)
            with variable_scope("AttnOutputProjection"):
                output = linear([cell_output] + attns, output_size, True)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell, num_symbols, embedding_size,
                                num_heads=1, output_size=None, output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """attention_decoder over the embeddings of integer `decoder_inputs`; greedy with `feed_previous`."""
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        biases = convert_to_tensor(output_projection[1], dtype=dtype)
        biases.get_shape().assert_is_compatible_with([num_symbols])
    with variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (_extract_argmax_and_embed(embedding, output_projection, update_embedding_for_previous)
                         if feed_previous else None)
        emb_inp = [embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(emb_inp, initial_state, attention_states, cell, output_size=output_size,
                                 num_heads=num_heads, loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols, num_decoder_symbols,
                                embedding_size, encoder_cell=None, num_heads=1, output_projection=None,
                                feed_previous=False, dtype=None, scope=None, initial_state_attention=False):
    """An embedding encoder RNN; an embedding attention decoder over its outputs, started from its state."""
    with variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as vscope:
        dtype = vscope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell) if encoder_cell is None else encoder_cell,
                                        embedding_classes=num_encoder_symbols, embedding_size=embedding_size)
        encoder_outputs, encoder_state = static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        top_states = [reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
        attention_states = concat(top_states, 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decoder(feed, update=True):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols, embedding_size,
                num_heads=num_heads, output_size=output_size, output_projection=output_projection,
                feed_previous=feed, update_embedding_for_previous=update,
                initial_state_attention=initial_state_attention)
        if isinstance(feed_previous, bool):
            return decoder(feed_previous)
        outputs, state_list = _cond_decoders(feed_previous, lambda feed: decoder(feed, False), len(decoder_inputs))
        return outputs, _pack_state(encoder_state, state_list)


def one2many_rnn_seq2seq(encoder_inputs, decoder_inputs_dict, enc_cell, dec_cells_dict, num_encoder_symbols,
                         num_decoder_symbols_dict, embedding_size, feed_previous=False, dtype=None, scope=None):
    """One embedding encoder, one embedding decoder per name: ({name: outputs}, {name: final state})."""
    outputs_dict, state_dict = {}, {}
    if not isinstance(enc_cell, RNNCell):
        raise TypeError(f"enc_cell is not an RNNCell: {type(enc_cell)}")
    if set(dec_cells_dict) != set(decoder_inputs_dict):
        raise ValueError("keys of dec_cells_dict != keys of decodre_inputs_dict")
    for dec_cell in dec_cells_dict.values():
        if not isinstance(dec_cell, RNNCell):
            raise TypeError(f"dec_cell is not an RNNCell: {type(dec_cell)}")
    with variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as vscope:
        dtype = vscope.dtype
        enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols, embedding_size=embedding_size)
        _, encoder_state = static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        for name, decoder_inputs in decoder_inputs_dict.items():
            num_decoder_symbols = num_decoder_symbols_dict[name]
            with variable_scope("one2many_decoder_" + str(name)):
                dec_cell = OutputProjectionWrapper(dec_cells_dict[name], num_decoder_symbols)

                def decoder(feed, dec_cell=dec_cell, decoder_inputs=decoder_inputs,
                            num_decoder_symbols=num_decoder_symbols):
                    return embedding_rnn_decoder(decoder_inputs, encoder_state, dec_cell, num_decoder_symbols,
                                                 embedding_size, feed_previous=feed)
                if isinstance(feed_previous, bool):
                    outputs, state = decoder(feed_previous)
                else:
                    outputs, state_list = _cond_decoders(feed_previous, decoder, len(decoder_inputs))
                    state = _pack_state(encoder_state, state_list)
            outputs_dict[name], state_dict[name] = outputs, state
    return outputs_dict, state_dict


# ----- losses and bucketing ---------------------------------------------------------------------------------
def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True, softmax_loss_function=None,
                             name=None):
    """The weighted cross-entropy [batch] summed over the steps (lists of per-step tensors), divided by the
    weights' sum with `average_across_timesteps`."""
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError(f"Lengths of logits, weights, and targets must be the same {len(logits)}, {len(weights)}, "
                         f"{len(targets)}.")
    with name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = sparse_softmax_cross_entropy_with_logits(labels=reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = add_n(log_perp_list)
        if average_across_timesteps:
            total_size = add_n(weights)
            total_size += 1e-12  # no division by 0 for all-0 weights
            log_perps /= total_size
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  softmax_loss_function=None, name=None):
    """sequence_loss_by_example summed over the batch (and divided by the batch size with
    `average_across_batch`)."""
    with name_scope(name, "sequence_loss", logits + targets + weights):
        cost = reduce_sum(sequence_loss_by_example(logits, targets, weights,
                                                   average_across_timesteps=average_across_timesteps,
                                                   softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            return cost / cast(shape(targets[0])[0], cost.dtype)
        return cost


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq, softmax_loss_function=None,
                       per_example_loss=False, name=None):
    """`seq2seq` built once per (input length, output length) bucket, sharing variables: (outputs, losses)."""
    if len(encoder_inputs) < buckets[-1][0]:
        raise ValueError(f"Length of encoder_inputs ({len(encoder_inputs)}) must be at least that of last bucket "
                         f"({buckets[-1][0]}).")
    if len(targets) < buckets[-1][1]:
        raise ValueError(f"Length of targets ({len(targets)}) must be at least that of lastbucket ({buckets[-1][1]}).")
    if len(weights) < buckets[-1][1]:
        raise ValueError(f"Length of weights ({len(weights)}) must be at least that of lastbucket ({buckets[-1][1]}).")
    losses, outputs = [], []
    with name_scope(name, "model_with_buckets", encoder_inputs + decoder_inputs + targets + weights):
        for j, bucket in enumerate(buckets):
            with variable_scope(get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:bucket[0]], decoder_inputs[:bucket[1]])
                outputs.append(bucket_outputs)
                loss = sequence_loss_by_example if per_example_loss else sequence_loss
                losses.append(loss(outputs[-1], targets[:bucket[1]], weights[:bucket[1]],
                                   softmax_loss_function=softmax_loss_function))
    return outputs, losses

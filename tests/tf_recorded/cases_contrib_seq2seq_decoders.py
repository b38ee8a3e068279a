"""Recorded cases: tf.contrib.seq2seq's decoders, helpers and attention (TF 1.15). TF 2.21 has no contrib, so the
TF side runs TF 1.15's own contrib/seq2seq/python/ops modules, adapted only in their imports to run on TF 2.21's
compat.v1 (a package `tf115_seq2seq` kept outside this repository: set TF115_SEQ2SEQ to the folder holding it when
recording). The cases compare variable names and shapes, output names, shapes and dtypes, decoded values, losses
over training steps and the errors of bad arguments."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, sig, typed  # noqa: E402

B, T, V, E, H = 3, 5, 11, 6, 8


def _s2s(tf):
    if hasattr(tf, "contrib"):
        return tf.contrib.seq2seq
    sys.path.insert(0, os.environ.get("TF115_SEQ2SEQ", "/tmp/s39/ref"))
    import tf115_seq2seq
    return tf115_seq2seq


def _feed_values():
    rng = np.random.default_rng(3)
    return (rng.integers(3, V, (B, T)).astype(np.int32), np.array([5, 3, 4], np.int32),
            rng.integers(3, V, (B, 4)).astype(np.int32), rng.integers(3, V, (B, 4)).astype(np.int32),
            np.array([4, 2, 3], np.int32))


def _encoder(tf):
    """Placeholders, an embedding and an LSTM encoder, every variable from one seeded initializer."""
    src = tf.placeholder(tf.int32, [None, T], name="src")
    src_len = tf.placeholder(tf.int32, [None], name="src_len")
    tgt_in = tf.placeholder(tf.int32, [None, None], name="tgt_in")
    tgt_out = tf.placeholder(tf.int32, [None, None], name="tgt_out")
    tgt_len = tf.placeholder(tf.int32, [None], name="tgt_len")
    emb = tf.get_variable("emb", [V, E])
    enc_out, enc_state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(H), tf.nn.embedding_lookup(emb, src),
                                           sequence_length=src_len, dtype=tf.float32, scope="encoder")
    feed = dict(zip((src, src_len, tgt_in, tgt_out, tgt_len), _feed_values()))
    return dict(src=src, src_len=src_len, tgt_in=tgt_in, tgt_out=tgt_out, tgt_len=tgt_len, emb=emb,
                enc_out=enc_out, enc_state=enc_state, feed=feed)


def _variables(tf):
    return [[v.name, v.shape.as_list()] for v in tf.global_variables()]


def _run(tf, fetches, feed, steps=None):
    """The fetched values, and the loss over Adam steps when `steps` = (loss, train op, n)."""
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = [typed(v) for v in s.run(list(fetches), feed)]
        if steps is not None:
            loss, train, n = steps
            out.append([float(s.run([loss, train], feed)[0]) for _ in range(n)])
    return out


def _seeded(tf, scale=0.3):
    return tf.variable_scope("model", initializer=tf.random_uniform_initializer(-scale, scale, seed=7))


def case_bahdanau_training_decoder(tf):
    s2s = _s2s(tf)
    with _seeded(tf):
        m = _encoder(tf)
        att = s2s.BahdanauAttention(H, m["enc_out"], memory_sequence_length=m["src_len"], normalize=True)
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(H), att, attention_layer_size=H, alignment_history=True)
        init = cell.zero_state(tf.shape(m["src"])[0], tf.float32).clone(cell_state=m["enc_state"])
        helper = s2s.TrainingHelper(tf.nn.embedding_lookup(m["emb"], m["tgt_in"]), m["tgt_len"])
        dec = s2s.BasicDecoder(cell, helper, init, output_layer=tf.layers.Dense(V, use_bias=False, name="proj"))
        out, state, lengths = s2s.dynamic_decode(dec)
        mask = tf.sequence_mask(m["tgt_len"], tf.shape(m["tgt_out"])[1], dtype=tf.float32)
        loss = s2s.sequence_loss(out.rnn_output, m["tgt_out"], mask)
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
    history = state.alignment_history.stack()
    fetches = [out.rnn_output, out.sample_id, lengths, state.attention, state.alignments, history, loss]
    return [_variables(tf), [sig(t) for t in fetches], [sig(t) for t in tf.nest.flatten(state.cell_state)],
            _run(tf, fetches, m["feed"], (loss, train, 4))]


def case_luong_greedy_inference(tf):
    s2s = _s2s(tf)
    with _seeded(tf):
        m = _encoder(tf)
        att = s2s.LuongAttention(H, m["enc_out"], memory_sequence_length=m["src_len"], scale=True)
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(H), att, output_attention=False,
                                    initial_cell_state=m["enc_state"].h)
        batch = tf.shape(m["src"])[0]
        helper = s2s.GreedyEmbeddingHelper(m["emb"], tf.fill([batch], 1), 2)
        dec = s2s.BasicDecoder(cell, helper, cell.zero_state(batch, tf.float32),
                               output_layer=tf.layers.Dense(V, name="proj"))
        out, state, lengths = s2s.dynamic_decode(dec, maximum_iterations=6, impute_finished=True,
                                                 output_time_major=True)
    fetches = [out.rnn_output, out.sample_id, lengths, state.time, state.attention]
    return [_variables(tf), [sig(t) for t in fetches], _run(tf, fetches, m["feed"])]


def case_multiple_mechanisms_hardmax(tf):
    s2s = _s2s(tf)
    with _seeded(tf):
        m = _encoder(tf)
        mechanisms = [s2s.LuongAttention(H, m["enc_out"], memory_sequence_length=m["src_len"], name="luong"),
                      s2s.BahdanauAttention(4, m["enc_out"], probability_fn=s2s.hardmax, name="bahdanau")]
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(H), mechanisms, attention_layer_size=[5, 3],
                                    alignment_history=True)
        helper = s2s.TrainingHelper(tf.transpose(tf.nn.embedding_lookup(m["emb"], m["tgt_in"]), [1, 0, 2]),
                                    m["tgt_len"], time_major=True)
        dec = s2s.BasicDecoder(cell, helper, cell.zero_state(tf.shape(m["src"])[0], tf.float32))
        out, state, lengths = s2s.dynamic_decode(dec, impute_finished=True)
        grads = tf.gradients(tf.reduce_sum(out.rnn_output), [m["enc_out"], m["emb"]])
    fetches = [out.rnn_output, out.sample_id, lengths, state.alignments[0], state.alignments[1],
               state.alignment_history[1].stack(), grads[0], tf.convert_to_tensor(grads[1])]
    # (the gradients' names are left out: raygraph's loop gradients are built in a scope of their own)
    return [_variables(tf), [sig(t) for t in fetches[:6]], [[t.dtype.name, t.shape.as_list()] for t in fetches[6:]],
            [cell.output_size, str(cell.state_size.attention)],
            _run(tf, fetches, m["feed"])]


def case_custom_and_inference_helpers(tf):
    s2s = _s2s(tf)
    with _seeded(tf):
        m = _encoder(tf)
        batch = tf.shape(m["src"])[0]
        cell = tf.nn.rnn_cell.LSTMCell(V)

        def initialize():
            return tf.zeros([B], tf.bool), tf.nn.embedding_lookup(m["emb"], tf.fill([B], 1))

        def sample(time, outputs, state):
            return tf.cast(tf.argmax(outputs, 1), tf.int32)

        def next_inputs(time, outputs, state, sample_ids):
            return time + 1 >= 3, tf.nn.embedding_lookup(m["emb"], sample_ids), state
        custom = s2s.CustomHelper(initialize, sample, next_inputs)
        out1, _, len1 = s2s.dynamic_decode(s2s.BasicDecoder(cell, custom, m["enc_state"]._replace(
            c=tf.zeros([B, V]), h=tf.zeros([B, V]))), scope="custom")
        inference = s2s.InferenceHelper(
            sample_fn=lambda outputs: tf.nn.softmax(outputs), sample_shape=[V], sample_dtype=tf.float32,
            start_inputs=tf.zeros([B, V]), end_fn=lambda sample_ids: tf.reduce_max(sample_ids, 1) > 0.2)
        cell2 = tf.nn.rnn_cell.LSTMCell(V)
        out2, _, len2 = s2s.dynamic_decode(s2s.BasicDecoder(cell2, inference, cell2.zero_state(batch, tf.float32)),
                                           maximum_iterations=4, scope="inference")
    fetches = [out1.rnn_output, out1.sample_id, len1, out2.sample_id, len2]
    return [_variables(tf), [sig(t) for t in fetches], _run(tf, fetches, m["feed"])]


def case_sampling_helpers_seeded(tf):
    s2s = _s2s(tf)
    tf.set_random_seed(5)
    with _seeded(tf):
        m = _encoder(tf)
        batch = tf.shape(m["src"])[0]
        cell = tf.nn.rnn_cell.GRUCell(V)
        sample = s2s.SampleEmbeddingHelper(m["emb"], tf.fill([batch], 1), 2, softmax_temperature=0.5, seed=11)
        out1, _, len1 = s2s.dynamic_decode(s2s.BasicDecoder(cell, sample, m["enc_state"].h[:, :1] * tf.zeros([1, V])),
                                           maximum_iterations=5, scope="sample")
        inputs = tf.nn.embedding_lookup(m["emb"], m["tgt_in"])
        scheduled = s2s.ScheduledEmbeddingTrainingHelper(inputs, m["tgt_len"], m["emb"], 0.5, seed=3,
                                                         scheduling_seed=4)
        out2, _, len2 = s2s.dynamic_decode(s2s.BasicDecoder(cell, scheduled, cell.zero_state(batch, tf.float32)),
                                           scope="scheduled")
        outputs = s2s.ScheduledOutputTrainingHelper(tf.pad(inputs, [[0, 0], [0, 0], [0, V - E]]), m["tgt_len"], 0.6,
                                                    seed=9)
        cell3 = tf.nn.rnn_cell.GRUCell(V)
        out3, _, len3 = s2s.dynamic_decode(s2s.BasicDecoder(cell3, outputs, cell3.zero_state(batch, tf.float32)),
                                           scope="scheduled_output")
    fetches = [out1.sample_id, len1, out2.sample_id, out2.rnn_output, len2, out3.sample_id, out3.rnn_output, len3]
    return [[sig(t) for t in fetches], _run(tf, fetches, m["feed"])]


def case_functions(tf):
    s2s = _s2s(tf)
    logits = tf.constant([[1.0, 3.0, 2.0], [4.0, 4.0, -1.0]])
    p = tf.constant([[0.5, 1e-30, 0.0, 2.0]])
    outs = [s2s.hardmax(logits), s2s.safe_cumprod(p, axis=1), s2s.safe_cumprod(p, axis=1, exclusive=True,
                                                                                reverse=True)]
    return [[sig(t) for t in outs], _run(tf, outs, None)]


def _error_start(fn, text):
    """The error's class and whether its message holds `text` (TF 2.21's Keras cells prefix it with a trace)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, text in str(e)]
    return "no error"


def case_argument_errors(tf):
    s2s = _s2s(tf)
    with _seeded(tf):
        m = _encoder(tf)
        cell = tf.nn.rnn_cell.LSTMCell(H)
        helper = s2s.TrainingHelper(tf.zeros([B, 4, E]), [4, 2, 3])
        att = s2s.LuongAttention(H, m["enc_out"])
        wide = s2s.LuongAttention(H + 1, m["enc_out"], name="wide")
        return [
            error_text(lambda: s2s.BasicDecoder(cell, "helper", cell.zero_state(B, tf.float32))),
            error_text(lambda: s2s.BasicDecoder(cell, helper, cell.zero_state(B, tf.float32), output_layer=3)),
            error_text(lambda: s2s.dynamic_decode("decoder")),
            error_text(lambda: s2s.TrainingHelper(tf.zeros([B, 4, E]), [[4]])),
            error_text(lambda: s2s.GreedyEmbeddingHelper(m["emb"], [[1]], 2)),
            error_text(lambda: s2s.GreedyEmbeddingHelper(m["emb"], [1, 1], [2])),
            error_text(lambda: s2s.AttentionWrapper(cell, "attention")),
            error_text(lambda: s2s.AttentionWrapper(cell, att, attention_layer_size=[3, 4])),
            error_text(lambda: s2s.AttentionWrapper(cell, att, attention_layer_size=3,
                                                    attention_layer=tf.layers.Dense(3))),
            _error_start(lambda: s2s.dynamic_decode(s2s.BasicDecoder(
                s2s.AttentionWrapper(cell, wide), helper, s2s.AttentionWrapper(cell, wide).zero_state(
                    B, tf.float32)), scope="bad"), "Incompatible or unknown inner dimensions between query and keys"),
            error_text(lambda: s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, cell.zero_state(B, tf.float32)),
                                                  maximum_iterations=[3])),
            error_text(lambda: s2s.ScheduledEmbeddingTrainingHelper(tf.zeros([B, 4, E]), [4, 2, 3], m["emb"],
                                                                    [[0.5]])),
        ]


def case_batch_mismatch_at_run_time(tf):
    s2s = _s2s(tf)
    with _seeded(tf):
        m = _encoder(tf)
        att = s2s.BahdanauAttention(H, m["enc_out"], memory_sequence_length=m["src_len"])
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(H), att)
        state = cell.zero_state(tf.shape(m["src"])[0] * 2, tf.float32)
    feed = m["feed"]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        try:
            s.run(state.cell_state.h, feed)
            return "no error"
        except Exception as e:  # noqa: BLE001
            return [type(e).__name__, "Non-matching batch sizes" in str(e)]


def _beam_decoder(tf, s2s, beam_width, **kwargs):
    m = _encoder(tf)
    batch = tf.shape(m["src"])[0]
    memory = s2s.tile_batch(m["enc_out"], beam_width)
    lengths = s2s.tile_batch(m["src_len"], beam_width)
    att = s2s.LuongAttention(H, memory, memory_sequence_length=lengths)
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(H), att, attention_layer_size=H, alignment_history=True)
    init = cell.zero_state(batch * beam_width, tf.float32).clone(cell_state=s2s.tile_batch(m["enc_state"], beam_width))
    dec = s2s.BeamSearchDecoder(cell, m["emb"], tf.fill([batch], 1), 2, init, beam_width,
                                output_layer=tf.layers.Dense(V, name="proj"), **kwargs)
    return m, dec


def case_beam_search_attention(tf):
    s2s = _s2s(tf)
    with _seeded(tf, 1.5):  # (large weights: beams that differ)
        m, dec = _beam_decoder(tf, s2s, 3, length_penalty_weight=0.6)
        out, state, lengths = s2s.dynamic_decode(dec, maximum_iterations=7)
    fetches = [out.predicted_ids, out.beam_search_decoder_output.scores, out.beam_search_decoder_output.parent_ids,
               state.log_probs, state.lengths, state.finished, lengths, state.cell_state.alignment_history]
    return [_variables(tf), [sig(t) for t in fetches], _run(tf, fetches, m["feed"])]


def case_beam_search_coverage_time_major(tf):
    s2s = _s2s(tf)
    with _seeded(tf, 1.5):
        m, dec = _beam_decoder(tf, s2s, 2, coverage_penalty_weight=0.4, reorder_tensor_arrays=False)
        out, state, lengths = s2s.dynamic_decode(dec, maximum_iterations=6, output_time_major=True)
    fetches = [out.predicted_ids, out.beam_search_decoder_output.scores, state.accumulated_attention_probs,
               state.lengths, lengths]
    return [[sig(t) for t in fetches], _run(tf, fetches, m["feed"])]


def case_tile_batch_and_gather_tree(tf):
    s2s = _s2s(tf)
    x = tf.placeholder(tf.float32, [None, 2])
    nested = s2s.tile_batch((x, tf.constant([[1, 2], [3, 4]])), 3)
    steps = tf.constant([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[5, 2, 4], [3, 3, 3]]])
    parents = tf.constant([[[0, 0, 0], [0, 0, 0]], [[2, 1, 0], [1, 1, 0]], [[0, 1, 2], [2, 0, 1]]])
    trees = [s2s.gather_tree(steps, parents, [3, 2], 2), s2s.gather_tree(steps, parents, [1, 7], 3)]
    outs = list(nested) + trees
    return [[sig(t) for t in outs], _run(tf, outs, {x: np.arange(4, dtype=np.float32).reshape(2, 2)}),
            error_text(lambda: s2s.tile_batch(tf.constant(1.0), 2))]


def case_monotonic_attentions(tf):
    s2s = _s2s(tf)
    with _seeded(tf, 0.8):
        m = _encoder(tf)
        mechanisms = [s2s.BahdanauMonotonicAttention(H, m["enc_out"], memory_sequence_length=m["src_len"],
                                                     normalize=True, score_bias_init=-1.0, name="bm"),
                      s2s.LuongMonotonicAttention(H, m["enc_out"], scale=True, mode="recursive", name="lm"),
                      s2s.LuongMonotonicAttention(H, m["enc_out"], mode="hard", name="hm")]
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(H), mechanisms, alignment_history=True)
        helper = s2s.TrainingHelper(tf.nn.embedding_lookup(m["emb"], m["tgt_in"]), m["tgt_len"])
        out, state, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, cell.zero_state(B, tf.float32)))
        loss = tf.reduce_sum(out.rnn_output ** 2)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    p = tf.constant([[0.2, 0.5, 0.9, 0.1], [1.0, 0.0, 1.0, 1.0]])
    prev = tf.constant([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    direct = [s2s.monotonic_attention(p, prev, mode) for mode in ("recursive", "parallel", "hard")]
    fetches = [out.rnn_output, state.alignments[0], state.alignments[1], state.alignments[2],
               state.alignment_history[1].stack()] + direct
    return [_variables(tf), [sig(t) for t in fetches[:5]], _run(tf, fetches, m["feed"], (loss, train, 3)),
            error_text(lambda: s2s.monotonic_attention(p, prev, "soft"))]

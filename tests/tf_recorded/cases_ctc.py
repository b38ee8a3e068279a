"""Recorded cases: TF1's CTC functions (ops CTCLoss, CTCGreedyDecoder, CTCBeamSearchDecoder): losses and their
gradients over batches of different lengths and repeated labels, the decoders' SparseTensors and log
probabilities, static shapes, and the errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, grads, run, sig  # noqa: E402

_X = np.random.RandomState(7).randn(7, 4, 5).astype(np.float32)  # [max_time, batch, classes]: blank is 4
_SEQ = [7, 5, 6, 3]
# rows of different lengths, repeats ([1, 1, 2], [3, 3, 3]) and a row ending in a blank (index 4)
_IX = [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [3, 0], [3, 1]]
_VALS = [1, 1, 2, 3, 3, 3, 0, 2, 2, 4]


def _message(tf, fetch):
    """The class and message of the error running `fetch` raises, without TF's node trace around it."""
    try:
        with tf.Session() as s:
            s.run(fetch)
    except Exception as e:  # noqa: BLE001 - the class and message are the result
        text = str(getattr(e, "message", None) or e).split("[[{{node")[0]
        if "\nNode: '" in text:  # TF's "Graph execution error: ... Node: 'name'\n<message>"
            text = text.split("\nNode: '")[-1].split("\n", 1)[1]
        return [type(e).__name__, " ".join(text.split())]
    return "no error"


def _labels(tf, ix=_IX, vals=_VALS, shape=(4, 3)):
    return tf.SparseTensor(ix, tf.constant(vals, tf.int32), shape)


def case_ctc_loss_options(tf):
    x = tf.constant(_X)
    outs, names = [], []
    for collapse in (False, True):
        for merge in (True, False):
            loss = tf.nn.ctc_loss(_labels(tf), x, _SEQ, preprocess_collapse_repeated=collapse, ctc_merge_repeated=merge)
            outs.append(loss)
            names.append(sig(loss))
    total = tf.add_n([w * tf.reduce_sum(l * [1.0, 2.0, 0.5, 1.5]) for w, l in zip([1.0, 0.7, 0.3, 1.1], outs)])
    g = tf.gradients(total, x)[0]
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.type.startswith("CTC")]
    return [names, ops, run(tf, outs + [g]), sig(g)]


def case_ctc_loss_graph(tf):
    loss = tf.nn.ctc_loss(_labels(tf), tf.constant(_X), _SEQ)
    return [describe(tf), grads(tf, tf.reduce_sum(loss), [tf.get_default_graph().get_tensor_by_name("Const:0")])]


def case_ctc_loss_batch_major_float64(tf):
    x = tf.constant(np.transpose(_X, (1, 0, 2)).astype(np.float64))
    loss = tf.nn.ctc_loss(_labels(tf), x, _SEQ, time_major=False)
    g = tf.gradients(loss, x)[0]
    return [sig(loss), sig(g), run(tf, [loss, g])]


def case_ctc_loss_ignore_longer_and_empty_time(tf):
    x = tf.constant(_X)
    loss = tf.nn.ctc_loss(_labels(tf), x, [7, 2, 6, 0], ignore_longer_outputs_than_inputs=True)
    return run(tf, [loss, tf.gradients(loss, x)[0]])


def case_ctc_loss_no_valid_path(tf):
    # [1, 1] needs a blank between the repeats: 2 steps cannot hold it, so the loss is inf and the gradient softmax
    x = tf.constant(_X[:, :2])
    lab = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1]], tf.constant([1, 1, 2, 3], tf.int32), [2, 2])
    loss = tf.nn.ctc_loss(lab, x, [2, 2])
    plain = tf.nn.ctc_loss(lab, x, [2, 2], ctc_merge_repeated=False)
    return run(tf, [loss, tf.gradients(loss, x)[0], plain])


def case_ctc_loss_half_and_shapes(tf):
    x = tf.constant(_X.astype(np.float16))
    loss = tf.nn.ctc_loss(_labels(tf), x, _SEQ)
    p = tf.placeholder(tf.float32, [None, None, 5])
    q = tf.placeholder(tf.float32, [3, None, 5])
    lp = tf.nn.ctc_loss(_labels(tf), p, tf.placeholder(tf.int32, [None]))
    lq = tf.nn.ctc_loss(_labels(tf), logits=q, sequence_length=tf.placeholder(tf.int32, [4]))
    return [sig(loss), run(tf, [loss]), sig(lp), sig(lq), [sig(t) for t in lq.op.outputs]]


def case_ctc_loss_build_errors(tf):
    x = tf.constant(_X)
    return [error_text(lambda: tf.nn.ctc_loss(tf.constant([[1]]), x, _SEQ), 40),
            error(lambda: tf.nn.ctc_loss(_labels(tf), tf.constant(_X[0]), _SEQ)),
            error(lambda: tf.nn.ctc_loss(_labels(tf), x, [[7]])),
            error(lambda: tf.nn.ctc_loss(_labels(tf), x, [7, 5, 6])),
            error(lambda: tf.nn.ctc_loss(_labels(tf), x, _SEQ, logits=x)),
            error(lambda: tf.nn.ctc_loss(_labels(tf), tf.constant(_X.astype(np.int32)), _SEQ)),
            error(lambda: tf.nn.ctc_loss(_labels(tf), x, np.array(_SEQ, np.int64)))]


def case_ctc_loss_run_errors(tf):
    x = tf.constant(_X)

    def loss(ix=_IX, vals=_VALS, seq=_SEQ, **kw):
        return tf.nn.ctc_loss(tf.SparseTensor(ix, tf.constant(vals, tf.int32), [4, 3]), x, seq, **kw)
    return [_message(tf, loss(seq=[7, 5, 6, 1])),
            _message(tf, loss(seq=[7, 5, 8, 3])),
            _message(tf, loss(seq=[7, 5, -1, 3])),
            _message(tf, loss(ix=_IX[:8], vals=_VALS[:8])),
            _message(tf, loss(vals=[1, 4, 2, 3, 3, 3, 0, 2, 2, 4])),
            _message(tf, loss(vals=[1, 1, 2, 3, -3, 3, 0, 2, 2, 4])),
            _message(tf, loss(ix=[[0, 0], [0, 2], [0, 1]] + _IX[3:])),
            _message(tf, loss(ix=[[0, 0], [0, 0]] + _IX[2:])),
            _message(tf, loss(ix=_IX[:-1] + [[5, 1]])),
            _message(tf, loss(vals=[1, 1, 2, 3, 3, 3, 0, 2, 2, 5])),
            _message(tf, loss(vals=[1, 1, 9, 3, 3, 3, 0, 2, 2, 4]))]


def case_ctc_second_derivative(tf):
    x = tf.constant(_X)
    g = tf.gradients(tf.nn.ctc_loss(_labels(tf), x, _SEQ), x)[0]
    return error_text(lambda: tf.gradients(tf.reduce_sum(g * g), x), 60)


def case_ctc_greedy_decoder(tf):
    x = tf.constant(_X)
    out = []
    for kw in ({}, {"merge_repeated": False}, {"blank_index": 0}, {"blank_index": -3, "merge_repeated": False}):
        decoded, log_prob = tf.nn.ctc_greedy_decoder(x, [7, 5, 0, 3], **kw)
        out.append([[sig(decoded[0].indices), sig(decoded[0].values), sig(decoded[0].dense_shape), sig(log_prob)],
                    run(tf, [decoded[0].indices, decoded[0].values, decoded[0].dense_shape, log_prob])])
    d64, lp64 = tf.nn.ctc_greedy_decoder(tf.constant(_X.astype(np.float64)), _SEQ)
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.type.startswith("CTC")]
    return [out, ops, sig(lp64), run(tf, [d64[0].values, lp64])]


def case_ctc_greedy_shapes_errors(tf):
    p = tf.placeholder(tf.float32, [None, None, 5])
    d, lp = tf.nn.ctc_greedy_decoder(p, tf.placeholder(tf.int32, [3]))
    x = tf.constant(_X)
    return [[sig(d[0].indices), sig(lp)],
            error(lambda: tf.nn.ctc_greedy_decoder(x, [7, 5, 6])),
            error(lambda: tf.nn.ctc_greedy_decoder(tf.constant(_X[0]), [7])),
            _message(tf, tf.nn.ctc_greedy_decoder(x, [7, 8, 6, 3])[1]),
            _message(tf, tf.nn.ctc_greedy_decoder(x, _SEQ, blank_index=5)[1]),
            _message(tf, tf.nn.ctc_greedy_decoder(tf.constant(np.zeros((0, 2, 3), np.float32)), [0, 0])[1])]


def case_ctc_beam_search(tf):
    rng = np.random.RandomState(3)
    out = []
    for (t, b, c), width, paths, merge in [((6, 3, 5), 4, 2, True), ((7, 2, 4), 3, 3, False), ((5, 4, 3), 1, 1, True),
                                           ((8, 2, 6), 10, 4, True), ((10, 3, 4), 100, 3, True)]:
        x = (rng.randn(t, b, c) * 2).astype(np.float32)
        seq = rng.randint(t // 2, t + 1, size=b).astype(np.int32)
        decoded, log_prob = tf.nn.ctc_beam_search_decoder(x, seq, beam_width=width, top_paths=paths,
                                                          merge_repeated=merge)
        fetch = [t for d in decoded for t in (d.indices, d.values, d.dense_shape)] + [log_prob]
        out.append([[sig(t) for t in fetch], run(tf, fetch)])
    x64 = rng.randn(5, 2, 4)
    d, lp = tf.compat.v1.nn.ctc_beam_search_decoder_v2(x64, [5, 4], beam_width=5, top_paths=2)
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if op.type.startswith("CTC")]
    return [out, ops, sig(lp), run(tf, [d[0].values, d[1].values, lp])]


def case_ctc_beam_search_default_and_errors(tf):
    x = tf.constant(_X)
    decoded, log_prob = tf.nn.ctc_beam_search_decoder(x, _SEQ)
    p = tf.placeholder(tf.float32, [None, None, 5])
    dp, lpp = tf.nn.ctc_beam_search_decoder(p, tf.placeholder(tf.int32, [None]), top_paths=3)
    return [run(tf, [decoded[0].indices, decoded[0].values, log_prob]), [sig(t.indices) for t in dp], sig(lpp),
            error(lambda: tf.nn.ctc_beam_search_decoder(x, _SEQ, beam_width=0)),
            error(lambda: tf.nn.ctc_beam_search_decoder(x, _SEQ, top_paths=0)),
            _message(tf, tf.nn.ctc_beam_search_decoder(x, _SEQ, beam_width=2, top_paths=3)[1]),
            _message(tf, tf.nn.ctc_beam_search_decoder(x, [7, 5, 0, 3], top_paths=2)[1]),
            _message(tf, tf.nn.ctc_beam_search_decoder(x, [7, 5, 9, 3])[1]),
            error(lambda: tf.gradients(log_prob, x))]


def case_collapse_repeated(tf):
    labels = tf.constant([[1, 1, 2, 2, 1, 3], [4, 4, 4, 4, 4, 4], [5, 6, 6, 7, 7, 0]])
    collapsed, lengths = tf.nn.collapse_repeated(labels, [6, 3, 4])
    p = tf.placeholder(tf.int64, [None, None])
    cp, lp = tf.nn.collapse_repeated(p, tf.placeholder(tf.int32, [None]), name="mine")
    fed = run(tf, [cp, lp], {p: [[2, 2, 3], [1, 2, 2]], "Placeholder_1:0": [3, 1]})
    return [sig(collapsed), sig(lengths), sig(cp), sig(lp), run(tf, [collapsed, lengths]), fed]


def case_ctc_loss_v2_sparse(tf):
    x = tf.constant(_X)
    lab = tf.SparseTensor(_IX, tf.constant([1, 1, 2, 3, 3, 3, 1, 2, 2, 3], tf.int32), [4, 3])
    first = tf.nn.ctc_loss_v2(lab, x, None, _SEQ, blank_index=0)
    last = tf.nn.ctc_loss_v2(lab, x, None, _SEQ, blank_index=-1)
    mid = tf.nn.ctc_loss_v2(lab, tf.transpose(x, [1, 0, 2]), None, _SEQ, logits_time_major=False, blank_index=2)
    return [sig(first), sig(last), sig(mid), run(tf, [first, last, mid, tf.gradients(first, x)[0]]),
            error(lambda: tf.nn.ctc_loss_v2(lab, x, None, _SEQ))]

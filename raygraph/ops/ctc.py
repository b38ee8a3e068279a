"""Connectionist temporal classification (`tf.nn.ctc_loss`, `ctc_greedy_decoder`, `ctc_beam_search_decoder`):
ops `CTCLoss`, `CTCGreedyDecoder` and `CTCBeamSearchDecoder` over time-major logits [max_time, batch, classes]
whose last class is the blank.

The loss runs TF's log-space forward-backward (Graves' thesis, ch. 7) on every batch entry at once: each
entry's label sequence with blanks around its labels (l') is padded to the longest, and one step of the
recursion is a few numpy ops over [batch, len(l')]; only time is a Python loop.
"""
import math

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import FailedPreconditionError, InvalidArgumentError
from ..shape import TensorShape
from .array import expand_dims, reshape, shape, transpose
from .filling import ones_like
from .filling import range as range_
from .joining import concat, pad
from .math import cast, logical_and, not_equal
from .reduction import reduce_max, reduce_sum
from .sequences import boolean_mask, sequence_mask
from .slicing import scatter_nd, where
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import dims, with_rank
from .sparse_tensor import SparseTensor

_raw = TensorShape._raw
_NEG = -np.inf
_NO_SECOND_DERIVATIVE = ("Currently there is no way to take the second  derivative of ctc_loss due to the fused "
                         "implementation's interaction  with tf.gradients()")


def _bad(message):
    return InvalidArgumentError(None, None, message)


def _merge_dim(a, b):
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return a if a is not None else b


# ----- labels: the SparseTensor's rows, as TF's CTCLossCalculator::PopulateLPrimes reads them ----------------
def _label_rows(indices, values, batch):
    """[batch, longest] labels (padded with -1) and each row's length, checking the SparseTensor as TF does."""
    n = len(indices)
    if n:
        if np.any(indices < 0) or np.any(indices[:, 0] >= batch):
            bad = int(np.flatnonzero(np.any(indices < 0, 1) | (indices[:, 0] >= batch))[0])
            raise _bad(f"label SparseTensor is not valid: indices[{bad}] = [{indices[bad, 0]},{indices[bad, 1]}] "
                       f"is out of bounds: need 0 <= index < [{batch},{int(indices[:, 1].max()) + 1}]")
        later = (indices[1:, 0] > indices[:-1, 0]) | ((indices[1:, 0] == indices[:-1, 0]) &
                                                      (indices[1:, 1] > indices[:-1, 1]))
        if not later.all():
            bad = int(np.flatnonzero(~later)[0]) + 1
            same = (indices[bad] == indices[bad - 1]).all()
            raise _bad(f"label SparseTensor is not valid: indices[{bad}] = [{indices[bad, 0]},{indices[bad, 1]}] "
                       + ("is repeated" if same else "is out of order. Many sparse ops require sorted indices.\n"
                          "    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n"))
    rows = indices[:, 0] if n else np.zeros(0, np.int64)
    lengths = np.bincount(rows, minlength=batch)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    out = np.full((batch, max(int(lengths.max(initial=0)), 1)), -1, np.int64)
    out[rows, np.arange(n) - starts[rows]] = values
    return out, lengths


def _l_primes(labels, lengths, seq_len, classes, collapse, ignore_longer):
    """l' (blank, l1, blank, l2, ..., blank) per row, padded with blanks, and each one's length; TF's errors."""
    batch, width = labels.shape
    blank = classes - 1
    pos = np.arange(width)
    present = pos < lengths[:, None]
    prev = np.concatenate([np.full((batch, 1), -2), labels[:, :-1]], 1)
    kept = present & ((pos == 0) | (not collapse) | (labels != prev))
    null = kept & (labels >= blank)
    after_null = (np.cumsum(null, 1) - null) > 0
    used = kept & ~null
    for b in np.flatnonzero((lengths == 0) | np.any(used & after_null, 1) | np.any(used & (labels < 0), 1) |
                            ((lengths > seq_len) & (not ignore_longer)))[:1]:
        _raise_label_error(b, labels[b, :lengths[b]], labels[b][used[b] & ~after_null[b]], lengths[b],
                           seq_len[b], classes, after_null[b] & used[b], ignore_longer)
    count = used.sum(1)
    order = np.argsort(~used, axis=1, kind="stable")
    l = np.take_along_axis(labels, order, 1)[:, :int(count.max(initial=0))]
    l_prime = np.full((batch, 2 * l.shape[1] + 1), blank, np.int64)
    l_prime[:, 1::2] = np.where(np.arange(l.shape[1]) < count[:, None], l, blank)
    return l_prime, 2 * count + 1


def _raise_label_error(b, label, seen, length, time, classes, broken, ignore_longer):
    joined = ",".join(str(v) for v in label)
    if length == 0:
        raise _bad(f"Labels length is zero in batch {b}")
    if broken.any():
        raise _bad(f"Saw a non-null label (index >= num_classes - 1) following a null label, batch: {b} "
                   f"num_classes: {classes} labels: {joined} labels seen so far: {','.join(map(str, seen))}")
    if np.any(seen < 0):
        raise _bad(f"All labels must be nonnegative integers, batch: {b} labels: {','.join(map(str, seen))}")
    raise _bad(f"Not enough time for target transition sequence (required: {length}, available: {time}){b}You "
               f"can turn this error into a warning by using the flag ignore_longer_outputs_than_inputs")


# ----- CTCLoss -------------------------------------------------------------------------------------------------
def _shift(x, k, fill=_NEG):
    """x[:, u - k] (k > 0) or x[:, u + |k|] (k < 0), `fill` where that is off the end."""
    out = np.full_like(x, fill)
    if k > 0:
        out[:, k:] = x[:, :-k]
    else:
        out[:, :k] = x[:, -k:]
    return out


def _forward_backward(log_y, l_prime, u_len, seq_len, merge):
    """log alpha and log beta, [max_time, batch, len(l')], -inf outside each entry's sequence and l'."""
    steps, batch, _ = log_y.shape
    blank = log_y.shape[2] - 1
    width = l_prime.shape[1]
    pos = np.arange(width)
    inside = pos < u_len[:, None]
    ly = np.take_along_axis(log_y, np.broadcast_to(l_prime, (steps,) + l_prime.shape), 2)
    ly = np.where(inside, ly, _NEG)
    stay = merge | (l_prime == blank)
    skip = (l_prime != blank) & ~(merge & (l_prime == _shift(l_prime, 2, -1)))  # may come from u - 2
    skip[:, :2] = False
    alpha = np.full(ly.shape, _NEG, ly.dtype)
    beta = np.full(ly.shape, _NEG, ly.dtype)
    alpha[0, :, :2] = ly[0, :, :2]
    for t in range(1, steps):
        a = alpha[t - 1]
        s = np.logaddexp(np.where(stay, a, _NEG), _shift(a, 1))
        s = np.logaddexp(s, np.where(skip, _shift(a, 2), _NEG))
        alpha[t] = np.where((t < seq_len)[:, None], s + ly[t], _NEG)
    ends = inside & (pos >= u_len[:, None] - 2)
    skip_back = _shift(skip, -2, False)
    for t in range(steps - 1, -1, -1):
        if t + 1 < steps:
            n = beta[t + 1] + ly[t + 1]
            s = np.logaddexp(np.where(stay, n, _NEG), _shift(n, -1))
            s = np.logaddexp(s, np.where(skip_back, _shift(n, -2), _NEG))
            beta[t] = np.where((t < seq_len - 1)[:, None], s, _NEG)
        beta[t][(t == seq_len - 1)[:, None] & ends] = 0
    return alpha, beta


def _ctc_loss_kernel(a, inputs, indices, values, seq_len):
    if inputs.ndim != 3:
        raise _bad("inputs is not a 3-Tensor")
    for arr, rank, name in ((seq_len, 1, "sequence_length is not a vector"), (indices, 2, "labels_indices is not a "
                            "matrix"), (values, 1, "labels_values is not a vector")):
        if arr.ndim != rank:
            raise _bad(name)
    steps, batch, classes = inputs.shape
    if batch != len(seq_len):
        raise _bad(f"len(sequence_length) != batch_size.  len(sequence_length):  {len(seq_len)} batch_size: {batch}")
    if len(indices) != len(values):
        raise _bad(f"labels_indices and labels_values must contain the same number of rows, but saw shapes: "
                   f"[{','.join(map(str, indices.shape))}] vs. [{','.join(map(str, values.shape))}]")
    if batch == 0:
        raise _bad("batch_size must not be 0")
    labels, lengths = _label_rows(indices, values, batch)
    for b in np.flatnonzero(seq_len > steps)[:1]:
        raise _bad(f"sequence_length({b}) <= {steps}")
    for b in np.flatnonzero(seq_len < 0)[:1]:
        raise _bad(f"seq_len({b}) < 0")
    l_prime, u_len = _l_primes(labels, lengths, seq_len, classes, a.get("preprocess_collapse_repeated", False),
                               a.get("ignore_longer_outputs_than_inputs", False))
    # Entries with no time, or (ignored) labels longer than their time, get a zero loss and gradient, as in TF.
    live = (seq_len > 0) & (lengths <= seq_len)
    time = np.where(live, seq_len, 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        e = np.exp(inputs - inputs.max(2, keepdims=True))
        y = e / e.sum(2, keepdims=True)
        log_y = np.log(y)
        alpha, beta = _forward_backward(log_y, l_prime, u_len, time, a.get("ctc_merge_repeated", True))
        log_p = np.logaddexp.reduce(alpha[0] + beta[0], axis=1)
        occupancy = np.exp(alpha + beta - log_p[:, None])
    occupancy[~np.isfinite(occupancy)] = 0
    t_idx, b_idx = np.indices(alpha.shape[:2])
    flat = ((t_idx * batch + b_idx)[:, :, None] * classes + l_prime[None]).ravel()
    negative = np.bincount(flat, occupancy.ravel(), steps * batch * classes).reshape(inputs.shape)
    no_path = (log_p == _NEG)[None, :, None]
    grad = np.where(no_path, y, y - negative.astype(y.dtype))
    grad = np.where((np.arange(steps)[:, None] < time)[:, :, None], grad, 0).astype(inputs.dtype)
    loss = np.where(live, -log_p, 0).astype(inputs.dtype)
    return loss, grad


def _ctc_loss_shape(inputs, a):
    x, indices, values, seq_len = inputs
    xd = with_rank(x, 3)
    _merge_dim(with_rank(indices, 2)[0], with_rank(values, 1)[0])
    batch = _merge_dim(xd[1], with_rank(seq_len, 1)[0])
    dt = x.dtype.base_dtype
    return [(dt, _raw((batch,))), (dt, _raw((xd[0], batch, xd[2])))]


def _ctc_loss_grad(op, grad_loss, _=None):
    """TF's: the kernel's gradient output times the loss's gradient; no second derivative (PreventGradient)."""
    backprop = apply_op("PreventGradient", [op.outputs[1]], {"message": _NO_SECOND_DERIVATIVE})
    return [expand_dims(grad_loss, -1) * backprop, None, None, None]


op("CTCLoss", "inputs:T, labels_indices:int64, labels_values:int32, sequence_length:int32", kernel=_ctc_loss_kernel,
   shape=_ctc_loss_shape, grad=_ctc_loss_grad, T="float32 float64")


def ctc_loss(labels, inputs=None, sequence_length=None, preprocess_collapse_repeated=False, ctc_merge_repeated=True,
             ignore_longer_outputs_than_inputs=False, time_major=True, logits=None):
    """TF1's CTC loss: -log p(labels | inputs) per batch entry (`labels` a SparseTensor; blank = classes - 1)."""
    if not isinstance(labels, SparseTensor):
        raise TypeError(f"Expected argument `labels` to be a SparseTensor. Received labels={labels} of type: "
                        f"{type(labels).__name__}")
    if logits is not None:
        if inputs is not None:
            raise ValueError("Cannot specify both 'logits' and 'inputs'")
        inputs = logits
    inputs = convert_to_tensor(inputs, name="logits")
    if not time_major:
        inputs = transpose(inputs, [1, 0, 2])
    orig = inputs.dtype.base_dtype
    if orig in (dtypes.float16, dtypes.bfloat16):
        inputs = cast(inputs, dtypes.float32)
    loss, _ = apply_op("CTCLoss", [inputs, labels.indices, labels.values, sequence_length],
                       {"preprocess_collapse_repeated": bool(preprocess_collapse_repeated),
                        "ctc_merge_repeated": bool(ctc_merge_repeated),
                        "ignore_longer_outputs_than_inputs": bool(ignore_longer_outputs_than_inputs)})
    return cast(loss, orig) if orig in (dtypes.float16, dtypes.bfloat16) else loss



def ctc_loss_v2(labels, logits, label_length, logit_length, logits_time_major=True, unique=None, blank_index=None,
                name=None):
    """TF1's `ctc_loss_v2` for SparseTensor labels: `ctc_loss` with the blank moved from `blank_index` to the last
    class. (Dense labels take TF's separate ctc_loss_dense graph, which raygraph does not build.)"""
    if not isinstance(labels, SparseTensor):
        raise NotImplementedError("tf.nn.ctc_loss_v2 with dense labels is not implemented in raygraph: TF builds "
                                  "them a separate scan-based graph (ctc_loss_dense); pass a SparseTensor")
    if blank_index is None:
        raise ValueError("Argument `blank_index` must be provided when labels is a SparseTensor.")
    logits = convert_to_tensor(logits, name="logits")
    classes = _dim(logits, 2)
    if blank_index < 0:
        blank_index += classes
    if blank_index != classes - 1:
        logits = concat([logits[:, :, :blank_index], logits[:, :, blank_index + 1:],
                         logits[:, :, blank_index:blank_index + 1]], axis=2)
        labels = SparseTensor(labels.indices, where(labels.values < blank_index, labels.values, labels.values - 1),
                              labels.dense_shape)
    return ctc_loss(labels=labels, inputs=logits, sequence_length=logit_length, time_major=logits_time_major)

# ----- decoders ------------------------------------------------------------------------------------------------
def _check_decoder_inputs(inputs, seq_len):
    if inputs.ndim != 3:
        raise _bad("inputs is not a 3-Tensor")
    if inputs.size == 0:
        raise _bad("inputs must not be empty")
    if seq_len.ndim != 1:
        raise _bad("sequence_length is not a vector")
    steps, batch = inputs.shape[:2]
    if batch != len(seq_len):
        raise FailedPreconditionError(None, None, f"len(sequence_length) != batch_size.  len(sequence_length):  "
                                                  f"{len(seq_len)} batch_size: {batch}")
    for b in np.flatnonzero(seq_len > steps)[:1]:
        raise FailedPreconditionError(None, None, f"sequence_length({b}) <= {steps}")


def _sparse_paths(emit, classes_at):
    """A SparseTensor's (indices, values, shape) from [batch, time] emit flags and the classes at those steps."""
    b, t = np.nonzero(emit)
    counts = emit.sum(1)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    indices = np.stack([b, np.arange(len(b)) - starts[b]], 1).astype(np.int64).reshape(-1, 2)
    return indices, classes_at[b, t].astype(np.int64), np.array([emit.shape[0], counts.max(initial=0)], np.int64)


def _greedy_kernel(a, inputs, seq_len):
    _check_decoder_inputs(inputs, seq_len)
    steps, batch, classes = inputs.shape
    given = a.get("blank_index", -1)
    blank = given + classes if given < 0 else given
    if not 0 <= blank < classes:
        raise _bad(f"blank_index expected to be between {-classes} and {classes - 1} but was {given}")
    best = inputs.argmax(2).T  # [batch, time]: the first of equal maxima, as TF's RowMax
    live = np.arange(steps) < seq_len[:, None]
    log_prob = -np.where(live.T, inputs.max(2), 0).sum(0, dtype=inputs.dtype)
    prev = np.concatenate([np.full((batch, 1), -1), best[:, :-1]], 1)
    emit = live & (best != blank) & ~(a.get("merge_repeated", False) & (best == prev))
    return (*_sparse_paths(emit, best), log_prob[:, None].astype(inputs.dtype))


def _decoder_shape(inputs, a, paths=1):
    x, seq_len = inputs
    batch = _merge_dim(with_rank(x, 3)[1], with_rank(seq_len, 1)[0])
    i64 = dtypes.int64
    return ([(i64, _raw((None, 2)))] * paths + [(i64, _raw((None,)))] * paths + [(i64, _raw((2,)))] * paths +
            [(x.dtype.base_dtype, _raw((batch, paths)))])


op("CTCGreedyDecoder", "inputs:T, sequence_length:int32", kernel=_greedy_kernel, shape=_decoder_shape,
   grad=NOT_DIFFERENTIABLE, T="float32 float64")


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Best-path decoding: the most likely class at each step, repeats merged and blanks dropped.

    Returns ([SparseTensor of the decoded classes], [batch, 1] negated sums of the steps' largest logits)."""
    ix, values, shape, log_prob = apply_op("CTCGreedyDecoder", [inputs, sequence_length],
                                           {"merge_repeated": bool(merge_repeated),
                                            "blank_index": -1 if blank_index is None else int(blank_index)})
    return [SparseTensor(ix, values, shape)], log_prob


# ----- beam search (TF's CTCBeamSearchDecoder with its default scorer) ------------------------------------------
def _log_sum(a, b):
    if a == _NEG:
        return b
    if b == _NEG:
        return a
    return max(a, b) + math.log1p(math.exp(min(a, b) - max(a, b)))


class _Beam:
    """A prefix in the beam search tree: its last label, its parent, and log p(prefix) so far as [total, ending
    in a blank, ending in its label], for the previous step (`old`) and this one (`new`)."""

    __slots__ = ("parent", "label", "children", "old", "new")

    def __init__(self, parent, label):
        self.parent, self.label, self.children = parent, label, {}
        self.old, self.new = [_NEG] * 3, [_NEG] * 3

    def child(self, label):
        if label not in self.children:
            self.children[label] = _Beam(self, label)
        return self.children[label]

    def labels(self, merge_repeated):
        out, prev, node = [], -1, self
        while node.parent is not None:
            if not merge_repeated or node.label != prev:
                out.append(node.label)
            prev, node = node.label, node.parent
        return out[::-1]


def _beam_step(leaves, x, width):
    """One time step over log probabilities `x` (TF's CTCBeamSearchDecoder::Step): extend the surviving
    prefixes, then grow each by every non-blank label while it beats the beam's worst."""
    blank = len(x) - 1
    branches = sorted(leaves, key=lambda e: -e.new[0])
    for e in branches:
        e.old = list(e.new)
    for e in branches:
        if e.parent is not None:
            if e.parent.new[0] != _NEG:
                e.new[2] = _log_sum(e.new[2], e.parent.old[1] if e.label == e.parent.label else e.parent.old[0])
            e.new[2] += x[e.label]
        e.new[1] = e.old[0] + x[blank]
        e.new[0] = _log_sum(e.new[1], e.new[2])
    leaves = list(branches)
    logits = np.array(x[:blank])

    def bound():  # a prefix joins the beam if it beats this: its worst when full (that only rises), else log 0
        return min(leaf.new[0] for leaf in leaves) if len(leaves) == width else _NEG
    for e in branches:
        if not e.old[0] > bound():
            continue
        scores = logits + e.old[0]
        if 0 <= e.label < blank:  # repeating the last label needs a blank in between
            scores[e.label] = x[e.label] + e.old[1]
        # Labels below the bound never join (it only rises); existing children are visited too, since TF clears
        # the previous probabilities of an inactive child that fails (an evicted branch then grows no more).
        for label in sorted(set(np.flatnonzero(scores > bound()).tolist()) | set(e.children)):
            c = e.child(label)
            if c.new[0] != _NEG:
                continue
            if not scores[label] > bound():
                c.old = [_NEG] * 3
                continue
            if len(leaves) == width:  # the worst (the last pushed of equals) leaves the beam
                worst = bound()
                bottom = [leaf for leaf in leaves if leaf.new[0] == worst][-1]
                bottom.new = [_NEG] * 3
                leaves.remove(bottom)
            c.new = [float(scores[label]), _NEG, float(scores[label])]
            leaves.append(c)
    return leaves


def _beam_search(rows, width, paths, merge_repeated):
    """The `paths` best label sequences and their log probabilities for one batch entry's logits `rows`."""
    root = _Beam(None, -1)
    root.new = [0.0, 0.0, _NEG]
    leaves = [root]
    for x in rows:
        leaves = _beam_step(leaves, x, width)
    if paths > width:
        raise _bad("requested more paths than the beam width.")
    if paths > len(leaves):
        raise _bad("Less leaves in the beam search than requested.")
    best = sorted(leaves, key=lambda e: -e.new[0])[:paths]
    return [e.labels(merge_repeated) for e in best], [e.new[0] for e in best]


def _beam_kernel(a, inputs, seq_len):
    _check_decoder_inputs(inputs, seq_len)
    paths, batch = a["top_paths"], inputs.shape[1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        shifted = inputs - inputs.max(2, keepdims=True)
        log_y = shifted - np.log(np.exp(shifted).sum(2, keepdims=True))
    found = [_beam_search(log_y[:max(int(seq_len[b]), 0), b].tolist(), a["beam_width"], paths,
                          a.get("merge_repeated", True))
             for b in range(batch)]
    out = []
    for p in range(paths):
        seqs = [f[0][p] for f in found]
        emit = np.zeros((batch, max(max(map(len, seqs)), 1)), bool)
        classes = np.zeros(emit.shape, np.int64)
        for b, s in enumerate(seqs):
            emit[b, :len(s)] = True
            classes[b, :len(s)] = s
        ix, values, shape = _sparse_paths(emit, classes)
        out.append((ix, values, shape))
    log_prob = np.array([f[1] for f in found], inputs.dtype).reshape(batch, paths)
    return [o[0] for o in out] + [o[1] for o in out] + [o[2] for o in out] + [log_prob]


def _beam_shape(inputs, a):
    for key in ("beam_width", "top_paths"):
        if a[key] < 1:
            raise ValueError(f"Attr '{key}' of 'CTCBeamSearchDecoder' Op passed {a[key]} less than minimum 1.")
    return _decoder_shape(inputs, a, a["top_paths"])


op("CTCBeamSearchDecoder", "inputs:T, sequence_length:int32", kernel=_beam_kernel, shape=_beam_shape,
   grad=NOT_DIFFERENTIABLE, T="float32 float64")


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1, merge_repeated=True):
    """TF1's beam search decoding (blank = classes - 1): ([top_paths SparseTensors], [batch, top_paths] log
    probabilities). With `merge_repeated`, equal consecutive labels of a path are emitted once."""
    outs = apply_op("CTCBeamSearchDecoder", [inputs, sequence_length],
                    {"beam_width": int(beam_width), "top_paths": int(top_paths),
                     "merge_repeated": bool(merge_repeated)})
    ix, values, shapes = outs[:top_paths], outs[top_paths:2 * top_paths], outs[2 * top_paths:3 * top_paths]
    return [SparseTensor(i, v, s) for i, v, s in zip(ix, values, shapes)], outs[-1]


def ctc_beam_search_decoder_v2(inputs, sequence_length, beam_width=100, top_paths=1):
    """`ctc_beam_search_decoder` without merging repeated labels (TF2's `tf.nn.ctc_beam_search_decoder`)."""
    return ctc_beam_search_decoder(inputs, sequence_length, beam_width=beam_width, top_paths=top_paths,
                                   merge_repeated=False)


# ----- dense label helpers -----------------------------------------------------------------------------------
def _dim(t, i):
    d = dims(t)
    return d[i] if d is not None and d[i] is not None else shape(t)[i]


def collapse_repeated(labels, seq_length, name=None):
    """Merges runs of equal labels in each row of `labels` [batch, time] (up to its `seq_length`), left-aligned
    and padded with 0 to the longest result: ([[1, 1, 2, 2, 1]], [5]) -> ([[1, 2, 1]], [3])."""
    with name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        labels = convert_to_tensor(labels, name="labels")
        seq_length = convert_to_tensor(seq_length, name="seq_length")
        label_mask = concat([ones_like(labels[:, :1], dtypes.bool), not_equal(labels[:, 1:], labels[:, :-1])], axis=1)
        label_mask = logical_and(label_mask, sequence_mask(seq_length, maxlen=_dim(labels, 1)))
        new_seq_len = reduce_sum(cast(label_mask, dtypes.int32), axis=1)
        new_maxlen = reduce_max(new_seq_len)
        flat_idx_mask = reshape(sequence_mask(new_seq_len, maxlen=new_maxlen), [-1])
        idx = range_(_dim(flat_idx_mask, 0))
        flat = scatter_nd(indices=expand_dims(boolean_mask(idx, flat_idx_mask), axis=1),
                          updates=boolean_mask(reshape(labels, [-1]), reshape(label_mask, [-1])),
                          shape=shape(flat_idx_mask))
        return reshape(flat, [_dim(labels, 0), new_maxlen]), cast(new_seq_len, seq_length.dtype)


def ctc_unique_labels(labels, name=None):
    """Per row of the dense [batch, max_label_length] `labels`: its distinct labels in first-seen order (int64,
    zero-padded to the row's length) and each label's index among them (int32), as TF builds it: a map_fn of
    Unique over the rows."""
    from ..functional import map_fn  # functional.py sits above the op families
    from .scatter import unique

    with name_scope(name, "ctc_unique_labels", [labels]):
        labels = convert_to_tensor(labels, name="labels")

        def row(x):
            u = unique(x)
            y = pad(u.y, [[0, _dim(u.idx, 0) - _dim(u.y, 0)]])
            return [cast(y, dtypes.int64), u.idx]
        return map_fn(row, labels, dtype=[dtypes.int64, dtypes.int32])


def _dim(t, i):
    """Dim i of t: its static value when known, else read at run time (TF's _get_dim)."""
    return dims(t)[i] if dims(t) is not None and dims(t)[i] is not None else shape(t)[i]

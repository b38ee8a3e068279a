"""Non-max suppression over batches: `CombinedNonMaxSuppression` (per batch entry and class, then the best over
all classes; tf.image.combined_non_max_suppression) and tf.image.non_max_suppression_padded, which TF 2.21
builds from ordinary ops (boxes sorted by score, cut into tiles, suppressed tile by tile in a while_loop).

The kernel follows TF's CPU kernel step by step, including the order in which its C++ containers return
equal scores: a `std::priority_queue` per class and a `std::sort` of the candidates, both emulated below as
libstdc++ implements them, so ties come out as TF's do.
"""
import collections

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import expand_dims, identity_n, reshape, shape, transpose
from .boxes import _iou
from .control_flow import cond
from .conv import _merge_dim
from .filling import range as range_
from .filling import zeros, zeros_like
from .joining import concat, pad, split, tile
from .math import cast, ceil, equal, less_equal, logical_and, logical_not, maximum, minimum
from .ranking import top_k
from .reduction import reduce_all, reduce_any, reduce_max, reduce_min, reduce_sum
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value, with_rank
from .slicing import gather, where
from .slicing import slice as slice_
from .sorting import argsort
from .while_loop import while_loop

_F32 = np.float32
_INT_MAX = 2 ** 31 - 1


# ----- libstdc++'s heap and sort (bits/stl_heap.h, bits/stl_algo.h), on a Python list with `less` ----------
def _push_heap(a, hole, top, value, less):
    parent = (hole - 1) // 2
    while hole > top and less(a[parent], value):
        a[hole] = a[parent]
        hole, parent = parent, (parent - 1) // 2
    a[hole] = value


def _adjust_heap(a, hole, n, value, less):
    top, child = hole, hole
    while child < (n - 1) // 2:
        child = 2 * (child + 1)
        if less(a[child], a[child - 1]):
            child -= 1
        a[hole], hole = a[child], child
    if n % 2 == 0 and child == (n - 2) // 2:
        child = 2 * (child + 1)
        a[hole], hole = a[child - 1], child - 1
    _push_heap(a, hole, top, value, less)


def _pop_heap(a, less):
    """std::pop_heap then pop_back: the top, with the heap rebuilt as libstdc++ does."""
    top, last = a[0], a.pop()
    if a:
        _adjust_heap(a, 0, len(a), last, less)
    return top


def _heap_sort(a, lo, hi, less):
    """std::partial_sort(lo, hi, hi): make_heap then sort_heap on a[lo:hi]."""
    part = a[lo:hi]
    n = len(part)
    for parent in range((n - 2) // 2, -1, -1):
        _adjust_heap(part, parent, n, part[parent], less)
    for end in range(n - 1, 0, -1):
        value, part[end] = part[end], part[0]
        _adjust_heap(part, 0, end, value, less)
    a[lo:hi] = part


def _linear_insert(a, i, less):
    value, j = a[i], i - 1
    while less(value, a[j]):
        a[j + 1] = a[j]
        j -= 1
    a[j + 1] = value


def _insertion_sort(a, lo, hi, less):
    for i in range(lo + 1, hi):
        if less(a[i], a[lo]):
            a[lo + 1:i + 1], a[lo] = a[lo:i], a[i]
        else:
            _linear_insert(a, i, less)


def _partition_pivot(a, lo, hi, less):
    """The median of a[lo + 1], the middle and the last moved to a[lo], then the unguarded partition."""
    x, y, z = lo + 1, lo + (hi - lo) // 2, hi - 1
    if less(a[x], a[y]):
        m = y if less(a[y], a[z]) else z if less(a[x], a[z]) else x
    else:
        m = x if less(a[x], a[z]) else z if less(a[y], a[z]) else y
    a[lo], a[m] = a[m], a[lo]
    first, last = lo + 1, hi
    while True:
        while less(a[first], a[lo]):
            first += 1
        last -= 1
        while less(a[lo], a[last]):
            last -= 1
        if first >= last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _std_sort(a, less):
    """std::sort: introsort down to runs of 16, then insertion sort (not stable, as TF's ties show)."""
    def loop(lo, hi, depth):
        while hi - lo > 16:
            if depth == 0:
                _heap_sort(a, lo, hi, less)
                return
            depth -= 1
            cut = _partition_pivot(a, lo, hi, less)
            loop(cut, hi, depth)
            hi = cut
    if len(a) > 1:
        loop(0, len(a), 2 * (len(a).bit_length() - 1))
    _insertion_sort(a, 0, min(len(a), 16), less)
    for i in range(16, len(a)):
        _linear_insert(a, i, less)


# ----- CombinedNonMaxSuppression ---------------------------------------------------------------------------
def _nms_per_class(boxes, scores, size_per_class, score_threshold, iou_threshold):
    """TF's DoNMSPerClass: the indices of one class's boxes kept, best first (ties as its priority_queue)."""
    def less(x, y):
        return x[1] < y[1]
    queue = []
    for i, s in enumerate(scores):
        if s > score_threshold:
            queue.append((i, s))
            _push_heap(queue, len(queue) - 1, 0, queue[-1], less)
    selected = []
    while len(selected) < size_per_class and queue:
        i, s = _pop_heap(queue, less)
        if not selected or not np.any(_iou(boxes[i], boxes[selected]) > iou_threshold):
            selected.append(i)
    return selected


def _check_combined(boxes, scores, per_class, total, iou, score):
    """TF 2.21's checks, in its order. (TF reads dims 0 of both and dim 2 of scores before checking ranks, and
    aborts the process when they are missing; raygraph reports the rank instead.)"""
    def bad(message):
        return InvalidArgumentError(None, None, message)
    if boxes.ndim and scores.ndim and boxes.shape[0] != scores.shape[0]:
        raise bad("boxes and scores must have same batch size")
    for what, t in (("max_size_per_class", per_class), ("max_total_size", total)):
        if np.ndim(t):
            raise bad(f"{what} must be 0-D, got shape {_text(np.shape(t))}")
        if t <= 0:
            raise bad("max_size_per_class must be positive" if what == "max_size_per_class" else
                      "max_total_size must be > 0")
    for what, t in (("iou_threshold", iou), ("score_threshold", score)):
        if np.ndim(t):
            raise bad(f"{what} must be 0-D, got shape {_text(np.shape(t))}")
    if not 0 <= iou <= 1:
        raise bad("iou_threshold must be in [0, 1]")
    if boxes.ndim != 4 or scores.ndim < 3:
        raise bad(f"boxes must be 4-D{_text(boxes.shape)}" if boxes.ndim != 4 else
                  f"scores must be 3-D{_text(scores.shape)}")
    if boxes.shape[2] not in (1, scores.shape[2]):
        raise bad("third dimension of boxes must be either 1 or num classes")
    if boxes.shape[3] != 4:
        raise bad("boxes must have 4 columns")
    if scores.ndim != 3:
        raise bad(f"scores must be 3-D{_text(scores.shape)}")
    if scores.shape[1] != boxes.shape[1]:
        raise bad("scores has incompatible shape")


def _text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _combined_kernel(a, boxes, scores, max_per_class, max_total, iou_threshold, score_threshold):
    _check_combined(boxes, scores, max_per_class, max_total, iou_threshold, score_threshold)
    batch, num_boxes, q, _ = boxes.shape
    num_classes = scores.shape[2]
    size_per_class = min(int(max_per_class), num_boxes)
    per_batch = int(max_total)
    if a["pad_per_class"]:
        per_batch = min(per_batch, min(_INT_MAX, int(max_per_class) * num_classes))
    out_boxes = np.zeros((batch, per_batch, 4), _F32)
    out_scores = np.zeros((batch, per_batch), _F32)
    out_classes = np.zeros((batch, per_batch), _F32)
    valid = np.zeros(batch, np.int32)
    for b in range(batch):
        # one slot per (class, rank): (box index or -1, score, class, box), as TF's result_candidate_vec; an
        # empty slot scores -1, so it sorts above (and is output before) kept boxes scoring below -1, as in TF
        slots = [(-1, _F32(-1), -1, np.zeros(4, _F32))] * (size_per_class * num_classes)
        for c in range(num_classes):
            class_boxes = boxes[b, :, c if q > 1 else 0].astype(_F32)
            kept = _nms_per_class(class_boxes, scores[b, :, c], size_per_class, _F32(score_threshold),
                                  _F32(iou_threshold))
            for rank, i in enumerate(kept):
                slots[rank + size_per_class * c] = (i, scores[b, i, c], c, class_boxes[i])
        _std_sort(slots, lambda x, y: y[1] < x[1])
        found = sum(s[0] > -1 for s in slots)
        valid[b] = n = min(found, per_batch)
        for k, (_, score, c, box) in enumerate(slots[:n]):  # (the first n slots, empty or not)
            out_boxes[b, k] = np.clip(box, 0, 1) if a["clip_boxes"] else box
            out_scores[b, k], out_classes[b, k] = score, c
    return out_boxes, out_scores, out_classes, valid


def _scalar_dim(value, index):
    """TF's MakeDimForScalarInput: a scalar input's value as a dimension (None when unknown)."""
    if value is None:
        return None
    if int(value) < 0:
        raise ValueError(f"Dimension size, given by scalar input {index}, must be non-negative but is {int(value)}")
    return int(value)


def _combined_shape(inputs, a):
    boxes = with_rank(inputs[0], 4)
    scores = with_rank(inputs[1], 3)
    for t in inputs[2:]:
        with_rank(t, 0)
    _merge_dim(boxes[0], scores[0])  # checked, not kept: the batch dim is boxes' (as TF)
    _merge_dim(boxes[1], scores[1])
    batch = boxes[0]
    if boxes[3] not in (None, 4):
        raise ValueError(f"Dimension must be 4 but is {boxes[3]}")
    q, classes = boxes[2], scores[2]
    if q is not None and classes is not None and q not in (1, classes):
        raise ValueError("third dimension of boxes must be either 1 or equal to the third dimension of scores")
    # both values are asked for before either is checked, so TF's message lists both
    total_value, per_class_value = constant_value(inputs[3]), constant_value(inputs[2])
    total = _scalar_dim(total_value, 3)
    if total is not None and total <= 0:
        raise ValueError("max_total_size should be > 0 ")
    per_class = _scalar_dim(per_class_value, 2)
    size = total
    if a["pad_per_class"]:
        if per_class is not None and per_class <= 0:
            raise ValueError("max_output_size_per_class must be > 0 if pad_per_class is set to true ")
        size = None if None in (per_class, classes, total) else min(total, per_class * classes)
    rows = TensorShape._raw((batch, size))
    return [(dtypes.float32, TensorShape._raw((batch, size, 4))), (dtypes.float32, rows), (dtypes.float32, rows),
            (dtypes.int32, TensorShape._raw((batch,)))]


op("CombinedNonMaxSuppression", "boxes:float32, scores:float32, max_output_size_per_class:int32, "
   "max_total_size:int32, iou_threshold:float32, score_threshold:float32", kernel=_combined_kernel,
   shape=_combined_shape, grad=NO_GRADIENT_DEFINED)


_Combined = collections.namedtuple("CombinedNonMaxSuppression",
                                   "nmsed_boxes nmsed_scores nmsed_classes valid_detections")


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size, iou_threshold=0.5,
                                 score_threshold=float("-inf"), pad_per_class=False, clip_boxes=True, name=None):
    """Non-max suppression per batch entry and class, then the best `max_total_size` boxes over all classes:
    (nmsed_boxes, nmsed_scores, nmsed_classes, valid_detections), zero-padded."""
    with name_scope(name, "combined_non_max_suppression"):
        iou_threshold = convert_to_tensor(iou_threshold, dtype=dtypes.float32, name="iou_threshold")
        score_threshold = convert_to_tensor(score_threshold, dtype=dtypes.float32, name="score_threshold")
        max_total_size = convert_to_tensor(max_total_size)  # no dtype: a value past int32 fails as in TF
        outs = apply_op("CombinedNonMaxSuppression", [boxes, scores, max_output_size_per_class, max_total_size,
                                                      iou_threshold, score_threshold],
                        {"pad_per_class": bool(pad_per_class), "clip_boxes": bool(clip_boxes)})
        return _Combined(*outs)


# ----- non_max_suppression_padded: TF's tiled suppression from ordinary ops --------------------------------
def _bbox_overlap(boxes_a, boxes_b):
    """IoU of each box of boxes_a [batch, N, 4] with each of boxes_b [batch, M, 4]: [batch, N, M]."""
    with name_scope("bbox_overlap"):
        a_y_min, a_x_min, a_y_max, a_x_max = split(boxes_a, 4, axis=2)
        b_y_min, b_x_min, b_y_max, b_x_max = split(boxes_b, 4, axis=2)
        i_xmin = maximum(a_x_min, transpose(b_x_min, [0, 2, 1]))
        i_xmax = minimum(a_x_max, transpose(b_x_max, [0, 2, 1]))
        i_ymin = maximum(a_y_min, transpose(b_y_min, [0, 2, 1]))
        i_ymax = minimum(a_y_max, transpose(b_y_max, [0, 2, 1]))
        i_area = maximum(i_xmax - i_xmin, 0) * maximum(i_ymax - i_ymin, 0)
        a_area = (a_y_max - a_y_min) * (a_x_max - a_x_min)
        b_area = (b_y_max - b_y_min) * (b_x_max - b_x_min)
        u_area = a_area + transpose(b_area, [0, 2, 1]) - i_area + 1e-8  # no division by zero
        return i_area / u_area


def _self_suppression(iou, _, iou_sum, iou_threshold):
    """One step of suppression inside a tile: boxes no other box suppresses suppress the others."""
    batch_size = shape(iou)[0]
    can_suppress_others = cast(reshape(reduce_max(iou, 1) < iou_threshold, [batch_size, -1, 1]), iou.dtype)
    iou_after_suppression = reshape(cast(reduce_max(can_suppress_others * iou, 1) < iou_threshold, iou.dtype),
                                    [batch_size, -1, 1]) * iou
    iou_sum_new = reduce_sum(iou_after_suppression, [1, 2])
    return [iou_after_suppression, reduce_any(iou_sum - iou_sum_new > iou_threshold), iou_sum_new, iou_threshold]


def _cross_suppression(boxes, box_slice, iou_threshold, inner_idx, tile_size):
    """Zeroes the boxes of box_slice that a box of tile `inner_idx` overlaps too much."""
    batch_size = shape(boxes)[0]
    new_slice = slice_(boxes, [0, inner_idx * tile_size, 0], [batch_size, tile_size, 4])
    iou = _bbox_overlap(new_slice, box_slice)
    box_slice_after_suppression = expand_dims(cast(reduce_all(iou < iou_threshold, [1]), box_slice.dtype),
                                              2) * box_slice
    return boxes, box_slice_after_suppression, iou_threshold, inner_idx + 1


def _suppression_loop_body(boxes, iou_threshold, output_size, idx, tile_size):
    """Suppresses tile `idx` by the tiles before it, then by itself; counts the boxes it keeps."""
    with name_scope("suppression_loop_body"):
        num_tiles = shape(boxes)[1] // tile_size
        batch_size = shape(boxes)[0]
        box_slice = slice_(boxes, [0, idx * tile_size, 0], [batch_size, tile_size, 4])
        _, box_slice, _, _ = while_loop(
            lambda _boxes, _box_slice, _threshold, inner_idx: inner_idx < idx,
            lambda *v: _cross_suppression(*v, tile_size), [boxes, box_slice, iou_threshold, constant(0)])
        iou = _bbox_overlap(box_slice, box_slice)
        mask = expand_dims(reshape(range_(tile_size), [1, -1]) > reshape(range_(tile_size), [-1, 1]), 0)
        iou *= cast(logical_and(mask, iou >= iou_threshold), iou.dtype)
        suppressed_iou, _, _, _ = while_loop(
            lambda _iou, loop_condition, _iou_sum, _: loop_condition, _self_suppression,
            [iou, constant(True), reduce_sum(iou, [1, 2]), iou_threshold])
        suppressed_box = reduce_sum(suppressed_iou, 1) > 0
        box_slice *= expand_dims(1.0 - cast(suppressed_box, box_slice.dtype), 2)
        mask = reshape(cast(equal(range_(num_tiles), idx), boxes.dtype), [1, -1, 1, 1])
        boxes = tile(expand_dims(box_slice, [1]), [1, num_tiles, 1, 1]) * mask + reshape(
            boxes, [batch_size, num_tiles, tile_size, 4]) * (1 - mask)
        boxes = reshape(boxes, [batch_size, -1, 4])
        output_size += reduce_sum(cast(reduce_any(box_slice > 0, [2]), dtypes.int32), [1])
    return boxes, iou_threshold, output_size, idx + 1


def _canonicalize(boxes):
    """[y_min, x_min, y_max, x_max], the order of each pair decided (for all boxes) by the first box."""
    with name_scope("canonicalize_coordinates"):
        y_1, x_1, y_2, x_2 = split(boxes, 4, axis=2)
        y_1_is_min = reduce_all(less_equal(y_1[0, 0, 0], y_2[0, 0, 0]))
        y_min, y_max = cond(y_1_is_min, lambda: (y_1, y_2), lambda: (y_2, y_1))
        x_1_is_min = reduce_all(less_equal(x_1[0, 0, 0], x_2[0, 0, 0]))
        x_min, x_max = cond(x_1_is_min, lambda: (x_1, x_2), lambda: (x_2, x_1))
        return concat([y_min, x_min, y_max, x_max], axis=2)


def _batch_gather(params, indices):
    """gather(params, indices, axis=1, batch_dims=1) for params [batch, n, ...] and indices [batch, n], through
    flat indices (raygraph's GatherV2 kernel does not apply batch_dims yet)."""
    batch_size, n = shape(indices)[0], shape(indices)[1]
    flat = reshape(indices + expand_dims(range_(batch_size) * n, 1), [-1])
    rows = reshape(params, concat([[-1], shape(params)[2:]], 0))
    return reshape(gather(rows, flat), shape(params))


def _sort_scores_and_boxes(scores, boxes):
    with name_scope("sort_scores_and_boxes"):
        sorted_scores_indices = argsort(scores, axis=1, direction="DESCENDING")
        return (_batch_gather(scores, sorted_scores_indices), _batch_gather(boxes, sorted_scores_indices),
                sorted_scores_indices)


def _padded_v2(boxes, scores, max_output_size, iou_threshold, score_threshold, sorted_input,
               canonicalized_coordinates, tile_size):
    """TF's non_max_suppression_padded_v2 (a tf.function in TF): padded indices [batch, max_output_size] and
    the count of valid ones, both over the flattened batch dims. The flags are tensors, as in TF's trace, so
    its `if`s are conds; TF's `score_threshold != -inf` is an identity test there (always true in graph mode)."""
    batch_dims = shape(boxes)[:-2]
    num_boxes = shape(boxes)[-2]
    boxes = reshape(boxes, [-1, num_boxes, 4])
    scores = reshape(scores, [-1, num_boxes])
    batch_size = shape(boxes)[0]
    with name_scope("filter_by_score"):
        score_mask = cast(scores > score_threshold, scores.dtype)
        scores *= score_mask
        boxes *= expand_dims(cast(score_mask, boxes.dtype), 2)
    boxes = cond(logical_not(canonicalized_coordinates), lambda: _canonicalize(boxes), lambda: boxes)
    scores, boxes, sorted_indices = cond(logical_not(sorted_input), lambda: _sort_scores_and_boxes(scores, boxes),
                                         lambda: (scores, boxes, zeros_like(scores, dtype=dtypes.int32)))
    pad_ = cast(ceil(cast(maximum(num_boxes, max_output_size), dtypes.float32) / cast(tile_size, dtypes.float32)),
                dtypes.int32) * tile_size - num_boxes
    boxes = pad(cast(boxes, dtypes.float32), [[0, 0], [0, pad_], [0, 0]])
    scores = pad(cast(scores, dtypes.float32), [[0, 0], [0, pad_]])
    num_boxes_after_padding = num_boxes + pad_
    num_iterations = num_boxes_after_padding // tile_size
    boxes.set_shape([None, None, 4])  # TF's while_v2 takes an invariant merely compatible with the Pad's [?,?,?]
    selected_boxes, _, output_size, _ = while_loop(
        lambda _boxes, _threshold, output_size, idx: logical_and(reduce_min(output_size) < max_output_size,
                                                                 idx < num_iterations),
        lambda *v: _suppression_loop_body(*v, tile_size),
        [boxes, iou_threshold, zeros([batch_size], dtypes.int32), constant(0)],
        shape_invariants=[TensorShape([None, None, 4]), TensorShape([]), TensorShape([None]), TensorShape([])])
    num_valid = minimum(output_size, max_output_size)
    idx = num_boxes_after_padding - cast(top_k(
        cast(reduce_any(selected_boxes > 0, [2]), dtypes.int32) *
        expand_dims(range_(num_boxes_after_padding, 0, -1), 0), max_output_size)[0], dtypes.int32)
    idx = minimum(idx, num_boxes - 1)

    def unsort():
        gather_idx = reshape(idx + expand_dims(range_(batch_size) * num_boxes, 1), [-1])
        return reshape(gather(reshape(sorted_indices, [-1]), gather_idx), [batch_size, -1])
    idx = cond(logical_not(sorted_input), unsort, lambda: idx)
    invalid_index = zeros([batch_size, max_output_size], dtype=dtypes.int32)
    idx_index = expand_dims(range_(max_output_size), 0)
    idx = where(idx_index < expand_dims(num_valid, 1), idx, invalid_index)
    return idx, reshape(num_valid, batch_dims)


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"),
                               pad_to_max_output_size=False, name=None, sorted_input=False,
                               canonicalized_coordinates=False, tile_size=512):
    """Greedy non-max suppression on boxes [..., num_boxes, 4] (TF's tiled algorithm): (indices, num_valid);
    with pad_to_max_output_size the indices are [..., max_output_size], zero after the valid ones.

    TF 2.21 runs the work in a tf.function (one PartitionedCall op); raygraph builds the same ops inline,
    under `non_max_suppression_padded_v2/`, and an IdentityN named PartitionedCall gives its two results."""
    with name_scope(name, "non_max_suppression_padded"):
        if not pad_to_max_output_size:
            rank = boxes.get_shape().rank  # (TF reads the static rank of `boxes` as given: a Tensor)
            if rank is not None and rank > 2:
                raise ValueError(f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True for "
                                 "batched input")
        args = [convert_to_tensor(v) for v in (boxes, scores, max_output_size, iou_threshold, score_threshold,
                                               sorted_input, canonicalized_coordinates, tile_size)]
        with name_scope("non_max_suppression_padded_v2"):
            outs = _padded_v2(*args)
        idx, num_valid = identity_n(outs, name="PartitionedCall")
        if not pad_to_max_output_size:
            idx = idx[0, :num_valid]
        else:
            idx = reshape(idx, concat([shape(boxes)[:-2], expand_dims(max_output_size, 0)], 0))
        return idx, num_valid

"""Ops on boxes in images: `CropAndResize` (bilinear or nearest sampling of each box, with its image and box
gradients), non-max suppression (`NonMaxSuppressionV3`: greedy selection by score, dropping boxes that overlap a
kept one; `V5` with Soft-NMS and `WithOverlaps`: TF's candidate queue) and `DrawBoundingBoxes`.

Boxes are [y1, x1, y2, x2] in normalized coordinates: y1 maps to row y1 * (height - 1).
"""
import heapq

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError, OutOfRangeError
from ..shape import TensorShape
from .array import shape as shape_of
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value, merge_dims, with_rank

_F32 = np.float32


def _positions(lo, hi, n_crop, n_image):
    """Sampling positions of one box along one axis (float32, as TF), and the ratio of the box gradient."""
    if n_crop > 1:
        ratio = _F32(n_image - 1) / _F32(n_crop - 1)
        scale = (hi - lo) * ratio
        return lo * _F32(n_image - 1) + np.arange(n_crop, dtype=_F32) * scale, ratio
    return np.full(1, _F32(0.5 * (float(lo) + float(hi)) * (n_image - 1))), _F32(0)


def _check(image, boxes, box_ind, crop_size=None):
    if np.ndim(image) != 4:
        raise InvalidArgumentError(None, None, f"input image must be 4-D {list(np.shape(image))}")
    if np.ndim(boxes) != 2 or np.shape(boxes)[1] != 4:
        raise InvalidArgumentError(None, None, f"boxes must be 2-D [num_boxes, 4]: {list(np.shape(boxes))}")
    if np.shape(box_ind) != (np.shape(boxes)[0],):
        raise InvalidArgumentError(None, None, "box_index has incompatible shape")
    if np.any((box_ind < 0) | (box_ind >= np.shape(image)[0])):
        raise OutOfRangeError(None, None, "box_index has values outside [0, batch_size)")
    if crop_size is not None:
        if np.shape(crop_size) != (2,):
            raise InvalidArgumentError(None, None, f"crop_size must be a length-2 vector, got {np.size(crop_size)}")
        if np.any(np.asarray(crop_size) <= 0):
            raise InvalidArgumentError(None, None, "crop dimensions must be positive")


def _samples(boxes, b, crop, hw):
    y1, x1, y2, x2 = (_F32(v) for v in boxes[b])
    ys, ry = _positions(y1, y2, crop[0], hw[0])
    xs, rx = _positions(x1, x2, crop[1], hw[1])
    return ys, xs, ry, rx, (ys >= 0) & (ys <= hw[0] - 1), (xs >= 0) & (xs <= hw[1] - 1)


def _crop_and_resize_kernel(a, image, boxes, box_ind, crop_size):
    _check(image, boxes, box_ind, crop_size)
    crop = [int(v) for v in crop_size]
    hw = image.shape[1:3]
    out = np.full((len(boxes), crop[0], crop[1], image.shape[3]), _F32(a.get("extrapolation_value", 0.0)), _F32)
    for b in range(len(boxes)):
        ys, xs, _, _, vy, vx = _samples(boxes, b, crop, hw)
        img = image[box_ind[b]].astype(_F32)
        yi, xi = np.clip(ys, 0, hw[0] - 1), np.clip(xs, 0, hw[1] - 1)
        if a.get("method", "bilinear") == "nearest":
            value = img[np.floor(yi + _F32(0.5)).astype(np.int64)][:, np.floor(xi + _F32(0.5)).astype(np.int64)]
        else:
            top, bottom = np.floor(yi).astype(np.int64), np.ceil(yi).astype(np.int64)
            left, right = np.floor(xi).astype(np.int64), np.ceil(xi).astype(np.int64)
            ly, lx = (yi - top)[:, None, None], (xi - left)[None, :, None]
            t = img[top][:, left] + (img[top][:, right] - img[top][:, left]) * lx
            bt = img[bottom][:, left] + (img[bottom][:, right] - img[bottom][:, left]) * lx
            value = t + (bt - t) * ly
        keep = vy[:, None] & vx[None, :]
        out[b][keep] = value[keep]
    return out


def _grad_image_kernel(a, grads, boxes, box_ind, image_size):
    size = [int(v) for v in image_size]
    if len(size) != 4 or min(size) <= 0:
        raise InvalidArgumentError(None, None, "image_size must be a 4-vector of positive dims")
    _check(np.zeros((size[0], 1, 1, 1)), boxes, box_ind)
    out = np.zeros(size, np.float64)
    crop = grads.shape[1:3]
    for b in range(len(boxes)):
        ys, xs, _, _, vy, vx = _samples(boxes, b, crop, size[1:3])
        g = np.where((vy[:, None] & vx[None, :])[..., None], grads[b].astype(np.float64), 0.0)
        yi, xi = np.clip(ys, 0, size[1] - 1), np.clip(xs, 0, size[2] - 1)
        if a.get("method", "bilinear") == "nearest":
            np.add.at(out[box_ind[b]], (np.floor(yi + _F32(0.5)).astype(np.int64)[:, None], np.floor(xi + _F32(0.5)).astype(np.int64)), g)
            continue
        top, bottom = np.floor(yi).astype(np.int64), np.ceil(yi).astype(np.int64)
        left, right = np.floor(xi).astype(np.int64), np.ceil(xi).astype(np.int64)
        ly, lx = (yi - top)[:, None, None].astype(np.float64), (xi - left)[None, :, None].astype(np.float64)
        for rows, wy in ((top, 1 - ly), (bottom, ly)):
            for cols, wx in ((left, 1 - lx), (right, lx)):
                np.add.at(out[box_ind[b]], (rows[:, None], cols[None, :]), g * wy * wx)
    return out.astype(a["T"].as_numpy_dtype)


def _grad_boxes_kernel(a, grads, image, boxes, box_ind):
    _check(image, boxes, box_ind)
    out = np.zeros((len(boxes), 4), np.float64)
    crop, hw = grads.shape[1:3], image.shape[1:3]
    for b in range(len(boxes)):
        ys, xs, ry, rx, vy, vx = _samples(boxes, b, crop, hw)
        img = image[box_ind[b]].astype(np.float64)
        yi, xi = np.clip(ys, 0, hw[0] - 1), np.clip(xs, 0, hw[1] - 1)
        top, bottom = np.floor(yi).astype(np.int64), np.ceil(yi).astype(np.int64)
        left, right = np.floor(xi).astype(np.int64), np.ceil(xi).astype(np.int64)
        ly, lx = (yi - top)[:, None, None].astype(np.float64), (xi - left)[None, :, None].astype(np.float64)
        tl, tr = img[top][:, left], img[top][:, right]
        bl, br = img[bottom][:, left], img[bottom][:, right]
        g = np.where((vy[:, None] & vx[None, :])[..., None], grads[b].astype(np.float64), 0.0)
        dy = ((1 - lx) * (bl - tl) + lx * (br - tr)) * g
        dx = ((1 - ly) * (tr - tl) + ly * (br - bl)) * g
        iy, ix = np.arange(crop[0])[:, None, None], np.arange(crop[1])[None, :, None]
        for axis, d, n, ratio, pos, k in ((0, dy, hw[0], ry, iy, crop[0]), (1, dx, hw[1], rx, ix, crop[1])):
            if k > 1:
                out[b, axis] += np.sum(d * (n - 1 - pos * float(ratio)))
                out[b, axis + 2] += np.sum(d * (pos * float(ratio)))
            else:
                out[b, axis] += np.sum(d * 0.5 * (n - 1))
                out[b, axis + 2] += np.sum(d * 0.5 * (n - 1))
    return out.astype(_F32)


def _crop_shape(inputs, a):
    image, boxes, box_ind, crop_size = inputs
    d = with_rank(image, 4)
    n = with_rank(boxes, 2)
    if n[1] not in (None, 4):
        raise ValueError(f"Dimension must be 4 but is {n[1]}")
    with_rank(box_ind, 1)
    with_rank(crop_size, 1)
    size = constant_value(crop_size)
    h, w = (None, None) if size is None else (int(size[0]), int(size[1]))
    return dtypes.float32, TensorShape._raw((n[0], h, w, d[3]))


def _crop_grad(op, grad):
    image = op.inputs[0]
    size = image.shape.as_list() if image.shape.is_fully_defined() else shape_of(image)
    method = op.get_attr("method")
    method = method.decode() if isinstance(method, bytes) else method
    grad_image = None
    if image.dtype.base_dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
        grad_image = apply_op("CropAndResizeGradImage", [grad, op.inputs[1], op.inputs[2], size],
                              {"T": image.dtype.base_dtype, "method": method})
    grad_boxes = apply_op("CropAndResizeGradBoxes", [grad, image, op.inputs[1], op.inputs[2]], {})
    return [grad_image, grad_boxes, None, None]


def _grad_image_shape(inputs, a):
    size = constant_value(inputs[3])
    return a["T"], TensorShape._raw((None,) * 4 if size is None else tuple(int(v) for v in size))


_METHODS = {"method": ("bilinear", "nearest")}
op("CropAndResize", "image:T, boxes:float32, box_ind:int32, crop_size:int32", kernel=_crop_and_resize_kernel,
   shape=_crop_shape, grad=_crop_grad, T="uint8 uint16 int8 int16 int32 int64 float16 float32 float64",
   choices=_METHODS)
op("CropAndResizeGradImage", "grads:float32, boxes:float32, box_ind:int32, image_size:int32",
   kernel=_grad_image_kernel, shape=_grad_image_shape, grad=NO_GRADIENT_DEFINED, T="float16 float32 float64",
   choices=_METHODS)
op("CropAndResizeGradBoxes", "grads:float32, image:T, boxes:float32, box_ind:int32", kernel=_grad_boxes_kernel,
   shape=lambda i, a: (dtypes.float32, i[2].shape), grad=NO_GRADIENT_DEFINED,
   T="uint8 uint16 int8 int16 int32 int64 float16 float32 float64", choices={"method": ("bilinear",)})


def crop_and_resize(image, boxes, box_ind=None, crop_size=None, method="bilinear", extrapolation_value=0,
                    name=None, box_indices=None):
    """Each box of `boxes` (normalized [y1, x1, y2, x2]) cut from image `box_ind[i]` and resized to
    `crop_size`; samples outside the image are `extrapolation_value`."""
    box_ind = box_indices if box_ind is None else box_ind
    return apply_op("CropAndResize", [image, boxes, box_ind, crop_size],
                    {"method": method, "extrapolation_value": float(extrapolation_value)}, name=name)


# ----- non-max suppression ----------------------------------------------------------------------------------------
def _iou(box, others):
    lo = np.minimum(box[[0, 1]], box[[2, 3]])
    hi = np.maximum(box[[0, 1]], box[[2, 3]])
    o_lo = np.minimum(others[:, [0, 1]], others[:, [2, 3]])
    o_hi = np.maximum(others[:, [0, 1]], others[:, [2, 3]])
    area = (hi[0] - lo[0]) * (hi[1] - lo[1])
    areas = (o_hi[:, 0] - o_lo[:, 0]) * (o_hi[:, 1] - o_lo[:, 1])
    inter_lo, inter_hi = np.maximum(lo, o_lo), np.minimum(hi, o_hi)
    inter = np.maximum(inter_hi[:, 0] - inter_lo[:, 0], 0) * np.maximum(inter_hi[:, 1] - inter_lo[:, 1], 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area + areas - inter)
    return np.where((area <= 0) | (areas <= 0), _F32(0), iou)


def _nms_kernel(a, boxes, scores, max_output_size, iou_threshold, score_threshold):
    if np.ndim(boxes) != 2 or np.shape(boxes)[1] != 4:
        raise InvalidArgumentError(None, None, f"boxes must be 2-D with 4 columns: {list(np.shape(boxes))}")
    if np.shape(scores) != (np.shape(boxes)[0],):
        raise InvalidArgumentError(None, None, "scores has incompatible shape")
    if not 0 <= iou_threshold <= 1:
        raise InvalidArgumentError(None, None, "iou_threshold must be in [0, 1]")
    if max_output_size < 0:
        raise InvalidArgumentError(None, None, "max_output_size must be non-negative")
    boxes = boxes.astype(_F32)
    order = sorted((i for i in range(len(scores)) if scores[i] > score_threshold), key=lambda i: (-scores[i], i))
    kept = []
    for i in order:
        if len(kept) >= max_output_size:
            break
        if not kept or not np.any(_iou(boxes[i], boxes[kept]) > _F32(iou_threshold)):
            kept.append(i)
    return np.array(kept, np.int32)


def _nms_shape(inputs, a):
    with_rank(inputs[0], 2)
    with_rank(inputs[1], 1)
    for t in inputs[2:]:
        with_rank(t, 0)
    return dtypes.int32, TensorShape._raw((None,))


op("NonMaxSuppressionV3", "boxes:T, scores:T, max_output_size:int32, iou_threshold:T_threshold, "
   "score_threshold:T_threshold", kernel=_nms_kernel, shape=_nms_shape, grad=NO_GRADIENT_DEFINED,
   T="float16 float32", T_threshold="float16 float32")


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"), name=None):
    """Indices of the boxes kept by greedy non-max suppression, best score first."""
    with name_scope(name, "non_max_suppression"):
        iou_threshold = convert_to_tensor(iou_threshold, name="iou_threshold")
        score_threshold = convert_to_tensor(score_threshold, name="score_threshold")
        return apply_op("NonMaxSuppressionV3", [boxes, scores, max_output_size, iou_threshold, score_threshold], {})


# ----- drawing boxes -----------------------------------------------------------------------------------------------
_DEFAULT_COLORS = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                            [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1], [1, 0, 1, 1]], _F32)


def _draw_boxes_kernel(a, images, boxes, colors=None):
    if images.ndim != 4:
        raise InvalidArgumentError(None, None, "The rank of the images should be 4")
    if boxes.ndim != 3:
        raise InvalidArgumentError(None, None, "The rank of the boxes tensor should be 3")
    if images.shape[0] != boxes.shape[0]:
        raise InvalidArgumentError(None, None, "The batch sizes should be the same")
    n, height, width, depth = images.shape
    if depth not in (1, 3, 4):
        raise InvalidArgumentError(None, None, "Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    if boxes.shape[2] != 4:
        raise InvalidArgumentError(None, None, f"The size of the third dimension of the box must be 4. Received: "
                                               f"{boxes.shape[2]}")
    table = None
    if colors is not None:
        if colors.ndim != 2:
            raise InvalidArgumentError(None, None, f"colors must be a 2-D matrix{list(colors.shape)}")
        if colors.shape[1] < depth:
            raise InvalidArgumentError(None, None, f"colors must have equal or more channels than the image "
                                                   f"provided: {list(colors.shape)}")
        if colors.size:
            table = colors[:, :depth].astype(_F32)
    if table is None:
        table = _DEFAULT_COLORS.copy()
        if depth == 1:
            table[:, 0] = 1
        table = table[:, :depth]
    canvas = images.copy()
    table = table.astype(images.dtype)
    for b in range(n):
        for k, box in enumerate(boxes[b].astype(_F32)):
            color = table[k % len(table)]
            # float32 products truncated toward zero, as the kernel's int conversions
            top, left, bottom, right = (int(box[0] * _F32(height - 1)), int(box[1] * _F32(width - 1)),
                                        int(box[2] * _F32(height - 1)), int(box[3] * _F32(width - 1)))
            if top > bottom or left > right or top >= height or bottom < 0 or left >= width or right < 0:
                continue  # inverted or wholly outside: not drawn
            r0, r1, c0, c1 = max(top, 0), min(bottom, height - 1), max(left, 0), min(right, width - 1)
            if top >= 0:
                canvas[b, top, c0:c1 + 1] = color
            if bottom < height:
                canvas[b, bottom, c0:c1 + 1] = color
            if left >= 0:
                canvas[b, r0:r1 + 1, left] = color
            if right < width:
                canvas[b, r0:r1 + 1, right] = color
    return canvas


def _draw_boxes_shape(inputs, a):
    d = with_rank(inputs[0], 4)
    with_rank(inputs[1], 3)
    return inputs[0].dtype.base_dtype, TensorShape._raw(d)


op("DrawBoundingBoxes", "images:T, boxes:float32", kernel=_draw_boxes_kernel, shape=_draw_boxes_shape,
   grad=NO_GRADIENT_DEFINED, T="float32 float16")
op("DrawBoundingBoxesV2", "images:T, boxes:float32, colors:float32", kernel=_draw_boxes_kernel,
   shape=_draw_boxes_shape, grad=NO_GRADIENT_DEFINED, T="float32 float16")


def draw_bounding_boxes(images, boxes, name=None, colors=None):
    """A copy of `images` with the outline of each box drawn (TF1's tf.image.draw_bounding_boxes): DrawBoundingBoxes,
    or DrawBoundingBoxesV2 with a table of colors to cycle through."""
    if colors is None:
        return apply_op("DrawBoundingBoxes", [images, boxes], {}, name=name)
    return apply_op("DrawBoundingBoxesV2", [images, boxes, colors], {}, name=name)


# ----- non-max suppression with scores (soft-NMS) and with precomputed overlaps -------------------------------------
def _select(scores, max_output, threshold, score_threshold, sigma, similarity):
    """TF's candidate-queue suppression (NonMaxSuppressionV5 and WithOverlaps): (indices, scores) selected.

    Candidates come best score first (ties: lower index); each is compared with the boxes selected since it was
    last looked at, newest first. Hard NMS (sigma 0) drops it on a similarity above `threshold`; soft-NMS scales
    its score by exp(-sim^2 / (2 sigma)) and puts it back in the queue while it stays above `score_threshold`."""
    dtype = scores.dtype.type
    soft = sigma > 0
    scale = dtype(-0.5) / dtype(sigma) if soft else dtype(0)
    queue = [(-dtype(s), i, 0) for i, s in enumerate(scores) if s > score_threshold]
    heapq.heapify(queue)
    selected, kept_scores = [], []
    while len(selected) < max_output and queue:
        neg, i, begin = heapq.heappop(queue)
        score = original = -neg
        hard = False
        for j in range(len(selected) - 1, begin - 1, -1):
            sim = dtype(similarity(i, selected[j]))
            weight = dtype(np.exp(scale * sim * sim)) if soft or sim <= threshold else dtype(0)
            score = dtype(score * weight)
            if not soft and sim > threshold:
                hard = True
                break
            if score <= score_threshold:
                break
        if hard:
            continue
        if score == original:
            selected.append(i)
            kept_scores.append(score)
        elif score > score_threshold:
            heapq.heappush(queue, (-score, i, len(selected)))
    return selected, kept_scores


def _check_boxes(boxes, scores):
    if np.ndim(boxes) != 2 or np.shape(boxes)[1] != 4:
        raise InvalidArgumentError(None, None, f"boxes must be 2-D with 4 columns: {list(np.shape(boxes))}")
    if np.shape(scores) != (np.shape(boxes)[0],):
        raise InvalidArgumentError(None, None, "scores has incompatible shape")


def _nms_v5_kernel(a, boxes, scores, max_output_size, iou_threshold, score_threshold, soft_nms_sigma):
    _check_boxes(boxes, scores)
    if not 0 <= iou_threshold <= 1:
        raise InvalidArgumentError(None, None, "iou_threshold must be in [0, 1]")
    if soft_nms_sigma < 0:
        raise InvalidArgumentError(None, None, "soft_nms_sigma must be non-negative")
    if max_output_size < 0:
        raise InvalidArgumentError(None, None, "output size must be non-negative")
    b = boxes.astype(_F32)
    kept, kept_scores = _select(scores, int(max_output_size), scores.dtype.type(iou_threshold),
                                scores.dtype.type(score_threshold), scores.dtype.type(soft_nms_sigma),
                                lambda i, j: _iou(b[i], b[j:j + 1])[0])
    valid = len(kept)
    if a["pad_to_max_output_size"]:
        kept = kept + [0] * (int(max_output_size) - valid)
        kept_scores = kept_scores + [0] * (int(max_output_size) - valid)
    return np.array(kept, np.int32), np.array(kept_scores, scores.dtype), np.int32(valid)


def _nms_v5_shape(inputs, a):
    _nms_shape(inputs[:5], a)
    with_rank(inputs[5], 0)
    n = None
    if a["pad_to_max_output_size"]:
        value = constant_value(inputs[2])
        n = None if value is None else int(value)
    out = TensorShape._raw((n,))
    return [(dtypes.int32, out), (inputs[1].dtype.base_dtype, out), (dtypes.int32, TensorShape._raw(()))]


def _nms_overlaps_kernel(a, overlaps, scores, max_output_size, overlap_threshold, score_threshold):
    if np.ndim(overlaps) != 2 or overlaps.shape[0] != overlaps.shape[1]:
        raise InvalidArgumentError(None, None, f"overlaps must be square: {list(np.shape(overlaps))}")
    if np.shape(scores) != (overlaps.shape[0],):
        raise InvalidArgumentError(None, None, "scores has incompatible shape")
    if max_output_size < 0:
        raise InvalidArgumentError(None, None, "output size must be non-negative")
    kept, _ = _select(scores, int(max_output_size), _F32(overlap_threshold), _F32(score_threshold), _F32(0),
                      lambda i, j: overlaps[i, j])
    return np.array(kept, np.int32)


def _nms_overlaps_shape(inputs, a):
    rows, cols = with_rank(inputs[0], 2)
    n, = with_rank(inputs[1], 1)
    merge_dims((rows,), (cols,))  # square, and as many boxes as scores
    merge_dims((rows,), (n,))
    for t in inputs[2:]:
        with_rank(t, 0)
    return dtypes.int32, TensorShape._raw((None,))


op("NonMaxSuppressionV5", "boxes:T, scores:T, max_output_size:int32, iou_threshold:T, score_threshold:T, "
   "soft_nms_sigma:T", kernel=_nms_v5_kernel, shape=_nms_v5_shape, grad=NO_GRADIENT_DEFINED, T="float16 float32")
op("NonMaxSuppressionWithOverlaps", "overlaps:float32, scores:float32, max_output_size:int32, "
   "overlap_threshold:float32, score_threshold:float32", kernel=_nms_overlaps_kernel, shape=_nms_overlaps_shape,
   grad=NO_GRADIENT_DEFINED)


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5, score_threshold=float("-inf"),
                                    soft_nms_sigma=0.0, name=None):
    """(indices, scores) kept by non-max suppression; with soft_nms_sigma > 0, Soft-NMS's decayed scores."""
    with name_scope(name, "non_max_suppression_with_scores"):
        iou_threshold = convert_to_tensor(iou_threshold, name="iou_threshold")
        score_threshold = convert_to_tensor(score_threshold, name="score_threshold")
        soft_nms_sigma = convert_to_tensor(soft_nms_sigma, name="soft_nms_sigma")
        indices, kept, _ = apply_op("NonMaxSuppressionV5", [boxes, scores, max_output_size, iou_threshold,
                                                            score_threshold, soft_nms_sigma],
                                    {"pad_to_max_output_size": False})
        return indices, kept


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    """Indices kept by non-max suppression over a precomputed overlap matrix."""
    with name_scope(name, "non_max_suppression_overlaps"):
        overlap_threshold = convert_to_tensor(overlap_threshold, name="overlap_threshold")
        return apply_op("NonMaxSuppressionWithOverlaps", [overlaps, scores, max_output_size, overlap_threshold,
                                                          score_threshold], {})

"""Random crops that keep an object in view: `SampleDistortedBoundingBox`, its V2 (min_object_covered as an
input) and `StatelessSampleDistortedBoundingBox`, as `tf.image.sample_distorted_bounding_box` builds them for
Inception-style preprocessing.

TF's algorithm, bit for bit: each attempt draws an aspect ratio (RandFloat), a height between the smallest and
largest that fit the area range (Uniform), then y and x offsets (Uniform); the first crop that covers
`min_object_covered` of one box wins, else the whole image. Draws are uint32s read in order from a Philox
stream (TF's SimplePhilox); `Uniform(n)` rejects draws below (2^32 - 1) % n + 1 unless n is a power of two.
Sizes are float32 arithmetic rounded with lrintf (half to even). The stateful ops keep their generator in the
device and advance it by `max_attempts` blocks per run (TF's ReserveSamples32(4 * max_attempts)), however many
draws the run used.
"""
import collections

import numpy as np

from .. import dtypes
from ..default_graph import name_scope
from ..errors import FailedPreconditionError, InvalidArgumentError
from ..shape import TensorShape
from . import philox
from .distributions import stateless_key_counter
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import with_rank

_raw = TensorShape._raw
_F = np.float32
_INT32_MAX = 2 ** 31 - 1
SampleDistortedBoundingBoxV2 = collections.namedtuple("SampleDistortedBoundingBoxV2", "begin size bboxes")


class _Draws:
    """TF's SimplePhilox over the blocks at key, start, start + 1, ...: uint32s one at a time."""

    def __init__(self, key, start):
        self.key, self.start, self.next_block, self.buffer, self.floats = key, start, 0, [], []

    def _refill(self):
        bits = philox.blocks(self.key, self.start, np.arange(self.next_block, self.next_block + 64)).reshape(-1)
        self.buffer, self.floats = bits.tolist()[::-1], list(philox.uint32_to_float(bits)[::-1])
        self.next_block += 64

    def rand32(self):
        if not self.buffer:
            self._refill()
        self.floats.pop()
        return self.buffer.pop()

    def rand_float(self):
        """TF's RandFloat: the next uint32 as a float32 in [0, 1)."""
        if not self.buffer:
            self._refill()
        self.buffer.pop()
        return self.floats.pop()

    def uniform(self, n):
        """ExactUniformInt: a power of two masks one draw; else draws below (2^32 - 1) % n + 1 are rejected."""
        if n & (n - 1) == 0:
            return self.rand32() & (n - 1)
        reject_below = (2 ** 32 - 1) % n + 1
        while True:
            r = self.rand32()
            if r >= reject_below:
                return r % n


def _lrint(x):
    return int(np.rint(_F(x)))


def _random_crop(width, height, min_rel, max_rel, aspect, draws):
    """TF's GenerateRandomCrop: (x, y, w, h), or None when the constraints cannot be met."""
    if max_rel <= 0 or aspect <= 0 or width <= 0 or height <= 0 or min_rel > max_rel:
        return None
    min_area = min_rel * _F(width) * _F(height)
    max_area = max_rel * _F(width) * _F(height)
    h = _lrint(np.sqrt(min_area / aspect))
    max_h = _lrint(np.sqrt(max_area / aspect))
    if _lrint(_F(max_h) * aspect) > width:
        max_h = int((width + 0.5 - float(_F(1e-7))) / float(aspect))  # a double, truncated
        if _lrint(_F(max_h) * aspect) > width:
            max_h -= 1
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += draws.uniform(max_h - h + 1)
    w = _lrint(_F(h) * aspect)
    area = _F(w * h)
    if area < min_area:
        h += 1
        w = _lrint(_F(h) * aspect)
        area = _F(w * h)
    if area > max_area:
        h -= 1
        w = _lrint(_F(h) * aspect)
        area = _F(w * h)
    if area < min_area or area > max_area or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = draws.uniform(height - h) if h < height else 0
    x = draws.uniform(width - w) if w < width else 0
    return x, y, w, h


def _covers(crop, boxes, min_covered):
    """TF's SatisfiesOverlapConstraints: the crop has pixels and covers enough of one box that has pixels (areas
    are int products made float32, as TF's Rectangle::Area)."""
    x, y, w, h = crop
    if w * h < 1:
        return False
    for bx0, by0, bx1, by1 in boxes:
        object_area = (bx1 - bx0) * (by1 - by0)
        if object_area < 1:
            continue
        ix0, iy0, ix1, iy1 = max(x, bx0), max(y, by0), min(x + w, bx1), min(y + h, by1)
        inter = (ix1 - ix0) * (iy1 - iy0) if ix0 <= ix1 and iy0 <= iy1 else 0
        if _F(inter) / _F(object_area) >= min_covered:
            return True
    return False


# ----- checks, in the order TF's kernel makes them ------------------------------------------------------------
def _check_attrs(a, min_covered):
    def fail(msg):
        raise InvalidArgumentError(None, None, msg)
    if min_covered is not None and min_covered < 0:
        fail(f"Min object covered must be non-negative: {min_covered:g}")
    aspect, area = list(a["aspect_ratio_range"]), list(a["area_range"])
    if len(aspect) != 2:
        fail("Aspect ratio range field must specify 2 dimensions")
    if not (aspect[0] > 0 and aspect[1] > 0):
        fail(f"Aspect ratio range must be non-negative: [{aspect[0]:g}, {aspect[1]:g}]")
    if len(area) != 2:
        fail("Area range field must specify 2 dimensions")
    if not (area[0] > 0 and area[1] > 0):
        fail(f"Area range must be non-negative: [{area[0]:g}, {area[1]:g}]")
    if not (area[0] <= 1 and area[1] <= 1):
        fail(f"Area range must be less then or equal to 1.0: [{area[0]:g}, {area[1]:g}]")
    if a["max_attempts"] <= 0:
        fail(f"Max attempts must be non-negative: {a['max_attempts']}")


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"  # TF's TensorShape::DebugString


def _image_and_boxes(image_size, boxes):
    def fail(msg):
        raise InvalidArgumentError(None, None, msg)
    image_size, boxes = np.asarray(image_size), np.asarray(boxes, np.float32)
    if image_size.ndim != 1:
        fail(f"image_size must be 1-dimensional{_dims(image_size.shape)}")
    if image_size.shape[0] != 3:
        fail(f"image_size must contain 3 elements{_dims(image_size.shape)}")
    height, width = int(image_size[0]), int(image_size[1])
    if not 0 <= height < _INT32_MAX:
        fail("image height cannot be >= int32 max")
    if not 0 <= width < _INT32_MAX:
        fail("image width cannot be >= int32 max")
    if boxes.ndim != 3:
        fail(f"input boxes must be 3-dimensional [batch, num_boxes, coords]: {_dims(boxes.shape)}")
    if boxes.shape[-1] != 4:
        fail(f"bounding boxes must have shape [4] or [*, 4], got {_dims(boxes.shape)}")
    return height, width, boxes.reshape(-1, 4)


def _pixel_boxes(boxes, height, width, use_image):
    bad = (boxes < 0) | (boxes > 1) | np.isnan(boxes)
    if bad.any():
        raise InvalidArgumentError(None, None, f"All bounding box coordinates must be in [0.0, 1.0]: "
                                               f"{boxes.reshape(-1)[np.argmax(bad.reshape(-1))]:g}")
    # float32 products truncated toward zero, as (x_min, y_min, x_max, y_max)
    px = (boxes * np.array([height, width, height, width], np.float32)).astype(np.int32)
    out = [(int(b[1]), int(b[0]), int(b[3]), int(b[2])) for b in px]
    if not out:
        if not use_image:
            raise InvalidArgumentError(None, None, "No bounding boxes provided as input. One must enable "
                                                   "use_image_if_no_bounding_boxes if you wish to not provide "
                                                   "any bounding boxes.")
        out = [(0, 0, width, height)]
    return out


def _sample(a, key, start, image_size, boxes, min_covered):
    height, width, boxes = _image_and_boxes(image_size, boxes)
    if np.ndim(min_covered) != 0:
        raise InvalidArgumentError(None, None, f"min_object_covered must be 0-D, got shape "
                                               f"{_dims(np.shape(min_covered))}")
    min_covered = _F(min_covered)
    if min_covered < 0:
        raise InvalidArgumentError(None, None, f"Min object covered must be non-negative: {min_covered:g}")
    boxes = _pixel_boxes(boxes, height, width, a["use_image_if_no_bounding_boxes"])
    min_area, max_area = (_F(v) for v in a["area_range"])
    min_aspect, max_aspect = (_F(v) for v in a["aspect_ratio_range"])
    draws = _Draws(key, start)
    crop = None
    for _ in range(a["max_attempts"]):
        aspect = draws.rand_float() * (max_aspect - min_aspect) + min_aspect
        crop = _random_crop(width, height, min_area, max_area, aspect, draws)
        if crop is not None and _covers(crop, boxes, min_covered):
            break
        crop = None
    x, y, w, h = crop or (0, 0, width, height)
    if width < w + x:
        raise FailedPreconditionError(None, None, f"width must be > target_width + offset_width: {width}vs {w} + {x}")
    if height < h + y:
        raise FailedPreconditionError(None, None, f"height must be >= target_height: height = {height}vs {h} + {y}")
    t = a["T"].as_numpy_dtype
    with np.errstate(invalid="ignore", divide="ignore"):  # an empty image: TF's 0 / 0 too
        bbox = np.array([y, x, y + h, x + w], np.float32) / np.array([height, width, height, width], np.float32)
    return (np.array([y, x, 0]).astype(t), np.array([h, w, -1]).astype(t), bbox.reshape(1, 1, 4))


# ----- the ops --------------------------------------------------------------------------------------------------
def _stateful_kernel(a, res, image_size, boxes, min_covered=None):
    _check_attrs(a, a.get("min_object_covered") if min_covered is None else None)
    gen = res.state.get("philox")
    if gen is None:
        gen = res.state["philox"] = philox.Philox(a["seed"], a["seed2"])
    start = gen.counter
    gen.counter = (gen.counter + a["max_attempts"]) % 2 ** 128
    return _sample(a, gen.key, start, image_size, boxes,
                   a["min_object_covered"] if min_covered is None else min_covered)


def _stateless_kernel(a, image_size, boxes, min_covered, seed):
    _check_attrs(a, None)
    if np.shape(seed) != (2,):
        raise InvalidArgumentError(None, None, f"seed must have shape [2], not {_dims(np.shape(seed))}")
    key, counter = stateless_key_counter(seed)
    return _sample(a, key, counter, image_size, boxes, min_covered)


def _shape(inputs, a):
    size, boxes = with_rank(inputs[0], 1), with_rank(inputs[1], 3)
    if len(inputs) > 2:
        with_rank(inputs[2], 0)
    if len(inputs) > 3:
        seed = with_rank(inputs[3], 1)
        if seed[0] not in (None, 2):
            raise ValueError(f"Dimension must be 2 but is {seed[0]}")
    if size[0] not in (None, 3):
        raise ValueError(f"Dimension must be 3 but is {size[0]}")
    if boxes[2] not in (None, 4):
        raise ValueError(f"Dimension must be 4 but is {boxes[2]}")
    t = a["T"]
    return [(t, _raw((3,))), (t, _raw((3,))), (dtypes.float32, _raw((1, 1, 4)))]


_T = "uint8 int8 int16 int32 int64"
op("SampleDistortedBoundingBox", "image_size:T, bounding_boxes:float32", kernel=_stateful_kernel, shape=_shape,
   stateful=True, grad=NO_GRADIENT_DEFINED, T=_T)
op("SampleDistortedBoundingBoxV2", "image_size:T, bounding_boxes:float32, min_object_covered:float32",
   kernel=_stateful_kernel, shape=_shape, stateful=True, grad=NO_GRADIENT_DEFINED, T=_T)
op("StatelessSampleDistortedBoundingBox",
   "image_size:T, bounding_boxes:float32, min_object_covered:float32, seed:Tseed", kernel=_stateless_kernel,
   shape=_shape, grad=NO_GRADIENT_DEFINED, T=_T, Tseed="int32 int64")


def _attrs(aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes):
    return {"aspect_ratio_range": [float(v) for v in (aspect_ratio_range or (0.75, 1.33))],
            "area_range": [float(v) for v in (area_range or (0.05, 1.0))],
            "max_attempts": 100 if max_attempts is None else int(max_attempts),
            "use_image_if_no_bounding_boxes": bool(use_image_if_no_bounding_boxes)}


def sample_distorted_bounding_box(image_size, bounding_boxes, seed=None, seed2=None, min_object_covered=0.1,
                                  aspect_ratio_range=None, area_range=None, max_attempts=None,
                                  use_image_if_no_bounding_boxes=None, name=None):
    """A random crop (begin, size for `tf.slice`, and its [1, 1, 4] box) covering `min_object_covered` of one of
    `bounding_boxes`. As TF1, `seed` and `seed2` go to the op as given (the graph seed is not used)."""
    with name_scope(name, "sample_distorted_bounding_box"):
        attrs = dict(_attrs(aspect_ratio_range, area_range, max_attempts, use_image_if_no_bounding_boxes),
                     seed=seed or 0, seed2=seed2 or 0)
        return SampleDistortedBoundingBoxV2(*apply_op("SampleDistortedBoundingBoxV2", [image_size, bounding_boxes, min_object_covered],
                              attrs, name=name))

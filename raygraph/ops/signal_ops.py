"""tf.signal's helpers: the real-input DFT ops `RFFT`, `IRFFT`, `RFFT2D`, `IRFFT2D`, `RFFT3D`, `IRFFT3D` (kernels, shape
functions, gradients) with TF's wrappers, which infer `fft_length` and zero-pad the input up to it; the window
functions; frame and overlap_and_add. Built op for op as tensorflow/python/ops/signal/*.py builds them."""
import math as _math

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from .array import expand_dims, rank, reshape, shape, size, transpose
from .complex import conj, real
from .control_flow import cond
from .filling import ones, zeros, zeros_like
from .filling import range as range_
from .joining import concat, pad, split, stack, tile, unstack
from .linalg import matmul
from .math import cast, cos, equal, exp, floormod, greater, maximum, pow, reciprocal, sin, sqrt, square
from .nn import relu
from .reduction import cumsum, reduce_prod, reduce_sum
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value, constant_value_as_shape, dims, with_rank
from .slicing import gather, strided_slice
from .special import bessel_i0e
from .while_loop import while_loop

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _kernel(rank, forward):
    def kernel(a, x, fft_length):
        if fft_length.shape != (rank,):
            raise InvalidArgumentError(None, None, f"fft_length must have shape [{rank}]")
        out_shape = list(x.shape)
        for i, n in enumerate(fft_length):
            if n < 0:
                raise InvalidArgumentError(None, None, f"fft_length[{i}] must >= 0, but got: {n}")
            inner, index = i == rank - 1, x.ndim - rank + i
            least = n // 2 + 1 if inner and not forward else n
            if x.shape[index] != 0 and x.shape[index] < least:
                raise InvalidArgumentError(None, None, f"Input dimension {index} must have length of at least {least} "
                                                       f"but got: {x.shape[index]}")
            out_shape[index] = n // 2 + 1 if forward and inner and n != 0 else n
        out_dtype = a["Tcomplex"] if forward else a["Treal"]
        if x.size == 0 or 0 in out_shape:
            return np.zeros(out_shape, out_dtype.as_numpy_dtype)
        axes, s = tuple(range(-rank, 0)), [int(n) for n in fft_length]
        if forward:
            return np.fft.rfftn(x, s, axes).astype(out_dtype.as_numpy_dtype)
        return np.fft.irfftn(x, s, axes).astype(out_dtype.as_numpy_dtype)
    return kernel


def _shape(rank, forward):
    def fn(inputs, a):
        x, fft_length = inputs
        d = dims(x)
        if d is not None and len(d) < rank:
            raise ValueError(f"Shape must be at least rank {rank} but is rank {len(d)}")
        n = with_rank(fft_length, 1)
        if n is not None and n[0] is not None and n[0] != rank:
            raise ValueError(f"Dimension must be {rank} but is {n[0]}")
        out_dtype = a["Tcomplex"] if forward else a["Treal"]
        if d is None:
            return out_dtype, None
        lengths = constant_value(fft_length)
        inner = [None] * rank if lengths is None else [
            int(n) // 2 + 1 if forward and i == rank - 1 and n != 0 else int(n) for i, n in enumerate(lengths)]
        return out_dtype, list(d[:len(d) - rank]) + inner
    return fn


def _fft_size_for_grad(grad, rank):
    return reduce_prod(shape(grad)[-rank:])


def _rfft_grad(fft_rank):
    """TF's _rfft_grad_helper: the IRFFT of the gradient, corrected for the bins RFFT leaves out."""
    def grad(op, g):
        fft_length = op.inputs[1]
        complex_dtype = g.dtype
        real_dtype = complex_dtype.real_dtype
        input_shape = shape(op.inputs[0])
        is_even = cast(1 - floormod(fft_length[-1], 2, name="mod"), complex_dtype)

        def ymask(length):
            return cast(1 - 2 * floormod(range_(length), 2, name="mod"), complex_dtype)

        y0 = g[..., 0:1]
        if fft_rank == 1:
            ym = g[..., -1:]
            extra_terms = y0 + is_even * ym * ymask(input_shape[-1])
        else:
            length = input_shape[-2]
            a = tile(expand_dims(range_(length), 0), (length, 1))
            b = transpose(a, [1, 0])
            base_mask = exp(-2j * np.pi * cast(a * b, complex_dtype) / cast(length, complex_dtype))
            expanded = reshape(base_mask, concat([ones([rank(y0) - 2], dtypes.int32), shape(base_mask)], 0))
            tiled_mask = tile(expanded, concat([shape(y0)[:-2], [1, 1]], 0))
            extra_terms = matmul(tiled_mask, conj(y0))
            ym_term = matmul(tiled_mask, conj(g[..., -1:]))
            inner_dim = input_shape[-1]
            ym_term = tile(ym_term, concat([ones([rank(g) - 1], dtypes.int32), [inner_dim]], 0)) * ymask(inner_dim)
            extra_terms += is_even * ym_term
        input_size = cast(_fft_size_for_grad(op.inputs[0], fft_rank), real_dtype)
        the_irfft = _IRFFT[fft_rank](g, fft_length)
        return [0.5 * (the_irfft * input_size + real(extra_terms)), None]
    return grad


def _irfft_grad(fft_rank):
    """TF's _irfft_grad_helper: the RFFT of the gradient, the inner bins doubled."""
    def grad(op, g):
        fft_length = op.inputs[1]
        static = constant_value(fft_length)
        if static is not None:
            fft_length = static
        real_dtype = g.dtype
        complex_dtype = _COMPLEX_OF[real_dtype]
        is_odd = floormod(fft_length[-1], 2, name="mod")
        input_last_dimension = shape(op.inputs[0])[-1]
        mask = concat([[1.0], 2.0 * ones([input_last_dimension - 2 + is_odd], real_dtype),
                       ones([1 - is_odd], real_dtype)], 0)
        rsize = reciprocal(cast(_fft_size_for_grad(g, fft_rank), real_dtype))
        the_rfft = _RFFT[fft_rank](g, fft_length)
        return [the_rfft * cast(rsize * mask, complex_dtype), None]
    return grad


for _rank, _suffix in ((1, ""), (2, "2D"), (3, "3D")):
    op("RFFT" + _suffix, "input:Treal, fft_length:int32", kernel=_kernel(_rank, True), shape=_shape(_rank, True),
       grad=_rfft_grad(_rank) if _rank < 3 else NO_GRADIENT_DEFINED, Treal="float32 float64",
       Tcomplex="complex64 complex128")
    op("IRFFT" + _suffix, "input:Tcomplex, fft_length:int32", kernel=_kernel(_rank, False),
       shape=_shape(_rank, False), grad=_irfft_grad(_rank) if _rank < 3 else NO_GRADIENT_DEFINED,
       Treal="float32 float64", Tcomplex="complex64 complex128")


# ----- TF's wrappers (tensorflow/python/ops/signal/fft_ops.py) -------------------------------------------------
def _infer_fft_length_for_rfft(input_tensor, fft_rank):
    fft_shape = input_tensor.get_shape()[-fft_rank:]
    if not fft_shape.is_fully_defined():
        return shape(input_tensor)[-fft_rank:]
    return convert_to_tensor(fft_shape.as_list(), dtypes.int32)


def _infer_fft_length_for_irfft(input_tensor, fft_rank):
    fft_shape = input_tensor.get_shape()[-fft_rank:]
    if not fft_shape.is_fully_defined():
        fft_length = unstack(shape(input_tensor)[-fft_rank:])
        fft_length[-1] = maximum(0, 2 * (fft_length[-1] - 1))
        return stack(fft_length)
    fft_length = fft_shape.as_list()
    if fft_length:
        fft_length[-1] = max(0, 2 * (fft_length[-1] - 1))
    return convert_to_tensor(fft_length, dtypes.int32)


def _maybe_pad_for_rfft(input_tensor, fft_rank, fft_length, is_reverse=False):
    if fft_length.shape.ndims != 0:
        fft_length.shape.with_rank(1)  # as TF's constant_value_as_shape checks
    fft_shape = constant_value_as_shape(fft_length)
    if input_tensor.shape.ndims is not None and any(d.value == 0 for d in input_tensor.shape.dims):
        return input_tensor
    if fft_shape.is_fully_defined() and input_tensor.shape.ndims is not None:
        input_fft_shape = input_tensor.shape[-fft_shape.ndims:]
        if input_fft_shape.is_fully_defined():
            if is_reverse:
                fft_shape = fft_shape[:-1].concatenate(fft_shape.dims[-1].value // 2 + 1)
            paddings = [[0, max(f.value - i.value, 0)] for f, i in zip(fft_shape.dims, input_fft_shape.dims)]
            if any(p > 0 for _, p in paddings):
                outer = [[0, 0]] * max(input_tensor.shape.ndims - fft_shape.ndims, 0)
                return pad(input_tensor, outer + paddings)
            return input_tensor
    input_rank = rank(input_tensor)
    input_fft_shape = shape(input_tensor)[-fft_rank:]
    outer_dims = maximum(0, input_rank - fft_rank)
    outer_paddings = zeros([outer_dims], fft_length.dtype)
    if is_reverse:
        fft_length = concat([fft_length[:-1], fft_length[-1:] // 2 + 1], 0)
    fft_paddings = maximum(0, fft_length - input_fft_shape)
    paddings = concat([outer_paddings, fft_paddings], 0)
    paddings = stack([zeros_like(paddings), paddings], axis=1)
    return pad(input_tensor, paddings)


def _rfft_wrapper(type_, fft_rank, default_name):
    def fn(input_tensor, fft_length=None, name=None):
        with name_scope(name, default_name, [input_tensor, fft_length]) as scope:
            input_tensor = convert_to_tensor(input_tensor, preferred_dtype=dtypes.float32)
            if input_tensor.dtype not in (dtypes.float32, dtypes.float64):
                raise ValueError(f"RFFT requires tf.float32 or tf.float64 inputs, got: {input_tensor}")
            complex_dtype = _COMPLEX_OF[input_tensor.dtype]
            input_tensor.shape.with_rank_at_least(fft_rank)
            if fft_length is None:
                fft_length = _infer_fft_length_for_rfft(input_tensor, fft_rank)
            else:
                fft_length = convert_to_tensor(fft_length, dtypes.int32)
            input_tensor = _maybe_pad_for_rfft(input_tensor, fft_rank, fft_length)
            static = constant_value(fft_length)
            if static is not None:
                fft_length = static
            return apply_op(type_, [input_tensor, fft_length], {"Tcomplex": complex_dtype}, name=scope)
    fn.__name__ = default_name
    fn.__doc__ = f"The DFT of a real tensor over its inner {fft_rank} dim(s), zero-padded to fft_length (op {type_})."
    return fn


def _irfft_wrapper(type_, fft_rank, default_name):
    def fn(input_tensor, fft_length=None, name=None):
        with name_scope(name, default_name, [input_tensor, fft_length]) as scope:
            input_tensor = convert_to_tensor(input_tensor, preferred_dtype=dtypes.complex64)
            input_tensor.shape.with_rank_at_least(fft_rank)
            if input_tensor.dtype not in (dtypes.complex64, dtypes.complex128):
                raise ValueError(f"IRFFT requires tf.complex64 or tf.complex128 inputs, got: {input_tensor}")
            real_dtype = input_tensor.dtype.real_dtype
            if fft_length is None:
                fft_length = _infer_fft_length_for_irfft(input_tensor, fft_rank)
            else:
                fft_length = convert_to_tensor(fft_length, dtypes.int32)
            input_tensor = _maybe_pad_for_rfft(input_tensor, fft_rank, fft_length, is_reverse=True)
            static = constant_value(fft_length)
            if static is not None:
                fft_length = static
            return apply_op(type_, [input_tensor, fft_length], {"Treal": real_dtype}, name=scope)
    fn.__name__ = default_name
    fn.__doc__ = f"The real inverse DFT over the inner {fft_rank} dim(s) (op {type_})."
    return fn


rfft, rfft2d, rfft3d = (_rfft_wrapper("RFFT" + s, r, "rfft" + s.lower()) for r, s in ((1, ""), (2, "2D"), (3, "3D")))
irfft, irfft2d, irfft3d = (_irfft_wrapper("IRFFT" + s, r, "irfft" + s.lower())
                           for r, s in ((1, ""), (2, "2D"), (3, "3D")))
_RFFT = {1: rfft, 2: rfft2d}
_IRFFT = {1: irfft, 2: irfft2d}


# ----- windows -------------------------------------------------------------------------------------------------
def _check_params(window_length, dtype):
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    window_length = convert_to_tensor(window_length, dtype=dtypes.int32)
    window_length.shape.assert_has_rank(0)
    return window_length


def kaiser_window(window_length, beta=12., dtype=dtypes.float32, name=None):
    """A Kaiser window of `window_length` samples."""
    with name_scope(name, "kaiser_window"):
        window_length = _check_params(window_length, dtype)
        if constant_value(window_length) == 1:
            return ones([1], dtype=dtype)
        halflen_float = (cast(window_length, dtype=dtypes.float32) - 1.0) / 2.0
        arg = cast(range_(-halflen_float, halflen_float + 0.1, dtype=dtypes.float32), dtype=dtype)
        beta = cast(beta, dtype=dtype)
        one = cast(1.0, dtype=dtype)
        halflen_float = cast(halflen_float, dtype=dtype)
        num = beta * sqrt(relu(one - square(arg / halflen_float)))
        window = exp(num - beta) * (bessel_i0e(num) / bessel_i0e(beta))
    return window


def kaiser_bessel_derived_window(window_length, beta=12., dtype=dtypes.float32, name=None):
    """A Kaiser-Bessel derived window of `window_length` samples."""
    with name_scope(name, "kaiser_bessel_derived_window"):
        window_length = _check_params(window_length, dtype)
        halflen = window_length // 2
        kaiserw = kaiser_window(halflen + 1, beta, dtype=dtype)
        kaiserw_csum = cumsum(kaiserw)
        halfw = sqrt(kaiserw_csum[:-1] / kaiserw_csum[-1])
        window = concat((halfw, halfw[::-1]), axis=0)
    return window


def vorbis_window(window_length, dtype=dtypes.float32, name=None):
    """A Vorbis power complementary window of `window_length` samples."""
    with name_scope(name, "vorbis_window"):
        window_length = _check_params(window_length, dtype)
        arg = cast(range_(window_length), dtype=dtype)
        window = sin(np.pi / 2.0 * pow(sin(np.pi / cast(window_length, dtype=dtype) * (arg + 0.5)), 2.0))
    return window


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """A Hann window: 0.5 - 0.5 cos(2 pi n / N)."""
    return _raised_cosine_window(name, "hann_window", window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """A Hamming window: 0.54 - 0.46 cos(2 pi n / N)."""
    return _raised_cosine_window(name, "hamming_window", window_length, periodic, dtype, 0.54, 0.46)


def _raised_cosine_window(name, default_name, window_length, periodic, dtype, a, b):
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    with name_scope(name, default_name, [window_length, periodic]):
        window_length = convert_to_tensor(window_length, dtype=dtypes.int32, name="window_length")
        window_length.shape.assert_has_rank(0)
        window_length_const = constant_value(window_length)
        if window_length_const == 1:
            return ones([1], dtype=dtype)
        periodic = cast(convert_to_tensor(periodic, dtype=dtypes.bool, name="periodic"), dtypes.int32)
        periodic.shape.assert_has_rank(0)
        even = 1 - floormod(window_length, 2, name="mod")
        n = cast(window_length + periodic * even - 1, dtype=dtype)
        count = cast(range_(window_length), dtype)
        cos_arg = constant(2 * np.pi, dtype=dtype) * count / n
        if window_length_const is not None:
            return cast(a - b * cos(cos_arg), dtype=dtype)
        return cond(equal(window_length, 1), lambda: ones([window_length], dtype=dtype),
                    lambda: cast(a - b * cos(cos_arg), dtype=dtype))


# ----- frame and overlap_and_add -------------------------------------------------------------------------------
def _gcd(a, b, name=None):
    """TF's util_ops.gcd: a constant when both are known, else a while_loop of Euclid's steps."""
    with name_scope(name, "gcd", [a, b]):
        a, b = convert_to_tensor(a), convert_to_tensor(b)
        a.shape.assert_has_rank(0)
        b.shape.assert_has_rank(0)
        if not a.dtype.is_integer:
            raise ValueError(f"a must be an integer type. Got: {a.dtype}")
        if not b.dtype.is_integer:
            raise ValueError(f"b must be an integer type. Got: {b.dtype}")
        const_a, const_b = constant_value(a), constant_value(b)
        if const_a is not None and const_b is not None:
            return convert_to_tensor(_math.gcd(int(const_a), int(const_b)))
        a, b = while_loop(lambda _, b: greater(b, zeros_like(b)), lambda a, b: [b, floormod(a, b, name="mod")], [a, b],
                          back_prop=False)
        return a


def _infer_frame_shape(signal, frame_length, frame_step, pad_end, axis):
    frame_length, frame_step, axis = (constant_value(t) for t in (frame_length, frame_step, axis))
    if signal.shape.ndims is None:
        return None
    if axis is None:
        return [None] * (signal.shape.ndims + 1)
    signal_shape = signal.shape.as_list()
    num_frames = None
    frame_axis = signal_shape[axis]
    outer_dimensions, inner_dimensions = signal_shape[:axis], signal_shape[axis:][1:]
    if signal_shape and frame_axis is not None:
        if frame_step is not None and pad_end:
            num_frames = max(0, -(-frame_axis // frame_step))
        elif frame_step is not None and frame_length is not None:
            num_frames = max(0, (frame_axis - frame_length + frame_step) // frame_step)
    return outer_dimensions + [num_frames, None if frame_length is None else int(frame_length)] + inner_dimensions


def _maybe_constant(val):
    static = constant_value(val)
    return (static, True) if static is not None else (val, False)


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Slides a window of `frame_length` samples by `frame_step` along `axis`, giving frames of `signal`."""
    with name_scope(name, "frame", [signal, frame_length, frame_step, pad_value]):
        signal = convert_to_tensor(signal, name="signal")
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        axis = convert_to_tensor(axis, name="axis")
        signal.shape.with_rank_at_least(1)
        for t in (frame_length, frame_step, axis):
            t.shape.assert_has_rank(0)
        result_shape = _infer_frame_shape(signal, frame_length, frame_step, pad_end, axis)
        signal_shape, signal_shape_is_static = _maybe_constant(shape(signal))
        axis, axis_is_static = _maybe_constant(axis)
        if signal_shape_is_static and axis_is_static:
            axis = range(len(signal_shape))[axis]
            outer_dimensions, length_samples, inner_dimensions = np.split(signal_shape, [axis, axis + 1])
            length_samples = length_samples.item()
        else:
            signal_rank = rank(signal)
            axis = range_(signal_rank)[int(axis) if axis_is_static else axis]  # raygraph slices no numpy scalar
            outer_dimensions, length_samples, inner_dimensions = split(signal_shape,
                                                                       [axis, 1, signal_rank - 1 - axis])
            length_samples = reshape(length_samples, [])
        num_outer_dimensions, num_inner_dimensions = size(outer_dimensions), size(inner_dimensions)
        if pad_end:
            pad_value = convert_to_tensor(pad_value, signal.dtype)
            pad_value.shape.assert_has_rank(0)
            num_frames = -(-length_samples // frame_step)
            pad_samples = maximum(0, frame_length + frame_step * (num_frames - 1) - length_samples)
            paddings = concat([zeros([num_outer_dimensions, 2], dtype=pad_samples.dtype),
                               convert_to_tensor([[0, pad_samples]]),
                               zeros([num_inner_dimensions, 2], dtype=pad_samples.dtype)], 0)
            signal = pad(signal, paddings, constant_values=pad_value)
            signal_shape = shape(signal)
            length_samples = signal_shape[axis]
        else:
            num_frames = maximum(constant(0, dtype=frame_length.dtype), 1 + (length_samples - frame_length) // frame_step)
        return _gather_frames(signal, signal_shape, axis, outer_dimensions, inner_dimensions, length_samples,
                              num_frames, frame_length, frame_step, result_shape)


def _gather_frames(signal, signal_shape, axis, outer_dimensions, inner_dimensions, length_samples, num_frames,
                   frame_length, frame_step, result_shape):
    subframe_length, _ = _maybe_constant(_gcd(frame_length, frame_step))
    subframes_per_frame = frame_length // subframe_length
    subframes_per_hop = frame_step // subframe_length
    num_subframes = length_samples // subframe_length
    slice_shape = concat([outer_dimensions, [num_subframes * subframe_length], inner_dimensions], 0)
    subframe_shape = concat([outer_dimensions, [num_subframes, subframe_length], inner_dimensions], 0)
    subframes = reshape(strided_slice(signal, zeros_like(signal_shape), slice_shape), subframe_shape)
    frame_selector = reshape(range_(num_frames, dtype=frame_length.dtype) * subframes_per_hop, [num_frames, 1])
    subframe_selector = reshape(range_(subframes_per_frame, dtype=frame_length.dtype), [1, subframes_per_frame])
    selector = frame_selector + subframe_selector
    outer_dimensions = convert_to_tensor(outer_dimensions)
    inner_dimensions = convert_to_tensor(inner_dimensions, dtype=outer_dimensions.dtype)
    mid_dimensions = convert_to_tensor([num_frames, frame_length], dtype=outer_dimensions.dtype)
    frames = reshape(gather(subframes, selector, axis=axis),
                     concat([outer_dimensions, mid_dimensions, inner_dimensions], 0))
    if result_shape:
        frames.set_shape(result_shape)
    return frames


def overlap_and_add(signal, frame_step, name=None):
    """Sums the frames of `signal` ([..., frames, frame_length]) placed `frame_step` samples apart."""
    with name_scope(name, "overlap_and_add", [signal, frame_step]):
        signal = convert_to_tensor(signal, name="signal")
        signal.shape.with_rank_at_least(2)
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        frame_step.shape.assert_has_rank(0)
        if not frame_step.dtype.is_integer:
            raise ValueError(f"frame_step must be an integer. Got {frame_step.dtype}")
        frame_step, frame_step_is_static = _maybe_constant(frame_step)
        signal_shape, _ = _maybe_constant(shape(signal))
        outer_dimensions = signal_shape[:-2]
        outer_rank, _ = _maybe_constant(size(outer_dimensions))

        def full_shape(inner_shape):
            return concat([outer_dimensions, inner_shape], 0)

        frame_length, frames = signal_shape[-1], signal_shape[-2]
        output_length = frame_length + frame_step * (frames - 1)
        if (frame_step_is_static and signal.shape.dims is not None
                and frame_step == signal.shape.dims[-1].value):
            return reshape(signal, full_shape([output_length]), name="fast_path")
        segments = -(-frame_length // frame_step)
        paddings = [[0, segments], [0, segments * frame_step - frame_length]]
        paddings = concat([zeros([outer_rank, 2], dtypes.int32), paddings], 0)
        signal = reshape(pad(signal, paddings), full_shape([frames + segments, segments, frame_step]))
        perm = concat([range_(outer_rank), outer_rank + [1, 0, 2]], 0)
        perm, _ = _maybe_constant(perm)
        signal = transpose(signal, perm)
        signal = reshape(signal, full_shape([(frames + segments) * segments, frame_step]))
        signal = signal[..., :(frames + segments - 1) * segments, :]
        signal = reshape(signal, full_shape([segments, (frames + segments - 1), frame_step]))
        signal = reduce_sum(signal, -3)
        signal = reshape(signal, full_shape([(frames + segments - 1) * frame_step]))
        return signal[..., :output_length]

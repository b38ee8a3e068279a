"""TF1's `tf.signal` namespace: the FFTs, fftshift, framing, windows, STFTs, DCTs, mel matrices and MFCCs, built op
for op as tensorflow/python/ops/signal/*.py builds them (helpers and the RFFT ops in ops/signal_ops.py)."""
import math as _math

import numpy as np

from . import dtypes
from .convert import constant, convert_to_tensor
from .default_graph import name_scope
from .ops.array import expand_dims, rank, reshape, reverse, shape
from .ops.complex import complex as complex_
from .ops.complex import real
from .ops.control_flow import cond
from .ops.fft import fft, fft2d, fft3d, ifft, ifft2d, ifft3d  # noqa: F401 - tf.signal names
from .ops.filling import range as range_
from .ops.filling import zeros, zeros_like
from .ops.joining import concat, pad, split, tile
from .ops.math import (
    cast,
    ceil,
    equal,
    exp,
    less,
    log,
    maximum,
    minimum,
    pow,
    rsqrt,
    sqrt,
    square,
)
from .ops.reduction import reduce_sum
from .ops.sequences import linspace, roll
from .ops.shape_fns import constant_value
from .ops.signal_ops import (  # noqa: F401 - tf.signal names
    frame,
    hamming_window,
    hann_window,
    irfft,
    irfft2d,
    irfft3d,
    kaiser_bessel_derived_window,
    kaiser_window,
    overlap_and_add,
    rfft,
    rfft2d,
    rfft3d,
    vorbis_window,
)
from .ops.slicing import gather, where
from .shape import dimension_value
from .tensor import Tensor


# ----- fftshift ------------------------------------------------------------------------------------------------
def _shift(x, axes, name, default_name, sign):
    with name_scope(name, default_name) as scope:
        x = convert_to_tensor(x)
        if axes is None:
            axes = tuple(range(x.shape.ndims))
            shift = shape(x) // 2
        elif isinstance(axes, int):
            shift = shape(x)[axes] // 2
        else:
            rank_ = rank(x)
            axes = where(less(axes, 0), axes + rank_, axes)
            shift = gather(shape(x), axes) // 2
        return roll(x, -shift if sign < 0 else shift, axes, scope)


def fftshift(x, axes=None, name=None):
    """Moves the zero-frequency term to the centre of `axes` (all by default): a Roll by half each size."""
    return _shift(x, axes, name, "fftshift", 1)


def ifftshift(x, axes=None, name=None):
    """The inverse of fftshift."""
    return _shift(x, axes, name, "ifftshift", -1)


# ----- short-time Fourier transforms ---------------------------------------------------------------------------
def _enclosing_power_of_two(value):
    value_static = constant_value(value)
    if value_static is not None:
        return constant(int(2 ** np.ceil(np.log(value_static) / np.log(2.0))), value.dtype)
    return cast(pow(2.0, ceil(log(cast(value, dtypes.float32)) / log(2.0))), value.dtype)


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window, pad_end=False, name=None):
    """The short-time Fourier transform of `signals` ([..., samples]): [..., frames, fft_length // 2 + 1]."""
    with name_scope(name, "stft", [signals, frame_length, frame_step]):
        signals = convert_to_tensor(signals, name="signals")
        signals.shape.with_rank_at_least(1)
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        frame_length.shape.assert_has_rank(0)
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        frame_step.shape.assert_has_rank(0)
        if fft_length is None:
            fft_length = _enclosing_power_of_two(frame_length)
        else:
            fft_length = convert_to_tensor(fft_length, name="fft_length")
        framed_signals = frame(signals, frame_length, frame_step, pad_end=pad_end)
        if window_fn is not None:
            framed_signals *= window_fn(frame_length, dtype=framed_signals.dtype)
        return rfft(framed_signals, [fft_length])


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A window_fn for inverse_stft that inverts stft's `forward_window_fn` at `frame_step`."""
    def inverse_stft_window_fn_inner(frame_length, dtype):
        with name_scope(name, "inverse_stft_window_fn", [forward_window_fn]):
            frame_step_ = convert_to_tensor(frame_step, name="frame_step")
            frame_step_.shape.assert_has_rank(0)
            frame_length = convert_to_tensor(frame_length, name="frame_length")
            frame_length.shape.assert_has_rank(0)
            forward_window = forward_window_fn(frame_length, dtype=dtype)
            denom = square(forward_window)
            overlaps = -(-frame_length // frame_step_)
            denom = pad(denom, [(0, overlaps * frame_step_ - frame_length)])
            denom = reshape(denom, [overlaps, frame_step_])
            denom = reduce_sum(denom, 0, keepdims=True)
            denom = tile(denom, [overlaps, 1])
            denom = reshape(denom, [overlaps * frame_step_])
            denom = denom[:frame_length]
            return where(equal(denom, 0.0), zeros_like(forward_window), forward_window / denom)
    return inverse_stft_window_fn_inner


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window, name=None):
    """Signals from their STFTs: IRFFT of each frame, windowed, then overlap_and_add."""
    with name_scope(name, "inverse_stft", [stfts]):
        stfts = convert_to_tensor(stfts, name="stfts")
        stfts.shape.with_rank_at_least(2)
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        frame_length.shape.assert_has_rank(0)
        frame_step = convert_to_tensor(frame_step, name="frame_step")
        frame_step.shape.assert_has_rank(0)
        if fft_length is None:
            fft_length = _enclosing_power_of_two(frame_length)
        else:
            fft_length = convert_to_tensor(fft_length, name="fft_length")
            fft_length.shape.assert_has_rank(0)
        real_frames = _fit_frames(irfft(stfts, [fft_length]), frame_length)
        if window_fn is not None:
            real_frames *= window_fn(frame_length, dtype=stfts.dtype.real_dtype)
        return overlap_and_add(real_frames, frame_step)


def _fit_frames(real_frames, frame_length):
    """Crops or zero-pads the inner dim of `real_frames` to `frame_length`."""
    static = constant_value(frame_length)
    static = None if static is None else int(static)  # raygraph slices with no numpy scalar
    inner = None if real_frames.shape.ndims is None else real_frames.shape.as_list()[-1]
    if static is None or inner is None:
        real_frames = real_frames[..., :frame_length]
        paddings = concat([zeros([rank(real_frames) - 1, 2], dtype=frame_length.dtype),
                           [[0, maximum(0, frame_length - shape(real_frames)[-1])]]], 0)
        real_frames = pad(real_frames, paddings)
    elif inner > static:
        real_frames = real_frames[..., :static]
    elif inner < static:
        real_frames = pad(real_frames, [[0, 0]] * (real_frames.shape.ndims - 1) + [[0, static - inner]])
    if static is not None and real_frames.shape.ndims is not None:
        real_frames.set_shape([None] * (real_frames.shape.ndims - 1) + [static])
    return real_frames


# ----- discrete cosine transforms ------------------------------------------------------------------------------
def _validate_dct_arguments(input_tensor, dct_type, n, axis, norm):
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        if input_tensor.shape[-1] is not None and input_tensor.shape[-1] < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):
    """The DCT of type 1-4 over the inner dim, built from an RFFT (`norm`: None or "ortho")."""
    _validate_dct_arguments(input, type, n, axis, norm)
    return _dct_internal(input, type, n, axis, norm, name)


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):
    """The inverse DCT: a DCT of the inverse type (1->1, 2->3, 3->2, 4->4)."""
    _validate_dct_arguments(input, type, n, axis, norm)
    return _dct_internal(input, {1: 1, 2: 3, 3: 2, 4: 4}[type], n, axis, norm, name)


def _fit_length(input, n, seq_len):
    """TF's smart_cond(n <= seq_len, truncate, pad) over the inner dim."""
    def pad_input():
        padding = [[0, 0] for _ in range(len(input.shape))]
        padding[-1][1] = n - seq_len
        return pad(input, paddings=convert_to_tensor(padding, dtype=dtypes.int32))
    pred = n <= seq_len
    static = pred if isinstance(pred, (bool, np.bool_)) else constant_value(pred)
    if static is None:
        return cond(pred, lambda: input[..., 0:n], pad_input)
    return input[..., 0:n] if static else pad_input()


def _dct_weights(first, rest, axis_dim):
    return pad(expand_dims(first, 0), [[0, axis_dim - 1]], constant_values=rest)


def _dct_internal(input, type=2, n=None, axis=-1, norm=None, name=None):
    with name_scope(name, "dct", [input]):
        input = convert_to_tensor(input)
        zero = convert_to_tensor(0.0, dtype=input.dtype)
        seq_len = dimension_value(input.shape[-1]) or shape(input)[-1]
        if n is not None:
            input = _fit_length(input, n, seq_len)
        axis_dim = dimension_value(input.shape[-1]) or shape(input)[-1]
        axis_dim_float = cast(axis_dim, input.dtype)
        if type == 1:
            return real(rfft(concat([input, input[..., -2:0:-1]], axis=-1)))
        if type == 2:
            scale = 2.0 * exp(complex_(zero, -range_(axis_dim_float) * _math.pi * 0.5 / axis_dim_float))
            dct2 = real(rfft(input, fft_length=[2 * axis_dim])[..., :axis_dim] * scale)
            if norm == "ortho":
                n1 = 0.5 * rsqrt(axis_dim_float)
                dct2 *= _dct_weights(n1, n1 * _math.sqrt(2.0), axis_dim)
            return dct2
        if type == 3:
            if norm == "ortho":
                n1 = sqrt(axis_dim_float)
                input *= _dct_weights(n1, n1 * _math.sqrt(0.5), axis_dim)
            else:
                input *= axis_dim_float
            scale = 2.0 * exp(complex_(zero, range_(axis_dim_float) * _math.pi * 0.5 / axis_dim_float))
            return real(irfft(scale * complex_(input, zero), fft_length=[2 * axis_dim]))[..., :axis_dim]
        dct2 = _dct_internal(input, type=2, n=2 * axis_dim, axis=axis, norm=None)
        dct4 = dct2[..., 1::2]
        if norm == "ortho":
            dct4 *= _math.sqrt(0.5) * rsqrt(axis_dim_float)
        return dct4


# ----- mel spectrograms ----------------------------------------------------------------------------------------
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies_hertz, name=None):
    with name_scope(name, "hertz_to_mel", [frequencies_hertz]):
        frequencies_hertz = convert_to_tensor(frequencies_hertz)
        return _MEL_HIGH_FREQUENCY_Q * log(1.0 + (frequencies_hertz / _MEL_BREAK_FREQUENCY_HERTZ))


def _validate_mel_arguments(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz, dtype):
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz {upper_edge_hertz:.1f}")
    if not isinstance(sample_rate, Tensor):
        if sample_rate <= 0.0:
            raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
        if upper_edge_hertz > sample_rate / 2:
            raise ValueError("upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2). "
                             f"Got {upper_edge_hertz} for sample_rate: {sample_rate}")
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype}")


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000, lower_edge_hertz=125.0,
                                upper_edge_hertz=3800.0, dtype=dtypes.float32, name=None):
    """A [num_spectrogram_bins, num_mel_bins] matrix of triangular mel filters (HTK's mel scale)."""
    with name_scope(name, "linear_to_mel_weight_matrix") as scope:
        if isinstance(sample_rate, Tensor):
            static = constant_value(sample_rate)
            if static is not None:
                sample_rate = static
        _validate_mel_arguments(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz, dtype)
        sample_rate = cast(sample_rate, dtype, name="sample_rate")
        lower_edge_hertz = convert_to_tensor(lower_edge_hertz, dtype, name="lower_edge_hertz")
        upper_edge_hertz = convert_to_tensor(upper_edge_hertz, dtype, name="upper_edge_hertz")
        zero = convert_to_tensor(0.0, dtype)
        linear_frequencies = linspace(zero, sample_rate / 2.0, num_spectrogram_bins)[1:]
        spectrogram_bins_mel = expand_dims(_hertz_to_mel(linear_frequencies), 1)
        band_edges_mel = frame(linspace(_hertz_to_mel(lower_edge_hertz), _hertz_to_mel(upper_edge_hertz),
                                        num_mel_bins + 2), frame_length=3, frame_step=1)
        lower_edge_mel, center_mel, upper_edge_mel = (reshape(t, [1, num_mel_bins])
                                                      for t in split(band_edges_mel, 3, axis=1))
        lower_slopes = (spectrogram_bins_mel - lower_edge_mel) / (center_mel - lower_edge_mel)
        upper_slopes = (upper_edge_mel - spectrogram_bins_mel) / (upper_edge_mel - center_mel)
        mel_weights_matrix = maximum(zero, minimum(lower_slopes, upper_slopes))
        return pad(mel_weights_matrix, [[1, 0], [0, 0]], name=scope)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """MFCCs: the orthonormal type-II DCT of log-mel spectrograms ([..., num_mel_bins])."""
    with name_scope(name, "mfccs_from_log_mel_spectrograms", [log_mel_spectrograms]):
        log_mel_spectrograms = convert_to_tensor(log_mel_spectrograms)
        if log_mel_spectrograms.shape.ndims and log_mel_spectrograms.shape.dims[-1].value is not None:
            num_mel_bins = log_mel_spectrograms.shape.dims[-1].value
            if num_mel_bins == 0:
                raise ValueError(f"num_mel_bins must be positive. Got: {log_mel_spectrograms}")
        else:
            num_mel_bins = shape(log_mel_spectrograms)[-1]
        dct2 = dct(log_mel_spectrograms, type=2)
        return dct2 * rsqrt(cast(num_mel_bins, dct2.dtype) * 2.0)


# ----- modified DCTs -------------------------------------------------------------------------------------------
def mdct(signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None):
    """The MDCT of `signals` over frames of `frame_length` (a multiple of 4) with half-frame hops."""
    with name_scope(name, "mdct", [signals, frame_length]):
        signals = convert_to_tensor(signals, name="signals")
        signals.shape.with_rank_at_least(1)
        frame_length = convert_to_tensor(frame_length, name="frame_length")
        frame_length.shape.assert_has_rank(0)
        frame_length_static = constant_value(frame_length)
        if frame_length_static is not None:
            if frame_length_static % 4 != 0:
                raise ValueError("The frame length must be a multiple of 4.")
            frame_step = convert_to_tensor(frame_length_static // 2, dtype=frame_length.dtype)
        else:
            frame_step = frame_length // 2
        framed_signals = frame(signals, frame_length, frame_step, pad_end=pad_end)
        if window_fn is not None:
            framed_signals *= window_fn(frame_length, dtype=framed_signals.dtype)
        else:
            framed_signals *= 1.0 / np.sqrt(2)
        split_frames = split(framed_signals, 4, axis=-1)
        frame_firsthalf = -reverse(split_frames[2], [-1]) - split_frames[3]
        frame_secondhalf = split_frames[0] - reverse(split_frames[1], [-1])
        return dct(concat((frame_firsthalf, frame_secondhalf), axis=-1), type=4, norm=norm)


def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None):
    """Signals from their MDCTs: a type-IV DCT of each frame, windowed, then overlap_and_add."""
    with name_scope(name, "inverse_mdct", [mdcts]):
        mdcts = convert_to_tensor(mdcts, name="mdcts")
        mdcts.shape.with_rank_at_least(2)
        half_len = cast(dimension_value(mdcts.shape[-1]), dtype=dtypes.int32)
        if norm is None:
            half_len_float = cast(half_len, dtype=mdcts.dtype)
            result_idct4 = (0.5 / half_len_float) * dct(mdcts, type=4)
        elif norm == "ortho":
            result_idct4 = dct(mdcts, type=4, norm="ortho")
        split_result = split(result_idct4, 2, axis=-1)
        real_frames = concat((split_result[1], -reverse(split_result[1], [-1]), -reverse(split_result[0], [-1]),
                              -split_result[0]), axis=-1)
        if window_fn is not None:
            real_frames *= window_fn(2 * half_len, dtype=mdcts.dtype)
        else:
            real_frames *= 1.0 / np.sqrt(2)
        return overlap_and_add(real_frames, half_len)

"""Recorded cases: tf.signal / tf.spectral (fftshift, ifftshift, the windows, frame, overlap_and_add and the FFT
names): graphs, static shapes, values and errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, sig

SIGNAL_NAMES = ["dct", "fft", "fft2d", "fft3d", "fftshift", "frame", "hamming_window", "hann_window", "idct", "ifft",
                "ifft2d", "ifft3d", "ifftshift", "inverse_mdct", "inverse_stft", "inverse_stft_window_fn", "irfft",
                "irfft2d", "irfft3d", "kaiser_bessel_derived_window", "kaiser_window", "linear_to_mel_weight_matrix",
                "mdct", "mfccs_from_log_mel_spectrograms", "overlap_and_add", "rfft", "rfft2d", "rfft3d", "stft",
                "vorbis_window"]


def case_signal_names(tf):
    return [[n for n in SIGNAL_NAMES if callable(getattr(tf.signal, n, None))],
            sorted(n for n in dir(tf.spectral) if not n.startswith("_")),
            [tf.signal.fft is tf.spectral.fft, tf.signal.ifft3d is tf.spectral.ifft3d]]


def case_signal_fft_values(tf):
    rng = np.random.default_rng(1)
    c = (rng.normal(size=(2, 4, 4)) + 1j * rng.normal(size=(2, 4, 4))).astype(np.complex64)
    x = tf.constant(c)
    outs = [tf.signal.fft(x), tf.signal.ifft(x), tf.signal.fft2d(x), tf.signal.ifft2d(x), tf.signal.fft3d(x),
            tf.spectral.ifft3d(x)]
    return [[sig(t) for t in outs], [[d, np.real(v), np.imag(v)] for d, v in run(tf, outs)]]


def case_fftshift(tf):
    x = tf.constant(np.arange(30.0).reshape(5, 6))
    p = tf.placeholder(tf.int32, [None, 3])
    outs = [tf.signal.fftshift(x), tf.signal.ifftshift(x), tf.signal.fftshift(x, axes=1),
            tf.signal.ifftshift(x, axes=-1), tf.signal.fftshift(x, axes=[0, -1], name="both"),
            tf.signal.ifftshift(p, axes=[-2]), tf.signal.fftshift(p)]
    fed = np.arange(12, dtype=np.int32).reshape(4, 3)
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {p: fed}),
            error_text(lambda: tf.signal.fftshift(tf.placeholder(tf.float32)))]


def case_windows_values(tf):
    outs = []
    for n in (1, 2, 5, 8):
        for periodic in (True, False):
            outs += [tf.signal.hann_window(n, periodic), tf.signal.hamming_window(n, periodic, dtype=tf.float64)]
        outs += [tf.signal.vorbis_window(n), tf.signal.kaiser_window(n), tf.signal.kaiser_window(n, 3.0, tf.float64)]
    outs += [tf.signal.kaiser_bessel_derived_window(n, b) for n in (2, 6, 7) for b in (12.0, 1.5)]
    outs += [tf.signal.vorbis_window(0), tf.signal.hann_window(0)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_windows_graph(tf):
    tf.signal.hann_window(6)
    tf.signal.hamming_window(1, name="one")
    tf.signal.kaiser_window(4)
    tf.signal.kaiser_bessel_derived_window(4)
    tf.signal.vorbis_window(3)
    return describe(tf)


def case_windows_fed(tf):
    n = tf.placeholder(tf.int32, [])
    per = tf.placeholder(tf.bool, [])
    outs = [tf.signal.hann_window(n), tf.signal.hamming_window(n, per), tf.signal.vorbis_window(n),
            tf.signal.kaiser_window(n), tf.signal.kaiser_bessel_derived_window(n)]
    return [describe(tf), [sig(t) for t in outs]] + [run(tf, outs, {n: v, per: False}) for v in (1, 4, 7)]


def case_windows_errors(tf):
    return [error_text(lambda: tf.signal.hann_window(4, dtype=tf.int32)),
            error_text(lambda: tf.signal.kaiser_window(4, dtype=tf.int64)),
            error_text(lambda: tf.signal.vorbis_window([4])),
            error_text(lambda: tf.signal.hamming_window(tf.placeholder(tf.int32, [2]))),
            error_text(lambda: tf.signal.hann_window(4, periodic=[True, False])),
            error_text(lambda: tf.signal.hann_window(-1)),
            error_text(lambda: tf.signal.kaiser_bessel_derived_window(-4), 40),  # raygraph prints floats apart
            kernel_error(tf, tf.signal.vorbis_window(tf.placeholder_with_default(-2, [])))]


def case_frame_static(tf):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 10, 3)).astype(np.float32)
    s = tf.constant(x)
    outs = [tf.signal.frame(s, 4, 2, axis=1), tf.signal.frame(s, 4, 3, axis=-2, pad_end=True),
            tf.signal.frame(s, 2, 1), tf.signal.frame(s, 3, 3, axis=0, pad_end=True, pad_value=7.0),
            tf.signal.frame(tf.constant(np.arange(9)), 4, 6), tf.signal.frame(tf.constant(np.arange(3.0)), 5, 2),
            tf.signal.frame(tf.constant(np.arange(3.0)), 5, 2, pad_end=True)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_frame_graph(tf):
    tf.signal.frame(tf.constant(np.arange(10.0, dtype=np.float32)), 4, 2)
    tf.signal.frame(tf.placeholder(tf.float32, [None, 8]), 3, 2, pad_end=True, name="padded")
    return describe(tf)


def case_frame_dynamic(tf):
    p = tf.placeholder(tf.float32, [None, None])
    q = tf.placeholder(tf.float32)
    fl, fs, ax = (tf.placeholder(tf.int32, []) for _ in range(3))
    outs = [tf.signal.frame(p, 3, 2), tf.signal.frame(p, 3, 2, axis=0, pad_end=True),
            tf.signal.frame(p, fl, fs), tf.signal.frame(p, 4, 2, axis=ax), tf.signal.frame(q, 2, 2),
            tf.signal.frame(tf.placeholder(tf.float32, [5, 7]), fl, 2)]
    feed = {p: np.arange(28.0, dtype=np.float32).reshape(4, 7), q: np.arange(6.0, dtype=np.float32),
            fl: 3, fs: 2, ax: 1}
    return [[sig(t) for t in outs], run(tf, outs[:-1], feed)]


def case_frame_errors(tf):
    return [error_text(lambda: tf.signal.frame(tf.constant(1.0), 2, 1)),
            error_text(lambda: tf.signal.frame(tf.constant([1.0, 2.0]), [2], 1)),
            error_text(lambda: tf.signal.frame(tf.constant([1.0, 2.0]), 2, [1])),
            error_text(lambda: tf.signal.frame(tf.constant([1.0, 2.0]), 2, 1, pad_end=True, pad_value=[0.0])),
            error_text(lambda: tf.signal.frame(tf.constant([1.0, 2.0]), 2.0, 1))]


def case_overlap_and_add(tf):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 4, 6)).astype(np.float32)
    s = tf.constant(x)
    outs = [tf.signal.overlap_and_add(s, 2), tf.signal.overlap_and_add(s, 6), tf.signal.overlap_and_add(s, 4),
            tf.signal.overlap_and_add(s[0], 5), tf.signal.overlap_and_add(s, 9),
            tf.signal.overlap_and_add(tf.constant(x.astype(np.float64)), tf.constant(3, tf.int64))]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_overlap_and_add_graph(tf):
    tf.signal.overlap_and_add(tf.placeholder(tf.float32, [3, 4]), 2)
    tf.signal.overlap_and_add(tf.placeholder(tf.float32, [2, 3, 4]), 4, name="fast")
    return describe(tf)


def case_overlap_and_add_dynamic(tf):
    p = tf.placeholder(tf.float32, [None, None, 4])
    q = tf.placeholder(tf.float32)
    st = tf.placeholder(tf.int32, [])
    outs = [tf.signal.overlap_and_add(p, 2), tf.signal.overlap_and_add(p, st), tf.signal.overlap_and_add(q, 3)]
    x = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    return [[sig(t) for t in outs], run(tf, outs, {p: x, q: x, st: 3})]


def case_overlap_and_add_errors(tf):
    return [error_text(lambda: tf.signal.overlap_and_add(tf.constant([1.0]), 1)),
            error_text(lambda: tf.signal.overlap_and_add(tf.constant([[1.0]]), 1.0)),
            error_text(lambda: tf.signal.overlap_and_add(tf.constant([[1.0]]), [1]))]


# ----- rfft / irfft -------------------------------------------------------------------------------------------
def _crun(tf, outs, feed=None):
    return [[d, np.real(v), np.imag(v)] for d, v in run(tf, outs, feed)]


def case_rfft_values(tf):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 3, 6))
    f32, f64 = tf.constant(x.astype(np.float32)), tf.constant(x)
    outs = [tf.signal.rfft(f32), tf.signal.rfft(f64, [4]), tf.signal.rfft(f32, [9]), tf.signal.rfft2d(f64),
            tf.signal.rfft2d(f32, [2, 5]), tf.signal.rfft3d(f32), tf.spectral.rfft3d(f64, [3, 4, 7]),
            tf.signal.rfft(tf.constant(np.zeros((2, 0), np.float32)))]
    c = tf.signal.rfft(f64)
    c32 = tf.signal.rfft2d(f32)
    inv = [tf.signal.irfft(c), tf.signal.irfft(c, [5]), tf.signal.irfft(c, [12]), tf.signal.irfft2d(c32),
           tf.signal.irfft2d(c32, [3, 6]), tf.spectral.irfft3d(tf.signal.rfft3d(f32))]
    return [[sig(t) for t in outs + inv], _crun(tf, outs + inv)]


def case_rfft_graph(tf):
    x = tf.constant(np.arange(8.0, dtype=np.float32).reshape(2, 4))
    tf.signal.rfft(x)
    tf.signal.rfft(x, [6], name="padded")
    tf.signal.irfft(tf.signal.rfft2d(x, [2, 4]))
    p = tf.placeholder(tf.float32, [None, None])
    tf.signal.rfft(p, [5])
    tf.signal.irfft2d(tf.placeholder(tf.complex64, [3, None]))
    return describe(tf)


def case_rfft_dynamic(tf):
    p = tf.placeholder(tf.float32, [None, None])
    q = tf.placeholder(tf.complex128, [None, None])
    n = tf.placeholder(tf.int32, [1])
    outs = [tf.signal.rfft(p), tf.signal.rfft(p, [8]), tf.signal.rfft(p, n), tf.signal.rfft2d(p)]
    inv = [tf.signal.irfft(q), tf.signal.irfft(q, [6]), tf.signal.irfft2d(q)]
    x = np.arange(12.0, dtype=np.float32).reshape(2, 6) ** 1.5
    xc = np.fft.rfft(np.arange(10.0).reshape(2, 5) % 3)
    return [[sig(t) for t in outs + inv], _crun(tf, outs, {p: x, n: [7]}), _crun(tf, inv, {q: xc}),
            error_text(lambda: tf.signal.irfft(tf.placeholder(tf.complex64))),
            sig(tf.signal.rfft(tf.placeholder(tf.float64)))]


def case_rfft_errors(tf):
    c = tf.constant([1j, 2.0], tf.complex64)
    return [error_text(lambda: tf.signal.rfft(tf.constant([1, 2]))),
            error_text(lambda: tf.signal.irfft(tf.constant([1.0, 2.0]))),
            error_text(lambda: tf.signal.rfft2d(tf.constant([1.0, 2.0]))),
            error_text(lambda: tf.signal.irfft(c, [[2]])),
            error_text(lambda: tf.signal.rfft(tf.constant([1.0, 2.0]), [2, 2])),
            kernel_error(tf, tf.signal.rfft(tf.constant([1.0, 2.0]), tf.placeholder_with_default([-1], [1]))),
            kernel_error(tf, tf.signal.irfft(tf.placeholder_with_default(c, [None]), [9]))]


def _grads(tf, ys, x, rng):
    """The ops tf.gradients adds for `ys` with random grad_ys, and the gradient's value (real and imaginary)."""
    before = {op.name for op in tf.get_default_graph().get_operations()}
    gys = []
    for y in ys:
        v = rng.normal(size=y.shape.as_list())
        gys.append(tf.constant(v + 1j * rng.normal(size=v.shape) if y.dtype.is_complex else v, y.dtype))
    g = tf.gradients(ys, [x], grad_ys=gys)[0]
    added = [[op.name, op.type] for op in tf.get_default_graph().get_operations()  # Pad's own gradient names apart
             if op.name not in before and "Pad_grad/" not in op.name]
    return [added, sig(g), _crun(tf, [g])]


def case_rfft_gradients(tf):
    rng = np.random.default_rng(5)
    x = tf.constant(rng.normal(size=(2, 4, 6)))
    c = tf.constant(np.fft.rfft2(rng.normal(size=(2, 4, 6))))
    outs = [tf.signal.rfft(x), tf.signal.rfft(x, [9]), tf.signal.rfft2d(x), tf.signal.rfft2d(x, [5, 7])]
    inv = [tf.signal.irfft(c), tf.signal.irfft(c, [11]), tf.signal.irfft2d(c), tf.signal.irfft2d(c, [4, 9])]
    x32 = tf.constant(rng.normal(size=(3, 5)).astype(np.float32))
    return [_grads(tf, outs, x, rng), _grads(tf, inv, c, rng), _grads(tf, [tf.signal.rfft(x32)], x32, rng),
            error_text(lambda: tf.gradients(tf.signal.rfft3d(x), x))]


# ----- stft / inverse_stft -------------------------------------------------------------------------------------
def case_stft_values(tf):
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 40)).astype(np.float32)
    s = tf.constant(x)
    outs = [tf.signal.stft(s, 16, 8), tf.signal.stft(s, 10, 4, fft_length=12, pad_end=True),
            tf.signal.stft(tf.constant(x[0].astype(np.float64)), 8, 3, window_fn=None),
            tf.signal.stft(s, 9, 5, window_fn=tf.signal.hamming_window)]
    st = tf.signal.stft(s, 16, 4)
    back = [tf.signal.inverse_stft(st, 16, 4), tf.signal.inverse_stft(
        st, 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4)), tf.signal.inverse_stft(st, 10, 4, fft_length=16),
        tf.signal.inverse_stft(st, 20, 4, fft_length=16, window_fn=None),
        tf.signal.inverse_stft_window_fn(3, tf.signal.vorbis_window)(7, tf.float64)]
    return [[sig(t) for t in outs + back], _crun(tf, outs), run(tf, back)]


def case_stft_graph(tf):
    tf.signal.stft(tf.placeholder(tf.float32, [None, 64]), 16, 8)
    tf.signal.inverse_stft(tf.placeholder(tf.complex64, [3, None, 9]), 16, 8)
    return describe(tf)


def case_stft_dynamic(tf):
    p = tf.placeholder(tf.float32, [None, None])
    fl = tf.placeholder(tf.int32, [])
    outs = [tf.signal.stft(p, fl, 4), tf.signal.stft(p, 8, 4, fft_length=fl)]
    c = tf.placeholder(tf.complex64, [None, None, None])
    back = [tf.signal.inverse_stft(c, fl, 4), tf.signal.inverse_stft(c, 8, 2, fft_length=fl)]
    x = np.sin(np.arange(60.0, dtype=np.float32) / 3).reshape(2, 30)
    xc = np.fft.rfft(x.reshape(2, 3, 10), 16).astype(np.complex64)
    return [[sig(t) for t in outs + back], _crun(tf, outs, {p: x, fl: 12}), run(tf, back, {c: xc, fl: 16})]


def case_stft_errors(tf):
    return [error_text(lambda: tf.signal.stft(tf.constant(1.0), 4, 2)),
            error_text(lambda: tf.signal.stft(tf.constant([1.0] * 8), [4], 2)),
            error_text(lambda: tf.signal.inverse_stft(tf.constant([1j], tf.complex64), 4, 2)),
            error_text(lambda: tf.signal.inverse_stft(tf.constant([[1j]], tf.complex64), 4, 2, fft_length=[4]))]


# ----- dct / idct ----------------------------------------------------------------------------------------------
def case_dct_values(tf):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2, 6))
    s64, s32 = tf.constant(x), tf.constant(x.astype(np.float32))
    outs = []
    for t in (1, 2, 3, 4):
        for norm in ((None,) if t == 1 else (None, "ortho")):
            outs += [tf.signal.dct(s64, t, norm=norm), tf.spectral.idct(s32, t, norm=norm),
                     tf.signal.dct(s32, t, n=4, norm=norm), tf.signal.idct(s64, t, n=9, norm=norm)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_dct_graph(tf):
    x = tf.placeholder(tf.float32, [None, 8])
    tf.signal.dct(x)
    tf.signal.dct(x, 3, norm="ortho", name="d3")
    tf.signal.idct(x, 4, n=5)
    return describe(tf)


def case_dct_dynamic(tf):
    p = tf.placeholder(tf.float32, [None, None])
    outs = [tf.signal.dct(p, t, n=n) for t in (1, 2, 3, 4) for n in (None, 5)]
    x = np.cos(np.arange(14.0, dtype=np.float32)).reshape(2, 7)
    return [[sig(t) for t in outs], run(tf, outs, {p: x}), run(tf, outs[1:2], {p: x[:, :3]})]


def case_dct_errors(tf):
    x = tf.constant([[1.0, 2.0]])
    return [error_text(lambda: tf.signal.dct(x, axis=0)), error_text(lambda: tf.signal.dct(x, n=0)),
            error_text(lambda: tf.signal.dct(x, 5)), error_text(lambda: tf.signal.dct(x, 1, norm="ortho")),
            error_text(lambda: tf.signal.dct(tf.constant([[1.0]]), 1)),
            error_text(lambda: tf.signal.idct(x, norm="forward"))]


# ----- mel and mfccs -------------------------------------------------------------------------------------------
def case_mel_matrix(tf):
    outs = [tf.signal.linear_to_mel_weight_matrix(), tf.signal.linear_to_mel_weight_matrix(
        8, 17, 16000, 50.0, 7000.0, tf.float64), tf.signal.linear_to_mel_weight_matrix(
        4, 9, tf.constant(1000), 0.0, 500.0), tf.signal.linear_to_mel_weight_matrix(3, 5, tf.placeholder_with_default(
            800.0, []), 20.0, 300.0)]
    return [[sig(t) for t in outs], run(tf, outs)]  # no describe: raygraph's linspace is one LinSpace op


def case_mel_errors(tf):
    m = tf.signal.linear_to_mel_weight_matrix
    return [error_text(lambda: m(0)), error_text(lambda: m(lower_edge_hertz=-1.0)),
            error_text(lambda: m(lower_edge_hertz=500.0, upper_edge_hertz=400.0)),
            error_text(lambda: m(sample_rate=0)), error_text(lambda: m(sample_rate=4000)),
            error_text(lambda: m(dtype=tf.int32))]


def case_mfccs(tf):
    rng = np.random.default_rng(8)
    x = rng.normal(size=(2, 3, 10)).astype(np.float32)
    p = tf.placeholder(tf.float64, [None, None])
    outs = [tf.signal.mfccs_from_log_mel_spectrograms(tf.constant(x)), tf.signal.mfccs_from_log_mel_spectrograms(p)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {p: x[0].astype(np.float64)}),
            error_text(lambda: tf.signal.mfccs_from_log_mel_spectrograms(tf.zeros([2, 0])))]


# ----- mdct / inverse_mdct -------------------------------------------------------------------------------------
def case_mdct(tf):
    rng = np.random.default_rng(9)
    x = rng.normal(size=(2, 32)).astype(np.float32)
    s = tf.constant(x)
    m = tf.signal.mdct(s, 8)
    outs = [m, tf.signal.mdct(s, 12, window_fn=None, norm="ortho"), tf.signal.inverse_mdct(m),
            tf.signal.inverse_mdct(tf.signal.mdct(s, 8, norm="ortho"), norm="ortho", window_fn=None)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_mdct_dynamic(tf):
    p = tf.placeholder(tf.float64, [None, None])
    fl = tf.placeholder(tf.int32, [])
    outs = [tf.signal.mdct(p, fl), tf.signal.mdct(p, 4), tf.signal.mdct(  # pad_end's Pad: no describe (see report)
        p, 8, pad_end=True, window_fn=tf.signal.kaiser_bessel_derived_window)]
    return [[sig(t) for t in outs], run(tf, outs, {p: np.sin(np.arange(24.0)).reshape(2, 12), fl: 8}),
            error_text(lambda: tf.signal.mdct(p, 6)),
            error_text(lambda: tf.signal.inverse_mdct(tf.constant([1.0, 2.0])))]

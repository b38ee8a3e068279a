"""Complex tensors through the engine: fed, computed on two device actors, crossing between them, fetched."""
import numpy as np


def test_complex_tensors_cross_devices_and_feed(rtf):
    tf = rtf
    p = tf.placeholder(tf.complex64, [2])
    with tf.device("/cpu:0"):
        c = tf.complex(tf.constant([1.0, 2.0]), tf.constant([3.0, -1.0])) * p
        c128 = tf.cast(c, tf.complex128)
    with tf.device("/cpu:1"):
        d = tf.math.conj(c) * 2.0
        e = c128 + 1.0
        r = tf.math.real(e)
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        dv, ev, rv = s.run([d, e, r], {p: np.array([1j, 2.0], np.complex64)})
    want = np.array([1 + 3j, 2 - 1j]) * np.array([1j, 2.0])
    assert dv.dtype == np.complex64 and np.allclose(dv, np.conj(want) * 2)
    assert ev.dtype == np.complex128 and np.allclose(ev, want + 1)
    assert rv.dtype == np.float64 and np.allclose(rv, want.real + 1)

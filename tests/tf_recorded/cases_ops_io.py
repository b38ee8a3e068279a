"""Recorded cases: ReadFile, WriteFile, DecodeJpeg (and DecodePng) on small images embedded here."""
import base64
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402

JPEG_RGB = base64.b64decode("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAGAAUDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDkvAHib4ceIdLN9pL6h4ZtXWNRpmmeD9KNvGQuMqbiWeQluScuRnoAOKKKK/LM+z7MsDmVXD4eraCtZWi94p9U3uzanTjUipSWp//Z")
JPEG_GRAY = base64.b64decode("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAAGAAUBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/AOP8BeLfhb4q0WC70xL7wbbpCkTWGieDdMkhkYFiZCbu4nfcQwXAcLhRhQck/wD/2Q==")
PNG_RGB = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAUAAAAGCAIAAACEmcMcAAAAKUlEQVR4nGNkYOcTRQIsmZmZyHzGSzcfoPCtnTxR+EtWb0Lh84pII/MBfXAM0HfIH1gAAAAASUVORK5CYII=")


def _image(tf):
    """tf.image (raygraph exports decode_jpeg at the top level until it has a tf.image module)."""
    return getattr(tf, "image", tf)


def _tmp(data, suffix):
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def case_read_file(tf):
    path = _tmp(b"hello\x00world", ".bin")
    try:
        c = tf.read_file(path)
        d = tf.read_file(tf.constant(path), name="rf")
        with tf.Session() as s:
            vals = s.run([c, d])
        return [describe(tf)[1:], sig(c), [v == b"hello\x00world" for v in vals], type(vals[0]).__name__]
    finally:
        os.remove(path)


def case_read_file_missing(tf):
    c = tf.read_file("/nonexistent/raygraph/file.txt")
    return [run_error(tf, c), error(lambda: tf.read_file(3)), error(lambda: tf.read_file(["a", "b"]))]


def case_read_file_placeholder(tf):
    path = _tmp(b"abc", ".txt")
    try:
        p = tf.placeholder(tf.string)
        c = tf.read_file(p)
        with tf.Session() as s:
            return [sig(c), s.run(c, {p: path}).decode()]
    finally:
        os.remove(path)


def case_decode_jpeg_graph(tf):
    a = _image(tf).decode_jpeg(JPEG_RGB)
    b = _image(tf).decode_jpeg(JPEG_RGB, channels=3, name="dj")
    c = _image(tf).decode_jpeg(JPEG_RGB, channels=1)
    return [describe(tf), [sig(t) for t in (a, b, c)]]


def case_decode_jpeg_values(tf):
    """Exact pixels with TF's INTEGER_ACCURATE DCT (raygraph decodes with libjpeg's accurate DCT always)."""
    outs = [_image(tf).decode_jpeg(JPEG_RGB, dct_method="INTEGER_ACCURATE"), _image(tf).decode_jpeg(JPEG_RGB, channels=1),
            _image(tf).decode_jpeg(JPEG_GRAY), _image(tf).decode_jpeg(JPEG_GRAY, channels=3)]
    return run(tf, outs)


def case_decode_jpeg_from_file(tf):
    path = _tmp(JPEG_RGB, ".jpg")
    try:
        img = _image(tf).decode_jpeg(tf.read_file(path), channels=3, dct_method="INTEGER_ACCURATE")
        f = tf.cast(img, tf.float32) / 255.0
        with tf.Session() as s:
            v = s.run(f)
        return [sig(img), sig(f), list(v.shape), round(float(v.sum()), 3)]
    finally:
        os.remove(path)


def case_decode_jpeg_fast_dct_without_fancy_upscaling(tf):
    return run(tf, [_image(tf).decode_jpeg(JPEG_RGB, fancy_upscaling=False)])


def case_decode_jpeg_default_dct_close(tf):
    """TF's default (fast integer) DCT differs from the accurate one by a few levels at most."""
    img = _image(tf).decode_jpeg(JPEG_RGB)
    with tf.Session() as s:
        v = s.run(img)
    return [v.dtype.name, list(v.shape), round(float(v.mean()) / 4) * 4]


def case_decode_jpeg_errors(tf):
    return [run_error(tf, _image(tf).decode_jpeg(b"not a jpeg")), error(lambda: _image(tf).decode_jpeg(JPEG_RGB, channels=2)),
            error(lambda: _image(tf).decode_jpeg(tf.constant([JPEG_RGB])))]


def case_decode_png(tf):
    img = _image(tf).decode_png(PNG_RGB)
    return [describe(tf), sig(img), run(tf, [img])]

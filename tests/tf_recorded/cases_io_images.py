"""Recorded cases: tf.io's image codecs (DecodeBmp, DecodeGif, DecodeWebP, DecodeImage, DecodeAndCropJpeg,
ExtractJpegShape, is_jpeg, EncodePng, EncodeJpeg) on TF-written PNG/JPEG bytes (embedded below, written by
tf.io.encode_png / encode_jpeg of IMG) and Pillow-written BMP/GIF/WebP files. Encoded bytes are compared by
what they decode to: raygraph's encoder (Pillow) and TF's need not agree byte for byte."""
import base64
import io
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402

IMG = ((np.arange(60).reshape(4, 5, 3) * 7) % 256).astype(np.uint8)
TF_PNG = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAUAAAAECAIAAADJUWIXAAAAH0lEQVQImWNkYOcTRQIsmZmZyHzGSzcfoPCtnTyR+QAOOwiZTynP4wAAAABJRU5ErkJggg==')
TF_JPEG = base64.b64decode('/9j/4AAQSkZJRgABAQEBLAEsAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAEAAUDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDC+HOi2fiPS3vtPstN8LWrrGq6ZpOj2UlvGQuCQbmGaTJ6nLkZPAA4ooorqhqvv/MWISjNJLpH/wBJR//Z')
TF_JPEG_GRAY = base64.b64decode('/9j/4AAQSkZJRgABAQEBLAEsAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/wAALCAAEAAUBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/AOH+Avhzwh8VPBdp4h8C/Dnwf8NbSHT4beTQvBPgfSp7WeQNKxuXbV7a+nErB1QhZVj2xJhAxdn/AP/Z')


def _pillow(fmt, frames=None, **kw):
    from PIL import Image
    out = io.BytesIO()
    images = [Image.fromarray(f) for f in (frames if frames is not None else [IMG])]
    if len(images) > 1:
        kw.update(save_all=True, append_images=images[1:])
    images[0].save(out, format=fmt, **kw)
    return out.getvalue()


def case_graph(tf):
    outs = [tf.io.decode_bmp(_pillow("BMP")), tf.io.decode_bmp(b"x", channels=3), tf.io.decode_gif(b"x"),
            tf.io.decode_webp(b"x"), tf.io.decode_webp(b"x", channels=4), tf.io.decode_image(b"x"),
            tf.io.decode_image(b"x", channels=3), tf.io.decode_image(b"x", channels=1, expand_animations=False),
            tf.io.decode_image(b"x", dtype=tf.float32, expand_animations=False), tf.io.extract_jpeg_shape(b"x"),
            tf.io.extract_jpeg_shape(b"x", output_type=tf.int64), tf.io.is_jpeg(b"x"),
            tf.io.decode_and_crop_jpeg(b"x", [0, 0, 2, 3], channels=3), tf.io.encode_png(IMG),
            tf.io.encode_png(IMG, compression=9, name="png9"), tf.io.encode_jpeg(IMG, quality=80),
            tf.io.decode_jxl(b"x", channels=3)]
    return [describe(tf), [sig(t) for t in outs]]


def case_decode_tf_written(tf):
    return run(tf, [tf.io.decode_png(TF_PNG), tf.io.decode_image(TF_PNG), tf.io.decode_jpeg(TF_JPEG,
                    dct_method="INTEGER_ACCURATE"), tf.io.decode_jpeg(TF_JPEG_GRAY, dct_method="INTEGER_ACCURATE"),
                    tf.io.extract_jpeg_shape(TF_JPEG), tf.io.extract_jpeg_shape(TF_JPEG_GRAY),
                    tf.io.is_jpeg(TF_JPEG), tf.io.is_jpeg(TF_PNG)])


def case_decode_bmp(tf):
    bmp = _pillow("BMP")
    return run(tf, [tf.io.decode_bmp(bmp), tf.io.decode_bmp(bmp, channels=3), tf.io.decode_image(bmp),
                    tf.io.decode_image(bmp, dtype=tf.float32)])


def case_decode_gif(tf):
    frames = [IMG, 255 - IMG]
    gif = _pillow("GIF", frames, duration=10, loop=0)
    return run(tf, [tf.io.decode_gif(gif), tf.io.decode_image(gif), tf.io.decode_image(gif, expand_animations=False)])


def case_decode_gif_one_frame(tf):
    gray = np.repeat(np.arange(20, dtype=np.uint8).reshape(4, 5, 1) * 10, 3, axis=2)
    gif = _pillow("GIF", [gray])
    return run(tf, [tf.io.decode_gif(gif), tf.io.decode_image(gif, channels=3)])


def case_decode_webp(tf):
    webp = _pillow("WEBP", lossless=True)
    rgba = _pillow("WEBP", [np.concatenate([IMG, IMG[:, :, :1]], axis=2)], lossless=True)
    return [run(tf, [tf.io.decode_webp(webp), tf.io.decode_webp(webp, channels=3), tf.io.decode_image(webp),
                     tf.io.decode_image(webp, expand_animations=False), tf.io.decode_webp(rgba),
                     tf.io.decode_webp(rgba, channels=4)]),
            error(lambda: tf.io.decode_webp(webp, dtype=tf.float32)),
            run_error(tf, tf.io.decode_webp(rgba, channels=3)), run_error(tf, tf.io.decode_webp(webp, channels=4))]


def case_decoders_take_which_formats(tf):
    png = tf.io.encode_png(IMG)
    shapes = [tf.shape(tf.io.decode_gif(TF_JPEG)), tf.shape(tf.io.decode_png(TF_JPEG))]
    return [run(tf, [tf.io.decode_gif(png), tf.io.decode_image(_pillow("BMP"), channels=4)] + shapes),
            run_error(tf, tf.io.decode_bmp(png)), run_error(tf, tf.io.decode_gif(_pillow("BMP"))),
            run_error(tf, tf.io.decode_bmp(_pillow("BMP"), channels=1)),
            run_error(tf, tf.io.decode_image(_pillow("GIF"), channels=1)),
            run_error(tf, tf.io.decode_image(_pillow("BMP"), channels=1)),
            run_error(tf, tf.io.decode_webp(_pillow("WEBP", lossless=True), channels=4))]


def case_decode_image_png_channels(tf):
    return run(tf, [tf.io.decode_image(TF_PNG, channels=1), tf.io.decode_image(TF_PNG, channels=4),
                    tf.io.decode_image(TF_PNG, dtype=tf.uint16), tf.io.decode_image(TF_PNG, dtype=tf.float32)])


def case_decode_and_crop_jpeg(tf):
    crop = tf.io.decode_and_crop_jpeg(TF_JPEG, [1, 2, 2, 3], dct_method="INTEGER_ACCURATE")
    full = tf.io.decode_jpeg(TF_JPEG, dct_method="INTEGER_ACCURATE")
    window = tf.placeholder(tf.int32, [4])
    dyn = tf.io.decode_and_crop_jpeg(TF_JPEG, window, channels=1, dct_method="INTEGER_ACCURATE")
    with tf.Session() as s:
        c, f, d = s.run([crop, full, dyn], {window: [0, 0, 3, 4]})
    return [sig(crop), sig(dyn), c, bool(np.array_equal(c, f[1:3, 2:5])), d]


def case_encode_png_round_trip(tf):
    gray = IMG[:, :, :1]
    rgba = np.concatenate([IMG, IMG[:, :, :1]], axis=2)
    outs = [tf.io.decode_png(tf.io.encode_png(x, compression=c)) for x, c in ((IMG, -1), (gray, 0), (rgba, 9))]
    with tf.Session() as s:
        got = s.run(outs)
    return [bool(np.array_equal(g, x)) for g, x in zip(got, (IMG, gray, rgba))]


def case_encode_jpeg_round_trip(tf):
    enc = tf.io.encode_jpeg(IMG, quality=95, chroma_downsampling=False)
    shape = tf.io.extract_jpeg_shape(enc)
    dec = tf.io.decode_jpeg(enc, dct_method="INTEGER_ACCURATE")
    gray = tf.io.decode_jpeg(tf.io.encode_jpeg(IMG[:, :, :1], format="grayscale"))
    with tf.Session() as s:
        sh, d, g, e = s.run([shape, dec, gray, enc])
    return [sh, list(d.shape), bool(np.abs(d.astype(int) - IMG).mean() < 6), list(g.shape),
            e[:3] == b"\xff\xd8\xff", bool(np.abs(g[:, :, 0].astype(int) - IMG[:, :, 0]).mean() < 6)]


def case_errors(tf):
    return [run_error(tf, tf.io.decode_image(b"not an image")), run_error(tf, tf.io.decode_bmp(b"BMnot")),
            run_error(tf, tf.io.decode_gif(TF_PNG)), run_error(tf, tf.io.extract_jpeg_shape(TF_PNG)),
            run_error(tf, tf.io.decode_and_crop_jpeg(TF_JPEG, [0, 0, 9, 9])),
            error(lambda: tf.io.encode_png(IMG[:, :, 0])), error(lambda: tf.io.decode_bmp([b"a"])),
            error(lambda: tf.io.decode_image([b"a"])), error(lambda: tf.io.decode_and_crop_jpeg(b"x", [1, 2])),
            run_error(tf, tf.io.encode_jpeg(np.zeros([2, 2, 2], np.uint8)))]

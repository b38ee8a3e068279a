"""`tf.compat`: bytes/text conversions TF1 programs use, and `v1`: raygraph is TF1's API, so `v1` is raygraph."""
import numbers
import sys

import numpy as np

from .shape import dimension_value  # noqa: F401

v1 = sys.modules["raygraph"]

integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)
bytes_or_text_types = (bytes, str)


def as_bytes(bytes_or_text, encoding="utf-8"):
    """str -> bytes (encoded); bytes and bytearray -> bytes."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError("Expected binary or unicode string, got %r" % (bytes_or_text,))


def as_text(bytes_or_text, encoding="utf-8"):
    """bytes -> str (decoded); str unchanged."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError("Expected binary or unicode string, got %r" % bytes_or_text)


as_str = as_text


def as_str_any(value, encoding="utf-8"):
    """bytes -> decoded str; anything else -> str(value)."""
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)


def path_to_str(path):
    """An os.PathLike -> its str path; anything else unchanged."""
    if hasattr(path, "__fspath__"):
        path = as_str_any(path.__fspath__())
    return path


def path_to_bytes(path):
    """An os.PathLike or str path -> bytes."""
    if hasattr(path, "__fspath__"):
        path = path.__fspath__()
    return as_bytes(path)


"""`tf.print` (TF's PrintV2 op over a StringFormat of its arguments) and `tf.timestamp`."""
import logging
import os
import pprint
import random
import sys
import time

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..logging import error as log_error, info as log_info, warn as log_warn, warning as log_warning
from ..shape import TensorShape
from ..tensor import Tensor
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import with_rank
from .sparse_tensor import SparseTensor
from .string_joins import string_format
from scheduler.resources import write_output


def _print_v2_kernel(a, res, text):
    if np.ndim(text) != 0:
        raise InvalidArgumentError(None, None, f"Input is expected to be scalar, but got shape: "
                                               f"[{','.join(str(d) for d in np.shape(text))}]")
    text = np.asarray(text).item()
    text = (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)) + a["end"]
    stream = a["output_stream"]
    if stream.startswith("file://"):
        with open(stream[len("file://"):], "a") as f:
            f.write(text)
    elif stream in ("stdout", "stderr"):
        write_output(text, stream)
    elif stream.startswith("log("):  # TF's C++ LOG(INFO/WARNING/ERROR) line goes to stderr
        write_output(text, "stderr")
    else:
        raise InvalidArgumentError(None, None, f"{stream} is not a valid output_stream")


def _print_v2_shape(inputs, a):
    with_rank(inputs[0], 0)
    return []


op("PrintV2", "input:string", kernel=_print_v2_kernel, shape=_print_v2_shape, stateful=True,
   grad=NO_GRADIENT_DEFINED)
op("Timestamp", kernel=lambda a, res: np.float64(time.time()), stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: [(dtypes.float64, TensorShape([]))])


def timestamp(name=None):
    """The time (seconds since the epoch, float64) when the op runs."""
    return apply_op("Timestamp", [], {}, name=name)


_STREAMS = {logging.INFO: "log(info)", logging.WARNING: "log(warning)", logging.ERROR: "log(error)",
            log_info: "log(info)", logging.info: "log(info)", log_warning: "log(warning)", log_warn: "log(warning)",
            logging.warning: "log(warning)", logging.warn: "log(warning)", log_error: "log(error)",
            logging.error: "log(error)"}


def _stream_name(stream):
    if isinstance(stream, str) and stream.startswith("file://"):
        return stream
    if stream is sys.stdout or stream is sys.stderr:  # the streams of the moment (TF looks them up per call)
        return "stdout" if stream is sys.stdout else "stderr"
    try:
        name = _STREAMS.get(stream)
    except TypeError:  # an unhashable stream
        name = None
    if not name:
        raise ValueError(f"Unsupported output stream, logging level, or file.{stream}. Supported streams are "
                         f"sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, tf.logging.error. File needs "
                         f"to be in the form of 'file://<filepath>'.")
    return name


def _is_value(x):
    return isinstance(x, (Tensor, SparseTensor)) or hasattr(x, "_as_graph_element")


def _flatten(x):
    """TF's nest.flatten: lists, tuples and dicts (by sorted key) opened, anything else a leaf."""
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _flatten(item)]
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in _flatten(x[k])]
    return [x]


def _map(x, fn):
    """`x` with each leaf replaced by fn(leaf), in x's nesting (tuples, namedtuples, lists, dicts kept)."""
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return type(x)(*(_map(item, fn) for item in x))
    if isinstance(x, (list, tuple)):
        return type(x)(_map(item, fn) for item in x)
    if isinstance(x, dict):  # leaves visited in sorted key order (nest's), the mapping keeps its own order
        done = {k: _map(x[k], fn) for k in sorted(x)}
        return type(x)((k, done[k]) for k in x)
    return fn(x)


def _placeholder(text):
    """'{}', lengthened with seeded random digits (TF's seed) until it does not occur in `text`."""
    out, rng = "{}", random.Random(5)
    while out in text:
        out += str(rng.randint(0, 9))
    return out


def print_v2(*inputs, **kwargs):
    """TF's tf.print: an op that prints its arguments (tensors summarized as TF does) to `output_stream`."""
    stream = kwargs.pop("output_stream", sys.stderr)
    name = kwargs.pop("name", None)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", os.linesep)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    stream = _stream_name(stream)
    first = inputs[0] if len(inputs) == 1 else None
    if isinstance(first, Tensor) and first.shape.ndims == 0 and first.dtype.base_dtype is dtypes.string:
        text = first
    else:
        text = _format(inputs, sep, summarize, None if not name else name + "_format")
    return apply_op("PrintV2", [text], {"output_stream": stream, "end": end}, name=name)


def _format(inputs, sep, summarize, name):
    tensor_free = " ".join(pprint.pformat(_map(x, lambda v: "" if _is_value(v) else v)) for x in inputs)
    ph = _placeholder(tensor_free)
    templates, tensors = [], []

    def mark(x):
        if isinstance(x, SparseTensor):
            tensors.extend([x.indices, x.values, x.dense_shape])
            return f"SparseTensor(indices={ph}, values={ph}, shape={ph})"
        if _is_value(x):
            tensors.append(x)
            return ph
        return x
    for x in inputs:
        marked = _map(x, mark)
        templates.append(x if isinstance(x, str) else pprint.pformat(marked))
    template = sep.join(templates).replace("'" + ph + "'", ph)
    return string_format(template, tensors, placeholder=ph, summarize=summarize, name=name)

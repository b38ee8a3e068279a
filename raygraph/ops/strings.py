"""String ops (`tf.strings` and TF1's top-level string functions): formatting and parsing numbers, case,
substrings, base64, hashing into buckets, transcoding.

A string tensor's value is a numpy object array of `bytes`. The regex ops are in regexes.py, the joining ones in
string_joins.py.
"""
import base64
import codecs
import re

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import expand_dims
from .fingerprints import fingerprint64, hash64, siphash
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import broadcast_dims, dims, merge_dims, with_rank
from .sparse_tensor import SparseTensor
from .unicode_scripts import script_code


def _b(x):
    """An attr or element as bytes."""
    return x if isinstance(x, bytes) else str(x).encode()


def _text(s):
    return s.decode("utf-8", "surrogateescape")


def _each(fn, x, otype=object):
    """`fn` over every element of the string array `x`, as an array of `otype` of x's shape."""
    x = np.asarray(x, object)
    out = np.empty(x.shape, otype)
    for i in np.ndindex(x.shape):
        out[i] = fn(_b(x[i]))
    return out


def _string_shape(inputs, a):
    return dtypes.string, inputs[0]._shape


def _define_unary(op_type, fn, out=dtypes.string, otype=object, choices=None):
    op(op_type, "input:string", kernel=lambda a, x: _each(lambda s: fn(a, s), x, otype), grad=NOT_DIFFERENTIABLE,
       shape=lambda i, a: (out, i[0]._shape), choices=choices)


# ----- elementwise -------------------------------------------------------------------------------
def _utf8(fn):
    return lambda s: fn(s.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")


_LOWER = {b"": bytes.lower, b"utf-8": _utf8(str.lower)}
_UPPER = {b"": bytes.upper, b"utf-8": _utf8(str.upper)}


def _case(table):
    def fn(a, s):
        enc = _b(a.get("encoding", b"")).lower()
        if enc not in table:
            raise InvalidArgumentError(None, None, f"Unsupported encoding: {enc.decode()}")
        return table[enc](s)
    return fn


_define_unary("StringLower", _case(_LOWER))
_define_unary("StringUpper", _case(_UPPER))
_SPACE = b" \t\n\v\f\r"
_define_unary("StringStrip", lambda a, s: s.strip(_SPACE))
_define_unary("StringLength", lambda a, s: len(s) if _b(a.get("unit", b"BYTE")) == b"BYTE" else
              len(s.decode("utf-8", "surrogateescape")), out=dtypes.int32, otype=np.int32,
              choices={"unit": ("BYTE", "UTF8_CHAR")})
_define_unary("EncodeBase64", lambda a, s: base64.urlsafe_b64encode(s) if a.get("pad", False) else
              base64.urlsafe_b64encode(s).rstrip(b"="))


def _decode_base64(a, s):
    body = s.rstrip(b"=")
    if len(body) % 4 == 1 or len(s) - len(body) > 2 or re.search(rb"[^A-Za-z0-9_-]", body):
        raise InvalidArgumentError(None, None, "Invalid character found in base64.")
    return base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4))


_define_unary("DecodeBase64", _decode_base64)


def _strong(a, s):
    if len(a["key"]) != 2:
        raise InvalidArgumentError(None, None, "Key must have 2 elements")
    return siphash(a["key"], s)


def _bucket_kernel(hash_fn):
    return lambda a, x: _each(lambda s: hash_fn(a, s) % a["num_buckets"], x, np.int64)


for _type, _input, _hash in (("StringToHashBucket", "string_tensor", lambda a, s: hash64(s)),
                             ("StringToHashBucketFast", "input", lambda a, s: fingerprint64(s)),
                             ("StringToHashBucketStrong", "input", _strong)):
    op(_type, f"{_input}:string", kernel=_bucket_kernel(_hash), grad=NOT_DIFFERENTIABLE,
       shape=lambda i, a: (dtypes.int64, i[0]._shape))


def _hash_op(op_type, input, num_buckets, name, **attrs):  # noqa: A002 - TF's name
    if num_buckets < 1:
        raise ValueError(f"Attr 'num_buckets' of '{op_type}' Op passed {num_buckets} less than minimum 1.")
    return apply_op(op_type, [input], dict(attrs, num_buckets=num_buckets), name=name)


def string_to_hash_bucket(string_tensor=None, num_buckets=None, name=None, input=None):  # noqa: A002 - TF's name
    """Hashes each string (TF's Hash64) into `num_buckets` buckets."""
    return _hash_op("StringToHashBucket", string_tensor if input is None else input, num_buckets, name)


def string_to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002 - TF's name
    """Hashes each string (farmhash Fingerprint64) into `num_buckets` buckets."""
    return _hash_op("StringToHashBucketFast", input, num_buckets, name)


def string_to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002 - TF's name
    """Hashes each string (SipHash-2-4 keyed by the two integers `key`) into `num_buckets` buckets."""
    return _hash_op("StringToHashBucketStrong", input, num_buckets, name, key=list(key))


def string_lower(input, encoding="", name=None):  # noqa: A002 - TF's name
    return apply_op("StringLower", [input], {"encoding": encoding}, name=name)


def string_upper(input, encoding="", name=None):  # noqa: A002 - TF's name
    return apply_op("StringUpper", [input], {"encoding": encoding}, name=name)


def string_strip(input, name=None):  # noqa: A002 - TF's name
    """Strips leading and trailing ASCII whitespace."""
    return apply_op("StringStrip", [input], name=name)


def string_length(input, name=None, unit="BYTE"):  # noqa: A002 - TF's name
    """The length of each string in bytes, or in UTF-8 characters (`unit="UTF8_CHAR"`)."""
    return apply_op("StringLength", [input], {"unit": unit}, name=name)


def encode_base64(input, pad=False, name=None):  # noqa: A002 - TF's name
    """Web-safe base64 of each string (`-` and `_`), padded with '=' only if `pad`."""
    return apply_op("EncodeBase64", [input], {"pad": pad}, name=name)


def decode_base64(input, name=None):  # noqa: A002 - TF's name
    return apply_op("DecodeBase64", [input], name=name)


# ----- numbers to strings and back -------------------------------------------------------------------

def _as_string_format(a, dtype):
    """TF's AsString format: the `%` spec built from fill, width, precision and notation."""
    fill, width, precision = _b(a.get("fill", b"")), a.get("width", -1), a.get("precision", -1)
    scientific, shortest = a.get("scientific", False), a.get("shortest", False)
    if scientific and shortest:
        raise InvalidArgumentError(None, None, "Cannot select both scientific and shortest notation")
    if len(fill) > 1:
        raise InvalidArgumentError(None, None, f"Fill string must be one or fewer characters: {fill.decode()}")
    if fill and fill not in b" +-0#":
        raise InvalidArgumentError(None, None, f'Fill argument not supported: "{fill.decode()}"')
    spec = "%" + fill.decode() + (str(width) if width > -1 else "")
    floating = dtype.is_floating or dtype.is_complex
    if not floating:
        for flag, what in ((precision > -1, "precision"), (scientific, "scientific"), (shortest, "shortest")):
            if flag:
                raise InvalidArgumentError(None, None, f"Cannot select {what} for dtype {dtype.name}")
        return spec + ("s" if dtype == dtypes.string else "d")
    return spec + (f".{precision}" if precision > -1 else "") + ("g" if shortest else "e" if scientific else "f")


def _as_string_kernel(a, x):
    dtype = a["T"]
    fmt = _as_string_format(a, dtype)
    x = np.asarray(x)
    out = np.empty(x.shape, object)
    for i in np.ndindex(x.shape):
        v = x[i]
        if dtype == dtypes.bool_:
            out[i] = b"true" if v else b"false"
        elif dtype.is_complex:
            out[i] = ("(" + fmt % float(v.real) + "," + fmt % float(v.imag) + ")").encode()
        elif dtype == dtypes.string:
            out[i] = (fmt % _b(v).decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
        else:
            out[i] = (fmt % (float(v) if dtype.is_floating else int(v))).encode()
    return out


op("AsString", "input:T", kernel=_as_string_kernel, grad=NOT_DIFFERENTIABLE, shape=_string_shape,
   T="float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64 complex64 complex128 bool "
     "variant string")


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="", name=None):  # noqa: A002
    """Each element as a string, formatted like C's printf (`precision`, `width`, `fill` flag, e/g notation)."""
    return apply_op("AsString", [input], {"precision": precision, "scientific": scientific, "shortest": shortest,
                                          "width": width, "fill": fill}, name=name)


_INT_RE = re.compile(rb"[ \t\n\v\f\r]*[+-]?[0-9]+[ \t\n\v\f\r]*")
_INT_RANGE = {dtypes.int32: (-2**31, 2**31 - 1), dtypes.int64: (-2**63, 2**63 - 1), dtypes.uint32: (0, 2**32 - 1),
              dtypes.uint64: (0, 2**64 - 1)}


def _to_number(dtype, s):
    bad = InvalidArgumentError(None, None, f"StringToNumberOp could not correctly convert string: "
                                           f"{s.decode('utf-8', 'replace')}")
    if dtype in _INT_RANGE:
        lo, hi = _INT_RANGE[dtype]
        if not _INT_RE.fullmatch(s) or not lo <= int(s) <= hi:
            raise bad
        return int(s)
    text = s.strip(b" \t\n\v\f\r").decode("ascii", "replace")
    if not text or "_" in text:
        raise bad
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float.fromhex(text) if "0x" in text.lower() else float(text)
    except ValueError:
        raise bad from None


def _to_number_kernel(a, x):
    with np.errstate(over="ignore"):  # a float beyond float32's range is inf, as in TF
        return _each(lambda s: _to_number(a["out_type"], s), x, a["out_type"].as_numpy_dtype)


op("StringToNumber", "string_tensor:string", grad=NOT_DIFFERENTIABLE, kernel=_to_number_kernel,
   shape=lambda i, a: (a["out_type"], i[0]._shape), out_type="float32 float64 int32 int64 uint32 uint64")


def string_to_number(string_tensor=None, out_type=dtypes.float32, name=None, input=None):  # noqa: A002
    """Parses each string as a number of `out_type`; a string that is not one is InvalidArgumentError."""
    return apply_op("StringToNumber", [string_tensor if input is None else input],
                    {"out_type": dtypes.as_dtype(out_type)}, name=name)


# ----- substrings --------------------------------------------------------------------------------------
def _substr_kernel(a, x, pos, length):
    utf8 = _b(a.get("unit", b"BYTE")) == b"UTF8_CHAR"
    x, pos, length = np.broadcast_arrays(np.asarray(x, object), np.asarray(pos), np.asarray(length))
    out = np.empty(x.shape, object)
    for i in np.ndindex(x.shape):
        s = _b(x[i])
        units = _text(s) if utf8 else s
        p, n = int(pos[i]), int(length[i])
        if not -len(units) <= p <= len(units):
            raise InvalidArgumentError(None, None, f"pos {p} out of range for string at index {i}")
        p = p + len(units) if p < 0 else p
        piece = units[p:p + max(n, 0)]
        out[i] = piece.encode("utf-8", "surrogateescape") if utf8 else piece
    return out


def _substr_shape(inputs, a):
    x, pos, length = inputs
    if dims(pos) is not None and dims(length) is not None and dims(pos) != dims(length):
        try:
            merge_dims(dims(pos), dims(length))
        except ValueError:
            raise ValueError(f"pos and len shapes must match: {pos._shape} vs. {length._shape}") from None
    return dtypes.string, TensorShape._raw(broadcast_dims(dims(x), dims(pos)))


op("Substr", "input:string, pos:T, len:T", kernel=_substr_kernel, shape=_substr_shape, grad=NOT_DIFFERENTIABLE,
   T="int32 int64", choices={"unit": ("BYTE", "UTF8_CHAR")})


def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002 - TF's names
    """The substrings of `len` units (bytes or UTF-8 characters) from `pos` (from the end when negative)."""
    return apply_op("Substr", [input, pos, len], {"unit": unit}, name=name)


# ----- Unicode -------------------------------------------------------------------------------------
codecs.register_error("raygraph.mark", lambda e: ("\ud800", e.end))
_CODECS = {b"UTF-8": "utf-8", b"UTF-16-BE": "utf-16-be", b"UTF-32-BE": "utf-32-be"}


def _transcode(a, s):
    name = _b(a["input_encoding"])
    try:
        codec = _CODECS.get(name) or codecs.lookup(name.decode()).name
    except LookupError:
        raise InvalidArgumentError(None, None, f"Could not create converter for input encoding: {name.decode()}") \
            from None
    errors, repl = _b(a.get("errors", b"replace")), chr(a.get("replacement_char", 0xFFFD))
    try:  # each maximal invalid subpart is one error, as in ICU; it decodes to a mark no valid input gives
        text = s.decode(codec, "strict" if errors == b"strict" else "raygraph.mark")
    except UnicodeDecodeError:
        raise InvalidArgumentError(None, None, "Invalid formatting on input string") from None
    text = text.replace("\ud800", "" if errors == b"ignore" else repl)
    if a.get("replace_control_characters", False):
        text = "".join(repl if ord(c) < 0x20 else c for c in text)
    return text.encode(_CODECS[_b(a["output_encoding"])], "surrogatepass")


_define_unary("UnicodeTranscode", _transcode, choices={"output_encoding": ("UTF-8", "UTF-16-BE", "UTF-32-BE"),
                                                       "errors": ("strict", "replace", "ignore")})


def unicode_transcode(input, input_encoding, output_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                      replace_control_characters=False, name=None):
    """Each string decoded from `input_encoding` and encoded in `output_encoding` (UTF-8, UTF-16-BE, UTF-32-BE)."""
    return apply_op("UnicodeTranscode", [input], {
        "input_encoding": input_encoding, "output_encoding": output_encoding, "errors": errors,
        "replacement_char": replacement_char, "replace_control_characters": replace_control_characters}, name=name)


op("UnicodeScript", "input:int32", kernel=lambda a, x: np.vectorize(script_code, otypes=[np.int32])(x)
   if np.size(x) else np.zeros(np.shape(x), np.int32), shape=lambda i, a: (dtypes.int32, i[0]._shape),
   grad=NOT_DIFFERENTIABLE)


def unicode_script(input, name=None):  # noqa: A002 - TF's name
    """ICU's script code (UScriptCode) of each int32 code point; -1 for values that are not code points."""
    return apply_op("UnicodeScript", [input], name=name)


def _ragged(name):
    def unsupported(*args, **kwargs):
        raise NotImplementedError(f"tf.strings.{name} returns or takes a RaggedTensor, which raygraph does not "
                                  "implement.")
    unsupported.__name__ = name
    unsupported.__doc__ = f"tf.strings.{name}: needs ragged tensors (not implemented; raises NotImplementedError)."
    return unsupported


bytes_split, unicode_decode, unicode_decode_with_offsets, unicode_encode, unicode_split, unicode_split_with_offsets = [
    _ragged(n) for n in ("bytes_split", "unicode_decode", "unicode_decode_with_offsets", "unicode_encode",
                         "unicode_split", "unicode_split_with_offsets")]


# ----- splitting into SparseTensors ---------------------------------------------------------------------------
def _sparse_tokens(rows):
    """Rows of tokens as TF's (indices, values, dense_shape) of a [rows, longest row] sparse tensor."""
    indices = [[i, j] for i, row in enumerate(rows) for j in range(len(row))]
    values = [t for row in rows for t in row]
    return (np.array(indices, np.int64).reshape(-1, 2), np.array(values + [None], object)[:-1],
            np.array([len(rows), max((len(r) for r in rows), default=0)], np.int64))


def _split_chars(s, delimiter, skip_empty):
    if not s:
        return []
    if not delimiter:
        return [s[i:i + 1] for i in range(len(s))]
    tokens = re.split(b"[" + re.escape(delimiter) + b"]", s)
    return [t for t in tokens if t or not skip_empty]


def _string_split_kernel(a, x, delimiter):
    if np.ndim(delimiter) != 0:
        raise InvalidArgumentError(None, None, f"delimiter must be a scalar, got shape: {list(np.shape(delimiter))}")
    delimiter = _b(np.asarray(delimiter).item())
    return _sparse_tokens([_split_chars(_b(s), delimiter, a.get("skip_empty", True)) for s in np.ravel(x)])


def _split_v2(text, sep, maxsplit):
    """TF's SplitV2: Python's str.split, except that reaching `maxsplit` always adds the rest, even empty."""
    if maxsplit == 0:
        return [text]
    if sep:
        return text.split(sep, maxsplit if maxsplit > 0 else -1)
    tokens, rest = [], text.lstrip(_SPACE)
    while rest:
        token = re.match(rb"[^ \t\n\v\f\r]*", rest).group()
        tokens.append(token)
        rest = rest[len(token):].lstrip(_SPACE)
        if len(tokens) == maxsplit:
            return tokens + [rest]
    return tokens


def _string_split_v2_kernel(a, x, sep):
    sep = _b(np.asarray(sep).item())
    return _sparse_tokens([_split_v2(_b(s), sep, a.get("maxsplit", -1)) for s in np.ravel(x)])


def _split_shape(inputs, a):
    with_rank(inputs[0], 1)
    with_rank(inputs[1], 0)
    return [(dtypes.int64, TensorShape([None, 2])), (dtypes.string, TensorShape([None])),
            (dtypes.int64, TensorShape([2]))]


op("StringSplit", "input:string, delimiter:string", kernel=_string_split_kernel, shape=_split_shape,
   grad=NOT_DIFFERENTIABLE)
op("StringSplitV2", "input:string, sep:string", kernel=_string_split_v2_kernel, shape=_split_shape,
   grad=NOT_DIFFERENTIABLE)


def _sparse_result(result_type, function):
    if result_type != "SparseTensor":
        raise NotImplementedError(f"{function} with result_type={result_type!r} returns a RaggedTensor, which "
                                  "raygraph does not implement.")


def string_split(source, sep=None, skip_empty=True, delimiter=None, result_type="SparseTensor", name=None):
    """Splits each string of the vector `source` at any of the characters of `sep` (" " by default; "" splits
    into bytes), as a SparseTensor [len(source), most tokens]."""
    _sparse_result(result_type, "tf.string_split")
    with name_scope(name, "StringSplit", [source]):
        delimiter = convert_to_tensor(" " if sep is None and delimiter is None else sep if sep is not None
                                      else delimiter, dtypes.string)
        source = convert_to_tensor(source, dtypes.string)
        return SparseTensor(*apply_op("StringSplit", [source, delimiter], {"skip_empty": skip_empty}))


def split(input=None, sep=None, maxsplit=-1, result_type="SparseTensor", source=None, name=None):  # noqa: A002
    """tf.strings.split: splits each string at `sep` (at runs of whitespace when None), at most `maxsplit` times,
    as a SparseTensor; a scalar is split as a vector of one."""
    _sparse_result(result_type, "tf.strings.split")
    with name_scope(name, "StringSplit", [input if input is not None else source]):
        input = convert_to_tensor(input if input is not None else source, dtypes.string, name="input")
        if input._shape.ndims == 0:
            input = expand_dims(input, 0)
        if input._shape.ndims != 1:
            raise NotImplementedError("tf.strings.split of a tensor of rank other than 0 or 1 goes through a "
                                      "RaggedTensor, which raygraph does not implement.")
        sep = convert_to_tensor("" if sep is None else sep, dtypes.string)
        return SparseTensor(*apply_op("StringSplitV2", [input, sep], {"maxsplit": maxsplit}))

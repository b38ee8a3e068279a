"""WAV audio (`tf.audio.decode_wav`, `encode_wav`): ops DecodeWav and EncodeWav, 16-bit PCM as TF's wav_io reads
and writes it, and AudioSummaryV2 (`tf.summary.audio`), a Summary of WAV clips.

A file is a RIFF header ("RIFF", size, "WAVE"), optional padding chunks (JUNK, bext...), a 16- or 18-byte "fmt "
chunk (PCM, channels, sample rate, bytes per second and per frame, 16 bits per sample) and one "data" chunk of
little-endian int16 samples, frame by frame; a sample s is the float s / 32768, in [-1, 1).
"""
import collections
import struct

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, make_int, op
from .shape_fns import with_rank
from .summary import serialized_summary, string_scalar, summary_pb2, tag_text

_raw = TensorShape._raw
_PADDING_CHUNKS = (b"JUNK", b"bext", b"iXML", b"qlty", b"mext", b"levl", b"link", b"axml")
_INT32_MAX, _UINT32_MAX = 2 ** 31 - 1, 2 ** 32 - 1

DecodeWav = collections.namedtuple("DecodeWav", ["audio", "sample_rate"])


def _bad(message):
    return InvalidArgumentError(None, None, message)


def _dims(shape):
    return f"[{','.join(str(d) for d in shape)}]"


# ----- encoding ----------------------------------------------------------------------------------------------
def encode_wav_bytes(audio, sample_rate):
    """The WAV file TF's EncodeAudioAsS16LEWav writes for float `audio` [frames, channels] (clamped to int16)."""
    audio = np.asarray(audio, np.float32)
    frames, channels = audio.shape
    if sample_rate == 0 or sample_rate > _UINT32_MAX:
        raise _bad(f"sample_rate must be in (0, 2^32), got: {sample_rate}")
    if channels == 0 or channels > 2 ** 16 - 1:
        raise _bad(f"num_channels must be in (0, 2^16), got: {channels}")
    data_size = frames * channels * 2
    if 44 + data_size > _UINT32_MAX:
        raise _bad("Provided channels and frames cannot be encoded as a WAV.")
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + data_size, b"WAVE", b"fmt ", 16, 1, channels,
                         sample_rate, sample_rate * 2 * channels % 2 ** 32, 2 * channels, 16, b"data", data_size)
    scaled = (audio * np.float32(32768)).astype(np.float64)
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)  # roundf: halves away from zero
    samples = np.clip(np.nan_to_num(rounded, nan=0.0), -32768, 32767).astype("<i2")
    return header + samples.tobytes()


def _encode_kernel(a, audio, sample_rate):
    audio, sample_rate = np.asarray(audio), np.asarray(sample_rate)
    if audio.ndim != 2:
        raise _bad(f"audio must be 2-dimensional{_dims(audio.shape)}")
    if sample_rate.ndim != 0:
        raise _bad(f"Input sample_rate should be a scalar tensor, got {_dims(sample_rate.shape)} instead.")
    if audio.size >= _INT32_MAX:
        raise _bad("Cannot encode audio with >= max int32 elements")
    rate = int(sample_rate) % 2 ** 64  # TF passes the int32 on as a size_t
    return np.array(encode_wav_bytes(audio, rate), dtype=object)


def _encode_shape(inputs, attrs):
    with_rank(inputs[0], 2)
    with_rank(inputs[1], 0)
    return dtypes.string, _raw(())


op("EncodeWav", "audio:float32, sample_rate:int32", kernel=_encode_kernel, shape=_encode_shape,
   grad=NOT_DIFFERENTIABLE)


# ----- decoding ----------------------------------------------------------------------------------------------
class _Reader:
    """TF's offset bookkeeping over the file's bytes, with its messages."""

    def __init__(self, data):
        self.data, self.offset = data, 0

    def skip(self, n):
        if self.offset > len(self.data):
            raise _bad(f"Initial offset is outside data range: {self.offset}")
        if self.offset + n > len(self.data):
            raise _bad("Data too short when trying to read string")
        self.offset += n
        return self.data[self.offset - n:self.offset]

    def text(self, expected):
        found = self.skip(len(expected))
        if found != expected:
            raise _bad(f"Header mismatch: Expected {expected.decode()} but found {found.decode('latin-1')}")

    def value(self, fmt):
        return struct.unpack("<" + fmt, self.skip(struct.calcsize(fmt)))[0]


def decode_wav_bytes(data):
    """(samples [frames, channels] as floats, sample rate) of a 16-bit PCM WAV file, checked as TF's wav_io does."""
    r = _Reader(data)
    r.text(b"RIFF")
    r.value("I")
    r.text(b"WAVE")
    chunk = r.skip(4)
    while chunk != b"fmt ":
        if chunk not in _PADDING_CHUNKS:
            raise _bad(f"Unexpected field {chunk.decode('latin-1')}")
        r.skip(r.value("I"))
        chunk = r.skip(4)
    fmt_size = r.value("I")
    if fmt_size not in (16, 18):
        raise _bad(f"Bad format chunk size for WAV: Expected 16 or 18, but got{fmt_size}")
    audio_format = r.value("H")
    if audio_format != 1:
        raise _bad(f"Bad audio format for WAV: Expected 1 (PCM), but got{audio_format}")
    channels = r.value("H")
    if channels < 1:
        raise _bad(f"Bad number of channels for WAV: Expected at least 1, but got {channels}")
    rate, bytes_per_second, bytes_per_frame, bits = r.value("I"), r.value("I"), r.value("H"), r.value("H")
    if bits != 16:
        raise _bad(f"Can only read 16-bit WAV files, but received {bits}")
    if bytes_per_frame != (16 * channels + 7) // 8:
        raise _bad(f"Bad bytes per sample in WAV header: Expected {(16 * channels + 7) // 8} but got "
                   f"{bytes_per_frame}")
    if bytes_per_second != (bytes_per_frame * rate) % 2 ** 32:
        raise _bad(f"Bad bytes per second in WAV header: Expected {(bytes_per_frame * rate) % 2 ** 32} but got "
                   f"{bytes_per_second} (sample_rate={rate}, bytes_per_sample={bytes_per_frame})")
    r.offset += 2 if fmt_size == 18 else 0
    samples = None
    while r.offset < len(data):
        chunk_id, size = r.skip(4), r.value("I")
        if size > _INT32_MAX:
            raise _bad(f"WAV data chunk '{chunk_id.decode('latin-1')}' is too large: {size} bytes, but the limit "
                       f"is {_INT32_MAX}")
        if chunk_id != b"data":
            r.offset += size
            continue
        if samples is not None:
            raise _bad("More than one data chunk found in WAV")
        frames = size // bytes_per_frame
        raw = r.skip(2 * frames * channels)
        samples = np.frombuffer(raw, "<i2").astype(np.float32).reshape(frames, channels) / np.float32(32768)
    if samples is None:
        raise _bad("No data chunk found in WAV")
    return samples, rate


def _decode_kernel(a, contents):
    contents = np.asarray(contents, dtype=object)
    if contents.ndim != 0:
        raise _bad(f"contents must be scalar, got shape {_dims(contents.shape)}")
    samples, rate = decode_wav_bytes(bytes(contents[()]))
    channels, frames = a["desired_channels"], a["desired_samples"]
    if channels < -1:
        raise _bad(f"desired_channels must be >= -1, got {channels}")
    if frames < -1:
        raise _bad(f"desired_samples must be >= -1, got {frames}")
    channels = samples.shape[1] if channels == -1 else channels
    frames = samples.shape[0] if frames == -1 else frames
    # extra channels repeat the last one; missing frames are zeros
    picked = samples[:frames, np.minimum(np.arange(channels), samples.shape[1] - 1)]
    out = np.zeros((frames, channels), np.float32)
    out[:len(picked)] = picked
    return out, np.array(rate, np.uint32).astype(np.int32)


def _decode_shape(inputs, attrs):
    with_rank(inputs[0], 0)
    dims = []
    for key, what in (("desired_samples", "samples"), ("desired_channels", "channels")):
        value = attrs[key]
        if value < -1:
            raise ValueError(f"{what} must be non-negative, got {value}")
        dims.append(None if value == -1 else value)
    return [(dtypes.float32, _raw(tuple(dims))), (dtypes.int32, _raw(()))]


op("DecodeWav", "contents:string", kernel=_decode_kernel, shape=_decode_shape, grad=NOT_DIFFERENTIABLE)


# ----- summaries -------------------------------------------------------------------------------------------
def _audio_summary_kernel(a, tag, tensor, sample_rate):
    if np.ndim(tag) > 1 or np.size(tag) != 1:  # TF's IsLegacyScalar: at most one dimension, of size 1
        raise _bad("Tag must be a scalar")
    clips = np.asarray(tensor, np.float32)
    if clips.ndim not in (2, 3):
        raise _bad(f"Tensor must be 3-D or 2-D, got: {_dims(clips.shape)}")
    rate = float(np.asarray(sample_rate, np.float32).reshape(-1)[0])
    if not rate > 0:
        raise _bad("sample_rate must be > 0")
    clips = clips.reshape(clips.shape[:2] + (-1,) if clips.ndim == 3 else clips.shape + (1,))
    summary, max_outputs, base = summary_pb2.Summary(), a["max_outputs"], tag_text(tag)
    for i, clip in enumerate(clips[:max_outputs]):
        value = summary.value.add(tag=f"{base}/audio/{i}" if max_outputs > 1 else f"{base}/audio")
        value.audio.sample_rate, value.audio.num_channels, value.audio.length_frames = rate, clip.shape[1], len(clip)
        value.audio.content_type = "audio/wav"
        if clip.size == 0 and len(clip):  # TF hands the encoder an empty tensor's null buffer
            raise _bad("audio is null")
        value.audio.encoded_audio_string = encode_wav_bytes(clip, max(int(np.rint(rate)), 1))  # lrintf
    return serialized_summary(summary)


op("AudioSummaryV2", "tag:string, tensor:float32, sample_rate:float32", kernel=_audio_summary_kernel,
   shape=string_scalar, grad=NOT_DIFFERENTIABLE)


# ----- the functions (TF's generated wrappers) --------------------------------------------------------------
def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """(audio [samples, channels] float32 in [-1, 1), sample_rate int32) of the 16-bit PCM WAV file `contents`;
    `desired_channels` / `desired_samples` (-1: as in the file) drop or repeat the last channel, crop or zero-pad."""
    attrs = {"desired_channels": make_int(desired_channels, "desired_channels"),
             "desired_samples": make_int(desired_samples, "desired_samples")}
    return DecodeWav(*apply_op("DecodeWav", [contents], attrs, name=name))


def encode_wav(audio, sample_rate, name=None):
    """The 16-bit PCM WAV file (a string scalar) of float32 `audio` [length, channels], clamped to [-1, 1]."""
    return apply_op("EncodeWav", [audio, sample_rate], {}, name=name)

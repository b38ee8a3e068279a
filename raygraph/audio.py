"""TF1's `tf.audio` namespace: 16-bit PCM WAV decoding and encoding."""
from .ops.audio import decode_wav, encode_wav  # noqa: F401

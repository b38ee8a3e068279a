"""Reading checkpoints without a graph: `list_variables`, `load_variable`, `NewCheckpointReader`."""
import os

from .. import dtypes
from ..errors import NotFoundError
from .. import checkpoint_io
from .checkpoint_management import latest_checkpoint


def _prefix(ckpt_dir_or_file):
    if os.path.isdir(ckpt_dir_or_file):
        prefix = latest_checkpoint(ckpt_dir_or_file)
        if prefix is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {ckpt_dir_or_file}")
        return prefix
    return ckpt_dir_or_file


class CheckpointReader:
    """The tensors of one checkpoint, by name."""

    def __init__(self, prefix):
        self._prefix = str(prefix)
        self._entries = checkpoint_io.variables(self._prefix)

    def get_variable_to_shape_map(self):
        return {name: list(shape) for name, (_, shape) in self._entries.items()}

    def get_variable_to_dtype_map(self):
        return {name: dtypes.as_dtype(dtype) for name, (dtype, _) in self._entries.items()}

    def has_tensor(self, name):
        return name in self._entries

    def get_tensor(self, name):
        if name not in self._entries:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return checkpoint_io.read(self._prefix, [name])[0]

    def debug_string(self):
        return "".join(f"{n} ({d}) {s}\n" for n, (d, s) in sorted(self._entries.items())).encode()


def NewCheckpointReader(filepattern):  # noqa: N802 - TF's name
    """A CheckpointReader for the checkpoint prefix `filepattern`."""
    return CheckpointReader(filepattern)


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for a checkpoint prefix, or for the latest checkpoint in a directory."""
    return CheckpointReader(_prefix(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of the checkpoint's tensors, sorted by name."""
    reader = load_checkpoint(ckpt_dir_or_file)
    return sorted(reader.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    """The value saved under `name` (a trailing ':0' is ignored)."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)

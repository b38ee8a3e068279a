"""Reading checkpoints without a graph (`list_variables`, `load_variable`, `NewCheckpointReader`), and
`init_from_checkpoint`, which makes variables' initializers read their values from a checkpoint."""
import os
import time

from .. import dtypes
from ..default_graph import device
from ..errors import NotFoundError
from .. import checkpoint_io
from ..ops.state import assign
from ..ops.training import restore_v2
from ..variable_scope import _store
from ..variables import Variable
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


# ----- init_from_checkpoint -------------------------------------------------------------------------------------
def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """Makes variables' initializers read them from a checkpoint, as TF1's assignment map says:

        {"ckpt_scope/": "scope/"}        every get_variable variable under scope/, from the same name under ckpt_scope/
        {"ckpt_scope/w": "scope/w"}      one variable (made by get_variable), by name
        {"ckpt_scope/w": variable}       one Variable object
        {"/": "scope/"}                  every variable under scope/, from the checkpoint's root

    Nothing is read until the initializers run. ValueError for names the checkpoint lacks or shapes it
    does not match."""
    prefix = os.path.abspath(_prefix(ckpt_dir_or_file))  # the device actors do not share the client's directory
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    store = _store().vars
    for ckpt_name, current in sorted(assignment_map.items(), key=lambda kv: kv[0]):
        var = current if isinstance(current, Variable) else store.get(current)
        if var is not None:
            if ckpt_name not in shapes:
                raise ValueError(f"Tensor {ckpt_name} is not found in {ckpt_dir_or_file} checkpoint {shapes}")
            if not var.shape.is_compatible_with(shapes[ckpt_name]):
                raise ValueError(f"Shape of variable {var.name} ({var.shape}) doesn't match with shape of tensor "
                                 f"{ckpt_name} ({shapes[ckpt_name]}) from checkpoint reader.")
            _initialize_from(var, prefix, ckpt_name)
            continue
        scope = current[:current.rindex("/")] if "/" in current else ""
        if not ckpt_name.endswith("/"):
            raise ValueError(f"Assignment map with scope only name {scope} should map to scope only {ckpt_name}. "
                             f"Should be 'scope/': 'other_scope/'.")
        for name in sorted(n for n in store if not scope or n.startswith(scope + "/")):
            tensor = name[len(scope):]
            if current != "/":
                tensor = tensor[1:]
            if ckpt_name != "/":
                tensor = ckpt_name + tensor
            tensor = tensor[:-1] if tensor.endswith("/") else tensor
            if tensor not in shapes:
                raise ValueError(f"Tensor {tensor} ({name[len(scope) + 1:]} in {ckpt_name}) is not found in "
                                 f"{ckpt_dir_or_file} checkpoint")
            _initialize_from(store[name], prefix, tensor)


def _initialize_from(var, prefix, tensor_name):
    """Replaces `var`'s initializer by an Assign of the checkpoint's tensor (TF's ops and names)."""
    with device(var.device), device("/cpu:0"):
        value = restore_v2(prefix, [tensor_name], [""], [var.dtype.base_dtype], name="checkpoint_initializer")[0]
    var._initializer_op = assign(var._ref(), value, validate_shape=var.shape.is_fully_defined()).op
    value.set_shape(var.shape)
    var._initial_value = value


# ----- waiting for checkpoints ----------------------------------------------------------------------------------
def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1, timeout=None):
    """The latest checkpoint of `checkpoint_dir` once it differs from `last_checkpoint`; None after `timeout` s."""
    stop_time = None if timeout is None else time.time() + timeout
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last_checkpoint:
            return path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yields each new checkpoint of `checkpoint_dir` as it appears, at most one per `min_interval_secs`; ends
    when none comes within `timeout` seconds (and `timeout_fn`, if given, returns True)."""
    path = None
    while True:
        new = wait_for_new_checkpoint(checkpoint_dir, path, timeout=timeout)
        if new:
            start, path = time.time(), new
            yield path
            wait = start + min_interval_secs - time.time()
            if wait > 0:
                time.sleep(wait)
        elif timeout_fn is None:
            return
        if timeout_fn is not None and timeout_fn():
            return

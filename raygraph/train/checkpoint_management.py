"""The `checkpoint` state file (TF's CheckpointState in protobuf text format) and finding checkpoints.

    model_checkpoint_path: "model.ckpt-3"
    all_model_checkpoint_paths: "model.ckpt-2"
    all_model_checkpoint_paths: "model.ckpt-3"

Paths are written as given (relative to the directory when the directory itself was given relative).
The file is replaced atomically, so a reader sees the old or the new state, never a torn one.
"""
import json
import os
import re

from .. import atomic_files, checkpoint_io


class CheckpointState:
    """TF's CheckpointState message: the latest checkpoint and all the ones still kept."""

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=(), all_model_checkpoint_timestamps=(),
                 last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def to_text(self):
        lines = [f"model_checkpoint_path: {json.dumps(self.model_checkpoint_path)}"]
        lines += [f"all_model_checkpoint_paths: {json.dumps(p)}" for p in self.all_model_checkpoint_paths]
        lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in self.all_model_checkpoint_timestamps]
        if self.last_preserved_timestamp:
            lines.append(f"last_preserved_timestamp: {self.last_preserved_timestamp!r}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_text(cls, text):
        state = cls()
        for line in text.splitlines():
            key, sep, value = line.partition(":")
            if not sep:
                continue
            key, value = key.strip(), value.strip()
            if key == "model_checkpoint_path":
                state.model_checkpoint_path = json.loads(value)
            elif key == "all_model_checkpoint_paths":
                state.all_model_checkpoint_paths.append(json.loads(value))
            elif key == "all_model_checkpoint_timestamps":
                state.all_model_checkpoint_timestamps.append(float(value))
            elif key == "last_preserved_timestamp":
                state.last_preserved_timestamp = float(value)
        return state

    def __eq__(self, other):
        return isinstance(other, CheckpointState) and vars(self) == vars(other)

    def __repr__(self):
        return self.to_text()

    __str__ = __repr__


def _state_path(checkpoint_dir, latest_filename=None):
    return os.path.join(checkpoint_dir, latest_filename or "checkpoint")


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None, last_preserved_timestamp=None):
    """The CheckpointState for a save: the latest path last in the list; paths relative to a relative dir."""
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in paths]
    return CheckpointState(model_checkpoint_path, paths, all_model_checkpoint_timestamps or (),
                           last_preserved_timestamp or 0.0)


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None, latest_filename=None,
                            save_relative_paths=False):
    """Atomically rewrites the state file in `save_dir`."""
    if save_relative_paths:
        def rel(p):
            return os.path.relpath(p, save_dir) if os.path.isabs(p) else p
        model_checkpoint_path = rel(model_checkpoint_path)
        all_model_checkpoint_paths = [rel(p) for p in all_model_checkpoint_paths or []]
    state = generate_checkpoint_state_proto(save_dir, model_checkpoint_path, all_model_checkpoint_paths)
    path = _state_path(save_dir, latest_filename)
    if path == state.model_checkpoint_path:
        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used for checkpoint state.  "
                           f"Please use a different save path.")
    atomic_files.write_atomic(path, lambda f: f.write(state.to_text().encode()))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState in `checkpoint_dir` (relative paths made relative to the dir), or None."""
    path = _state_path(checkpoint_dir, latest_filename)
    try:
        with open(path) as f:
            state = CheckpointState.from_text(f.read())
    except FileNotFoundError:
        return None
    if not state.model_checkpoint_path:
        raise ValueError(f"Invalid checkpoint state loaded from {checkpoint_dir}")
    if not os.path.isabs(state.model_checkpoint_path):
        state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)
                                        for p in state.all_model_checkpoint_paths]
    return state


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint the state file in `checkpoint_dir` names, if it exists; else None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and checkpoint_io.exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def checkpoint_exists(checkpoint_prefix):
    """Whether a checkpoint was committed under `checkpoint_prefix`."""
    return checkpoint_io.exists(checkpoint_prefix)


def get_checkpoint_mtimes(checkpoint_prefixes):
    """The modification times of the checkpoints' index files."""
    return [os.stat(p + ".index").st_mtime for p in checkpoint_prefixes if checkpoint_io.exists(p)]


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=None, meta_graph_suffix="meta"):
    """Deletes a checkpoint's files (index, data, and meta graph)."""
    checkpoint_io.remove(checkpoint_prefix)
    try:
        os.remove(f"{checkpoint_prefix}.{meta_graph_suffix}")
    except FileNotFoundError:
        pass


def meta_graph_filename(checkpoint_filename, meta_graph_suffix="meta"):
    """`<prefix>.meta` (a sharded name's `-?????-of-N` suffix dropped, as in TF)."""
    base = re.sub(r"-[\d?]+-of-\d+$", "", checkpoint_filename)
    return f"{base}.{meta_graph_suffix}"

"""`Saver`: checkpoints of variables, built as graph ops the way TF1 builds them.

    save/filename/input, save/filename, save/Const    the checkpoint prefix (a feedable string)
    save/SaveV2 (+ tensor_names, shape_and_slices)    writes every variable, in TensorFlow's V2 checkpoint format
                                                      (tensor_bundle.py), which TensorFlow restores
    save/control_dependency                           the prefix, once written: `save_tensor_name`
    save/RestoreV2 -> save/Assign, save/Assign_1...   reads them all, checked, then assigns each
    save/restore_all                                  `restore_op_name`

`RestoreV2` reads TensorFlow's format and raygraph's older Arrow one (checkpoint_io.py); it checks every name,
dtype, shape and checksum before returning anything, and every Assign waits for it, so a failed restore
changes no variable. The Python side keeps the `checkpoint` state file and
deletes checkpoints beyond `max_to_keep`.
"""
import os
import time

import numpy as np
from tensorboard.compat.proto import meta_graph_pb2, saver_pb2

from .. import errors
from .. import logging as tf_logging
from ..convert import constant
from ..default_graph import name_scope
from ..graph import GraphKeys, get_default_graph, register_proto_function
from ..ops.array import identity, placeholder_with_default
from ..ops.control import group
from ..ops.state import assign
from ..ops.training import restore_v2, save_v2
from ..saveable import SaveableObject
from ..tensor import Tensor
from ..variables import Variable
from . import checkpoint_management as management
from . import meta_graph
from .training_util import global_step as step_value

SaverDef = saver_pb2.SaverDef


def _named_variables(var_list):
    """[(checkpoint name, Variable or SaveableObject)] sorted by name, as TF1's op_list_to_dict names them."""
    if isinstance(var_list, dict):
        items = []
        for name, v in var_list.items():
            if not isinstance(name, str):
                raise TypeError(f"names_to_saveables must be a dict mapping string names to Tensors/Variables. "
                                f"Not a string name: {name}")
            items.append((name, _as_saveable(v)))
    else:
        items, seen = [], set()
        for v in _flatten(var_list):
            v = _as_saveable(v)
            name = v.name if isinstance(v, SaveableObject) else v.op.name
            if name in seen:
                raise ValueError(f"At least two variables have the same name: {name}")
            seen.add(name)
            items.append((name, v))
    return sorted(items, key=lambda kv: kv[0])


def _as_saveable(v):
    if isinstance(v, (Variable, SaveableObject)):
        return v
    if isinstance(v, Tensor) and v.dtype.is_ref_dtype:
        return v  # a VariableV2's ref output
    raise TypeError(f"Variable to save is not a Variable: {v}")


def _flatten(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _flatten(item)
        else:
            yield item


def _specs(name, v):
    """The (checkpoint name, tensor) pairs that `v` saves."""
    if isinstance(v, SaveableObject):
        return v.specs
    return [(name, v._ref() if isinstance(v, Variable) else v)]


def _restore_op(v, values):
    """What puts `values` (one per spec of `v`) back into `v`."""
    if isinstance(v, SaveableObject):
        return v.restore(values)
    ref = v._ref() if isinstance(v, Variable) else v
    return assign(ref, values[0], validate_shape=ref.shape.is_fully_defined())


def _build_ops(named, name, filename):
    """The save and restore ops for `named`; returns their SaverDef names (see the module docstring)."""
    g = get_default_graph()
    specs = [_specs(n, v) for n, v in named]
    names = [spec_name for group_ in specs for spec_name, _ in group_]
    refs = [tensor for group_ in specs for _, tensor in group_]
    with name_scope(name, "save", [r.op for r in refs]):
        prefix = placeholder_with_default(filename or "model", shape=[], name="filename")
        prefix = placeholder_with_default(prefix, shape=[], name="Const")  # TF keeps the name "Const"
        with name_scope("SaveV2") as scope:
            save = save_v2(prefix, constant(names, name="tensor_names"),
                           constant([""] * len(names), name="shape_and_slices"), refs, name=scope)
        with g.colocate_with(prefix.op), name_scope("control_dependency") as scope:
            with g.control_dependencies([save]):
                saved = identity(prefix, name=scope)
        with g.device("cpu:0"), name_scope("RestoreV2") as scope:
            values = restore_v2(prefix, constant(names, name="tensor_names"),
                                constant([""] * len(names), name="shape_and_slices"),
                                [r.dtype.base_dtype for r in refs], shapes=[r.shape for r in refs], name=scope)
        restores, at = [], 0
        for (_, v), group_ in zip(named, specs):
            restores.append(_restore_op(v, values[at:at + len(group_)]))
            at += len(group_)
        restore = group(*restores, name="restore_all")
    return prefix.name, saved.name, restore.name


class Saver:
    """Saves and restores variables: `save(sess, path, global_step)` -> the checkpoint prefix."""

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5, keep_checkpoint_every_n_hours=10000.0,
                 name=None, restore_sequentially=False, saver_def=None, builder=None, defer_build=False,
                 allow_empty=False, write_version=saver_pb2.SaverDef.V2, pad_step_number=False,
                 save_relative_paths=False, filename=None):
        if reshape:
            raise errors.UnimplementedError(None, None, "Saver(reshape=True) is not supported by raygraph")
        self._sharded = sharded  # recorded in the SaverDef; the checkpoint is one data file either way
        self._var_list = var_list
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._filename = filename
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self.saver_def = saver_def
        self._is_built = False
        self._is_empty = False
        self._last_checkpoints = []        # [(prefix, time saved)], oldest first
        self._checkpoints_to_be_deleted = []
        self._next_checkpoint_time = time.time() + keep_checkpoint_every_n_hours * 3600
        if saver_def is not None:
            self._check_saver_def()
            if name:  # a saver of an imported graph: `name` is the import scope of its ops
                self.saver_def = _prepend_scope(saver_def, name)
            self._max_to_keep = self.saver_def.max_to_keep
            self._is_built = True
        elif not defer_build:
            self.build()

    def build(self):
        """Adds the save and restore ops (done by the constructor unless `defer_build`)."""
        if self._is_built:
            return
        var_list = self._var_list
        if var_list is None:
            g = get_default_graph()
            var_list = g.get_collection(GraphKeys.GLOBAL_VARIABLES) + g.get_collection(GraphKeys.SAVEABLE_OBJECTS)
        if not var_list:
            if not self._allow_empty:
                raise ValueError("No variables to save")
            self._is_empty = self._is_built = True
            return
        filename_name, save_name, restore_name = _build_ops(_named_variables(var_list), self._name, self._filename)
        self.saver_def = saver_pb2.SaverDef(
            filename_tensor_name=filename_name, save_tensor_name=save_name, restore_op_name=restore_name,
            max_to_keep=self._max_to_keep or 0, sharded=self._sharded,
            keep_checkpoint_every_n_hours=self._keep_checkpoint_every_n_hours, version=saver_pb2.SaverDef.V2)
        self._is_built = True

    def _check_saver_def(self):
        if not isinstance(self.saver_def, saver_pb2.SaverDef):
            raise ValueError(f"saver_def must be a saver_pb2.SaverDef: {self.saver_def}")
        for field in ("save_tensor_name", "restore_op_name", "filename_tensor_name"):
            if not getattr(self.saver_def, field):
                raise ValueError(f"saver_def must specify the {field}: {self.saver_def}")

    def as_saver_def(self):
        return self.saver_def

    def to_proto(self, export_scope=None):
        return self.saver_def

    @staticmethod
    def from_proto(saver_def, import_scope=None):
        return Saver(saver_def=saver_def, name=import_scope)

    # ----- the checkpoints kept ----------------------------------------------------------------------------
    @property
    def last_checkpoints(self):
        """The prefixes of the checkpoints still kept, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints):
        if not isinstance(last_checkpoints, list):
            raise TypeError("last_checkpoints must be a list")
        self._last_checkpoints = [(p, float("inf")) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        if not isinstance(last_checkpoints_with_time, list):
            raise TypeError("last_checkpoints_with_time must be a list")
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths):
        """Takes over the checkpoints of an earlier run (e.g. `get_checkpoint_state(d).all_model_checkpoint_paths`)."""
        found = [(p, os.stat(p + ".index").st_mtime) for p in checkpoint_paths if management.checkpoint_exists(p)]
        self.set_last_checkpoints_with_time(found)

    def _record(self, prefix):
        if not self.saver_def.max_to_keep:
            return
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != prefix]
        self._last_checkpoints.append((prefix, time.time()))
        if len(self._last_checkpoints) > self.saver_def.max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _delete_old(self, meta_graph_suffix="meta"):
        while self._checkpoints_to_be_deleted:
            prefix, saved_at = self._checkpoints_to_be_deleted.pop(0)
            if saved_at > self._next_checkpoint_time:  # keep one every keep_checkpoint_every_n_hours
                self._next_checkpoint_time += self.saver_def.keep_checkpoint_every_n_hours * 3600
                continue
            management.remove_checkpoint(prefix, meta_graph_suffix=meta_graph_suffix)

    # ----- save and restore -------------------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        """Writes a checkpoint at `save_path[-global_step]` and returns that prefix (None if nothing to save)."""
        if not self._is_built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if not callable(getattr(sess, "run", None)):
            raise TypeError(f"'sess' must be a Session; {sess}")
        latest_filename = latest_filename or "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        prefix = self._prefix(sess, str(save_path), global_step, latest_filename)
        parent = os.path.dirname(save_path)
        if not self._is_empty:
            try:
                sess.run(self.saver_def.save_tensor_name,
                         {self.saver_def.filename_tensor_name: _for_devices(prefix)})
            except (errors.FailedPreconditionError, errors.NotFoundError) as e:
                if not os.path.isdir(parent or "."):
                    raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.") from None
                raise e
            if write_state:
                self._record(prefix)
                management.update_checkpoint_state(parent, prefix, self.last_checkpoints, latest_filename,
                                                   self._save_relative_paths)
                self._delete_old(meta_graph_suffix)
        if write_meta_graph:
            self._write_meta_graph(sess, management.meta_graph_filename(prefix, meta_graph_suffix),
                                   strip_default_attrs)
        return None if self._is_empty else prefix

    def _prefix(self, sess, save_path, global_step, latest_filename):
        if global_step is None:
            if os.path.basename(save_path) == latest_filename:
                raise ValueError(f"'latest_filename' collides with 'save_path': '{latest_filename}' and "
                                 f"'{save_path}'")
            return save_path
        if isinstance(global_step, (int, np.integer)):
            global_step = int(global_step)
        else:  # a global step tensor or variable: its current value
            global_step = step_value(sess, global_step)
        return f"{save_path}-{global_step:08d}" if self._pad_step_number else f"{save_path}-{global_step}"

    def restore(self, sess, save_path):
        """Sets every variable from the checkpoint `save_path`: all of them, or (on an error) none."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = str(save_path)
        if self._is_empty:
            return
        if not management.checkpoint_exists(save_path):
            raise ValueError("The passed save_path is not a valid checkpoint: " + save_path)
        tf_logging.info("Restoring parameters from %s", save_path)
        try:
            sess.run(self.saver_def.restore_op_name, {self.saver_def.filename_tensor_name: _for_devices(save_path)})
        except errors.NotFoundError as e:
            raise _restore_error(e, "a Variable name or other graph key that is missing") from None
        except errors.InvalidArgumentError as e:
            raise _restore_error(e, "a mismatch between the current graph and the graph") from None

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False, export_scope=None,
                          clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                          save_debug_info=False):
        """Writes the graph's MetaGraphDef (with this saver's SaverDef) to `filename`."""
        return meta_graph.export_meta_graph(filename=filename, graph_def=None, saver_def=self.saver_def,
                                            collection_list=collection_list, as_text=as_text,
                                            export_scope=export_scope, clear_devices=clear_devices,
                                            strip_default_attrs=strip_default_attrs)

    def _write_meta_graph(self, sess, path, strip_default_attrs):
        with sess.graph.as_default():
            self.export_meta_graph(path, strip_default_attrs=strip_default_attrs)


def _for_devices(path):
    """The path the device actors should use: they do not share the client's working directory."""
    return os.path.abspath(path)


def _prepend_scope(saver_def, scope):
    scope = scope.rstrip("/")
    out = saver_pb2.SaverDef()
    out.CopyFrom(saver_def)
    for field in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
        setattr(out, field, f"{scope}/{getattr(saver_def, field)}")
    return out


def _restore_error(err, cause):
    message = (f"Restoring from checkpoint failed. This is most likely due to {cause} from the checkpoint. Please "
               f"ensure that you have not altered the graph expected based on the checkpoint. Original error:\n\n"
               f"{err.message}")
    return type(err)(err.node_def, err.op, message)


# ----- MetaGraphDefs with a Saver -------------------------------------------------------------------------
def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuilds a MetaGraphDef's graph and collections in the default graph; returns a Saver for its
    variables (None if it has none to restore)."""
    meta = meta_graph_or_file if isinstance(meta_graph_or_file, meta_graph_pb2.MetaGraphDef) else \
        meta_graph.read_meta_graph_file(meta_graph_or_file)
    variables = meta_graph.import_scoped_meta_graph(meta, clear_devices, import_scope, kwargs.get("input_map"))
    return _saver_for(meta, import_scope, variables)


def _saver_for(meta, import_scope, variables):
    if meta.HasField("saver_def"):
        scope = import_scope
        if variables:
            key, var = next(iter(variables.items()))
            scope = var.name[:-len(key)]
        return Saver(saver_def=meta.saver_def, name=scope)
    if variables:
        return Saver()
    return None


register_proto_function(GraphKeys.SAVERS, saver_pb2.SaverDef, lambda s, scope: s.to_proto(export_scope=scope),
                        Saver.from_proto)

"""TF1's warm-starting (`tf.train.warm_start`, `VocabInfo`): variables' initializers replaced by values from a
checkpoint, renamed (`var_name_to_prev_var_name`) or with their vocabulary rows (or columns) remapped from an
old vocabulary file to a new one (`var_name_to_vocab_info`), rows missing from the old vocabulary and the
out-of-vocabulary buckets taking the backup initializer's values (zeros by default)."""
import collections
import re

import numpy as np

from ..convert import constant
from ..graph import GraphKeys, get_default_graph
from ..ops.slicing import where_v2
from ..ops.state import assign
from ..variables import Variable
from .checkpoint_utils import init_from_checkpoint, load_variable


class VocabInfo(collections.namedtuple("VocabInfo", ["new_vocab", "new_vocab_size", "num_oov_buckets", "old_vocab",
                                                     "old_vocab_size", "backup_initializer", "axis"])):
    """How to remap a variable's vocabulary axis (0: rows, 1: columns) when warm-starting it."""

    def __new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size=-1,
                backup_initializer=None, axis=0):
        if axis not in (0, 1):
            raise ValueError(f"The only supported values for the axis argument are 0 and 1.  Provided axis: {axis}")
        return super().__new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size,
                               backup_initializer, axis)


def _variables(vars_to_warm_start):
    graph = get_default_graph()
    if vars_to_warm_start is None:
        return []
    if isinstance(vars_to_warm_start, str):
        return graph.get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=vars_to_warm_start)
    if isinstance(vars_to_warm_start, (list, tuple)):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            out = []
            for pattern in vars_to_warm_start:
                out += [v for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES, scope=pattern) if v not in out]
            return out
        if all(isinstance(v, Variable) for v in vars_to_warm_start):
            return list(vars_to_warm_start)
    raise ValueError("vars_to_warm_start must be a `list` of `str`s or `Variable`s, a `str` regex or None; "
                     f"got {vars_to_warm_start!r}")


def _vocab(path, size):
    with open(path, "rb") as f:
        words = [line.rstrip(b"\r\n") for line in f]
    return words[:size] if size is not None and size > 0 else words


def _remapped(var, ckpt, prev_name, info):
    """`var`'s warm-start value: the old tensor's slices along `info.axis` reordered to the new vocabulary."""
    old = load_variable(ckpt, prev_name)
    old_index = {w: i for i, w in enumerate(_vocab(info.old_vocab, info.old_vocab_size))}
    new_words = _vocab(info.new_vocab, info.new_vocab_size)
    shape = var.shape.as_list()
    source = [old_index.get(w, -1) for w in new_words] + [-1] * info.num_oov_buckets
    if len(source) != shape[info.axis]:
        raise ValueError(f"Variable {var.op.name} has {shape[info.axis]} entries along axis {info.axis}, but the new "
                         f"vocabulary and OOV buckets have {len(source)}.")
    found = np.asarray(source) >= 0
    taken = np.take(old, np.maximum(source, 0), axis=info.axis)
    mask = found[:, None] if info.axis == 0 and len(shape) > 1 else found
    mask = np.broadcast_to(mask, taken.shape)
    dtype = var.dtype.base_dtype
    backup = info.backup_initializer(shape, dtype=dtype) if info.backup_initializer else constant(
        0, dtype=dtype, shape=shape)
    return where_v2(constant(mask), constant(taken.astype(dtype.as_numpy_dtype)), backup)


def warm_start(ckpt_to_initialize_from, vars_to_warm_start=".*", var_name_to_vocab_info=None,
               var_name_to_prev_var_name=None):
    """Makes the chosen variables' initializers take their values from a checkpoint (see the module docstring)."""
    vocab_infos = dict(var_name_to_vocab_info or {})
    renames = dict(var_name_to_prev_var_name or {})
    chosen = _variables(vars_to_warm_start)
    for name in vocab_infos:  # a variable with a vocabulary is warm-started even if not chosen otherwise
        chosen += [v for v in get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
                   if v.op.name == name and v not in chosen]
    used_renames, used_vocabs, plain = set(), set(), {}
    for var in chosen:
        name = var.op.name
        prev = renames.get(name, name)
        if name in renames:
            used_renames.add(name)
        info = vocab_infos.get(name)
        if info is not None:
            used_vocabs.add(name)
            value = _remapped(var, ckpt_to_initialize_from, prev, info)
            var._initializer_op = assign(var._ref(), value).op
            var._initial_value = value
        else:
            plain[prev] = var
    if plain:
        init_from_checkpoint(ckpt_to_initialize_from, plain)
    for given, used, what in ((renames, used_renames, "var_name_to_prev_var_name"),
                              (vocab_infos, used_vocabs, "var_name_to_vocab_info")):
        unused = sorted(set(given) - used)
        if unused:
            raise ValueError(f"You provided the following variables in {what} that were not used: {unused}.  "
                             "Perhaps you misspelled them?  Here is the list of viable variable names: "
                             f"{sorted(v.op.name for v in chosen)}")


__all__ = ["VocabInfo", "warm_start"]

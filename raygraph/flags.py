"""`tf.flags` (and `tf.app.flags`): absl.flags re-exported as TF1 does it.

The differences from absl are TF's: DEFINE_string/boolean/bool/float/integer also take the old keyword
names (flag_name, default_value, docstring), and reading a value of `FLAGS` before they are parsed parses
sys.argv instead of raising.
"""
import functools
import logging
import sys

from absl.flags import *  # noqa: F401,F403 - this module is absl.flags' namespace
from absl.flags import (DEFINE_boolean as _define_boolean, DEFINE_float as _define_float,
                        DEFINE_integer as _define_integer, DEFINE_string as _define_string, disclaim_key_flags,
                        FLAGS as _absl_flags)

disclaim_key_flags()  # flags defined through this module belong to the caller's module, as with absl's

_RENAMED_ARGUMENTS = {"flag_name": "name", "default_value": "default", "docstring": "help"}


def _accept_old_names(define):
    @functools.wraps(define)
    def wrapper(*args, **kwargs):
        old = [k for k in _RENAMED_ARGUMENTS if k in kwargs]
        for k in old:
            kwargs[_RENAMED_ARGUMENTS[k]] = kwargs.pop(k)
        if old:
            logging.warning("Use of the keyword argument names (flag_name, default_value, docstring) is "
                            "deprecated, please use (name, default, help) instead.")
        return define(*args, **kwargs)
    return wrapper


class _FlagValuesWrapper:
    """absl's FLAGS, except that reading a flag before parsing parses sys.argv first."""

    def __init__(self, flags_object):
        self.__dict__["__wrapped"] = flags_object

    def __getattribute__(self, name):
        if name == "__dict__":
            return super().__getattribute__(name)
        return self.__dict__["__wrapped"].__getattribute__(name)

    def __getattr__(self, name):
        wrapped = self.__dict__["__wrapped"]
        if not wrapped.is_parsed():
            wrapped(sys.argv)
        return wrapped.__getattr__(name)

    def __setattr__(self, name, value):
        return self.__dict__["__wrapped"].__setattr__(name, value)

    def __delattr__(self, name):
        return self.__dict__["__wrapped"].__delattr__(name)

    def __dir__(self):
        return self.__dict__["__wrapped"].__dir__()

    def __getitem__(self, name):
        return self.__dict__["__wrapped"].__getitem__(name)

    def __setitem__(self, name, flag):
        return self.__dict__["__wrapped"].__setitem__(name, flag)

    def __len__(self):
        return self.__dict__["__wrapped"].__len__()

    def __iter__(self):
        return self.__dict__["__wrapped"].__iter__()

    def __str__(self):
        return self.__dict__["__wrapped"].__str__()

    def __call__(self, *args, **kwargs):
        return self.__dict__["__wrapped"].__call__(*args, **kwargs)


DEFINE_string = _accept_old_names(_define_string)
DEFINE_boolean = _accept_old_names(_define_boolean)
DEFINE_bool = DEFINE_boolean
DEFINE_float = _accept_old_names(_define_float)
DEFINE_integer = _accept_old_names(_define_integer)
FLAGS = _FlagValuesWrapper(_absl_flags)

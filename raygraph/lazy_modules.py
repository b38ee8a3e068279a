"""Modules imported at their first use: scipy costs every process that imports raygraph (each device actor too)
0.18 s, and most programs never run the kernels that call it."""
import importlib


class Lazy:
    """Stands for the module `name`, imported when one of its attributes is first read (the import system's
    locks make that safe from several kernels' threads at once)."""

    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        return getattr(importlib.import_module(self._name), attr)

    def __reduce__(self):   # (a kernel pickled by value for a device takes its module's name, not the module)
        return Lazy, (self._name,)

"""Where kernels reach their loops compiled by numba (kernel_loops.py; eigen_loops.py for the TF-order sums; the
convolutions' fourier_loops.py and conv_taps.py):
imported on first use, as numba's import costs ~0.4 s once a process, and a program whose kernels stay small never
pays it. Each loop is compiled once per machine (numba's cache)."""
import functools
import importlib

from scheduler.jit import wide_vectors

COMPILED = 1 << 9   # elements from which a kernel runs its compiled loop (below, numpy's calls cost little)


def _loaded(module):
    """One of this package's modules of compiled loops, imported once numba's target is set (jit.wide_vectors); each
    accessor below keeps it (functools.cache: kernels call them on every run)."""
    wide_vectors()
    return importlib.import_module(f".{module}", __package__)


@functools.cache
def loops():
    """kernel_loops: the loops of the kernels that numpy runs as several passes over small arrays."""
    return _loaded("kernel_loops")


@functools.cache
def eigen_loops():
    """eigen_loops: eigen_sums' sums in TF's order (from eigen_sums.COMPILED elements)."""
    return _loaded("eigen_loops")


@functools.cache
def fourier_loops():
    """fourier_loops: the Fourier convolutions' 2-D transforms and products as compiled calls."""
    return _loaded("fourier_loops")


@functools.cache
def conv_taps():
    """conv_taps: convolutions of one input channel summed over the filter's taps (loops written as LLVM IR)."""
    return _loaded("conv_taps")

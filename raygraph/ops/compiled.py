"""Where kernels reach their compiled loops (kernel_loops.py): imported on first use, as numba's import costs
~0.4 s once a process, and a program whose kernels stay small never pays it."""
import functools

COMPILED = 1 << 9   # elements from which a kernel runs its compiled loop (below, numpy's calls cost little)


@functools.cache
def loops():
    """kernel_loops, whose loops numba compiles (each once per machine: numba's cache)."""
    from . import kernel_loops  # noqa: PLC0415
    return kernel_loops

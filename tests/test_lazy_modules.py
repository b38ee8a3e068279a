"""raygraph imports scipy at its first use: a program that never runs a kernel calling it does not pay for it."""
import pickle
import subprocess
import sys

from raygraph.lazy_modules import Lazy


def test_importing_raygraph_leaves_scipy_unimported_until_a_kernel_needs_it():
    code = ("import sys, numpy as np, raygraph as tf\n"
            "before = any(m.startswith('scipy') for m in sys.modules)\n"
            "from raygraph.ops import special\n"
            "x = special._same_dtype(special._scipy('erf'))({}, np.array([0.5], np.float32))\n"
            "print(before, 'scipy.special' in sys.modules, x.dtype, round(float(x[0]), 6))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "float32", "0.5205"]


def test_a_lazy_module_pickles_as_its_name_and_reads_the_real_modules_attributes():
    math = pickle.loads(pickle.dumps(Lazy("math")))
    assert isinstance(math, Lazy) and math.sqrt(16.0) == 4.0

"""TF's build and version constants, with raygraph's own honest values where TF's describe a C++ build.

`VERSION` names the TensorFlow API raygraph implements: TF1's graph-and-session API as TensorFlow 1.15 (the
last TF1 release) defined it, checked against TensorFlow 2.21's `tf.compat.v1`. Programs that test
`tf.VERSION.startswith("1.")` take their TF1 path. raygraph has no compiled core: no C++ compiler, ABI or
standard, and no monolithic build.
"""
import platform

from .graph_def import GRAPH_DEF_VERSION  # noqa: F401 - the GraphDef producer version raygraph writes

VERSION = "1.15.0"
GIT_VERSION = "raygraph-1.15.0"  # no TensorFlow source tree: raygraph's own release of that API
COMPILER_VERSION = "Python " + platform.python_version()  # raygraph is pure Python (on numpy and Ray)
CXX11_ABI_FLAG = 0
CXX_VERSION = 0
MONOLITHIC_BUILD = 0
# the GraphDef versions raygraph reads: any producer from TF's first (0) on, as TF itself
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

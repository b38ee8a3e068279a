"""`tf.compat.v1`: raygraph is TF1's API, so `v1` is raygraph itself."""
import sys

v1 = sys.modules["raygraph"]

"""tf.config as TF1.15-era programs query it (listing devices before setting GPU memory growth): raygraph's one
physical device is the CPU, as TF's on a machine without GPUs."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error  # noqa: E402


def case_config_lists_the_cpu(tf):
    cpus = tf.config.list_physical_devices("CPU")
    return [repr(tf.config.list_physical_devices()), repr(tf.config.experimental.list_physical_devices("GPU")),
            repr(tf.config.list_logical_devices()), repr(tf.config.get_visible_devices("CPU")),
            tf.config.get_soft_device_placement(), error(lambda: tf.config.experimental.set_memory_growth(cpus[0], True)),
            [d.device_type for d in tf.config.experimental.list_logical_devices("CPU")]]

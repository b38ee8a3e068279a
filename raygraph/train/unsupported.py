"""`tf.train` names raygraph does not implement: each raises NotImplementedError naming itself and why when called
(or instantiated). `CheckpointOptions`, plain settings, is here too: only the object-based checkpoints it
configures would read it."""
from ..errors import not_implemented


def _missing(name, why):
    return not_implemented("tf.train", name, why)


_OBJECTS = "TF2's object-based checkpoints (tracked objects and their graph) are not written or read; use tf.train.Saver."
_SDCA = "the SDCA (stochastic dual coordinate ascent) linear-model kernels are not implemented."
Checkpoint = _missing("Checkpoint", _OBJECTS)
CheckpointManager = _missing("CheckpointManager", _OBJECTS)
sdca_optimizer = _missing("sdca_optimizer", _SDCA)
sdca_fprint = _missing("sdca_fprint", _SDCA)
sdca_shrink_l1 = _missing("sdca_shrink_l1", _SDCA)
do_quantize_training_on_graphdef = _missing("do_quantize_training_on_graphdef", "graphs are not rewritten for "
                                            "quantized (FakeQuant) training.")


class CheckpointOptions:
    """Options of TF2's object-based checkpoints (`tf.train.Checkpoint`), kept as given."""

    def __init__(self, experimental_io_device=None, experimental_enable_async_checkpoint=False,
                 experimental_write_callbacks=None, enable_async=False, experimental_skip_slot_variables=False,
                 experimental_sharding_callback=None):
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.enable_async = enable_async or experimental_enable_async_checkpoint
        self.experimental_write_callbacks = experimental_write_callbacks
        self.experimental_skip_slot_variables = experimental_skip_slot_variables
        self.experimental_sharding_callback = experimental_sharding_callback


class experimental:  # noqa: N801 - TF's namespace tf.train.experimental, as a class of its names
    """`tf.train.experimental`: mixed precision (loss scaling, the graph rewrite) and checkpoint sharding."""

    _MIXED = "mixed-precision training (float16 loss scaling and its graph rewrite) is not implemented."
    _SHARDS = "TF2's checkpoint sharding policies apply to object-based checkpoints, which raygraph does not write."
    MixedPrecisionLossScaleOptimizer = staticmethod(_missing("experimental.MixedPrecisionLossScaleOptimizer", _MIXED))
    enable_mixed_precision_graph_rewrite = staticmethod(_missing("experimental.enable_mixed_precision_graph_rewrite",
                                                                 _MIXED))
    disable_mixed_precision_graph_rewrite = staticmethod(_missing(
        "experimental.disable_mixed_precision_graph_rewrite", _MIXED))
    LossScale = staticmethod(_missing("experimental.LossScale", _MIXED))
    FixedLossScale = staticmethod(_missing("experimental.FixedLossScale", _MIXED))
    DynamicLossScale = staticmethod(_missing("experimental.DynamicLossScale", _MIXED))
    PythonState = staticmethod(_missing("experimental.PythonState", _OBJECTS))
    ShardByTaskPolicy = staticmethod(_missing("experimental.ShardByTaskPolicy", _SHARDS))
    MaxShardSizePolicy = staticmethod(_missing("experimental.MaxShardSizePolicy", _SHARDS))
    ShardableTensor = staticmethod(_missing("experimental.ShardableTensor", _SHARDS))
    ShardingCallback = staticmethod(_missing("experimental.ShardingCallback", _SHARDS))

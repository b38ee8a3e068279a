"""`tf.data.experimental` names raygraph does not implement: each raises NotImplementedError naming itself and
why when called (or instantiated)."""
from ..errors import not_implemented


def _missing(name, why):
    return not_implemented("tf.data.experimental", name, why)


_RAGGED = "raygraph's datasets hold no RaggedTensor elements."
_SERVICE = "it needs the tf.data service (dispatcher and worker servers), which raygraph does not run."
dense_to_ragged_batch = _missing("dense_to_ragged_batch", _RAGGED)
distributed_save = _missing("distributed_save", _SERVICE)
service = _missing("service", _SERVICE)
snapshot = _missing("snapshot", "datasets are not saved to and loaded from snapshot files.")
make_saveable_from_iterator = _missing("make_saveable_from_iterator", "an iterator's position is not saved in "
                                       "checkpoints.")

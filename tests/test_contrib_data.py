"""tf.contrib.data names raygraph cannot run (not recordable: TF 2.21 runs them): each raises NotImplementedError
naming itself."""
import pytest

import raygraph as tf


@pytest.mark.parametrize("name, args", [("LMDBDataset", (["data.mdb"],)), ("CheckpointInputPipelineHook", (None,)),
                                        ("make_saveable_from_iterator", (None,))])
def test_unsupported_names_raise_naming_themselves(name, args):
    with pytest.raises(NotImplementedError, match=name):
        getattr(tf.contrib.data, name)(*args)

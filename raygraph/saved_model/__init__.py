"""`tf.saved_model` (TF1): SavedModel directories of graph, variables and signatures, for serving."""
from . import builder, constants, loader, signature_constants, signature_def_utils, tag_constants, utils  # noqa: F401
from .builder import Builder, SavedModelBuilder, simple_save  # noqa: F401
from .loader import load, maybe_saved_model_directory  # noqa: F401
from .signature_def_utils import (build_signature_def, classification_signature_def, is_valid_signature,  # noqa: F401
                                  predict_signature_def, regression_signature_def)
from .utils import build_tensor_info, get_tensor_from_tensor_info  # noqa: F401

"""`tf.saved_model` (TF1): SavedModel directories of graph, variables and signatures, for serving."""
from . import builder, constants, loader, main_op, signature_constants, signature_def_utils, tag_constants, utils  # noqa: F401,E501
from .builder import Builder, SavedModelBuilder, simple_save  # noqa: F401
from .loader import load, maybe_saved_model_directory  # noqa: F401
from .signature_def_utils import (build_signature_def, classification_signature_def, is_valid_signature,  # noqa: F401
                                  predict_signature_def, regression_signature_def)
from .utils import build_tensor_info, get_tensor_from_tensor_info  # noqa: F401
from .constants import (ASSETS_DIRECTORY, ASSETS_KEY, DEBUG_DIRECTORY, DEBUG_INFO_FILENAME_PB,  # noqa: F401
                        LEGACY_INIT_OP_KEY, MAIN_OP_KEY,
                        SAVED_MODEL_FILENAME_PB, SAVED_MODEL_FILENAME_PBTXT, SAVED_MODEL_SCHEMA_VERSION,
                        VARIABLES_DIRECTORY, VARIABLES_FILENAME)
from .main_op import main_op_with_restore  # noqa: F401
from .signature_constants import (CLASSIFY_INPUTS, CLASSIFY_METHOD_NAME, CLASSIFY_OUTPUT_CLASSES,  # noqa: F401
                                  CLASSIFY_OUTPUT_SCORES, DEFAULT_SERVING_SIGNATURE_DEF_KEY, PREDICT_INPUTS,
                                  PREDICT_METHOD_NAME, PREDICT_OUTPUTS, REGRESS_INPUTS, REGRESS_METHOD_NAME,
                                  REGRESS_OUTPUTS)
from .tag_constants import GPU, SERVING, TPU, TRAINING  # noqa: F401

contains_saved_model = maybe_saved_model_directory

"""TF's LinearOperator family (tf.linalg.LinearOperator*): matrices known by their structure."""
from .base import LinearOperator, LinearOperatorAdjoint, LinearOperatorInversion  # noqa: F401
from .dense import LinearOperatorFullMatrix, LinearOperatorLowerTriangular  # noqa: F401
from .diagonal import (LinearOperatorDiag, LinearOperatorIdentity, LinearOperatorScaledIdentity,  # noqa: F401
                       LinearOperatorZeros)
from .composite import (LinearOperatorBlockDiag, LinearOperatorBlockLowerTriangular,  # noqa: F401
                        LinearOperatorComposition, LinearOperatorKronecker, LinearOperatorLowRankUpdate)
from .circulant import (LinearOperatorCirculant, LinearOperatorCirculant2D,  # noqa: F401
                        LinearOperatorCirculant3D)
from .structured import (LinearOperatorHouseholder, LinearOperatorPermutation, LinearOperatorToeplitz,  # noqa: F401
                         LinearOperatorTridiag)

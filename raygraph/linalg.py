"""TF1's `tf.linalg` namespace."""
from .ops.clip import global_norm  # noqa: F401
from .ops.linalg import matmul, tensordot  # noqa: F401
from .ops.array import transpose  # noqa: F401
from .ops.matrix import (adjoint, cholesky, cholesky_solve, eye, logdet, matrix_band_part as band_part,  # noqa: F401
                         matrix_determinant as det, matrix_diag as diag, matrix_diag_part as diag_part,
                         matrix_inverse as inv, matrix_set_diag as set_diag, matrix_solve as solve, matrix_transpose,
                         matrix_triangular_solve as triangular_solve, self_adjoint_eig as eigh,
                         self_adjoint_eigvals as eigvalsh, slogdet, trace)
from .ops.decompositions import (lu, lu_matrix_inverse, lu_reconstruct, lu_solve, matrix_rank, pinv, qr,  # noqa: F401
                                 svd)
from .ops.products import cross, einsum, matvec, norm, normalize, tensor_diag, tensor_diag_part  # noqa: F401
from .ops.nn import l2_normalize  # noqa: F401
from .ops.matrix_functions import (matrix_exponential as expm, matrix_logarithm as logm,  # noqa: F401
                                   matrix_square_root as sqrtm)
from .ops.tridiagonal import eigh_tridiagonal, tridiagonal_matmul, tridiagonal_solve  # noqa: F401
from .ops.least_squares import matrix_solve_ls as lstsq  # noqa: F401
from .linear_operator import (LinearOperator, LinearOperatorAdjoint, LinearOperatorBlockDiag,  # noqa: F401
                              LinearOperatorBlockLowerTriangular, LinearOperatorCirculant, LinearOperatorCirculant2D,
                              LinearOperatorCirculant3D, LinearOperatorComposition, LinearOperatorDiag,
                              LinearOperatorFullMatrix, LinearOperatorHouseholder, LinearOperatorIdentity,
                              LinearOperatorInversion, LinearOperatorKronecker, LinearOperatorLowerTriangular,
                              LinearOperatorLowRankUpdate, LinearOperatorPermutation, LinearOperatorScaledIdentity,
                              LinearOperatorToeplitz, LinearOperatorTridiag, LinearOperatorZeros)

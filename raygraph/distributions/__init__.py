"""`tf.distributions` (TF1's `tf.compat.v1.distributions`): probability distributions built from graph ops, as
tensorflow/python/ops/distributions builds them (same name scopes, shapes and seeded samples)."""
from .bernoulli import Bernoulli  # noqa: F401
from .beta import Beta  # noqa: F401
from .categorical import Categorical  # noqa: F401
from .dirichlet import Dirichlet  # noqa: F401
from .dirichlet_multinomial import DirichletMultinomial  # noqa: F401
from .distribution import FULLY_REPARAMETERIZED, NOT_REPARAMETERIZED, Distribution, ReparameterizationType  # noqa: F401
from .exponential import Exponential  # noqa: F401
from .gamma import Gamma  # noqa: F401
from .kullback_leibler import RegisterKL, kl_divergence  # noqa: F401
from .laplace import Laplace  # noqa: F401
from .multinomial import Multinomial  # noqa: F401
from .normal import Normal  # noqa: F401
from .student_t import StudentT  # noqa: F401
from .uniform import Uniform  # noqa: F401

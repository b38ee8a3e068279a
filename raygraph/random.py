"""TF1's `tf.random` namespace: Philox streams bit-identical to TF's (stateful, stateless and Generator),
candidate samplers, and the seeds' rules."""
from .image_core import random_crop  # noqa: F401
from .ops.candidate_sampling import (all_candidate_sampler, fixed_unigram_candidate_sampler,  # noqa: F401
                                     learned_unigram_candidate_sampler, log_uniform_candidate_sampler,
                                     uniform_candidate_sampler)
from .ops.random import (categorical, get_seed, multinomial, random_gamma as gamma,  # noqa: F401
                         random_normal as normal, random_poisson as poisson, random_shuffle as shuffle,
                         random_uniform as uniform, set_random_seed, truncated_normal)
from .ops.stateless_random import (fold_in, split, stateless_categorical, stateless_multinomial,  # noqa: F401
                                   stateless_parameterized_truncated_normal, stateless_random_binomial as
                                   stateless_binomial, stateless_random_gamma as stateless_gamma,
                                   stateless_random_normal as stateless_normal, stateless_random_poisson as
                                   stateless_poisson, stateless_random_uniform as stateless_uniform,
                                   stateless_truncated_normal)
from .random_generator import (Algorithm, Generator, create_rng_state, get_global_generator,  # noqa: F401
                               set_global_generator)

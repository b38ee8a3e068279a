"""TF's samplers over a Philox stream, bit for bit: multinomial, gamma, Poisson and binomial draws (the kernels
of `Multinomial`, `RandomGamma`, `RandomPoissonV2` and their stateless forms), and the stateless ops' key.

Every sampler takes a Philox (key, start counter) as philox.py does. Gamma, Poisson and binomial give each
output its own stretch of the stream (output i starts at block start + 256 * i; 42 * i for the binomial's
inversion) and read it a block at a time, each block's values taken last first (TF's UNIFORM macro); multinomial reads one continuous stream
of uint32 pairs, two per draw (TF's SimplePhilox::RandDouble).
"""
import math

import numpy as np

from . import philox

_STRETCH = 256  # blocks each gamma / Poisson output may use (TF's kReservedSamplesPerOutput)
_KEY_SCRAMBLE = 0x02461E29_3EC8F720  # TF's GenerateKey: the key that mixes a stateless op's seed


def stateless_key_counter(seed):
    """TF's GenerateKey: a stateless op's (key, start counter) from its two-element seed."""
    s0, s1 = (int(v) % 2 ** 64 for v in np.asarray(seed).reshape(-1)[:2])
    mix = philox.blocks(_KEY_SCRAMBLE, s0 | (s1 << 64), [0])[0].astype(np.uint64)
    key = int(mix[0]) | (int(mix[1]) << 32)
    return key, (int(mix[2]) << 64) | (int(mix[3]) << 96)


class _Stream:
    """Each output's own stretch of blocks, the first few fetched for all outputs at once."""

    def __init__(self, key, start, n, stretch=_STRETCH):
        self.key, self.start, self.stretch = key, start, stretch
        self.cache = self._fetch(np.arange(n), 0, 4)
        self.used = np.zeros(n, np.int64)

    def _fetch(self, outputs, first, count):
        offsets = (outputs[:, None].astype(np.uint64) * np.uint64(self.stretch) + np.uint64(first)
                   + np.arange(count, dtype=np.uint64)[None, :])
        return philox.blocks(self.key, self.start, offsets.reshape(-1)).reshape(len(outputs), count, 4)

    def pop(self, i, per_block, buffer):
        """The next value of one distribution's buffer for output i, refilled from its next block when
        empty; a block's values come out last first (TF's RandomSampleBuffer and UNIFORM)."""
        if not buffer:
            b = self.used[i]
            self.used[i] += 1
            block = self.cache[i, b] if b < self.cache.shape[1] else self._fetch(np.array([i]), b, 1)[0, 0]
            buffer.extend(per_block(block).tolist())
        return buffer.pop()


def _uniform_doubles(block):
    return philox.uint64_to_double(block[0::2], block[1::2])


def _normal_doubles(block):
    return np.array(philox.box_muller_double(*(block[i:i + 1] for i in range(4)))).reshape(-1)


# ----- multinomial -------------------------------------------------------------------------------------------
def multinomial(key, start, logits, num_samples, out_dtype):
    """TF's CPU Multinomial: per row an unnormalized CDF in doubles, one RandDouble per sample, upper_bound.
    (TF splits rows over threads only when batch * (50 * (samples * log2(classes) + classes)) reaches 20000
    per thread; below that, as here, all rows read one stream.)"""
    logits = np.asarray(logits)
    batch = logits.shape[0]
    out = np.zeros((batch, num_samples), out_dtype)
    if out.size == 0:
        return out
    n = batch * num_samples
    u = philox.blocks(key, start, np.arange((2 * n + 3) // 4)).reshape(-1)[:2 * n]
    draws = philox.uint64_to_double(u[0::2], u[1::2]).reshape(batch, num_samples)
    finite = np.isfinite(logits)
    top = np.where(finite, logits, -np.inf).max(axis=1, initial=-np.inf)
    top = np.where(np.isfinite(top), top, np.finfo(logits.dtype).min).astype(np.float64)
    cdf = np.cumsum(np.where(finite, np.exp(logits.astype(np.float64) - top[:, None]), 0.0), axis=1)
    for b in range(batch):
        out[b] = np.searchsorted(cdf[b], draws[b] * cdf[b, -1], side="right")
    return out


def multinomial_blocks(batch, num_samples):
    """The blocks a Multinomial run reserves (TF: 2 * ceil4(samples) per row, 256 each)."""
    return batch * ((num_samples + 3) // 4 * 4) * 2


# ----- gamma (Marsaglia and Tsang, in doubles) ----------------------------------------------------------------
def gamma(key, start, alpha, samples_per_alpha, dtype):
    """TF's RandomGamma: output i = alpha_idx * samples_per_alpha + sample_idx, written at
    [sample_idx, alpha_idx]; exponential draws for alpha == 1, else Marsaglia-Tsang with TF's squeeze."""
    alpha = np.asarray(alpha).reshape(-1)
    n = alpha.size * samples_per_alpha
    stream = _Stream(key, start, n)
    out = np.empty((samples_per_alpha, alpha.size), dtype)
    for i in range(n):
        out[i % samples_per_alpha, i // samples_per_alpha] = _gamma_one(float(alpha[i // samples_per_alpha]), i,
                                                                        stream)
    return out


def _gamma_one(a, i, stream):
    uniforms = []
    if a == 1.0:
        return -math.log1p(-stream.pop(i, _uniform_doubles, uniforms))
    small = a < 1.0
    d = a + (2.0 / 3 if small else -1.0 / 3)
    c = 1.0 / 3 / math.sqrt(d)
    normals = []
    while True:
        x = stream.pop(i, _normal_doubles, normals)
        v = 1 + c * x
        if v <= 0:
            continue
        v = v * v * v
        u = stream.pop(i, _uniform_doubles, uniforms)
        if u < 1 - 0.0331 * (x * x) * (x * x) or math.log(u) < 0.5 * x * x + d * (1 - v + math.log(v)):
            res = d * v
            if small:
                res *= math.pow(stream.pop(i, _uniform_doubles, uniforms), 1 / a)
            return res


# ----- Poisson (Knuth below rate 10, Hormann's transformed rejection above; in doubles) -----------------------
def poisson(key, start, rate, samples_per_rate, dtype):
    """TF's RandomPoisson(V2): output i = rate_idx * samples_per_rate + sample_idx, at [sample_idx, rate_idx]."""
    rate = np.asarray(rate).reshape(-1)
    n = rate.size * samples_per_rate
    stream = _Stream(key, start, n)
    out = np.empty((samples_per_rate, rate.size), dtype)
    for i in range(n):
        out[i % samples_per_rate, i // samples_per_rate] = _poisson_one(float(rate[i // samples_per_rate]), i,
                                                                        stream)
    return out


def _poisson_one(lam, i, stream):
    buffer = []
    if lam < 10:
        limit, prod, x = math.exp(-lam), 1.0, 0.0
        while True:
            prod *= stream.pop(i, _uniform_doubles, buffer)
            if prod <= limit:
                return x
            x += 1
    log_rate = math.log(lam)
    b = 0.931 + 2.53 * math.sqrt(lam)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    while True:
        u = stream.pop(i, _uniform_doubles, buffer) - 0.5
        v = stream.pop(i, _uniform_doubles, buffer)
        u_shifted = 0.5 - abs(u)
        k = math.floor((2 * a / u_shifted + b) * u + lam + 0.43)
        if u_shifted >= 0.07 and v <= 0.9277 - 3.6224 / (b - 2):
            return k
        if k < 0 or (u_shifted < 0.013 and v > u_shifted):
            continue
        s = math.log(v * inv_alpha / (a / (u_shifted * u_shifted) + b))
        t = -lam + k * log_rate - math.lgamma(k + 1)
        if s <= t:
            return k


# ----- the gamma sample's derivative in alpha (implicit reparameterization, RandomGammaGrad) ------------------
def _digamma(x):
    x = np.array(x, np.float64)
    shift = np.zeros_like(x)
    while np.any(x < 10):
        small = x < 10
        shift = shift - np.where(small, 1 / np.where(small, x, 1), 0)
        x = np.where(small, x + 1, x)
    r = 1 / (x * x)
    return shift + np.log(x) - 0.5 / x - r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r / 132))))


def gamma_sample_der_alpha(alpha, sample):
    """d sample / d alpha of a Gamma(alpha, 1) sample: -(dP/dalpha) / (dP/dx) of the regularized lower
    incomplete gamma P(alpha, x), P's series summed in float64 (TF: Eigen's gamma_sample_der_alpha)."""
    a, x = np.broadcast_arrays(np.asarray(alpha, np.float64), np.asarray(sample, np.float64))
    a, x = a.reshape(-1), np.maximum(x.reshape(-1), 1e-300)
    terms = int(np.max(x) + 12 * np.sqrt(np.max(x)) + 60) if x.size else 0
    k = np.arange(1, terms + 1, dtype=np.float64)[:, None]
    lg = np.array([math.lgamma(v + 1) for v in a])
    log_x = np.log(x)
    log_gamma = lg + np.concatenate([np.zeros((1, a.size)), np.cumsum(np.log(a + k), axis=0)])  # lgamma(a+n+1)
    psi = _digamma(a + 1) + np.concatenate([np.zeros((1, a.size)), np.cumsum(1 / (a + k), axis=0)])
    n = np.arange(terms + 1, dtype=np.float64)[:, None]
    term = np.exp((a + n) * log_x - x - log_gamma)
    d_alpha = np.sum(term * (log_x - psi), axis=0)
    d_x = np.exp(-x + (a - 1) * log_x - (lg - np.log(a)))
    return -d_alpha / d_x


# ----- binomial (inversion below count * p = 10, Hormann's BTRS above; in doubles) ------------------------------
_TAIL = [0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
         0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287]


def _stirling_tail(k):
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_inversion(n, p, i, stream):
    buffer, total, hits = [], 0.0, 0
    log_q = math.log1p(-p)
    while True:
        total += math.ceil(math.log(stream.pop(i, _uniform_doubles, buffer)) / log_q)
        if total > n:
            return hits
        hits += 1


def _btrs(n, p, i, stream):
    buffer = []
    stddev = math.sqrt(n * p * (1 - p))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    v_r = 0.92 - 4.2 / b
    r = p / (1 - p)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((n + 1) * p)
    while True:
        u = stream.pop(i, _uniform_doubles, buffer) - 0.5
        v = stream.pop(i, _uniform_doubles, buffer)
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + c)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or k > n:
            continue
        v = math.log(v * alpha / (a / (us * us) + b))
        bound = ((m + 0.5) * math.log((m + 1) / (r * (n - m + 1))) + (n + 1) * math.log((n - m + 1) / (n - k + 1))
                 + (k + 0.5) * math.log(r * (n - k + 1) / (k + 1)) + _stirling_tail(m) + _stirling_tail(n - m)
                 - _stirling_tail(k) - _stirling_tail(n - k))
        if v <= bound:
            return k


def binomial(key, start, counts, probs, samples_per_batch, dtype):
    """TF's RandomBinomial: output i = batch_idx * samples + sample_idx at [sample_idx, batch_idx]; inversion
    (42 blocks per output) when count * p < 10, else BTRS (256 blocks), on p or 1 - p, whichever is <= 0.5."""
    counts, probs = np.asarray(counts).reshape(-1), np.asarray(probs).reshape(-1)
    n_out = counts.size * samples_per_batch
    out = np.empty((samples_per_batch, counts.size), dtype)
    streams = {42: _Stream(key, start, n_out, 42), _STRETCH: _Stream(key, start, n_out)}
    for i in range(n_out):
        count, prob = counts[i // samples_per_batch], probs[i // samples_per_batch]
        n = float(count)
        if n <= 0 or prob <= 0:
            value = 0.0
        elif prob >= 1:
            value = n
        elif np.isnan(prob):
            value = np.nan
        else:
            flip = prob > 0.5
            q = prob.dtype.type(1) - prob if flip else prob
            big = count * q >= prob.dtype.type(10)
            k = (_btrs if big else _binomial_inversion)(n, float(q), i, streams[_STRETCH if big else 42])
            value = n - k if flip else k
        out[i % samples_per_batch, i // samples_per_batch] = value
    return out

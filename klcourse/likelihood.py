"""Likelihood, the empirical distribution, and likelihood-ratio tests.

Three facts tie the KL divergence to statistics, and this module computes each
of them.

* **Fitting.** For samples ``x_1..x_N`` with empirical distribution ``p_hat``
  and any model ``q``, ``(1/N) sum_i log q(x_i) = -H(p_hat) - D(p_hat || q)``.
  ``H(p_hat)`` does not depend on the model, so over any family of models the
  one of least ``D(p_hat || q)`` is the maximum-likelihood one.
* **Law of large numbers.** Under ``p``, the running mean of the log
  likelihood ratio ``log p(x_i)/q(x_i)`` converges to ``D(p || q)``
  (:func:`log_likelihood_ratio`).
* **Chernoff-Stein.** The most powerful test of ``p`` against ``q`` from ``n``
  samples, held at a fixed type-I error, has a type-II error ``beta_n`` with
  ``-(1/n) log beta_n -> D(p || q)`` (Cover & Thomas, Thm 11.8.3).
  :func:`lr_test_exact` computes ``beta_n`` exactly (through the distribution
  of the sample's *type*, its vector of counts) and :func:`lr_test_simulate`
  estimates it by Monte Carlo with importance sampling, which sees errors far
  too rare for plain simulation.

Conventions follow :mod:`klcourse.measures`: logarithms to base 2 (bits) by
default, ``base=np.e`` for nats; models are 1-D probability vectors that must
sum to 1 (nothing is renormalised). Samples are outcome *values*: by default
the integers ``0..k-1`` indexing the model's entries, or the entries of a
``support`` you pass.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaln, logsumexp, ndtri

from klcourse._validation import (
    _as_array,
    _check_size,
    _rng,
    _distribution_1d,
    _log_base,
)
from klcourse.measures import kl_divergence

__all__ = [
    "empirical_distribution",
    "log_likelihood",
    "log_likelihood_ratio",
    "LLR",
    "draw_samples",
    "ErrorCurve",
    "lr_test_exact",
    "lr_test_simulate",
    "stein_prediction",
    "llr_variance",
]


# ---------------------------------------------------------------- validation


def _pmf(pmf: ArrayLike, name: str, func: str) -> NDArray[np.float64]:
    """A validated 1-D probability vector."""
    return _distribution_1d(pmf, name, func,
                            must_be="a 1-D probability vector (one entry per outcome)")


def _pair(p: ArrayLike, q: ArrayLike, func: str) -> tuple[NDArray, NDArray]:
    pa, qa = _pmf(p, "p", func), _pmf(q, "q", func)
    if pa.shape != qa.shape:
        raise ValueError(f"{func}: p and q have {pa.size} and {qa.size} outcomes; two hypotheses "
                         "must describe the same outcomes in the same order")
    return pa, qa


def _positive_int(n: Any, name: str, func: str) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{func}: {name} must be a positive integer, got {n!r}")
    if n <= 0:
        raise ValueError(f"{func}: {name} must be a positive integer (at least 1), got {n}")
    return int(n)


def _sample_sizes(n: Any, func: str) -> NDArray[np.int64]:
    arr = np.atleast_1d(_as_array(n, "n", func, "sample sizes"))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{func}: n must be a positive integer or a 1-D list of them, got {n!r}")
    if arr.dtype.kind == "O" and all(isinstance(v, numbers.Integral) for v in arr):
        raise ValueError(f"{func}: sample sizes beyond 64-bit integers ({n!r}) are out of range")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{func}: n must hold integers (sample sizes), got {n!r}")
    if (arr <= 0).any():
        raise ValueError(f"{func}: sample sizes must be positive integers, got "
                         f"{int(arr[arr <= 0][0])} in n")
    return arr.astype(np.int64)


def _alpha(alpha: Any, func: str) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"{func}: alpha must be a number in (0, 1), got {alpha!r}")
    a = float(alpha)
    if not 0 < a < 1:
        raise ValueError(f"{func}: alpha (the type-I error) must lie strictly between 0 and 1, "
                         f"got {alpha!r}")
    return a


def _codes(samples: ArrayLike, support: ArrayLike | None, k: int | None,
           func: str) -> tuple[NDArray[np.int64], int]:
    """Map samples to indices 0..k-1 of the support; a clear error for anything else."""
    s = _as_array(samples, "samples", func, "observed outcomes")
    if s.dtype.kind == "b":
        raise TypeError(f"{func}: samples holds booleans; pass outcome indices or labels "
                        "(True is not an outcome index)")
    if s.ndim == 0:
        raise ValueError(f"{func}: samples must be a 1-D array of observed outcomes (or a 2-D "
                         "array, one row per trial), got a single value")
    if s.size == 0:
        raise ValueError(f"{func}: samples is empty; at least one observation is needed")
    if support is None:
        if k is None:
            raise TypeError(f"{func}: pass support=, the list of possible outcomes")
        if s.dtype.kind not in "iu":
            raise TypeError(
                f"{func}: samples must be integer outcome indices 0..{k - 1} (got dtype "
                f"{s.dtype}); for other outcome labels pass support=[...]")
        bad = (s < 0) | (s >= k)
        if bad.any():
            raise ValueError(
                f"{func}: sample value {_show(s[bad].ravel()[0])} is outside the support 0..{k - 1} "
                f"(the model has {k} outcomes); pass support= if your outcomes are labelled "
                "differently")
        return s.astype(np.int64, copy=False), k
    sup = _as_array(support, "support", func, "outcomes")
    if sup.ndim != 1 or sup.size == 0:
        raise ValueError(f"{func}: support must be a non-empty 1-D list of outcomes, got {support!r}")
    if sup.dtype.kind == "f" and np.isnan(sup).any():
        raise ValueError(f"{func}: support contains NaN, which equals nothing, not even itself; "
                         "no sample could ever match it")
    try:
        order = np.argsort(sup, kind="stable")
    except TypeError:
        raise TypeError(f"{func}: the outcomes in support cannot be ordered (mixed types such "
                        f"as {sup.tolist()!r}); use outcomes of one type") from None
    ssorted = sup[order]
    if (ssorted[1:] == ssorted[:-1]).any():
        dup = ssorted[1:][ssorted[1:] == ssorted[:-1]][0]
        raise ValueError(f"{func}: support lists the outcome {dup!r} more than once")
    if k is not None and sup.size != k:
        raise ValueError(f"{func}: support has {sup.size} outcomes but the model has {k} "
                         "probabilities; they must match one to one")
    try:
        pos = np.searchsorted(ssorted, s)
    except TypeError:
        raise TypeError(f"{func}: samples (dtype {s.dtype}) cannot be compared with the support "
                        f"(dtype {sup.dtype})") from None
    pos_c = np.minimum(pos, sup.size - 1)
    bad = ssorted[pos_c] != s
    if bad.any():
        raise ValueError(f"{func}: sample value {_show(s[bad].ravel()[0])} is not in the support "
                         f"{sup.tolist()!r}; every observation must be one of the listed outcomes")
    return order[pos_c].astype(np.int64), sup.size


def _show(v: Any) -> str:
    """repr of one array entry as the plain Python value."""
    return repr(v.item() if isinstance(v, np.generic) else v)


# ---------------------------------------------------------------- likelihood


def empirical_distribution(samples: ArrayLike, support: ArrayLike) -> NDArray[np.float64]:
    """The empirical distribution (the *type*) of a sample: the fraction of each outcome.

    Parameters
    ----------
    samples : array_like, 1-D
        Observed outcomes, each an entry of `support`.
    support : array_like, 1-D
        The possible outcomes, in the order the result should use.

    Returns
    -------
    ndarray of float64
        ``p_hat[j] = #{i : samples[i] == support[j]} / N``; sums to 1.

    Raises
    ------
    ValueError
        Empty samples, a sample outside `support`, repeated support entries.

    Examples
    --------
    >>> from klcourse.likelihood import empirical_distribution
    >>> empirical_distribution([1, 0, 1, 1], support=[0, 1])
    array([0.25, 0.75])
    >>> empirical_distribution(["b", "a", "b", "b"], support=["a", "b", "c"])
    array([0.25, 0.75, 0.  ])
    """
    func = "empirical_distribution"
    s = _as_array(samples, "samples", func, "observed outcomes")
    if s.ndim != 1:
        raise ValueError(f"{func}: samples must be 1-D (one sample), got shape {s.shape}")
    codes, k = _codes(s, support, None, func)
    return np.bincount(codes, minlength=k) / codes.size


def log_likelihood(samples: ArrayLike, model_pmf: ArrayLike, *, support: ArrayLike | None = None,
                   base: float = 2) -> float | NDArray[np.float64]:
    """Log-likelihood ``sum_i log q(x_i)`` of i.i.d. samples under a discrete model.

    Parameters
    ----------
    samples : array_like
        Observed outcomes along the last axis (a 2-D array holds one sample per
        row). Integers ``0..k-1`` indexing `model_pmf`, or entries of `support`.
    model_pmf : array_like, 1-D
        The model's probabilities ``q``, summing to 1.
    support : array_like, optional
        Outcome labels, one per entry of `model_pmf`.
    base : float, optional
        Logarithm base: 2 (bits, the default) or ``np.e`` (nats).

    Returns
    -------
    float or ndarray
        The total log-likelihood (``<= 0``; ``-inf`` if a sample has ``q = 0``);
        one per row for 2-D samples. Divide by the sample size for the average.

    Examples
    --------
    Three heads and one tail under a fair coin: four bits of surprise.

    >>> from klcourse.likelihood import log_likelihood
    >>> log_likelihood([1, 1, 0, 1], [0.5, 0.5])
    -4.0
    >>> round(log_likelihood(["H", "T"], [0.9, 0.1], support=["H", "T"], base=math.e), 4)
    -2.4079
    """
    func = "log_likelihood"
    lb = _log_base(base, func)
    q = _pmf(model_pmf, "model_pmf", func)
    codes, _ = _codes(samples, support, q.size, func)
    with np.errstate(divide="ignore"):
        logq = np.log(q) / lb
    out = logq[codes].sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


class LLR(NamedTuple):
    """Per-sample log likelihood ratios and their running mean (same shape)."""

    values: NDArray[np.float64]
    running_mean: NDArray[np.float64]


def log_likelihood_ratio(samples: ArrayLike, p: ArrayLike, q: ArrayLike, *,
                         support: ArrayLike | None = None, base: float = 2) -> LLR:
    """Per-sample log likelihood ratios ``log p(x_i)/q(x_i)`` and their running mean.

    Under ``p`` the running mean converges to ``D(p || q)`` (law of large
    numbers): the divergence is the expected log likelihood ratio.

    Parameters
    ----------
    samples : array_like
        Outcomes along the last axis; 2-D input holds one sequence per row.
    p, q : array_like, 1-D
        The two hypotheses, over the same outcomes.
    support : array_like, optional
        Outcome labels (default: indices ``0..k-1``).
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    LLR
        ``values`` (``+inf`` where ``q(x) = 0``, ``-inf`` where ``p(x) = 0``)
        and ``running_mean[..., m] = mean(values[..., :m+1])``.

    Raises
    ------
    ValueError
        A sample outside the support, or an outcome impossible under both
        hypotheses (its ratio would be 0/0).

    Examples
    --------
    >>> from klcourse.likelihood import log_likelihood_ratio
    >>> r = log_likelihood_ratio([0, 0, 1, 0], [0.5, 0.5], [0.25, 0.75])
    >>> [round(float(v), 4) for v in r.values]
    [1.0, 1.0, -0.585, 1.0]
    >>> [round(float(v), 4) for v in r.running_mean]
    [1.0, 1.0, 0.4717, 0.6038]
    """
    func = "log_likelihood_ratio"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    codes, _ = _codes(samples, support, pa.size, func)
    both_zero = (pa == 0) & (qa == 0)
    if both_zero[codes].any():
        j = int(codes[both_zero[codes]].ravel()[0])
        raise ValueError(f"{func}: a sample is outcome index {j}, which has probability 0 under "
                         "both p and q; it cannot have been observed under either hypothesis")
    with np.errstate(divide="ignore"):
        l_ = (np.log(pa) - np.log(qa)) / lb
    values = l_[codes]
    m = np.arange(1, values.shape[-1] + 1)
    return LLR(values, np.cumsum(values, axis=-1) / m)


def draw_samples(pmf: ArrayLike, n: int, *, trials: int | None = None,
                 seed: int | np.random.Generator | None = 0) -> NDArray[np.int64]:
    """Draw i.i.d. outcome indices from a discrete distribution (seeded).

    Parameters
    ----------
    pmf : array_like, 1-D
        Probabilities of outcomes ``0..k-1``.
    n : int
        Sample size (``>= 1``).
    trials : int, optional
        If given, draw that many independent samples, one per row.
    seed : int or numpy.random.Generator, optional
        Seed (0 by default, for reproducible notebooks) or a Generator.

    Returns
    -------
    ndarray of int64
        Shape ``(n,)``, or ``(trials, n)``.

    Examples
    --------
    >>> from klcourse.likelihood import draw_samples, empirical_distribution
    >>> x = draw_samples([0.2, 0.8], 10_000, seed=1)
    >>> x.shape, bool(abs(empirical_distribution(x, [0, 1])[1] - 0.8) < 0.02)
    ((10000,), True)
    """
    func = "draw_samples"
    pa = _pmf(pmf, "pmf", func)
    n = _positive_int(n, "n", func)
    shape: tuple[int, ...] = (n,)
    if trials is not None:
        shape = (_positive_int(trials, "trials", func), n)
    _check_size(math.prod(shape), func, f"{' x '.join(map(str, shape))} samples")
    rng = _rng(seed, func)
    # Inverse-CDF sampling: exact for probabilities that sum to 1 within tolerance.
    cdf = np.cumsum(pa)
    cdf /= cdf[-1]
    codes = np.searchsorted(cdf, rng.random(shape), side="right")
    return np.minimum(codes, pa.size - 1).astype(np.int64)


# ---------------------------------------------------------------- testing p against q


@dataclass(frozen=True)
class ErrorCurve:
    """Errors of the likelihood-ratio test of ``p`` (null) against ``q``, one entry per n.

    Attributes
    ----------
    n : ndarray of int
        Sample sizes.
    alpha : ndarray
        Type-I error achieved (rejecting ``p`` when it is true).
    log_beta : ndarray
        ``log(beta_n)`` in units of `base`, ``beta_n`` the type-II error
        (accepting ``p`` when ``q`` is true). Exact even where ``beta_n``
        itself underflows.
    stderr : ndarray
        Standard error of `log_beta` (0 for exact computations).
    base : float
        Logarithm base of `log_beta` and `exponent`.
    method : str
        ``"exact"`` or ``"importance sampling"``.
    naive_beta : ndarray or None
        Plain Monte Carlo estimate under ``q`` (fraction of acceptances), if asked.
    """

    n: NDArray[np.int64]
    alpha: NDArray[np.float64]
    log_beta: NDArray[np.float64]
    stderr: NDArray[np.float64]
    base: float
    method: str
    naive_beta: NDArray[np.float64] | None = None

    @property
    def beta(self) -> NDArray[np.float64]:
        """The type-II error itself (underflows to 0 below about 1e-308)."""
        return np.power(float(self.base), self.log_beta)

    @property
    def exponent(self) -> NDArray[np.float64]:
        """``-log(beta_n) / n``; tends to ``D(p || q)`` (Chernoff-Stein)."""
        return -self.log_beta / self.n


def _llr_nats(p: NDArray, q: NDArray) -> NDArray:
    """log p/q on the support of p (+inf where q = 0); outcomes with p = 0 get 0 (never seen)."""
    with np.errstate(divide="ignore"):
        return np.where(p > 0, np.log(np.where(p > 0, p, 1.0)) - np.log(q), 0.0)


def _compositions(n: int, k: int) -> NDArray[np.int64]:
    """Every vector of k non-negative integers summing to n (rows), built without a per-row loop."""
    rows = np.zeros((1, 0), dtype=np.int64)
    rem = np.array([n], dtype=np.int64)
    for _ in range(k - 1):
        reps = rem + 1
        idx = np.repeat(np.arange(rem.size), reps)
        vals = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        rows = np.column_stack([rows[idx], vals])
        rem = rem[idx] - vals
    return np.column_stack([rows, rem])


def _tie_tol(l_: NDArray, n: int) -> float:
    finite = np.abs(l_[np.isfinite(l_)])
    return 1e-9 * (1.0 + n * (finite.max() if finite.size else 0.0))


def _ties(t: NDArray, value: Any, tol: float) -> NDArray:
    """Where t equals value up to tol (equal infinities included)."""
    with np.errstate(invalid="ignore"):
        return (t == value) | (np.abs(t - value) <= tol)


def _exact_one(p: NDArray, q: NDArray, n: int, alpha: float, randomized: bool,
               max_types: int) -> tuple[float, float]:
    """(achieved alpha, log beta in nats) of the Neyman-Pearson test, by summing over types."""
    on = p > 0                           # types outside supp(p) have P_p = 0: always rejected,
    ps, qs = p[on], q[on]                # and contribute nothing to beta
    k = ps.size
    n_types = math.comb(n + k - 1, k - 1)
    if n_types > max_types:
        raise ValueError(
            f"lr_test_exact: n={n} with {k} outcomes has {n_types} types (count vectors), more "
            f"than max_types={max_types}; use lr_test_simulate (importance sampling) instead, "
            "or raise max_types")
    counts = _compositions(n, k)
    l_ = _llr_nats(ps, qs)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_multi = gammaln(n + 1) - gammaln(counts + 1).sum(axis=1)
        log_pp = log_multi + counts @ np.log(ps)
        logq = np.log(qs)
        log_pq = log_multi + np.where(counts > 0, counts * logq, 0.0).sum(axis=1)
        inf_type = (counts[:, qs == 0] > 0).any(axis=1)
        t = np.where(inf_type, np.inf, counts @ np.where(qs > 0, l_, 0.0))
    order = np.argsort(t, kind="stable")
    t, log_pp, log_pq = t[order], log_pp[order], log_pq[order]
    # Group (numerically) equal values of the statistic: they are one atom.
    tol = _tie_tol(l_, n)
    new = np.ones(t.size, dtype=bool)
    new[1:] = ~_ties(t[1:], t[:-1], tol)
    starts = np.flatnonzero(new)
    a = np.add.reduceat(np.exp(log_pp), starts)          # P_p of each atom
    log_b = np.logaddexp.reduceat(log_pq, starts)        # log P_q of each atom
    cum = np.cumsum(a)
    # Reject p on the atoms with the smallest statistic while the type-I error allows.
    j = int(np.searchsorted(cum, alpha * (1 + 1e-12), side="right"))  # first atom not wholly rejected
    below = cum[j - 1] if j > 0 else 0.0
    if j >= a.size:
        return float(below), -math.inf
    gamma = (alpha - below) / a[j] if randomized else 0.0
    gamma = min(max(gamma, 0.0), 1.0)
    terms = [log_b[j + 1:]]
    if gamma < 1:
        terms.append(np.array([math.log1p(-gamma) + log_b[j]]))
    log_beta = float(logsumexp(np.concatenate(terms))) if sum(x.size for x in terms) else -math.inf
    return float(below + gamma * a[j]), log_beta


def lr_test_exact(p: ArrayLike, q: ArrayLike, n: int | ArrayLike, *, alpha: float = 0.05,
                  randomized: bool = True, base: float = 2,
                  max_types: int = 3_000_000) -> ErrorCurve:
    """Exact type-II error of the most powerful test of ``p`` against ``q`` at type-I error `alpha`.

    The test (Neyman-Pearson) computes the log likelihood ratio
    ``T = sum_i log p(x_i)/q(x_i)`` and rejects ``p`` when ``T`` is small.
    ``T`` is a function of the sample's counts (its type), whose law is
    multinomial, so summing over all types gives both errors exactly, in log
    space. ``T`` is discrete: with ``randomized=True`` the test randomises on
    the boundary atom so the type-I error is exactly `alpha` (the Neyman-Pearson
    optimum); with ``False`` it rejects only whole atoms (type-I error
    ``<= alpha``, a slightly larger ``beta``).

    Parameters
    ----------
    p, q : array_like, 1-D
        Null and alternative hypotheses over the same outcomes.
    n : int or array_like of int
        Sample size(s), each ``>= 1``.
    alpha : float, optional
        Type-I error, in (0, 1).
    randomized : bool, optional
        Randomise on the boundary atom (default) or not.
    base : float, optional
        Base of the logarithms reported (2: bits).
    max_types : int, optional
        Refuse when there are more types than this (``C(n+k-1, k-1)``).

    Returns
    -------
    ErrorCurve

    Examples
    --------
    >>> from klcourse.likelihood import lr_test_exact
    >>> curve = lr_test_exact([0.5, 0.5], [0.8, 0.2], [10, 100, 1000], alpha=0.05)
    >>> [round(float(a), 6) for a in curve.alpha]
    [0.05, 0.05, 0.05]
    >>> [round(float(e), 3) for e in curve.exponent]   # bits per sample, -> D(p||q) = 0.322
    [0.15, 0.214, 0.277]
    """
    func = "lr_test_exact"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    ns = _sample_sizes(n, func)
    a = _alpha(alpha, func)
    res = [_exact_one(pa, qa, int(m), a, bool(randomized), int(max_types)) for m in ns]
    alphas = np.array([r[0] for r in res])
    log_beta = np.array([r[1] for r in res]) / lb
    return ErrorCurve(ns, alphas, log_beta, np.zeros(ns.size), float(base), "exact")


def lr_test_simulate(p: ArrayLike, q: ArrayLike, n: int | ArrayLike, *, alpha: float = 0.05,
                     trials: int = 20_000, seed: int | np.random.Generator | None = 0,
                     randomized: bool = True, naive: bool = False,
                     base: float = 2) -> ErrorCurve:
    """Monte Carlo estimate of the likelihood-ratio test's type-II error, with importance sampling.

    For each n: `trials` samples drawn under ``p`` (as multinomial counts, no
    loop over trials) fix the threshold of ``T = sum log p(x_i)/q(x_i)`` at the
    empirical `alpha`-quantile (randomising on a tied boundary if
    `randomized`). A second, independent batch under ``p`` then estimates

        beta_n = P_q(accept p) = E_p[ exp(-T) * accept ]      (T in nats),

    a change of measure: each sample under ``p`` stands for the samples under
    ``q`` with weight ``q(x)/p(x) = exp(-T)``. Unlike plain simulation under
    ``q``, which sees no error at all once ``beta_n < 1/trials``, this keeps
    its relative precision however small ``beta_n`` gets. The same batch gives
    the achieved type-I error.

    Parameters
    ----------
    p, q : array_like, 1-D
        Null and alternative hypotheses.
    n : int or array_like of int
        Sample size(s).
    alpha : float, optional
        Target type-I error.
    trials : int, optional
        Simulated samples per batch (>= 1/alpha, so the quantile exists).
    seed : int or Generator, optional
        Seed for reproducibility.
    randomized : bool, optional
        Randomise on the boundary atom.
    naive : bool, optional
        Also estimate ``beta_n`` the plain way, from a batch drawn under ``q``.
    base : float, optional
        Base of the logarithms reported.

    Returns
    -------
    ErrorCurve
        ``stderr`` is the standard error of ``log_beta`` (delta method).

    Examples
    --------
    >>> from klcourse.likelihood import lr_test_exact, lr_test_simulate
    >>> p, q = [0.5, 0.5], [0.8, 0.2]
    >>> sim = lr_test_simulate(p, q, 400, trials=20_000, seed=3)
    >>> exact = lr_test_exact(p, q, 400)
    >>> bool(abs(sim.log_beta[0] - exact.log_beta[0]) < 4 * sim.stderr[0] + 0.2)
    True
    """
    func = "lr_test_simulate"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    ns = _sample_sizes(n, func)
    a = _alpha(alpha, func)
    trials = _positive_int(trials, "trials", func)
    if trials * a < 1:
        raise ValueError(f"{func}: trials={trials} is too few for alpha={a:g}: at least "
                         f"{math.ceil(1 / a)} are needed for the alpha-quantile to exist")
    _check_size(trials * pa.size, func, f"{trials} trials of {pa.size} counts")
    rng = _rng(seed, func)
    l_ = _llr_nats(pa, qa)
    qzero = (qa == 0) & (pa > 0)

    def statistic(counts: NDArray) -> NDArray:
        t = counts @ np.where(qzero, 0.0, l_)
        if qzero.any():
            t = np.where((counts[:, qzero] > 0).any(axis=1), np.inf, t)
        return t

    alphas, log_betas, errs, naives = [], [], [], []
    for m in ns:
        m = int(m)
        tol = _tie_tol(l_, m)
        t1 = np.sort(statistic(rng.multinomial(m, pa, size=trials)))
        thr = t1[math.ceil(a * trials) - 1]
        below = np.mean(t1 < thr - tol)
        at = np.mean(_ties(t1, thr, tol))
        gamma = min(max((a - below) / at, 0.0), 1.0) if randomized else 0.0
        t2 = statistic(rng.multinomial(m, pa, size=trials))
        tie = _ties(t2, thr, tol)
        accept = np.where(t2 > thr + tol, 1.0, np.where(tie, 1.0 - gamma, 0.0))
        alphas.append(float(np.mean(1.0 - accept)))
        with np.errstate(divide="ignore", invalid="ignore"):
            logw = np.where(accept > 0, -t2 + np.log(np.where(accept > 0, accept, 1.0)), -np.inf)
        top = np.max(logw)
        if not np.isfinite(top):
            log_betas.append(-math.inf)
            errs.append(math.inf)
        else:
            w = np.exp(logw - top)
            mean_w = w.mean()
            log_betas.append((math.log(mean_w) + top) / lb)
            errs.append(float(w.std(ddof=1) / math.sqrt(trials) / mean_w / lb))
        if naive:
            tq = statistic(rng.multinomial(m, qa, size=trials))
            tie_q = _ties(tq, thr, tol)
            naives.append(float(np.mean(np.where(tq > thr + tol, 1.0,
                                                  np.where(tie_q, 1.0 - gamma, 0.0)))))
    return ErrorCurve(ns, np.array(alphas), np.array(log_betas), np.array(errs), float(base),
                      "importance sampling", np.array(naives) if naive else None)


def llr_variance(p: ArrayLike, q: ArrayLike, *, base: float = 2) -> float:
    """Variance under ``p`` of one log likelihood ratio ``log p(X)/q(X)`` (squared units of `base`).

    Parameters
    ----------
    p, q : array_like
        Distributions over the same outcomes (the data come from p).
    base : float, optional
        Logarithm base (2: bits).

    Returns
    -------
    float
        ``Var_p[log p(X)/q(X)]`` in squared units of `base`.

    Examples
    --------
    >>> from klcourse.likelihood import llr_variance
    >>> round(llr_variance([0.5, 0.5], [0.8, 0.2]), 4)
    1.0
    """
    func = "llr_variance"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    d = kl_divergence(pa, qa, base=math.e)
    if not math.isfinite(d):
        return math.inf
    l_ = _llr_nats(pa, qa)
    return float(np.sum(pa * (l_ - d) ** 2) / lb**2)


def stein_prediction(p: ArrayLike, q: ArrayLike, n: int | ArrayLike, *, alpha: float = 0.05,
                     base: float = 2, order: int = 2) -> NDArray[np.float64]:
    """Predicted ``log beta_n`` (units of `base`) of the test at type-I error `alpha`.

    * ``order=1`` (Chernoff-Stein): ``log beta_n ~ -n D(p||q)``, the slope.
    * ``order=2`` (normal approximation of the threshold):
      ``log beta_n ~ -n D + sqrt(n V) z``, with ``V`` the variance of one log
      likelihood ratio under ``p`` and ``z`` the upper `alpha`-quantile of the
      standard normal. This is why ``-log(beta_n)/n`` approaches ``D`` only
      like ``1/sqrt(n)``; the remaining error is ``O(log n)`` in ``log beta_n``.

    Parameters
    ----------
    p, q : array_like
        The two hypotheses (distributions over the same outcomes); the test
        accepts p while the data come from q with probability ``beta_n``.
    n : int or array_like of int
        Sample sizes.
    alpha : float, optional
        Type-I error of the test, in ``(0, 1)``.
    base : float, optional
        Logarithm base of the result (2: bits).
    order : {1, 2}, optional
        1 for Stein's slope alone, 2 with the ``sqrt(n)`` correction.

    Returns
    -------
    ndarray
        Predicted ``log beta_n`` for each n.

    Examples
    --------
    >>> from klcourse.likelihood import stein_prediction
    >>> stein_prediction([0.5, 0.5], [0.8, 0.2], [100], order=1).round(2)
    array([-32.19])
    >>> stein_prediction([0.5, 0.5], [0.8, 0.2], [100], order=2).round(2)
    array([-15.74])
    """
    func = "stein_prediction"
    _log_base(base, func)
    pa, qa = _pair(p, q, func)
    ns = _sample_sizes(n, func).astype(float)
    a = _alpha(alpha, func)
    if order not in (1, 2):
        raise ValueError(f"{func}: order must be 1 (Stein's slope) or 2 (with the sqrt(n) "
                         f"correction), got {order!r}")
    d = kl_divergence(pa, qa, base=base)
    if math.isinf(d):
        # D = inf (p puts mass where q has none): beta_n falls faster than any
        # exponential, and the limit of both predictions is log beta_n = -inf.
        return np.full(ns.shape, -math.inf)
    out = -ns * d
    if order == 2:
        out = out + np.sqrt(ns * llr_variance(pa, qa, base=base)) * float(-ndtri(a))
    return out

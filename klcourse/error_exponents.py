"""Exact error probabilities of likelihood-ratio tests at large n, and the Chernoff information.

Everything here rests on one identity, a *change of measure*. Write
``l(x) = ln p(x)/q(x)`` and ``T = l(x_1) + ... + l(x_n)`` for the log
likelihood ratio of a sample. For any ``0 <= lam <= 1`` let
``r(x) = p(x)^lam q(x)^(1-lam) / Z`` with ``Z = sum_x p(x)^lam q(x)^(1-lam)``.
Then, sample by sample,

    p^n(x^n) = Z^n r^n(x^n) exp((1 - lam) T),
    q^n(x^n) = Z^n r^n(x^n) exp(-lam T),

so every probability about ``T`` under ``p`` or ``q`` is an average over
``r``, and only the law of ``T`` under ``r`` is needed. When the log ratios
``l(x)`` lie on a lattice ``a + h m`` (integers ``m``; always true for a coin,
and for any pair whose log ratios are commensurate), ``T = n a + h S`` with
``S`` an integer sum whose law is the ``n``-fold convolution of one step's:
an FFT gives it exactly up to round-off, for ``n`` in the hundreds of
thousands, where summing over all count vectors is out of reach.

* :func:`np_test_errors`: the Neyman-Pearson test (``lam = 1``, ``r = p``):
  ``beta_n = E_p[exp(-T); accept p]``, the exponent of Chernoff-Stein.
* :func:`bayes_error`: the least average error with equal priors,
  ``P_e = (1/2) sum_{x^n} min(p^n, q^n)``, computed at the ``lam`` where ``T``
  is centred under ``r``.
* :func:`chernoff_information`: ``C = -min_lam log sum p^lam q^(1-lam)``
  ``= max_alpha (1 - alpha) D_alpha(p || q)``, the exponent of ``P_e``.

Logarithms are reported in `base` (2: bits by default).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import scipy.optimize
from numpy.typing import ArrayLike, NDArray

from klcourse._validation import _distribution_1d, _log_base
from klcourse.likelihood import ErrorCurve

__all__ = ["Lattice", "llr_lattice", "np_test_errors", "bayes_error", "Chernoff",
           "chernoff_information"]

_MAX_POINTS = 20_000_000     # largest lattice (FFT length) we agree to build


# ---------------------------------------------------------------- validation


def _pair(p: ArrayLike, q: ArrayLike, func: str) -> tuple[NDArray, NDArray]:
    must = "a 1-D probability vector (one entry per outcome)"
    pa, qa = _distribution_1d(p, "p", func, must_be=must), _distribution_1d(q, "q", func, must_be=must)
    if pa.shape != qa.shape:
        raise ValueError(f"{func}: p and q have {pa.size} and {qa.size} outcomes; two hypotheses "
                         "must describe the same outcomes in the same order")
    return pa, qa


def _sizes(n: int | ArrayLike, func: str) -> NDArray[np.int64]:
    arr = np.atleast_1d(np.asarray(n))
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu":
        raise TypeError(f"{func}: n must be a positive integer or a 1-D list of them, got {n!r}")
    if (arr <= 0).any():
        raise ValueError(f"{func}: sample sizes must be at least 1, got {int(arr.min())}")
    return arr.astype(np.int64)


def _alpha(alpha: float, func: str) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.floating)):
        raise TypeError(f"{func}: alpha must be a number in (0, 1), got {alpha!r}")
    if not 0 < float(alpha) < 1:
        raise ValueError(f"{func}: alpha (the type-I error) must lie strictly between 0 and 1, "
                         f"got {alpha!r}")
    return float(alpha)


# ---------------------------------------------------------------- the lattice


class Lattice(NamedTuple):
    """Log likelihood ratios on a lattice: ``ln p(x)/q(x) = offset + step * m[x]`` (nats).

    ``m`` holds one non-negative integer per outcome of ``keep`` (the
    outcomes the computation uses; the others carry no probability for it).
    """

    offset: float
    step: float
    m: NDArray[np.int64]
    keep: NDArray[np.bool_]


def llr_lattice(p: ArrayLike, q: ArrayLike, *, max_denominator: int = 1000) -> Lattice:
    """Write the log likelihood ratios of ``p`` and ``q`` as ``offset + step * integer`` (nats).

    Only outcomes where both ``p`` and ``q`` are positive are kept. The
    ratios of the differences ``l(x) - min l`` must be rationals with
    denominators at most `max_denominator` (checked to 1e-9).

    Parameters
    ----------
    p, q : array_like, 1-D
        Two distributions over the same outcomes.
    max_denominator : int, optional
        Largest denominator tried when recognising the ratios as rationals.

    Returns
    -------
    Lattice

    Raises
    ------
    ValueError
        The log ratios are not commensurate (no lattice), or the supports do
        not overlap.

    Examples
    --------
    >>> from klcourse.error_exponents import llr_lattice
    >>> lat = llr_lattice([0.5, 0.3, 0.2], [0.2, 0.3, 0.5])   # l = -ln 2.5, 0, ln 2.5
    >>> lat.m.tolist(), round(lat.step, 6), round(lat.offset, 6)
    ([2, 1, 0], 0.916291, -0.916291)
    """
    func = "llr_lattice"
    pa, qa = _pair(p, q, func)
    keep = (pa > 0) & (qa > 0)
    if not keep.any():
        raise ValueError(f"{func}: p and q have no outcome in common, so no sample is possible "
                         "under both; their tests make no errors at all")
    l_ = np.log(pa[keep]) - np.log(qa[keep])
    offset = float(l_.min())
    d = l_ - offset
    if not (d > 0).any():                                # p = q on the common support
        return Lattice(offset, 1.0, np.zeros(d.size, dtype=np.int64), keep)
    dmin = float(d[d > 0].min())
    fracs = [Fraction(float(v / dmin)).limit_denominator(max_denominator) for v in d]
    den = math.lcm(*(f.denominator for f in fracs))
    step = dmin / den
    m = np.rint(d / step).astype(np.int64)
    if np.max(np.abs(m * step - d)) > 1e-9 * (1.0 + float(d.max())):
        raise ValueError(
            f"{func}: the log likelihood ratios {np.round(l_, 6).tolist()} (nats) are not integer "
            f"multiples of one step (no ratio with denominator <= {max_denominator} fits), so the "
            "statistic is not on a lattice; use klcourse.likelihood.lr_test_exact (sum over "
            "count vectors, small n) or lr_test_simulate instead")
    return Lattice(offset, step, m, keep)


def _sum_pmf(r: NDArray, m: NDArray[np.int64], n: int,
             func: str) -> NDArray[np.float64]:
    """Law of S = m[X_1] + ... + m[X_n], X_i ~ r i.i.d., on 0..n*max(m), by FFT."""
    size = n * int(m.max()) + 1
    if size > _MAX_POINTS:
        raise ValueError(f"{func}: n = {n} needs a lattice of {size:,} points (more "
                         f"than {_MAX_POINTS:,}); the log ratios are too finely "
                         "commensurate for this n")
    if size == 1:
        return np.ones(1)
    one = np.zeros(size)             # the law of one step, padded to the sum's length
    np.add.at(one, m, r)
    # The law of a sum of n independent steps is the n-fold convolution of one
    # step's law; in Fourier space that is the n-th power.
    return np.fft.irfft(np.fft.rfft(one) ** n, size)


# ---------------------------------------------------------------- Neyman-Pearson


def np_test_errors(p: ArrayLike, q: ArrayLike, n: int | ArrayLike, *,
                   alpha: float = 0.05, randomized: bool = True,
                   base: float = 2) -> ErrorCurve:
    """Exact type-II error ``beta_n`` of the most powerful test at type-I error `alpha`, by FFT.

    The test rejects ``p`` for the smallest values of ``T = sum ln p/q``
    (randomising on the boundary value if `randomized`, so the type-I error is
    exactly `alpha`). With ``r = p`` in the change of measure,

        beta_n = P_q(accept p) = E_p[exp(-T) * accept(T)],

    and the law of ``T`` under ``p`` is a lattice convolution.

    Parameters
    ----------
    p, q : array_like, 1-D
        Null and alternative. ``q`` must be positive wherever ``p`` is
        (``D(p || q)`` finite), and the log ratios must lie on a lattice
        (:func:`llr_lattice`).
    n : int or array_like of int
        Sample sizes.
    alpha : float, optional
        Type-I error, in (0, 1).
    randomized : bool, optional
        Randomise on the boundary atom (the Neyman-Pearson optimum), or
        reject whole atoms only (type-I error at most `alpha`).
    base : float, optional
        Base of the reported logarithms (2: bits).

    Returns
    -------
    klcourse.likelihood.ErrorCurve
        ``method="exact"``, ``stderr`` zero; ``exponent = -log_beta / n``.

    Examples
    --------
    Agrees with the sum over count vectors of :func:`klcourse.likelihood.lr_test_exact`:

    >>> from klcourse.error_exponents import np_test_errors
    >>> from klcourse.likelihood import lr_test_exact
    >>> p, q = [0.5, 0.5], [0.2, 0.8]
    >>> fft = np_test_errors(p, q, [10, 100, 1000])
    >>> types = lr_test_exact(p, q, [10, 100, 1000])
    >>> bool(np.allclose(fft.log_beta, types.log_beta, rtol=1e-9))
    True
    """
    func = "np_test_errors"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    a = _alpha(alpha, func)
    ns = _sizes(n, func)
    if ((pa > 0) & (qa == 0)).any():
        raise ValueError(f"{func}: q is 0 where p is positive, so D(p || q) is "
                         "infinite and the statistic can be +inf; this lattice method "
                         "needs q > 0 on p's support")
    lat = llr_lattice(pa, qa)           # ln p/q = offset + step * m, m integers
    r = pa[lat.keep]                    # r = p; outcomes with p = 0 never occur under p
    alphas, log_betas = [], []
    for size in ns:
        size = int(size)
        pmf = _sum_pmf(r, lat.m, size, func)      # P_p(S = s): T = n offset + step s
        cum = np.cumsum(pmf)
        # Reject p on the smallest values of T while the type-I error allows,
        # and with probability gamma on the boundary value j.
        j = int(np.searchsorted(cum, a * (1 + 1e-12), side="right"))
        below = float(cum[j - 1]) if j > 0 else 0.0
        gamma = min(max((a - below) / pmf[j], 0.0), 1.0) if randomized else 0.0
        accept = np.ones(pmf.size - j)            # for s = j, j+1, ...
        accept[0] = 1.0 - gamma
        # beta = E_p[exp(-T); accept] = exp(-T_j) sum_s P_p(s) exp(-step (s-j)) accept
        t_j = size * lat.offset + lat.step * j    # T at the boundary, in nats
        weights = np.exp(-lat.step * np.arange(pmf.size - j))
        tail = float(np.sum(pmf[j:] * weights * accept))
        alphas.append(below + gamma * float(pmf[j]))
        log_betas.append((-t_j + math.log(tail)) / lb)
    return ErrorCurve(n=ns, alpha=np.array(alphas), log_beta=np.array(log_betas),
                      stderr=np.zeros(ns.size), base=float(base), method="exact")


# ---------------------------------------------------------------- Bayes and Chernoff


class Chernoff(NamedTuple):
    """The Chernoff information ``value`` (units of the base) and the minimising order ``lam``."""

    value: float
    lam: float


def _log_z(pa: NDArray, qa: NDArray, lam: float) -> float:
    """ln sum_x p^lam q^(1-lam), over outcomes where both are positive (the others give 0)."""
    both = (pa > 0) & (qa > 0)
    return float(np.log(np.sum(pa[both] ** lam * qa[both] ** (1.0 - lam))))


def chernoff_information(p: ArrayLike, q: ArrayLike, *, base: float = 2) -> Chernoff:
    """Chernoff information ``C(p, q) = -min_{0<=lam<=1} log sum_x p(x)^lam q(x)^(1-lam)``.

    Since ``(1 - lam) D_lam(p || q) = -log sum p^lam q^(1-lam)`` for the Rényi
    divergence of order ``lam``, ``C = max_lam (1 - lam) D_lam(p || q)``. It is
    symmetric in ``p`` and ``q`` (with ``lam -> 1 - lam``) and at most
    ``min(D(p||q), D(q||p))``. The minimisation is over a convex function of
    ``lam``.

    Parameters
    ----------
    p, q : array_like, 1-D
        Two distributions over the same outcomes.
    base : float, optional
        Unit of the result: 2 (bits, default) or ``np.e`` (nats).

    Returns
    -------
    Chernoff
        ``value`` (``inf`` for disjoint supports, where ``lam`` is NaN) and
        the minimiser ``lam``.

    Examples
    --------
    Two coins: ``C`` equals the largest ``(1 - alpha) D_alpha`` on a grid of
    orders, and lies below both Stein exponents.

    >>> from klcourse.error_exponents import chernoff_information
    >>> from klcourse.measures import kl_divergence, renyi_divergence
    >>> p, q = [0.5, 0.5], [0.2, 0.8]
    >>> c = chernoff_information(p, q)
    >>> grid = max((1 - a) * renyi_divergence(p, q, a) for a in np.linspace(0.01, 0.99, 99))
    >>> round(c.value, 4), round(float(grid), 4), round(c.lam, 3)
    (0.0761, 0.0761, 0.518)
    >>> bool(c.value < min(kl_divergence(p, q), kl_divergence(q, p)))
    True
    """
    func = "chernoff_information"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    if not ((pa > 0) & (qa > 0)).any():
        return Chernoff(math.inf, math.nan)
    res = scipy.optimize.minimize_scalar(lambda lam: _log_z(pa, qa, lam), bounds=(0.0, 1.0),
                                         method="bounded", options={"xatol": 1e-12})
    lam = float(res.x)
    # The ends lam = 0, 1 (where the minimum sits if a support is contained in the other).
    best = min((_log_z(pa, qa, x), x) for x in (lam, 0.0, 1.0))
    return Chernoff(-best[0] / lb, best[1])


def bayes_error(p: ArrayLike, q: ArrayLike, n: int | ArrayLike, *,
                base: float = 2) -> NDArray[np.float64]:
    """``log P_e``: the least average error of a test of ``p`` against ``q`` with equal priors.

    The Bayes test decides ``p`` when ``p^n(x^n) > q^n(x^n)``; its error is
    ``P_e = (1/2) sum_{x^n} min(p^n(x^n), q^n(x^n))``. With the change of
    measure at ``lam`` (the Chernoff minimiser, where ``T`` is centred under
    ``r``),

        P_e = (1/2) Z^n E_r[min(exp((1 - lam) T), exp(-lam T))],

    so ``-log(P_e)/n -> -ln Z = C(p, q)``, the Chernoff information.

    Parameters
    ----------
    p, q : array_like, 1-D
        Two distributions over the same outcomes, log ratios on a lattice
        (:func:`llr_lattice`).
    n : int or array_like of int
        Sample sizes.
    base : float, optional
        Base of the reported logarithm (2: bits).

    Returns
    -------
    ndarray
        ``log P_e`` for each n, in units of `base`.

    Examples
    --------
    One flip of a fair coin against a 0.2/0.8 coin: decide by the flip, so
    ``P_e = (1/2)(min(0.5, 0.2) + min(0.5, 0.8)) = 0.35``.

    >>> from klcourse.error_exponents import bayes_error
    >>> round(float(2 ** bayes_error([0.5, 0.5], [0.2, 0.8], 1)[0]), 6)
    0.35
    """
    func = "bayes_error"
    lb = _log_base(base, func)
    pa, qa = _pair(p, q, func)
    ns = _sizes(n, func)
    lat = llr_lattice(pa, qa)
    lam = chernoff_information(pa, qa, base=math.e).lam
    pk, qk = pa[lat.keep], qa[lat.keep]
    log_z = _log_z(pk, qk, lam)
    r = np.exp(lam * np.log(pk) + (1.0 - lam) * np.log(qk) - log_z)
    out = []
    for size in ns:
        size = int(size)
        pmf = _sum_pmf(r, lat.m, size, func)
        t = size * lat.offset + lat.step * np.arange(pmf.size)     # T in nats
        weight = np.exp(np.minimum((1.0 - lam) * t, -lam * t))      # <= 1
        out.append((-math.log(2.0) + size * log_z + math.log(float(np.sum(pmf * weight)))) / lb)
    return np.array(out)

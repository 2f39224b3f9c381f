"""Monte Carlo: D(p || q) = E_p[log p(X) - log q(X)], from samples of p when both densities are known."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from klcourse.estimation import _checks

__all__ = ["MonteCarloKL", "kl_monte_carlo"]


class MonteCarloKL(NamedTuple):
    """A Monte Carlo estimate, its standard error and the number of samples (units of `base`)."""

    estimate: float
    stderr: float
    n: int


def kl_monte_carlo(logpdf_p: Callable, logpdf_q: Callable, samples_p: ArrayLike, *,
                   base: float = 2) -> MonteCarloKL:
    r"""Unbiased estimate of ``D(p || q)`` from samples of p and both log-densities.

    .. math::

        \hat D = \frac1n \sum_{i=1}^n \bigl(\log p(x_i) - \log q(x_i)\bigr), \qquad
        \mathrm{se} = \frac{s}{\sqrt n}

    with ``s`` the sample standard deviation of the terms.

    Parameters
    ----------
    logpdf_p, logpdf_q : callable
        Natural-log densities (or log-probabilities), called once on the whole
        sample array and returning one value per sample.
    samples_p : array_like, shape (n,) or (n, d)
        Samples of p (at least 2, for the standard error).
    base : float
        2 for bits (default), ``np.e`` for nats.

    Returns
    -------
    MonteCarloKL

    Examples
    --------
    >>> from scipy.stats import norm
    >>> x = np.random.default_rng(0).normal(0, 1, 100_000)
    >>> r = kl_monte_carlo(norm(0, 1).logpdf, norm(1, 1).logpdf, x, base=np.e)
    >>> abs(r.estimate - 0.5) < 3 * r.stderr      # closed form: (mu1 - mu2)^2 / 2
    True
    """
    func = "kl_monte_carlo"
    if not (callable(logpdf_p) and callable(logpdf_q)):
        raise TypeError(f"{func}: logpdf_p and logpdf_q must be functions returning log "
                        "densities, e.g. scipy.stats.norm(0, 1).logpdf")
    _checks.samples(samples_p, "samples_p", func)  # finite, numeric, not masked, non-empty
    arr = np.asarray(samples_p, dtype=float)
    log_base = _checks.log_base(base, func)
    if len(arr) < 2:
        raise ValueError(f"{func}: need at least 2 samples for a standard error, got {len(arr)}")
    terms = []
    for f, name in ((logpdf_p, "logpdf_p"), (logpdf_q, "logpdf_q")):
        v = np.asarray(f(arr), dtype=float)
        if v.shape != (len(arr),):
            raise ValueError(f"{func}: {name} returned shape {v.shape} for {len(arr)} samples; "
                             "it must return one log density per sample")
        if np.isnan(v).any() or np.isposinf(v).any():
            raise ValueError(f"{func}: {name} returned NaN or +inf at some samples")
        terms.append(v)
    lp, lq = terms
    if np.isneginf(lp).any():
        raise ValueError(f"{func}: logpdf_p is -inf at some samples, so they cannot come from p")
    d = (lp - lq) / log_base                    # -inf in lq gives +inf: D is infinite
    if np.isinf(d).any():
        return MonteCarloKL(float("inf"), float("nan"), len(d))
    return MonteCarloKL(float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d))), len(d))

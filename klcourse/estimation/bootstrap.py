"""Confidence intervals for any estimate of D(p || q), seeded: the bootstrap, or subsampling.

The bootstrap (scipy.stats.bootstrap, percentile method) resamples *with*
replacement, so a resample repeats observations. For the plug-in and Monte
Carlo estimates that is harmless; for the k-NN estimate it is not: repeated
points are distance 0 apart, the very thing its nearest-neighbour distances
measure. For it use ``resample="subsample"``: half of each sample drawn
*without* replacement (subsampling, after Politis and Romano). Drawn without
replacement, a half-sample estimate differs from the full one by
``Var(θ_b - θ_n) ≈ σ² (1/b - 1/n)``, which for ``b = n/2`` is already the full
estimate's variance ``σ²/n``: the spread is used as it is (in general scaled by
``sqrt(b / (n - b))``), assuming the usual ``1/sqrt(n)`` rate.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

__all__ = ["BootstrapCI", "bootstrap_ci", "subsample_interval", "subsample_plan"]


class BootstrapCI(NamedTuple):
    """An estimate on the data, and a percentile bootstrap interval at `level`."""

    estimate: float
    low: float
    high: float
    level: float
    n_resamples: int


def bootstrap_ci(statistic: Callable[..., float], *samples: ArrayLike, n_resamples: int = 1000,
                 level: float = 0.95, seed: int = 0,
                 resample: str = "bootstrap") -> BootstrapCI:
    """Percentile bootstrap interval of ``statistic(*samples)``, each sample resampled on its own.

    Each sample (rows of an ``(n, d)`` array, or entries of a 1-D one) is drawn
    with replacement, independently of the others, and the statistic
    recomputed; the interval is the middle `level` of those values. The
    resampling is scipy's (``scipy.stats.bootstrap``, percentile method) on the
    samples' row indices, so multi-dimensional samples stay whole.

    Parameters
    ----------
    statistic : callable
        ``statistic(*samples) -> float``, e.g. ``lambda x, y: kl_knn(x, y, k=3)``.
    *samples : array_like
        The data, one array per sample.
    n_resamples : int
    level : float
        Confidence level in (0, 1).
    seed : int
        Seed, so the interval is reproducible.
    resample : {"bootstrap", "subsample"}
        With replacement (percentile bootstrap), or half of each sample
        without replacement (subsampling; use it for the k-NN estimate).

    Returns
    -------
    BootstrapCI

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(0, 1, 500)
    >>> ci = bootstrap_ci(lambda a: float(np.mean(a)), x, n_resamples=500)
    >>> bool(ci.low < ci.estimate < ci.high)
    True
    """
    if not callable(statistic):
        raise TypeError("bootstrap_ci: statistic must be a function of the samples")
    if not samples:
        raise ValueError("bootstrap_ci: pass at least one sample")
    if not 0 < level < 1:
        raise ValueError(f"bootstrap_ci: level must be between 0 and 1, got {level!r}")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) \
            or not 2 <= n_resamples <= 1_000_000:
        raise ValueError(f"bootstrap_ci: n_resamples must be a whole number from 2 to 10**6, "
                         f"got {n_resamples!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"bootstrap_ci: seed must be a whole number >= 0, got {seed!r}")
    if any(isinstance(s_, np.ma.MaskedArray) for s_ in samples):
        raise TypeError("bootstrap_ci: a sample is a masked array; pass only the observations "
                        "to use, as a plain array")
    if resample not in ("bootstrap", "subsample"):
        raise ValueError(f"bootstrap_ci: resample must be 'bootstrap' or 'subsample', got {resample!r}")
    arrays = [np.asarray(s) for s in samples]
    for i, a in enumerate(arrays):
        if a.ndim == 0 or len(a) < 2:
            raise ValueError(f"bootstrap_ci: sample {i} needs at least 2 observations")
    if resample == "subsample":
        return _subsample_ci(statistic, arrays, int(n_resamples), float(level), seed)
    indices = tuple(np.arange(len(a)) for a in arrays)

    def on_indices(*idx):
        return statistic(*(a[np.asarray(j, dtype=int)] for a, j in zip(arrays, idx)))

    seed_arg = ("rng" if "rng" in inspect.signature(stats.bootstrap).parameters
                else "random_state")
    res = stats.bootstrap(indices, on_indices, n_resamples=int(n_resamples), vectorized=False,
                          paired=False, confidence_level=level, method="percentile",
                          **{seed_arg: np.random.default_rng(seed)})
    _all_finite(res.bootstrap_distribution, int(n_resamples))
    return BootstrapCI(float(statistic(*arrays)), float(res.confidence_interval.low),
                       float(res.confidence_interval.high), float(level), int(n_resamples))


def _all_finite(values: np.ndarray, n: int) -> None:
    bad = int((~np.isfinite(values)).sum())
    if bad:
        raise ValueError(f"bootstrap_ci: the statistic was infinite or NaN on {bad} of {n} "
                         "resamples (e.g. an empty cell); smooth it (a pseudocount) or use more "
                         "data")


def subsample_plan(sizes: tuple[int, ...], n_resamples: int, seed: int
                   ) -> list[tuple[np.ndarray, ...]]:
    """Row indices of the half-samples of ``bootstrap_ci(..., resample="subsample")``.

    Resample ``r`` takes ``n // 2`` distinct rows of each sample of size ``n``,
    drawn in this order from ``numpy.random.default_rng(seed)``; a statistic
    evaluated on them gives the values :func:`subsample_interval` turns into
    the interval (what :func:`bootstrap_ci` does), so a caller that evaluates
    many statistics on the same half-samples draws them once.

    Parameters
    ----------
    sizes : tuple of int
        Observations in each sample (at least 4 each).
    n_resamples : int
        How many half-samples of every sample.
    seed : int
        Seed of the draws, as passed to :func:`bootstrap_ci`.

    Returns
    -------
    list of tuple of ndarray
        One tuple per resample, one index array per sample.

    Examples
    --------
    >>> plan = subsample_plan((10, 6), n_resamples=3, seed=0)
    >>> len(plan), [len(i) for i in plan[0]], len(set(plan[0][0]))
    (3, [5, 3], 5)
    """
    sizes = tuple(int(n) for n in sizes)
    if not sizes or min(sizes) < 4:
        raise ValueError("bootstrap_ci: subsampling needs at least 4 observations per "
                         "sample")
    rng = np.random.default_rng(seed)
    return [tuple(rng.choice(n, n // 2, replace=False) for n in sizes)
            for _ in range(n_resamples)]


def subsample_interval(estimate: float, values: ArrayLike, level: float,
                       sizes: tuple[int, ...]) -> BootstrapCI:
    """The subsampling interval around `estimate`, from the statistic on half-samples.

    The values' deviations from their mean, scaled by ``sqrt(f / (1 - f))`` (1
    for halves; ``f`` the smallest share ``(n // 2) / n`` of a sample), are the
    spread a full-size estimate would have; their middle `level` is added to
    `estimate`.

    Parameters
    ----------
    estimate : float
        The statistic on the full samples.
    values : array_like, 1-D
        The statistic on each half-sample of :func:`subsample_plan`.
    level : float
        Confidence level in (0, 1).
    sizes : tuple of int
        Observations in each full sample.

    Returns
    -------
    BootstrapCI

    Examples
    --------
    >>> ci = subsample_interval(1.0, [0.9, 1.0, 1.1], level=0.5, sizes=(8, 8))
    >>> round(ci.low, 6), ci.estimate, round(ci.high, 6)
    (0.95, 1.0, 1.05)
    """
    dev = np.asarray(values, dtype=float)
    if dev.ndim != 1 or dev.size < 2:
        raise ValueError("subsample_interval: pass the statistic on at least 2 "
                         "half-samples, as a 1-D array")
    if not 0 < level < 1:
        raise ValueError(f"subsample_interval: level must be between 0 and 1, got "
                         f"{level!r}")
    _all_finite(dev, dev.size)
    f = min((n // 2) / n for n in sizes)
    scale = np.sqrt(f / (1 - f))       # Var(θ_b - θ_n) ≈ Var(θ_n) (1 - f) / f
    dev = (dev - dev.mean()) * scale     # the spread a full-size estimate would have
    lo, hi = np.quantile(dev, [(1 - level) / 2, (1 + level) / 2])
    return BootstrapCI(estimate, estimate + float(lo), estimate + float(hi), level,
                       dev.size)


def _subsample_ci(statistic: Callable[..., float], arrays: list[np.ndarray], n_resamples: int,
                  level: float, seed: int) -> BootstrapCI:
    """Half-samples without replacement; their spread scaled by sqrt(b / (n - b)) (1 for halves)."""
    sizes = tuple(len(a) for a in arrays)
    if min(sizes) < 4:
        raise ValueError("bootstrap_ci: subsampling needs at least 4 observations per sample")
    full = float(statistic(*arrays))
    dev = np.array([statistic(*(a[i] for a, i in zip(arrays, idx)))
                    for idx in subsample_plan(sizes, n_resamples, seed)], dtype=float)
    return subsample_interval(full, dev, level, sizes)

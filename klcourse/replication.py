"""How far a Monte Carlo estimate moves between independent runs: an error bar that counts everything.

A standard error printed by one simulation covers only the sources of noise
its formula knows about. :func:`klcourse.likelihood.lr_test_simulate`, for
instance, reports the spread of the importance weights, but it also estimates
the test's *threshold* from a finite batch, and that error is not in the
formula. The honest check is to repeat the whole procedure with independent
seeds and look at the spread of the results: it contains every source of
error, known or not.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.likelihood import ErrorCurve, lr_test_simulate

__all__ = ["Replicates", "replicate_lr_simulation", "covers"]


class Replicates(NamedTuple):
    """Independent runs of one simulation: ``log_beta[i, j]`` is run i at sample size ``n[j]``.

    ``reported[i, j]`` is the standard error run i printed for itself.
    """

    n: NDArray[np.int64]
    log_beta: NDArray[np.float64]
    reported: NDArray[np.float64]
    alpha: NDArray[np.float64]
    base: float

    @property
    def spread(self) -> NDArray[np.float64]:
        """Standard deviation of one run's ``log_beta`` across the runs: its honest standard error."""
        return self.log_beta.std(axis=0, ddof=1)

    def run(self, i: int = 0) -> ErrorCurve:
        """Run `i` as an :class:`~klcourse.likelihood.ErrorCurve` whose ``stderr`` is the spread."""
        return ErrorCurve(n=self.n, alpha=self.alpha[i], log_beta=self.log_beta[i],
                          stderr=self.spread, base=self.base, method="importance sampling")


def replicate_lr_simulation(p: ArrayLike, q: ArrayLike, n: int | ArrayLike, *,
                            alpha: float = 0.05, trials: int = 20_000, runs: int = 16,
                            seed: int = 0, base: float = 2) -> Replicates:
    """Repeat :func:`~klcourse.likelihood.lr_test_simulate` with `runs` independent seeds.

    Parameters
    ----------
    p, q : array_like, 1-D
        Null and alternative hypotheses.
    n : int or array_like of int
        Sample sizes.
    alpha : float, optional
        Type-I error of the test.
    trials : int, optional
        Simulated samples per batch in each run.
    runs : int, optional
        Number of independent runs (at least 2, for a spread).
    seed : int, optional
        Seed of the :class:`numpy.random.SeedSequence` the runs' seeds are spawned from.
    base : float, optional
        Base of the logarithms.

    Returns
    -------
    Replicates

    Examples
    --------
    >>> from klcourse.replication import replicate_lr_simulation
    >>> rep = replicate_lr_simulation([0.5, 0.5], [0.2, 0.8], [50, 200], trials=2000, runs=5)
    >>> rep.log_beta.shape, rep.spread.shape
    ((5, 2), (2,))
    """
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 2:
        raise ValueError(f"replicate_lr_simulation: runs must be an integer of at least 2 (a "
                         f"spread needs two runs), got {runs!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"replicate_lr_simulation: seed must be an integer, got {seed!r}")
    children = np.random.SeedSequence(int(seed)).spawn(int(runs))
    curves = [lr_test_simulate(p, q, n, alpha=alpha, trials=trials, base=base,
                               seed=np.random.default_rng(child)) for child in children]
    log_beta = np.array([c.log_beta for c in curves])
    if not np.isfinite(log_beta).all():
        raise ValueError("replicate_lr_simulation: a run saw no accepted sample (log beta = "
                         f"-inf) at some n; use more trials than {trials}")
    return Replicates(curves[0].n, log_beta, np.array([c.stderr for c in curves]),
                      np.array([c.alpha for c in curves]), float(base))


def covers(estimate: ArrayLike, stderr: ArrayLike, truth: ArrayLike,
           k: float = 2.0) -> NDArray[np.bool_]:
    """Whether ``estimate ± k·stderr`` contains `truth`, elementwise.

    Parameters
    ----------
    estimate, stderr, truth : array_like
        Estimates, their standard errors and the true values, all of one shape.
    k : float, optional
        Half-width of the interval in standard errors (2 by default).

    Returns
    -------
    ndarray of bool

    Examples
    --------
    >>> from klcourse.replication import covers
    >>> covers([1.0, 1.0], [0.1, 0.6], [2.0, 2.0]).tolist()
    [False, True]
    """
    e, s, t = (np.asarray(x, dtype=float) for x in (estimate, stderr, truth))
    if not (e.shape == s.shape == t.shape):
        raise ValueError(f"covers: estimate, stderr and truth must have one shape, got "
                         f"{e.shape}, {s.shape}, {t.shape}")
    if math.isnan(k) or k <= 0:
        raise ValueError(f"covers: k must be positive, got {k!r}")
    return np.abs(e - t) <= k * s

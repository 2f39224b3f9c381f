"""Two unbiased estimators of ``d/dm E_{w~q}[f(w)]``, and why the VAE uses the second.

For a factorised Gaussian ``q = N(m, diag(s^2))`` and draws ``w = m + s * eps``,
``eps ~ N(0, I)``:

* **score function** (REINFORCE): ``f(w) * d/dm log q(w) = (f(w) - b) * (w - m) / s^2``;
  it needs only values of ``f``; any constant baseline ``b`` leaves it
  unbiased, because ``E_q[(w - m)] = 0``;
* **reparameterisation**: ``d/dm f(m + s * eps) = grad f(w)``; it needs the
  gradient of ``f`` and moves the randomness into ``eps``.

Both average to the same gradient; their variances differ, and the variance
decides how many draws a training step needs. :func:`compare_gradient_estimators`
measures both on the expected log-likelihood term of the ELBO of
:class:`~klcourse.generative.vi.LinearGaussianModel`, where the exact gradient
``X^T (y - X m) / noise_var`` is known.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.generative.vi import LinearGaussianModel

__all__ = ["score_function_estimates", "reparameterisation_estimates", "regression_loglik",
           "regression_loglik_grad", "EstimatorComparison", "compare_gradient_estimators"]

_LOG2PI = float(np.log(2 * np.pi))


def _mean_sd_eps(mean: ArrayLike, sd: ArrayLike, eps: ArrayLike, func: str
                 ) -> tuple[NDArray, NDArray, NDArray]:
    m = np.asarray(mean, dtype=float)
    s = np.asarray(sd, dtype=float)
    e = np.asarray(eps, dtype=float)
    if m.ndim != 1 or s.shape != m.shape:
        raise ValueError(f"{func}: mean and sd must be 1-D of the same length, got shapes "
                         f"{m.shape} and {s.shape}")
    if e.ndim != 2 or e.shape[1] != m.size:
        raise ValueError(f"{func}: eps must have shape (n_draws, {m.size}), got {e.shape}")
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(e)) and np.all(np.isfinite(s))):
        raise ValueError(f"{func}: mean, sd and eps must be finite")
    if np.any(s <= 0):
        raise ValueError(f"{func}: sd must be > 0 (standard deviations), got {s.tolist()}")
    return m, s, e


def score_function_estimates(f: Callable[[NDArray], NDArray], mean: ArrayLike, sd: ArrayLike,
                             eps: ArrayLike, *, baseline: float = 0.0) -> NDArray[np.float64]:
    """One score-function estimate of ``d/dm E_q[f]`` per draw: ``(f(w) - b) (w - m) / s^2``.

    Parameters
    ----------
    f : callable
        ``f(w)`` for an array of draws ``w`` of shape (n, k), returning shape (n,).
    mean, sd : array_like, shape (k,)
        The factorised Gaussian q.
    eps : array_like, shape (n, k)
        Standard normal draws; ``w = mean + sd * eps``.
    baseline : float, optional
        A constant ``b`` subtracted from ``f`` (unbiased for any constant).

    Returns
    -------
    ndarray, shape (n, k)
        One gradient estimate per draw; their mean estimates the gradient.

    Examples
    --------
    ``f(w) = w``: the gradient of ``E_q[w] = m`` is 1.

    >>> eps = np.random.default_rng(0).normal(size=(200_000, 1))
    >>> g = score_function_estimates(lambda w: w[:, 0], [3.0], [1.0], eps)
    >>> round(float(g.mean()), 1)
    1.0
    """
    m, s, e = _mean_sd_eps(mean, sd, eps, "score_function_estimates")
    w = m + s * e
    fw = np.asarray(f(w), dtype=float)
    if fw.shape != (len(w),):
        raise ValueError(f"score_function_estimates: f must return shape ({len(w)},), got {fw.shape}")
    return (fw - baseline)[:, None] * (w - m) / s**2


def reparameterisation_estimates(grad_f: Callable[[NDArray], NDArray], mean: ArrayLike,
                                 sd: ArrayLike, eps: ArrayLike) -> NDArray[np.float64]:
    """One reparameterisation estimate of ``d/dm E_q[f]`` per draw: ``grad f(m + s eps)``.

    Parameters
    ----------
    grad_f : callable
        Gradient of ``f``: draws of shape (n, k) in, gradients of shape (n, k) out.
    mean, sd : array_like, shape (k,)
        The factorised Gaussian q.
    eps : array_like, shape (n, k)
        Standard normal draws.

    Returns
    -------
    ndarray, shape (n, k)
        One gradient estimate per draw.

    Examples
    --------
    ``f(w) = w``: every draw gives exactly the gradient 1, with no variance.

    >>> eps = np.random.default_rng(0).normal(size=(5, 1))
    >>> reparameterisation_estimates(np.ones_like, [3.0], [1.0], eps).ravel().tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    m, s, e = _mean_sd_eps(mean, sd, eps, "reparameterisation_estimates")
    g = np.asarray(grad_f(m + s * e), dtype=float)
    if g.shape != e.shape:
        raise ValueError(f"reparameterisation_estimates: grad_f must return shape {e.shape}, "
                         f"got {g.shape}")
    return g


def regression_loglik(model: LinearGaussianModel, w: ArrayLike) -> NDArray[np.float64]:
    """``log p(y | w)`` in nats for each row of `w`: ``-n/2 log(2 pi s2) - |y - X w|^2 / (2 s2)``.

    Parameters
    ----------
    model : LinearGaussianModel
        The regression (``s2`` is its noise variance).
    w : array_like, shape (n_draws, k)
        Weight vectors.

    Returns
    -------
    ndarray, shape (n_draws,)

    Examples
    --------
    >>> from klcourse.generative.vi import make_regression
    >>> m = make_regression(n=10, seed=0)
    >>> regression_loglik(m, np.zeros((1, 2))).shape
    (1,)
    """
    resid = model.y[None, :] - np.asarray(w, dtype=float) @ model.X.T   # (n_draws, n)
    n = model.X.shape[0]
    s2 = model.noise_var
    return -0.5 * n * (_LOG2PI + np.log(s2)) - 0.5 * np.sum(resid**2, axis=1) / s2


def regression_loglik_grad(model: LinearGaussianModel, w: ArrayLike) -> NDArray[np.float64]:
    """Gradient of :func:`regression_loglik` in ``w``: ``X^T (y - X w) / s2`` per row.

    Parameters
    ----------
    model : LinearGaussianModel
        The regression.
    w : array_like, shape (n_draws, k)
        Weight vectors.

    Returns
    -------
    ndarray, shape (n_draws, k)

    Examples
    --------
    >>> from klcourse.generative.vi import make_regression
    >>> m = make_regression(n=10, seed=0)
    >>> w = np.array([[0.3, -0.2]])
    >>> h = 1e-6
    >>> fd = (regression_loglik(m, w + [h, 0]) - regression_loglik(m, w - [h, 0])) / (2 * h)
    >>> bool(np.isclose(fd[0], regression_loglik_grad(m, w)[0, 0]))
    True
    """
    resid = model.y[None, :] - np.asarray(w, dtype=float) @ model.X.T
    return resid @ model.X / model.noise_var


class EstimatorComparison(NamedTuple):
    """Both estimators on the same draws; gradients in nats per unit of each weight's mean."""

    exact: NDArray[np.float64]            #: ``X^T (y - X m) / noise_var``
    score_mean: NDArray[np.float64]       #: average of the score-function estimates
    score_var: NDArray[np.float64]        #: their variance per draw, each coordinate
    reparam_mean: NDArray[np.float64]     #: average of the reparameterisation estimates
    reparam_var: NDArray[np.float64]      #: their variance per draw
    n_draws: int


def compare_gradient_estimators(model: LinearGaussianModel, mean: ArrayLike, sd: ArrayLike, *,
                                n_draws: int = 100_000, baseline: float | None = None,
                                seed: int = 0) -> EstimatorComparison:
    """Measure both estimators of ``d/dm E_q[log p(y | w)]`` on the same `n_draws` draws.

    Parameters
    ----------
    model : LinearGaussianModel
        The regression; ``E_q[log p(y | w)]`` is the data term of its ELBO.
    mean, sd : array_like, shape (k,)
        The factorised Gaussian q.
    n_draws : int, optional
        Number of draws (shared by both estimators).
    baseline : float, optional
        Constant subtracted from ``f`` in the score-function estimator
        (default none, i.e. 0).
    seed : int, optional
        Seed of the draws.

    Returns
    -------
    EstimatorComparison

    Examples
    --------
    >>> from klcourse.generative.vi import make_regression
    >>> m = make_regression(seed=0)
    >>> c = compare_gradient_estimators(m, [0.0, 0.5], [0.5, 0.5], n_draws=20_000)
    >>> bool(np.all(c.score_var > 10 * c.reparam_var))
    True
    """
    if not isinstance(n_draws, (int, np.integer)) or n_draws < 2:
        raise ValueError(f"compare_gradient_estimators: n_draws must be an integer >= 2, got {n_draws!r}")
    m = np.asarray(mean, dtype=float)
    eps = np.random.default_rng(seed).normal(size=(int(n_draws), m.size))
    sf = score_function_estimates(lambda w: regression_loglik(model, w), m, sd, eps,
                                  baseline=0.0 if baseline is None else float(baseline))
    rp = reparameterisation_estimates(lambda w: regression_loglik_grad(model, w), m, sd, eps)
    exact = regression_loglik_grad(model, m[None, :])[0]
    return EstimatorComparison(exact, sf.mean(axis=0), sf.var(axis=0, ddof=1),
                               rp.mean(axis=0), rp.var(axis=0, ddof=1), int(n_draws))

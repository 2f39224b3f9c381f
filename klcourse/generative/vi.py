"""Variational inference: fitting an approximate posterior q by KL divergence.

Three ideas, each small enough to compute exactly:

1. **The ELBO identity.** For any q, ``log p(x) = ELBO(q) + D(q || p(. | x))``
   with ``ELBO(q) = E_q[log p(x, w)] - E_q[log q(w)]``. On a conjugate model
   (:class:`LinearGaussianModel`, Bayesian linear regression) all three terms
   have closed forms, so the identity can be checked to round-off.
2. **Factorised fits of a correlated posterior.** The best factorised Gaussian
   under the *reverse* divergence ``D(q || p)`` has variances
   ``1 / diag(precision)`` (:func:`reverse_kl_factorised`): narrower than the
   true marginals. Under the *forward* divergence ``D(p || q)`` it matches the
   marginal variances ``diag(cov)`` (:func:`forward_kl_factorised`).
   :func:`fit_factorised` reaches the reverse optimum by gradient ascent on the
   ELBO.
3. **A single Gaussian fitted to a bimodal target** (:class:`Mixture1D`,
   :func:`fit_gaussian`): forward KL covers both modes, reverse KL picks one.

All divergences here are in nats (``base=np.e``), the usual unit for
continuous densities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, linalg, optimize, stats

from klcourse.gaussian import kl_mvn
from klcourse.generative import _checks
from klcourse.measures import kl_divergence, normalize

__all__ = [
    "LinearGaussianModel", "make_regression", "VIHistory", "fit_factorised",
    "elbo_gradient", "reverse_kl_factorised", "forward_kl_factorised",
    "Mixture1D", "grid_kl", "fit_gaussian", "kl_landscape",
]

#: Largest share of a density's mass that a grid may leave out (see grid_kl).
MASS_TOLERANCE = _checks.MASS_TOLERANCE

_LOG2PI = float(np.log(2 * np.pi))


# ------------------------------------------------------------ conjugate model


@dataclass(frozen=True)
class LinearGaussianModel:
    """Bayesian linear regression: ``w ~ N(0, prior_var I)``, ``y | w ~ N(X w, noise_var I)``.

    The posterior of the weights ``w`` is Gaussian and, when the columns of
    ``X`` are correlated, so are its coordinates: the textbook case where a
    factorised q cannot be exact.

    Parameters
    ----------
    X : ndarray, shape (n, k)
        Design matrix.
    y : ndarray, shape (n,)
        Observations.
    prior_var, noise_var : float
        Prior variance of each weight and variance of the observation noise.

    Examples
    --------
    >>> import numpy as np
    >>> m = make_regression(n=20, rho=0.9, seed=0)
    >>> mean, cov = m.posterior()
    >>> q_mean, q_cov = mean + 0.1, np.diag(np.diag(cov))
    >>> gap = m.log_evidence() - m.elbo(q_mean, q_cov)
    >>> bool(abs(gap - m.kl_to_posterior(q_mean, q_cov)) < 1e-10)
    True
    """

    X: NDArray[np.float64]
    y: NDArray[np.float64]
    prior_var: float = 1.0
    noise_var: float = 1.0

    def __post_init__(self) -> None:
        func = "LinearGaussianModel"
        X = _checks.finite(self.X, "X (the design matrix, n x k)", func, ndim=2)
        y = _checks.finite(self.y, "y", func, ndim=1)
        if X.shape[0] < 1 or X.shape[1] < 1:
            raise ValueError(f"{func}: X needs at least one row and one column, got shape {X.shape}")
        if y.shape != (X.shape[0],):
            raise ValueError(f"{func}: y must have shape ({X.shape[0]},) to match X, got {y.shape}")
        for name in ("prior_var", "noise_var"):
            object.__setattr__(self, name, _checks.positive(getattr(self, name), name, func))
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)

    @property
    def dim(self) -> int:
        """Number of weights k."""
        return self.X.shape[1]

    def precision(self) -> NDArray[np.float64]:
        """Posterior precision ``X^T X / noise_var + I / prior_var``."""
        return self.X.T @ self.X / self.noise_var + np.eye(self.dim) / self.prior_var

    def posterior(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Exact posterior mean and covariance of the weights."""
        lam = self.precision()
        chol = linalg.cho_factor(lam, lower=True)
        mean = linalg.cho_solve(chol, self.X.T @ self.y / self.noise_var)
        cov = linalg.cho_solve(chol, np.eye(self.dim))
        return mean, 0.5 * (cov + cov.T)

    def log_evidence(self) -> float:
        """``log p(y)`` in nats: y is Gaussian, ``N(0, noise_var I + prior_var X X^T)``."""
        n = self.X.shape[0]
        cov = self.noise_var * np.eye(n) + self.prior_var * self.X @ self.X.T
        return float(stats.multivariate_normal(np.zeros(n), cov).logpdf(self.y))

    def elbo_terms(self, q_mean: ArrayLike, q_cov: ArrayLike) -> tuple[float, float]:
        """The ELBO's two terms for ``q = N(q_mean, q_cov)``, in nats.

        Returns ``(expected_loglik, kl_to_prior)`` with
        ``ELBO = E_q[log p(y | w)] - D(q || prior)``: the fit to the data and
        the price of moving away from the prior.
        """
        m, s = _gaussian(q_mean, q_cov, "LinearGaussianModel.elbo_terms")
        if m.size != self.dim:
            raise ValueError(f"LinearGaussianModel.elbo_terms: q_mean must hold {self.dim} "
                             f"weights, got {m.size}")
        n = self.X.shape[0]
        resid = self.y - self.X @ m
        spread = float(np.sum((self.X @ s) * self.X))  # tr(X S X^T)
        exp_ll = -0.5 * n * (_LOG2PI + np.log(self.noise_var)) - 0.5 * (resid @ resid + spread) / self.noise_var
        kl_prior = kl_mvn(m, s, np.zeros(self.dim), self.prior_var * np.eye(self.dim), base=np.e)
        return float(exp_ll), kl_prior

    def elbo(self, q_mean: ArrayLike, q_cov: ArrayLike) -> float:
        """Evidence lower bound of ``q = N(q_mean, q_cov)`` in nats (exact, no sampling)."""
        exp_ll, kl_prior = self.elbo_terms(q_mean, q_cov)
        return exp_ll - kl_prior

    def kl_to_posterior(self, q_mean: ArrayLike, q_cov: ArrayLike) -> float:
        """``D(q || p(w | y))`` in nats, from the closed form for Gaussians."""
        q_mean, q_cov = _gaussian(q_mean, q_cov, "LinearGaussianModel.kl_to_posterior")
        if q_mean.size != self.dim:
            raise ValueError(f"LinearGaussianModel.kl_to_posterior: q_mean must hold "
                             f"{self.dim} weights, got {q_mean.size}")
        mean, cov = self.posterior()
        return kl_mvn(q_mean, q_cov, mean, cov, base=np.e)


def make_regression(n: int = 30, rho: float = 0.9, *, w_true: ArrayLike = (1.0, -0.5),
                    prior_var: float = 1.0, noise_var: float = 1.0,
                    seed: int = 0) -> LinearGaussianModel:
    """A 2-weight regression whose two inputs have correlation `rho`.

    Correlated inputs make the posterior of the two weights correlated (with
    the opposite sign): the data pin down a combination of the weights better
    than each weight alone.

    Parameters
    ----------
    n : int, optional
        Number of observations.
    rho : float, optional
        Correlation of the two inputs, strictly between -1 and 1.
    w_true : array_like, optional
        The weights that generate y.
    prior_var, noise_var : float, optional
        Prior variance of the weights and noise variance.
    seed : int, optional
        Seed of inputs and noise.

    Returns
    -------
    LinearGaussianModel

    Examples
    --------
    >>> m = make_regression(n=50, rho=0.9, seed=1)
    >>> _, cov = m.posterior()
    >>> bool(cov[0, 1] < 0)
    True
    """
    func = "make_regression"
    n = _checks.count(n, "n", func)
    if not (isinstance(rho, (int, float, np.floating)) and -1 < rho < 1):
        raise ValueError(f"{func}: rho must lie strictly between -1 and 1, got {rho!r}")
    w_true = _checks.finite(w_true, "w_true", func, ndim=1)
    if w_true.shape != (2,):
        raise ValueError(f"{func}: w_true must hold the 2 weights, got shape {w_true.shape}")
    noise_var = _checks.positive(noise_var, "noise_var", func)
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rho * x1 + np.sqrt(1 - rho**2) * rng.normal(size=n)
    X = np.column_stack([x1, x2])
    y = X @ w_true + np.sqrt(noise_var) * rng.normal(size=n)
    return LinearGaussianModel(X, y, prior_var, noise_var)


# ------------------------------------------------------------ factorised fits


def _gaussian(mean: ArrayLike, cov: ArrayLike, func: str) -> tuple[NDArray, NDArray]:
    """A validated mean (k,) and covariance (k, k): finite, symmetric, positive definite."""
    m = _checks.finite(mean, "mean", func, ndim=1)
    c = _checks.finite(cov, "cov", func, ndim=2)
    if c.shape != (m.size, m.size):
        raise ValueError(f"{func}: cov must have shape ({m.size}, {m.size}) to match mean, "
                         f"got {c.shape}")
    if not np.allclose(c, c.T, rtol=1e-10, atol=0):
        raise ValueError(f"{func}: cov must be symmetric, got {c.tolist()}")
    try:
        np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        raise ValueError(f"{func}: cov must be positive definite (a correlation of exactly "
                         "+1 or -1, or a zero variance, has no density); got eigenvalues "
                         f"{np.linalg.eigvalsh(c).round(12).tolist()}") from None
    return m, c


def reverse_kl_factorised(mean: ArrayLike, cov: ArrayLike) -> tuple[NDArray, NDArray]:
    """The factorised Gaussian q minimising ``D(q || N(mean, cov))``: mean and standard deviations.

    Setting the gradient of the closed-form divergence to zero gives
    ``q_mean = mean`` and ``q_var_i = 1 / (cov^-1)_ii``, the *conditional*
    variances: never larger than the marginal variances ``cov_ii``.

    Parameters
    ----------
    mean : array_like, shape (k,)
        Mean of the target Gaussian.
    cov : array_like, shape (k, k)
        Its covariance matrix (symmetric, positive definite).

    Returns
    -------
    q_mean, q_sd : ndarray, shape (k,)
        Mean and standard deviations of the best factorised q.

    Examples
    --------
    >>> m, sd = reverse_kl_factorised([0, 0], [[1.0, 0.9], [0.9, 1.0]])
    >>> [round(float(v), 4) for v in sd**2]     # 1 - 0.9^2
    [0.19, 0.19]
    """
    mean, cov = _gaussian(mean, cov, "reverse_kl_factorised")
    precision = np.linalg.inv(cov)
    return mean, 1.0 / np.sqrt(np.diag(precision))      # q_var_i = 1 / (cov^-1)_ii


def forward_kl_factorised(mean: ArrayLike, cov: ArrayLike) -> tuple[NDArray, NDArray]:
    """The factorised Gaussian q minimising ``D(N(mean, cov) || q)``: moment matching.

    ``q_mean = mean`` and ``q_var_i = cov_ii``, the marginal variances.

    Parameters
    ----------
    mean : array_like, shape (k,)
        Mean of the target Gaussian.
    cov : array_like, shape (k, k)
        Its covariance matrix.

    Returns
    -------
    q_mean, q_sd : ndarray, shape (k,)
        Mean and standard deviations of the best factorised q.

    Examples
    --------
    >>> m, sd = forward_kl_factorised([0, 0], [[1.0, 0.9], [0.9, 1.0]])
    >>> [round(float(v), 4) for v in sd**2]
    [1.0, 1.0]
    """
    mean, cov = _gaussian(mean, cov, "forward_kl_factorised")
    return mean, np.sqrt(np.diag(cov))                   # q_var_i = cov_ii


def elbo_gradient(model: LinearGaussianModel, q_mean: ArrayLike,
                  q_log_sd: ArrayLike) -> tuple[NDArray, NDArray]:
    """Gradient of the exact ELBO for a factorised ``q = N(q_mean, diag(exp(2 q_log_sd)))``.

    ``dELBO/dmean = X^T (y - X mean) / noise_var - mean / prior_var`` and
    ``dELBO/dlog_sd_i = 1 - sd_i^2 * precision_ii``; both vanish exactly at
    the reverse-KL optimum.

    Parameters
    ----------
    model : LinearGaussianModel
        The model.
    q_mean : array_like, shape (k,)
        Mean of q.
    q_log_sd : array_like, shape (k,)
        Log standard deviations of q.

    Returns
    -------
    g_mean, g_log_sd : ndarray, shape (k,)
        The gradient (nats per unit of each parameter).

    Examples
    --------
    >>> m = make_regression(seed=0)
    >>> mean, sd = reverse_kl_factorised(*m.posterior())
    >>> g_mean, g_log_sd = elbo_gradient(m, mean, np.log(sd))
    >>> bool(np.allclose(g_mean, 0, atol=1e-9) and np.allclose(g_log_sd, 0, atol=1e-9))
    True
    """
    func = "elbo_gradient"
    mu = _checks.finite(q_mean, "q_mean", func, ndim=1)
    log_sd = _checks.finite(q_log_sd, "q_log_sd", func, ndim=1)
    if not mu.shape == log_sd.shape == (model.dim,):
        raise ValueError(f"{func}: q_mean and q_log_sd must hold {model.dim} values each, got "
                         f"{mu.size} and {log_sd.size}")
    sd2 = np.exp(2 * log_sd)
    g_mean = model.X.T @ (model.y - model.X @ mu) / model.noise_var - mu / model.prior_var
    g_log_sd = 1.0 - sd2 * np.diag(model.precision())
    return g_mean, g_log_sd


@dataclass
class VIHistory:
    """Trajectory of a variational fit, one row per step (step 0 = the start).

    All quantities in nats; ``log_evidence == elbo + kl`` at every step.
    """

    means: NDArray[np.float64]
    sds: NDArray[np.float64]
    elbo: NDArray[np.float64]
    kl: NDArray[np.float64]
    log_evidence: float
    expected_loglik: NDArray[np.float64] = field(repr=False)
    kl_prior: NDArray[np.float64] = field(repr=False)


def fit_factorised(model: LinearGaussianModel, *, steps: int = 60, lr: float | None = None,
                   lr_log_sd: float = 0.2, init_mean: ArrayLike | None = None,
                   init_sd: ArrayLike | None = None) -> VIHistory:
    """Fit a factorised Gaussian q to the posterior by gradient ascent on the exact ELBO.

    Parameters
    ----------
    model : LinearGaussianModel
    steps : int
        Number of gradient steps.
    lr : float, optional
        Step size of the mean; by default ``1 / (largest eigenvalue of the
        precision)``, which makes the mean update a stable contraction.
    lr_log_sd : float
        Step size of the log standard deviations (the ELBO's curvature in
        ``log sd`` is 2 at the optimum whatever the model, so a fixed step
        below 1 is stable near it).
    init_mean, init_sd : array_like, optional
        Starting point (default: zero mean, unit standard deviations; the
        prior's shape).

    Returns
    -------
    VIHistory
        ELBO, ``D(q || posterior)`` (both exact) and the parameters at every step.

    Examples
    --------
    >>> m = make_regression(seed=0)
    >>> h = fit_factorised(m, steps=200)
    >>> _, sd_opt = reverse_kl_factorised(*m.posterior())
    >>> bool(np.allclose(h.sds[-1], sd_opt, rtol=1e-6)), bool(h.elbo[-1] > h.elbo[0])
    (True, True)
    """
    func = "fit_factorised"
    steps = _checks.count(steps, "steps", func, least=0)
    k = model.dim
    mu = np.zeros(k) if init_mean is None else _checks.finite(init_mean, "init_mean", func, ndim=1)
    sd0 = np.ones(k) if init_sd is None else _checks.finite(init_sd, "init_sd", func, ndim=1)
    if mu.shape != (k,) or sd0.shape != (k,) or np.any(sd0 <= 0):
        raise ValueError(f"{func}: init_mean and init_sd must hold {k} values (one per weight), "
                         f"the sds > 0; got {mu.tolist()} and {sd0.tolist()}")
    log_sd = np.log(sd0)
    if lr is None:
        lr = 1.0 / float(np.linalg.eigvalsh(model.precision())[-1])
    _checks.positive(lr, "lr", func)
    _checks.positive(lr_log_sd, "lr_log_sd", func)
    post_mean, post_cov = model.posterior()
    means, sds, elbos, kls, ells, klps = [], [], [], [], [], []
    for step in range(steps + 1):
        cov = np.diag(np.exp(2 * log_sd))
        ell, klp = model.elbo_terms(mu, cov)
        means.append(mu.copy())
        sds.append(np.exp(log_sd))
        ells.append(ell)
        klps.append(klp)
        elbos.append(ell - klp)
        kls.append(kl_mvn(mu, cov, post_mean, post_cov, base=np.e))
        if step == steps:
            break
        g_mu, g_ls = elbo_gradient(model, mu, log_sd)
        mu = mu + lr * g_mu
        log_sd = log_sd + lr_log_sd * g_ls
    return VIHistory(np.array(means), np.array(sds), np.array(elbos), np.array(kls),
                     model.log_evidence(), np.array(ells), np.array(klps))


# ------------------------------------------------------------ bimodal target


@dataclass(frozen=True)
class Mixture1D:
    """A 1-D Gaussian mixture ``sum_j weights_j N(means_j, sds_j^2)``.

    Examples
    --------
    >>> mix = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.6, 0.6))
    >>> round(mix.mean(), 6), round(mix.var(), 6)      # 0 and 0.36 + 4
    (0.0, 4.36)
    """

    weights: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]

    def __post_init__(self) -> None:
        func = "Mixture1D"
        w, m, s = (_checks.finite(getattr(self, name), name, func, ndim=1)
                   for name in ("weights", "means", "sds"))
        if not (w.shape == m.shape == s.shape and w.size > 0):
            raise ValueError(f"{func}: weights, means and sds must be 1-D of equal length, got "
                             f"shapes {w.shape}, {m.shape}, {s.shape}")
        if np.any(w < 0) or abs(w.sum() - 1) > 1e-9:
            raise ValueError(f"{func}: weights must be >= 0 and sum to 1, got {tuple(w)}")
        if np.any(s <= 0):
            raise ValueError(f"{func}: sds must be > 0, got {tuple(s)}")

    def pdf(self, x: ArrayLike) -> NDArray[np.float64]:
        """``sum_j w_j N(x; m_j, s_j^2)`` at each point of `x`."""
        x = self._points(x, "Mixture1D.pdf")[..., None]
        return np.sum(np.asarray(self.weights) * stats.norm.pdf(x, self.means, self.sds), axis=-1)

    def cdf(self, x: ArrayLike) -> NDArray[np.float64]:
        """``P(X <= x) = sum_j w_j Phi((x - m_j) / s_j)``; ``x`` may be ``-inf`` or ``inf``."""
        x = self._points(x, "Mixture1D.cdf")[..., None]
        return np.sum(np.asarray(self.weights) * stats.norm.cdf(x, self.means, self.sds), axis=-1)

    @staticmethod
    def _points(x: ArrayLike, func: str) -> NDArray[np.float64]:
        arr = np.asarray(x, dtype=float)
        if np.isnan(arr).any():
            raise ValueError(f"{func}: x contains NaN; remove or replace it yourself")
        return arr

    def sample(self, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
        """`n` independent draws: pick a component by its weight, then draw from it."""
        n = _checks.count(n, "n", "Mixture1D.sample", least=0)
        comp = rng.choice(len(self.weights), size=n, p=np.asarray(self.weights))
        return rng.normal(np.asarray(self.means)[comp], np.asarray(self.sds)[comp])

    def mass_between(self, lo: float, hi: float) -> float:
        """``P(lo <= X <= hi)``: how much of the mixture a grid from lo to hi carries."""
        return float(self.cdf(hi) - self.cdf(lo))

    def mean(self) -> float:
        return float(np.dot(self.weights, self.means))

    def var(self) -> float:
        w, m, s = (np.asarray(a, dtype=float) for a in (self.weights, self.means, self.sds))
        return float(np.dot(w, s**2 + m**2) - np.dot(w, m) ** 2)


def grid_kl(p_density: ArrayLike, q_density: ArrayLike, *,
            x: ArrayLike | None = None) -> float | NDArray[np.float64]:
    """KL in nats between two densities tabulated on the same uniform grid.

    Each density becomes a distribution over the grid cells (value times cell
    width, normalised on purpose with :func:`klcourse.normalize`), and
    :func:`klcourse.kl_divergence` does the rest. For a grid fine and wide
    enough this approximates the integral ``int p log(p/q)``: the cell
    widths cancel in the ratio. Batches along leading axes.

    A grid that cuts a density off would give the divergence of the cut-off,
    renormalised densities (far from the closed form below), so it is
    refused: with `x`, each density must integrate to 1 on it (trapezoid
    rule, within 1e-3); without `x`, each must have fallen below
    ``MASS_TOLERANCE`` (1e-4) of its peak at both ends of the grid.

    Parameters
    ----------
    p_density, q_density : array_like
        Densities on the same uniform grid (last axis), finite and ``>= 0``.
    x : array_like, optional
        The grid itself: then its mass is checked instead of the ends (use it
        for densities whose support ends inside the grid's range).

    Returns
    -------
    float or ndarray
        ``D(p || q)`` in nats.

    Examples
    --------
    >>> from klcourse.gaussian import kl_gaussian
    >>> x = np.linspace(-15, 15, 3001)
    >>> d = grid_kl(stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 1, 2))
    >>> round(float(d), 6), round(kl_gaussian(0, 1, 1, 2, base=np.e), 6)
    (0.443147, 0.443147)
    >>> short = np.linspace(-2, 2, 401)
    >>> try:
    ...     grid_kl(stats.norm.pdf(short, 0, 1), stats.norm.pdf(short, 1, 2))
    ... except ValueError as err:
    ...     print(str(err)[:60])
    grid_kl: p_density is still 0.135 of its peak at the ends of
    """
    func = "grid_kl"
    p = _checks.finite(p_density, "p_density", func)
    q = _checks.finite(q_density, "q_density", func)
    if p.shape != q.shape or p.ndim == 0:
        raise ValueError(f"{func}: p_density and q_density must have the same shape (the grid "
                         f"along the last axis), got {p.shape} and {q.shape}")
    for name, dens in (("p_density", p), ("q_density", q)):
        _check_density_on_grid(dens, name, func, x)
    return _grid_kl(p, q)


def _grid_kl(p: NDArray, q: NDArray) -> float | NDArray[np.float64]:
    """grid_kl on checked densities: D(p || q) over the grid cells, in nats."""
    return kl_divergence(normalize(p), normalize(q), base=np.e)


def _check_density_on_grid(dens: NDArray, name: str, func: str, x: ArrayLike | None) -> None:
    if np.any(dens < 0):
        raise ValueError(f"{func}: {name} has a negative value; densities are >= 0")
    peak = dens.max(axis=-1)
    if np.any(peak == 0):
        raise ValueError(f"{func}: {name} is 0 everywhere on the grid; the grid misses it")
    if x is not None:
        grid = _checks.grid(x, "x", func, uniform=True)
        if grid.size != dens.shape[-1]:
            raise ValueError(f"{func}: x has {grid.size} points but {name} has "
                             f"{dens.shape[-1]} along its last axis")
        mass = integrate.trapezoid(dens, grid, axis=-1)
        worst = np.ravel(mass)[np.argmax(np.abs(np.ravel(mass) - 1))]
        if not abs(worst - 1) <= 1e-3:
            raise ValueError(f"{func}: {name} integrates to {worst:.6f} on the grid "
                             f"[{grid[0]:g}, {grid[-1]:g}], not 1 (tolerance 1e-3): the grid cuts "
                             "it off (widen it), or it is not a normalised density")
        return
    ends = np.maximum(dens[..., 0], dens[..., -1]) / peak
    if np.any(ends > MASS_TOLERANCE):
        raise ValueError(f"{func}: {name} is still {float(np.max(ends)):.3g} of its peak at the "
                         f"ends of the grid (tolerance {MASS_TOLERANCE:g}), so the grid cuts the "
                         "density off and the divergence would be that of the cut-off part: "
                         "widen the grid, or pass x= to check its mass instead (for a density "
                         "whose support ends there)")


def _gaussians_on_grid(mus: NDArray, sds: NDArray, x: NDArray, func: str) -> None:
    """Refuse a grid that leaves out more than MASS_TOLERANCE of some N(mu, sd^2)."""
    mass = stats.norm.cdf(x[-1], mus, sds) - stats.norm.cdf(x[0], mus, sds)
    i = int(np.argmin(mass))
    _checks.mass_on_grid(float(np.ravel(mass)[i]), f"q = N({np.ravel(mus)[i]:g}, "
                         f"{np.ravel(sds)[i]:g}^2)", x[0], x[-1], func)


def kl_landscape(mixture: Mixture1D, mus: ArrayLike, sds: ArrayLike, x: ArrayLike,
                 direction: str = "reverse") -> NDArray[np.float64]:
    """KL (nats) between `mixture` and ``N(mu, sd^2)`` for every pair in ``mus x sds``.

    ``direction="reverse"`` gives ``D(q || p)``, ``"forward"`` gives
    ``D(p || q)``. The result has shape ``(len(sds), len(mus))``, ready for a
    contour plot with mu across and sd up. The grid must carry the mixture and
    every candidate q (all but ``MASS_TOLERANCE`` of each, from their exact
    distribution functions).

    Parameters
    ----------
    mixture : Mixture1D
        The target p.
    mus, sds : array_like
        Means and standard deviations (> 0) of the candidate Gaussians q.
    x : array_like
        Uniform, increasing grid for :func:`grid_kl`.
    direction : {"reverse", "forward"}, optional
        Which divergence.

    Returns
    -------
    ndarray, shape (len(sds), len(mus))
        Divergences in nats.

    Examples
    --------
    >>> mix = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.6, 0.6))
    >>> L = kl_landscape(mix, [-2.0, 0.0, 2.0], [0.6], np.linspace(-10, 10, 2001))
    >>> L.shape, bool(L[0, 0] < L[0, 1] and L[0, 2] < L[0, 1])
    ((1, 3), True)
    """
    func = "kl_landscape"
    _checks.mixture(mixture, "mixture", func)
    _check_direction(direction, func)
    x = _checks.grid(x, "x", func, uniform=True)
    mus = _checks.finite(mus, "mus", func, ndim=1)
    sds = _checks.finite(sds, "sds", func, ndim=1)
    if np.any(sds <= 0):
        raise ValueError(f"{func}: sds must be > 0, got {sds.tolist()}")
    _checks.mass_on_grid(mixture.mass_between(x[0], x[-1]), "the mixture", x[0], x[-1], func)
    mu, sd = np.meshgrid(mus, sds)
    _gaussians_on_grid(mu, sd, x, func)
    q = stats.norm.pdf(x, mu[..., None], sd[..., None])
    p = np.broadcast_to(mixture.pdf(x), q.shape)
    return _directed_grid_kl(p, q, direction)


def _directed_grid_kl(p: ArrayLike, q: ArrayLike, direction: str) -> float | NDArray[np.float64]:
    """``D(p || q)`` for "forward", ``D(q || p)`` for "reverse": p the target, q the Gaussian."""
    return _grid_kl(q, p) if direction == "reverse" else _grid_kl(p, q)


def _check_direction(direction: str, func: str) -> None:
    if direction not in ("forward", "reverse"):
        raise ValueError(f"{func}: direction must be 'forward' (D(p || q)) or 'reverse' "
                         f"(D(q || p)), got {direction!r}")


def fit_gaussian(mixture: Mixture1D, direction: str, *, init: tuple[float, float] = (0.5, 1.0),
                 x: ArrayLike | None = None) -> tuple[float, float, float]:
    """Fit one Gaussian q to a mixture by minimising the forward or the reverse KL.

    The divergence is evaluated on a grid (:func:`grid_kl`) and minimised
    over ``(mu, log sd)`` by Nelder-Mead from `init`. The forward fit should land on
    the mixture's mean and variance (moment matching); the reverse fit lands
    on one mode, which one depending on `init`.

    Parameters
    ----------
    mixture : Mixture1D
        The target p.
    direction : {"forward", "reverse"}
        ``D(p || q)`` or ``D(q || p)``.
    init : (float, float), optional
        Starting mean and standard deviation.
    x : array_like, optional
        Uniform grid (default: wide enough for the mixture, 4001 points). It
        must carry the mixture and the fitted Gaussian (all but
        ``MASS_TOLERANCE`` of each), or the fit is refused.

    Returns
    -------
    (mu, sd, kl_nats)

    Examples
    --------
    >>> mix = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.6, 0.6))
    >>> mu, sd, _ = fit_gaussian(mix, "forward")
    >>> round(mu, 3), round(sd**2, 3)          # mixture mean and variance
    (0.0, 4.36)
    >>> mu, sd, _ = fit_gaussian(mix, "reverse", init=(1.0, 1.0))
    >>> round(mu, 2), round(sd, 2)             # one mode, its own width
    (2.0, 0.6)
    """
    func = "fit_gaussian"
    _checks.mixture(mixture, "mixture", func)
    _check_direction(direction, func)
    if x is None:
        lo = min(np.subtract(mixture.means, 8 * np.asarray(mixture.sds)))
        hi = max(np.add(mixture.means, 8 * np.asarray(mixture.sds)))
        x = np.linspace(lo - 6, hi + 6, 4001)
    x = _checks.grid(x, "x", func, uniform=True)
    init = tuple(_checks.finite(init, "init", func, ndim=1).tolist())
    if len(init) != 2 or init[1] <= 0:
        raise ValueError(f"{func}: init must be (mean, sd) with sd > 0, got {init!r}")
    _checks.mass_on_grid(mixture.mass_between(x[0], x[-1]), "the mixture", x[0], x[-1], func)
    p = mixture.pdf(x)

    def objective(theta: NDArray) -> float:
        q = stats.norm.pdf(x, theta[0], np.exp(theta[1]))
        return float(_directed_grid_kl(p, q, direction))

    theta0 = np.array([init[0], np.log(init[1])], dtype=float)
    if not np.isfinite(objective(theta0)):
        raise ValueError(f"{func}: the {direction} divergence is infinite on the grid at "
                         f"init={init!r} (q underflows where p has mass); start from a wider sd")
    span = float(x[-1] - x[0])
    bounds = [(x[0] + 0.2 * span, x[-1] - 0.2 * span), (np.log(0.05), np.log(span / 6))]
    if not (bounds[0][0] <= theta0[0] <= bounds[0][1] and bounds[1][0] <= theta0[1] <= bounds[1][1]):
        raise ValueError(f"{func}: init={init!r} lies outside the search box mu in "
                         f"[{bounds[0][0]:.3g}, {bounds[0][1]:.3g}], sd in [0.05, {span / 6:.3g}] "
                         "set by the grid x; pass a wider grid or another init")
    # Nelder-Mead treats an infinite divergence at a trial point as simply bad.
    res = optimize.minimize(objective, theta0, method="Nelder-Mead",
                            bounds=bounds,
                            options={"xatol": 1e-9, "fatol": 1e-14, "maxiter": 2000})
    mu, sd = float(res.x[0]), float(np.exp(res.x[1]))
    _gaussians_on_grid(np.array([mu]), np.array([sd]), x, func)   # the fit, too, on the grid
    return mu, sd, float(res.fun)

"""Which divergence does each GAN generator loss follow? Gradients at the optimal discriminator.

A Gaussian generator ``p_g = N(mu, sd^2)`` plays against 1-D data ``p_data``
(a :class:`~klcourse.generative.vi.Mixture1D`). With the discriminator held
at its optimum ``D*(x) = p_data / (p_data + p_g)`` (computed at the current
``(mu, sd)`` and then *not* differentiated), the generator's two usual losses
are, in nats,

* minimax:          ``L_mm = E_{x~p_g}[log(1 - D*(x))]``,
* non-saturating:   ``L_ns = -E_{x~p_g}[log D*(x)]``.

Their expected gradients, with ``x = mu + sd z`` and ``z ~ N(0, 1)``
(:func:`loss_gradients`), are

``dL/dtheta = E_z[ l'(x) dx/dtheta ]``,  ``dx/dmu = 1``,  ``dx/dsd = z``,

with ``l'`` the x-derivative of ``log(1 - D*)`` or of ``-log D*``. Two
theorems say what they follow:

* ``dL_mm = d(2 JSD(p_data, p_g))`` (Goodfellow et al. 2014: the minimax
  game at ``D*`` is ``-log 4 + 2 JSD``);
* ``dL_ns = d(KL(p_g || p_data) - 2 JSD(p_data, p_g))`` (Arjovsky & Bottou
  2017, Theorem 2.5): a *reverse* KL, mode seeking, with the JSD entering
  with a minus sign.

:func:`divergences` computes ``KL(p_g || p_data)`` and the JSD as grid
integrals, so the right-hand sides can be differentiated by finite
differences (:func:`finite_difference_gradient`) and compared with the
expectations: two independent computations of each gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, stats

from klcourse.generative.vi import Mixture1D

__all__ = ["Divergences", "LossGradients", "check_grid", "divergences", "loss_gradients",
           "finite_difference_gradient", "gradient_flow"]

#: Largest mass of either density allowed to lie outside the grid.
MASS_TOLERANCE = 1e-9


class Divergences(NamedTuple):
    """``KL(p_g || p_data)`` and ``JSD(p_data, p_g)`` of a Gaussian generator, in nats."""

    kl_g_data: float   #: ``int p_g log(p_g / p_data) dx``
    jsd: float         #: ``(KL(p_data || m) + KL(p_g || m)) / 2`` with ``m = (p_data + p_g) / 2``


class LossGradients(NamedTuple):
    """Expected gradients ``(d/dmu, d/dsd)`` of the two generator losses at ``D*`` (nats)."""

    minimax: NDArray[np.float64]         #: of ``E_g[log(1 - D*)]``
    nonsaturating: NDArray[np.float64]   #: of ``-E_g[log D*]``


def check_grid(data: Mixture1D, mu: float, sd: float, x: ArrayLike, func: str) -> NDArray:
    """Validate a generator ``(mu, sd)`` and an integration grid; return the grid as floats.

    The grid must be 1-D, increasing and evenly spaced, and carry all but
    :data:`MASS_TOLERANCE` of the mass of both densities (a truncated density
    would silently give a wrong integral).

    Parameters
    ----------
    data : Mixture1D
        The data distribution.
    mu, sd : float
        Mean and standard deviation of the Gaussian generator.
    x : array_like
        The grid.
    func : str
        Name of the calling function, for the error messages.

    Returns
    -------
    ndarray
        The grid.

    Examples
    --------
    >>> mix = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
    >>> check_grid(mix, 0.7, 1.5, np.linspace(-12, 12, 5), "demo").tolist()
    [-12.0, -6.0, 0.0, 6.0, 12.0]
    >>> try:
    ...     check_grid(mix, 0.7, 1.5, np.linspace(-3, 3, 101), "demo")
    ... except ValueError as err:
    ...     print(str(err)[:60])
    demo: the grid [-3, 3] leaves 0.0694 of the generator's mass
    """
    if not isinstance(data, Mixture1D):
        raise TypeError(f"{func}: data must be a Mixture1D, got {type(data).__name__}")
    for name, v in (("mu", mu), ("sd", sd)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"{func}: {name} must be a real number, got {v!r}")
        if not np.isfinite(v):
            raise ValueError(f"{func}: {name} must be finite, got {v!r}")
    if not sd > 0:
        raise ValueError(f"{func}: sd must be > 0 (a standard deviation), got {sd!r}")
    grid = np.asarray(x)
    if grid.dtype.kind not in "iuf" or grid.ndim != 1 or grid.size < 3:
        raise ValueError(f"{func}: x must be a 1-D grid of at least 3 real numbers")
    grid = grid.astype(float)
    steps = np.diff(grid)
    if not np.all(np.isfinite(grid)) or np.any(steps <= 0):
        raise ValueError(f"{func}: x must be finite and strictly increasing")
    if np.ptp(steps) > 1e-9 * steps.mean():
        raise ValueError(f"{func}: x must be evenly spaced (use np.linspace)")
    lo, hi = grid[0], grid[-1]
    outside_g = stats.norm.cdf(lo, mu, sd) + stats.norm.sf(hi, mu, sd)
    outside_d = sum(w * (stats.norm.cdf(lo, m, s) + stats.norm.sf(hi, m, s))
                    for w, m, s in zip(data.weights, data.means, data.sds))
    for who, out in (("generator", outside_g), ("data", outside_d)):
        if out > MASS_TOLERANCE:
            raise ValueError(f"{func}: the grid [{lo:g}, {hi:g}] leaves {out:.3g} of the {who}'s "
                             f"mass outside; widen it")
    return grid


def _mixture_dlogpdf(data: Mixture1D, x: NDArray) -> tuple[NDArray, NDArray]:
    """``p_data(x)`` and ``d/dx log p_data(x)`` of a Gaussian mixture."""
    w, m, s = (np.asarray(a, dtype=float) for a in (data.weights, data.means, data.sds))
    comp = w * stats.norm.pdf(x[:, None], m, s)              # (n, components)
    pdf = comp.sum(axis=1)
    return pdf, np.sum(comp * (-(x[:, None] - m) / s**2), axis=1) / pdf


def divergences(data: Mixture1D, mu: float, sd: float, x: ArrayLike) -> Divergences:
    """``KL(p_g || p_data)`` and ``JSD(p_data, p_g)`` in nats, as trapezoid integrals on `x`.

    Parameters
    ----------
    data : Mixture1D
        The data density ``p_data``.
    mu, sd : float
        The generator ``p_g = N(mu, sd^2)``.
    x : array_like
        Evenly spaced grid carrying both densities (see :func:`check_grid`).

    Returns
    -------
    Divergences

    Examples
    --------
    A generator equal to a one-component "mixture" has both divergences 0:

    >>> one = Mixture1D((1.0,), (0.0,), (1.0,))
    >>> d = divergences(one, 0.0, 1.0, np.linspace(-12, 12, 2401))
    >>> round(d.kl_g_data, 9), round(d.jsd, 9)
    (0.0, 0.0)
    """
    x = check_grid(data, mu, sd, x, "divergences")
    p_d = data.pdf(x)
    p_g = stats.norm.pdf(x, mu, sd)
    m = 0.5 * (p_d + p_g)
    kl_g_data = integrate.trapezoid(p_g * np.log(p_g / p_d), x)
    jsd = 0.5 * integrate.trapezoid(p_d * np.log(p_d / m), x) \
        + 0.5 * integrate.trapezoid(p_g * np.log(p_g / m), x)
    return Divergences(float(kl_g_data), float(jsd))


def loss_gradients(data: Mixture1D, mu: float, sd: float, x: ArrayLike) -> LossGradients:
    """Expected gradients of both generator losses with ``D*`` held fixed (nats per unit).

    ``E_z[l'(mu + sd z) (1, z)]`` is written as the integral
    ``int p_g(x) l'(x) (1, (x - mu) / sd) dx`` on the grid, with

    * ``d/dx log D*     = (log p_data)' - (p_data' + p_g') / (p_data + p_g)``,
    * ``d/dx log(1-D*)  = (log p_g)'    - (p_data' + p_g') / (p_data + p_g)``.

    Parameters
    ----------
    data : Mixture1D
        The data density.
    mu, sd : float
        The generator ``N(mu, sd^2)`` (also the one ``D*`` is optimal against).
    x : array_like
        Evenly spaced grid carrying both densities.

    Returns
    -------
    LossGradients
        ``(d/dmu, d/dsd)`` of the minimax loss ``E_g log(1 - D*)`` and of the
        non-saturating loss ``-E_g log D*``.

    Examples
    --------
    At a generator equal to the data, ``D* = 1/2`` is flat: no gradient.

    >>> one = Mixture1D((1.0,), (0.0,), (1.0,))
    >>> g = loss_gradients(one, 0.0, 1.0, np.linspace(-12, 12, 2401))
    >>> bool(np.allclose(g.minimax, 0, atol=1e-12) and np.allclose(g.nonsaturating, 0, atol=1e-12))
    True
    """
    x = check_grid(data, mu, sd, x, "loss_gradients")
    p_d, dlog_pd = _mixture_dlogpdf(data, x)
    p_g = stats.norm.pdf(x, mu, sd)
    dlog_pg = -(x - mu) / sd**2
    dlog_sum = (p_d * dlog_pd + p_g * dlog_pg) / (p_d + p_g)   # d/dx log(p_data + p_g)
    dx_dtheta = np.stack([np.ones_like(x), (x - mu) / sd])    # (2, n): dx/dmu, dx/dsd
    ns = integrate.trapezoid(p_g * -(dlog_pd - dlog_sum) * dx_dtheta, x, axis=1)
    mm = integrate.trapezoid(p_g * (dlog_pg - dlog_sum) * dx_dtheta, x, axis=1)
    return LossGradients(minimax=mm, nonsaturating=ns)


def finite_difference_gradient(f: Callable[[float, float], float], mu: float, sd: float, *,
                               h: float = 1e-4) -> NDArray[np.float64]:
    """Central differences ``(f(mu + h, sd) - f(mu - h, sd)) / 2h`` and the same in sd.

    Parameters
    ----------
    f : callable
        ``f(mu, sd) -> float``.
    mu, sd : float
        Where to differentiate.
    h : float, optional
        Step; the error is of order ``h^2`` times the third derivative.

    Returns
    -------
    ndarray, shape (2,)
        ``(df/dmu, df/dsd)``.

    Examples
    --------
    >>> finite_difference_gradient(lambda m, s: m**2 + 3 * s, 1.0, 2.0).round(6).tolist()
    [2.0, 3.0]
    """
    if not (np.isfinite(h) and 0 < h < sd):
        raise ValueError(f"finite_difference_gradient: h must be > 0 and below sd={sd!r}, got {h!r}")
    return np.array([(f(mu + h, sd) - f(mu - h, sd)) / (2 * h),
                     (f(mu, sd + h) - f(mu, sd - h)) / (2 * h)])


def gradient_flow(data: Mixture1D, mu: float, sd: float, x: ArrayLike, *, loss: str,
                  steps: int = 300, lr: float = 0.2) -> NDArray[np.float64]:
    """Follow one generator loss downhill, ``D*`` re-optimised before every step.

    Plain gradient descent on ``(mu, sd)`` with :func:`loss_gradients`: the
    path an idealised GAN (perfect discriminator, Gaussian generator) takes.

    Parameters
    ----------
    data : Mixture1D
        The data density.
    mu, sd : float
        Starting generator.
    x : array_like
        Evenly spaced grid carrying both densities along the whole path.
    loss : {"minimax", "nonsaturating"}
        Which generator loss.
    steps : int, optional
        Number of steps.
    lr : float, optional
        Step size.

    Returns
    -------
    ndarray, shape (steps + 1, 2)
        ``(mu, sd)`` after each step, the start first.

    Examples
    --------
    >>> mix = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
    >>> path = gradient_flow(mix, 0.7, 1.5, np.linspace(-12, 12, 2401), loss="nonsaturating",
    ...                      steps=300)
    >>> path[-1].round(2).tolist()                  # onto the right-hand mode N(2, 0.5^2)
    [2.0, 0.5]
    """
    if loss not in ("minimax", "nonsaturating"):
        raise ValueError(f"gradient_flow: loss must be 'minimax' or 'nonsaturating', got {loss!r}")
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"gradient_flow: steps must be a non-negative integer, got {steps!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"gradient_flow: lr must be a finite number > 0, got {lr!r}")
    path = [np.array([mu, sd], dtype=float)]
    for _ in range(steps):
        m, s = path[-1]
        g = getattr(loss_gradients(data, float(m), float(s), x), loss)
        new = path[-1] - lr * g
        if not new[1] > 0:
            raise ValueError(f"gradient_flow: the step size lr={lr!r} drove sd to {new[1]:.3g}; "
                             "use a smaller lr")
        path.append(new)
    return np.array(path)

"""Figures of notebook 06: likelihood versus KL, the running log likelihood ratio,
and the error curves of the likelihood-ratio test.

Thin layers over :mod:`klcourse.likelihood`: every number drawn is computed
there (or by :mod:`klcourse.measures`). Each function takes ``ax=None`` and
returns the Axes it drew on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from klcourse.fitting import Family
from klcourse.likelihood import (
    ErrorCurve,
    empirical_distribution,
    llr_variance,
    log_likelihood,
    stein_prediction,
)
from klcourse.measures import entropy, kl_divergence
from klcourse.plots import COLORS, new_axes, unit_name

__all__ = ["plot_ml_and_kl", "plot_running_llr", "plot_error_curves", "plot_exponent",
           "plot_error_bar_check"]


def _log_label(base: float) -> str:
    return "log₂" if base == 2 else ("ln" if math.isclose(base, math.e) else f"log_{base:g}")


def plot_ml_and_kl(samples: ArrayLike, family: Family, params: ArrayLike, *, base: float = 2,
                   ax: Axes | None = None) -> Axes:
    """Negative average log-likelihood and ``D(p_hat || q_theta)`` against theta.

    The two curves differ by the constant ``H(p_hat)``, so they share their
    minimiser; each curve's own minimiser on the grid is marked.

    Parameters
    ----------
    samples : array_like
        Observed counts ``0..family.n``.
    family : klcourse.fitting.Family
        The model family.
    params : array_like
        Grid of parameter values (inside the family's domain).
    base : float
        Logarithm base (2: bits).
    ax : Axes, optional

    Returns
    -------
    Axes
        Lines: ``[neg. avg. log-likelihood, divergence, minimiser markers...]``.

    Examples
    --------
    >>> from klcourse.fitting import binomial_family
    >>> ax = plot_ml_and_kl([3, 4, 6], binomial_family(10), np.linspace(0.05, 0.95, 91))
    >>> ax.get_lines()[0].get_label()
    '−(1/N) log-likelihood'
    """
    x = np.asarray(samples)
    theta = np.asarray(params, dtype=float)
    models = family.pmf(theta)
    p_hat = empirical_distribution(x, family.support)
    nll = np.array([-log_likelihood(x, q, base=base) for q in models]) / x.size
    div = np.array([kl_divergence(p_hat, q, base=base) for q in models])
    unit = unit_name(base)
    ax = new_axes(ax)
    ax.plot(theta, nll, color=COLORS[0], label="−(1/N) log-likelihood")
    ax.plot(theta, div, color=COLORS[1], ls="--",
            label=rf"$D(\hat p\,\|\,q_{{{family.param}}})$")
    i, j = int(np.argmin(nll)), int(np.argmin(div))
    ax.plot([theta[i]], [nll[i]], "o", color=COLORS[0],
            label=f"max likelihood: {family.param} = {theta[i]:.3f}")
    ax.plot([theta[j]], [div[j]], "s", mfc="none", color=COLORS[1], ms=9,
            label=f"min KL: {family.param} = {theta[j]:.3f}")
    h = entropy(p_hat, base=base)
    ax.annotate("", xy=(theta[j], div[j]), xytext=(theta[j], div[j] + h),
                arrowprops={"arrowstyle": "<->", "color": "0.4"})
    ax.text(theta[j], div[j] + h / 2, f"  H(p̂) = {h:.3f} {unit}", va="center", color="0.3")
    ax.set_xlabel(f"model parameter {family.param}")
    ax.set_ylabel(f"{unit} per observation")
    ax.set_title(f"{family.name}: likelihood and KL share one minimiser (N = {x.size})")
    ax.legend(fontsize="small")
    return ax


def plot_running_llr(running_means: ArrayLike, p: ArrayLike, q: ArrayLike, *, base: float = 2,
                     ax: Axes | None = None, show: int = 8) -> Axes:
    """Running means of the log likelihood ratio for several seeds, converging to ``D(p||q)``.

    Draws `show` individual runs, the band between the 10% and 90% quantiles
    across all runs, the line ``D(p || q)`` and the central-limit band
    ``D ± 2 sqrt(V/m)``, ``V`` the variance of one log likelihood ratio.

    Parameters
    ----------
    running_means : array_like, shape (runs, N)
        ``log_likelihood_ratio(...).running_mean`` for samples drawn under `p`.
    p, q : array_like
        The distributions (for ``D`` and ``V``).
    base : float
        The base the running means were computed in.
    ax : Axes, optional
    show : int
        How many individual runs to draw.

    Examples
    --------
    >>> from klcourse.likelihood import draw_samples, log_likelihood_ratio
    >>> p, q = [0.5, 0.5], [0.8, 0.2]
    >>> r = log_likelihood_ratio(draw_samples(p, 500, trials=10, seed=0), p, q)
    >>> ax = plot_running_llr(r.running_mean, p, q)
    >>> ax.get_xscale(), ax.get_title()
    ('log', 'Running mean of the log likelihood ratio under p (10 runs)')
    """
    rm = np.atleast_2d(np.asarray(running_means, dtype=float))
    m = np.arange(1, rm.shape[1] + 1)
    d = kl_divergence(p, q, base=base)
    sd = math.sqrt(llr_variance(p, q, base=base))
    unit = unit_name(base)
    ax = new_axes(ax)
    for k, row in enumerate(rm[:show]):
        ax.plot(m, row, color=COLORS[0], lw=0.7, alpha=0.5,
                label="single runs" if k == 0 else None)
    lo, hi = np.quantile(rm, [0.1, 0.9], axis=0)
    ax.fill_between(m, lo, hi, color=COLORS[0], alpha=0.25, label="10%-90% of runs")
    ax.plot(m, d + 2 * sd / np.sqrt(m), "--", color="0.3", lw=1, label="D ± 2·sd/√m (CLT)")
    ax.plot(m, d - 2 * sd / np.sqrt(m), "--", color="0.3", lw=1)
    ax.axhline(d, color=COLORS[1], lw=2, label=f"D(p‖q) = {d:.4f} {unit}")
    ax.set_xscale("log")
    span = max(4 * sd / math.sqrt(10), 0.5 * d, 0.1)
    ax.set_ylim(d - span, d + span)
    ax.set_xlabel("number of samples m")
    ax.set_ylabel(f"(1/m) Σ {_log_label(base)} p(xᵢ)/q(xᵢ)  ({unit})")
    ax.set_title(f"Running mean of the log likelihood ratio under p ({rm.shape[0]} runs)")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_error_curves(p: ArrayLike, q: ArrayLike, *, exact: ErrorCurve | None = None,
                      simulated: ErrorCurve | None = None, alpha: float = 0.05,
                      spread: ArrayLike | None = None, ax: Axes | None = None) -> Axes:
    """``log beta_n`` against n: exact and simulated, with Stein's slope ``-D(p||q)``.

    The first-order prediction ``-n D(p||q)`` and the second-order one (with
    the ``sqrt(n)`` correction) come from :func:`stein_prediction`. Simulated
    points carry ±2 standard errors: the run's own (`simulated.stderr`, the
    spread of the importance weights only) or, if `spread` is given, ±2 times
    the standard deviation of one run's ``log beta`` over independent runs
    (:mod:`klcourse.replication`), which also counts the error of the
    estimated threshold. Plain Monte Carlo estimates (if the curve has them)
    are drawn where they are not zero.

    Parameters
    ----------
    p, q : array_like
        The two hypotheses.
    exact, simulated : ErrorCurve, optional
        Curves from :func:`~klcourse.likelihood.lr_test_exact` and
        :func:`~klcourse.likelihood.lr_test_simulate`.
    alpha : float, optional
        Type-I error used for the predictions.
    spread : array_like, optional
        Standard deviation of `simulated`'s ``log_beta`` over independent
        runs, one per n; drawn as the error bars instead of `simulated.stderr`.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from klcourse.likelihood import lr_test_exact
    >>> p, q = [0.5, 0.5], [0.8, 0.2]
    >>> ax = plot_error_curves(p, q, exact=lr_test_exact(p, q, np.arange(1, 200, 10)))
    >>> ax.get_ylabel()
    'log₂ $\\\\beta_n$  (bits; −10 means $\\\\beta_n = 2^{-10}$)'
    """
    curves = [c for c in (exact, simulated) if c is not None]
    if not curves:
        raise ValueError("plot_error_curves: pass exact=, simulated= or both (ErrorCurve results)")
    base = curves[0].base
    if any(c.base != base for c in curves):
        raise ValueError("plot_error_curves: exact and simulated curves use different bases")
    n_all = np.unique(np.concatenate([c.n for c in curves]))
    grid = np.unique(np.linspace(n_all.min(), n_all.max(), 200).astype(np.int64))
    d = kl_divergence(p, q, base=base)
    unit = unit_name(base)
    ax = new_axes(ax)
    ax.plot(grid, stein_prediction(p, q, grid, alpha=alpha, base=base, order=1), ":",
            color="0.2", label=f"Stein: slope −D(p‖q) = −{d:.4f} {unit}/sample")
    ax.plot(grid, stein_prediction(p, q, grid, alpha=alpha, base=base, order=2), "--",
            color=COLORS[2], label="with the √n correction")
    if exact is not None:
        ax.plot(exact.n, exact.log_beta, color=COLORS[0], lw=2, label="exact (sum over types)")
    if simulated is not None:
        if spread is None:
            err, what = simulated.stderr, "±2 s.e. of the weights"
        else:
            err = np.asarray(spread, dtype=float)
            if err.shape != simulated.n.shape:
                raise ValueError(f"plot_error_curves: spread has shape {err.shape}, one value "
                                 f"per sample size {simulated.n.shape} is needed")
            what = "±2 sd over independent runs"
        ax.errorbar(simulated.n, simulated.log_beta, yerr=2 * err, fmt="s", mfc="white",
                    color=COLORS[1], ms=5, capsize=3, label=f"importance sampling ({what})")
        if simulated.naive_beta is not None:
            seen = simulated.naive_beta > 0
            ax.plot(simulated.n[seen], np.log(simulated.naive_beta[seen]) / math.log(base),
                    "x", color="crimson", ms=8, zorder=5, label="plain Monte Carlo")
            if (~seen).any():
                ax.axvline(simulated.n[~seen].min(), color="crimson", lw=0.8, ls="-.",
                           label="plain Monte Carlo sees no error from here on")
    ax.set_xlabel("sample size n")
    lab = _log_label(base)
    ax.set_ylabel(rf"{lab} $\beta_n$  ({unit}; −10 means $\beta_n = 2^{{-10}}$)" if base == 2
                  else rf"{lab} $\beta_n$ ({unit})")
    ax.set_title(f"Type-II error of the likelihood-ratio test at type-I error {alpha:g}")
    ax.legend(fontsize="small", loc="lower left")
    return ax


def plot_exponent(p: ArrayLike, q: ArrayLike, curve: ErrorCurve | Sequence[ErrorCurve], *,
                  alpha: float = 0.05, error_label: str = "±2 s.e.",
                  ax: Axes | None = None) -> Axes:
    """``-log(beta_n)/n`` against n (log axis): slow convergence to ``D(p||q)``.

    `curve` may be one :class:`~klcourse.likelihood.ErrorCurve` or several
    (e.g. exact values for small n and importance-sampled ones beyond), all in
    the same base. Exact curves are drawn as lines; simulated points carry
    ``±2 * stderr / n``, described in the legend by `error_label`.

    Parameters
    ----------
    p, q : array_like
        The two hypotheses.
    curve : ErrorCurve or sequence of ErrorCurve
        Error curves in one base.
    alpha : float, optional
        Type-I error used for the prediction.
    error_label : str, optional
        What the simulated points' error bars are (shown in the legend).
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from klcourse.likelihood import lr_test_exact
    >>> p, q = [0.5, 0.5], [0.8, 0.2]
    >>> ax = plot_exponent(p, q, lr_test_exact(p, q, [10, 100, 1000]))
    >>> ax.get_xscale()
    'log'
    """
    curves = [curve] if isinstance(curve, ErrorCurve) else list(curve)
    if not curves:
        raise ValueError("plot_exponent: pass at least one ErrorCurve")
    base = curves[0].base
    if any(c.base != base for c in curves):
        raise ValueError("plot_exponent: the curves use different bases")
    if any(not isinstance(c, ErrorCurve) for c in curves):
        raise TypeError("plot_exponent: pass ErrorCurve results (from klcourse.likelihood, "
                        "klcourse.error_exponents or klcourse.replication)")
    d = kl_divergence(p, q, base=base)
    unit = unit_name(base)
    ax = new_axes(ax)
    ax.axhline(d, color=COLORS[1], lw=2, ls=":", label=f"D(p‖q) = {d:.4f} {unit}")
    n_all = np.concatenate([c.n for c in curves])
    grid = np.unique(np.geomspace(n_all.min(), n_all.max(), 200).astype(np.int64))
    ax.plot(grid, -stein_prediction(p, q, grid, alpha=alpha, base=base, order=2) / grid, "--",
            color=COLORS[2], label="D − √(V/n)·z  (second order)")
    lows = []
    for c in curves:
        if c.method == "exact":
            ax.plot(c.n, c.exponent, "-", color=COLORS[0], lw=2, label="exact")
        else:
            ax.errorbar(c.n, c.exponent, yerr=2 * c.stderr / c.n, fmt="s", mfc="white",
                        color="crimson", ms=6, capsize=3, label=f"{c.method} ({error_label})")
        finite = c.exponent[np.isfinite(c.exponent)]
        if finite.size:
            lows.append(float(finite.min()))
    ax.set_xscale("log")
    ax.set_ylim(min(lows + [0.0]), 1.15 * d if d > 0 else 1.0)
    ax.set_xlabel("sample size n")
    ax.set_ylabel(rf"$-${_log_label(base)}$(\beta_n)/n$  ({unit} per sample)")
    ax.set_title("Error exponent approaching D(p‖q) like 1/√n")
    ax.legend(fontsize="small", loc="lower right")
    return ax


def plot_error_bar_check(n: ArrayLike, estimate: ArrayLike, exact: ArrayLike,
                         reported: ArrayLike, spread: ArrayLike, *, base: float = 2,
                         ax: Axes | None = None) -> Axes:
    """Estimate minus exact value of ``log beta_n``, with two error bars side by side.

    An error bar is honest when it covers zero about as often as it claims.
    Left of each n: ±2 times the standard error the run reported; right:
    ±2 times the spread over independent runs.

    Parameters
    ----------
    n : array_like of int
        Sample sizes (drawn on a log axis).
    estimate, exact : array_like
        One run's ``log beta_n`` and the exact value, in units of `base`.
    reported, spread : array_like
        The run's own standard error and the standard deviation over runs.
    base : float, optional
        Logarithm base (2: bits).
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_error_bar_check([10, 100], [-2.1, -28.4], [-2.0, -28.3], [0.02, 0.04],
    ...                           [0.06, 0.2])
    >>> len(ax.containers)
    2
    """
    ns = np.asarray(n, dtype=float)
    arrays = [np.asarray(a, dtype=float) for a in (estimate, exact, reported, spread)]
    if any(a.shape != ns.shape for a in arrays) or ns.ndim != 1:
        raise ValueError("plot_error_bar_check: n, estimate, exact, reported and spread must "
                         "be 1-D arrays of one length")
    est, ex, rep, spr = arrays
    diff = est - ex
    unit = unit_name(base)
    ax = new_axes(ax)
    ax.axhline(0, color="black", lw=1)
    ax.errorbar(ns / 1.08, diff, yerr=2 * rep, fmt="o", color=COLORS[0], ms=4, capsize=3,
                label="±2 s.e. reported by the run (weights only)")
    ax.errorbar(ns * 1.08, diff, yerr=2 * spr, fmt="s", mfc="white", color=COLORS[1], ms=5,
                capsize=3, ls="none", label="±2 sd over independent runs")
    ax.set_xscale("log")
    ax.set_xlabel("sample size n")
    ax.set_ylabel(f"estimate − exact {_log_label(base)} β  ({unit})")
    covered = int(np.sum(np.abs(diff) <= 2 * rep)), int(np.sum(np.abs(diff) <= 2 * spr))
    ax.set_title(f"Exact value inside {covered[0]} of {ns.size} reported bars and "
                 f"{covered[1]} of {ns.size} honest bars")
    ax.legend(fontsize="small", loc="lower left")
    return ax

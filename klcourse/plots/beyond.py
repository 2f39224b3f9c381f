"""Figures for notebook 09 (beyond KL): Rényi curves, f-divergence generators,
Pinsker's inequality and triangle-inequality checks.

Every function is a thin layer over :mod:`klcourse.measures`: it computes the
numbers with klcourse, draws them on `ax` (a new figure when None), labels
title, axes (with units) and legend, and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from klcourse._validation import _log_base
from klcourse.error_exponents import bayes_error, chernoff_information
from klcourse.measures import F_GENERATORS, kl_divergence, renyi_divergence, total_variation
from klcourse.plots import COLORS, new_axes, unit_name

__all__ = ["renyi_curve", "generator_curves", "pinsker_scatter", "triangle_panel",
           "divergence_vs_shift", "chernoff_curve", "bayes_exponent_plot", "SPECIAL_ORDERS"]

#: (line style, marker) per curve (generators, divergences), distinct in greyscale.
_GENERATOR_STYLES = [("-", None), ("--", "^"), (":", "v"), ("-.", "o"),
                     ((0, (5, 1)), "D"), ((0, (3, 1, 1, 1)), "s"), ((0, (1, 1)), "x"),
                     ((0, (8, 2, 1, 2)), "P")]

#: Colours of the curves of one figure, in order: the course's, then black and grey.
_SERIES_COLORS = (*COLORS, "black", "0.5")

#: The orders of the Rényi divergence with a name of their own (infinity is
#: drawn as a horizontal line).
SPECIAL_ORDERS = {0.0: "α = 0", 0.5: "α = 1/2", 1.0: "α = 1 (KL)", 2.0: "α = 2"}


def renyi_curve(p: ArrayLike, q: ArrayLike, *, alpha_max: float = 8.0, base: float = 2,
                highlight: float | None = None, ax: Axes | None = None,
                num: int = 321) -> Axes:
    """Plot ``D_alpha(p || q)`` against the order alpha, with the special orders marked.

    Parameters
    ----------
    p, q : array_like
        One pair of 1-D distributions (validated by :func:`renyi_divergence`).
    alpha_max : float, optional
        Right end of the alpha axis; ``D_inf`` is drawn as a dashed line.
    base : float, optional
        Unit of the divergence, 2 (bits) by default.
    highlight : float, optional
        An order to mark with a large dot (the widget's current alpha).
    ax : Axes, optional
        Where to draw.
    num : int, optional
        Number of alpha values on the curve.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.lines[0]`` is the curve.

    Examples
    --------
    >>> ax = renyi_curve([0.5, 0.5], [0.9, 0.1])
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('order α', '$D_\\\\alpha(p\\\\,\\\\|\\\\,q)$ (bits)')
    >>> alphas, values = ax.lines[0].get_data()
    >>> bool(np.all(np.diff(values) >= -1e-12))
    True
    """
    if not alpha_max > 2:
        raise ValueError(f"renyi_curve: alpha_max must be > 2 so that the special orders show, "
                         f"got {alpha_max!r}")
    unit = unit_name(base)
    alphas = np.linspace(0.0, float(alpha_max), num)
    values = np.array([renyi_divergence(p, q, a, base=base) for a in alphas])
    d_inf = renyi_divergence(p, q, np.inf, base=base)
    ax = new_axes(ax)
    ax.plot(alphas, values, color=COLORS[0], label=r"$D_\alpha(p\,\|\,q)$")
    marks = [(a, renyi_divergence(p, q, a, base=base)) for a in SPECIAL_ORDERS]
    # a marker of its own per order: told apart without colour (and in greyscale)
    for (a, v), color, marker in zip(marks, ("0.45", COLORS[2], "black", COLORS[1]),
                                     ("v", "o", "D", "^")):
        ax.plot([a], [v], marker, color=color, ms=7,
                label=f"{SPECIAL_ORDERS[a]}: {v:.3f} {unit}")
    if np.isfinite(d_inf):
        ax.axhline(d_inf, ls="--", color="black", lw=1,
                   label=f"α = ∞: {d_inf:.3f} {unit}")
    if highlight is not None:
        h = renyi_divergence(p, q, highlight, base=base)
        ax.plot([highlight], [h], "s", ms=10, mfc="none", mec="black",
                label=f"α = {highlight:.2f}: {h:.3f} {unit}")
    ax.set_xlabel("order α")
    ax.set_ylabel(rf"$D_\alpha(p\,\|\,q)$ ({unit})")
    ax.set_title("The Rényi divergence grows with its order α")
    ax.set_xlim(0, alpha_max)
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def generator_curves(names: Sequence[str] | None = None, *, t_max: float = 4.0,
                     ax: Axes | None = None) -> Axes:
    """Plot the generators ``f(t)`` of built-in f-divergences over ratios ``0 < t <= t_max``.

    Parameters
    ----------
    names : sequence of str, optional
        Keys of :data:`klcourse.measures.F_GENERATORS` (default: all).
    t_max : float, optional
        Largest ratio shown.
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        One line per generator, each passing through ``(1, 0)``.

    Examples
    --------
    >>> ax = generator_curves(["kl", "tv"])
    >>> [line.get_label() for line in ax.lines[:2]]
    ['kl: t log t', 'tv: |t-1| / 2']
    """
    names = list(F_GENERATORS) if names is None else list(names)
    unknown = [n for n in names if n not in F_GENERATORS]
    if unknown:
        raise ValueError(f"generator_curves: unknown generator(s) {unknown}; "
                         f"choose from {list(F_GENERATORS)}")
    t = np.linspace(t_max / 400, t_max, 400)
    ax = new_axes(ax, figsize=(9.0, 3.8))
    for k, name in enumerate(names):
        gen = F_GENERATORS[name]
        # Line style and marker together tell the curves apart without colour
        # (JS and squared Hellinger nearly coincide: they differ in both).
        style, marker = _GENERATOR_STYLES[k % len(_GENERATOR_STYLES)]
        ax.plot(t, gen.f(t), ls=style, marker=marker, markevery=(8 * k % 40, 40), ms=5,
                mfc="white", lw=1.6, label=gen.name)
    ax.axhline(0, color="black", lw=0.5)
    ax.axvline(1, color="black", lw=0.5, ls=":")
    ax.set_ylim(-0.6, 2.0)
    ax.set_xlim(0, t_max)
    ax.set_xlabel("ratio t = p(x) / q(x)")
    ax.set_ylabel("f(t) (nats for the log generators)")
    ax.set_title("Generators of f-divergences: convex, and 0 at t = 1")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    return ax


def pinsker_scatter(p: ArrayLike, q: ArrayLike, *, base: float = 2,
                    ax: Axes | None = None) -> Axes:
    """Scatter ``(TV(p, q), D(p || q))`` for a batch of pairs, above Pinsker's curve.

    Pinsker's inequality: ``D(p || q) >= 2 TV(p, q)^2`` in nats, that is
    ``2 TV^2 / ln(base)`` in units of `base`.

    Parameters
    ----------
    p, q : array_like, shape (n_pairs, k)
        A batch of pairs, one per row.
    base : float, optional
        Unit of the divergence, 2 (bits) by default.
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.collections[0]`` holds the points, ``ax.lines[0]`` the bound.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p, q = rng.dirichlet(np.ones(3), 50), rng.dirichlet(np.ones(3), 50)
    >>> ax = pinsker_scatter(p, q)
    >>> ax.get_ylabel()
    'D(p || q) (bits)'
    >>> ax.get_title()
    "Pinsker's inequality: 0 of 50 pairs fall below the curve"
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.ndim != 2:
        raise ValueError(f"pinsker_scatter: p and q must be 2-D batches (one pair per row), "
                         f"got shape {p.shape}")
    tv = total_variation(p, q)
    kl = kl_divergence(p, q, base=base)
    ln_base = _log_base(base, "pinsker_scatter")
    unit = unit_name(base)
    ax = new_axes(ax)
    ax.scatter(tv, kl, s=10, alpha=0.6, color=COLORS[0], label="random pairs (p, q)")
    grid = np.linspace(0, 1, 200)
    ax.plot(grid, 2 * grid**2 / ln_base, color="#d62728", lw=2,
            label=f"Pinsker bound 2 TV² / ln {base:g}" if base != np.e else "Pinsker bound 2 TV²")
    ax.set_xlim(0, 1)
    finite = kl[np.isfinite(kl)]
    top = max(float(finite.max()) if finite.size else 1.0, 3.0 / ln_base)
    ax.set_ylim(0, min(top * 1.05, 10.0))
    ax.set_xlabel("total variation TV(p, q) (no unit)")
    ax.set_ylabel(f"D(p || q) ({unit})")
    below = int(np.sum(kl < 2 * tv**2 / ln_base))
    ax.set_title(f"Pinsker's inequality: {below} of {tv.size} pairs fall below the curve")
    ax.legend(loc="upper left")
    return ax


def triangle_panel(direct: ArrayLike, detour: ArrayLike, *, name: str, unit: str,
                   ax: Axes | None = None) -> Axes:
    """Scatter ``d(p, r)`` against ``d(p, q) + d(q, r)`` for many triples.

    Points above the diagonal break the triangle inequality
    ``d(p, r) <= d(p, q) + d(q, r)``; they are drawn in red and counted in the
    title.

    Parameters
    ----------
    direct : array_like
        ``d(p, r)`` for each triple.
    detour : array_like
        ``d(p, q) + d(q, r)`` for the same triples.
    name : str
        The measure's name, e.g. ``"sqrt(JS)"``.
    unit : str
        Its unit, e.g. ``"bits"`` or ``"√bits"``.
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = triangle_panel([1.0, 3.0], [2.0, 2.0], name="d", unit="bits")
    >>> ax.get_title()
    'd: 1 of 2 triples break the triangle inequality'
    """
    direct = np.asarray(direct, dtype=float)
    detour = np.asarray(detour, dtype=float)
    if direct.shape != detour.shape or direct.ndim != 1:
        raise ValueError(f"triangle_panel: direct and detour must be 1-D of equal length, got "
                         f"shapes {direct.shape} and {detour.shape}")
    bad = direct > detour
    ax = new_axes(ax, figsize=(4.2, 4.0))
    ax.scatter(detour[~bad], direct[~bad], s=8, alpha=0.5, color=COLORS[0],
               label="inequality holds")
    ax.scatter(detour[bad], direct[bad], s=8, alpha=0.7, color="#d62728",
               label="inequality broken")
    hi = float(np.nanmax(np.concatenate([direct, detour]))) if direct.size else 1.0
    ax.plot([0, hi], [0, hi], color="black", lw=1, label="d(p, r) = d(p, q) + d(q, r)")
    ax.set_xlabel(f"d(p, q) + d(q, r) ({unit})")
    ax.set_ylabel(f"d(p, r) ({unit})")
    ax.set_title(f"{name}: {int(bad.sum())} of {bad.size} triples break the triangle inequality")
    ax.legend(loc="upper left", fontsize="small")
    return ax


def divergence_vs_shift(shifts: ArrayLike, curves: Mapping[str, ArrayLike], *, unit: str,
                        ax: Axes | None = None, xlabel: str = "shift between p and q") -> Axes:
    """Line plot of several divergences against a shift parameter.

    Parameters
    ----------
    shifts : array_like
        The x values.
    curves : mapping of str to array_like
        Label -> values (computed with klcourse), one per shift.
    unit : str
        Unit for the y axis.
    ax : Axes, optional
        Where to draw.
    xlabel : str, optional
        Label of the x axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = divergence_vs_shift([0, 1], {"JS": [0.0, 1.0]}, unit="bits")
    >>> ax.get_ylabel()
    'divergence (bits)'
    """
    shifts = np.asarray(shifts, dtype=float)
    ax = new_axes(ax)
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        if values.shape != shifts.shape:
            raise ValueError(f"divergence_vs_shift: curve {label!r} has shape {values.shape}, "
                             f"shifts have {shifts.shape}")
        style, marker = _GENERATOR_STYLES[i % len(_GENERATOR_STYLES)]
        ax.plot(shifts, values, ls=style, marker=marker or "o", ms=4, label=label,
                color=_SERIES_COLORS[i % len(_SERIES_COLORS)])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"divergence ({unit})")
    ax.set_title("Divergences as q slides away from p")
    ax.legend()
    return ax


def chernoff_curve(p: ArrayLike, q: ArrayLike, *, base: float = 2, num: int = 201,
                   ax: Axes | None = None) -> Axes:
    """``(1 - alpha) D_alpha(p || q)`` against alpha in [0, 1], its maximum (the Chernoff
    information) marked.

    Parameters
    ----------
    p, q : array_like
        One pair of 1-D distributions.
    base : float, optional
        Unit, 2 (bits) by default.
    num : int, optional
        Number of orders on the curve.
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.lines[0]`` is the curve, ``ax.lines[1]`` the maximum.

    Examples
    --------
    >>> ax = chernoff_curve([0.5, 0.5], [0.2, 0.8])
    >>> alphas, values = ax.lines[0].get_data()
    >>> bool(values.max() <= ax.lines[1].get_ydata()[0] + 1e-12)
    True
    """
    unit = unit_name(base)
    alphas = np.linspace(0.0, 1.0, num)
    inner = alphas[1:-1]
    values = np.concatenate([[0.0], [(1 - a) * renyi_divergence(p, q, a, base=base)
                                      for a in inner], [0.0]])
    c = chernoff_information(p, q, base=base)
    ax = new_axes(ax)
    ax.plot(alphas, values, color=COLORS[0], lw=2, label=r"$(1-\alpha)\,D_\alpha(p\,\|\,q)$")
    ax.plot([c.lam], [c.value], "o", ms=8, mfc="white", color="black",
            label=f"maximum: C = {c.value:.4f} {unit} at α = {c.lam:.3f}")
    ax.annotate("Chernoff information", (c.lam, c.value), xytext=(0, -28),
                textcoords="offset points", ha="center")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.25 * c.value if c.value > 0 else 1.0)
    ax.set_xlabel("order α")
    ax.set_ylabel(rf"$(1-\alpha)\,D_\alpha(p\,\|\,q)$ ({unit})")
    ax.set_title("The weighted Rényi divergence peaks at the Chernoff information")
    ax.legend(loc="lower center", fontsize="small")
    return ax


def bayes_exponent_plot(p: ArrayLike, q: ArrayLike, n: ArrayLike, *, base: float = 2,
                        ax: Axes | None = None) -> Axes:
    """The exact Bayes error's exponent ``-log(P_e)/n`` against n, with C, D(p||q), D(q||p).

    ``P_e`` (equal priors) comes from :func:`klcourse.error_exponents.bayes_error`.

    Parameters
    ----------
    p, q : array_like
        The two hypotheses (log likelihood ratios on a lattice).
    n : array_like of int
        Sample sizes.
    base : float, optional
        Unit, 2 (bits) by default.
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.lines[0]`` holds the exponents.

    Examples
    --------
    >>> ax = bayes_exponent_plot([0.5, 0.5], [0.2, 0.8], [10, 100, 1000])
    >>> ax.get_xscale()
    'log'
    """
    ns = np.asarray(n)
    rate = -bayes_error(p, q, ns, base=base) / ns
    c = chernoff_information(p, q, base=base).value
    d_pq, d_qp = kl_divergence(p, q, base=base), kl_divergence(q, p, base=base)
    unit = unit_name(base)
    ax = new_axes(ax)
    ax.plot(ns, rate, "o-", color=COLORS[0], ms=4, label="exact Bayes error: −log₂(Pₑ)/n")
    ax.axhline(c, color="black", ls="--", label=f"Chernoff information C = {c:.4f} {unit}")
    ax.axhline(d_pq, color=COLORS[1], ls=":", lw=2,
               label=f"Stein, p the null: D(p‖q) = {d_pq:.4f} {unit}")
    ax.axhline(d_qp, color=COLORS[2], ls="-.",
               label=f"Stein, q the null: D(q‖p) = {d_qp:.4f} {unit}")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.15 * max(d_pq, d_qp))
    ax.set_xlabel("sample size n")
    ax.set_ylabel(f"error exponent ({unit} per sample)")
    ax.set_title("Equal priors: the error falls at the Chernoff rate, below both Stein rates")
    ax.legend(loc="center right", fontsize="small")
    return ax

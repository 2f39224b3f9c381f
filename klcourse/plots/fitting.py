"""Figures for fitting a model by minimising KL (notebook 05): overlaid bars and divergence curves.

Thin layers over :mod:`klcourse.fitting`: every number drawn is computed there
(or by :func:`klcourse.kl_divergence`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from klcourse.fitting import DIRECTIONS, Family, fit_by_kl, kl_curve
from klcourse.inequalities import local_minima
from klcourse.measures import kl_divergence
from klcourse.plots import COLORS, bar_compare, new_axes, unit_name

__all__ = ["plot_models", "plot_kl_curve", "direction_label", "param_label"]

#: How a family's parameter is written on figures (mathtext, never a raw name).
_PARAM_TEX = {"lam": r"$\lambda$", "theta": r"$\theta$", "p": r"$p$", "w": r"$w$"}


def param_label(param: str) -> str:
    """A family's parameter name as mathtext for figure labels.

    Parameters
    ----------
    param : str
        The name a :class:`klcourse.fitting.Family` gives its parameter.

    Returns
    -------
    str

    Examples
    --------
    >>> print(param_label("lam"), param_label("p"), param_label("rate"))
    $\\lambda$ $p$ rate
    """
    return _PARAM_TEX.get(param, param)

_STYLE = {"forward": ("-", COLORS[0]), "reverse": ("--", COLORS[1])}


def direction_label(direction: str, model: str = "model") -> str:
    """``D(observed || model)`` for "forward", ``D(model || observed)`` for "reverse".

    Parameters
    ----------
    direction : {"forward", "reverse"}
        Which divergence.
    model : str, optional
        The model's name in the label.

    Returns
    -------
    str

    Examples
    --------
    >>> direction_label("reverse", "Binomial")
    'D(Binomial || observed)'
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction_label: direction must be 'forward' or 'reverse', got {direction!r}")
    return f"D(observed || {model})" if direction == "forward" else f"D({model} || observed)"


def plot_models(observed: ArrayLike, models: Mapping[str, ArrayLike], *, base: float = 2,
                ax: Axes | None = None, title: str = "Observed distribution and models",
                xlabel: str = "count", observed_label: str = "observed") -> Axes:
    """Bars of the observed distribution with each model's bars beside them.

    Each model's legend entry carries its forward divergence
    ``D(observed || model)`` in units of `base`.

    Parameters
    ----------
    observed : array_like
        Observed probabilities of the counts ``0..n``.
    models : mapping of str to array_like
        Label -> model probabilities on the same counts (at most three models).
    base : float
        Logarithm base of the divergences in the legend, 2 (bits) by default.
    ax : Axes, optional
        Where to draw; a new figure when None.
    title, xlabel, observed_label : str
        Text for the figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_models([0.5, 0.5], {"biased": [0.9, 0.1]})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['observed', 'biased: D = 0.737 bits']
    """
    if not 1 <= len(models) <= 3:
        raise ValueError(f"plot_models: pass between 1 and 3 models, got {len(models)}")
    unit = unit_name(base)
    labels = [observed_label]
    for label, q in models.items():
        d = kl_divergence(observed, q, base=base)
        labels.append(f"{label}: D = {d:.3f} {unit}")
    ax = new_axes(ax, figsize=(7.0, 3.6))
    bar_compare(observed, *models.values(), labels=labels, ax=ax, title=title,
                xlabel=xlabel, ylabel="probability")
    for container, hatch in zip(ax.containers, ["", "//", ".."]):   # readable in greyscale
        for bar in container:
            bar.set_hatch(hatch)
            bar.set_edgecolor("white")
    ax.legend(title=f"D(observed || model) in {unit}", fontsize="small")
    return ax


def plot_kl_curve(observed: ArrayLike, family: Family, *,
                  bounds: tuple[float, float] | None = None,
                  directions: Sequence[str] = ("forward",), base: float = 2,
                  points: int = 400, references: Mapping[str, float] | None = None,
                  ymax: float | None = None, ax: Axes | None = None,
                  title: str | None = None) -> Axes:
    """The divergence between `observed` and ``family(theta)`` against theta, minimisers marked.

    One curve per direction (forward: ``D(observed || model)``, solid;
    reverse: ``D(model || observed)``, dashed), each with its minimiser from
    :func:`klcourse.fitting.fit_by_kl` marked by a dot. Infinite values are
    left out of the curve (a gap).

    Parameters
    ----------
    observed : array_like
        Observed probabilities of ``0..n``.
    family : Family
        The model family.
    bounds : (float, float), optional
        Parameter range to draw; the family's domain when None (it must then
        be finite).
    directions : sequence of {"forward", "reverse"}
        Which curves to draw.
    base : float
        Logarithm base, 2 (bits) by default.
    points : int
        Number of parameter values on each curve.
    references : mapping of str to float, optional
        Label -> parameter value, drawn as dotted vertical lines (e.g. the
        mean divided by n).
    ymax : float, optional
        Upper limit of the divergence axis (the curves can shoot up near the
        ends of the range); automatic when None.
    ax : Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Title; a default naming the family when None.

    Returns
    -------
    matplotlib.axes.Axes
        Lines (curves, then references) in ``ax.lines``; in ``ax.collections``
        each direction's minimiser (a dot), followed by its other local
        minima on the drawn grid (hollow diamonds) when the curve has any.

    Examples
    --------
    >>> from klcourse.fitting import binomial_family
    >>> ax = plot_kl_curve([0.25, 0.5, 0.25], binomial_family(2))
    >>> ax.get_ylabel(), ax.get_xlabel()
    ('divergence (bits)', 'parameter $p$')
    >>> round(float(ax.collections[0].get_offsets()[0][0]), 6)
    0.5
    """
    for d in directions:
        if d not in DIRECTIONS:
            raise ValueError(f"plot_kl_curve: each direction must be 'forward' or 'reverse', got {d!r}")
    if bounds is None:
        bounds = family.domain
        if not np.all(np.isfinite(bounds)):
            raise ValueError(f"plot_kl_curve: {family.name} has an unbounded domain {bounds}; "
                             "pass bounds=(low, high)")
    lo, hi = float(bounds[0]), float(bounds[1])
    unit = unit_name(base)
    theta = np.linspace(lo, hi, points)
    ax = new_axes(ax, figsize=(6.4, 3.8))
    name = param_label(family.param)
    for d in directions:
        style, color = _STYLE[d]
        values = kl_curve(observed, family, theta, direction=d, base=base)
        values = np.where(np.isfinite(values), values, np.nan)
        ax.plot(theta, values, style, color=color, label=direction_label(d))
        fit = fit_by_kl(observed, family, (lo, hi), direction=d, base=base)
        ax.scatter([fit.param], [fit.divergence], color=color, zorder=3,
                   label=f"minimum: {name} = {fit.param:.4f}, D = {fit.divergence:.4f} {unit}")
        # every other valley of the drawn curve, so a second bowl is never unmarked
        idx = [i for i in local_minima(np.where(np.isfinite(values), values, np.inf))
               if abs(theta[i] - fit.param) > 2 * (hi - lo) / points]
        if idx:
            ax.scatter(theta[idx], values[idx], facecolors="white", edgecolors=color,
                       marker="D", s=40, zorder=3, linewidths=1.5,
                       label="another local minimum: " + "; ".join(
                           f"{name} = {theta[i]:.3f}, D = {values[i]:.3f} {unit}" for i in idx))
    for label, value in (references or {}).items():
        ax.axvline(value, color="0.3", linestyle=":", label=f"{label} = {value:.4f}")
    if ymax is not None:
        ax.set_ylim(0, ymax)
    ax.set_xlabel(f"parameter {name}")
    ax.set_ylabel(f"divergence ({unit})")
    ax.set_title(title if title is not None else f"KL divergence across {family.name}")
    # below the axes: inside, it covered the forward curve
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    return ax

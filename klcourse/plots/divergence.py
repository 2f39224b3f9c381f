"""Figures about divergences: Jensen's picture, heatmaps over coin pairs, chords, triangles, curves.

Thin layers over :mod:`klcourse.inequalities` and :mod:`klcourse.measures`.
Every function takes ``ax=None`` (a new figure when None), titles the figure,
labels both axes with units, adds a legend when more than one thing is drawn,
and returns the Axes.

* :func:`plot_jensen` -- the concave log, the points, their average and the gap.
* :func:`plot_divergence_heatmap` -- any divergence over all pairs of coins.
* :func:`plot_pair_segment` -- a segment of pairs (a mixture) on that heatmap.
* :func:`plot_mixture_chord` -- D along a mixture of two pairs, and the chord above it.
* :func:`plot_triangle_binary` -- the detour ``d(p,u) + d(u,q)`` against ``d(p,q)`` as u moves.
* :func:`plot_objective_curve` -- divergence against a model parameter, local minima marked.
* :func:`plot_both_directions` -- ``D(p||q)`` and ``D(q||p)`` side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from numpy.typing import ArrayLike

from klcourse.inequalities import jensen_points, local_minima, mixture_check, triangle_check
from klcourse.measures import kl_divergence
from klcourse.plots import COLORS, new_axes, unit_name

__all__ = [
    "coin_grid",
    "plot_jensen",
    "plot_divergence_heatmap",
    "plot_pair_segment",
    "plot_mixture_chord",
    "plot_triangle_binary",
    "plot_objective_curve",
    "plot_both_directions",
]

_FAIL = "#d62728"


def coin_grid(n: int) -> np.ndarray:
    """``n`` probabilities of heads strictly inside (0, 1): the cell midpoints ``(i + 1/2) / n``.

    Parameters
    ----------
    n : int
        Number of points (>= 2).

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> coin_grid(4).tolist()
    [0.125, 0.375, 0.625, 0.875]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"coin_grid: n must be an int >= 2, got {n!r}")
    return (np.arange(n) + 0.5) / n


def _coins(h: ArrayLike) -> np.ndarray:
    h = np.asarray(h, dtype=float)
    return np.stack([h, 1 - h], axis=-1)


def _binary(x: ArrayLike, name: str, func: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.shape != (2,):
        raise ValueError(f"{func}: {name} must be a distribution on two outcomes "
                         f"(a list of 2 probabilities), got shape {a.shape}")
    return a


def plot_jensen(x: ArrayLike, weights: ArrayLike, *, base: float = 2, ax: Axes | None = None,
                xlabel: str = "value x of X", title: str | None = None) -> Axes:
    """Jensen's inequality for the concave log: ``E[log X] <= log E[X]``.

    Draws the curve ``log x``, the points ``(x_i, log x_i)`` on it (their
    convex hull shaded; for two points it is the chord), the average
    ``(E[X], E[log X])`` of the points, the curve's value ``log E[X]`` above
    it, and the gap between the two.

    Parameters
    ----------
    x : array_like, 1-D
        Positive values of X (in the Gibbs proof, ``q(x)/p(x)``).
    weights : array_like, 1-D
        Their probabilities (in the Gibbs proof, ``p(x)``).
    base : float, optional
        Logarithm base (2: bits).
    ax : Axes, optional
    xlabel, title : str, optional

    Returns
    -------
    Axes
        ``ax.lines[0]`` is the curve; the artists with labels "E[log X] ..."
        and "log E[X] ..." mark the two sides.

    Examples
    --------
    >>> ax = plot_jensen([1.0, 4.0], [0.5, 0.5])
    >>> ax.get_ylabel()
    'log2 x (bits)'
    >>> [round(float(v), 4) for v in ax.lines[2].get_ydata()]   # E[log X], then log E[X]
    [1.0, 1.3219]
    """
    j = jensen_points(x, weights, base=base)
    xa = np.asarray(x, dtype=float)
    w = np.asarray(weights, dtype=float)
    unit = unit_name(base)
    lb = np.log(base)
    ax = new_axes(ax)
    lo, hi = float(xa.min()), float(xa.max())
    span = hi - lo if hi > lo else max(hi, 1.0)
    t = np.linspace(max(lo - 0.25 * span, lo * 0.3, 1e-3), hi + 0.25 * span, 400)
    logname = "ln" if unit == "nats" else f"log{base:g}"
    ax.plot(t, np.log(t) / lb, color=COLORS[0], label=f"curve y = {logname} x")
    order = np.argsort(xa)
    px, py = xa[order], np.log(xa[order]) / lb
    hull_x = np.append(px, px[0])
    hull_y = np.append(py, py[0])
    ax.plot(hull_x, hull_y, color="0.4", linestyle="--", linewidth=1,
            label="chord(s) between the points")
    if len(px) > 2:
        ax.fill(px, py, color="0.85", zorder=0)
    ax.plot([j.mean, j.mean], [j.mean_of_log, j.log_of_mean], color=_FAIL, linewidth=2,
            label=f"gap = {j.gap:.4f} {unit}")
    ax.scatter(px, py, s=30 + 300 * w[order], color=COLORS[0], zorder=3,
               label="points (x, log x), size ∝ weight")
    ax.scatter([j.mean], [j.mean_of_log], marker="o", s=60, color=COLORS[1], zorder=4,
               label=f"E[log X] = {round(float(j.mean_of_log), 12) + 0.0:.4f} (average of the points)")
    ax.scatter([j.mean], [j.log_of_mean], marker="s", s=60, color=COLORS[2], zorder=4,
               label=f"log E[X] = {round(float(j.log_of_mean), 12) + 0.0:.4f} (curve at the mean)")
    ax.axvline(j.mean, color="0.7", linewidth=0.8, zorder=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{logname} x ({unit})")
    ax.set_title(title or "Jensen's inequality: the average of log lies below log of the average")
    ax.legend(fontsize="small", loc="lower right")
    return ax


def plot_divergence_heatmap(func: Callable = kl_divergence, *, base: float | None = 2,
                            n: int = 200, vmax: float | None = None, ax: Axes | None = None,
                            label: str = r"$D(p\,\|\,q)$", unit: str | None = None,
                            title: str | None = None, cmap: str = "viridis",
                            colorbar: bool = True, diagonal: bool = True) -> Axes:
    """A divergence over all pairs of coins ``p = (a, 1-a)``, ``q = (b, 1-b)``.

    Parameters
    ----------
    func : callable, optional
        ``func(p, q, base=base)`` on batches of distributions (``base`` left
        out when it is None); :func:`klcourse.kl_divergence` by default, any
        other klcourse measure works (``js_divergence``, ``js_distance``, ...).
    base : float or None, optional
        Logarithm base passed to `func` (2: bits). None for a function
        without one.
    n : int, optional
        Grid points per axis, at the cell midpoints ``(i + 1/2)/n`` (so the
        corners, where KL is infinite, are avoided).
    vmax : float, optional
        Top of the colour scale; values above it share the top colour (the
        colour bar then shows an arrow). Default: the 95th percentile, since
        KL grows without bound near the corners.
    label : str, optional
        Name of the quantity, for the colour bar and the title.
    unit : str, optional
        Its unit; default ``unit_name(base)``.
    title : str, optional
    cmap : str, optional
    colorbar : bool, optional
        Draw a colour bar (labelled with the quantity and its unit).
    diagonal : bool, optional
        Draw the line ``p = q``.

    Returns
    -------
    Axes
        ``ax.images[0].get_array()`` holds the values, row i at
        ``q(heads) = grid[i]``, column j at ``p(heads) = grid[j]``.

    Examples
    --------
    >>> ax = plot_divergence_heatmap(n=4)
    >>> z = ax.images[0].get_array()
    >>> z.shape, float(z[0, 0]), ax.get_xlabel()
    ((4, 4), 0.0, 'p(heads) = a, where p = (a, 1 − a)')
    """
    g = coin_grid(n)
    a, b = np.meshgrid(g, g)                  # a varies along columns (p), b along rows (q)
    kwargs = {} if base is None else {"base": base}
    z = np.asarray(func(_coins(a.ravel()), _coins(b.ravel()), **kwargs), dtype=float).reshape(n, n)
    if unit is None:
        unit = unit_name(base) if base is not None else "no unit"
    top = float(np.quantile(z, 0.95)) if vmax is None else float(vmax)
    ax = new_axes(ax, figsize=(5.6, 4.6))
    im = ax.imshow(z, origin="lower", extent=(0, 1, 0, 1), cmap=cmap, aspect="equal",
                   norm=Normalize(vmin=0.0, vmax=top), interpolation="nearest")
    if colorbar:
        cb = ax.figure.colorbar(im, ax=ax, extend="max" if z.max() > top else "neither")
        cb.set_label(f"{label} ({unit})")
    if diagonal:
        ax.plot([0, 1], [0, 1], color="white", linestyle=":", linewidth=1.2, label="p = q")
        ax.legend(loc="upper left", fontsize="small", facecolor="0.3", labelcolor="white")
    ax.set_xlabel("p(heads) = a, where p = (a, 1 − a)")
    ax.set_ylabel("q(heads) = b, where q = (b, 1 − b)")
    ax.set_title(title or f"{label} over pairs of coins ({unit})")
    return ax


def plot_pair_segment(p1: ArrayLike, q1: ArrayLike, p2: ArrayLike, q2: ArrayLike, *,
                      lam: float | None = None, ax: Axes | None = None,
                      color: str = "white") -> Axes:
    """Mark two coin pairs on a heatmap of :func:`plot_divergence_heatmap`, joined by their mixtures.

    The mixtures ``(lam p1 + (1-lam) p2, lam q1 + (1-lam) q2)`` form the
    straight segment between the points ``(p1(heads), q1(heads))`` and
    ``(p2(heads), q2(heads))``; ``lam`` marks one of them.

    Parameters
    ----------
    p1, q1, p2, q2 : array_like
        Coins (two probabilities each): pair 1 is ``(p1, q1)``, pair 2 ``(p2, q2)``.
    lam : float, optional
        Weight of pair 1 of the mixture to mark (a star), in [0, 1].
    ax : Axes, optional
        Usually the Axes of :func:`plot_divergence_heatmap`; a new figure when None.
    color : str, optional
        Colour of the segment and its labels.

    Returns
    -------
    Axes
        The segment is the line labelled "mixtures of the two pairs".

    Examples
    --------
    >>> ax = plot_pair_segment([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], lam=0.5)
    >>> ax.lines[0].get_xydata().tolist()
    [[0.9, 0.2], [0.3, 0.6]]
    >>> [round(float(v), 2) for v in ax.lines[1].get_xydata()[0]]
    [0.6, 0.4]
    """
    func = "plot_pair_segment"
    pts = [_binary(v, n, func) for v, n in ((p1, "p1"), (q1, "q1"), (p2, "p2"), (q2, "q2"))]
    ax = new_axes(ax, figsize=(5.0, 4.6))
    x0, y0, x1, y1 = pts[0][0], pts[1][0], pts[2][0], pts[3][0]
    ax.plot([x0, x1], [y0, y1], color=color, linewidth=2, marker="o",
            label="mixtures of the two pairs")
    if lam is not None:
        if not 0 <= lam <= 1:
            raise ValueError(f"{func}: lam must lie in [0, 1], got {lam!r}")
        ax.plot([lam * x0 + (1 - lam) * x1], [lam * y0 + (1 - lam) * y1], marker="*",
                markersize=14, color=_FAIL, linestyle="none", label=f"mixture at λ = {lam:.2f}")
    # each label sits beyond its end of the segment, on the far side from the other end,
    # so it never covers the segment itself
    for text, (x, y), (ox, oy) in (("pair 1", (x0, y0), (x1, y1)),
                                   ("pair 2", (x1, y1), (x0, y0))):
        dx, dy = x - ox, y - oy
        norm = float(np.hypot(dx, dy)) or 1.0
        dx, dy = dx / norm, dy / norm
        ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
        if x > 0.75 and ha == "left" or x < 0.25 and ha == "right":
            ha = "right" if x > 0.75 else "left"      # grow inwards, not out of the square
        ax.annotate(text, (x, y), xytext=(9 * dx, 9 * dy), textcoords="offset points",
                    ha=ha, va="bottom" if dy > 0.3 else "top" if dy < -0.3 else "center",
                    color=color)
    if not ax.get_title():
        ax.set_title("Two pairs of coins and their mixtures")
    if not ax.get_xlabel():
        ax.set_xlabel("p(heads)")
        ax.set_ylabel("q(heads)")
    ax.legend(loc="upper left", fontsize="small", facecolor="0.3", labelcolor="white")
    return ax


def plot_mixture_chord(p1: ArrayLike, q1: ArrayLike, p2: ArrayLike, q2: ArrayLike, *,
                       base: float = 2, n: int = 101, lam: float | None = None,
                       ax: Axes | None = None) -> Axes:
    """D along the mixtures of two pairs, and the chord joining its ends.

    ``x = lam`` (the weight of pair 1), the curve is
    ``D(lam p1 + (1-lam) p2 || lam q1 + (1-lam) q2)`` and the straight line is
    ``lam D(p1||q1) + (1-lam) D(p2||q2)``. Joint convexity says the line is
    never below the curve; the gap between them is shaded.

    Parameters
    ----------
    p1, q1, p2, q2 : array_like, 1-D
        Two pairs of distributions on the same outcomes.
    base : float, optional
        Logarithm base, 2 (bits) by default.
    n : int, optional
        Number of values of lam on [0, 1].
    lam : float, optional
        One weight to mark, with the gap printed in the legend.
    ax : Axes, optional

    Returns
    -------
    Axes
        ``ax.lines[0]`` the divergence of the mixture, ``ax.lines[1]`` the chord.

    Examples
    --------
    >>> ax = plot_mixture_chord([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], n=5)
    >>> curve, chord = ax.lines[0].get_ydata(), ax.lines[1].get_ydata()
    >>> bool((chord >= curve).all()), ax.get_ylabel()
    (True, 'divergence (bits)')
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"plot_mixture_chord: n must be an int >= 2, got {n!r}")
    lams = np.linspace(0.0, 1.0, n)
    arrs = [np.broadcast_to(np.asarray(v, dtype=float), (n, np.size(v))).copy()
            for v in (p1, q1, p2, q2)]
    m = mixture_check(*arrs, lams, base=base)
    unit = unit_name(base)
    ax = new_axes(ax)
    ax.plot(lams, m.mixture, color=COLORS[0],
            label=r"$D(\lambda p_1 + (1-\lambda) p_2\,\|\,\lambda q_1 + (1-\lambda) q_2)$")
    ax.plot(lams, m.chord, color=COLORS[1], linestyle="--",
            label=r"chord $\lambda D(p_1\|q_1) + (1-\lambda) D(p_2\|q_2)$")
    ax.fill_between(lams, m.mixture, m.chord, color=COLORS[1], alpha=0.15,
                    label="gap (never negative)")
    if lam is not None:
        one = mixture_check(p1, q1, p2, q2, lam, base=base)
        ax.plot([lam, lam], [one.mixture, one.chord], color=_FAIL, marker="o",
                label=f"λ = {lam:.2f}: gap {one.gap:.4f} {unit}")
    ax.set_xlabel("λ, the weight of pair 1 in the mixture")
    ax.set_ylabel(f"divergence ({unit})")
    ax.set_title("Joint convexity: the chord lies above D")
    ax.legend(fontsize="small")
    return ax


def plot_triangle_binary(p: ArrayLike, q: ArrayLike, *, divergence: Callable = kl_divergence,
                         name: str = "D", unit: str = "bits", n: int = 400,
                         sep: str | None = None, ax: Axes | None = None) -> Axes:
    """The detour ``d(p, u) + d(u, q)`` against ``d(p, q)``, for every coin u.

    ``x = u(heads)`` on a grid strictly inside (0, 1); the detour is a curve,
    the direct value a horizontal line, and the values of u where the detour
    is *shorter* (the triangle inequality fails) are shaded.

    Parameters
    ----------
    p, q : array_like
        Two coins (distributions on two outcomes).
    divergence : callable, optional
        ``d(x, y)`` on batches, :func:`klcourse.kl_divergence` by default.
    name, unit : str, optional
        How to call the quantity on the axes and its unit.
    n : int, optional
        Grid points for u.
    sep : str, optional
        Separator between the arguments in the labels: "‖" for ``name="D"``
        (``D(p‖u)``), ", " otherwise (``JS distance(p, u)``).

    Returns
    -------
    Axes
        ``ax.lines[0]`` is the detour, ``ax.lines[1]`` the direct value.

    Examples
    --------
    >>> ax = plot_triangle_binary([0.1, 0.9], [0.9, 0.1], n=9)
    >>> ax.get_title()
    'Triangle inequality for D: detour through u vs direct'
    """
    func = "plot_triangle_binary"
    pa, qa = _binary(p, "p", func), _binary(q, "q", func)
    if sep is None:
        sep = "‖" if name == "D" else ", "
    u = _coins(coin_grid(n))
    t = triangle_check(np.broadcast_to(pa, u.shape).copy(), u, np.broadcast_to(qa, u.shape).copy(),
                       divergence=divergence)
    x = u[:, 0]
    ax = new_axes(ax)
    ax.plot(x, t.via_u, color=COLORS[0], label=f"detour {name}(p{sep}u) + {name}(u{sep}q)")
    direct = float(np.asarray(t.direct)[0])
    ax.plot([0, 1], [direct, direct], color=COLORS[1], linestyle="--",
            label=f"direct {name}(p{sep}q) = {direct:.4f} {unit}")
    bad = np.asarray(t.violated)
    if bad.any():
        ax.fill_between(x, 0, 1, where=bad, transform=ax.get_xaxis_transform(), color=_FAIL,
                        alpha=0.15, label=f"triangle inequality fails ({bad.mean():.0%} of u)")
    ax.axvline(pa[0], color="0.3", linewidth=0.8)
    ax.axvline(qa[0], color="0.3", linewidth=0.8)
    ax.annotate("p", (pa[0], 0.97), xycoords=("data", "axes fraction"), ha="center", va="top")
    ax.annotate("q", (qa[0], 0.97), xycoords=("data", "axes fraction"), ha="center", va="top")
    finite = np.asarray(t.via_u)[np.isfinite(t.via_u)]
    ax.set_ylim(0, min(float(finite.max()), 2.5 * direct if direct > 0 else float(finite.max())) * 1.05)
    ax.set_xlabel("u(heads), the coin we detour through")
    ax.set_ylabel(f"{name} ({unit})")
    ax.set_title(f"Triangle inequality for {name}: detour through u vs direct")
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    return ax


def plot_objective_curve(theta: ArrayLike, curves: ArrayLike | Sequence[ArrayLike], *,
                         labels: Sequence[str] | None = None, xlabel: str = "parameter θ",
                         ylabel: str = "divergence (bits)", title: str = "Divergence against the parameter",
                         mark_minima: bool = True, ymax: float | None = None,
                         ax: Axes | None = None) -> Axes:
    """One or more objective curves against a model parameter, local minima marked.

    Parameters
    ----------
    theta : array_like, 1-D
        Parameter values.
    curves : array_like
        One curve (1-D, same length as `theta`) or several (a sequence or 2-D array).
    labels : sequence of str, optional
        Legend entries, one per curve.
    xlabel, ylabel, title : str
        Put the unit in `ylabel`.
    mark_minima : bool
        Mark every strict interior local minimum (a convex curve has at most one).
    ymax : float, optional
        Top of the divergence axis (from 0), so that steep ends do not flatten
        the bowl; automatic when None.

    Returns
    -------
    Axes
        The curves are ``ax.lines[:len(curves)]``.

    Examples
    --------
    >>> th = np.linspace(-2, 2, 41)
    >>> ax = plot_objective_curve(th, [th**2, (th**2 - 1)**2], labels=["bowl", "two bowls"])
    >>> [len(c.get_xdata()) for c in ax.lines[2:]]    # one marker set per curve
    [1, 2]
    """
    th = np.asarray(theta, dtype=float)
    ys = np.asarray(curves, dtype=float)
    if ys.ndim == 1:
        ys = ys[None, :]
    if th.ndim != 1 or ys.ndim != 2 or ys.shape[1] != th.size:
        raise ValueError(f"plot_objective_curve: each curve needs one value per theta "
                         f"({th.size}), got shape {np.shape(curves)}")
    labels = list(labels) if labels is not None else [f"curve {i + 1}" for i in range(len(ys))]
    if len(labels) != len(ys):
        raise ValueError(f"plot_objective_curve: {len(ys)} curves but {len(labels)} labels")
    ax = new_axes(ax)
    styles = ["-", "--", "-.", ":"]                 # told apart in greyscale too
    for i, (y, lab) in enumerate(zip(ys, labels)):
        ax.plot(th, y, color=COLORS[i % len(COLORS)], linestyle=styles[i % len(styles)],
                label=lab)
    if mark_minima:
        for i, y in enumerate(ys):
            idx = local_minima(y)
            ax.plot(th[idx], y[idx], linestyle="none", marker="v", markersize=9,
                    color=COLORS[i % len(COLORS)], markeredgecolor="black",
                    label=f"local minima of {labels[i]} ({len(idx)})")
    if ymax is not None:
        ax.set_ylim(0, ymax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def plot_both_directions(p: ArrayLike, q: ArrayLike, *, base: float = 2,
                         ax: Axes | None = None) -> Axes:
    """Bars of ``D(p||q)`` and ``D(q||p)``; an infinite one is drawn to the top and marked ∞.

    Parameters
    ----------
    p, q : array_like, 1-D
        Two distributions on the same outcomes.
    base : float, optional
        Logarithm base, 2 (bits) by default.
    ax : Axes, optional

    Returns
    -------
    Axes
        ``ax.containers[0]`` holds the two bars; their heights are the values
        (the axis top for an infinite one).

    Examples
    --------
    >>> ax = plot_both_directions([0.5, 0.5], [0.9, 0.1])
    >>> [round(float(b.get_height()), 4) for b in ax.containers[0]]
    [0.737, 0.531]
    """
    pa, qa = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    d = np.array([kl_divergence(pa, qa, base=base), kl_divergence(qa, pa, base=base)])
    unit = unit_name(base)
    finite = d[np.isfinite(d)]
    top = max(float(finite.max()) if finite.size else 1.0, 1e-3) * 1.25
    heights = np.where(np.isfinite(d), d, top)
    ax = new_axes(ax, figsize=(3.6, 3.6))
    bars = ax.bar([r"$D(p\,\|\,q)$", r"$D(q\,\|\,p)$"], heights, color=[COLORS[0], COLORS[1]])
    for bar, v in zip(bars, d):
        txt = "∞" if np.isinf(v) else f"{v:.3f}"
        ax.annotate(txt, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom")
    ax.set_ylim(0, top * 1.12)
    ax.set_ylabel(f"divergence ({unit})")
    ax.set_xlabel("direction")
    ax.set_title("Both directions of KL")
    return ax

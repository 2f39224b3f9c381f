"""Figures of notebook 10 (KL from data); thin layers over klcourse.estimation.

Series are told apart by line style and marker as well as colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from klcourse.plots import COLORS, new_axes

__all__ = ["plot_plugin_bias", "plot_pseudocount", "plot_binning", "plot_knn_convergence"]

_STYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "D")


def plot_plugin_bias(sizes: Sequence[int], means: Sequence[float], ses: Sequence[float],
                     exact: float, predicted: Sequence[float], ax: Axes | None = None) -> Axes:
    """Mean plug-in estimate (with ±2 s.e.) against n, the exact KL and exact + first-order bias.

    Parameters
    ----------
    sizes : sequence of int
        The sample sizes n (= m), on a log axis.
    means : sequence of float
        Per size, the mean plug-in estimate over repetitions, in nats.
    ses : sequence of float
        Per size, the standard error of that mean, in nats (bars of ±2 s.e.).
    exact : float
        The true ``D(p || q)`` in nats, drawn as a horizontal line.
    predicted : sequence of float
        Per size, ``exact`` plus :func:`klcourse.estimation.plugin_bias` in nats.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> plot_plugin_bias([10, 100], [0.3, 0.21], [0.01, 0.002], 0.2, [0.3, 0.21]).get_xscale()
    'log'
    """
    ax = new_axes(ax)
    ax.errorbar(sizes, means, yerr=2 * np.asarray(ses), fmt="o", color=COLORS[0], capsize=3,
                label="mean plug-in estimate (±2 s.e.)")
    ax.plot(sizes, predicted, "--", color=COLORS[1], label="exact + first-order bias")
    ax.axhline(exact, color="black", lw=1, label=f"exact D(p‖q) = {exact:.4f} nats")
    ax.set(xscale="log", xlabel="samples n = m (log scale)", ylabel="D (nats)",
           title="The plug-in estimate is biased upwards, by about 1/n")
    ax.legend(fontsize=8)
    return ax


def plot_pseudocount(pseudo: Sequence[float], estimates: Sequence[float], exact: float,
                     ax: Axes | None = None) -> Axes:
    """Plug-in estimate (bits) against the pseudocount, with the true D of the cells.

    Parameters
    ----------
    pseudo : sequence of float
        The pseudocounts a added to every cell (> 0, on a log axis).
    estimates : sequence of float
        Per pseudocount, the smoothed plug-in estimate in bits.
    exact : float
        The true ``D(p || q)`` of the cell probabilities in bits, drawn as a
        dashed line.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> plot_pseudocount([0.1, 1.0], [0.9, 0.5], 0.6).get_xlabel()
    'pseudocount a added to every cell (log scale)'
    """
    ax = new_axes(ax)
    ax.plot(pseudo, estimates, "-o", ms=3, color=COLORS[0], label="smoothed plug-in estimate")
    ax.axhline(exact, color="black", lw=1, ls="--", label=f"true D(p‖q) = {exact:.3f} bits")
    ax.set(xscale="log", xlabel="pseudocount a added to every cell (log scale)",
           ylabel="estimate (bits)", title="Smoothing removes the infinity by changing the answer")
    ax.legend(fontsize=8)
    return ax


def plot_binning(widths: Sequence[float], curves: Mapping[str, Sequence[float]], truth: float,
                 ax: Axes | None = None) -> Axes:
    """Histogram estimates (bits) against bin width, one curve per sample size.

    Parameters
    ----------
    widths : sequence of float
        The bin widths, in units of x (> 0; log axis, widest on the left).
    curves : mapping of str to sequence of float
        Per sample size (its legend label), the estimate in bits at each width.
    truth : float
        The KL between the densities in bits, drawn as a horizontal line.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> plot_binning([1.0, 0.5], {"n = 10": [0.2, 0.4]}, 0.3).get_xscale()
    'log'
    """
    ax = new_axes(ax)
    for i, (label, values) in enumerate(curves.items()):
        ax.plot(widths, values, _STYLES[i % 4], marker=_MARKERS[i % 4],
                color=COLORS[i % len(COLORS)], label=label)
    ax.axhline(truth, color="black", lw=1, label=f"density KL = {truth:.3f} bits")
    ax.set(xscale="log", xlabel="bin width, in units of x (log scale)",
           ylabel="histogram estimate (bits)", title="The binned estimate depends on the bins")
    ax.set_xticks(list(widths), [f"{w:g}" for w in widths])
    ax.minorticks_off()
    ax.invert_xaxis()
    ax.legend(fontsize=8)
    return ax


def plot_knn_convergence(ns: Sequence[int], table: Mapping[int, tuple], ax: Axes | None = None
                         ) -> Axes:
    """k-NN estimates (mean ± sd) against n for each dimension, each with its exact value.

    `table` maps a dimension to ``(exact, [(mean, sd), ...])``.

    Parameters
    ----------
    ns : sequence of int
        The sample sizes n (= m), on a log axis.
    table : mapping of int to tuple
        Per dimension d, ``(exact, rows)``: the closed-form ``D(p || q)`` in bits
        (a dotted line) and, for each size in `ns`, the ``(mean, sd)`` of the
        k-NN estimates in bits.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> plot_knn_convergence([100, 1000], {1: (0.2, [(0.25, 0.05), (0.21, 0.02)])}).get_xscale()
    'log'
    """
    ax = new_axes(ax, figsize=(7.0, 3.8))
    for i, (d, (exact, rows)) in enumerate(table.items()):
        colour = COLORS[i % len(COLORS)]
        m = np.array([r[0] for r in rows])
        s = np.array([r[1] for r in rows])
        ax.errorbar(ns, m, yerr=s, fmt=_STYLES[i % 4], marker=_MARKERS[i % 4], color=colour,
                    capsize=3, label=f"d = {d}: estimate ± sd")
        ax.axhline(exact, color=colour, lw=0.9, ls=":")
        ax.annotate(f"exact, d = {d}", (ns[-1], exact), xytext=(0, -3), textcoords="offset points",
                    fontsize=8, color=colour, ha="right", va="top")
    ax.set(xscale="log", xlabel="samples n = m (log scale)", ylabel="D(p‖q) (bits)",
           title="k-NN (k = 5) against the Gaussian closed form, in 1, 2 and 5 dimensions")
    ax.set_xticks(list(ns), [f"{n:,}" for n in ns])
    ax.minorticks_off()
    ax.legend(fontsize=8, loc="center right")
    return ax

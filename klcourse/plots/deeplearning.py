"""Figures of notebook 11 (KL in deep-learning practice); thin layers over klcourse.deeplearning.

Every series is told apart by line style or marker as well as colour, so the
figures read in greyscale.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from klcourse.plots import COLORS, new_axes

__all__ = ["plot_training", "reliability_diagram", "plot_students", "plot_estimators"]

_STYLES = ("-", "--", ":", "-.")


def plot_training(curves: Mapping[str, ArrayLike], floors: Mapping[str, float] | None = None,
                  ax: Axes | None = None) -> Axes:
    """Training loss (nats) against step for each run, with each run's floor H(target) dotted.

    Parameters
    ----------
    curves : mapping of str to array_like
        Per run (its legend label), the loss in nats at each gradient step.
    floors : mapping of str to float, optional
        Per run label, the entropy of its targets in nats: the lowest loss it
        can reach, drawn as a dotted line in the run's colour. Runs without
        one get no line.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> ax = plot_training({"one-hot": [1.0, 0.5, 0.2]}, {"one-hot": 0.0})
    >>> ax.get_ylabel()
    'cross-entropy (nats)'
    """
    ax = new_axes(ax)
    for i, (label, losses) in enumerate(curves.items()):
        colour = COLORS[i % len(COLORS)]
        floor = floors.get(label) if floors else None
        text = label if floor is None else f"{label} (floor H(target) = {floor:.3f}, dotted)"
        ax.plot(np.asarray(losses), _STYLES[i % 4], color=colour, label=text)
        if floor is not None:
            ax.axhline(floor, color=colour, lw=0.8, ls=":")
    ax.set(xlabel="gradient step", ylabel="cross-entropy (nats)",
           title="Training loss and its floor: the target's own entropy")
    ax.legend(loc="upper right")
    return ax


def reliability_diagram(results: Mapping[str, tuple], ax: Axes | None = None) -> Axes:
    """Accuracy against confidence per bin, for each model: the diagonal is perfect calibration.

    `results` maps a label to the tuple returned by
    :func:`klcourse.deeplearning.classifier.expected_calibration_error`.

    Parameters
    ----------
    results : mapping of str to tuple
        Per model (its legend label), ``(ece, confidence, accuracy, count)``;
        bins with ``count == 0`` are left out.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> r = (0.1, np.array([0.55, 0.95]), np.array([0.5, 0.8]), np.array([5.0, 5.0]))
    >>> reliability_diagram({"plain": r}).get_xlabel()
    'confidence (largest predicted probability)'
    """
    ax = new_axes(ax, figsize=(5.2, 4.2))
    ax.plot([0, 1], [0, 1], color="0.5", lw=0.8, ls=":", label="perfectly calibrated")
    markers = ("o", "s", "^", "D")
    for i, (label, (ece, conf, acc, count)) in enumerate(results.items()):
        used = count > 0
        ax.plot(conf[used], acc[used], _STYLES[i % 4], marker=markers[i % 4],
                color=COLORS[i % len(COLORS)], label=f"{label} (ECE {ece:.3f})")
    ax.set(xlim=(0, 1.02), ylim=(0, 1.02), xlabel="confidence (largest predicted probability)",
           ylabel="accuracy in the bin", title="Calibration on held-out data")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_students(teacher: ArrayLike, forward, reverse, ax: Axes | None = None) -> Axes:
    """The teacher's distribution over classes and the forward- and reverse-KL students.

    Parameters
    ----------
    teacher : array_like, shape (K,)
        The teacher's distribution, drawn as bars.
    forward, reverse : StudentFit
        The students fitted by :func:`klcourse.deeplearning.students.fit_student`
        with ``"forward"`` and ``"reverse"``; their distributions ``q`` (length
        K) are drawn as lines and their divergences (nats) shown in the legend.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> from klcourse.deeplearning.students import StudentFit
    >>> s = StudentFit(1.0, 1.0, np.array([0.2, 0.6, 0.2]), 0.1)
    >>> plot_students([0.3, 0.4, 0.3], s, s).get_xlabel()
    'class'
    """
    ax = new_axes(ax, figsize=(7.0, 3.6))
    t = np.asarray(teacher)
    k = np.arange(t.size)
    ax.bar(k, t, color="0.8", edgecolor="0.4", label="teacher")
    ax.plot(k, forward.q, "-o", color=COLORS[0], ms=4,
            label=f"student by forward KL, D(teacher‖q) = {forward.divergence:.3f} nats")
    ax.plot(k, reverse.q, "--s", color=COLORS[1], ms=4,
            label=f"student by reverse KL, D(q‖teacher) = {reverse.divergence:.3f} nats")
    ax.set(xlabel="class", ylabel="probability", xticks=k[::2],
           title="A student that cannot copy: covering both peaks or sitting on one")
    ax.legend(loc="upper center", fontsize=8, bbox_to_anchor=(0.5, -0.18), ncol=1)
    return ax


def plot_estimators(samples: Mapping[str, ArrayLike], exact: float, ax: Axes | None = None
                    ) -> Axes:
    """Cumulative distribution of single-sample KL estimates (nats), with the exact KL marked.

    A cumulative curve, not a histogram: the estimates of a categorical q take
    few distinct values, which pile up as spikes in a histogram.

    Parameters
    ----------
    samples : mapping of str to array_like
        Per estimator (its legend label, e.g. ``"k1"``), the single-sample
        estimates in nats, as from :func:`klcourse.deeplearning.estimators.kl_estimators`.
    exact : float
        The exact ``KL(q || p)`` in nats, drawn as a vertical line.
    ax : Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    Axes

    Examples
    --------
    >>> plot_estimators({"k1": [-0.2, 0.1, 0.4], "k3": [0.0, 0.05, 0.1]}, 0.1).get_xlabel()
    'single-sample estimate of KL(q‖p) (nats)'
    """
    ax = new_axes(ax, figsize=(7.0, 3.6))
    values = {k: np.sort(np.asarray(v)) for k, v in samples.items()}
    for i, (label, v) in enumerate(values.items()):
        share = np.arange(1, v.size + 1) / v.size
        ax.step(v, share, where="post", lw=1.6, ls=_STYLES[i % 4],
                color=COLORS[i % len(COLORS)], label=f"{label} (mean {v.mean():.4f})")
    ax.axvline(exact, color="k", lw=1, label=f"exact KL = {exact:.4f}")
    ax.axvline(0, color="0.5", lw=0.8, ls=":")
    hi = max(np.quantile(v, 0.99) for v in values.values())
    ax.set(xlim=(min(v[0] for v in values.values()) - 0.05, hi),
           xlabel="single-sample estimate of KL(q‖p) (nats)",
           ylabel="share of samples at or below",
           title="One sample each: the share left of 0 is negative (k1 often, k3 never)")
    ax.legend(fontsize=8, loc="lower right")
    return ax


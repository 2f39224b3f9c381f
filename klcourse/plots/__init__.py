"""Plotting helpers: thin layers over klcourse's maths, each returning what it drew.

Every function takes an optional ``ax`` (a new figure is made when it is
None), labels its axes with units, and returns the Axes so that tests can
check titles, labels and data. Topic-specific figures live in submodules
(``klcourse.plots.coding``, ``klcourse.plots.divergence``, ...).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

__all__ = ["bar_compare", "new_axes", "unit_name", "COLORS"]

#: The course's colours for the truth p, the model q and a third curve: Okabe-Ito's
#: blue, orange and vermilion, told apart with every common colour vision (checked
#: by tests/test_colour_vision.py).
COLORS = ("#0072B2", "#E69F00", "#D55E00")


def unit_name(base: float) -> str:
    """The name of the unit for a logarithm base: bits, nats, or 'log-<base> units'.

    Parameters
    ----------
    base : float
        The logarithm base used for a measure.

    Examples
    --------
    >>> unit_name(2), unit_name(np.e), unit_name(10)
    ('bits', 'nats', 'log-10 units')
    """
    if base == 2:
        return "bits"
    if np.isclose(base, np.e, rtol=0, atol=1e-12):
        return "nats"
    return f"log-{base:g} units"


def new_axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (6.4, 3.6)) -> Axes:
    """Return `ax`, or the Axes of a new figure of the given size.

    Parameters
    ----------
    ax : Axes, optional
        Returned unchanged when given.
    figsize : tuple of float, optional
        Size in inches of the new figure.

    Examples
    --------
    >>> ax = new_axes(figsize=(4, 3))
    >>> [float(x) for x in ax.figure.get_size_inches()]
    [4.0, 3.0]
    """
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def bar_compare(*dists: ArrayLike, labels: Sequence[str] | None = None,
                outcomes: Sequence | None = None, ax: Axes | None = None,
                title: str = "", xlabel: str = "outcome",
                ylabel: str = "probability") -> Axes:
    """Bar charts of one or more distributions over the same outcomes, side by side.

    Parameters
    ----------
    *dists : array_like
        1-D distributions of equal length (e.g. the truth p and a model q).
    labels : sequence of str, optional
        Legend entries, one per distribution (default ``p``, ``q``, ``r``).
    outcomes : sequence, optional
        Tick labels for the outcomes (default 0, 1, ...).
    ax : Axes, optional
        Where to draw; a new figure when None.
    title, xlabel, ylabel : str
        Text for the figure.

    Returns
    -------
    matplotlib.axes.Axes
        One ``BarContainer`` per distribution is in ``ax.containers``.

    Examples
    --------
    >>> ax = bar_compare([0.5, 0.5], [0.9, 0.1], labels=["p", "q"], title="two coins")
    >>> [round(float(b.get_height()), 2) for b in ax.containers[1]]
    [0.9, 0.1]
    >>> ax.get_title(), ax.get_ylabel()
    ('two coins', 'probability')
    """
    if not dists:
        raise ValueError("bar_compare: pass at least one distribution")
    arrays = [np.asarray(d, dtype=float) for d in dists]
    n = arrays[0].shape
    if any(a.ndim != 1 or a.shape != n for a in arrays):
        raise ValueError(f"bar_compare: distributions must be 1-D and of equal length, got "
                         f"shapes {[a.shape for a in arrays]}")
    labels = list(labels) if labels is not None else ["p", "q", "r", "s"][:len(arrays)]
    if len(labels) != len(arrays):
        raise ValueError(f"bar_compare: {len(arrays)} distributions but {len(labels)} labels")
    ax = new_axes(ax)
    k = len(arrays)
    width = 0.8 / k
    x = np.arange(n[0])
    for i, (a, lab) in enumerate(zip(arrays, labels)):
        ax.bar(x + (i - (k - 1) / 2) * width, a, width=width, label=lab,
               color=COLORS[i] if i < len(COLORS) else None)
    ax.set_xticks(x, [str(o) for o in outcomes] if outcomes is not None else [str(i) for i in x])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


from klcourse.plots import alt as _alt  # noqa: E402  (needs the names above)

_alt.install()

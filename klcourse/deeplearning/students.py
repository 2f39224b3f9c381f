"""Forward or reverse KL for a student that cannot copy its teacher exactly.

The teacher's distribution over K classes has two peaks; the student can only
be a *discretised Gaussian* over the classes (a centre and a width). Fitting
the student by the forward KL ``D(teacher || student)`` (what distillation
minimises) covers both peaks; fitting it by the reverse ``D(student ||
teacher)`` settles on one — the mass-covering / mode-seeking contrast of
notebooks 05 and 07.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.measures import kl_divergence

__all__ = ["bell_over_classes", "StudentFit", "fit_student"]


def bell_over_classes(classes: int, centre: float, width: float) -> NDArray[np.float64]:
    """``q_k ∝ exp(-(k - centre)^2 / (2 width^2))`` for k = 0..classes-1, normalised.

    Parameters
    ----------
    classes : int
        The number of classes K.
    centre : float
        Where the bell peaks, in class units (need not be a whole number, nor
        inside ``0..K-1``).
    width : float
        Its standard deviation, in class units (> 0).

    Returns
    -------
    ndarray, shape (classes,)
        A distribution over the classes (it sums to 1).

    Raises
    ------
    ValueError
        If `centre` is not finite or `width` is not a finite number > 0.

    Examples
    --------
    >>> q = bell_over_classes(5, 2.0, 1.0)
    >>> round(float(q.sum()), 12), int(q.argmax())
    (1.0, 2)
    """
    if not (np.isfinite(centre) and np.isfinite(width) and width > 0):
        raise ValueError(f"bell_over_classes: need a finite centre and a width > 0, got "
                         f"centre={centre!r}, width={width!r}")
    k = np.arange(classes)
    log_w = -((k - centre) ** 2) / (2 * width**2)
    w = np.exp(log_w - log_w.max())
    return w / w.sum()


@dataclass(frozen=True)
class StudentFit:
    """The best student on the grid: its centre, width, distribution and divergence (nats)."""

    centre: float
    width: float
    q: NDArray[np.float64]
    divergence: float


def fit_student(teacher: ArrayLike, direction: Literal["forward", "reverse"], *,
                centres: ArrayLike, widths: ArrayLike) -> StudentFit:
    """The bell-shaped student minimising the forward or reverse KL to `teacher`, on a grid.

    ``"forward"`` minimises ``D(teacher || q)``; ``"reverse"`` minimises ``D(q || teacher)``.

    Parameters
    ----------
    teacher : array_like, shape (K,)
        The teacher's distribution over K classes.
    direction : {"forward", "reverse"}
        Which KL the student minimises.
    centres : array_like
        The candidate centres of :func:`bell_over_classes`, in class units.
    widths : array_like
        The candidate widths (each > 0), in class units. Every pair of centre
        and width is tried.

    Returns
    -------
    StudentFit
        The best pair on the grid, its distribution and its divergence (nats).

    Raises
    ------
    ValueError
        If `direction` is neither, `teacher` is not a distribution, or the
        grid is empty.

    Examples
    --------
    >>> t = 0.5 * bell_over_classes(30, 9, 1.5) + 0.5 * bell_over_classes(30, 20, 1.5)
    >>> fwd = fit_student(t, "forward", centres=np.linspace(0, 29, 117), widths=np.linspace(0.5, 12, 47))
    >>> rev = fit_student(t, "reverse", centres=np.linspace(0, 29, 117), widths=np.linspace(0.5, 12, 47))
    >>> fwd.width > 3 > rev.width      # covers both peaks / sits on one
    True
    """
    if direction not in ("forward", "reverse"):
        raise ValueError(f"fit_student: direction must be 'forward' or 'reverse', got {direction!r}")
    t = np.asarray(teacher, dtype=float)
    kl_divergence(t, t)                     # validates the teacher once (a distribution)
    if np.size(centres) == 0 or np.size(widths) == 0:
        raise ValueError("fit_student: centres and widths must each hold at least one value")
    best = None
    for c in np.asarray(centres, dtype=float):
        for w in np.asarray(widths, dtype=float):
            q = bell_over_classes(t.size, c, w)
            d = kl_divergence(t, q, base=np.e) if direction == "forward" else \
                kl_divergence(q, t, base=np.e)
            if best is None or d < best.divergence:
                best = StudentFit(float(c), float(w), q, float(d))
    return best

"""Explorers for notebooks 03-04: both directions of KL for two coins, and a mixture of two pairs.

Each function returns a :class:`klcourse.widgets.Explorer`; display it by
leaving it as the last expression of a cell. The readouts are computed by
:mod:`klcourse.measures` and :mod:`klcourse.inequalities`; tests call
``explorer.update(...)`` and compare with those functions.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from klcourse.inequalities import mixture_check
from klcourse.measures import kl_divergence
from klcourse.plots import COLORS, bar_compare, unit_name
from klcourse.plots.divergence import (
    plot_divergence_heatmap,
    plot_mixture_chord,
    plot_pair_segment,
)
from klcourse.widgets import REPAINT, Explorer, fits, moving, nice_ceiling, slider

_MARK = "#d62728"  # the moving marks, as the plots' own markers

__all__ = ["coin", "binary_pair_readout", "binary_pair_explorer", "mixture_readout",
           "mixture_explorer"]


def coin(heads: float) -> np.ndarray:
    """The distribution ``(heads, 1 - heads)`` of a coin.

    Parameters
    ----------
    heads : float
        Probability of heads, in [0, 1].

    Returns
    -------
    ndarray, shape (2,)

    Examples
    --------
    >>> coin(0.25).tolist()
    [0.25, 0.75]
    """
    h = float(heads)
    if not 0 <= h <= 1:
        raise ValueError(f"coin: heads must be a probability in [0, 1], got {heads!r}")
    return np.array([h, 1.0 - h])


def _difference(a: float, b: float, unit: str) -> tuple[float, str] | str:
    if math.isinf(a) and math.isinf(b):
        return "undefined (both directions are infinite)"
    return (a - b, unit)


def binary_pair_readout(p: float, q: float, *, base: float = 2) -> dict:
    """The numbers shown by :func:`binary_pair_explorer` for coins with heads probabilities p, q.

    Parameters
    ----------
    p, q : float
        Probabilities of heads of the two coins, in [0, 1].
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    dict
        Label -> ``(value, unit)`` or text, as shown in the readout.

    Examples
    --------
    >>> r = binary_pair_readout(0.5, 0.9)
    >>> r["D(p‖q)"][0] == kl_divergence(coin(0.5), coin(0.9)), r["larger direction"]
    (True, 'D(p‖q)')
    >>> binary_pair_readout(0.0, 1.0)["D(p‖q) − D(q‖p)"]
    'undefined (both directions are infinite)'
    """
    unit = unit_name(base)
    pp, qq = coin(p), coin(q)
    d_pq = kl_divergence(pp, qq, base=base)
    d_qp = kl_divergence(qq, pp, base=base)
    if d_pq == d_qp:
        larger = "neither (equal)"
    else:
        larger = "D(p‖q)" if d_pq > d_qp else "D(q‖p)"
    return {"D(p‖q)": (d_pq, unit), "D(q‖p)": (d_qp, unit),
            "D(p‖q) − D(q‖p)": _difference(d_pq, d_qp, unit),
            "larger direction": larger}


def binary_pair_explorer(p: float = 0.5, q: float = 0.9, *, base: float = 2) -> Explorer:
    """Two sliders, the heads probabilities of coins p and q; both KL directions update.

    Readout (:func:`binary_pair_readout`): ``D(p||q)``, ``D(q||p)``, their
    difference, and which is larger. Figure: the two distributions as bars,
    and the two divergences as bars.

    Parameters
    ----------
    p, q : float
        Starting probabilities of heads (in [0, 1]).
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    Explorer
        Controls ``p`` and ``q``: ``explorer.update(p=0.2, q=0.7)``.

    Examples
    --------
    Outside a notebook the figure output writes terminal escape codes, so
    they are silenced here:

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     ex = binary_pair_explorer()
    ...     readout = ex.update(p=0.2, q=0.7)
    >>> readout["D(q‖p)"] == binary_pair_readout(0.2, 0.7)["D(q‖p)"]
    True
    """

    def compute(p: float, q: float) -> dict:
        return binary_pair_readout(p, q, base=base)

    unit = unit_name(base)

    def draw(fig, p: float, q: float) -> dict:
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
        bar_compare(coin(p), coin(q), labels=["p", "q"], outcomes=["heads", "tails"], ax=left,
                    title="The two coins")
        left.set_ylim(0, 1.08)
        # both directions, as plot_both_directions draws them, with bars that move
        bars = right.bar([r"$D(p\,\|\,q)$", r"$D(q\,\|\,p)$"], [0, 0],
                         color=[COLORS[0], COLORS[1]])
        notes = [right.annotate("", (b.get_x() + b.get_width() / 2, 0), xytext=(0, 2),
                                textcoords="offset points", ha="center", va="bottom")
                 for b in bars]
        right.set_ylabel(f"divergence ({unit})")
        right.set_xlabel("direction")
        right.set_title("Both directions of KL")
        h = {"coins": [*left.containers[0], *left.containers[1]], "bars": list(bars),
             "notes": notes, "ax": right}
        moving(*h["coins"], *h["bars"], *notes)
        right.set_ylim(0, _top(p, q))
        animate(h, p, q)
        return h

    def _divergences(p: float, q: float) -> np.ndarray:
        return np.array([kl_divergence(coin(p), coin(q), base=base),
                         kl_divergence(coin(q), coin(p), base=base)])

    def _top(p: float, q: float) -> float:
        finite = _divergences(p, q)[np.isfinite(_divergences(p, q))]
        return nice_ceiling(1.25 * max(float(finite.max()) if finite.size else 1.0, 1e-3))

    def animate(h: dict, p: float, q: float):
        for bar, height in zip(h["coins"], [p, 1 - p, q, 1 - q]):
            bar.set_height(height)
        d = _divergences(p, q)
        finite = d[np.isfinite(d)]
        high = float(finite.max()) if finite.size else 0.0
        result = True
        if not fits(h["ax"].get_ylim(), 0.0, 1.25 * high if high > 0 else 1e-3 * 1.25):
            h["ax"].set_ylim(0, _top(p, q))
            result = REPAINT
        top = h["ax"].get_ylim()[1] / 1.12       # an infinite bar reaches up to here
        for bar, note, v in zip(h["bars"], h["notes"], d):
            bar.set_height(v if np.isfinite(v) else top)
            note.xy = (bar.get_x() + bar.get_width() / 2, bar.get_height())
            note.set_text("∞" if np.isinf(v) else f"{v:.3f}")
        return result

    def alt(p: float, q: float) -> str:
        return (f"Left: bars of two coins, p with P(heads) = {p:.2f} and q with P(heads) = "
                f"{q:.2f}. Right: bars of D(p‖q) and D(q‖p), which differ unless the coins "
                f"are equal or mirror images.")

    return Explorer({"p": slider("p(heads)", p, 0.0, 1.0, 0.01),
                     "q": slider("q(heads)", q, 0.0, 1.0, 0.01)},
                    compute, draw, animate=animate, figsize=(8.0, 3.4), alt=alt)


def mixture_readout(p1: ArrayLike, q1: ArrayLike, p2: ArrayLike, q2: ArrayLike, lam: float, *,
                    base: float = 2) -> dict:
    """The numbers shown by :func:`mixture_explorer` (computed by :func:`~klcourse.inequalities.mixture_check`).

    Parameters
    ----------
    p1, q1, p2, q2 : array_like
        Two pairs of distributions on the same outcomes.
    lam : float
        Weight of pair 1, in [0, 1].
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    dict
        Label -> ``(value, unit)``, as shown in the readout.

    Examples
    --------
    >>> r = mixture_readout([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], 0.4)
    >>> round(r["gap"][0], 4), r["gap"][1]
    (0.7913, 'bits')
    """
    unit = unit_name(base)
    m = mixture_check(p1, q1, p2, q2, lam, base=base)
    return {"D(p1‖q1)": (kl_divergence(p1, q1, base=base), unit),
            "D(p2‖q2)": (kl_divergence(p2, q2, base=base), unit),
            "chord λ D(p1‖q1) + (1−λ) D(p2‖q2)": (m.chord, unit),
            "D(mixed p ‖ mixed q)": (m.mixture, unit), "gap": (m.gap, unit)}


def mixture_explorer(p1: ArrayLike = (0.9, 0.1), q1: ArrayLike = (0.2, 0.8),
                     p2: ArrayLike = (0.3, 0.7), q2: ArrayLike = (0.6, 0.4), *,
                     lam: float = 0.5, base: float = 2, n: int = 120) -> Explorer:
    """A slider over the mixing weight of two coin pairs: chord, mixture and gap.

    Readout (:func:`mixture_readout`): ``D(p1||q1)``, ``D(p2||q2)``, the chord
    ``lam D(p1||q1) + (1-lam) D(p2||q2)``, the divergence of the mixed pair and
    the gap (never negative). Figure: the heatmap of D over coin pairs with
    the segment of mixtures and the current one, and the chord picture.

    Parameters
    ----------
    p1, q1, p2, q2 : array_like
        Two pairs of coins (two probabilities each).
    lam : float, optional
        Starting weight of pair 1.
    base : float, optional
        Logarithm base, 2 (bits) by default.
    n : int, optional
        Grid points per axis of the heatmap.

    Returns
    -------
    Explorer
        Control ``lam``: ``explorer.update(lam=0.3)``.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     ex = mixture_explorer(n=20)
    ...     readout = ex.update(lam=0.3)
    >>> from klcourse.inequalities import mixture_check
    >>> readout["gap"][0] == mixture_check([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], 0.3).gap
    True
    """
    pairs = [np.asarray(v, dtype=float) for v in (p1, q1, p2, q2)]
    for v, name in zip(pairs, ("p1", "q1", "p2", "q2")):
        if v.shape != (2,):
            raise ValueError(f"mixture_explorer: {name} must be a coin (2 probabilities), "
                             f"got shape {v.shape}")
    mixture_readout(*pairs, lam, base=base)      # validate before building any widget

    def compute(lam: float) -> dict:
        return mixture_readout(*pairs, lam, base=base)

    def draw(fig, lam: float) -> tuple:
        # a colourbar needs a layout engine while it is placed (the Explorer's own
        # layout pass then keeps the positions)
        fig.set_layout_engine("constrained", w_pad=0.08, h_pad=0.06)
        left, right = fig.subplots(1, 2)
        # the heatmap, the segment and both curves do not move with λ: drawn once
        plot_divergence_heatmap(base=base, n=n, ax=left)
        plot_pair_segment(*pairs, ax=left)
        plot_mixture_chord(*pairs, base=base, ax=right)
        star = moving(left.plot([], [], marker="*", markersize=14, color=_MARK,
                                linestyle="none")[0])
        bar = moving(right.plot([], [], color=_MARK, marker="o")[0])
        note = moving(right.text(0.97, 0.04, "", transform=right.transAxes, va="bottom", ha="right",
                                 fontsize="small",
                                 bbox={"fc": "white", "ec": "0.6", "alpha": 0.9}))
        handles = (star, bar, note)
        animate(handles, lam)
        return handles

    def animate(handles: tuple, lam: float) -> bool:
        star, bar, note = handles
        (x0, y0), (x1, y1) = (pairs[0][0], pairs[1][0]), (pairs[2][0], pairs[3][0])
        star.set_data([lam * x0 + (1 - lam) * x1], [lam * y0 + (1 - lam) * y1])
        m = mixture_check(*pairs, lam, base=base)
        bar.set_data([lam, lam], [m.mixture, m.chord])
        note.set_text(f"λ = {lam:.2f} (star, and the red bar)\ngap = {m.gap:.4f} "
                      f"{unit_name(base)}")
        return True

    def alt(lam: float) -> str:
        return ("Left: heatmap of D(p‖q) over pairs of coins, with the segment of mixtures of "
                f"pair 1 and pair 2 and a star at λ = {lam:.2f}. Right: D of the mixed pair and "
                "the chord against λ; the chord lies above the curve everywhere.")

    return Explorer({"lam": slider("λ (weight of pair 1)", lam, 0.0, 1.0, 0.01)},
                    compute, draw, animate=animate, figsize=(10.0, 4.2), alt=alt)

"""Explorer for notebook 08: a slider over the order alpha of the Rényi divergence."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from klcourse.measures import kl_divergence, renyi_divergence
from klcourse.plots import unit_name
from klcourse.plots.beyond import renyi_curve
from klcourse.widgets import Explorer, moving, slider

__all__ = ["renyi_explorer"]


def renyi_explorer(p: ArrayLike, q: ArrayLike, *, base: float = 2,
                   alpha_max: float = 8.0) -> Explorer:
    """Slide the order alpha along the Rényi curve of a fixed pair ``(p, q)``.

    The readout shows ``D_alpha(p || q)`` and ``D_alpha(q || p)`` at the
    chosen order, next to ``KL = D_1`` and ``D_inf``; the figure is
    :func:`klcourse.plots.beyond.renyi_curve` with the current order marked.

    Parameters
    ----------
    p, q : array_like
        A pair of 1-D distributions.
    base : float, optional
        Unit, 2 (bits) by default.
    alpha_max : float, optional
        Largest order on the slider.

    Returns
    -------
    Explorer

    Examples
    --------
    Outside Jupyter the figure area writes terminal escape codes, hence the
    redirect:

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     ex = renyi_explorer([0.5, 0.5], [0.9, 0.1])
    ...     out = ex.update(alpha=1.0)
    >>> out["D_α(p || q)"][0] == out["KL(p || q) = D_1"][0]
    True
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    unit = unit_name(base)
    kl = kl_divergence(p, q, base=base)            # validates the pair once, up front
    d_inf = renyi_divergence(p, q, np.inf, base=base)

    def compute(alpha: float) -> dict:
        return {
            "α": f"{alpha:.2f}",
            "D_α(p || q)": (renyi_divergence(p, q, alpha, base=base), unit),
            "D_α(q || p)": (renyi_divergence(q, p, alpha, base=base), unit),
            "KL(p || q) = D_1": (kl, unit),
            "D_∞(p || q) = log max p/q": (d_inf, unit),
        }

    def draw(fig, alpha: float) -> tuple:
        ax = fig.add_subplot()
        renyi_curve(p, q, alpha_max=alpha_max, base=base, ax=ax)   # the curve does not move
        mark = moving(ax.plot([], [], "s", ms=10, mfc="none", mec="black", zorder=4)[0])
        note = moving(ax.text(0.3, 0.2, "", transform=ax.transAxes, va="bottom",
                              bbox={"fc": "white", "ec": "0.6", "alpha": 0.9}))
        animate((mark, note), alpha)
        return mark, note

    def animate(handles: tuple, alpha: float) -> bool:
        mark, note = handles
        d = renyi_divergence(p, q, alpha, base=base)
        mark.set_data([alpha], [d])
        note.set_text(f"□ α = {alpha:.2f}: D_α(p || q) = {d:.3f} {unit}")
        return True

    def alt(alpha: float) -> str:
        return (f"The Rényi divergence of p from q against its order α from 0 to {alpha_max:g}, "
                f"rising from D_0 to D_∞; a square marks α = {alpha:.2f}.")

    return Explorer({"alpha": slider("order α", 1.0, 0.0, alpha_max, 0.05)},
                    compute=compute, draw=draw, animate=animate, figsize=(7.0, 3.8), alt=alt)

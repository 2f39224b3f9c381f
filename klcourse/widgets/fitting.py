"""Explorer for notebook 05: a slider over the binomial's p, bars overlaid, divergences live."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from klcourse.data import SPACE_WORM_TEETH
from klcourse.fitting import binomial_family, binomial_pmf, fit_binomial, kl_curve
from klcourse.plots import COLORS, bar_compare, unit_name
from klcourse.widgets import Explorer, moving, slider

__all__ = ["binomial_explorer"]


def binomial_explorer(observed: ArrayLike = SPACE_WORM_TEETH, *, p: float = 0.5,
                      base: float = 2, xlabel: str = "count") -> Explorer:
    """Slide p and watch Binomial(n, p) against the observed bars, with both divergences.

    The readout shows ``D(observed || Binomial(n, p))``,
    ``D(Binomial(n, p) || observed)`` and the forward minimiser (``mean / n``);
    the figure shows the bars on the left and both divergence curves, with
    the current p marked, on the right.

    Parameters
    ----------
    observed : array_like
        Observed probabilities of ``0..n`` (the space worms by default).
    p : float
        Starting value of the slider.
    base : float
        Logarithm base, 2 (bits) by default.
    xlabel : str
        Label of the counts axis of the bar chart.

    Examples
    --------
    >>> ex = binomial_explorer(p=0.3)
    >>> readout = ex.update(p=0.544)
    >>> round(readout["D(observed || Binomial)"][0], 4)
    0.6165
    """
    fit = fit_binomial(observed, base=base)  # validates observed
    obs = np.asarray(observed, dtype=float)
    n = fit.n
    family = binomial_family(n)
    unit = unit_name(base)
    grid = np.linspace(0.0, 1.0, 201)
    curves = {d: kl_curve(obs, family, grid, direction=d, base=base) for d in ("forward", "reverse")}

    def compute(p: float) -> dict:
        d_fwd, d_rev = (float(kl_curve(obs, family, [p], direction=d, base=base)[0])
                        for d in ("forward", "reverse"))
        return {
            "D(observed || Binomial)": (d_fwd, unit),
            "D(Binomial || observed)": (d_rev, unit),
            "forward minimiser p* = mean / n": fit.p,
        }

    top = max(3 * float(np.nanmin(curves["forward"])), 2.0)
    styles = (("forward", "-", COLORS[0], "D(observed || Bin)"),
              ("reverse", "--", COLORS[1], "D(Bin || observed)"))

    def draw(fig: Figure, p: float) -> dict:
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
        pmf = binomial_pmf(n, p)
        bar_compare(obs, pmf, labels=["observed", f"Binomial({n}, p)"],
                    ax=left, title=f"Observed vs Binomial({n}, p = {p:.2f})",
                    xlabel=xlabel, ylabel="probability")
        left.set_ylim(0, 1.1 * max(float(obs.max()), float(pmf.max())))
        handles = {"bars": left.containers[1], "title": left.title, "ax": left, "now": {}}
        moving(*handles["bars"], left.title)
        for d, style, color, label in styles:
            y = np.where(np.isfinite(curves[d]), curves[d], np.nan)
            right.plot(grid, y, style, color=color, label=label)
            handles["now"][d] = moving(right.plot([], [], "o", color=color, zorder=3,
                                                  clip_on=False)[0])
        right.axvline(fit.p, color="0.3", linestyle=":", label=f"mean / n = {fit.p:.3f}")
        right.set_ylim(0, top)
        right.set_xlabel("p")
        right.set_ylabel(f"divergence ({unit})")
        right.set_title("Both directions against p")
        right.legend(fontsize="small")
        animate(handles, p)
        return handles

    def animate(handles: dict, p: float) -> bool:
        pmf = binomial_pmf(n, p)
        tallest, ceiling = max(float(obs.max()), float(pmf.max())), handles["ax"].get_ylim()[1]
        if not 0.5 * ceiling <= tallest <= ceiling:
            return False        # the bars outgrow the axis, or shrink far below its top: redraw
        for bar, h in zip(handles["bars"], pmf):
            bar.set_height(h)
        handles["title"].set_text(f"Observed vs Binomial({n}, p = {p:.2f})")
        for d, mark in handles["now"].items():
            now = float(kl_curve(obs, family, [p], direction=d, base=base)[0])
            if now <= top:
                mark.set_data([p], [now])
                mark.set_marker("o")
            else:  # off the chart (possibly infinite): a triangle at the top edge
                mark.set_data([p], [top])
                mark.set_marker("^")
        return True

    def alt(p: float) -> str:
        return (f"Left: bars of the observed distribution of {xlabel} and of Binomial({n}, "
                f"{p:.2f}). Right: both divergences between them against p, with dots at "
                f"p = {p:.2f} and a dotted line at the forward minimiser mean / n = {fit.p:.3f}.")

    return Explorer({"p": slider("p", p, 0.0, 1.0, 0.01)}, compute, draw, animate=animate,
                    figsize=(10.0, 3.6), alt=alt)

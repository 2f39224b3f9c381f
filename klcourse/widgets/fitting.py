"""Explorer for notebook 05: a slider over the binomial's p, bars overlaid, divergences live."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from klcourse.data import SPACE_WORM_TEETH
from klcourse.fitting import binomial_family, binomial_pmf, fit_binomial, kl_curve
from klcourse.plots import COLORS, bar_compare, unit_name
from klcourse.widgets import Explorer, slider

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

    def draw(fig: Figure, p: float) -> None:
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
        bar_compare(obs, binomial_pmf(n, p), labels=["observed", f"Binomial({n}, {p:.2f})"],
                    ax=left, title=f"Observed vs Binomial({n}, p = {p:.2f})",
                    xlabel=xlabel, ylabel="probability")
        for d, style, color, label in (("forward", "-", COLORS[0], "D(observed || Bin)"),
                                       ("reverse", "--", COLORS[1], "D(Bin || observed)")):
            y = np.where(np.isfinite(curves[d]), curves[d], np.nan)
            right.plot(grid, y, style, color=color, label=label)
            now = float(kl_curve(obs, family, [p], direction=d, base=base)[0])
            if now <= top:
                right.scatter([p], [now], color=color, zorder=3)
            else:  # off the chart (possibly infinite): a triangle at the top edge
                right.scatter([p], [top], marker="^", color=color, zorder=3, clip_on=False)
        right.axvline(fit.p, color="0.3", linestyle=":", label=f"mean / n = {fit.p:.3f}")
        right.set_ylim(0, top)
        right.set_xlabel("p")
        right.set_ylabel(f"divergence ({unit})")
        right.set_title("Both directions against p")
        right.legend(fontsize="small")

    return Explorer({"p": slider("p", p, 0.0, 1.0, 0.01)}, compute, draw, figsize=(10.0, 3.6))

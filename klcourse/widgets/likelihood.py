"""The explorer of notebook 06: testing one coin against another.

Two hypotheses about a coin, ``p`` (the null) and ``q``, each set by its
probability of heads. The readout gives both divergences and, at the largest
sample size, the exact type-II error next to Stein's prediction; the figure
shows ``log2 beta_n`` against n (exact, importance-sampled, predicted) and the
exponent ``-log2(beta_n)/n`` creeping up to ``D(p||q)``.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from klcourse.likelihood import lr_test_exact, lr_test_simulate, stein_prediction
from klcourse.measures import kl_divergence
from klcourse.plots import COLORS
from klcourse.widgets import REPAINT, Explorer, fits, moving, nice_ceiling, slider

__all__ = ["coin_test_readout", "lr_test_explorer"]


def _coin(h: float) -> np.ndarray:
    return np.array([1.0 - h, h])


def coin_test_readout(p_heads: float, q_heads: float, alpha: float, n_max: int = 300) -> dict:
    """The numbers the explorer shows, in bits (a pure function, tested directly).

    Parameters
    ----------
    p_heads, q_heads : float
        Probability of heads under the two hypotheses.
    alpha : float
        Type-I error of the test.
    n_max : int, optional
        Sample size at which the exact and predicted errors are shown.

    Returns
    -------
    dict
        Readout label -> (value, unit).

    Examples
    --------
    >>> r = coin_test_readout(0.5, 0.8, 0.05)
    >>> round(r["D(p‖q)"][0], 4), r["D(p‖q)"][1]
    (0.3219, 'bits')
    """
    p, q = _coin(p_heads), _coin(q_heads)
    exact = lr_test_exact(p, q, [n_max], alpha=alpha)
    return {
        "D(p‖q)": (kl_divergence(p, q), "bits"),
        "D(q‖p)": (kl_divergence(q, p), "bits"),
        f"log2 β at n={n_max}, exact": (float(exact.log_beta[0]), "bits"),
        f"log2 β at n={n_max}, Stein −nD": (float(stein_prediction(p, q, [n_max], alpha=alpha, order=1)[0]), "bits"),
        f"log2 β at n={n_max}, with √n term": (float(stein_prediction(p, q, [n_max], alpha=alpha, order=2)[0]), "bits"),
        f"−log2(β)/n at n={n_max}": (float(exact.exponent[0]), "bits/sample"),
    }


@functools.lru_cache(maxsize=256)
def _curves(p_heads: float, q_heads: float, alpha: float, n_max: int) -> dict:
    """Everything the figure plots, for one setting of the sliders (bits).

    Kept for the settings seen (~20 ms each, most of a move): a slider moved
    back to a value is only painted. Callers must not modify the arrays.
    """
    p, q = _coin(p_heads), _coin(q_heads)
    ns = np.unique(np.geomspace(1, n_max, 60).astype(np.int64))
    grid = np.arange(1, n_max + 1)
    exact = lr_test_exact(p, q, ns, alpha=alpha)
    sim = lr_test_simulate(p, q, ns[:: max(1, ns.size // 8)], alpha=alpha, trials=4000, seed=0)
    stein2 = stein_prediction(p, q, grid, alpha=alpha, order=2)
    return {"d": kl_divergence(p, q), "ns": ns, "grid": grid, "exact": exact, "sim": sim,
            "stein1": stein_prediction(p, q, grid, alpha=alpha, order=1), "stein2": stein2,
            "exponent2": -stein2 / grid}


def _limits(c: dict) -> tuple[tuple[float, float], tuple[float, float]]:
    """y-limits of the two panels holding every curve of `c`, from a 1-2-5 ladder."""
    ys = np.concatenate([c["exact"].log_beta, c["stein1"], c["stein2"],
                         c["sim"].log_beta - 2 * c["sim"].stderr])
    ys = ys[np.isfinite(ys)]
    low, high = float(ys.min()), float(ys.max())
    # above 0 only the √n-corrected line climbs, rarely past 5 bits (z² V / 4D at
    # its top): 5 as the least top keeps the limits still while it wanders at 1-4 bits
    lim1 = (-nice_ceiling(max(-low, 1e-3)) * 1.1,
            max(5.0, nice_ceiling(high)) if high > 0 else 0.5)
    expo = c["exact"].exponent[np.isfinite(c["exact"].exponent)]
    bottom = min([0.0, *expo.tolist()])
    lim2 = (-nice_ceiling(-bottom) if bottom < 0 else 0.0,
            nice_ceiling(1.15 * c["d"]) if c["d"] > 0 else 1.0)
    return lim1, lim2


def _data_range(c: dict) -> tuple[tuple[float, float], tuple[float, float]]:
    ys = np.concatenate([c["exact"].log_beta, c["stein1"], c["stein2"],
                         c["sim"].log_beta - 2 * c["sim"].stderr])
    ys = ys[np.isfinite(ys)]
    expo = c["exact"].exponent[np.isfinite(c["exact"].exponent)]
    return ((float(ys.min()), max(0.0, float(ys.max()))),
            (min([0.0, *expo.tolist()]), c["d"]))


def _error_segments(n: np.ndarray, y: np.ndarray, err: np.ndarray) -> list:
    return [[(x, lo), (x, hi)] for x, lo, hi in zip(n, y - err, y + err)]


def _draw(fig: Figure, p_heads: float, q_heads: float, alpha: float, n_max: int = 300) -> dict:
    """The two panels of :func:`~klcourse.plots.likelihood.plot_error_curves` and
    :func:`~klcourse.plots.likelihood.plot_exponent`, drawn with artists that move in place."""
    c = _curves(p_heads, q_heads, alpha, n_max)
    ax1, ax2 = fig.subplots(1, 2)
    h: dict = {"ax1": ax1, "ax2": ax2}
    h["stein1"] = ax1.plot(c["grid"], c["stein1"], ":", color="0.2",
                           label="Stein: slope −D(p‖q)")[0]
    h["stein2"] = ax1.plot(c["grid"], c["stein2"], "--", color=COLORS[2],
                           label="with the √n correction")[0]
    h["exact"] = ax1.plot(c["exact"].n, c["exact"].log_beta, color=COLORS[0], lw=2,
                          label="exact (sum over types)")[0]
    h["sim"] = ax1.plot(c["sim"].n, c["sim"].log_beta, "o", color=COLORS[1], ms=4,
                        label="importance sampling (±2 s.e.)")[0]
    h["sim_err"] = ax1.add_collection(LineCollection(
        _error_segments(c["sim"].n, c["sim"].log_beta, 2 * c["sim"].stderr), colors=COLORS[1]))
    h["title1"] = ax1.title
    ax1.set_xlim(0, n_max * 1.02)
    ax1.set_xlabel("sample size n")
    ax1.set_ylabel("log₂ β_n  (bits; −10 means β_n = 2⁻¹⁰)")
    ax1.legend(fontsize="x-small", loc="lower left")
    h["D"] = ax2.axhline(c["d"], color=COLORS[1], lw=2, label="D(p‖q)")
    h["exponent2"] = ax2.plot(c["grid"], c["exponent2"], "--", color=COLORS[2],
                              label="D − √(V/n)·z  (second order)")[0]
    h["exponent"] = ax2.plot(c["exact"].n, c["exact"].exponent, "o-", color=COLORS[0], ms=4,
                             label="exact")[0]
    h["note"] = ax2.text(0.03, 0.95, "", transform=ax2.transAxes, va="top", fontsize="small",
                         bbox={"fc": "white", "ec": "0.6", "alpha": 0.9})
    ax2.set_xscale("log")
    ax2.set_xlim(0.8, n_max * 1.25)
    ax2.set_xlabel("sample size n")
    ax2.set_ylabel("−log₂(β_n)/n  (bits per sample)")
    ax2.set_title("exponent −log₂(β_n)/n → D(p‖q)", fontsize="medium")
    ax2.legend(fontsize="x-small", loc="lower right")
    lim1, lim2 = _limits(c)
    ax1.set_ylim(*lim1)
    ax2.set_ylim(*lim2)
    # ticks at 1, 2 or 5 times a power of ten: on limits from the same ladder their
    # labels keep their width (0.00-0.10, 0.00-0.20): new limits rarely need a layout
    ax2.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    moving(*(h[k] for k in ("stein1", "stein2", "exact", "sim", "sim_err", "title1", "D",
                            "exponent2", "exponent", "note")))
    _move(h, c, p_heads, q_heads)
    return h


def _move(h: dict, c: dict, p_heads: float, q_heads: float) -> None:
    h["stein1"].set_ydata(c["stein1"])
    h["stein2"].set_ydata(c["stein2"])
    h["exact"].set_data(c["exact"].n, c["exact"].log_beta)
    h["sim"].set_data(c["sim"].n, c["sim"].log_beta)
    h["sim_err"].set_segments(_error_segments(c["sim"].n, c["sim"].log_beta,
                                              2 * c["sim"].stderr))
    h["title1"].set_text(f"log₂ β_n: p = Bern({p_heads:.2f}) vs q = Bern({q_heads:.2f})")
    h["D"].set_ydata([c["d"], c["d"]])
    h["exponent2"].set_ydata(c["exponent2"])
    h["exponent"].set_data(c["exact"].n, c["exact"].exponent)
    h["note"].set_text(f"D(p‖q) = {c['d']:.4f} bits/sample")


def _animate(h: dict, p_heads: float, q_heads: float, alpha: float, n_max: int = 300):
    c = _curves(p_heads, q_heads, alpha, n_max)
    _move(h, c, p_heads, q_heads)
    (lo1, hi1), (lo2, hi2) = _data_range(c)
    if fits(h["ax1"].get_ylim(), lo1, hi1) and fits(h["ax2"].get_ylim(), lo2, hi2):
        return True
    lim1, lim2 = _limits(c)        # a rung of the ladder crossed: new limits, same artists
    h["ax1"].set_ylim(*lim1)
    h["ax2"].set_ylim(*lim2)
    return REPAINT


def lr_test_explorer(p_heads: float = 0.5, q_heads: float = 0.8, alpha: float = 0.05,
                     n_max: int = 300) -> Explorer:
    """Sliders over two coins' biases and the type-I error; error curves and divergences.

    Parameters
    ----------
    p_heads, q_heads : float, optional
        Initial probabilities of heads under the two hypotheses.
    alpha : float, optional
        Initial type-I error.
    n_max : int, optional
        Largest sample size shown.

    Returns
    -------
    Explorer

    Examples
    --------
    >>> ex = lr_test_explorer()
    >>> readout = ex.update(q_heads=0.6)
    >>> round(readout["D(p‖q)"][0], 4)
    0.029
    """
    return Explorer(
        {"p_heads": slider("p: P(heads) under the null", p_heads, 0.02, 0.98, 0.01),
         "q_heads": slider("q: P(heads) under the alternative", q_heads, 0.02, 0.98, 0.01),
         "alpha": slider("type-I error α", alpha, 0.01, 0.3, 0.01)},
        compute=lambda p_heads, q_heads, alpha: coin_test_readout(p_heads, q_heads, alpha, n_max),
        draw=lambda fig, p_heads, q_heads, alpha: _draw(fig, p_heads, q_heads, alpha, n_max),
        animate=lambda h, p_heads, q_heads, alpha: _animate(h, p_heads, q_heads, alpha, n_max),
        figsize=(11.0, 4.0),
        alt=lambda p_heads, q_heads, alpha: (
            f"Left: log2 of the type-II error β_n of the likelihood-ratio test of "
            f"p = Bern({p_heads:.2f}) against q = Bern({q_heads:.2f}) at type-I error "
            f"{alpha:.2f}, for n up to {n_max}: exact, importance-sampled and Stein's "
            f"straight line of slope −D(p‖q). Right: the exponent −log2(β_n)/n creeping up "
            f"to D(p‖q)."),
    )

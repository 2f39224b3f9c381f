"""Explorer for notebook 10: the k-NN estimate of KL from samples, with its subsampling interval."""

from __future__ import annotations

import functools

import ipywidgets as widgets
import numpy as np

from klcourse.estimation import bootstrap_ci, kl_knn
from klcourse.gaussian import kl_gaussian
from klcourse.widgets import REPAINT, Explorer, _slider_look, moving

__all__ = ["knn_explorer"]


def knn_explorer(*, mu: float = 1.0, sigma: float = 1.5, seed: int = 10,
                 resamples: int = 30) -> Explorer:
    """Sample sizes and k as sliders; the estimate and its subsampling interval against the truth.

    p = N(0, 1) and q = N(mu, sigma^2) in one dimension, so the true D(p || q)
    is the Gaussian closed form. Each setting draws its samples with a seed
    fixed by (n, m), so moving k alone changes only the estimator.

    Parameters
    ----------
    mu, sigma : float, optional
        Mean and standard deviation of q.
    seed : int, optional
        Seed of the samples (with n and m).
    resamples : int, optional
        Subsamples behind the interval.

    Returns
    -------
    Explorer

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     ex = knn_explorer(resamples=20)
    ...     out = ex.update(n=400)
    >>> out["true D(p || q)"][0] == kl_gaussian(0, 1, 1.0, 1.5, base=2)
    True
    """
    truth = kl_gaussian(0.0, 1.0, mu, sigma, base=2)

    def data(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng([seed, n, m])
        return rng.normal(0, 1, n), rng.normal(mu, sigma, m)

    @functools.lru_cache(maxsize=64)      # compute and draw ask for the same setting
    def estimate(n: int, m: int, k: int):
        x, y = data(n, m)
        return bootstrap_ci(lambda a, b: kl_knn(a, b, k=k), x, y, n_resamples=resamples,
                            level=0.9, seed=seed, resample="subsample")

    def compute(n: int, m: int, k: int) -> dict:
        ci = estimate(n, m, k)
        return {"k-NN estimate": (ci.estimate, "bits"),
                "90 % subsampling interval": f"[{ci.low:.3f}, {ci.high:.3f}] bits",
                "true D(p || q)": (truth, "bits"),
                "covers the truth": "yes" if ci.low <= truth <= ci.high else "no"}

    def draw(fig, n: int, m: int, k: int) -> dict:
        ax = fig.add_subplot()
        ax.axvline(truth, color="black", lw=1.2, ls="--", label=f"true D = {truth:.3f} bits")
        # the estimate and its interval move in place (an errorbar drawn by hand: a dot,
        # a bar and two caps), so a change paints only them
        h = {"ax": ax,
             "bar": ax.plot([], [], color="#1f77b4", lw=1.5)[0],
             "caps": ax.plot([], [], "|", color="#1f77b4", ms=14, mew=1.5)[0],
             "dot": ax.plot([], [], "o", color="#1f77b4", ms=8,
                            label="estimate with 90 % subsampling interval")[0],
             "title": ax.title}
        moving(h["bar"], h["caps"], h["dot"], ax.title)
        ax.set(xlim=(-0.2, 1.4), ylim=(-1, 1), yticks=[], xlabel="D(p || q) (bits)")
        ax.legend(loc="upper right", fontsize=8)
        animate(h, n, m, k)
        return h

    def animate(h: dict, n: int, m: int, k: int):
        ci = estimate(n, m, k)
        h["bar"].set_data([ci.low, ci.high], [0, 0])
        h["caps"].set_data([ci.low, ci.high], [0, 0])
        h["dot"].set_data([ci.estimate], [0])
        h["title"].set_text(f"k-NN estimate from n = {n}, m = {m} samples, k = {k}")
        lo, hi = h["ax"].get_xlim()
        if lo <= ci.low - 0.05 and ci.high + 0.05 <= hi:
            return True
        h["ax"].set_xlim(min(-0.2, ci.low - 0.05), max(1.4, ci.high + 0.05))
        return REPAINT

    def alt(n: int, m: int, k: int) -> str:
        return (f"The k-NN estimate of D(p || q) with k = {k} from {n} and {m} samples, drawn as "
                "a dot with its subsampling interval, beside a dashed line at the true value.")

    def int_slider(description: str, value: int, lo: int, hi: int, step: int):
        return widgets.IntSlider(value=value, min=lo, max=hi, step=step,
                                 description=description, **_slider_look())

    return Explorer({"n": int_slider("samples of p, n", 400, 50, 2000, 50),
                     "m": int_slider("samples of q, m", 400, 50, 2000, 50),
                     "k": int_slider("neighbour k", 5, 1, 25, 1)},
                    compute=compute, draw=draw, animate=animate, figsize=(7.0, 2.6), alt=alt)

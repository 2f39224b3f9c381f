"""Explorer for notebook 10: the k-NN estimate of KL from samples, and its interval.

Speed: a setting of the sliders needs the estimate (one k-NN fit on the
samples) and its interval (a k-NN fit on each of `resamples` half-samples,
those ``bootstrap_ci(..., resample="subsample")`` draws). The half-samples
depend on n and m only, so the explorer keeps them, sorted, per (n, m), and
finds the k-th neighbours of all their points in one array operation (a move
of k sorts nothing). The interval is still the one ``bootstrap_ci``
computes from :func:`~klcourse.estimation.kl_knn` (a test compares them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from klcourse.estimation import kl_knn
from klcourse.estimation.bootstrap import (BootstrapCI, subsample_interval,
                                          subsample_plan)
from klcourse.gaussian import kl_gaussian
from klcourse.widgets import REPAINT, Explorer, _slider_look, moving

__all__ = ["knn_explorer"]


def _kth_of_two(u: Callable[[int], np.ndarray], v: Callable[[int], np.ndarray],
                k: int) -> np.ndarray:
    """The k-th smallest of ``u(1) <= u(2) <= ...`` and ``v(1) <= v(2) <= ...`` joined.

    The k smallest are the first t of u and the first k - t of v for some t,
    so the k-th is the least over t of ``max(u(t), v(k - t))`` (with ``u(0) =
    v(0) = 0``, for distances): no sort, k + 1 elementwise steps.
    """
    kth = np.minimum(u(k), v(k))
    for t in range(1, k):
        np.minimum(kth, np.maximum(u(t), v(k - t)), out=kth)
    return kth


class _HalfSamples:
    """The half-samples ``bootstrap_ci(..., resample="subsample")`` draws, sorted (1-D).

    ``estimates(k)`` is ``[kl_knn(a, b, k=k) for a, b in halves]`` (bits): the
    same distances -- from each point of ``a`` to its k-th nearest neighbour
    among the other points of ``a`` and among ``b`` -- and the same formula,
    for all half-samples at once. On a line the k nearest neighbours of a
    point are among the k on either side of it in sorted order, so sorting
    each half-sample once (per n and m) serves every k. A half-sample with
    repeated values (a neighbour at distance 0, which kl_knn skips) is left
    to kl_knn itself.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, n_resamples: int,
                 seed: int) -> None:
        plan = subsample_plan((len(x), len(y)), n_resamples, seed)
        self.halves = [(x[i], y[j]) for i, j in plan]
        self.a = np.sort([a for a, _ in self.halves], axis=1)      # (resamples, n // 2)
        self.b = np.sort([b for _, b in self.halves], axis=1)      # (resamples, m // 2)
        # where each point of a falls among the points of b
        self.pos = np.array([np.searchsorted(b, a) for a, b in zip(self.a, self.b)])

    def estimates(self, k: int) -> np.ndarray | None:
        """kl_knn on each half-sample at this k (bits); None if they are too small."""
        (r, n), m = self.a.shape, self.b.shape[1]
        if n < k + 1 or m < k:        # kl_knn's conditions: n >= k + 1, m >= k
            return None
        pad = np.full((r, k), np.inf)
        a, b = np.hstack([-pad, self.a, pad]), np.hstack([-pad, self.b, pad])
        x, at = self.a, self.pos + k   # at: first point of b at or above x (padded)

        def left(t: int) -> np.ndarray:      # to the t-th point of a on the left
            return x - a[:, k - t:k - t + n]

        def right(t: int) -> np.ndarray:
            return a[:, k + t:k + t + n] - x

        def below(t: int) -> np.ndarray:     # to the t-th point of b below
            return x - np.take_along_axis(b, at - t, axis=1)

        def above(t: int) -> np.ndarray:
            return np.take_along_axis(b, at + t - 1, axis=1) - x

        rho, nu = _kth_of_two(left, right, k), _kth_of_two(below, above, k)
        repeats = ((left(1) == 0) | (right(1) == 0) | (below(1) == 0)
                   | (above(1) == 0)).any(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (np.log(nu / rho).mean(axis=1) + np.log(m / (n - 1))) / np.log(2)
        for i in np.flatnonzero(repeats):
            out[i] = kl_knn(*self.halves[i], k=k)
        return out


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
        Half-samples behind the interval (those of ``bootstrap_ci(...,
        resample="subsample")``, whose interval it is).

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

    @functools.lru_cache(maxsize=16)
    def halves(n: int, m: int) -> _HalfSamples:
        return _HalfSamples(*data(n, m), resamples, seed)

    @functools.lru_cache(maxsize=256)      # compute and draw ask for the same setting
    def estimate(n: int, m: int, k: int) -> tuple[float, BootstrapCI | None]:
        """The estimate; its interval, or None where the half-samples are too small."""
        x, y = data(n, m)
        full = kl_knn(x, y, k=k)
        values = halves(n, m).estimates(k)
        if values is None:
            return full, None
        return full, subsample_interval(full, values, level=0.9, sizes=(n, m))

    def compute(n: int, m: int, k: int) -> dict:
        full, ci = estimate(n, m, k)
        interval = (f"[{ci.low:.3f}, {ci.high:.3f}] bits" if ci is not None else
                    f"none at k = {k}: a fit on half-samples needs n/2 >= k + 1 and "
                    f"m/2 >= k")
        return {"k-NN estimate": (full, "bits"),
                "90 % subsampling interval": interval,
                "true D(p || q)": (truth, "bits"),
                "covers the truth": ("—" if ci is None else
                                     "yes" if ci.low <= truth <= ci.high else "no")}

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
        full, ci = estimate(n, m, k)
        ends = [ci.low, ci.high] if ci is not None else []
        h["bar"].set_data(ends, [0] * len(ends))
        h["caps"].set_data(ends, [0] * len(ends))
        h["dot"].set_data([full], [0])
        h["title"].set_text(f"k-NN estimate from n = {n}, m = {m} samples, k = {k}")
        low, high = (ci.low, ci.high) if ci is not None else (full, full)
        lo, hi = h["ax"].get_xlim()
        if lo <= low - 0.05 and high + 0.05 <= hi:
            return True
        h["ax"].set_xlim(min(-0.2, low - 0.05), max(1.4, high + 0.05))
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

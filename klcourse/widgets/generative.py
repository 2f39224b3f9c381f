"""Explorer for notebook 07: factorised Gaussian fits of a correlated posterior."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from klcourse.gaussian import kl_mvn
from klcourse.generative.vi import forward_kl_factorised, reverse_kl_factorised
from klcourse.plots.generative import posterior_ellipses
from klcourse.widgets import REPAINT, Explorer, moving, slider

__all__ = ["factorised_fit_explorer", "factorised_fit_readout"]


def _target(rho: float, ratio: float) -> tuple[np.ndarray, np.ndarray]:
    sds = np.array([1.0, ratio])
    cov = np.array([[1.0, rho], [rho, 1.0]]) * np.outer(sds, sds)
    return np.zeros(2), cov


def factorised_fit_readout(rho: float, ratio: float) -> dict:
    """Numbers shown by the explorer: fitted standard deviations and divergences (nats).

    The target is ``N(0, cov)`` with standard deviations 1 and `ratio` and
    correlation `rho`.

    Parameters
    ----------
    rho : float
        Correlation, strictly between -1 and 1.
    ratio : float
        Standard deviation of w2 divided by that of w1.

    Returns
    -------
    dict
        Readout label -> value (or ``(value, unit)``).

    Examples
    --------
    >>> r = factorised_fit_readout(0.0, 1.0)
    >>> r["reverse fit: D(q || p)"][0], r["forward fit: D(p || q)"][0]
    (0.0, 0.0)
    """
    mean, cov = _target(rho, ratio)
    m_r, s_r = reverse_kl_factorised(mean, cov)
    m_f, s_f = forward_kl_factorised(mean, cov)
    return {
        "true marginal sd of w1": float(np.sqrt(cov[0, 0])),
        "reverse fit sd of w1": float(s_r[0]),
        "forward fit sd of w1": float(s_f[0]),
        "true marginal sd of w2": float(np.sqrt(cov[1, 1])),
        "reverse fit sd of w2": float(s_r[1]),
        "forward fit sd of w2": float(s_f[1]),
        "reverse fit: D(q || p)": (kl_mvn(m_r, np.diag(s_r**2), mean, cov, base=np.e), "nats"),
        "forward fit: D(p || q)": (kl_mvn(mean, cov, m_f, np.diag(s_f**2), base=np.e), "nats"),
    }


def _geometry(cov: np.ndarray, nsig: float = 2.0) -> tuple[float, float, float]:
    """Width, height and angle (degrees) of the `nsig`-sigma ellipse of `cov`."""
    vals, vecs = np.linalg.eigh(cov)
    w, h = 2 * nsig * np.sqrt(vals[::-1])
    return float(w), float(h), float(np.degrees(np.arctan2(vecs[1, -1], vecs[0, -1])))


def _title(rho: float) -> str:
    return f"correlation {rho:.2f}: 2-sigma ellipses"


def _draw(fig: Figure, rho: float, ratio: float) -> dict:
    mean, cov = _target(rho, ratio)
    ax = fig.add_subplot(1, 1, 1)
    posterior_ellipses(mean, cov, {"reverse KL fit": reverse_kl_factorised(mean, cov),
                                   "forward KL fit": forward_kl_factorised(mean, cov)},
                       ax=ax, title=_title(rho))
    # the patches: true (filled), true (outline), reverse fit, forward fit; the axis
    # limits depend on the sd ratio only, so a change of rho moves them in place
    moving(*ax.patches, ax.title)
    return {"ratio": ratio, "ellipses": list(ax.patches), "title": ax.title}


def _animate(h: dict, rho: float, ratio: float):
    mean, cov = _target(rho, ratio)
    covs = [cov, cov] + [np.diag(sd**2) for _, sd in (reverse_kl_factorised(mean, cov),
                                                      forward_kl_factorised(mean, cov))]
    for patch, c in zip(h["ellipses"], covs):
        w, hh, angle = _geometry(c)
        patch.set_width(w)
        patch.set_height(hh)
        patch.set_angle(angle)
    h["title"].set_text(_title(rho))
    if ratio == h["ratio"]:
        return True
    # the limits follow the sd ratio (as posterior_ellipses sets them: 1.15 x the reach
    # of the widest ellipse, the true marginal sds times 2 here)
    ax = h["title"].axes
    pad = 1.15 * 2.0 * np.sqrt(np.diag(cov))
    ax.set_xlim(mean[0] - pad[0], mean[0] + pad[0])
    ax.set_ylim(mean[1] - pad[1], mean[1] + pad[1])
    h["ratio"] = ratio
    return REPAINT


def factorised_fit_explorer() -> Explorer:
    """Sliders for the correlation and the sd ratio of a 2-D Gaussian; both factorised fits.

    Returns
    -------
    Explorer
        Display it in a notebook; ``update(rho=..., ratio=...)`` in tests.

    Examples
    --------
    >>> ex = factorised_fit_explorer()
    >>> round(ex.update(rho=0.0)["reverse fit sd of w1"], 6)
    1.0
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    return Explorer({"rho": slider("correlation rho", 0.9, -0.95, 0.95, 0.05),
                     "ratio": slider("sd of w2 / sd of w1", 1.0, 0.5, 2.0, 0.1)},
                    compute=factorised_fit_readout, draw=_draw, animate=_animate,
                    figsize=(5.0, 4.4),
                    alt=lambda rho, ratio: (
                        f"Two-sigma ellipses of a 2-D Gaussian with correlation {rho:.2f} and "
                        f"sd ratio {ratio:.1f}, with its reverse-KL factorised fit (too narrow) "
                        f"and forward-KL factorised fit (too wide), both axis-aligned."))

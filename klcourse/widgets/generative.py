"""Explorer for notebook 07: factorised Gaussian fits of a correlated posterior."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from klcourse.gaussian import kl_mvn
from klcourse.generative.vi import forward_kl_factorised, reverse_kl_factorised
from klcourse.plots.generative import posterior_ellipses
from klcourse.widgets import Explorer, slider

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


def _draw(fig: Figure, rho: float, ratio: float) -> None:
    mean, cov = _target(rho, ratio)
    ax = fig.add_subplot(1, 1, 1)
    posterior_ellipses(mean, cov, {"reverse KL fit": reverse_kl_factorised(mean, cov),
                                   "forward KL fit": forward_kl_factorised(mean, cov)},
                       ax=ax, title=f"correlation {rho:.2f}: 2-sigma ellipses")


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
                    compute=factorised_fit_readout, draw=_draw, figsize=(5.0, 4.4),
                    alt=lambda rho, ratio: (
                        f"Two-sigma ellipses of a 2-D Gaussian with correlation {rho:.2f} and "
                        f"sd ratio {ratio:.1f}, with its reverse-KL factorised fit (too narrow) "
                        f"and forward-KL factorised fit (too wide), both axis-aligned."))

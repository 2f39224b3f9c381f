"""The explorer of notebook 06: testing one coin against another.

Two hypotheses about a coin, ``p`` (the null) and ``q``, each set by its
probability of heads. The readout gives both divergences and, at the largest
sample size, the exact type-II error next to Stein's prediction; the figure
shows ``log2 beta_n`` against n (exact, importance-sampled, predicted) and the
exponent ``-log2(beta_n)/n`` creeping up to ``D(p||q)``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from klcourse.likelihood import lr_test_exact, lr_test_simulate, stein_prediction
from klcourse.measures import kl_divergence
from klcourse.plots.likelihood import plot_error_curves, plot_exponent
from klcourse.widgets import Explorer, slider

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


def _draw(fig: Figure, p_heads: float, q_heads: float, alpha: float, n_max: int = 300) -> None:
    p, q = _coin(p_heads), _coin(q_heads)
    ns = np.unique(np.geomspace(1, n_max, 60).astype(np.int64))
    exact = lr_test_exact(p, q, ns, alpha=alpha)
    sim = lr_test_simulate(p, q, ns[:: max(1, ns.size // 8)], alpha=alpha, trials=4000, seed=0)
    ax1, ax2 = fig.subplots(1, 2)
    plot_error_curves(p, q, exact=exact, simulated=sim, alpha=alpha, ax=ax1)
    plot_exponent(p, q, exact, alpha=alpha, ax=ax2)
    ax1.set_title(f"log₂ β_n: p = Bern({p_heads:.2f}) vs q = Bern({q_heads:.2f})", fontsize="medium")
    ax2.set_title("exponent −log₂(β_n)/n → D(p‖q)", fontsize="medium")
    for ax in (ax1, ax2):
        ax.legend(fontsize="x-small")


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
        figsize=(11.0, 4.0),
    )

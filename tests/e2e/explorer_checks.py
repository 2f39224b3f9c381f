"""What each notebook's Explorer must show, computed independently with klcourse.

For every notebook (by file stem) that displays widgets, one entry or more: the
readout row to watch (its ``data-key``), which slider to move with the
keyboard, and ``expected(values)``: the number that row must show, computed
here in the test process with klcourse from the slider values read off the page
(``values`` maps each slider's description, as shown, to its value).

The test moves the slider, waits for the readout, and compares the row's
number (shown to 4 decimals) with ``expected``. A notebook that shows a widget
but has no entry here fails, with a message pointing to this table.

Keep ``expected`` independent of the explorer's own ``compute``: call the
measures (``klcourse.kl_divergence``...) or the topic's maths directly, with the
same inputs as the notebook's cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ExplorerCheck:
    """One interaction with one Explorer of a notebook.

    Parameters
    ----------
    key : str
        ``data-key`` of the readout row to check (the label shown in the readout).
    expected : callable
        ``expected(values) -> float``; ``values`` maps slider description -> value.
    slider : str, optional
        Description of the slider to move (exactly as shown); the first if None.
    unit : str, optional
        Unit the row must show after the number ("bits", "nats", ...).
    press : str
        Key pressed on the focused slider handle ("ArrowRight" moves one step).
    occurrence : int
        Which Explorer, if several on the page show a row ``key`` (0 = first).
    """

    key: str
    expected: Callable[[Mapping[str, float]], float]
    slider: str | None = None
    unit: str | None = None
    press: str = "ArrowRight"
    occurrence: int = 0


def _coin(heads: float) -> list[float]:
    return [heads, 1.0 - heads]


def _renyi_by_definition(p, q, alpha: float) -> float:
    """D_alpha(p || q) in bits from its defining sum (KL at alpha = 1): a second way."""
    import numpy as np

    from klcourse import kl_divergence

    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if abs(alpha - 1.0) < 1e-12:
        return kl_divergence(p, q)
    on = p > 0
    return float(np.log2(np.sum(p[on] ** alpha * q[on] ** (1.0 - alpha))) / (alpha - 1.0))


def _mean_field_reverse_kl(rho: float, ratio: float) -> float:
    """D(q || p) in nats for the best factorised q of a 2-D Gaussian p (closed-form q).

    The reverse-KL mean-field fit keeps the precision's diagonal: its
    variances are sd_i^2 (1 - rho^2), a textbook result (Bishop, PRML 10.1.2),
    used here instead of the library's optimiser.
    """
    import numpy as np

    from klcourse.gaussian import kl_mvn

    sds = np.array([1.0, ratio])
    cov = np.array([[1.0, rho], [rho, 1.0]]) * np.outer(sds, sds)
    q_cov = np.diag(sds**2 * (1.0 - rho**2))
    return kl_mvn(np.zeros(2), q_cov, np.zeros(2), cov, base=np.e)


def _knn_estimate(n: int, m: int, k: int) -> float:
    """The k-NN estimate (bits) on the samples notebook 10's explorer draws for (n, m)."""
    import numpy as np

    from klcourse.estimation import kl_knn

    rng = np.random.default_rng([10, n, m])
    x, y = rng.normal(0, 1, n), rng.normal(1.0, 1.5, m)
    return kl_knn(x, y, k=k)


def _checks() -> dict[str, tuple[ExplorerCheck, ...]]:
    import numpy as np
    from scipy.stats import binom

    from klcourse import cross_entropy, entropy, kl_divergence, normalize
    from klcourse.data import SPACE_WORM_TEETH

    faces = [f"weight of face {i}" for i in range(1, 7)]
    # notebook 04: mixture_explorer(P1, Q1, P2, Q2, lam=0.4) with these pairs
    p1, q1, p2, q2 = (np.array(v) for v in ([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]))
    lam = "λ (weight of pair 1)"
    # notebook 09: renyi_explorer(p, q) with these p, q
    p8 = [0.50, 0.35, 0.15, 0.00]
    q8 = [0.20, 0.30, 0.30, 0.20]
    return {
        "01_entropy": (
            # coin_entropy_explorer(heads=0.2, k=1)
            ExplorerCheck("H(coin)", lambda v: entropy(_coin(v["P(heads)"])),
                          slider="P(heads)", unit="bits"),
            # die_entropy_explorer(weights=...): the sliders are weights, normalised
            ExplorerCheck("H(die)", lambda v: entropy(normalize([v[f] for f in faces])),
                          slider="weight of face 1", unit="bits"),
        ),
        "02_kl_coding": (
            # wrong_model_explorer(p=0.8, q=0.5): H(p) + D(p||q) is the cross-entropy
            ExplorerCheck("H(p) + D(p‖q)",
                          lambda v: cross_entropy(_coin(v["true P(heads) p"]),
                                                  _coin(v["model P(heads) q"])),
                          slider="model P(heads) q", unit="bits/flip"),
        ),
        "03_nonnegativity": (
            # binary_pair_explorer(p=0.5, q=0.9)
            ExplorerCheck("D(q‖p)", lambda v: kl_divergence(_coin(v["q(heads)"]),
                                                            _coin(v["p(heads)"])),
                          slider="p(heads)", unit="bits"),
        ),
        "04_convexity": (
            ExplorerCheck("D(mixed p ‖ mixed q)",
                          lambda v: kl_divergence(v[lam] * p1 + (1 - v[lam]) * p2,
                                                  v[lam] * q1 + (1 - v[lam]) * q2),
                          slider=lam, unit="bits"),
        ),
        "05_fitting_binomial": (
            # binomial_explorer(worms, p=0.5): the binomial pmf from scipy, not klcourse
            ExplorerCheck("D(observed || Binomial)",
                          lambda v: kl_divergence(SPACE_WORM_TEETH,
                                                  binom.pmf(np.arange(11), 10, v["p"])),
                          slider="p", unit="bits"),
        ),
        "06_likelihood_ratio": (
            # lr_test_explorer(): coins written as (tails, heads)
            ExplorerCheck("D(p‖q)",
                          lambda v: kl_divergence(_coin(v["p: P(heads) under the null"]),
                                                  _coin(v["q: P(heads) under the alternative"])),
                          slider="q: P(heads) under the alternative", unit="bits"),
        ),
        "07_variational_inference": (
            # factorised_fit_explorer()
            ExplorerCheck("reverse fit: D(q || p)",
                          lambda v: _mean_field_reverse_kl(v["correlation rho"],
                                                           v["sd of w2 / sd of w1"]),
                          slider="correlation rho", unit="nats", press="ArrowLeft"),
        ),
        "09_beyond_kl": (
            ExplorerCheck("D_α(p || q)", lambda v: _renyi_by_definition(p8, q8, v["order α"]),
                          slider="order α", unit="bits"),
        ),
        "10_kl_from_data": (
            # knn_explorer(): p = N(0, 1), q = N(1, 1.5^2), samples seeded by (10, n, m)
            ExplorerCheck("k-NN estimate",
                          lambda v: _knn_estimate(int(v["samples of p, n"]),
                                                  int(v["samples of q, m"]),
                                                  int(v["neighbour k"])),
                          slider="neighbour k", unit="bits"),
        ),
    }


#: notebook stem -> the checks of its explorers.
EXPLORER_CHECKS: dict[str, tuple[ExplorerCheck, ...]] = _checks()

"""The plug-in estimate of D(p || q) from two histograms of counts over the same cells.

Normalise the counts and take the KL of the two empirical distributions. With
``pseudocount = a`` every cell of both histograms first gets ``a`` more counts
(additive, or Dirichlet, smoothing): no cell of q is then empty, so the
estimate is finite, but it estimates a different, smoothed, question.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from klcourse.estimation import _checks
from klcourse.measures import kl_divergence

__all__ = ["kl_from_counts", "plugin_bias"]


def kl_from_counts(counts_p: ArrayLike, counts_q: ArrayLike, *, pseudocount: float = 0.0,
                   base: float = 2) -> float:
    r"""Plug-in estimate ``D(p̂ || q̂)`` from counts over the same cells.

    .. math::

        \hat p(x) = \frac{c_p(x) + a}{N_p + aK}, \qquad
        \hat q(x) = \frac{c_q(x) + a}{N_q + aK}, \qquad
        \hat D = \sum_x \hat p(x) \log \frac{\hat p(x)}{\hat q(x)}

    Parameters
    ----------
    counts_p, counts_q : array_like, shape (K,)
        Counts of the same K cells (whole numbers, not probabilities).
    pseudocount : float
        ``a >= 0`` added to every cell of both; 0 gives ``inf`` whenever a cell
        is empty in q but not in p.
    base : float
        2 for bits (default), ``np.e`` for nats.

    Returns
    -------
    float

    Examples
    --------
    >>> round(kl_from_counts([5, 5], [2, 8]), 6)   # D((0.5, 0.5) || (0.2, 0.8)) in bits
    0.321928
    >>> kl_from_counts([3, 1], [4, 0])
    inf
    >>> round(kl_from_counts([3, 1], [4, 0], pseudocount=0.5), 4)
    0.2217
    """
    func = "kl_from_counts"
    cp = _checks.counts(counts_p, "counts_p", func)
    cq = _checks.counts(counts_q, "counts_q", func)
    if cp.shape != cq.shape:
        raise ValueError(f"{func}: counts_p has {cp.size} cells but counts_q has {cq.size}; "
                         "the two histograms must count the same cells (same bins)")
    if isinstance(pseudocount, (bool, np.bool_)) or not np.isscalar(pseudocount) \
            or not np.isfinite(pseudocount) or pseudocount < 0:
        raise ValueError(f"{func}: pseudocount must be a finite number >= 0, got {pseudocount!r}")
    p_hat = (cp + pseudocount) / (cp.sum() + pseudocount * cp.size)
    q_hat = (cq + pseudocount) / (cq.sum() + pseudocount * cq.size)
    return kl_divergence(p_hat, q_hat, base=base)


def plugin_bias(p: ArrayLike, q: ArrayLike, n: int, m: int, *, base: float = 2) -> float:
    r"""First-order bias of the plug-in estimate with ``n`` samples of p and ``m`` of q.

    .. math::

        \mathbb E[\hat D] - D \approx \frac{K_p - 1}{2n} + \frac{1}{2m}\Bigl(\sum_x
        \frac{p(x)}{q(x)} - 1\Bigr) \quad\text{nats},

    ``K_p`` the number of cells with ``p > 0``: the first term is the
    downward bias of the plug-in entropy of p, the second the bias of
    ``E[log q̂]`` (a second-order Taylor term). Valid when every cell is well
    filled (``n p(x)`` and ``m q(x)`` large).

    Parameters
    ----------
    p, q : array_like, shape (K,)
        The true distributions over the same K cells.
    n : int
        The number of samples of p.
    m : int
        The number of samples of q.
    base : float, optional
        2 for bits (default), ``np.e`` for nats.

    Returns
    -------
    float
        The approximate bias ``E[D̂] - D`` in units of `base`; inf if q is 0
        in a cell where p is not (then D itself is infinite).

    Examples
    --------
    >>> round(plugin_bias([0.5, 0.5], [0.5, 0.5], 100, 100, base=np.e), 4)
    0.01
    >>> bool(np.isclose(plugin_bias([0.5, 0.5], [0.5, 0.5], 100, 100),           # bits
    ...                 plugin_bias([0.5, 0.5], [0.5, 0.5], 100, 100, base=np.e) / np.log(2)))
    True
    """
    n = _checks.whole(n, "n", "plugin_bias")
    m = _checks.whole(m, "m", "plugin_bias")
    pa = np.asarray(p, dtype=float)
    qa = np.asarray(q, dtype=float)
    kl_divergence(pa, qa)                       # validates both distributions
    if (qa[pa > 0] == 0).any():
        return float("inf")
    k_p = int((pa > 0).sum())
    nats = (k_p - 1) / (2 * n) + ((pa[pa > 0] / qa[pa > 0]).sum() - 1) / (2 * m)
    return float(nats / np.log(base))

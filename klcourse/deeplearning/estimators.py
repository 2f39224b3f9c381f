"""Estimating KL(q || p) from samples of q: the k1, k2, k3 estimators.

In RL fine-tuning of a language model the policy q is kept near a reference
model p by a penalty ``beta * KL(q || p)``, estimated from the policy's own
samples ``x ~ q``, for which both ``log q(x)`` and ``log p(x)`` are known (up to
a common constant, which cancels). With ``r = p(x) / q(x)`` (Schulman,
"Approximating KL divergence", 2020):

* ``k1 = -log r``: unbiased, but often negative and of high variance;
* ``k2 = (log r)^2 / 2``: biased, never negative, low variance while q ≈ p;
* ``k3 = (r - 1) - log r``: unbiased (``E_q[r] = 1``, when p > 0 only where
  q > 0, as for softmax policies) and never negative, since ``log r <= r - 1``;
  far from the reference r is heavy-tailed and k3's variance can exceed k1's.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.deeplearning import _checks

__all__ = ["kl_estimators", "estimator_study"]


def kl_estimators(logq: ArrayLike, logp: ArrayLike) -> dict[str, NDArray[np.float64]]:
    r"""Per-sample estimators of ``KL(q || p)`` in nats, from samples ``x ~ q``.

    .. math::

        \log r = \log p(x) - \log q(x), \qquad
        k_1 = -\log r, \quad k_2 = \tfrac12 (\log r)^2, \quad k_3 = (r - 1) - \log r

    Parameters
    ----------
    logq, logp : array_like, shape (n,)
        ``log q(x_i)`` and ``log p(x_i)`` at the same samples ``x_i ~ q`` (a
        constant added to both cancels).

    Returns
    -------
    dict
        ``{"k1": ..., "k2": ..., "k3": ...}``, each an array of shape ``(n,)``;
        their means estimate ``KL(q || p)`` (k2's with a bias).

    Examples
    --------
    >>> est = kl_estimators([-1.0, -2.0], [-1.5, -1.0])
    >>> [round(float(v), 4) for v in est["k1"]]
    [0.5, -1.0]
    >>> bool((est["k3"] >= 0).all())
    True
    """
    func = "kl_estimators"
    lq = _checks.real_array(logq, "logq", func)
    lp = _checks.real_array(logp, "logp", func)
    if lq.ndim != 1 or lq.size == 0:
        raise ValueError(f"{func}: logq must be a non-empty 1-D array (one value per sample), "
                         f"got shape {lq.shape}")
    _checks.same_shape(lq, lp, ("logq", "logp"), func)
    log_r = lp - lq
    return {
        "k1": -log_r,
        "k2": 0.5 * log_r**2,
        "k3": np.expm1(log_r) - log_r,   # (r - 1) - log r; expm1 keeps it exact near r = 1
    }


def estimator_study(q: ArrayLike, p: ArrayLike, *, batch: int, batches: int,
                    seed: int = 0) -> dict[str, dict[str, float]]:
    """Simulate the k1, k2, k3 estimators of ``KL(q || p)`` for categorical q and p.

    Draws ``batches`` batches of ``batch`` samples from `q`; for each estimator
    reports the mean of the per-sample values (its expectation), the bias
    against the exact KL, the standard deviation of one sample and of a batch
    mean, and the fraction of single samples and of batch means that are
    negative. All in nats.

    Parameters
    ----------
    q : array_like, shape (K,)
        The policy: the distribution the samples are drawn from.
    p : array_like, shape (K,)
        The reference, over the same K categories.
    batch : int
        Samples per batch.
    batches : int
        How many batches to draw.
    seed : int, optional
        Seed of ``numpy.random.default_rng`` for the draws (default 0).

    Returns
    -------
    dict
        ``{"k1": ..., "k2": ..., "k3": ...}``, each a dict with ``"mean"``,
        ``"bias"``, ``"sd_sample"``, ``"sd_batch"``, ``"negative_samples"``,
        ``"negative_batches"`` (fractions in [0, 1]) and ``"exact"`` (the exact
        ``KL(q || p)``).

    Examples
    --------
    >>> from klcourse import kl_divergence
    >>> q, p = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    >>> s = estimator_study(q, p, batch=16, batches=2000)
    >>> s["k3"]["negative_samples"], s["k1"]["negative_samples"] > 0
    (0.0, True)
    >>> bool(np.isclose(s["k1"]["exact"], kl_divergence(q, p, base=np.e)))
    True
    """
    qa = np.asarray(q, dtype=float)
    pa = np.asarray(p, dtype=float)
    from klcourse.measures import kl_divergence

    exact = kl_divergence(qa, pa, base=np.e)        # validates both
    rng = np.random.default_rng(seed)
    x = rng.choice(qa.size, size=(batches, batch), p=qa)
    est = kl_estimators(np.log(qa[x]).ravel(), np.log(pa[x]).ravel())
    out = {}
    for key, values in est.items():
        per_batch = values.reshape(batches, batch).mean(axis=1)
        out[key] = {"mean": float(values.mean()), "bias": float(values.mean() - exact),
                    "sd_sample": float(values.std()), "sd_batch": float(per_batch.std()),
                    "negative_samples": float((values < 0).mean()),
                    "negative_batches": float((per_batch < 0).mean()), "exact": exact}
    return out

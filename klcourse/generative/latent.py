"""Where a VAE's stray samples come from: the aggregate posterior against the prior.

A VAE samples ``z`` from the prior ``p(z) = N(0, I)`` and decodes it. But the
decoder only ever learnt from codes drawn from the encoder's posteriors, whose
mixture over the data is the *aggregate posterior*

``q(z) = (1/N) sum_n q(z | x_n) = (1/N) sum_n N(z; mu(x_n), diag sigma(x_n)^2)``.

Where the prior has mass that ``q(z)`` lacks, the decoder is evaluated on
codes it was never trained on, and because it is continuous it maps them to
points between those it learnt (for a ring: inside it). :func:`aggregate_posterior`
tabulates ``q(z)``; :func:`aggregate_kl_to_prior` measures ``D(q || p)`` on a
latent grid (nats), the mismatch the KL term of the loss only limits on
average.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import logsumexp

from klcourse.generative.vae import VAE
from klcourse.measures import kl_divergence, normalize

__all__ = ["aggregate_posterior", "log_aggregate_posterior", "prior_density",
           "aggregate_kl_to_prior"]


def _points(z: ArrayLike, latent: int, func: str) -> NDArray:
    pts = np.asarray(z, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != latent:
        raise ValueError(f"{func}: z must have shape (n, {latent}), got {pts.shape}")
    if not np.all(np.isfinite(pts)):
        raise ValueError(f"{func}: z must be finite")
    return pts


def prior_density(z: ArrayLike) -> NDArray[np.float64]:
    """``N(z; 0, I)`` for each row of `z`.

    Parameters
    ----------
    z : array_like, shape (n, L)
        Latent points.

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> round(float(prior_density([[0.0, 0.0]])[0] * 2 * np.pi), 6)
    1.0
    """
    pts = np.asarray(z, dtype=float)
    if pts.ndim != 2:
        raise ValueError(f"prior_density: z must have shape (n, L), got {pts.shape}")
    return np.exp(-0.5 * np.sum(pts**2, axis=1)) / (2 * np.pi) ** (pts.shape[1] / 2)


def log_aggregate_posterior(vae: VAE, x: ArrayLike, z: ArrayLike) -> NDArray[np.float64]:
    """``log q(z)``, ``q(z) = (1/N) sum_n N(z; mu(x_n), diag sigma(x_n)^2)``, at each row of `z`.

    In logarithms (log-sum-exp over the data), so that ``q(z)`` far from every
    code is a very negative number rather than an underflow to 0.

    Parameters
    ----------
    vae : VAE
        A (trained) model; its encoder gives ``mu`` and ``sigma``.
    x : array_like, shape (N, 2)
        The data the posteriors are averaged over.
    z : array_like, shape (n, latent)
        Latent points.

    Returns
    -------
    ndarray, shape (n,)
        ``log q(z)`` in nats.

    Examples
    --------
    An untrained encoder gives ``q(z | x) ~ N(0, I)`` for every x, so ``q(z) ~ p(z)``:

    >>> from klcourse.generative.vae import init_vae, make_ring
    >>> v = init_vae(seed=0)
    >>> z = np.array([[0.0, 0.0], [1.0, -1.0]])
    >>> diff = log_aggregate_posterior(v, make_ring(50, seed=0), z) - np.log(prior_density(z))
    >>> bool(np.all(np.abs(diff) < 0.2))
    True
    """
    pts = _points(z, vae.latent, "log_aggregate_posterior")
    data = np.asarray(x, dtype=float)
    if data.ndim != 2 or data.shape[1] != 2 or len(data) == 0:
        raise ValueError(f"log_aggregate_posterior: x must be an (N, 2) array of points, "
                         f"got {data.shape}")
    mu, sd = vae.encode(data)
    out = np.empty(len(pts))
    for start in range(0, len(pts), 1000):         # blocks of z keep the table small
        zb = pts[start:start + 1000, None, :]       # (b, 1, L) against (N, L)
        log_terms = np.sum(-0.5 * ((zb - mu) / sd) ** 2 - np.log(np.sqrt(2 * np.pi) * sd),
                           axis=2)                  # log N(z; mu_n, sd_n^2), shape (b, N)
        out[start:start + 1000] = logsumexp(log_terms, axis=1) - np.log(len(mu))
    return out


def aggregate_posterior(vae: VAE, x: ArrayLike, z: ArrayLike) -> NDArray[np.float64]:
    """``q(z) = (1/N) sum_n N(z; mu(x_n), diag sigma(x_n)^2)`` at each row of `z`.

    Parameters
    ----------
    vae : VAE
        A (trained) model; its encoder gives ``mu`` and ``sigma``.
    x : array_like, shape (N, 2)
        The data the posteriors are averaged over.
    z : array_like, shape (n, latent)
        Latent points.

    Returns
    -------
    ndarray, shape (n,)
        The aggregate posterior density at `z` (the exponential of
        :func:`log_aggregate_posterior`).

    Examples
    --------
    >>> from klcourse.generative.vae import init_vae, make_ring
    >>> v = init_vae(seed=0)
    >>> z = np.array([[0.0, 0.0], [1.0, -1.0]])
    >>> ratio = aggregate_posterior(v, make_ring(50, seed=0), z) / prior_density(z)
    >>> bool(np.all(np.abs(ratio - 1) < 0.2))
    True
    """
    return np.exp(log_aggregate_posterior(vae, x, z))


def aggregate_kl_to_prior(vae: VAE, x: ArrayLike, *, half_width: float = 4.0,
                          points: int = 81) -> float:
    """``D(q(z) || p(z))`` in nats, aggregate posterior against the prior, on a latent grid.

    Both densities are tabulated on a square grid of `points` per dimension
    on ``[-half_width, half_width]^2`` and turned into distributions over the
    grid cells (normalised on purpose with :func:`klcourse.normalize`);
    :func:`klcourse.kl_divergence` does the rest. Only for a 2-D latent.

    Parameters
    ----------
    vae : VAE
        A model with ``latent == 2``.
    x : array_like, shape (N, 2)
        The data.
    half_width : float, optional
        Extent of the grid in each latent dimension.
    points : int, optional
        Grid points per dimension.

    Returns
    -------
    float
        The divergence in nats; 0 when ``q(z) = p(z)``.

    Examples
    --------
    >>> from klcourse.generative.vae import init_vae, make_ring
    >>> bool(aggregate_kl_to_prior(init_vae(seed=0), make_ring(50, seed=0), points=41) < 0.05)
    True
    """
    if vae.latent != 2:
        raise ValueError(f"aggregate_kl_to_prior: needs a 2-D latent, got latent = {vae.latent}")
    if not (np.isfinite(half_width) and half_width > 0):
        raise ValueError(f"aggregate_kl_to_prior: half_width must be > 0, got {half_width!r}")
    if not isinstance(points, (int, np.integer)) or points < 3:
        raise ValueError(f"aggregate_kl_to_prior: points must be an integer >= 3, got {points!r}")
    g = np.linspace(-half_width, half_width, int(points))
    zz = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    q = aggregate_posterior(vae, x, zz)
    p = prior_density(zz)
    return float(kl_divergence(normalize(q), normalize(p), base=np.e))

"""A tiny variational autoencoder in numpy: the reparameterisation trick and the two loss terms.

The model: a latent ``z ~ N(0, I)`` of `latent` dimensions, a decoder network
``f(z)`` and observations ``x | z ~ N(f(z), noise_sd^2 I)`` in two dimensions.
An encoder network gives, for each ``x``, an approximate posterior
``q(z | x) = N(mu(x), diag(sigma(x)^2))``. Training maximises the ELBO of
each data point,

``ELBO(x) = E_q[log p(x | z)] - D(q(z | x) || N(0, I)) <= log p(x)``,

that is, minimises *reconstruction* ``-E_q[log p(x | z)]`` plus *KL term*
(both in nats). The expectation is estimated with one sample
``z = mu + sigma * eps``, ``eps ~ N(0, I)`` (the reparameterisation trick:
the randomness sits in ``eps``, so ``z`` is a differentiable function of the
encoder's outputs). The KL term is exact, from :func:`klcourse.gaussian.kl_gaussian`.

With a latent of one or two dimensions ``log p(x) = log int p(z) p(x | z) dz``
can be computed by quadrature (:func:`log_evidence_grid`), so the bound and its
gap ``D(q(z | x) || p(z | x))`` can be checked point by point.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.gaussian import kl_gaussian
from klcourse.generative.nn import Adam, init_mlp, mlp_backward, mlp_forward
from klcourse.measures import kl_divergence, normalize

__all__ = ["make_ring", "VAE", "VAEHistory", "init_vae", "loss_and_grads", "train_vae",
           "elbo_per_point", "log_evidence_grid", "posterior_gap_grid"]

_LOG2PI = float(np.log(2 * np.pi))


def _log_noise_density(sq_dist: NDArray, noise_sd: float) -> NDArray:
    """``log N(x; f(z), noise_sd^2 I)`` for points in the plane (nats), from ``|x - f(z)|^2``."""
    s2 = noise_sd**2
    return -0.5 * sq_dist / s2 - _LOG2PI - np.log(s2)


def make_ring(n: int = 1000, *, radius: float = 2.0, width: float = 0.1,
              seed: int = 0) -> NDArray[np.float64]:
    """`n` points on a noisy ring in the plane (angle uniform, radius ``N(radius, width^2)``).

    Parameters
    ----------
    n : int, optional
        Number of points.
    radius, width : float, optional
        Mean and standard deviation of the distance from the origin.
    seed : int, optional
        Seed of the random points.

    Returns
    -------
    ndarray, shape (n, 2)

    Examples
    --------
    >>> x = make_ring(500, seed=1)
    >>> x.shape, round(float(np.hypot(*x.T).mean()), 1)
    ((500, 2), 2.0)
    """
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0, 2 * np.pi, n)
    r = radius + width * rng.normal(size=n)
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


@dataclass
class VAE:
    """Encoder and decoder parameters, the latent size and the decoder noise (sd)."""

    enc: list[NDArray[np.float64]]
    dec: list[NDArray[np.float64]]
    latent: int
    noise_sd: float

    def encode(self, x: ArrayLike) -> tuple[NDArray, NDArray]:
        """Mean and standard deviation of ``q(z | x)`` for each row of `x`."""
        out, _ = mlp_forward(self.enc, np.asarray(x, dtype=float))
        return out[:, :self.latent], np.exp(0.5 * out[:, self.latent:])

    def decode(self, z: ArrayLike) -> NDArray[np.float64]:
        """Decoder means ``f(z)`` for each row of `z`."""
        out, _ = mlp_forward(self.dec, np.asarray(z, dtype=float).reshape(-1, self.latent))
        return out

    def sample(self, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
        """`n` draws from the model: ``z ~ N(0, I)``, ``x = f(z) + noise``."""
        z = rng.normal(size=(n, self.latent))
        return self.decode(z) + self.noise_sd * rng.normal(size=(n, 2))


@dataclass
class VAEHistory:
    """Per-epoch averages over the training batches, in nats per data point.

    ``recon + kl`` is the negative ELBO, the loss that was minimised.
    """

    recon: NDArray[np.float64]
    kl: NDArray[np.float64]

    @property
    def elbo(self) -> NDArray[np.float64]:
        return -(self.recon + self.kl)


def init_vae(*, latent: int = 2, hidden: int = 32, noise_sd: float = 0.15,
             seed: int = 0) -> VAE:
    """A freshly initialised VAE for 2-D data (encoder ``2-h-h-2L``, decoder ``L-h-h-2``).

    The encoder's last layer starts small, so that ``q(z | x)`` starts close
    to the prior ``N(0, I)`` for every x.

    Parameters
    ----------
    latent : int, optional
        Dimension L of the latent z.
    hidden : int, optional
        Width h of the hidden layers.
    noise_sd : float, optional
        Standard deviation of the decoder's Gaussian noise.
    seed : int, optional
        Seed of the initial weights.

    Returns
    -------
    VAE

    Examples
    --------
    >>> v = init_vae(latent=2, seed=0)
    >>> mu, sd = v.encode(np.zeros((1, 2)))
    >>> mu.shape, bool(np.allclose(sd, 1.0))
    ((1, 2), True)
    """
    if latent < 1:
        raise ValueError(f"init_vae: latent must be >= 1, got {latent!r}")
    if not noise_sd > 0:
        raise ValueError(f"init_vae: noise_sd must be > 0, got {noise_sd!r}")
    rng = np.random.default_rng(seed)
    enc = init_mlp([2, hidden, hidden, 2 * latent], rng, out_scale=0.1)
    dec = init_mlp([latent, hidden, hidden, 2], rng)
    return VAE(enc, dec, latent, float(noise_sd))


def loss_and_grads(vae: VAE, x: NDArray, eps: NDArray
                   ) -> tuple[float, float, list[NDArray], list[NDArray]]:
    """Batch-mean reconstruction and KL terms (nats) and the gradients of their sum.

    `eps` holds the standard normal draws of the reparameterisation, one row
    per data point, so the loss is a deterministic function of the parameters
    (which is what the finite-difference test needs).

    Parameters
    ----------
    vae : VAE
        The model.
    x : ndarray, shape (n, 2)
        A batch of data.
    eps : ndarray, shape (n, latent)
        Standard normal draws for ``z = mu + sigma * eps``.

    Returns
    -------
    (recon, kl, grads_enc, grads_dec)

    Examples
    --------
    >>> v = init_vae(seed=0)
    >>> x = make_ring(4, seed=0)
    >>> r, k, ge, gd = loss_and_grads(v, x, np.zeros((4, 2)))
    >>> bool(r > 0 and k >= 0), len(ge) == len(v.enc), len(gd) == len(v.dec)
    (True, True, True)
    """
    n, L = x.shape[0], vae.latent
    s2 = vae.noise_sd**2
    h, enc_cache = mlp_forward(vae.enc, x)
    mu, logvar = h[:, :L], h[:, L:]
    sd = np.exp(0.5 * logvar)
    z = mu + sd * eps
    xhat, dec_cache = mlp_forward(vae.dec, z)
    resid = xhat - x
    recon = float(np.mean(-_log_noise_density(np.sum(resid**2, axis=1), vae.noise_sd)))
    kl = float(np.mean(np.sum(kl_gaussian(mu, sd, 0.0, 1.0, base=np.e), axis=1)))
    # Backward: d(loss)/d(xhat), through the decoder to z, then to (mu, logvar).
    g_dec, g_z = mlp_backward(vae.dec, dec_cache, resid / s2 / n)
    g_mu = g_z + mu / n                                             # KL: d/dmu = mu
    g_logvar = g_z * eps * 0.5 * sd + 0.5 * (sd**2 - 1.0) / n       # KL: (e^logvar - 1) / 2
    g_enc, _ = mlp_backward(vae.enc, enc_cache, np.hstack([g_mu, g_logvar]))
    return recon, kl, g_enc, g_dec


def train_vae(data: ArrayLike, *, latent: int = 2, hidden: int = 32, noise_sd: float = 0.15,
              epochs: int = 150, batch: int = 100, lr: float = 5e-3, seed: int = 0,
              progress: bool = False) -> tuple[VAE, VAEHistory]:
    """Train a VAE on 2-D `data` with Adam; return it and the per-epoch loss terms.

    Deterministic given `seed` (which also sets the initial weights, the batch
    order and the reparameterisation noise). With ``progress=True`` a line
    goes to stderr every quarter of the run.

    Parameters
    ----------
    data : array_like, shape (n, 2)
        Training points.
    latent, hidden, noise_sd : optional
        Model size and decoder noise, as in :func:`init_vae`.
    epochs : int, optional
        Passes over the data.
    batch : int, optional
        Minibatch size.
    lr : float, optional
        Adam learning rate.
    seed : int, optional
        Seed of everything random.
    progress : bool, optional
        Print progress lines to stderr.

    Returns
    -------
    (VAE, VAEHistory)

    Examples
    --------
    >>> vae, hist = train_vae(make_ring(300, seed=0), epochs=5, seed=0)
    >>> hist.recon.shape, bool(hist.elbo[-1] > hist.elbo[0])
    ((5,), True)
    """
    x = np.asarray(data, dtype=float)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"train_vae: data must be an (n, 2) array of points, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("train_vae: data contains NaN or infinite values")
    vae = init_vae(latent=latent, hidden=hidden, noise_sd=noise_sd, seed=seed)
    rng = np.random.default_rng(seed + 1)
    opt_e, opt_d = Adam(vae.enc, lr=lr), Adam(vae.dec, lr=lr)
    recon_hist, kl_hist = np.empty(epochs), np.empty(epochs)
    n = len(x)
    for epoch in range(epochs):
        order = rng.permutation(n)
        tot_r = tot_k = 0.0
        for start in range(0, n, batch):
            xb = x[order[start:start + batch]]
            eps = rng.normal(size=(len(xb), latent))
            r, k, g_enc, g_dec = loss_and_grads(vae, xb, eps)
            opt_e.step(g_enc)
            opt_d.step(g_dec)
            tot_r += r * len(xb)
            tot_k += k * len(xb)
        recon_hist[epoch], kl_hist[epoch] = tot_r / n, tot_k / n
        if progress and (epoch + 1) % max(1, epochs // 4) == 0:
            print(f"epoch {epoch + 1}/{epochs}: reconstruction {recon_hist[epoch]:.3f} nats, "
                  f"KL {kl_hist[epoch]:.3f} nats", file=sys.stderr)
    return vae, VAEHistory(recon_hist, kl_hist)


def elbo_per_point(vae: VAE, x: ArrayLike, *, n_samples: int = 10000,
                   seed: int = 0) -> tuple[NDArray, NDArray]:
    """Monte Carlo ELBO of each row of `x` (nats), with its standard error.

    The reconstruction expectation uses `n_samples` draws from ``q(z | x)``;
    the KL term is exact.

    Parameters
    ----------
    vae : VAE
        A (trained) model.
    x : array_like, shape (n, 2)
        Points.
    n_samples : int, optional
        Monte Carlo draws per point.
    seed : int, optional
        Seed of the draws.

    Returns
    -------
    elbo, standard_error : ndarray, shape (n,)
        In nats.

    Examples
    --------
    >>> v = init_vae(seed=0)
    >>> e, se = elbo_per_point(v, make_ring(3, seed=0), n_samples=100)
    >>> e.shape, bool(np.all(se > 0))
    ((3,), True)
    """
    x = np.asarray(x, dtype=float)
    rng = np.random.default_rng(seed)
    mu, sd = vae.encode(x)
    kl = np.sum(kl_gaussian(mu, sd, 0.0, 1.0, base=np.e), axis=1)
    eps = rng.normal(size=(n_samples, *mu.shape))
    z = mu + sd * eps                                         # (S, n, L)
    xhat = vae.decode(z.reshape(-1, vae.latent)).reshape(n_samples, len(x), 2)
    loglik = _log_noise_density(np.sum((xhat - x) ** 2, axis=2), vae.noise_sd)
    return loglik.mean(axis=0) - kl, loglik.std(axis=0) / np.sqrt(n_samples)


def _latent_grid(latent: int, half_width: float, points: int) -> tuple[NDArray, float]:
    if latent not in (1, 2):
        raise ValueError(f"quadrature over the latent space needs latent = 1 or 2, got {latent}")
    g = np.linspace(-half_width, half_width, points)
    if latent == 1:
        return g[:, None], g[1] - g[0]
    zz = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    return zz, (g[1] - g[0]) ** 2


def _log_joint_grid(vae: VAE, x: NDArray, half_width: float, points: int):
    z, cell = _latent_grid(vae.latent, half_width, points)
    fz = vae.decode(z)                                                   # (G, 2)
    log_prior = -0.5 * np.sum(z**2, axis=1) - 0.5 * vae.latent * _LOG2PI
    sq = np.sum(x**2, 1)[:, None] - 2 * x @ fz.T + np.sum(fz**2, 1)[None, :]
    log_lik = _log_noise_density(sq, vae.noise_sd)                      # (n, G)
    return z, cell, log_prior[None, :] + log_lik


def log_evidence_grid(vae: VAE, x: ArrayLike, *, half_width: float = 5.0,
                      points: int = 301) -> NDArray[np.float64]:
    """``log p(x) = log int N(z; 0, I) N(x; f(z), noise_sd^2 I) dz`` by quadrature (nats).

    A Riemann sum over a grid of `points` per latent dimension on
    ``[-half_width, half_width]``; the decoder is evaluated once on the grid.
    Only for ``latent`` 1 or 2.

    Parameters
    ----------
    vae : VAE
        The model.
    x : array_like, shape (n, 2)
        Points.
    half_width : float, optional
        The grid covers ``[-half_width, half_width]`` in each latent dimension.
    points : int, optional
        Grid points per latent dimension.

    Returns
    -------
    ndarray, shape (n,)
        ``log p(x)`` in nats.

    Examples
    --------
    For any model the ELBO lies below it:

    >>> v = init_vae(seed=0)
    >>> x = make_ring(3, seed=0)
    >>> bool(np.all(elbo_per_point(v, x, n_samples=2000)[0] < log_evidence_grid(v, x)))
    True
    """
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    _, cell, lj = _log_joint_grid(vae, x, half_width, points)
    top = lj.max(axis=1, keepdims=True)
    return (top[:, 0] + np.log(np.sum(np.exp(lj - top), axis=1))) + np.log(cell)


def posterior_gap_grid(vae: VAE, x: ArrayLike, *, half_width: float = 5.0,
                       points: int = 301) -> NDArray[np.float64]:
    """``D(q(z | x) || p(z | x))`` in nats for each row of `x`, on the latent grid.

    The exact posterior ``p(z | x)`` is tabulated on the grid from the joint;
    ``q(z | x)`` from the encoder; both become grid distributions (normalised
    on purpose with :func:`klcourse.normalize`) and
    :func:`klcourse.kl_divergence` gives the divergence. By the ELBO identity
    it should equal ``log p(x) - ELBO(x)``.

    Parameters
    ----------
    vae : VAE
        The model.
    x : array_like, shape (n, 2)
        Points.
    half_width, points : optional
        The latent grid, as in :func:`log_evidence_grid`.

    Returns
    -------
    ndarray, shape (n,)
        The divergence in nats (``inf`` if the grid is too coarse to resolve
        the posterior).

    Examples
    --------
    >>> v = init_vae(seed=0)
    >>> bool(np.all(posterior_gap_grid(v, make_ring(3, seed=0)) > 0))
    True
    """
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    z, _, lj = _log_joint_grid(vae, x, half_width, points)
    post = normalize(np.exp(lj - lj.max(axis=1, keepdims=True)))
    mu, sd = vae.encode(x)
    log_q = -0.5 * np.sum(((z[None, :, :] - mu[:, None, :]) / sd[:, None, :]) ** 2, axis=2)
    q = normalize(np.exp(log_q - log_q.max(axis=1, keepdims=True)))
    return kl_divergence(q, post, base=np.e)

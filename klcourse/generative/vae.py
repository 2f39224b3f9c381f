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
from klcourse.generative import _checks
from klcourse.generative.nn import Adam, init_mlp, mlp_backward, mlp_forward
from klcourse.measures import kl_divergence, normalize

__all__ = ["make_ring", "VAE", "VAEHistory", "init_vae", "loss_and_grads", "train_vae",
           "elbo_per_point", "log_evidence_grid", "posterior_gap_grid"]

_LOG2PI = float(np.log(2 * np.pi))

#: Largest share of a posterior the edge cells of the latent grid may hold
#: (about the error, in nats, that the cut-off part would cause in log p(x)).
EDGE_TOLERANCE = 1e-3


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
    func = "make_ring"
    n = _checks.count(n, "n", func)
    radius = _checks.positive(radius, "radius", func)
    if not (isinstance(width, (int, float, np.floating)) and np.isfinite(width) and width >= 0):
        raise ValueError(f"{func}: width must be a finite number >= 0, got {width!r}")
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0, 2 * np.pi, n)
    r = radius + width * rng.normal(size=n)
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def _rows(x: ArrayLike, width: int, name: str, func: str) -> NDArray[np.float64]:
    """Finite points, one per row, `width` coordinates each."""
    arr = _checks.finite(x, name, func, ndim=2)
    if arr.shape[1] != width:
        raise ValueError(f"{func}: {name} must have shape (n, {width}), one point per row, "
                         f"got {arr.shape}")
    return arr


@dataclass
class VAE:
    """Encoder and decoder parameters, the latent size and the decoder noise (sd)."""

    enc: list[NDArray[np.float64]]
    dec: list[NDArray[np.float64]]
    latent: int
    noise_sd: float

    def encode(self, x: ArrayLike) -> tuple[NDArray, NDArray]:
        """Mean and standard deviation of ``q(z | x)`` for each row of `x`."""
        out, _ = mlp_forward(self.enc, _rows(x, 2, "x", "VAE.encode"))
        return out[:, :self.latent], np.exp(0.5 * out[:, self.latent:])

    def decode(self, z: ArrayLike) -> NDArray[np.float64]:
        """Decoder means ``f(z)`` for each row of `z` (shape ``(n, latent)``)."""
        out, _ = mlp_forward(self.dec, _rows(z, self.latent, "z", "VAE.decode"))
        return out

    def sample(self, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
        """`n` draws from the model: ``z ~ N(0, I)``, ``x = f(z) + noise``."""
        n = _checks.count(n, "n", "VAE.sample", least=0)
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
    return _init_vae(latent, hidden, noise_sd, seed, "init_vae")


def _init_vae(latent: int, hidden: int, noise_sd: float, seed: int, func: str) -> VAE:
    latent = _checks.count(latent, "latent", func)
    hidden = _checks.count(hidden, "hidden", func)
    noise_sd = _checks.positive(noise_sd, "noise_sd", func)
    rng = np.random.default_rng(seed)
    enc = init_mlp([2, hidden, hidden, 2 * latent], rng, out_scale=0.1)
    dec = init_mlp([latent, hidden, hidden, 2], rng)
    return VAE(enc, dec, latent, noise_sd)


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
    func = "train_vae"
    x = _rows(data, 2, "data", func)
    if len(x) == 0:
        raise ValueError(f"{func}: data holds no points")
    epochs = _checks.count(epochs, "epochs", func)
    batch = _checks.count(batch, "batch", func)
    lr = _checks.positive(lr, "lr", func)
    vae = _init_vae(latent, hidden, noise_sd, seed, func)
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
    func = "elbo_per_point"
    x = _rows(x, 2, "x", func)
    n_samples = _checks.count(n_samples, "n_samples", func, least=2)
    rng = np.random.default_rng(seed)
    mu, sd = vae.encode(x)
    kl = np.sum(kl_gaussian(mu, sd, 0.0, 1.0, base=np.e), axis=1)
    eps = rng.normal(size=(n_samples, *mu.shape))
    z = mu + sd * eps                                         # (S, n, L)
    xhat = vae.decode(z.reshape(-1, vae.latent)).reshape(n_samples, len(x), 2)
    loglik = _log_noise_density(np.sum((xhat - x) ** 2, axis=2), vae.noise_sd)
    return loglik.mean(axis=0) - kl, loglik.std(axis=0) / np.sqrt(n_samples)


def _latent_grid(latent: int, half_width: float, points: int) -> tuple[NDArray, float]:
    g = np.linspace(-half_width, half_width, points)
    if latent == 1:
        return g[:, None], g[1] - g[0]
    zz = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    return zz, (g[1] - g[0]) ** 2


def _check_latent_grid(vae: VAE, x: ArrayLike, half_width: float, points: int,
                       func: str) -> NDArray[np.float64]:
    """The points x, validated, after checking the latent grid's settings."""
    if vae.latent not in (1, 2):
        raise ValueError(f"{func}: quadrature over the latent space needs latent = 1 or 2, "
                         f"got latent = {vae.latent}")
    _checks.count(points, "points", func, least=2)
    if points ** vae.latent > 2**22:
        raise ValueError(f"{func}: points={points} gives {points}**{vae.latent} grid points, "
                         "more than the 2**22 this quadrature tabulates; use fewer points")
    _checks.positive(half_width, "half_width", func)
    return _rows(x, 2, "x", func)


def _posterior_on_grid(lj: NDArray, latent: int, points: int, half_width: float,
                       func: str) -> None:
    """Refuse a grid whose edge cells hold more than EDGE_TOLERANCE of some posterior.

    Mass in the outermost cells means the posterior goes on beyond the grid,
    and the quadrature would leave that part out of log p(x).
    """
    post = np.exp(lj - lj.max(axis=1, keepdims=True))
    post /= post.sum(axis=1, keepdims=True)
    cells = post.reshape(len(post), *[points] * latent)
    inner = cells[:, 1:-1] if latent == 1 else cells[:, 1:-1, 1:-1]
    edge = 1.0 - inner.reshape(len(post), -1).sum(axis=1)
    i = int(np.argmax(edge))
    if edge[i] > EDGE_TOLERANCE:
        raise ValueError(f"{func}: the posterior p(z | x) of point {i} puts {edge[i]:.3g} of its "
                         f"mass on the edge of the latent grid [-{half_width:g}, {half_width:g}] "
                         f"(tolerance {EDGE_TOLERANCE:g}), so the grid cuts it off; "
                         "raise half_width")


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
    Only for ``latent`` 1 or 2. A grid that cuts a posterior ``p(z | x)`` off
    (more than ``EDGE_TOLERANCE`` of it in the grid's edge cells) is refused:
    the quadrature would silently leave that part of ``p(x)`` out.

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
    func = "log_evidence_grid"
    x = _check_latent_grid(vae, x, half_width, points, func)
    _, cell, lj = _log_joint_grid(vae, x, half_width, points)
    _posterior_on_grid(lj, vae.latent, points, half_width, func)
    top = lj.max(axis=1, keepdims=True)
    return (top[:, 0] + np.log(np.sum(np.exp(lj - top), axis=1))) + np.log(cell)


def posterior_gap_grid(vae: VAE, x: ArrayLike, *, half_width: float = 5.0,
                       points: int = 301) -> NDArray[np.float64]:
    """``D(q(z | x) || p(z | x))`` in nats for each row of `x`, on the latent grid.

    The exact posterior ``p(z | x)`` is tabulated on the grid from the joint;
    ``q(z | x)`` from the encoder; both become grid distributions (normalised
    on purpose with :func:`klcourse.normalize`) and
    :func:`klcourse.kl_divergence` gives the divergence. By the ELBO identity
    it should equal ``log p(x) - ELBO(x)``. The grid is checked as in
    :func:`log_evidence_grid`.

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
    func = "posterior_gap_grid"
    x = _check_latent_grid(vae, x, half_width, points, func)
    z, _, lj = _log_joint_grid(vae, x, half_width, points)
    _posterior_on_grid(lj, vae.latent, points, half_width, func)
    post = normalize(np.exp(lj - lj.max(axis=1, keepdims=True)))
    mu, sd = vae.encode(x)
    log_q = -0.5 * np.sum(((z[None, :, :] - mu[:, None, :]) / sd[:, None, :]) ** 2, axis=2)
    q = normalize(np.exp(log_q - log_q.max(axis=1, keepdims=True)))
    return kl_divergence(q, post, base=np.e)

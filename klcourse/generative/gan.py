"""Generative adversarial networks in one dimension: the theory, checked, and a tiny GAN.

The GAN game (Goodfellow et al., 2014) has value
``V(D, G) = E_data[log D(x)] + E_G[log(1 - D(x))]`` (nats). For a fixed
generator density ``p_g`` the best discriminator is
``D*(x) = p_data(x) / (p_data(x) + p_g(x))`` (:func:`optimal_discriminator`),
and at that discriminator the value is
``C(G) = -log 4 + 2 JSD(p_data, p_g)`` (:func:`gan_value`,
:func:`value_at_optimum`), with JSD in nats. So a generator trained against a
good discriminator is pushed to lower the Jensen-Shannon divergence, not the
KL divergence.

:func:`train_gan` trains a tiny generator and discriminator (tanh
multilayer perceptrons, gradients by hand) on a 1-D Gaussian mixture, and
records both losses at every step and the JSD between the data density and the
generator's density, estimated on a grid of bins (:func:`jsd_on_grid`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate, special, stats

from klcourse.coding import validate_distribution
from klcourse.generative import _checks
from klcourse.generative.nn import Adam, init_mlp, log_sigmoid, mlp_backward, mlp_forward, sigmoid
from klcourse.generative.vi import Mixture1D
from klcourse.measures import js_divergence

__all__ = [
    "optimal_discriminator", "gan_value", "value_at_optimum", "mixture_bin_probs",
    "sample_bin_probs", "jsd_on_grid", "GAN", "GANHistory", "init_gan", "train_gan",
    "train_discriminator",
]


def optimal_discriminator(p_data: ArrayLike, p_g: ArrayLike) -> NDArray[np.float64]:
    """``D*(x) = p_data(x) / (p_data(x) + p_g(x))`` pointwise (1/2 where both vanish).

    Parameters
    ----------
    p_data, p_g : array_like
        Data and generator densities tabulated on the same points.

    Returns
    -------
    ndarray
        The optimal discriminator at those points, in ``[0, 1]``.

    Examples
    --------
    >>> optimal_discriminator([0.2, 0.0, 0.1], [0.2, 0.3, 0.0])
    array([0.5, 0. , 1. ])
    """
    func = "optimal_discriminator"
    pd = _checks.finite(p_data, "p_data", func)
    pg = _checks.finite(p_g, "p_g", func)
    if pd.shape != pg.shape:
        raise ValueError(f"{func}: p_data and p_g have shapes {pd.shape} and "
                         f"{pg.shape}; tabulate both on the same points")
    if np.any(pd < 0) or np.any(pg < 0):
        raise ValueError(f"{func}: densities must be >= 0")
    total = pd + pg
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, pd / np.where(total > 0, total, 1.0), 0.5)


def gan_value(x: ArrayLike, p_data: ArrayLike, p_g: ArrayLike, d: ArrayLike) -> float:
    """``V(D, G) = int p_data log D + p_g log(1 - D) dx`` in nats, by the trapezoid rule.

    Terms with zero density count as 0 (``0 log 0 = 0``).

    Parameters
    ----------
    x : array_like
        Strictly increasing 1-D grid, wide enough to carry both densities.
    p_data, p_g : array_like
        Data and generator densities on `x`; each must integrate to 1 on it
        (trapezoid rule, within 1e-3), so that no mass is left out.
    d : array_like
        Discriminator values on `x`, in ``[0, 1]``.

    Returns
    -------
    float
        ``V(D, G)`` in nats; at most ``C(G)``, reached by ``D*``.

    Examples
    --------
    When the generator matches the data, ``D* = 1/2`` and ``V = -log 4``:

    >>> import math
    >>> x = np.linspace(-10, 10, 2001)
    >>> p = stats.norm.pdf(x)
    >>> round(gan_value(x, p, p, np.full_like(x, 0.5)), 6), round(-math.log(4), 6)
    (-1.386294, -1.386294)
    """
    func = "gan_value"
    x = _checks.grid(x, "x", func)
    pd, pg, dd = (_checks.finite(a, name, func, ndim=1)
                  for a, name in ((p_data, "p_data"), (p_g, "p_g"), (d, "d")))
    if not x.shape == pd.shape == pg.shape == dd.shape:
        raise ValueError(f"{func}: x, p_data, p_g and d must have the same length, got "
                         f"{x.size}, {pd.size}, {pg.size}, {dd.size}")
    if np.any((dd < 0) | (dd > 1)):
        raise ValueError(f"{func}: the discriminator d must lie in [0, 1]")
    for name, dens in (("p_data", pd), ("p_g", pg)):
        if np.any(dens < 0):
            raise ValueError(f"{func}: {name} has a negative value; densities are >= 0")
        mass = float(integrate.trapezoid(dens, x))
        if not abs(mass - 1) <= 1e-3:
            raise ValueError(f"{func}: {name} integrates to {mass:.6f} on the grid "
                             f"[{x[0]:g}, {x[-1]:g}], not 1 (tolerance 1e-3): the grid cuts it "
                             "off (widen it), or it is not a normalised density")
    integrand = special.xlogy(pd, dd) + special.xlogy(pg, 1.0 - dd)   # 0 log 0 = 0
    return float(integrate.trapezoid(integrand, x))  # np.trapezoid is numpy >= 2 only


def value_at_optimum(p_data_bins: ArrayLike, p_g_bins: ArrayLike) -> float:
    """``C(G) = -log 4 + 2 JSD(p_data, p_g)`` in nats, with JSD from :func:`klcourse.js_divergence`.

    Parameters
    ----------
    p_data_bins, p_g_bins : array_like
        Probability distributions (each summing to 1) over the same bins.

    Returns
    -------
    float
        The GAN value at the optimal discriminator, between ``-log 4`` and 0.

    Examples
    --------
    Disjoint supports give the maximum JSD, ``log 2``, hence ``C = 0``:

    >>> value_at_optimum([1.0, 0.0], [0.0, 1.0])
    0.0
    """
    func = "value_at_optimum"
    p = validate_distribution(p_data_bins, "p_data_bins", func)
    q = validate_distribution(p_g_bins, "p_g_bins", func)
    if p.shape != q.shape:
        raise ValueError(f"{func}: p_data_bins and p_g_bins must cover the same bins, got "
                         f"{p.size} and {q.size}")
    return float(-np.log(4) + 2 * js_divergence(p, q, base=np.e))


def mixture_bin_probs(mixture: Mixture1D, edges: ArrayLike) -> NDArray[np.float64]:
    """Exact probability of each bin under a Gaussian mixture, plus the two tails.

    Parameters
    ----------
    mixture : Mixture1D
        The data distribution.
    edges : array_like
        Strictly increasing, finite bin edges.

    Returns
    -------
    ndarray
        ``len(edges) + 1`` probabilities: ``(-inf, e0)``, each
        ``[e_i, e_{i+1})``, and ``[e_last, inf)``; they sum to 1.

    Examples
    --------
    >>> p = mixture_bin_probs(Mixture1D((1.0,), (0.0,), (1.0,)), [0.0])
    >>> p.round(6).tolist()
    [0.5, 0.5]
    """
    _checks.mixture(mixture, "mixture", "mixture_bin_probs")
    return _mixture_bins(mixture, _edges(edges, "mixture_bin_probs"))


def _edges(edges: ArrayLike, func: str) -> NDArray[np.float64]:
    return _checks.grid(edges, "edges", func, least=1)


def _mixture_bins(mixture: Mixture1D, e: NDArray) -> NDArray[np.float64]:
    return np.diff(mixture.cdf(np.concatenate([[-np.inf], e, [np.inf]])))   # P(e_i <= X < e_i+1)


def _samples(samples: ArrayLike, func: str) -> NDArray[np.float64]:
    s = _checks.finite(samples, "samples", func, ndim=1)
    if s.size == 0:
        raise ValueError(f"{func}: samples is empty; fractions of no samples are undefined")
    return s


def _sample_bins(s: NDArray, e: NDArray) -> NDArray[np.float64]:
    counts = np.bincount(np.searchsorted(e, s, side="right"), minlength=e.size + 1)
    return counts / s.size


def sample_bin_probs(samples: ArrayLike, edges: ArrayLike) -> NDArray[np.float64]:
    """Fraction of `samples` in each bin, with the same two tail bins as :func:`mixture_bin_probs`.

    Parameters
    ----------
    samples : array_like
        Sample values, 1-D, finite, at least one.
    edges : array_like
        Strictly increasing, finite bin edges.

    Returns
    -------
    ndarray
        ``len(edges) + 1`` fractions summing to 1.

    Examples
    --------
    >>> sample_bin_probs([-1.0, 0.5, 0.7, 3.0], [0.0, 1.0]).tolist()
    [0.25, 0.5, 0.25]
    """
    func = "sample_bin_probs"
    return _sample_bins(_samples(samples, func), _edges(edges, func))


def jsd_on_grid(mixture: Mixture1D, samples: ArrayLike, edges: ArrayLike, *,
                base: float = np.e) -> float:
    """JSD between a mixture and the distribution of `samples`, over the bins `edges`.

    The data's bin probabilities are exact, the generator's are the fractions
    of its samples per bin. Binning can only lower a divergence, so this is a
    slight under-estimate of the JSD between the densities; with fine bins and
    many samples the two agree closely.

    Parameters
    ----------
    mixture : Mixture1D
        The data distribution.
    samples : array_like
        Generator samples.
    edges : array_like
        Increasing bin edges (two tail bins are added).
    base : float, optional
        Logarithm base; nats (``np.e``) by default, as in GAN theory.

    Returns
    -------
    float
        The JSD estimate, between 0 and ``log(2)`` in units of `base`.

    Examples
    --------
    >>> mix = Mixture1D((1.0,), (0.0,), (1.0,))
    >>> edges = np.linspace(-5, 5, 101)
    >>> z = stats.norm.ppf((np.arange(20000) + 0.5) / 20000)   # exact N(0,1) quantiles
    >>> round(jsd_on_grid(mix, z, edges), 4)
    0.0
    """
    func = "jsd_on_grid"
    _checks.mixture(mixture, "mixture", func)
    e = _edges(edges, func)
    base = _checks.log_base(base, func)
    return js_divergence(_mixture_bins(mixture, e), _sample_bins(_samples(samples, func), e),
                         base=base)


# ------------------------------------------------------------------ the GAN


@dataclass
class GAN:
    """A generator ``G: z -> x`` and a discriminator ``D: x -> P(real)``, both tiny MLPs."""

    gen: list[NDArray[np.float64]]
    disc: list[NDArray[np.float64]]

    def generate(self, z: ArrayLike) -> NDArray[np.float64]:
        """Generator outputs for latent values `z` (1-D array in, 1-D array out)."""
        z = _checks.finite(z, "z", "GAN.generate", ndim=1)
        out, _ = mlp_forward(self.gen, z[:, None])
        return out[:, 0]

    def discriminate(self, x: ArrayLike) -> NDArray[np.float64]:
        """``D(x)``, the discriminator's probability that `x` is real data."""
        x = _checks.finite(x, "x", "GAN.discriminate", ndim=1)
        out, _ = mlp_forward(self.disc, x[:, None])
        return sigmoid(out[:, 0])


@dataclass
class GANHistory:
    """Per-step losses (nats) and the JSD (nats) at the evaluation steps.

    ``loss_d`` is ``-V(D, G)`` on the batch (the discriminator minimises it);
    ``loss_g`` is the non-saturating generator loss ``-E_G[log D(G(z))]``.
    """

    loss_d: NDArray[np.float64]
    loss_g: NDArray[np.float64]
    eval_steps: NDArray[np.int64]
    jsd: NDArray[np.float64]


def _disc_step_grads(disc, x_real, x_fake):
    """Loss -V(D,G) on a batch, and its gradient w.r.t. the discriminator."""
    a_r, c_r = mlp_forward(disc, x_real)
    a_f, c_f = mlp_forward(disc, x_fake)
    n_r, n_f = len(x_real), len(x_fake)
    loss = -log_sigmoid(a_r).mean() - log_sigmoid(-a_f).mean()
    g_r, _ = mlp_backward(disc, c_r, (sigmoid(a_r) - 1.0) / n_r)
    g_f, _ = mlp_backward(disc, c_f, sigmoid(a_f) / n_f)
    return float(loss), [a + b for a, b in zip(g_r, g_f)]


def _gen_step_grads(gen, disc, z):
    """Non-saturating loss -mean log D(G(z)), and its gradient w.r.t. the generator."""
    x, c_g = mlp_forward(gen, z)
    a, c_d = mlp_forward(disc, x)
    loss = -log_sigmoid(a).mean()
    _, g_x = mlp_backward(disc, c_d, (sigmoid(a) - 1.0) / len(z))
    g_gen, _ = mlp_backward(gen, c_g, g_x)
    return float(loss), g_gen


def init_gan(*, hidden: int = 16, seed: int = 0) -> GAN:
    """A freshly initialised generator and discriminator (``1-h-h-1`` tanh networks).

    The generator starts with small output weights, so its samples sit in a
    narrow blob near 0: at the start its JSD to most data is close to log 2.

    Parameters
    ----------
    hidden : int, optional
        Width of both hidden layers.
    seed : int, optional
        Seed of the initial weights.

    Returns
    -------
    GAN

    Examples
    --------
    >>> g = init_gan(seed=0)
    >>> x = g.generate(np.linspace(-2, 2, 5))
    >>> x.shape, bool(np.ptp(x) < 1.5)
    ((5,), True)
    """
    hidden = _checks.count(hidden, "hidden", "init_gan")
    rng = np.random.default_rng(seed)
    return GAN(gen=init_mlp([1, hidden, hidden, 1], rng, out_scale=0.3),
               disc=init_mlp([1, hidden, hidden, 1], rng))


def train_discriminator(x_real: ArrayLike, x_fake: ArrayLike, *, steps: int = 1500,
                        hidden: int = 16, lr: float = 0.01, seed: int = 0
                        ) -> list[NDArray[np.float64]]:
    """Train a discriminator alone, full batch, against fixed real and fake samples.

    Used to watch a trained D approach ``D* = p_data / (p_data + p_g)``.

    Parameters
    ----------
    x_real, x_fake : array_like
        Samples of the data and of the generator.
    steps : int, optional
        Number of full-batch Adam steps on ``-V(D, G)``.
    hidden : int, optional
        Width of both hidden layers.
    lr : float, optional
        Adam learning rate.
    seed : int, optional
        Seed of the initial weights.

    Returns
    -------
    list of ndarray
        The discriminator's parameters (use ``GAN(gen=[], disc=...).discriminate``).

    Examples
    --------
    >>> disc = train_discriminator([2.0, 2.1, 1.9], [-2.0, -2.1, -1.9], steps=100)
    >>> d = GAN(gen=[], disc=disc).discriminate([-2.0, 2.0])
    >>> bool(d[0] < 0.1 and d[1] > 0.9)
    True
    """
    func = "train_discriminator"
    steps = _checks.count(steps, "steps", func, least=0)
    hidden = _checks.count(hidden, "hidden", func)
    lr = _checks.positive(lr, "lr", func)
    xr, xf = (_checks.finite(v, name, func, ndim=1) for v, name in ((x_real, "x_real"),
                                                                     (x_fake, "x_fake")))
    if xr.size == 0 or xf.size == 0:
        raise ValueError(f"{func}: x_real and x_fake need at least one sample each")
    xr, xf = xr[:, None], xf[:, None]
    rng = np.random.default_rng(seed)
    disc = init_mlp([1, hidden, hidden, 1], rng)
    opt = Adam(disc, lr=lr)
    for _ in range(steps):
        _, grads = _disc_step_grads(disc, xr, xf)
        opt.step(grads)
    return disc


def train_gan(data: Mixture1D, *, steps: int = 1500, batch: int = 128, hidden: int = 16,
              lr_d: float = 1e-2, lr_g: float = 2e-3, lr_final: float = 0.05, d_steps: int = 2,
              eval_every: int = 50,
              edges: ArrayLike | None = None, n_eval: int = 20000, seed: int = 0,
              progress: bool = False) -> tuple[GAN, GANHistory]:
    """Train a tiny 1-D GAN on samples of `data`; return the GAN and its history.

    The networks start from :func:`init_gan` with the same `seed`. The generator maps ``z ~ N(0, 1)`` through a ``1-hidden-hidden-1`` tanh
    network; the discriminator has the same shape with a sigmoid output. Each
    step draws a batch of data and of noise, takes `d_steps` Adam steps on the
    discriminator loss ``-V(D, G)``, then one on the non-saturating generator
    loss. The discriminator gets two steps and a five times larger learning
    rate: a discriminator that lags behind gives the generator no useful
    signal. Both learning rates decay linearly to `lr_final` times their
    initial value. Every `eval_every` steps (and at steps 0 and `steps`) the JSD
    between `data` and the generator is estimated by :func:`jsd_on_grid` from
    the generator's outputs at `n_eval` fixed, evenly spread quantiles of
    N(0, 1), so the estimate itself carries no sampling noise from step to step.

    Deterministic given `seed`. With ``progress=True`` a line goes to stderr
    every quarter of the run.

    Parameters
    ----------
    data : Mixture1D
        The data distribution (sampled afresh for every batch).
    steps : int, optional
        Number of training steps.
    batch : int, optional
        Batch size of data and of noise.
    hidden : int, optional
        Width of the hidden layers of both networks.
    lr_d, lr_g : float, optional
        Initial Adam learning rates of discriminator and generator.
    lr_final : float, optional
        Final learning rates as a fraction of the initial ones.
    d_steps : int, optional
        Discriminator steps per generator step.
    eval_every : int, optional
        Steps between JSD estimates.
    edges : array_like, optional
        Bin edges for the JSD estimate (default: 120 bins over the data's range).
    n_eval : int, optional
        Number of quantiles of N(0, 1) pushed through the generator per estimate.
    seed : int, optional
        Seed of the weights, the batches and the noise.
    progress : bool, optional
        Print progress lines to stderr.

    Returns
    -------
    (GAN, GANHistory)

    Examples
    --------
    >>> mix = Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
    >>> gan, hist = train_gan(mix, steps=200, seed=0)
    >>> hist.loss_d.shape, hist.eval_steps[[0, -1]].tolist()
    ((200,), [0, 200])
    """
    func = "train_gan"
    _checks.mixture(data, "data", func)
    steps, batch, hidden, d_steps, eval_every, n_eval = (
        _checks.count(v, name, func) for v, name in (
            (steps, "steps"), (batch, "batch"), (hidden, "hidden"), (d_steps, "d_steps"),
            (eval_every, "eval_every"), (n_eval, "n_eval")))
    lr_d, lr_g = _checks.positive(lr_d, "lr_d", func), _checks.positive(lr_g, "lr_g", func)
    if not (isinstance(lr_final, (int, float)) and 0 < lr_final <= 1):
        raise ValueError(f"{func}: lr_final must be a fraction in (0, 1], got {lr_final!r}")
    gan = init_gan(hidden=hidden, seed=seed)
    rng = np.random.default_rng([seed, 1])
    opt_d = Adam(gan.disc, lr=lr_d, beta1=0.5)
    opt_g = Adam(gan.gen, lr=lr_g, beta1=0.5)
    if edges is None:
        lo = min(np.subtract(data.means, 5 * np.asarray(data.sds)))
        hi = max(np.add(data.means, 5 * np.asarray(data.sds)))
        edges = np.linspace(lo, hi, 121)
    edges = _checks.grid(edges, "edges", func, least=1)
    z_eval = stats.norm.ppf((np.arange(n_eval) + 0.5) / n_eval)
    data_bins = _mixture_bins(data, edges)
    loss_d = np.empty(steps)
    loss_g = np.empty(steps)
    eval_steps, jsd = [], []

    def evaluate(step: int) -> None:
        eval_steps.append(step)
        fake = _samples(gan.generate(z_eval), func)   # a diverged generator gives NaN
        jsd.append(js_divergence(data_bins, _sample_bins(fake, edges), base=np.e))

    evaluate(0)
    for step in range(steps):
        # Learning rates decay linearly to `lr_final` of their start: late
        # steps refine instead of chasing each other.
        frac = 1.0 - (1.0 - lr_final) * step / steps
        opt_d.lr, opt_g.lr = lr_d * frac, lr_g * frac
        for _ in range(d_steps):
            x_real = data.sample(batch, rng).reshape(-1, 1)
            x_fake, _ = mlp_forward(gan.gen, rng.normal(size=(batch, 1)))
            loss_d[step], grads = _disc_step_grads(gan.disc, x_real, x_fake)
            opt_d.step(grads)
        loss_g[step], grads = _gen_step_grads(gan.gen, gan.disc, rng.normal(size=(batch, 1)))
        opt_g.step(grads)
        if (step + 1) % eval_every == 0 or step + 1 == steps:
            evaluate(step + 1)
        if progress and (step + 1) % max(1, steps // 4) == 0:
            print(f"step {step + 1}/{steps}: JSD {jsd[-1]:.4f} nats", file=sys.stderr)
    return gan, GANHistory(loss_d, loss_g, np.array(eval_steps), np.array(jsd))

"""Figures for notebook 07: Gaussian KL, variational inference, VAE, GAN and pixels.

Thin layers over :mod:`klcourse.gaussian` and :mod:`klcourse.generative`: each
function draws numbers it is given (or computes with klcourse), labels title,
axes (with units) and legend, and returns what it drew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Ellipse
from numpy.typing import ArrayLike

from klcourse.plots import COLORS, new_axes

__all__ = ["kl_integrand", "elbo_decomposition", "posterior_ellipses", "bimodal_fits",
           "kl_landscapes", "vae_losses", "scatter_panels", "gan_curves", "gan_histogram",
           "discriminator", "pixel_panels"]

_EXTRA = ("#d62728", "#9467bd", "#8c564b")


def _palette(i: int) -> str:
    cols = COLORS + _EXTRA
    return cols[i % len(cols)]


def kl_integrand(x: ArrayLike, p: ArrayLike, q: ArrayLike, *, labels: Sequence[str] = ("p", "q"),
                 ax: Axes | None = None, title: str = "") -> Axes:
    """Two densities and the integrand ``p log(p/q)`` (nats), whose area is ``D(p || q)``.

    Parameters
    ----------
    x : array_like
        Grid.
    p, q : array_like
        Densities on `x` (``q > 0`` where ``p > 0``).
    labels : (str, str), optional
        Names of the two densities.
    ax : Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Title (a default names the divergence).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from scipy import stats
    >>> x = np.linspace(-5, 5, 201)
    >>> ax = kl_integrand(x, stats.norm.pdf(x), stats.norm.pdf(x, 1, 2), title="t")
    >>> ax.get_title(), [line.get_label() for line in ax.lines[:2]]
    ('t', ['density p', 'density q'])
    >>> plt.close("all")
    """
    x, p, q = (np.asarray(a, dtype=float) for a in (x, p, q))
    ax = new_axes(ax)
    ax.plot(x, p, color=COLORS[0], label=f"density {labels[0]}")
    ax.plot(x, q, color=COLORS[1], label=f"density {labels[1]}")
    with np.errstate(divide="ignore", invalid="ignore"):
        integrand = np.where(p > 0, p * np.log(p / q), 0.0)
    ax.plot(x, integrand, color=COLORS[2], lw=1.2,
            label=f"{labels[0]} log({labels[0]}/{labels[1]}) (nats per unit x)")
    ax.fill_between(x, 0, integrand, color=COLORS[2], alpha=0.25)
    ax.axhline(0, color="0.5", lw=0.6)
    ax.set_xlabel("x")
    ax.set_ylabel("density (per unit x)")
    ax.set_title(title or f"D({labels[0]} || {labels[1]}) is the shaded area (nats)")
    ax.legend(fontsize=8)
    return ax


def elbo_decomposition(steps: ArrayLike, elbo: ArrayLike, kl: ArrayLike, log_evidence: float,
                       *, data: str = "x", ax: Axes | None = None) -> Axes:
    """``log p(x) = ELBO + D(q || posterior)`` along a fit: the ELBO rises as the KL gap closes.

    Parameters
    ----------
    steps : array_like
        Step numbers.
    elbo, kl : array_like
        ELBO and ``D(q || posterior)`` at each step, in nats.
    log_evidence : float
        ``log p(x)`` in nats.
    data : str, optional
        The name of the observed data in the labels (``"y"`` for a regression,
        whose evidence is ``log p(y)``).
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = elbo_decomposition([0, 1], [-3.0, -2.0], [1.0, 0.0], -2.0)
    >>> ax.get_ylabel()
    'nats'
    >>> plt.close("all")
    """
    steps, elbo, kl = (np.asarray(a, dtype=float) for a in (steps, elbo, kl))
    ax = new_axes(ax)
    ax.axhline(log_evidence, color="k", lw=1.5, label=f"log p({data}) (fixed)")
    ax.plot(steps, elbo, color=COLORS[0], lw=2, label="ELBO(q)")
    ax.fill_between(steps, elbo, elbo + kl, color=COLORS[1], alpha=0.35,
                    label="D(q || posterior): the gap")
    ax.plot(steps, elbo + kl, color=COLORS[1], ls="--", lw=1, label=f"ELBO + D (equals log p({data}))")
    ax.set_xlabel("gradient step")
    ax.set_ylabel("nats")
    ax.set_title(f"log p({data}) = ELBO + D(q || posterior) at every step")
    ax.legend(fontsize=8, loc="lower right")
    return ax


def _ellipse(mean: ArrayLike, cov: ArrayLike, nsig: float, **kw) -> Ellipse:
    vals, vecs = np.linalg.eigh(np.asarray(cov, dtype=float))
    angle = float(np.degrees(np.arctan2(vecs[1, -1], vecs[0, -1])))
    w, h = 2 * nsig * np.sqrt(vals[::-1])
    return Ellipse(tuple(np.asarray(mean, dtype=float)), w, h, angle=angle, **kw)


def posterior_ellipses(mean: ArrayLike, cov: ArrayLike,
                       fits: Mapping[str, tuple[ArrayLike, ArrayLike]], *, nsig: float = 2.0,
                       ax: Axes | None = None, xlabel: str = "w1", ylabel: str = "w2",
                       title: str = "") -> Axes:
    """The `nsig`-sigma ellipse of a 2-D Gaussian and of factorised fits ``{label: (mean, sds)}``.

    Parameters
    ----------
    mean, cov : array_like
        The Gaussian (shapes (2,) and (2, 2)).
    fits : mapping of str to (mean, sds)
        Factorised Gaussians, drawn as axis-aligned ellipses.
    nsig : float, optional
        How many standard deviations the ellipses reach.
    ax : Axes, optional
        Where to draw.
    xlabel, ylabel, title : str, optional
        Text for the figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = posterior_ellipses([0, 0], [[1, 0.9], [0.9, 1]], {"q": ([0, 0], [0.44, 0.44])})
    >>> len(ax.patches), ax.get_legend() is not None
    (3, True)
    >>> plt.close("all")
    """
    mean = np.asarray(mean, dtype=float)
    cov = np.asarray(cov, dtype=float)
    ax = new_axes(ax, figsize=(7.2, 4.2))
    ax.add_patch(_ellipse(mean, cov, nsig, fill=True, alpha=0.25, color="k",
                          label="true posterior"))
    ax.add_patch(_ellipse(mean, cov, nsig, fill=False, color="k", lw=1.5))
    reach = nsig * np.sqrt(np.diag(cov))
    for i, (label, (m, sd)) in enumerate(fits.items()):
        sd = np.asarray(sd, dtype=float)
        ax.add_patch(_ellipse(m, np.diag(sd**2), nsig, fill=False, lw=2, color=_palette(i),
                              ls=("-", "--", ":")[i % 3], label=label))
        reach = np.maximum(reach, nsig * sd)
    pad = 1.15 * reach
    ax.set_xlim(mean[0] - pad[0], mean[0] + pad[0])
    ax.set_ylim(mean[1] - pad[1], mean[1] + pad[1])
    ax.plot(*mean, "k+", ms=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"{nsig:g}-sigma ellipses")
    ax.set_aspect("equal")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax


def bimodal_fits(x: ArrayLike, p: ArrayLike, fits: Mapping[str, tuple[float, float, float]],
                 *, ax: Axes | None = None, title: str = "") -> Axes:
    """A target density and single-Gaussian fits ``{label: (mu, sd, kl_nats)}``.

    Parameters
    ----------
    x : array_like
        Grid.
    p : array_like
        Target density on `x`.
    fits : mapping of str to (mu, sd, kl_nats)
        Fitted Gaussians and their divergences.
    ax : Axes, optional
        Where to draw.
    title : str, optional
        Title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> x = np.linspace(-3, 3, 61)
    >>> ax = bimodal_fits(x, np.exp(-x**2 / 2) / np.sqrt(2 * np.pi), {"fit": (0.0, 1.0, 0.0)})
    >>> ax.lines[0].get_label()
    'fit: KL = 0.000 nats'
    >>> plt.close("all")
    """
    from scipy import stats

    x = np.asarray(x, dtype=float)
    ax = new_axes(ax)
    ax.fill_between(x, 0, np.asarray(p, dtype=float), color="0.6", alpha=0.5, label="target p")
    for i, (label, (mu, sd, kl)) in enumerate(fits.items()):
        ax.plot(x, stats.norm.pdf(x, mu, sd), lw=2, color=_palette(i),
                ls=("-", "--", ":")[i % 3], label=f"{label}: KL = {kl:.3f} nats")
    ax.set_xlabel("x")
    ax.set_ylabel("density (per unit x)")
    ax.set_title(title or "one Gaussian fitted to two modes")
    ax.set_ylim(0, 1.5 * max(line.get_ydata().max() for line in ax.lines))
    ax.legend(fontsize=8, loc="upper right")
    return ax


def kl_landscapes(mus: ArrayLike, sds: ArrayLike, forward: ArrayLike, reverse: ArrayLike,
                  *, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """Contours of forward and reverse KL (nats) over ``(mu, sd)``, minima marked.

    Parameters
    ----------
    mus, sds : array_like
        The grid of means (across) and standard deviations (up).
    forward, reverse : array_like, shape (len(sds), len(mus))
        The two divergences, e.g. from :func:`klcourse.generative.vi.kl_landscape`.
    axes : pair of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> m, s = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 4)
    >>> vals = (m[None, :] ** 2 + (s[:, None] - 1) ** 2)
    >>> axes = kl_landscapes(m, s, vals, vals)
    >>> axes[1].get_title()
    'reverse D(q || p) (nats)'
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.5, 3.6), layout="constrained", sharey=True)
    mus, sds = np.asarray(mus, float), np.asarray(sds, float)
    for ax, vals, name in zip(axes, (forward, reverse), ("forward D(p || q)", "reverse D(q || p)")):
        vals = np.asarray(vals, float)
        levels = np.quantile(vals, np.linspace(0, 0.9, 16))
        cs = ax.contour(mus, sds, vals, levels=np.unique(levels), cmap="viridis")
        ax.clabel(cs, cs.levels[::3], fontsize=7, fmt="%.2f")
        i, j = np.unravel_index(np.argmin(vals), vals.shape)
        ax.plot(mus[j], sds[i], "r*", ms=12, label=f"grid minimum ({mus[j]:.2f}, {sds[i]:.2f})")
        ax.set_xlabel("mean mu of q")
        ax.set_title(f"{name} (nats)")
        ax.legend(fontsize=8, loc="upper right")
    axes[0].set_ylabel("standard deviation sd of q")
    return axes


def vae_losses(recon: ArrayLike, kl: ArrayLike, *, axes: Sequence[Axes] | None = None
               ) -> Sequence[Axes]:
    """The VAE's two loss terms per epoch (nats per data point), side by side.

    Parameters
    ----------
    recon, kl : array_like
        Reconstruction and KL terms per epoch, in nats per data point.
    axes : pair of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> axes = vae_losses([10.0, 2.0], [0.1, 1.5])
    >>> axes[1].get_ylabel()
    'nats per data point'
    >>> plt.close("all")
    """
    recon, kl = np.asarray(recon, float), np.asarray(kl, float)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.5, 3.2), layout="constrained")
    ep = np.arange(1, len(recon) + 1)
    axes[0].plot(ep, recon, color=COLORS[0], label="reconstruction  -E_q[log p(x|z)]")
    axes[0].plot(ep, recon + kl, color="k", lw=1, ls="--", label="total = -ELBO")
    axes[0].set_yscale("symlog", linthresh=1.0)
    axes[0].set_title("reconstruction term and total loss")
    axes[1].plot(ep, kl, color=COLORS[1], label="KL term  D(q(z|x) || N(0, I))")
    axes[1].set_title("KL term")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.set_ylabel("nats per data point")
        ax.legend(fontsize=8)
    return axes


def scatter_panels(panels: Mapping[str, ArrayLike], *, axes: Sequence[Axes] | None = None,
                   lim: float = 3.2) -> Sequence[Axes]:
    """Scatter plots of 2-D point clouds, one panel per ``{title: points}``, same scale.

    Parameters
    ----------
    panels : mapping of str to array_like of shape (n, 2)
        Title and points of each panel.
    axes : sequence of Axes, optional
        Where to draw.
    lim : float, optional
        Both axes run from ``-lim`` to ``lim``.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> axes = scatter_panels({"a": np.zeros((3, 2)), "b": np.ones((4, 2))})
    >>> [ax.get_title() for ax in axes]
    ['a', 'b']
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 3.3),
                               layout="constrained")
    for i, (ax, (title, pts)) in enumerate(zip(axes, panels.items())):
        pts = np.asarray(pts, float)
        ax.scatter(pts[:, 0], pts[:, 1], s=3, alpha=0.5, color=_palette(i), label=f"{len(pts)} points")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_title(title)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.legend(fontsize=7, loc="upper right", markerscale=3)
    return axes


def gan_curves(loss_d: ArrayLike, loss_g: ArrayLike, eval_steps: ArrayLike, jsd: ArrayLike,
               *, window: int = 25, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """GAN training: both losses per step (running mean) with reference lines, and the JSD.

    Parameters
    ----------
    loss_d, loss_g : array_like
        Discriminator and generator losses per step, in nats.
    eval_steps, jsd : array_like
        Steps at which the JSD was estimated, and the estimates in nats.
    window : int, optional
        Length of the running mean.
    axes : pair of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> axes = gan_curves(np.ones(10), np.ones(10), [0, 10], [0.6, 0.1], window=2)
    >>> axes[1].get_title()
    'Jensen-Shannon divergence during training'
    >>> plt.close("all")
    """
    loss_d, loss_g = np.asarray(loss_d, float), np.asarray(loss_g, float)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
    kernel = np.ones(window) / window
    steps = np.arange(window, len(loss_d) + 1)
    axes[0].plot(steps, np.convolve(loss_d, kernel, "valid"), color=COLORS[0],
                 label="discriminator loss -V(D, G)")
    axes[0].plot(steps, np.convolve(loss_g, kernel, "valid"), color=COLORS[1],
                 label="generator loss -E log D(G(z))")
    axes[0].axhline(np.log(4), color=COLORS[0], ls=":", label="log 4 (D = 1/2 everywhere)")
    axes[0].axhline(np.log(2), color=COLORS[1], ls=":", label="log 2")
    axes[0].set_title(f"losses ({window}-step running mean)")
    axes[0].set_ylabel("nats")
    axes[1].plot(eval_steps, jsd, "o-", ms=3, color=COLORS[2], label="JSD(p_data, p_g)")
    axes[1].axhline(np.log(2), color="0.4", ls=":", label="log 2 (no overlap)")
    axes[1].set_ylim(0, 0.75)
    axes[1].set_title("Jensen-Shannon divergence during training")
    axes[1].set_ylabel("nats")
    for ax in axes:
        ax.set_xlabel("training step")
        ax.legend(fontsize=8)
    return axes


def gan_histogram(x: ArrayLike, p_data: ArrayLike, samples: Mapping[str, ArrayLike],
                  *, bins: ArrayLike, ax: Axes | None = None, title: str = "") -> Axes:
    """The data density and histograms (as densities) of generated samples.

    Parameters
    ----------
    x, p_data : array_like
        Grid and data density on it.
    samples : mapping of str to array_like
        Label and samples of each histogram.
    bins : array_like
        Histogram bin edges.
    ax : Axes, optional
        Where to draw.
    title : str, optional
        Title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> x = np.linspace(-3, 3, 61)
    >>> ax = gan_histogram(x, np.exp(-x**2 / 2) / 2.5066, {"G": np.zeros(5)}, bins=[-1, 0.5, 1])
    >>> ax.get_ylabel()
    'density (per unit x)'
    >>> plt.close("all")
    """
    ax = new_axes(ax)
    ax.fill_between(np.asarray(x, float), 0, np.asarray(p_data, float), color="0.6", alpha=0.5,
                    label="data density p_data")
    for i, (label, s) in enumerate(samples.items()):
        ax.hist(np.asarray(s, float), bins=bins, density=True, histtype="step", lw=1.8,
                color=_palette(i), label=label)
    ax.set_xlabel("x")
    ax.set_ylabel("density (per unit x)")
    ax.set_title(title or "data versus generator")
    ax.legend(fontsize=8)
    return ax


def discriminator(x: ArrayLike, p_data: ArrayLike, p_g: ArrayLike, d_star: ArrayLike,
                  d_trained: ArrayLike | None = None, *, ax: Axes | None = None) -> Axes:
    """Densities of data and generator, the optimal discriminator and (optionally) a trained one.

    Parameters
    ----------
    x : array_like
        Grid.
    p_data, p_g : array_like
        The two densities on `x`.
    d_star : array_like
        The optimal discriminator on `x`.
    d_trained : array_like, optional
        A trained discriminator on `x`.
    ax : Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> x = np.linspace(0, 1, 3)
    >>> ax = discriminator(x, [1, 1, 1], [1, 1, 1], [0.5, 0.5, 0.5])
    >>> ax.get_title()
    'the optimal discriminator'
    >>> plt.close("all")
    """
    ax = new_axes(ax)
    ax.fill_between(x, 0, p_data, color=COLORS[0], alpha=0.3, label="p_data")
    ax.fill_between(x, 0, p_g, color=COLORS[1], alpha=0.3, label="p_g")
    ax.plot(x, d_star, color="k", lw=2, label="D* = p_data / (p_data + p_g)")
    if d_trained is not None:
        ax.plot(x, d_trained, color=COLORS[2], lw=2, ls="--", label="trained D")
    ax.axhline(0.5, color="0.5", ls=":", lw=1)
    ax.set_xlabel("x")
    ax.set_ylabel("density (per unit x) / probability")
    ax.set_title("the optimal discriminator")
    ax.legend(fontsize=8)
    return ax


def pixel_panels(images: ArrayLike, joint: ArrayLike, distances: ArrayLike, mi: ArrayLike,
                 *, shuffled_mi: float | None = None, axes: Sequence[Axes] | None = None
                 ) -> Sequence[Axes]:
    """An example image, the joint table of neighbours, and mutual information by distance (bits).

    Parameters
    ----------
    images : array_like of int, shape (n, h, w)
        Images; the first is shown.
    joint : array_like, shape (k, k)
        Joint distribution of a pixel and its right neighbour.
    distances, mi : array_like
        Offsets and the mutual information at each, in bits.
    shuffled_mi : float, optional
        Mutual information of shuffled pixels, drawn as a reference line.
    axes : three Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> axes = pixel_panels(np.zeros((1, 4, 4), int), np.full((2, 2), 0.25), [1, 2], [0.3, 0.1])
    >>> axes[2].get_ylabel()
    'bits per pixel pair'
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(11, 3.4), layout="constrained")
    img = np.asarray(images)[0]
    im0 = axes[0].imshow(img, cmap="gray", interpolation="nearest")
    axes[0].set_title("a synthetic image")
    axes[0].set_xlabel("pixel column")
    axes[0].set_ylabel("pixel row")
    levels = np.asarray(joint).shape[0]
    plt.colorbar(im0, ax=axes[0], label="grey level", ticks=range(levels))
    joint = np.asarray(joint, float)
    im1 = axes[1].imshow(joint, cmap="viridis", origin="lower")
    axes[1].set_xticks(range(levels))
    axes[1].set_yticks(range(levels))
    axes[1].set_title("P(a, b): pixel and right neighbour")
    axes[1].set_xlabel("grey level b (neighbour)")
    axes[1].set_ylabel("grey level a (pixel)")
    plt.colorbar(im1, ax=axes[1], label="probability")
    axes[2].plot(distances, mi, "o-", color=COLORS[0], label="I(A; B), horizontal offset")
    if shuffled_mi is not None:
        axes[2].axhline(shuffled_mi, color=COLORS[1], ls="--", label="pixels shuffled")
    axes[2].set_xticks(np.asarray(distances)[::2])
    axes[2].set_xlabel("distance between the two pixels (pixels)")
    axes[2].set_ylabel("bits per pixel pair")
    axes[2].set_title("dependence fades with distance")
    axes[2].legend(fontsize=8)
    return axes

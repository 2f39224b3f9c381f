r"""Figures for notebooks 07 (variational inference, VAE) and 08 (GANs, pixels).

Thin layers over :mod:`klcourse.gaussian` and :mod:`klcourse.generative`: each
function draws numbers it is given, labels title, axes (with units) and legend
in mathtext (``$q_\theta$``, never a literal underscore), tells its curves
apart by line style or marker as well as colour (so they read in greyscale),
keeps legends off the data, and returns what it drew.

Notation: in notebook 08 the discriminator is :math:`D` and divergences are
written KL and JSD, so the two never share a letter.
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
           "kl_landscapes", "vae_losses", "scatter_panels", "latent_mismatch",
           "estimator_spread", "gan_curves", "gan_samples", "discriminator", "generator_flows",
           "pixel_panels", "pixel_model_samples"]

#: Colours after the course's three: Okabe-Ito's reddish purple, sky blue and bluish
#: green, each apart from the others and from COLORS with every common colour vision
#: (tab10's red and purple were not: purple and blue are alike with protanopia).
_EXTRA = ("#CC79A7", "#56B4E9", "#009E73")
_STYLES = ("-", "--", ":", "-.")


def _palette(i: int) -> str:
    cols = COLORS + _EXTRA
    return cols[i % len(cols)]


def _legend_outside(ax: Axes, **kw) -> None:
    """A legend to the right of the axes, never over the data."""
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, **kw)


def kl_integrand(x: ArrayLike, p: ArrayLike, q: ArrayLike, *, labels: Sequence[str] = ("p", "q"),
                 ax: Axes | None = None, title: str = "") -> Axes:
    r"""Two densities and the integrand :math:`p \log(p/q)` (nats), whose area is ``D(p || q)``.

    Parameters
    ----------
    x : array_like
        Grid.
    p, q : array_like
        Densities on `x` (``q > 0`` where ``p > 0``).
    labels : (str, str), optional
        Names of the two densities (mathtext, without the dollars).
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
    ('t', ['density $p$', 'density $q$'])
    >>> plt.close("all")
    """
    x, p, q = (np.asarray(a, dtype=float) for a in (x, p, q))
    a, b = labels
    ax = new_axes(ax, figsize=(7.6, 3.6))
    ax.plot(x, p, color=COLORS[0], label=f"density ${a}$")
    ax.plot(x, q, color=COLORS[1], ls="--", label=f"density ${b}$")
    with np.errstate(divide="ignore", invalid="ignore"):
        integrand = np.where(p > 0, p * np.log(p / q), 0.0)
    ax.plot(x, integrand, color=COLORS[2], lw=1.2, ls=":",
            label=f"${a}\\,\\ln({a}/{b})$ (nats per unit $x$)")
    ax.fill_between(x, 0, integrand, color=COLORS[2], alpha=0.25)
    ax.axhline(0, color="0.5", lw=0.6)
    ax.set_xlabel("$x$")
    ax.set_ylabel("density (per unit $x$)")
    ax.set_title(title or f"$D({a}\\,\\|\\,{b})$ is the shaded area (nats)")
    _legend_outside(ax)
    return ax


def elbo_decomposition(steps: ArrayLike, elbo: ArrayLike, kl: ArrayLike, log_evidence: float,
                       *, data: str = "x", ax: Axes | None = None) -> Axes:
    r"""``log p(x) = ELBO + D(q || posterior)`` along a fit: the ELBO rises as the gap closes.

    The sum ELBO + D is drawn as open circles every few steps, on top of the
    line :math:`\log p(x)`, so that its agreement is visible rather than hidden
    under the line.

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
    >>> ax.get_ylabel(), ax.get_title()
    ('nats', '$\\log p(x) = \\mathrm{ELBO} + D(q\\,\\|\\,\\mathrm{posterior})$ at every step')
    >>> plt.close("all")
    """
    steps, elbo, kl = (np.asarray(a, dtype=float) for a in (steps, elbo, kl))
    ax = new_axes(ax, figsize=(7.8, 3.6))
    ax.axhline(log_evidence, color="k", lw=1.5, label=f"$\\log p({data})$ (fixed)")
    ax.plot(steps, elbo, color=COLORS[0], lw=2, ls="--", label=r"$\mathrm{ELBO}(q)$")
    ax.fill_between(steps, elbo, elbo + kl, color=COLORS[1], alpha=0.35,
                    label=r"$D(q\,\|\,\mathrm{posterior})$: the gap")
    every = max(1, len(steps) // 12)
    ax.plot(steps[::every], (elbo + kl)[::every], "o", mfc="none", color=COLORS[1], ms=6,
            label=r"$\mathrm{ELBO} + D$, every %d steps" % every)
    ax.set_xlabel("gradient step")
    ax.set_ylabel("nats")
    ax.set_title(f"$\\log p({data}) = \\mathrm{{ELBO}} + D(q\\,\\|\\,\\mathrm{{posterior}})$ "
                 "at every step")
    _legend_outside(ax)
    return ax


def _ellipse(mean: ArrayLike, cov: ArrayLike, nsig: float, **kw) -> Ellipse:
    vals, vecs = np.linalg.eigh(np.asarray(cov, dtype=float))
    angle = float(np.degrees(np.arctan2(vecs[1, -1], vecs[0, -1])))
    w, h = 2 * nsig * np.sqrt(vals[::-1])
    return Ellipse(tuple(np.asarray(mean, dtype=float)), w, h, angle=angle, **kw)


def posterior_ellipses(mean: ArrayLike, cov: ArrayLike,
                       fits: Mapping[str, tuple[ArrayLike, ArrayLike]], *, nsig: float = 2.0,
                       ax: Axes | None = None, xlabel: str = "$w_1$", ylabel: str = "$w_2$",
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
    >>> len(ax.patches), ax.get_legend() is not None, ax.get_xlabel()
    (3, True, '$w_1$')
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
                              ls=_STYLES[i % 3], label=label))
        reach = np.maximum(reach, nsig * sd)
    pad = 1.15 * reach
    ax.set_xlim(mean[0] - pad[0], mean[0] + pad[0])
    ax.set_ylim(mean[1] - pad[1], mean[1] + pad[1])
    ax.plot(*mean, "k+", ms=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title or f"{nsig:g}-sigma ellipses")
    ax.set_aspect("equal")
    _legend_outside(ax)
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
    'fit: 0.000 nats'
    >>> plt.close("all")
    """
    from scipy import stats

    x = np.asarray(x, dtype=float)
    ax = new_axes(ax, figsize=(8.4, 3.6))
    ax.fill_between(x, 0, np.asarray(p, dtype=float), color="0.6", alpha=0.5, label="target $p$")
    for i, (label, (mu, sd, kl)) in enumerate(fits.items()):
        ax.plot(x, stats.norm.pdf(x, mu, sd), lw=2, color=_palette(i), ls=_STYLES[i % 4],
                label=f"{label}: {kl:.3f} nats")
    ax.set_xlabel("$x$")
    ax.set_ylabel("density (per unit $x$)")
    ax.set_title(title or "one Gaussian fitted to two modes")
    _legend_outside(ax)
    return ax


def kl_landscapes(mus: ArrayLike, sds: ArrayLike, forward: ArrayLike, reverse: ArrayLike,
                  *, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    r"""Filled contours of forward and reverse KL (nats) over ``(mu, sd)``, with colourbars.

    The colour bands are quantiles of the divergence over the grid (each band
    holds an equal share of the grid points up to the 90% quantile), so the
    valleys are resolved; larger values, infinite ones included, share the top
    colour, as the colourbar's arrow says. The grid minimum is starred.

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
    'reverse $D(q\\,\\|\\,p)$'
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.6, 3.7), layout="constrained", sharey=True)
    mus, sds = np.asarray(mus, float), np.asarray(sds, float)
    for ax, vals, name in zip(axes, (forward, reverse),
                              (r"forward $D(p\,\|\,q)$", r"reverse $D(q\,\|\,p)$")):
        vals = np.asarray(vals, float)
        finite = vals[np.isfinite(vals)]
        # infinite divergences (q vanishing where p has mass) lie above every level: they
        # get the top colour, like all values past the 90% quantile (the colourbar's arrow)
        shown = np.where(np.isfinite(vals), vals, finite.max())
        levels = np.unique(np.quantile(finite, np.linspace(0, 0.9, 14)))
        cf = ax.contourf(mus, sds, shown, levels=levels, cmap="viridis", extend="max")
        ax.contour(mus, sds, shown, levels=levels[::2], colors="w", linewidths=0.5)
        ax.figure.colorbar(cf, ax=ax, label="nats (quantile bands)",
                           format="%.2f")
        i, j = np.unravel_index(np.argmin(vals), vals.shape)
        ax.plot(mus[j], sds[i], "*", color="w", mec="k", ms=13)
        ax.annotate(f"minimum ({mus[j]:.2f}, {sds[i]:.2f})", (mus[j], sds[i]),
                    xytext=(0, 10), textcoords="offset points", ha="center", fontsize=8,
                    color="w")
        ax.set_xlabel(r"mean $\mu$ of $q$")
        ax.set_title(name)
    axes[0].set_ylabel(r"standard deviation $\sigma$ of $q$")
    return axes


def vae_losses(recon: ArrayLike, kl: ArrayLike, *, skip: int = 5,
               axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """The VAE's two loss terms per epoch (nats per data point), on plain linear axes.

    The first `skip` epochs, where the reconstruction term falls from tens of
    nats, would flatten the rest on a linear axis; they are left out of the
    left panel and their values named in its title.

    Parameters
    ----------
    recon, kl : array_like
        Reconstruction and KL terms per epoch, in nats per data point.
    skip : int, optional
        Epochs left out of the left panel (>= 0).
    axes : pair of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> axes = vae_losses([10.0, 2.0, 1.0], [0.1, 1.5, 1.6], skip=1)
    >>> axes[1].get_ylabel(), axes[0].get_yscale()
    ('nats per data point', 'linear')
    >>> plt.close("all")
    """
    recon, kl = np.asarray(recon, float), np.asarray(kl, float)
    if not (isinstance(skip, (int, np.integer)) and 0 <= skip < len(recon)):
        raise ValueError(f"vae_losses: skip must be an integer in [0, {len(recon) - 1}], got {skip!r}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.6, 3.3), layout="constrained")
    ep = np.arange(1, len(recon) + 1)
    axes[0].plot(ep[skip:], recon[skip:], color=COLORS[0],
                 label=r"reconstruction $-\mathbb{E}_q[\log p(x \mid z)]$")
    axes[0].plot(ep[skip:], (recon + kl)[skip:], color="k", lw=1, ls="--",
                 label=r"total $= -\mathrm{ELBO}$")
    first = f"epoch 1: {recon[0]:.1f} + {kl[0]:.2f} nats" if skip else ""
    axes[0].set_title(f"from epoch {skip + 1}" + (f" ({first})" if skip else ""), fontsize=10)
    axes[1].plot(ep, kl, color=COLORS[1], ls="-.", label=r"KL term $D(q(z\mid x)\,\|\,N(0, I))$")
    axes[1].set_title("KL term, every epoch", fontsize=10)
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.set_ylabel("nats per data point")
        ax.legend(fontsize=8, loc="upper right" if ax is axes[0] else "lower right")
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
    ['a\\n(3 points)', 'b\\n(4 points)']
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(1, len(panels), figsize=(3.1 * len(panels), 3.3),
                               layout="constrained")
        axes = np.atleast_1d(axes)
    for i, (ax, (title, pts)) in enumerate(zip(axes, panels.items())):
        pts = np.asarray(pts, float)
        ax.scatter(pts[:, 0], pts[:, 1], s=3, alpha=0.5, color=_palette(i))
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_title(f"{title}\n({len(pts)} points)", fontsize=10)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    return axes


def latent_mismatch(grid: ArrayLike, log_ratio: ArrayLike, z: ArrayLike, decoded: ArrayLike,
                    stray: ArrayLike, *, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    r"""Where strays come from: :math:`\log_{10} q(z)/p(z)` in latent space, and the decoded points.

    Left: the aggregate posterior over the prior on a latent grid (a
    heatmap with its colourbar), with prior draws ``z`` marked by whether
    their decoded point is a stray (crosses) or lies on the data (dots).
    Right: the decoded points, with the same markers.

    Parameters
    ----------
    grid : array_like, shape (g,)
        The latent grid along each axis.
    log_ratio : array_like, shape (g, g)
        ``log10 q(z) / p(z)`` with ``[i, j]`` at ``(grid[i], grid[j])``.
    z : array_like, shape (n, 2)
        Prior draws.
    decoded : array_like, shape (n, 2)
        Their decoder means ``f(z)``.
    stray : array_like of bool, shape (n,)
        Which decoded points are strays.
    axes : pair of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> g = np.linspace(-3, 3, 7)
    >>> axes = latent_mismatch(g, np.zeros((7, 7)), np.zeros((2, 2)), np.ones((2, 2)),
    ...                        np.array([True, False]))
    >>> axes[0].get_xlabel()
    '$z_1$'
    >>> plt.close("all")
    """
    g = np.asarray(grid, float)
    z, decoded = np.asarray(z, float), np.asarray(decoded, float)
    stray = np.asarray(stray, bool)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.6, 4.0), layout="constrained")
    im = axes[0].imshow(np.asarray(log_ratio, float).T, origin="lower", cmap="cividis",
                        extent=(g[0], g[-1], g[0], g[-1]), vmin=-3, vmax=3)
    axes[0].figure.colorbar(im, ax=axes[0], extend="both",
                            label=r"$\log_{10}\, q(z) / p(z)$ (below 0: $q$ lacks mass)")
    for ax, pts in ((axes[0], z), (axes[1], decoded)):
        ax.scatter(*pts[~stray].T, s=4, color="k", alpha=0.35,
                   label=f"decoded onto the ring ({int((~stray).sum())})")
        ax.scatter(*pts[stray].T, s=40, marker="X", color="w", edgecolors="k", lw=0.8,
                   label=f"decoded as a stray ({int(stray.sum())})")
        ax.set_aspect("equal")
    theta = np.linspace(0, 2 * np.pi, 200)
    for r in (1, 2):
        axes[0].plot(r * np.cos(theta), r * np.sin(theta), color="w", lw=1, ls="--")
    axes[0].set_xlim(g[0], g[-1])
    axes[0].set_ylim(g[0], g[-1])
    axes[0].set_xlabel("$z_1$")
    axes[0].set_ylabel("$z_2$")
    axes[0].set_title("latent space: prior draws $z$\n(dashed: 1 and 2 prior sd)", fontsize=10)
    axes[1].set_xlabel("$x_1$")
    axes[1].set_ylabel("$x_2$")
    axes[1].set_title("data space: the decoded $f(z)$", fontsize=10)
    axes[1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.15), ncol=1)
    return axes


def estimator_spread(score: ArrayLike, reparam: ArrayLike, exact: float, *,
                     ax: Axes | None = None, label: str = r"$\partial/\partial m_1$") -> Axes:
    """Histograms of single-draw gradient estimates of two estimators, and the exact gradient.

    Parameters
    ----------
    score, reparam : array_like
        One estimate per draw from each estimator (the same coordinate).
    exact : float
        The exact gradient.
    ax : Axes, optional
        Where to draw.
    label : str, optional
        Which derivative (mathtext) for the axis label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ax = estimator_spread(rng.normal(0, 10, 500), rng.normal(0, 1, 500), 0.0)
    >>> len(ax.get_legend().get_texts())
    3
    >>> plt.close("all")
    """
    s, r = np.asarray(score, float), np.asarray(reparam, float)
    ax = new_axes(ax, figsize=(8.6, 3.5))
    lo, hi = np.quantile(s, [0.005, 0.995])
    bins = np.linspace(min(lo, r.min()), max(hi, r.max()), 121)
    ax.hist(s, bins=bins, density=True, histtype="stepfilled", color=COLORS[1], alpha=0.35,
            label=f"score function (sd {s.std():.3g})")
    ax.hist(r, bins=bins, density=True, histtype="step", color=COLORS[0], lw=2,
            label=f"reparameterisation (sd {r.std():.3g})")
    ax.axvline(exact, color="k", ls="--", lw=1.2, label=f"exact gradient {exact:.3g}")
    ax.set_xlabel(f"one-draw estimate of {label} (nats per unit)")
    ax.set_ylabel("density")
    ax.set_title("one draw, two estimators of the same gradient")
    _legend_outside(ax)
    return ax


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
        _, axes = plt.subplots(1, 2, figsize=(9.8, 3.8), layout="constrained")
    kernel = np.ones(window) / window
    steps = np.arange(window, len(loss_d) + 1)
    axes[0].plot(steps, np.convolve(loss_d, kernel, "valid"), color=COLORS[0],
                 label=r"discriminator loss $-V(D, G)$")
    axes[0].plot(steps, np.convolve(loss_g, kernel, "valid"), color=COLORS[1], ls="--",
                 label=r"generator loss $-\mathbb{E}\log D(G(z))$")
    axes[0].axhline(np.log(4), color=COLORS[0], ls=":", lw=1.5,
                    label=r"$\log 4$: $-V$ at $D = 1/2$")
    axes[0].axhline(np.log(2), color=COLORS[1], ls="-.", lw=1.2,
                    label=r"$\log 2$: generator loss at $D = 1/2$")
    axes[0].set_title(f"losses ({window}-step running mean)")
    axes[0].set_ylabel("nats")
    axes[1].plot(eval_steps, jsd, "o-", ms=3, color=COLORS[2],
                 label=r"$\mathrm{JSD}(p_{\mathrm{data}}, p_g)$")
    axes[1].axhline(np.log(2), color="0.4", ls=":", label=r"$\log 2$ (no overlap)")
    axes[1].set_ylim(0, 0.75)
    axes[1].set_title("Jensen-Shannon divergence during training")
    axes[1].set_ylabel("nats")
    for ax in axes:
        ax.set_xlabel("training step")
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1)
    return axes


def gan_samples(x: ArrayLike, p_data: ArrayLike, samples: Mapping[str, ArrayLike],
                *, bins: ArrayLike, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """The data density and a histogram of generated samples, one panel per ``{label: samples}``.

    Separate panels with their own vertical scale: a narrow spike of an
    untrained generator does not flatten the trained one.

    Parameters
    ----------
    x, p_data : array_like
        Grid and data density on it.
    samples : mapping of str to array_like
        Label and samples of each panel.
    bins : array_like
        Histogram bin edges.
    axes : sequence of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> x = np.linspace(-3, 3, 61)
    >>> axes = gan_samples(x, np.exp(-x**2 / 2) / 2.5066, {"G": np.zeros(5)}, bins=[-1, 0.5, 1])
    >>> axes[0].get_ylabel()
    'density (per unit $x$)'
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(1, len(samples), figsize=(4.8 * len(samples), 3.4),
                               layout="constrained")
        axes = np.atleast_1d(axes)
    for i, (ax, (label, s)) in enumerate(zip(axes, samples.items())):
        ax.fill_between(np.asarray(x, float), 0, np.asarray(p_data, float), color="0.6",
                        alpha=0.5, label=r"data density $p_{\mathrm{data}}$")
        ax.hist(np.asarray(s, float), bins=bins, density=True, histtype="step", lw=1.8,
                color=_palette(i), label="generator samples")
        ax.set_xlabel("$x$")
        ax.set_ylabel("density (per unit $x$)")
        ax.set_title(label, fontsize=10)
        ax.legend(fontsize=8, loc="upper left")
        ax.set_ylim(0, 1.35 * ax.get_ylim()[1])
        ax.set_xlim(float(np.min(bins)), float(np.max(bins)))
    return axes


def discriminator(x: ArrayLike, p_data: ArrayLike, p_g: ArrayLike, d_star: ArrayLike,
                  d_trained: ArrayLike | None = None, *, axes: Sequence[Axes] | None = None
                  ) -> Sequence[Axes]:
    """Densities (top panel) and discriminators (bottom panel, a probability), sharing `x`.

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
    axes : pair of Axes, optional
        Where to draw (densities, probabilities).

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> x = np.linspace(0, 1, 3)
    >>> axes = discriminator(x, [1, 1, 1], [1, 1, 1], [0.5, 0.5, 0.5])
    >>> axes[0].get_ylabel(), axes[1].get_ylabel()
    ('density (per unit $x$)', 'probability "real"')
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(8.6, 4.6), layout="constrained", sharex=True,
                               height_ratios=(1, 1.2))
    top, bottom = axes
    top.fill_between(x, 0, p_data, color=COLORS[0], alpha=0.35, label=r"$p_{\mathrm{data}}$")
    top.plot(x, p_g, color=COLORS[1], ls="--", lw=1.8, label="$p_g$")
    top.set_ylabel("density (per unit $x$)")
    top.set_title("the densities and the optimal discriminator", fontsize=10)
    bottom.plot(x, d_star, color="k", lw=2,
                label=r"$D^* = p_{\mathrm{data}} / (p_{\mathrm{data}} + p_g)$")
    if d_trained is not None:
        bottom.plot(x, d_trained, color=COLORS[2], lw=2, ls="--", label="trained $D$")
    bottom.axhline(0.5, color="0.5", ls=":", lw=1, label="$1/2$")
    bottom.set_ylim(-0.03, 1.03)
    bottom.set_ylabel('probability "real"')
    bottom.set_xlabel("$x$")
    for ax in axes:
        _legend_outside(ax)
    return axes


def generator_flows(x: ArrayLike, p_data: ArrayLike, paths: Mapping[str, ArrayLike], *,
                    axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    r"""Paths of a Gaussian generator ``(mu, sd)`` under different losses, and where they end.

    Parameters
    ----------
    x, p_data : array_like
        Grid and data density.
    paths : mapping of str to array_like of shape (steps + 1, 2)
        ``(mu, sd)`` along each path, e.g. from
        :func:`klcourse.generative.objectives.gradient_flow`.
    axes : pair of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> x = np.linspace(-4, 4, 81)
    >>> axes = generator_flows(x, np.exp(-x**2 / 2) / 2.5066, {"a": np.array([[0, 1], [1, 1]])})
    >>> axes[0].get_xlabel()
    'mean $\\mu$ of $p_g$'
    >>> plt.close("all")
    """
    from scipy import stats

    x = np.asarray(x, float)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.8, 3.6), layout="constrained")
    for i, (label, path) in enumerate(paths.items()):
        path = np.asarray(path, float)
        style = dict(color=_palette(i), ls=_STYLES[i % 4], lw=2)
        axes[0].plot(path[:, 0], path[:, 1], **style, label=label)
        axes[0].plot(*path[-1], "o", color=_palette(i), ms=7)
        axes[1].plot(x, stats.norm.pdf(x, *path[-1]), **style,
                     label=f"end of {label}: $N({path[-1, 0]:.2f}, {path[-1, 1]:.2f}^2)$")
    first = np.asarray(next(iter(paths.values())), float)[0]
    axes[0].plot(*first, "ks", ms=7, label=f"start $N({first[0]:.1f}, {first[1]:.1f}^2)$")
    axes[0].set_xlabel(r"mean $\mu$ of $p_g$")
    axes[0].set_ylabel(r"standard deviation $\sigma$ of $p_g$")
    axes[0].set_title("the generator's path", fontsize=10)
    axes[1].fill_between(x, 0, np.asarray(p_data, float), color="0.6", alpha=0.5,
                         label=r"$p_{\mathrm{data}}$")
    axes[1].set_xlabel("$x$")
    axes[1].set_ylabel("density (per unit $x$)")
    axes[1].set_title("where it ends", fontsize=10)
    for ax in axes:
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    return axes


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
        _, axes = plt.subplots(1, 3, figsize=(10.4, 3.4), layout="constrained")
    img = np.asarray(images)[0]
    levels = np.asarray(joint).shape[0]
    im0 = axes[0].imshow(img, cmap="gray", interpolation="nearest", vmin=0, vmax=levels - 1)
    axes[0].set_title("a synthetic image", fontsize=10)
    axes[0].set_xlabel("pixel column")
    axes[0].set_ylabel("pixel row")
    axes[0].figure.colorbar(im0, ax=axes[0], label="grey level", ticks=range(levels))
    joint = np.asarray(joint, float)
    im1 = axes[1].imshow(joint, cmap="viridis", origin="lower")
    axes[1].set_xticks(range(levels))
    axes[1].set_yticks(range(levels))
    axes[1].set_title("$P(a, b)$: pixel and right neighbour", fontsize=10)
    axes[1].set_xlabel("grey level $b$ (neighbour)")
    axes[1].set_ylabel("grey level $a$ (pixel)")
    axes[1].figure.colorbar(im1, ax=axes[1], label="probability")
    axes[2].plot(distances, mi, "o-", color=COLORS[0], label="$I(A; B)$, horizontal offset")
    if shuffled_mi is not None:
        axes[2].axhline(shuffled_mi, color=COLORS[1], ls="--", label="pixels shuffled")
    axes[2].set_xticks(np.asarray(distances)[::2])
    axes[2].set_xlabel("distance between the two pixels (pixels)")
    axes[2].set_ylabel("bits per pixel pair")
    axes[2].set_title("dependence fades with distance", fontsize=10)
    axes[2].legend(fontsize=8)
    return axes


def pixel_model_samples(panels: Mapping[str, ArrayLike], *, levels: int,
                        axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """One image per ``{title: image}`` side by side, on one grey scale with one colourbar.

    Parameters
    ----------
    panels : mapping of str to array_like of int, shape (h, w)
        Title (e.g. a model and its bits per pixel) and image.
    levels : int
        Number of grey levels.
    axes : sequence of Axes, optional
        Where to draw.

    Returns
    -------
    sequence of Axes

    Examples
    --------
    >>> axes = pixel_model_samples({"a": np.zeros((4, 4), int), "b": np.ones((4, 4), int)},
    ...                            levels=2)
    >>> [ax.get_title() for ax in axes]
    ['a', 'b']
    >>> plt.close("all")
    """
    if axes is None:
        _, axes = plt.subplots(1, len(panels), figsize=(2.5 * len(panels) + 0.8, 3.0),
                               layout="constrained")
        axes = np.atleast_1d(axes)
    im = None
    for ax, (title, img) in zip(axes, panels.items()):
        im = ax.imshow(np.asarray(img), cmap="gray", interpolation="nearest", vmin=0,
                       vmax=levels - 1)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].figure.colorbar(im, ax=list(axes), label="grey level", ticks=range(levels),
                            shrink=0.8)
    return axes

"""klcourse.plots.generative: labelled, mathtext, greyscale-readable figures for notebooks 07/08."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from klcourse.generative import objectives, vi  # noqa: E402
from klcourse.plots import generative as gp  # noqa: E402

X = np.linspace(-6, 6, 241)
P = stats.norm.pdf(X, -1, 1)
Q = stats.norm.pdf(X, 1, 1.5)
RNG = np.random.default_rng(0)


def _figures():
    m = vi.make_regression(seed=0)
    h = vi.fit_factorised(m, steps=5)
    mean, cov = m.posterior()
    mix = vi.Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
    grid = np.linspace(-16, 16, 1601)
    g = np.linspace(-3, 3, 21)
    return {
        "kl_integrand": lambda: gp.kl_integrand(X, P, Q),
        "elbo_decomposition": lambda: gp.elbo_decomposition(np.arange(6), h.elbo, h.kl,
                                                            h.log_evidence, data="y"),
        "posterior_ellipses": lambda: gp.posterior_ellipses(
            mean, cov, {"rev": vi.reverse_kl_factorised(mean, cov),
                        "fwd": vi.forward_kl_factorised(mean, cov)}),
        "bimodal_fits": lambda: gp.bimodal_fits(X, P, {"a": (0.0, 1.0, 0.1),
                                                       "b": (1.0, 2.0, 0.2)}),
        "kl_landscapes": lambda: gp.kl_landscapes(g, g[g > 0], np.ones((10, 21)) * g,
                                                  np.ones((10, 21)) * g ** 2),
        "vae_losses": lambda: gp.vae_losses(np.linspace(50, 1, 30), np.linspace(0, 3, 30)),
        "scatter_panels": lambda: gp.scatter_panels({"a": RNG.normal(size=(20, 2))}),
        "latent_mismatch": lambda: gp.latent_mismatch(
            g, np.zeros((21, 21)), RNG.normal(size=(30, 2)), RNG.normal(size=(30, 2)),
            np.arange(30) % 3 == 0),
        "estimator_spread": lambda: gp.estimator_spread(RNG.normal(0, 9, 300),
                                                        RNG.normal(0, 1, 300), 0.0),
        "gan_curves": lambda: gp.gan_curves(np.ones(30), np.ones(30), [0, 30], [0.6, 0.1],
                                            window=5),
        "gan_samples": lambda: gp.gan_samples(X, P, {"before": np.zeros(50),
                                                     "after": RNG.normal(size=50)},
                                              bins=np.linspace(-4, 4, 41)),
        "discriminator": lambda: gp.discriminator(X, P, Q, P / (P + Q), 0.9 * P / (P + Q)),
        "generator_flows": lambda: gp.generator_flows(X, P, {
            "mm": objectives.gradient_flow(mix, 0.7, 1.5, grid, loss="minimax", steps=3),
            "ns": objectives.gradient_flow(mix, 0.7, 1.5, grid, loss="nonsaturating",
                                           steps=3)}),
        "pixel_panels": lambda: gp.pixel_panels(np.zeros((1, 4, 4), int), np.full((2, 2), 0.25),
                                                [1, 2], [0.5, 0.1]),
        "pixel_model_samples": lambda: gp.pixel_model_samples(
            {"a": np.zeros((4, 4), int), "b": np.ones((4, 4), int)}, levels=2),
    }


FIGURES = _figures()


def _axes(result):
    axes = np.atleast_1d(result)
    return [a for a in axes.ravel()]


def _texts(fig):
    for ax in fig.axes:
        yield ax.get_title()
        yield ax.get_xlabel()
        yield ax.get_ylabel()
        legend = ax.get_legend()
        if legend is not None:
            yield from (t.get_text() for t in legend.get_texts())


def test_every_public_figure_is_covered():
    assert set(FIGURES) == set(gp.__all__)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_text_uses_mathtext_never_a_literal_underscore(name):
    fig = _axes(FIGURES[name]())[0].figure
    for text in _texts(fig):
        outside_math = re.sub(r"\$[^$]*\$", "", text)
        assert "_" not in outside_math, f"{name}: literal underscore in {text!r}"
    plt.close("all")


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_data_axes_is_labelled(name):
    axes = _axes(FIGURES[name]())
    for ax in axes:
        if ax.images and not ax.get_xlabel() and name == "pixel_model_samples":
            continue  # image panels: the colourbar carries the unit
        assert ax.get_title() or ax.get_xlabel(), f"{name}: an axes without title or label"
    plt.close("all")


@pytest.mark.parametrize("name", ["kl_integrand", "elbo_decomposition", "bimodal_fits",
                                  "estimator_spread", "discriminator", "gan_curves",
                                  "generator_flows", "vae_losses"])
def test_lines_differ_in_more_than_colour(name):
    for ax in _axes(FIGURES[name]()):
        looks = [(line.get_linestyle(), line.get_marker()) for line in ax.lines
                 if not line.get_label().startswith("_")]
        assert len(looks) == len(set(looks)), f"{name}: two labelled lines differ only in colour"
    plt.close("all")


@pytest.mark.parametrize("name", ["kl_integrand", "elbo_decomposition", "posterior_ellipses",
                                  "bimodal_fits", "estimator_spread", "discriminator"])
def test_legend_sits_outside_the_data(name):
    axes = _axes(FIGURES[name]())
    fig = axes[0].figure
    fig.canvas.draw()
    for ax in axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        box, frame = legend.get_window_extent(), ax.get_window_extent()
        assert box.x0 >= frame.x1 or box.y1 <= frame.y0, f"{name}: legend overlaps the axes"
    plt.close("all")


def test_heatmaps_have_colourbars():
    for name in ("kl_landscapes", "latent_mismatch", "pixel_panels", "pixel_model_samples"):
        fig = _axes(FIGURES[name]())[0].figure
        colourbars = [ax for ax in fig.axes if hasattr(ax, "_colorbar")]
        assert colourbars, f"{name}: a heatmap without colourbar"
        assert all(cb.get_ylabel() or cb.get_xlabel() for cb in colourbars), name
        plt.close("all")


def test_vae_losses_has_no_symlog_and_names_the_skipped_epochs():
    axes = gp.vae_losses([81.0, 20.0, 5.0, 2.0, 1.0], [0.1, 1.0, 2.0, 3.0, 3.5], skip=2)
    assert all(ax.get_yscale() == "linear" for ax in axes)
    assert "81.0" in axes[0].get_title()
    with pytest.raises(ValueError, match="skip"):
        gp.vae_losses([1.0, 2.0], [0.1, 0.2], skip=5)
    plt.close("all")


def test_discriminator_keeps_density_and_probability_apart():
    top, bottom = gp.discriminator(X, P, Q, P / (P + Q))
    assert "density" in top.get_ylabel() and "probability" in bottom.get_ylabel()
    assert bottom.get_ylim()[1] <= 1.05
    plt.close("all")


def test_elbo_sum_is_drawn_visibly_not_under_the_evidence_line():
    ax = gp.elbo_decomposition(np.arange(20), -np.linspace(5, 2, 20), np.linspace(3, 0, 20), -2.0)
    markers = [line for line in ax.lines if line.get_marker() == "o"]
    assert markers and markers[0].get_linestyle() == "None"
    plt.close("all")

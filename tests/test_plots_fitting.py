"""Tests of klcourse.plots.fitting: the figures of notebook 05 show what klcourse computes."""

import numpy as np
import pytest

from klcourse import kl_divergence
from klcourse.data import SPACE_WORM_TEETH as WORMS
from klcourse.fitting import binomial_family, fit_binomial, poisson_family, uniform_pmf
from klcourse.plots.fitting import direction_label, plot_kl_curve, plot_models


def test_plot_models_bars_and_legend_carry_the_divergences():
    fit = fit_binomial(WORMS)
    ax = plot_models(WORMS, {"uniform": uniform_pmf(10), "binomial": fit.model},
                     xlabel="number of teeth")
    assert len(ax.containers) == 3
    np.testing.assert_allclose([b.get_height() for b in ax.containers[0]], WORMS)
    np.testing.assert_allclose([b.get_height() for b in ax.containers[2]], fit.model)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[1] == f"uniform: D = {kl_divergence(WORMS, uniform_pmf(10)):.3f} bits"
    assert texts[2] == f"binomial: D = {fit.divergence:.3f} bits"
    assert ax.get_title() and ax.get_xlabel() == "number of teeth" and ax.get_ylabel() == "probability"
    # the three series differ by hatching, not by colour alone
    assert len({c[0].get_hatch() for c in ax.containers}) == 3


def test_plot_models_in_nats_and_bad_number_of_models():
    ax = plot_models(WORMS, {"uniform": uniform_pmf(10)}, base=np.e)
    assert "nats" in ax.get_legend().get_texts()[1].get_text()
    with pytest.raises(ValueError, match="between 1 and 3 models"):
        plot_models(WORMS, {})


def test_plot_kl_curve_marks_both_minimisers():
    ax = plot_kl_curve(WORMS, binomial_family(10), directions=("forward", "reverse"),
                       references={"mean / 10": 0.544}, ymax=3)
    fwd, rev = fit_binomial(WORMS), fit_binomial(WORMS, direction="reverse")
    dots = [c.get_offsets()[0] for c in ax.collections]
    np.testing.assert_allclose(dots[0], [fwd.p, fwd.divergence])
    np.testing.assert_allclose(dots[1], [rev.p, rev.divergence])
    assert ax.lines[0].get_linestyle() == "-" and ax.lines[1].get_linestyle() == "--"
    assert ax.get_ylabel() == "divergence (bits)" and ax.get_xlabel() == "parameter $p$"
    assert ax.get_ylim() == (0, 3)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "D(observed || model)" in labels and "D(model || observed)" in labels
    assert "mean / 10 = 0.5440" in labels
    # Infinite values (p = 0 and 1 in the forward direction) are gaps, not numbers.
    y = ax.lines[0].get_ydata()
    assert np.isnan(y[0]) and np.isnan(y[-1]) and np.isfinite(y[1:-1]).all()


def test_plot_kl_curve_needs_bounds_for_an_unbounded_domain():
    with pytest.raises(ValueError, match="pass bounds"):
        plot_kl_curve(WORMS, poisson_family(10))
    ax = plot_kl_curve(WORMS, poisson_family(10), bounds=(1, 12))
    assert ax.get_xlabel() == r"parameter $\lambda$"
    with pytest.raises(ValueError, match="direction"):
        plot_kl_curve(WORMS, binomial_family(10), directions=("sideways",))


def test_direction_label():
    assert direction_label("forward", "Bin") == "D(observed || Bin)"
    with pytest.raises(ValueError):
        direction_label("up")


def test_plot_kl_curve_marks_a_second_valley():
    """The U-shaped observation of notebook 05: the reverse curve's other valley is marked too."""
    from klcourse import normalize
    from klcourse.inequalities import local_minima
    from klcourse.fitting import kl_curve

    u_shaped = normalize([30, 5, 2, 1, 1, 1, 1, 1, 2, 6, 50])
    fam = binomial_family(10)
    ax = plot_kl_curve(u_shaped, fam, directions=("reverse",), points=400)
    theta = np.linspace(0, 1, 400)
    curve = kl_curve(u_shaped, fam, theta, direction="reverse")
    valleys = theta[local_minima(curve)]
    assert len(valleys) == 2
    best = fit_binomial(u_shaped, direction="reverse").p
    other = valleys[np.argmax(np.abs(valleys - best))]
    marked = ax.collections[1].get_offsets()
    np.testing.assert_allclose(marked[:, 0], [other])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("another local minimum: $p$ = ") for t in labels)
    # a single bowl gets no extra marker
    ax = plot_kl_curve(WORMS, fam)
    assert len(ax.collections) == 1

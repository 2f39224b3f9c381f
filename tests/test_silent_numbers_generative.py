"""Issue 16, item 5, in klcourse.generative: no silently wrong number, and errors that name
the function the learner called. One test per class; where a number is involved it is
checked against an independent computation (closed form or quadrature)."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from klcourse.gaussian import kl_gaussian
from klcourse.generative import gan, nn, pixels, vae, vi

MIX = vi.Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.6, 0.6))
BAD_VALUES = [np.nan, np.inf, -np.inf]


# --- NaN / inf in samples, weights, means, sds ------------------------------------------


@pytest.mark.parametrize("bad", BAD_VALUES)
def test_non_finite_samples_are_refused_by_the_function_called(bad):
    samples = np.array([0.1, bad, 0.7])
    edges = np.linspace(-5, 5, 11)
    for func, call in [("sample_bin_probs", lambda: gan.sample_bin_probs(samples, edges)),
                       ("jsd_on_grid", lambda: gan.jsd_on_grid(MIX, samples, edges)),
                       ("train_discriminator",
                        lambda: gan.train_discriminator(samples, [0.0], steps=1)),
                       ("GAN.generate", lambda: gan.init_gan().generate(samples)),
                       ("GAN.discriminate", lambda: gan.init_gan().discriminate(samples))]:
        with pytest.raises(ValueError, match=f"^{func}: .*contains"):
            call()


def test_samples_that_are_empty_or_not_1d_are_refused():
    with pytest.raises(ValueError, match="sample_bin_probs: samples is empty"):
        gan.sample_bin_probs([], [0.0])
    with pytest.raises(ValueError, match="sample_bin_probs: samples must be 1-D"):
        gan.sample_bin_probs(np.zeros((2, 2)), [0.0])


@pytest.mark.parametrize("field", ["weights", "means", "sds"])
@pytest.mark.parametrize("bad", BAD_VALUES)
def test_mixture_refuses_non_finite_parameters(field, bad):
    params = {"weights": [0.5, 0.5], "means": [-1.0, 1.0], "sds": [1.0, 1.0]}
    params[field][0] = bad
    with pytest.raises(ValueError, match=f"^Mixture1D: {field} contains"):
        vi.Mixture1D(params["weights"], params["means"], params["sds"])


def test_mixture_pdf_and_cdf_refuse_nan_points_but_take_infinities():
    with pytest.raises(ValueError, match="Mixture1D.pdf: x contains NaN"):
        MIX.pdf([0.0, np.nan])
    assert MIX.cdf([-np.inf, np.inf]).tolist() == [0.0, 1.0]
    assert MIX.pdf(np.inf) == 0.0


def test_non_finite_regression_and_vae_data_are_refused():
    with pytest.raises(ValueError, match="LinearGaussianModel: X .*contains nan"):
        vi.LinearGaussianModel(np.array([[1.0, np.nan]]), np.array([1.0]))
    with pytest.raises(ValueError, match="LinearGaussianModel: y contains inf"):
        vi.LinearGaussianModel(np.ones((1, 2)), np.array([np.inf]))
    ring = vae.make_ring(10, seed=0)
    ring[3, 1] = np.nan
    with pytest.raises(ValueError, match="train_vae: data contains nan"):
        vae.train_vae(ring, epochs=1)
    with pytest.raises(ValueError, match="log_evidence_grid: x contains nan"):
        vae.log_evidence_grid(vae.init_vae(), ring)
    with pytest.raises(ValueError, match="reverse_kl_factorised: cov contains nan"):
        vi.reverse_kl_factorised([0, 0], [[1, np.nan], [np.nan, 1]])


# --- grids: strictly increasing, finite, evenly spaced where the maths needs it ---------


def _gaussian_pair(x):
    return stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 1, 2)


def test_gan_value_on_a_decreasing_grid_is_refused_not_sign_flipped():
    x = np.linspace(-16, 18, 3401)     # both densities' mass on the grid to 1e-14
    pd, pg = _gaussian_pair(x)
    d = gan.optimal_discriminator(pd, pg)
    value = gan.gan_value(x, pd, pg, d)
    # independent: C(G) = -log 4 + 2 JSD, JSD by quadrature of the mixture formula
    m = 0.5 * (pd + pg)
    jsd = 0.5 * integrate.trapezoid(pd * np.log(pd / m) + pg * np.log(pg / m), x)
    assert value == pytest.approx(-math.log(4) + 2 * jsd, abs=1e-9)
    with pytest.raises(ValueError, match="gan_value: x must be strictly increasing"):
        gan.gan_value(x[::-1], pd[::-1], pg[::-1], d[::-1])


@pytest.mark.parametrize("grid", [np.array([0.0, 1.0, 1.0, 2.0]), np.array([2.0, 1.0, 0.0]),
                                  np.array([0.0, np.nan, 1.0]), np.array([0.0, np.inf])])
def test_every_grid_taking_function_refuses_unordered_or_non_finite_grids(grid):
    n = grid.size
    calls = [
        ("gan_value", lambda: gan.gan_value(grid, np.ones(n), np.ones(n), np.full(n, 0.5))),
        ("mixture_bin_probs", lambda: gan.mixture_bin_probs(MIX, grid)),
        ("sample_bin_probs", lambda: gan.sample_bin_probs([0.5], grid)),
        ("jsd_on_grid", lambda: gan.jsd_on_grid(MIX, [0.5], grid)),
        ("kl_landscape", lambda: vi.kl_landscape(MIX, [0.0], [1.0], grid)),
        ("fit_gaussian", lambda: vi.fit_gaussian(MIX, "forward", x=grid)),
        ("grid_kl", lambda: vi.grid_kl(np.ones(n), np.ones(n), x=grid)),
        ("train_gan", lambda: gan.train_gan(MIX, steps=1, edges=grid)),
    ]
    for func, call in calls:
        with pytest.raises(ValueError, match=f"^{func}: (x|edges) (must be strictly|contains)"):
            call()


def test_uneven_grids_are_refused_where_cells_must_be_equal():
    x = np.concatenate([np.linspace(-10, 0, 100), np.linspace(0.5, 10, 50)])
    for func, call in [("grid_kl", lambda: vi.grid_kl(*_gaussian_pair(x), x=x)),
                       ("kl_landscape", lambda: vi.kl_landscape(MIX, [0.0], [1.0], x))]:
        with pytest.raises(ValueError, match=f"^{func}: x must be evenly spaced"):
            call()


# --- grids that cut the densities off ---------------------------------------------------


def test_grid_kl_on_a_truncating_grid_is_refused_and_agrees_with_the_closed_form_otherwise():
    closed = kl_gaussian(0, 1, 1, 2, base=np.e)
    wide = np.linspace(-15, 15, 3001)
    assert vi.grid_kl(*_gaussian_pair(wide)) == pytest.approx(closed, abs=1e-9)
    assert vi.grid_kl(*_gaussian_pair(wide), x=wide) == pytest.approx(closed, abs=1e-9)
    for short in (np.linspace(-2, 2, 401), np.linspace(-4, 1, 401), np.linspace(0, 8, 401)):
        with pytest.raises(ValueError, match="grid_kl: p_density is still .* of its peak"):
            vi.grid_kl(*_gaussian_pair(short))
        with pytest.raises(ValueError, match="grid_kl: p_density integrates to"):
            vi.grid_kl(*_gaussian_pair(short), x=short)


def test_grid_kl_checks_the_mass_of_densities_that_end_inside_the_grid():
    """Exponential densities start at their peak: the end check cannot apply, the mass can."""
    x = np.linspace(0, 40, 40001)
    p, q = stats.expon.pdf(x, scale=1.0), stats.expon.pdf(x, scale=2.0)
    with pytest.raises(ValueError, match="pass x="):
        vi.grid_kl(p, q)
    closed = math.log(2) + 1 / 2 - 1          # D(Exp(1) || Exp(1/2)) = log(2) + 1/2 - 1
    assert vi.grid_kl(p, q, x=x) == pytest.approx(closed, abs=1e-3)


def test_gan_value_on_a_truncating_grid_is_refused():
    x = np.linspace(0, 10, 1001)      # carries only half of N(0, 1)
    pd, pg = _gaussian_pair(x)
    with pytest.raises(ValueError, match="gan_value: p_data integrates to 0.5"):
        gan.gan_value(x, pd, pg, gan.optimal_discriminator(pd, pg))


def test_kl_landscape_refuses_a_grid_that_cuts_off_a_candidate_or_the_target():
    with pytest.raises(ValueError, match=r"kl_landscape: .* mass of q = N\(-3.5, 3\^2\)"):
        vi.kl_landscape(MIX, [-3.5, 3.5], [0.3, 3.0], np.linspace(-10, 10, 601))
    with pytest.raises(ValueError, match="kl_landscape: .* mass of the mixture"):
        vi.kl_landscape(MIX, [0.0], [0.5], np.linspace(-3, 3, 601))
    # independent check on a wide grid: D(q || p) = E_q[log q - log p] by quadrature
    x = np.linspace(-25, 25, 5001)
    land = vi.kl_landscape(MIX, [1.0], [1.5], x, "reverse")
    q = stats.norm.pdf(x, 1.0, 1.5)
    direct = integrate.trapezoid(q * (np.log(q) - np.log(MIX.pdf(x))), x)
    assert land[0, 0] == pytest.approx(direct, abs=1e-6)


def test_fit_gaussian_refuses_a_grid_that_cuts_off_the_mixture():
    with pytest.raises(ValueError, match="fit_gaussian: .* mass of the mixture"):
        vi.fit_gaussian(MIX, "forward", x=np.linspace(-2.5, 2.5, 501))
    with pytest.raises(ValueError, match="fit_gaussian: init must be"):
        vi.fit_gaussian(MIX, "forward", init=(0.0, -1.0))


def test_log_evidence_grid_refuses_a_latent_grid_that_cuts_the_posterior_off():
    model = vae.train_vae(vae.make_ring(200, seed=0), epochs=10, seed=0)[0]
    pts = vae.make_ring(3, seed=1)
    for func in (vae.log_evidence_grid, vae.posterior_gap_grid):
        with pytest.raises(ValueError, match=f"{func.__name__}: the posterior .* edge of the "
                                             "latent grid"):
            func(model, pts, half_width=0.5)


def test_log_evidence_grid_against_a_closed_form():
    """A decoder with zero weights outputs its bias b for every z, so p(x) = N(x; b, s^2 I)."""
    model = vae.init_vae(latent=2, seed=0)
    for w in model.dec:
        w[...] = 0.0
    model.dec[-1][...] = [0.3, -0.2]
    x = np.array([[0.0, 0.0], [1.0, 2.0]])
    closed = stats.multivariate_normal([0.3, -0.2], model.noise_sd**2 * np.eye(2)).logpdf(x)
    got = vae.log_evidence_grid(model, x)
    # the Riemann sum of the prior over [-5, 5]^2 with 301 points: its own sum, exactly
    g = np.linspace(-5, 5, 301)
    prior_sum = (stats.norm.pdf(g).sum() * (g[1] - g[0])) ** 2
    assert got == pytest.approx(closed + np.log(prior_sum), abs=1e-12)


# --- raw errors from deep inside: now named, with the fix ----------------------------------


@pytest.mark.parametrize("call, message", [
    (lambda: vae.train_vae(vae.make_ring(20), batch=0, epochs=1), "train_vae: batch must be"),
    (lambda: vae.train_vae(vae.make_ring(20), epochs=-1), "train_vae: epochs must be"),
    (lambda: vae.train_vae(vae.make_ring(20), latent=0), "train_vae: latent must be"),
    (lambda: vae.train_vae(vae.make_ring(20), lr=0.0), "train_vae: lr must be"),
    (lambda: vae.train_vae(np.zeros((0, 2))), "train_vae: data holds no points"),
    (lambda: vae.log_evidence_grid(vae.init_vae(), np.zeros((1, 2)), points=1),
     "log_evidence_grid: points must be an int >= 2"),
    (lambda: vae.posterior_gap_grid(vae.init_vae(), np.zeros((1, 2)), half_width=0),
     "posterior_gap_grid: half_width must be"),
    (lambda: vae.log_evidence_grid(vae.init_vae(), np.zeros(4)), r"log_evidence_grid: x must "
                                                                 r"be 2-D"),
    (lambda: vae.elbo_per_point(vae.init_vae(), np.zeros((1, 2)), n_samples=1),
     "elbo_per_point: n_samples must be an int >= 2"),
    (lambda: vae.init_vae().decode(np.zeros((3, 3))), r"VAE.decode: z must have shape \(n, 2\)"),
    (lambda: gan.train_gan(MIX, steps=2, batch=0), "train_gan: batch must be"),
    (lambda: gan.train_gan(MIX, steps=2, eval_every=0), "train_gan: eval_every must be"),
    (lambda: gan.train_gan(MIX, steps=2, lr_final=0), "train_gan: lr_final must be"),
    (lambda: vi.reverse_kl_factorised([0, 0], [[1, 1], [1, 1]]),
     "reverse_kl_factorised: cov must be positive definite"),
    (lambda: vi.forward_kl_factorised([0, 0], [[1, 2], [2, 1]]),
     "forward_kl_factorised: cov must be positive definite"),
    (lambda: vi.forward_kl_factorised([0, 0], [[1, 0.5], [0.2, 1]]),
     "forward_kl_factorised: cov must be symmetric"),
    (lambda: vi.make_regression(n=0), "make_regression: n must be"),
    (lambda: vi.fit_factorised(vi.make_regression(), init_sd=[1.0, 0.0]),
     "fit_factorised: init_mean and init_sd"),
    (lambda: nn.init_mlp([2, 2.5, 1], np.random.default_rng(0)), "init_mlp: sizes must"),
    (lambda: nn.mlp_forward(nn.init_mlp([2, 3, 1], np.random.default_rng(0)), np.ones((4, 3))),
     r"mlp_forward: x must have shape \(n, 2\)"),
    (lambda: nn.Adam([], lr=np.nan), "Adam: lr and eps"),
    (lambda: pixels.smooth_images(1, 4, levels=2.5), "smooth_images: levels must be"),
    (lambda: pixels.independence_cost([[0.5, 0.5], [0.25, 0.25]]),
     "independence_cost: joint sums to 1.5"),
    (lambda: pixels.independence_cost([[0.5, np.nan], [0.25, 0.25]]),
     "independence_cost: joint contains NaN"),
    (lambda: gan.value_at_optimum([0.5, 0.6], [0.5, 0.5]), "value_at_optimum: p_data_bins sums"),
    (lambda: gan.value_at_optimum([0.5, 0.5], [1.0]), "value_at_optimum: p_data_bins and p_g"),
    (lambda: gan.jsd_on_grid(MIX, [0.1], [0.0], base=1), "jsd_on_grid: base must be"),
    (lambda: pixels.independence_cost([[0.5, 0.0], [0.0, 0.5]], base=-2),
     "independence_cost: base must be"),
    (lambda: pixels.pair_joint(np.zeros((2, 4, 4), int), (0, 1.5)),
     "pair_joint: offset must be two ints"),
    (lambda: vi.make_regression().elbo([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]]),
     "LinearGaussianModel.elbo_terms: cov must be positive definite"),
    (lambda: vi.make_regression().kl_to_posterior([0.0], [[1.0]]),
     "LinearGaussianModel.kl_to_posterior: q_mean must hold 2"),
    (lambda: vi.elbo_gradient(vi.make_regression(), [0.0, np.nan], [0.0, 0.0]),
     "elbo_gradient: q_mean contains nan"),
    (lambda: vae.log_evidence_grid(vae.init_vae(), np.zeros((1, 2)), points=5000),
     r"log_evidence_grid: points=5000 gives 5000\*\*2 grid points"),
    (lambda: gan.gan_value([0.0, 1.0], [[1.0, 1.0], [1.0]], [1.0, 1.0], [0.5, 0.5]),
     "gan_value: p_data is ragged"),
    (lambda: vi.grid_kl(["0.5", "0.5"], [0.5, 0.5]), None),
])
def test_errors_name_the_function_called_and_the_fix(call, message):
    if message is None:       # strings are not numbers: a TypeError naming the function
        with pytest.raises(TypeError, match="grid_kl: p_density must be a plain array"):
            call()
        return
    with pytest.raises(ValueError, match=message):
        call()


def test_functions_taking_a_mixture_refuse_anything_else():
    fake = {"weights": (1.0,), "means": (0.0,), "sds": (1.0,)}
    for func, call in [("kl_landscape", lambda: vi.kl_landscape(fake, [0], [1], [0, 1])),
                       ("fit_gaussian", lambda: vi.fit_gaussian(fake, "forward")),
                       ("mixture_bin_probs", lambda: gan.mixture_bin_probs(fake, [0.0])),
                       ("jsd_on_grid", lambda: gan.jsd_on_grid(fake, [0.0], [0.0])),
                       ("train_gan", lambda: gan.train_gan(fake, steps=1))]:
        with pytest.raises(TypeError, match=f"^{func}: .* must be a Mixture1D"):
            call()


def test_mixture_bin_probs_are_exact_differences_not_clipped_and_renormalised():
    edges = np.linspace(-3, 3, 13)
    probs = gan.mixture_bin_probs(MIX, edges)
    e = np.concatenate([[-np.inf], edges, [np.inf]])
    by_component = sum(w * np.diff(stats.norm.cdf(e, m, s))
                       for w, m, s in zip(MIX.weights, MIX.means, MIX.sds))
    assert probs == pytest.approx(by_component, abs=1e-16)
    assert np.all(probs >= 0) and probs.sum() == pytest.approx(1.0, abs=1e-15)

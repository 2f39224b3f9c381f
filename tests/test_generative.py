"""Tests of klcourse.generative: identities, optima and gradients checked a second way."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from klcourse.gaussian import kl_mvn
from klcourse.generative import vi


# ------------------------------------------------------------------ helpers


def numerical_grad(f, x, eps=1e-6):
    """Central finite differences of a scalar function of an array."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(xp) - f(xm)) / (2 * eps)
    return g


def weight_grid(centre, half_width, points):
    """A square grid of 2-D weights around `centre`: axes g0, g1, and the points W (shape (n, n, 2))."""
    g0 = np.linspace(centre[0] - half_width, centre[0] + half_width, points)
    g1 = np.linspace(centre[1] - half_width, centre[1] + half_width, points)
    w0, w1 = np.meshgrid(g0, g1, indexing="ij")
    return g0, g1, np.stack([w0, w1], -1)


# ------------------------------------------------------------------ VI


@pytest.fixture(scope="module")
def model():
    return vi.make_regression(n=30, rho=0.9, seed=0)


def test_posterior_matches_bayes_rule_by_brute_force(model):
    # Unnormalised log posterior on a grid: its mean and covariance match.
    mean, cov = model.posterior()
    _, _, W = weight_grid(mean, 2, 401)
    w0, w1 = W[..., 0], W[..., 1]
    resid = model.y - W @ model.X.T
    logpost = (-0.5 * np.sum(resid**2, -1) / model.noise_var
               - 0.5 * np.sum(W**2, -1) / model.prior_var)
    post = np.exp(logpost - logpost.max())
    post /= post.sum()
    m_grid = np.array([np.sum(post * w0), np.sum(post * w1)])
    c01 = np.sum(post * (w0 - m_grid[0]) * (w1 - m_grid[1]))
    np.testing.assert_allclose(m_grid, mean, atol=1e-6)
    assert c01 == pytest.approx(cov[0, 1], rel=1e-4)


def test_log_evidence_by_integration(model):
    # log p(y) = log int p(y|w) p(w) dw, by 2-D quadrature on a wide grid.
    mean, _ = model.posterior()
    g0, g1, W = weight_grid(mean, 3, 241)
    loglik = stats.norm(W @ model.X.T, math.sqrt(model.noise_var)).logpdf(model.y).sum(-1)
    logprior = stats.norm(0, math.sqrt(model.prior_var)).logpdf(W).sum(-1)
    joint = loglik + logprior
    top = joint.max()
    val = integrate.simpson(integrate.simpson(np.exp(joint - top), x=g1, axis=1), x=g0)
    assert model.log_evidence() == pytest.approx(top + math.log(val), abs=1e-7)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_elbo_identity_is_exact(model, seed):
    rng = np.random.default_rng(seed)
    q_mean = rng.normal(size=2)
    a = rng.normal(size=(2, 2))
    q_cov = a @ a.T + 0.05 * np.eye(2)  # a full (not factorised) q works too
    lhs = model.log_evidence()
    rhs = model.elbo(q_mean, q_cov) + model.kl_to_posterior(q_mean, q_cov)
    assert lhs == pytest.approx(rhs, abs=1e-9)
    assert model.elbo(q_mean, q_cov) < lhs


def test_elbo_matches_monte_carlo(model):
    rng = np.random.default_rng(3)
    q_mean, q_sd = np.array([0.4, 0.1]), np.array([0.3, 0.2])
    w = q_mean + q_sd * rng.normal(size=(50_000, 2))
    log_joint = (stats.norm(w @ model.X.T, 1.0).logpdf(model.y).sum(-1)
                 + stats.norm(0, 1.0).logpdf(w).sum(-1))
    log_q = stats.norm(q_mean, q_sd).logpdf(w).sum(-1)
    vals = log_joint - log_q
    se = vals.std() / math.sqrt(len(vals))
    assert abs(vals.mean() - model.elbo(q_mean, np.diag(q_sd**2))) < 4 * se


def test_elbo_gradient_against_finite_differences(model):
    mu0, ls0 = np.array([0.3, -0.2]), np.log(np.array([0.4, 0.7]))

    def elbo_of(theta):
        return model.elbo(theta[:2], np.diag(np.exp(2 * theta[2:])))

    g_mu, g_ls = vi.elbo_gradient(model, mu0, ls0)
    num = numerical_grad(elbo_of, np.concatenate([mu0, ls0]))
    np.testing.assert_allclose(np.concatenate([g_mu, g_ls]), num, rtol=1e-6, atol=1e-7)


def test_fit_reaches_reverse_kl_optimum(model):
    mean, cov = model.posterior()
    h = vi.fit_factorised(model, steps=300, init_mean=[-0.5, 1.0], init_sd=[0.5, 0.5])
    _, sd_opt = vi.reverse_kl_factorised(mean, cov)
    np.testing.assert_allclose(h.sds[-1] ** 2, 1 / np.diag(np.linalg.inv(cov)), rtol=1e-8)
    np.testing.assert_allclose(h.sds[-1], sd_opt, rtol=1e-8)
    np.testing.assert_allclose(h.means[-1], mean, atol=1e-8)
    # identity along the whole path; ELBO rises, KL falls
    np.testing.assert_allclose(h.elbo + h.kl, h.log_evidence, atol=1e-9)
    assert np.all(np.diff(h.elbo) > -1e-12)
    assert h.kl[-1] < h.kl[0]
    # spread is under-estimated: conditional < marginal variances
    assert np.all(sd_opt < np.sqrt(np.diag(cov)))


def test_closed_form_factorised_optima_are_minima():
    mean = np.array([0.5, -1.0])
    cov = np.array([[1.0, 0.8], [0.8, 2.0]])
    m_r, s_r = vi.reverse_kl_factorised(mean, cov)
    m_f, s_f = vi.forward_kl_factorised(mean, cov)
    rev = lambda s: kl_mvn(m_r, np.diag(s**2), mean, cov)   # noqa: E731
    fwd = lambda s: kl_mvn(mean, cov, m_f, np.diag(s**2))   # noqa: E731
    rng = np.random.default_rng(0)
    for _ in range(30):
        d = rng.normal(scale=0.05, size=2)
        assert rev(s_r * np.exp(d)) > rev(s_r)
        assert fwd(s_f * np.exp(d)) > fwd(s_f)
    np.testing.assert_allclose(numerical_grad(rev, s_r), 0, atol=1e-6)
    np.testing.assert_allclose(numerical_grad(fwd, s_f), 0, atol=1e-6)


def test_model_validation():
    with pytest.raises(ValueError, match="y must have shape"):
        vi.LinearGaussianModel(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="noise_var must be"):
        vi.LinearGaussianModel(np.ones((3, 2)), np.ones(3), noise_var=0.0)
    with pytest.raises(ValueError, match="rho"):
        vi.make_regression(rho=1.0)


MIX = vi.Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.6, 0.6))


def test_mixture_moments_by_integration():
    m = integrate.quad(lambda x: x * MIX.pdf(x), -20, 20)[0]
    v = integrate.quad(lambda x: (x - m) ** 2 * MIX.pdf(x), -20, 20)[0]
    assert MIX.mean() == pytest.approx(m, abs=1e-10)
    assert MIX.var() == pytest.approx(v, rel=1e-10)


def test_grid_kl_against_quadrature():
    q = stats.norm(0.7, 1.3)
    f = lambda x: MIX.pdf(x) * (math.log(MIX.pdf(x)) - q.logpdf(x))  # noqa: E731
    val = integrate.quad(f, -12, 12, limit=200)[0]
    x = np.linspace(-12, 12, 4001)
    assert vi.grid_kl(MIX.pdf(x), q.pdf(x)) == pytest.approx(val, rel=1e-6)


def test_forward_fit_is_moment_matching_and_reverse_picks_a_mode():
    mu_f, sd_f, kl_f = vi.fit_gaussian(MIX, "forward", init=(1.0, 1.0))
    assert mu_f == pytest.approx(MIX.mean(), abs=1e-5)
    assert sd_f**2 == pytest.approx(MIX.var(), rel=1e-5)
    left = vi.fit_gaussian(MIX, "reverse", init=(-1.0, 1.0))
    right = vi.fit_gaussian(MIX, "reverse", init=(1.0, 1.0))
    assert left[0] == pytest.approx(-2.0, abs=0.05) and right[0] == pytest.approx(2.0, abs=0.05)
    assert left[1] == pytest.approx(0.6, abs=0.05)
    # well-separated equal modes: covering one of two costs about ln 2 nats
    assert right[2] == pytest.approx(math.log(2), abs=0.01)
    # the reverse fit beats the moment-matched Gaussian on the reverse divergence
    x = np.linspace(-12, 12, 4001)
    assert right[2] < vi.grid_kl(stats.norm.pdf(x, mu_f, sd_f), MIX.pdf(x))


def test_reverse_kl_has_a_wide_central_local_minimum():
    mu, sd, kl = vi.fit_gaussian(MIX, "reverse", init=(0.2, 2.0))
    assert abs(mu) < 1e-3 and 1.5 < sd < 2.1
    x = np.linspace(-12, 12, 2001)
    around = vi.kl_landscape(MIX, [mu - 0.2, mu + 0.2], [sd * 0.9, sd * 1.1], x)
    assert np.all(around > kl)                      # a genuine local minimum
    assert kl > vi.fit_gaussian(MIX, "reverse", init=(1.0, 1.0))[2]   # worse than a mode


def test_fit_gaussian_errors():
    with pytest.raises(ValueError, match="direction"):
        vi.fit_gaussian(MIX, "backward")
    with pytest.raises(ValueError, match="outside the search box"):
        vi.fit_gaussian(MIX, "reverse", init=(0.0, 50.0))


def test_landscape_shape_and_minima():
    mus = np.linspace(-3, 3, 61)
    sds = np.linspace(0.3, 3, 28)
    x = np.linspace(-20, 20, 2001)      # carries every q, down to N(+-3, 3^2)
    rev = vi.kl_landscape(MIX, mus, sds, x, "reverse")
    fwd = vi.kl_landscape(MIX, mus, sds, x, "forward")
    assert rev.shape == fwd.shape == (28, 61)
    i, j = np.unravel_index(np.argmin(rev), rev.shape)
    assert abs(abs(mus[j]) - 2.0) < 0.15
    i, j = np.unravel_index(np.argmin(fwd), fwd.shape)
    assert abs(mus[j]) < 0.15


# ------------------------------------------------------------------ nn + GAN

from klcourse.generative import gan as G  # noqa: E402
from klcourse.generative import nn  # noqa: E402


def test_mlp_gradients_against_finite_differences():
    rng = np.random.default_rng(0)
    params = nn.init_mlp([2, 5, 4, 3], rng)
    x = rng.normal(size=(6, 2))
    w = rng.normal(size=(6, 3))  # loss = sum(w * out)
    out, acts = nn.mlp_forward(params, x)
    grads, grad_x = nn.mlp_backward(params, acts, w)
    for k, p in enumerate(params):
        def f(val, k=k):
            ps = [q.copy() for q in params]
            ps[k] = val
            return float(np.sum(w * nn.mlp_forward(ps, x)[0]))
        np.testing.assert_allclose(grads[k], numerical_grad(f, p), rtol=1e-6, atol=1e-8)
    fx = lambda xx: float(np.sum(w * nn.mlp_forward(params, xx)[0]))  # noqa: E731
    np.testing.assert_allclose(grad_x, numerical_grad(fx, x), rtol=1e-6, atol=1e-8)


def test_sigmoid_stable():
    a = np.array([-800.0, -1.0, 0.0, 2.0, 800.0])
    np.testing.assert_allclose(nn.sigmoid(a), 1 / (1 + np.exp(-np.clip(a, -700, 700))), rtol=1e-12,
                               atol=1e-300)
    np.testing.assert_allclose(nn.log_sigmoid(np.array([0.0, 800.0])), [-math.log(2), 0.0], atol=1e-12)
    assert nn.log_sigmoid(np.array([-800.0]))[0] == pytest.approx(-800.0)


def _flat(params):
    return np.concatenate([p.ravel() for p in params])


def _unflat(vec, like):
    out, i = [], 0
    for p in like:
        out.append(vec[i:i + p.size].reshape(p.shape))
        i += p.size
    return out


def test_gan_loss_gradients_against_finite_differences():
    rng = np.random.default_rng(1)
    gen = nn.init_mlp([1, 4, 4, 1], rng)
    disc = nn.init_mlp([1, 4, 4, 1], rng)
    xr, xf, z = rng.normal(size=(7, 1)), rng.normal(size=(5, 1)), rng.normal(size=(6, 1))
    _, gd = G._disc_step_grads(disc, xr, xf)
    fd = lambda v: G._disc_step_grads(_unflat(v, disc), xr, xf)[0]  # noqa: E731
    np.testing.assert_allclose(_flat(gd), numerical_grad(fd, _flat(disc)), rtol=1e-5, atol=1e-8)
    _, gg = G._gen_step_grads(gen, disc, z)
    fg = lambda v: G._gen_step_grads(_unflat(v, gen), disc, z)[0]  # noqa: E731
    np.testing.assert_allclose(_flat(gg), numerical_grad(fg, _flat(gen)), rtol=1e-5, atol=1e-8)


def test_optimal_discriminator_maximises_value_and_gives_jsd():
    x = np.linspace(-12, 12, 4801)
    pd = MIX.pdf(x)
    pg = stats.norm.pdf(x, 0.5, 1.2)
    d_star = G.optimal_discriminator(pd, pg)
    c = G.gan_value(x, pd, pg, d_star)
    # second way: -log 4 + 2 JSD, JSD from klcourse.js_divergence on the grid
    dx = x[1] - x[0]
    jsd_form = G.value_at_optimum(pd * dx / np.sum(pd * dx), pg * dx / np.sum(pg * dx))
    assert c == pytest.approx(jsd_form, abs=1e-6)
    # third way: JSD by adaptive quadrature of its definition
    m = lambda t: 0.5 * (MIX.pdf(t) + stats.norm.pdf(t, 0.5, 1.2))  # noqa: E731
    kl_pm = integrate.quad(lambda t: MIX.pdf(t) * math.log(MIX.pdf(t) / m(t)), -12, 12, limit=200)[0]
    kl_gm = integrate.quad(lambda t: stats.norm.pdf(t, 0.5, 1.2)
                           * math.log(stats.norm.pdf(t, 0.5, 1.2) / m(t)), -12, 12, limit=200)[0]
    assert c == pytest.approx(-math.log(4) + kl_pm + kl_gm, abs=1e-6)
    # any other discriminator does worse
    rng = np.random.default_rng(0)
    for _ in range(20):
        d_other = np.clip(d_star + 0.05 * rng.normal() * np.sin(rng.uniform(0.5, 3) * x), 1e-9, 1 - 1e-9)
        assert G.gan_value(x, pd, pg, d_other) < c


def test_value_at_optimum_extremes():
    assert G.value_at_optimum([0.3, 0.7], [0.3, 0.7]) == pytest.approx(-math.log(4))
    assert G.value_at_optimum([1.0, 0.0, 0.0], [0.0, 0.5, 0.5]) == pytest.approx(0.0, abs=1e-15)


def test_trained_discriminator_approaches_optimum():
    rng = np.random.default_rng(2)
    real = MIX.sample(2000, rng)
    fake = rng.normal(0.0, 1.5, size=2000)
    disc = G.train_discriminator(real, fake, steps=300, seed=0)
    x = np.linspace(-3, 3, 61)
    d_star = G.optimal_discriminator(MIX.pdf(x), stats.norm.pdf(x, 0, 1.5))
    d = G.GAN(gen=[], disc=disc).discriminate(x)
    assert np.max(np.abs(d - d_star)) < 0.08


def test_bin_probs_and_jsd_on_grid():
    edges = np.linspace(-4, 4, 81)
    p = G.mixture_bin_probs(MIX, edges)
    assert p.shape == (82,) and p.sum() == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    s = MIX.sample(200_000, rng)
    np.testing.assert_allclose(G.sample_bin_probs(s, edges), p, atol=3e-3)
    assert G.jsd_on_grid(MIX, s, edges) < 1e-3
    # all samples far right: they share only the upper tail bin with the data
    far = rng.normal(40, 1, size=1000)
    assert math.log(2) - 0.01 < G.jsd_on_grid(MIX, far, edges) <= math.log(2)


def test_gan_training_lowers_jsd_and_is_deterministic():
    mix = vi.Mixture1D((0.5, 0.5), (-2.0, 2.0), (0.5, 0.5))
    _, h1 = G.train_gan(mix, steps=300, seed=3, eval_every=100)
    _, h2 = G.train_gan(mix, steps=300, seed=3, eval_every=100)
    assert h1.jsd[-1] < 0.5 * h1.jsd[0]
    np.testing.assert_array_equal(h1.loss_d, h2.loss_d)
    np.testing.assert_array_equal(h1.jsd, h2.jsd)
    assert np.all(np.isfinite(h1.loss_g))
    assert list(h1.eval_steps) == [0, 100, 200, 300]


# ------------------------------------------------------------------ VAE

from klcourse.generative import vae as V  # noqa: E402


def test_vae_loss_terms_by_a_second_route():
    vae = V.init_vae(latent=2, hidden=6, seed=1)
    rng = np.random.default_rng(0)
    x = V.make_ring(7, seed=2)
    eps = rng.normal(size=(7, 2))
    recon, kl, _, _ = V.loss_and_grads(vae, x, eps)
    mu, sd = vae.encode(x)
    xhat = vae.decode(mu + sd * eps)
    s = vae.noise_sd
    recon2 = -np.mean([stats.multivariate_normal(xh, s**2 * np.eye(2)).logpdf(xx)
                       for xh, xx in zip(xhat, x)])
    kl2 = np.mean([kl_mvn(m, np.diag(v**2), np.zeros(2), np.eye(2), base=np.e)
                   for m, v in zip(mu, sd)])
    assert recon == pytest.approx(recon2, rel=1e-12)
    assert kl == pytest.approx(kl2, rel=1e-10)


def test_vae_gradients_against_finite_differences():
    vae = V.init_vae(latent=2, hidden=5, seed=3)
    # larger encoder outputs so that the KL gradient is not negligible
    vae.enc[-1] *= 20
    rng = np.random.default_rng(1)
    x = V.make_ring(6, seed=4)
    eps = rng.normal(size=(6, 2))
    _, _, g_enc, g_dec = V.loss_and_grads(vae, x, eps)

    def total(enc, dec):
        r, k, _, _ = V.loss_and_grads(V.VAE(enc, dec, 2, vae.noise_sd), x, eps)
        return r + k

    num_e = numerical_grad(lambda v: total(_unflat(v, vae.enc), vae.dec), _flat(vae.enc))
    num_d = numerical_grad(lambda v: total(vae.enc, _unflat(v, vae.dec)), _flat(vae.dec))
    np.testing.assert_allclose(_flat(g_enc), num_e, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_flat(g_dec), num_d, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def trained_vae():
    x = V.make_ring(600, seed=0)
    return x, *V.train_vae(x, epochs=60, seed=0)


def test_vae_training_improves_elbo_and_is_deterministic(trained_vae):
    x, vae, hist = trained_vae
    assert hist.elbo[-1] > hist.elbo[0] + 10
    assert np.all(hist.kl > 0)
    vae2, hist2 = V.train_vae(x, epochs=60, seed=0)
    np.testing.assert_array_equal(hist.recon, hist2.recon)
    np.testing.assert_array_equal(hist.kl, hist2.kl)
    # samples after training lie near the ring, before training they do not
    r_after = np.hypot(*vae.sample(2000, np.random.default_rng(0)).T)
    r_before = np.hypot(*V.init_vae(seed=0).sample(2000, np.random.default_rng(0)).T)
    assert abs(np.median(r_after) - 2.0) < 0.2 < abs(np.median(r_before) - 2.0)


def test_vae_elbo_below_log_evidence_with_the_kl_gap(trained_vae):
    x, vae, _ = trained_vae
    pts = x[:6]
    elbo, se = V.elbo_per_point(vae, pts, n_samples=20000, seed=1)
    logp = V.log_evidence_grid(vae, pts)
    gap = V.posterior_gap_grid(vae, pts)
    assert np.all(elbo < logp)
    assert np.all(gap > 0)
    np.testing.assert_array_less(np.abs(logp - elbo - gap), 4 * se + 0.01)


def test_vae_log_evidence_integrates_to_one():
    vae = V.train_vae(V.make_ring(300, seed=0), latent=1, epochs=20, seed=0)[0]
    g = np.linspace(-4, 4, 121)
    xx = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    # far from the data the posterior runs out to large |z|: a wide latent grid carries it
    dens = np.exp(V.log_evidence_grid(vae, xx, half_width=9.0, points=1201)).reshape(121, 121)
    total = integrate.simpson(integrate.simpson(dens, x=g, axis=1), x=g)
    assert total == pytest.approx(1.0, abs=2e-3)


def test_vae_errors():
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        V.train_vae(np.ones((5, 3)))
    with pytest.raises(ValueError, match="latent = 1 or 2"):
        V.log_evidence_grid(V.init_vae(latent=3), np.zeros((1, 2)))


# ------------------------------------------------------------------ pixels

from klcourse import entropy, kl_divergence, mutual_information  # noqa: E402
from klcourse.generative import pixels as P  # noqa: E402


def test_pair_joint_counts_by_loop():
    imgs = P.smooth_images(3, 9, levels=3, seed=5)
    for off in [(0, 1), (1, 0), (2, 3)]:
        counts = np.zeros((3, 3))
        for im in imgs:
            for y in range(9 - off[0]):
                for x in range(9 - off[1]):
                    counts[im[y, x], im[y + off[0], x + off[1]]] += 1
        np.testing.assert_allclose(P.pair_joint(imgs, off), counts / counts.sum(), rtol=1e-12)


def test_neighbours_dependent_shuffled_independent():
    imgs = P.smooth_images(20, 32, levels=4, smoothness=2.0, seed=0)
    mi = P.neighbour_information(imgs, [(0, 1), (1, 0), (0, 3), (0, 10)])
    assert mi[0] > 0.5 and mi[1] > 0.5                  # strong neighbour dependence
    assert mi[0] > mi[2] > mi[3]                        # fades with distance
    rng = np.random.default_rng(0)
    shuffled = rng.permutation(imgs.ravel()).reshape(imgs.shape)
    assert P.neighbour_information(shuffled, [(0, 1)])[0] < 0.005   # plug-in bias only
    noise = P.smooth_images(20, 32, levels=4, smoothness=0.0, seed=0)
    assert P.neighbour_information(noise, [(0, 1)])[0] < 0.005
    # marginals are uniform by construction: H(A) = 2 bits, and I <= H(A)
    j = P.pair_joint(imgs)
    assert entropy(j.sum(1)) == pytest.approx(2.0, abs=1e-3)
    assert mi[0] < 2.0


def test_independence_cost_is_mutual_information_and_empirical_code_lengths():
    imgs = P.smooth_images(10, 32, levels=4, seed=1)
    j = P.pair_joint(imgs)
    c = P.independence_cost(j)
    assert c.penalty == pytest.approx(mutual_information(j), rel=1e-10)
    product = np.outer(j.sum(1), j.sum(0))
    assert c.penalty == pytest.approx(kl_divergence(j.ravel(), product.ravel()), rel=1e-10)
    # second way: average code length over the actual pixel pairs
    a, b = imgs[:, :, :-1].ravel(), imgs[:, :, 1:].ravel()
    bits_joint = -np.mean(np.log2(j[a, b]))
    bits_indep = -np.mean(np.log2(product[a, b]))
    assert bits_joint == pytest.approx(c.joint_model, rel=1e-10)
    assert bits_indep - bits_joint == pytest.approx(c.penalty, rel=1e-9)


def test_pixel_errors():
    with pytest.raises(ValueError, match="offset"):
        P.pair_joint(np.zeros((2, 4, 4), dtype=int), (0, 0))
    with pytest.raises(TypeError, match="integer grey levels"):
        P.pair_joint(np.zeros((2, 4, 4)), (0, 1))
    with pytest.raises(ValueError, match="levels"):
        P.smooth_images(levels=1)


# ------------------------------------------------------------------ widget, plots, exercises

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from klcourse.course.exercises import evaluate  # noqa: E402
from klcourse.plots import generative as gp  # noqa: E402
from klcourse.widgets.generative import factorised_fit_explorer  # noqa: E402


def test_explorer_readout_matches_closed_forms():
    ex = factorised_fit_explorer()
    r = ex.update(rho=0.6, ratio=2.0)
    cov = np.array([[1.0, 1.2], [1.2, 4.0]])
    assert r["reverse fit sd of w1"] == pytest.approx(math.sqrt(1 - 0.36), rel=1e-9)
    assert r["forward fit sd of w1"] == pytest.approx(1.0)
    assert r["reverse fit: D(q || p)"][0] == pytest.approx(-0.5 * math.log(1 - 0.36), rel=1e-9)
    assert r["forward fit: D(p || q)"][0] == pytest.approx(
        kl_mvn([0, 0], cov, [0, 0], np.diag([1.0, 4.0]), base=np.e), rel=1e-12)
    assert ex.last_figure is not None and ex.last_figure.axes[0].get_title().startswith("correlation 0.60")
    plt.close("all")


def test_plots_are_labelled():
    m = vi.make_regression(seed=0)
    h = vi.fit_factorised(m, steps=5)
    ax = gp.elbo_decomposition(np.arange(6), h.elbo, h.kl, h.log_evidence, data="y")
    assert ax.get_ylabel() == "nats" and ax.get_legend() is not None
    assert ax.get_title().startswith("$\\log p(y) = \\mathrm{ELBO}")
    mean, cov = m.posterior()
    ax = gp.posterior_ellipses(mean, cov, {"rev": vi.reverse_kl_factorised(mean, cov)})
    assert len(ax.patches) == 3 and ax.get_xlabel() == "$w_1$"
    axes = gp.vae_losses([5.0, 3.0], [0.1, 0.5], skip=0)
    assert all(a.get_ylabel() == "nats per data point" for a in axes)
    axes = gp.gan_curves(np.ones(30), np.ones(30), [0, 30], [0.6, 0.1], window=5)
    assert axes[1].get_ylabel() == "nats" and axes[1].lines[0].get_ydata()[-1] == 0.1
    axes = gp.pixel_panels(np.zeros((1, 4, 4), int), np.full((2, 2), 0.25), [1, 2], [0.5, 0.1])
    assert axes[2].get_ylabel() == "bits per pixel pair"
    plt.close("all")


@pytest.mark.parametrize("name, right", [
    ("07.wide-to-narrow", math.log(0.5) + 2 - 0.5),
    ("07.factorised-variance", 1 - 0.8**2),
    ("08.disjoint-generator", 0.0),
])
def test_exercise_answers_by_hand(name, right):
    assert evaluate(name, right).correct
    assert not evaluate(name, right + 0.1).correct


def test_progress_goes_to_stderr_only_when_asked(capsys):
    V.train_vae(V.make_ring(50, seed=0), epochs=4, seed=0)
    G.train_gan(vi.Mixture1D((1.0,), (0.0,), (1.0,)), steps=8, seed=0, n_eval=100)
    assert capsys.readouterr() == ("", "")
    V.train_vae(V.make_ring(50, seed=0), epochs=4, seed=0, progress=True)
    G.train_gan(vi.Mixture1D((1.0,), (0.0,), (1.0,)), steps=8, seed=0, n_eval=100, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("epoch ") == 4 and err.count("step ") == 4 and "nats" in err

"""klcourse.generative.latent (VAE aggregate posterior) and .pixel_models."""

import numpy as np
import pytest

from klcourse import mutual_information
from klcourse.generative import latent, pixel_models as pm, pixels, vae


@pytest.fixture(scope="module")
def trained():
    ring = vae.make_ring(400, seed=0)
    model, _ = vae.train_vae(ring, epochs=40, seed=0)
    return model, ring


def test_aggregate_posterior_integrates_to_one(trained):
    model, ring = trained
    g = np.linspace(-6, 6, 161)
    zz = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
    mass = latent.aggregate_posterior(model, ring, zz).sum() * (g[1] - g[0]) ** 2
    assert mass == pytest.approx(1.0, abs=1e-3)
    assert latent.prior_density(zz).sum() * (g[1] - g[0]) ** 2 == pytest.approx(1.0, abs=1e-6)


def test_aggregate_posterior_of_a_trained_vae_misses_the_prior(trained):
    model, ring = trained
    untrained = vae.init_vae(seed=0)
    assert latent.aggregate_kl_to_prior(model, ring, points=61) > 0.1
    assert latent.aggregate_kl_to_prior(untrained, ring, points=61) < 0.05


def test_aggregate_posterior_refuses_bad_points(trained):
    model, ring = trained
    with pytest.raises(ValueError, match="z must have shape"):
        latent.aggregate_posterior(model, ring, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="x must be"):
        latent.aggregate_posterior(model, np.zeros((3, 3)), np.zeros((3, 2)))


TRAIN = pixels.smooth_images(20, 32, levels=4, smoothness=2.0, seed=0)
TEST = pixels.smooth_images(20, 32, levels=4, smoothness=2.0, seed=1)


def test_code_length_by_an_explicit_loop():
    m = pm.fit_pixel_model(TRAIN[:3], "left+up", levels=4)
    imgs = TEST[:2, :6, :7]
    total = 0.0
    for img in imgs:
        for i in range(img.shape[0]):
            for j in range(img.shape[1]):
                if j == 0:
                    p = m.marginal[img[i, j]]
                elif i == 0:
                    p = m.left[img[i, j - 1], img[i, j]]
                else:
                    p = m.left_up[img[i, j - 1], img[i - 1, j], img[i, j]]
                total -= np.log2(p)
    assert pm.code_length(m, imgs) == pytest.approx(total / imgs.size, rel=1e-12)


def test_left_model_saves_the_neighbours_mutual_information():
    # On the images it was fitted to, with a negligible alpha, the saving per pixel is
    # (#pairs / #pixels) * I(A; B) exactly when the marginal is uniform in every column;
    # here the columns are only nearly uniform, so agreement to 0.01 bits.
    ind = pm.fit_pixel_model(TRAIN, "independent", levels=4, alpha=1e-9)
    left = pm.fit_pixel_model(TRAIN, "left", levels=4, alpha=1e-9)
    saving = pm.code_length(ind, TRAIN) - pm.code_length(left, TRAIN)
    info = mutual_information(pixels.pair_joint(TRAIN, (0, 1)))
    assert saving == pytest.approx(info * 31 / 32, abs=0.01)


def test_independent_pixels_leave_nothing_to_save():
    noise = pixels.smooth_images(40, 32, levels=4, smoothness=0.0, seed=2)
    held_out = pixels.smooth_images(40, 32, levels=4, smoothness=0.0, seed=3)
    ind, lu = (pm.fit_pixel_model(noise, k, levels=4) for k in ("independent", "left+up"))
    # a richer model can only over-fit here: it may cost more, never less than noise allows
    assert pm.code_length(lu, held_out) > pm.code_length(ind, held_out) - 0.01


def test_samples_of_the_left_model_reproduce_its_neighbour_table():
    m = pm.fit_pixel_model(TRAIN, "left", levels=4)
    s = pm.sample_images(m, 200, 32, seed=0)
    joint = pixels.pair_joint(s, (0, 1), levels=4)
    conditional = joint / joint.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(conditional, m.left, atol=0.01)


@pytest.mark.parametrize("images, kind, exc", [
    (TRAIN.astype(float), "left", TypeError),
    (TRAIN + 4, "left", ValueError),
    (TRAIN, "up", ValueError),
    (TRAIN[0], "left", ValueError),
])
def test_bad_pixel_inputs_are_refused(images, kind, exc):
    with pytest.raises(exc):
        pm.fit_pixel_model(images, kind, levels=4)

"""Models of images that learn how neighbouring pixels depend on each other, and what they save.

Three models of grey-level images, each fitted by counting on training
images and scored on held-out images by its code length (bits per pixel),
``-(1/#pixels) sum log2 q(pixel | context)``:

* ``"independent"``: every pixel from the same marginal ``q(a)``;
* ``"left"``: a Markov chain along each row, ``q(a | left neighbour)``
  (the first pixel of a row from the marginal);
* ``"left+up"``: ``q(a | left, upper neighbour)`` (the first row and column
  fall back to the ``"left"`` and marginal tables).

The code length of a model on data from ``P`` is ``H(P) + D(P || q)`` per
pixel, so the difference between two models' code lengths is the difference
between their divergences from the truth: the divergence the dependence
saves. For the ``"left"`` model on a stationary row it is the mutual
information ``I(A; B)`` of neighbours for every pixel that has a left
neighbour. Counts are smoothed by adding `alpha` to every cell (stated, on
purpose: a held-out pixel pair never seen in training must not cost
infinitely many bits).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["PixelModel", "fit_pixel_model", "code_length", "sample_images", "MODEL_KINDS"]

#: The context each model conditions on.
MODEL_KINDS = ("independent", "left", "left+up")


def _images(images: ArrayLike, levels: int, func: str) -> NDArray[np.int64]:
    imgs = np.asarray(images)
    if imgs.dtype.kind not in "iu":
        raise TypeError(f"{func}: images must hold integer grey levels, got dtype {imgs.dtype}")
    if imgs.ndim != 3 or min(imgs.shape[1:]) < 2:
        raise ValueError(f"{func}: images must have shape (n, height, width) with height and "
                         f"width >= 2, got {imgs.shape}")
    if imgs.min() < 0 or imgs.max() >= levels:
        raise ValueError(f"{func}: grey levels must lie in 0 .. {levels - 1}, got "
                         f"{int(imgs.min())} .. {int(imgs.max())}")
    return imgs.astype(np.int64)


def _table(counts: NDArray, alpha: float) -> NDArray:
    """Conditional distributions along the last axis from counts plus `alpha` per cell."""
    c = counts + alpha
    return c / c.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class PixelModel:
    """Fitted conditional tables: ``marginal[a]``, ``left[l, a]``, ``left_up[l, u, a]``."""

    kind: str
    levels: int
    marginal: NDArray[np.float64]
    left: NDArray[np.float64]
    left_up: NDArray[np.float64]


def fit_pixel_model(images: ArrayLike, kind: str, *, levels: int, alpha: float = 0.5
                    ) -> PixelModel:
    """Fit a pixel model by counting grey levels (and their contexts) in `images`.

    Parameters
    ----------
    images : array_like of int, shape (n, height, width)
        Training images, grey levels ``0 .. levels-1``.
    kind : {"independent", "left", "left+up"}
        Which context the model uses (see the module docstring).
    levels : int
        Number of grey levels.
    alpha : float, optional
        Added to every count before normalising (``> 0``).

    Returns
    -------
    PixelModel

    Examples
    --------
    >>> imgs = np.array([[[0, 0, 1, 1], [0, 0, 1, 1]]])
    >>> m = fit_pixel_model(imgs, "left", levels=2, alpha=0.5)
    >>> m.left.round(3).tolist()          # after a 0: 0 twice, 1 twice; after a 1: 1 twice
    [[0.5, 0.5], [0.167, 0.833]]
    """
    if kind not in MODEL_KINDS:
        raise ValueError(f"fit_pixel_model: kind must be one of {MODEL_KINDS}, got {kind!r}")
    if not isinstance(levels, (int, np.integer)) or levels < 2:
        raise ValueError(f"fit_pixel_model: levels must be an integer >= 2, got {levels!r}")
    if not (np.isfinite(alpha) and alpha > 0):
        raise ValueError(f"fit_pixel_model: alpha must be > 0, got {alpha!r}")
    imgs = _images(images, levels, "fit_pixel_model")
    k = int(levels)
    marginal = _table(np.bincount(imgs.ravel(), minlength=k).astype(float), alpha)
    lft, cur = imgs[:, :, :-1].ravel(), imgs[:, :, 1:].ravel()
    left = _table(np.bincount(lft * k + cur, minlength=k * k).reshape(k, k).astype(float), alpha)
    lf, up, here = (imgs[:, 1:, :-1].ravel(), imgs[:, :-1, 1:].ravel(), imgs[:, 1:, 1:].ravel())
    left_up = _table(np.bincount((lf * k + up) * k + here, minlength=k**3)
                     .reshape(k, k, k).astype(float), alpha)
    return PixelModel(kind, k, marginal, left, left_up)


def _log2_probs(model: PixelModel, imgs: NDArray) -> NDArray:
    """``log2 q(pixel | context)`` for every pixel of every image."""
    out = np.log2(model.marginal[imgs])
    if model.kind in ("left", "left+up"):
        out[:, :, 1:] = np.log2(model.left[imgs[:, :, :-1], imgs[:, :, 1:]])
    if model.kind == "left+up":
        out[:, 1:, 1:] = np.log2(model.left_up[imgs[:, 1:, :-1], imgs[:, :-1, 1:], imgs[:, 1:, 1:]])
    return out


def code_length(model: PixelModel, images: ArrayLike) -> float:
    """Average code length of `images` under `model`, in bits per pixel.

    ``-(1 / #pixels) sum log2 q(pixel | context)``: on data from ``P`` this
    estimates ``H(P) + D(P || q)`` per pixel.

    Parameters
    ----------
    model : PixelModel
        A fitted model.
    images : array_like of int, shape (n, height, width)
        Images to score (use held-out ones).

    Returns
    -------
    float
        Bits per pixel.

    Examples
    --------
    Uniform pixels under the independent model cost log2(levels) bits:

    >>> imgs = np.random.default_rng(0).integers(0, 4, size=(50, 8, 8))
    >>> m = fit_pixel_model(imgs, "independent", levels=4)
    >>> round(code_length(m, imgs), 2)
    2.0
    """
    imgs = _images(images, model.levels, "code_length")
    return float(-np.mean(_log2_probs(model, imgs)))


def sample_images(model: PixelModel, n: int, size: int, *, seed: int = 0) -> NDArray[np.int64]:
    """`n` images of `size` x `size` pixels drawn from `model`, in raster order.

    Parameters
    ----------
    model : PixelModel
        A fitted model.
    n, size : int
        Number of images and their height and width.
    seed : int, optional
        Seed of the draws.

    Returns
    -------
    ndarray of int, shape (n, size, size)

    Examples
    --------
    >>> imgs = np.array([[[0, 0, 1, 1], [0, 0, 1, 1]]])
    >>> m = fit_pixel_model(imgs, "left+up", levels=2)
    >>> sample_images(m, 3, 5, seed=1).shape
    (3, 5, 5)
    """
    for name, v in (("n", n), ("size", size)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"sample_images: {name} must be a positive integer, got {v!r}")
    rng = np.random.default_rng(seed)
    out = np.zeros((n, size, size), dtype=np.int64)

    def draw(probs: NDArray) -> NDArray:              # one categorical draw per row of probs
        cum = np.cumsum(probs, axis=-1)
        u = rng.random(len(probs))[:, None] * cum[:, -1:]
        return np.sum(u > cum, axis=-1)

    for i in range(size):
        for j in range(size):
            if model.kind == "independent" or j == 0:
                probs = np.broadcast_to(model.marginal, (n, model.levels))
            elif model.kind == "left" or i == 0:
                probs = model.left[out[:, i, j - 1]]
            else:
                probs = model.left_up[out[:, i, j - 1], out[:, i - 1, j]]
            out[:, i, j] = draw(probs)
    return out

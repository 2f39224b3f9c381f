"""Neighbouring pixels are dependent, and ignoring that costs exactly a KL divergence.

The intuition behind generative models of images: a pixel says a lot about
its neighbours (neighbouring pixels usually have similar colours). In numbers,
for the grey levels ``(A, B)`` of two pixels at a fixed offset:

* their dependence is the mutual information
  ``I(A; B) = D(P_AB || P_A P_B)``, a KL divergence
  (:func:`klcourse.mutual_information`);
* a model that treats them as independent codes each pair with
  ``H(P_AB, P_A P_B)`` bits instead of ``H(P_AB)``; the difference is exactly
  ``I(A; B)`` bits per pair (:func:`independence_cost`).

The images are synthetic (:func:`smooth_images`): smoothed white noise cut
into a few equally likely grey levels, so that the marginal distribution of a
pixel is uniform and all structure lies in the dependence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import ndimage

from klcourse.coding import validate_distribution
from klcourse.generative import _checks
from klcourse.measures import cross_entropy, entropy, mutual_information, normalize

__all__ = ["smooth_images", "pair_joint", "neighbour_information", "IndependenceCost",
           "independence_cost"]


def smooth_images(n: int = 20, size: int = 32, *, levels: int = 4, smoothness: float = 2.0,
                  seed: int = 0) -> NDArray[np.int64]:
    """`n` synthetic grey-level images with spatially correlated pixels.

    White noise is blurred with a Gaussian filter of width `smoothness`
    pixels (periodic boundary), then cut at the quantiles of all values into
    `levels` grey levels ``0 .. levels-1`` of equal frequency. ``smoothness=0``
    gives independent pixels.

    Parameters
    ----------
    n : int, optional
        Number of images.
    size : int, optional
        Height and width in pixels.
    levels : int, optional
        Number of grey levels, ``>= 2``.
    smoothness : float, optional
        Standard deviation of the blur, in pixels (``>= 0``).
    seed : int, optional
        Seed of the noise.

    Returns
    -------
    ndarray of int, shape (n, size, size)

    Examples
    --------
    >>> imgs = smooth_images(4, 16, levels=4, seed=0)
    >>> imgs.shape, sorted(np.unique(imgs).tolist())
    ((4, 16, 16), [0, 1, 2, 3])
    >>> np.bincount(imgs.ravel()).tolist()        # equally frequent levels
    [256, 256, 256, 256]
    """
    func = "smooth_images"
    n, size = _checks.count(n, "n", func), _checks.count(size, "size", func)
    levels = _checks.count(levels, "levels", func, least=2)
    if not (isinstance(smoothness, (int, float, np.floating)) and np.isfinite(smoothness)
            and smoothness >= 0):
        raise ValueError(f"{func}: smoothness must be a finite number >= 0 (pixels), "
                         f"got {smoothness!r}")
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(n, size, size))
    field = ndimage.gaussian_filter(noise, sigma=(0, smoothness, smoothness), mode="wrap") \
        if smoothness > 0 else noise
    # Rank-based cut: exactly equal counts per level (ties have probability 0).
    ranks = np.argsort(np.argsort(field, axis=None)).reshape(field.shape)
    return (ranks * levels // field.size).astype(np.int64)


def pair_joint(images: ArrayLike, offset: tuple[int, int] = (0, 1), *,
               levels: int | None = None) -> NDArray[np.float64]:
    """Joint distribution of the grey levels of pixel pairs ``(y, x)`` and ``(y + dy, x + dx)``.

    Parameters
    ----------
    images : array_like of int, shape (n, height, width) or (height, width)
        Grey levels ``0 .. levels-1``.
    offset : (dy, dx)
        Displacement from the first pixel to the second, ``dy, dx >= 0``;
        ``(0, 1)`` is the right-hand neighbour.
    levels : int, optional
        Number of grey levels (default: ``max + 1``).

    Returns
    -------
    ndarray, shape (levels, levels)
        ``joint[a, b] = P(first = a, second = b)`` over all pairs in all images.

    Examples
    --------
    >>> img = np.array([[0, 0, 1, 1]])
    >>> pair_joint(img, (0, 1))          # pairs (0,0), (0,1), (1,1)
    array([[0.33333333, 0.33333333],
           [0.        , 0.33333333]])
    """
    imgs = np.asarray(images)
    if imgs.dtype.kind not in "iu":
        raise TypeError(f"pair_joint: images must hold integer grey levels, got dtype {imgs.dtype}")
    if imgs.ndim == 2:
        imgs = imgs[None]
    if imgs.ndim != 3:
        raise ValueError(f"pair_joint: images must have shape (n, height, width), got {imgs.shape}")
    if len(offset) != 2 or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                   for v in offset):
        raise ValueError(f"pair_joint: offset must be two ints (dy, dx), got {offset!r}")
    dy, dx = (int(v) for v in offset)
    h, w = imgs.shape[1:]
    if dy < 0 or dx < 0 or (dy, dx) == (0, 0) or dy >= h or dx >= w:
        raise ValueError(f"pair_joint: offset must be (dy, dx) with 0 <= dy < {h}, 0 <= dx < {w} "
                         f"and not (0, 0), got {offset!r}")
    if imgs.min() < 0:
        raise ValueError("pair_joint: grey levels must be >= 0")
    k = int(imgs.max()) + 1 if levels is None else _checks.count(levels, "levels", "pair_joint")
    if imgs.max() >= k:
        raise ValueError(f"pair_joint: a grey level {int(imgs.max())} is >= levels={k}")
    a = imgs[:, :h - dy, :w - dx].ravel()
    b = imgs[:, dy:, dx:].ravel()
    counts = np.bincount(a * k + b, minlength=k * k).reshape(k, k)
    return normalize(counts.ravel()).reshape(k, k)


def neighbour_information(images: ArrayLike, offsets: Sequence[tuple[int, int]], *,
                          base: float = 2) -> NDArray[np.float64]:
    """Mutual information between pixels at each offset, in units of `base` (bits by default).

    Parameters
    ----------
    images : array_like of int, shape (n, height, width)
        Grey levels.
    offsets : sequence of (dy, dx)
        Displacements, as in :func:`pair_joint`.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    ndarray
        ``I(A; B)`` for each offset, computed by :func:`klcourse.mutual_information`.

    Examples
    --------
    >>> imgs = smooth_images(10, 32, seed=0)
    >>> mi = neighbour_information(imgs, [(0, 1), (0, 4), (0, 12)])
    >>> bool(mi[0] > mi[1] > mi[2])       # dependence fades with distance
    True
    """
    base = _checks.log_base(base, "neighbour_information")
    return np.array([mutual_information(pair_joint(images, off), base=base) for off in offsets])


class IndependenceCost(NamedTuple):
    """Code lengths per pixel pair (units of `base`) with and without the dependence."""

    joint_model: float        #: ``H(P_AB)``: a code built for the true joint distribution
    independent_model: float  #: ``H(P_AB, P_A P_B)``: a code built for independent pixels
    penalty: float            #: their difference, ``D(P_AB || P_A P_B) = I(A; B)``


def independence_cost(joint: ArrayLike, *, base: float = 2) -> IndependenceCost:
    """What a model that ignores the dependence between two pixels pays, per pair.

    Parameters
    ----------
    joint : array_like, shape (k, k)
        Joint distribution of the two pixels' grey levels.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    IndependenceCost
        ``H(P_AB)``, ``H(P_AB, P_A P_B)`` and their difference ``I(A; B)``.

    Examples
    --------
    Two binary pixels that agree 90% of the time:

    >>> c = independence_cost([[0.45, 0.05], [0.05, 0.45]])
    >>> round(c.joint_model, 4), round(c.independent_model, 4), round(c.penalty, 4)
    (1.469, 2.0, 0.531)
    """
    func = "independence_cost"
    p = np.asarray(joint, dtype=float)
    if p.ndim != 2:
        raise ValueError(f"{func}: joint must be a 2-D table, got shape {p.shape}")
    validate_distribution(p.ravel(), "joint", func)
    base = _checks.log_base(base, func)
    product = np.outer(p.sum(axis=1), p.sum(axis=0))       # P_A(a) P_B(b)
    h_joint = entropy(p.ravel(), base=base)
    h_indep = cross_entropy(p.ravel(), product.ravel(), base=base)
    return IndependenceCost(h_joint, h_indep, h_indep - h_joint)

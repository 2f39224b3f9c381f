"""The k-nearest-neighbour estimate of D(p || q) from continuous samples (Wang, Kulkarni, Verdú 2009).

For each sample x_i of p, compare how far its k-th nearest neighbour is among
the *other* samples of p (``rho_k(i)``) and among the samples of q
(``nu_k(i)``). Where q has little density near x_i, its nearest q-samples are
far away and ``log(nu / rho)`` is large. Neighbours are found with scipy's
k-d tree (``scipy.spatial.cKDTree``).
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from klcourse.estimation import _checks

__all__ = ["kl_knn", "knn_distances"]


def _kth_positive(tree: cKDTree, points: NDArray, k: int, skip_self: bool
                  ) -> tuple[NDArray, NDArray]:
    """Distance from each point to its k-th nearest *distinct* neighbour in `tree`.

    Exact repeats (distance 0) are skipped, so a repeated sample never gives
    ``log 0``; returns the distances and which points met a repeat.
    """
    want = k + (1 if skip_self else 0)
    n_tree = tree.n
    while True:
        d, _ = tree.query(points, k=min(want, n_tree))
        d = d.reshape(len(points), -1)
        positive = d > 0
        have = positive.sum(axis=1)
        if (have >= k).all() or want >= n_tree:
            break
        want = min(2 * want, n_tree)
    if (have < k).any():
        raise ValueError(f"kl_knn: fewer than k = {k} distinct neighbours for some samples "
                         "(too many repeated values); use a smaller k or continuous data")
    # the k-th positive distance in each row (rows are sorted)
    idx = np.argmax(np.cumsum(positive, axis=1) >= k, axis=1)
    ties = (d == 0).sum(axis=1) > (1 if skip_self else 0)
    return d[np.arange(len(points)), idx], ties


def knn_distances(x: NDArray, y: NDArray, k: int) -> tuple[NDArray, NDArray, int]:
    """``rho_k`` (within x, itself excluded), ``nu_k`` (to y), and how many x met a repeat.

    Distances are Euclidean, to the k-th nearest neighbour at a *positive*
    distance: exact copies are skipped, as in :func:`kl_knn`.

    Parameters
    ----------
    x : ndarray, shape (n, d)
        Samples of p; n >= k + 1.
    y : ndarray, shape (m, d)
        Samples of q, in the same space; m >= k.
    k : int
        Which neighbour.

    Returns
    -------
    rho : ndarray, shape (n,)
        From each ``x_i`` to its k-th nearest neighbour among the other x.
    nu : ndarray, shape (n,)
        From each ``x_i`` to its k-th nearest neighbour among y.
    repeats : int
        How many ``x_i`` have an exact copy among the other x or in y.

    Raises
    ------
    ValueError
        If some ``x_i`` has fewer than k neighbours at a positive distance.

    Examples
    --------
    >>> from scipy.spatial.distance import cdist
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(size=(30, 2)), rng.normal(size=(20, 2))
    >>> rho, nu, repeats = knn_distances(x, y, 2)
    >>> within = cdist(x, x)
    >>> np.fill_diagonal(within, np.inf)                 # itself excluded
    >>> bool(np.allclose(rho, np.sort(within, axis=1)[:, 1])), repeats
    (True, 0)
    >>> bool(np.allclose(nu, np.sort(cdist(x, y), axis=1)[:, 1]))
    True
    """
    rho, ties_x = _kth_positive(cKDTree(x), x, k, skip_self=True)
    nu, ties_y = _kth_positive(cKDTree(y), x, k, skip_self=False)
    return rho, nu, int((ties_x | ties_y).sum())


def kl_knn(x: ArrayLike, y: ArrayLike, *, k: int = 1, base: float = 2) -> float:
    r"""k-NN estimate of ``D(p || q)`` from samples ``x ~ p`` (n x d) and ``y ~ q`` (m x d).

    .. math::

        \hat D = \frac{d}{n} \sum_{i=1}^{n} \log \frac{\nu_k(i)}{\rho_k(i)}
                 + \log \frac{m}{n - 1}

    ``rho_k(i)``: distance from ``x_i`` to its k-th nearest neighbour among the
    other x; ``nu_k(i)``: to its k-th nearest among y (Euclidean). The estimate
    is consistent (it converges to D as n, m grow) but a single value can be
    negative: it is an estimate, not a divergence.

    Ties: neighbours at distance 0 (exact copies of ``x_i``, e.g. from
    rounding) are skipped — ``rho_k`` and ``nu_k`` are distances to the k-th
    nearest point at a *positive* distance — so the estimate stays finite. Many ties (more than 1 % of the samples) mean the data are not
    continuous: a UserWarning says so, and an estimator for counts
    (:func:`klcourse.estimation.kl_from_counts`) is then the right one.

    Parameters
    ----------
    x, y : array_like, shape (n, d) and (m, d), or 1-D for one-dimensional samples
    k : int
        Which neighbour (n >= k + 1, m >= k).
    base : float
        2 for bits (default), ``np.e`` for nats.

    Returns
    -------
    float

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(0, 1, 20_000), rng.normal(1, 1, 20_000)
    >>> round(kl_knn(x, y, k=5, base=np.e), 1)      # closed form 0.5 nats
    0.5
    """
    func = "kl_knn"
    xa = _checks.samples(x, "x", func)
    ya = _checks.samples(y, "y", func)
    k = _checks.whole(k, "k", func)
    if xa.shape[1] != ya.shape[1]:
        raise ValueError(f"{func}: x has dimension {xa.shape[1]} but y has {ya.shape[1]}; both "
                         "must be samples in the same space")
    log_base = _checks.log_base(base, func)
    n, d = xa.shape
    m = len(ya)
    if n < k + 1:
        raise ValueError(f"{func}: x has {n} samples; the k = {k}-th neighbour among the others "
                         f"needs at least k + 1 = {k + 1}")
    if m < k:
        raise ValueError(f"{func}: y has {m} samples; the k = {k}-th neighbour needs at least {k}")
    # the estimate does not change with a common shift and scale of both samples; bringing
    # them near 1 keeps the distances (and their ratios) away from overflow and underflow
    both = np.vstack([xa, ya])
    centre = both.mean(axis=0)
    spread = np.abs(both - centre).max()
    if spread > 0:
        xa, ya = (xa - centre) / spread, (ya - centre) / spread
    rho, nu, ties = knn_distances(xa, ya, k)
    if not (np.isfinite(rho).all() and np.isfinite(nu).all()):
        raise ValueError(f"{func}: neighbour distances overflowed; rescale the samples")
    if ties > 0.01 * n:
        warnings.warn(f"kl_knn: {ties} of {n} samples of x have exact repeats among their "
                      "neighbours; the data look discrete (rounded?), so distances to distinct "
                      "neighbours are used and the estimate is unreliable. For counted data use "
                      "kl_from_counts.", UserWarning, stacklevel=2)
    nats = d * np.mean(np.log(nu / rho)) + np.log(m / (n - 1))
    return float(nats / log_base)

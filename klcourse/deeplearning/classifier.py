"""A small softmax classifier trained in numpy, and how well its confidence is calibrated.

:func:`make_blobs` draws labelled points (a few informative coordinates plus
noise coordinates, so a linear model can over-fit a small training set);
:func:`train_softmax_regression` fits ``softmax(X W + b)`` by full-batch
gradient descent on the cross-entropy with (possibly smoothed) targets;
:func:`expected_calibration_error` measures over-confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.deeplearning import _checks
from klcourse.deeplearning.losses import _log_softmax, label_smoothing

__all__ = ["make_blobs", "one_hot", "SoftmaxModel", "train_softmax_regression",
           "expected_calibration_error"]


def one_hot(labels: ArrayLike, classes: int) -> NDArray[np.float64]:
    """Labels ``0..K-1`` as one-hot rows.

    Parameters
    ----------
    labels : array_like of int, shape (n,)
        Class indices, each in ``0..classes-1``.
    classes : int
        The number of classes K.

    Returns
    -------
    ndarray, shape (n, classes)
        Row i is 1.0 at column ``labels[i]`` and 0.0 elsewhere.

    Raises
    ------
    ValueError
        If `labels` is not a 1-D integer array with values in ``0..classes-1``.

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    y = np.asarray(labels)
    if y.ndim != 1 or y.dtype.kind not in "iu" or (y < 0).any() or (y >= classes).any():
        raise ValueError(f"one_hot: labels must be a 1-D array of integers in 0..{classes - 1}")
    return np.eye(classes)[y]


def make_blobs(n_per_class: int, *, classes: int = 3, informative: int = 2, noise_dims: int = 0,
               spread: float = 1.0, seed: int = 0) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Points around `classes` centres on a circle (``informative`` coordinates) plus pure noise.

    Parameters
    ----------
    n_per_class : int
        Points drawn per class.
    classes : int
        Number of classes (centres evenly spaced on the unit circle, radius 2).
    informative : int
        Coordinates that carry the class (at least 2).
    noise_dims : int
        Extra coordinates of standard normal noise, independent of the class.
    spread : float
        Standard deviation of each class around its centre.
    seed : int
        Seed of the random generator.

    Returns
    -------
    X : ndarray, shape (n_per_class * classes, informative + noise_dims)
    y : ndarray of int, shape (n_per_class * classes,)

    Examples
    --------
    >>> X, y = make_blobs(5, noise_dims=3, seed=1)
    >>> X.shape, sorted(set(y.tolist()))
    ((15, 5), [0, 1, 2])
    """
    if informative < 2:
        raise ValueError("make_blobs: informative must be at least 2")
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(classes) / classes
    centres = np.zeros((classes, informative))
    centres[:, 0], centres[:, 1] = 2 * np.cos(angles), 2 * np.sin(angles)
    y = np.repeat(np.arange(classes), n_per_class)
    X = centres[y] + spread * rng.standard_normal((y.size, informative))
    if noise_dims:
        X = np.hstack([X, rng.standard_normal((y.size, noise_dims))])
    return X, y


@dataclass(frozen=True)
class SoftmaxModel:
    """Weights of ``softmax(X @ W + b)`` and the training loss after each step (nats)."""

    W: NDArray[np.float64]
    b: NDArray[np.float64]
    losses: NDArray[np.float64]

    def logits(self, X: ArrayLike) -> NDArray[np.float64]:
        return np.asarray(X, dtype=float) @ self.W + self.b

    def probabilities(self, X: ArrayLike) -> NDArray[np.float64]:
        return np.exp(_log_softmax(self.logits(X)))


def train_softmax_regression(X: ArrayLike, y: ArrayLike, *, classes: int, steps: int = 500,
                             lr: float = 0.5, smoothing: float = 0.0) -> SoftmaxModel:
    r"""Fit ``softmax(X W + b)`` by gradient descent on the cross-entropy with targets `t`.

    ``t`` is ``one_hot(y)``, smoothed by :func:`label_smoothing` when
    ``smoothing > 0``. The gradient of the batch-mean cross-entropy with respect
    to the logits is ``(softmax(z) - t) / B``: the model's distribution minus the
    target's.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like of int, shape (n,)
    classes : int
    steps : int
        Gradient steps (full batch).
    lr : float
        Step size.
    smoothing : float
        Label-smoothing weight ``eps`` in [0, 1].

    Returns
    -------
    SoftmaxModel

    Examples
    --------
    >>> X, y = make_blobs(30, seed=0)
    >>> m = train_softmax_regression(X, y, classes=3, steps=200)
    >>> bool(m.losses[-1] < m.losses[0])
    True
    """
    func = "train_softmax_regression"
    X = _checks.real_array(X, "X", func)
    if X.ndim != 2:
        raise ValueError(f"{func}: X must have shape (n, d), got {X.shape}")
    t = one_hot(y, classes)
    if t.shape[0] != X.shape[0]:
        raise ValueError(f"{func}: X has {X.shape[0]} rows but y has {t.shape[0]} labels")
    if smoothing:
        t = label_smoothing(t, smoothing)
    lr = _checks.positive_scalar(lr, "lr", func)
    W = np.zeros((X.shape[1], classes))
    b = np.zeros(classes)
    losses = np.empty(steps)
    for i in range(steps):
        log_q = _log_softmax(X @ W + b)
        losses[i] = -(t * log_q).sum(axis=1).mean()
        g = (np.exp(log_q) - t) / X.shape[0]        # d loss / d logits
        W -= lr * (X.T @ g)
        b -= lr * g.sum(axis=0)
    return SoftmaxModel(W, b, losses)


def expected_calibration_error(probs: ArrayLike, labels: ArrayLike, *, bins: int = 10
                               ) -> tuple[float, NDArray, NDArray, NDArray]:
    r"""How far confidence is from accuracy: ``ECE = sum_b (n_b / N) |acc_b - conf_b|``.

    Predictions are grouped by their confidence (the largest probability) into
    `bins` equal-width bins; in each, the accuracy is compared with the mean
    confidence.

    Parameters
    ----------
    probs : array_like, shape (n, classes)
        Predicted distributions.
    labels : array_like of int, shape (n,)
    bins : int

    Returns
    -------
    ece : float
    confidence, accuracy, count : ndarray, shape (bins,)
        Per bin (NaN where a bin is empty).

    Examples
    --------
    >>> ece, *_ = expected_calibration_error([[0.9, 0.1], [0.9, 0.1]], [0, 1])
    >>> round(ece, 3)     # 90 % confident, 50 % right
    0.4
    """
    func = "expected_calibration_error"
    p = _checks.distributions(probs, "probs", func)
    y = np.asarray(labels)
    if y.shape != (p.shape[0],):
        raise ValueError(f"{func}: labels must have one entry per row of probs")
    if y.dtype.kind not in "iu" or (y < 0).any() or (y >= p.shape[1]).any():
        raise ValueError(f"{func}: labels must be whole numbers in 0..{p.shape[1] - 1}")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"{func}: bins must be a whole number >= 1, got {bins!r}")
    conf = p.max(axis=1)
    right = (p.argmax(axis=1) == y).astype(float)
    which = np.minimum((conf * bins).astype(int), bins - 1)
    count = np.bincount(which, minlength=bins).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(which, conf, bins) / count
        acc = np.bincount(which, right, bins) / count
    used = count > 0
    ece = float((count[used] / p.shape[0] * np.abs(acc[used] - mean_conf[used])).sum())
    return ece, mean_conf, acc, count

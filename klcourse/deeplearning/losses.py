"""The losses of a classifier's training loop, and the KL inside each (all in nats).

* :func:`softmax_cross_entropy`: the usual classification loss,
  ``mean_b  -sum_k t[b,k] log softmax(z[b])_k``. It equals
  ``H(t) + D(t || softmax(z))`` row by row, so with one-hot targets
  (``H(t) = 0``) it *is* the KL divergence, and with soft targets it is the
  KL plus a constant that the model cannot change.
* :func:`label_smoothing`: ``(1 - eps) t + eps / K``, a mixture of the target
  with the uniform distribution.
* :func:`distillation_loss`: Hinton et al.'s (2015) soft-target loss
  ``T^2 D(softmax(z_teacher / T) || softmax(z_student / T))``.

Natural logarithms throughout, as in every framework's loss: nats.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.deeplearning import _checks

__all__ = ["log_softmax", "softmax", "softmax_cross_entropy", "label_smoothing",
           "distillation_loss"]


def _log_softmax(z: NDArray) -> NDArray:
    # log softmax(z)_k = z_k - log sum_j exp(z_j); shifting by max(z) keeps exp() finite.
    # Logits near the float limit (e.g. [1e308, -1e308]) make the shift overflow to -inf,
    # whose exp() is 0, the probability it stands for anyway: the warning says nothing wrong.
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def log_softmax(logits: ArrayLike) -> NDArray[np.float64]:
    """Row-wise ``log softmax``, computed stably by the log-sum-exp trick.

    Parameters
    ----------
    logits : array_like, shape (batch, classes)
        Finite real scores.

    Returns
    -------
    ndarray, shape (batch, classes)
        Log-probabilities; each row's exponentials sum to 1.

    Examples
    --------
    >>> np.round(np.exp(log_softmax([[0.0, np.log(3.0)]])), 4)
    array([[0.25, 0.75]])
    >>> float(log_softmax([[1000.0, 0.0]])[0, 0])    # no overflow
    0.0
    """
    return _log_softmax(_checks.batch(logits, "logits", "log_softmax"))


def softmax(logits: ArrayLike) -> NDArray[np.float64]:
    """Row-wise softmax, ``exp(z_k) / sum_j exp(z_j)`` (via :func:`log_softmax`).

    Parameters
    ----------
    logits : array_like, shape (batch, classes)

    Returns
    -------
    ndarray, shape (batch, classes)

    Examples
    --------
    >>> softmax([[0.0, 0.0, 0.0, 0.0]])
    array([[0.25, 0.25, 0.25, 0.25]])
    """
    return np.exp(_log_softmax(_checks.batch(logits, "logits", "softmax")))


def softmax_cross_entropy(logits: ArrayLike, targets: ArrayLike) -> float:
    r"""Mean over the batch of the cross-entropy between `targets` and ``softmax(logits)``, nats.

    .. math::

        L = \frac{1}{B} \sum_{b=1}^{B} \Bigl( -\sum_k t_{bk} \log \operatorname{softmax}(z_b)_k \Bigr)
          = \frac{1}{B} \sum_b \bigl( H(t_b) + D(t_b \,\|\, \operatorname{softmax}(z_b)) \bigr)

    Parameters
    ----------
    logits : array_like, shape (batch, classes)
        The model's scores ``z``.
    targets : array_like, shape (batch, classes)
        One distribution per row: one-hot labels or soft targets.

    Returns
    -------
    float
        The loss in nats.

    Examples
    --------
    >>> z = [[2.0, 0.0, 0.0]]
    >>> round(softmax_cross_entropy(z, [[1.0, 0.0, 0.0]]), 6)   # -log softmax(z)_0
    0.239545
    >>> round(float(np.log(1 + 2 * np.exp(-2.0))), 6)            # the same, by hand
    0.239545
    >>> from klcourse import kl_divergence
    >>> round(kl_divergence([1.0, 0.0, 0.0], softmax(z)[0], base=np.e), 6)  # one-hot: the KL
    0.239545
    """
    z = _checks.batch(logits, "logits", "softmax_cross_entropy")
    t = _checks.distributions(targets, "targets", "softmax_cross_entropy")
    _checks.same_shape(z, t, ("logits", "targets"), "softmax_cross_entropy")
    log_q = _log_softmax(z)
    with np.errstate(invalid="ignore"):     # 0 * -inf where t = 0: discarded by the where
        per_example = -np.where(t > 0, t * log_q, 0.0).sum(axis=1)   # t = 0 entries: exactly 0
    return float(per_example.mean())


def label_smoothing(targets: ArrayLike, eps: float) -> NDArray[np.float64]:
    """``(1 - eps) * targets + eps / K``: the target mixed with the uniform over K classes.

    Parameters
    ----------
    targets : array_like, shape (batch, classes)
        One distribution per row (usually one-hot).
    eps : float
        The weight of the uniform distribution, in [0, 1].

    Returns
    -------
    ndarray, shape (batch, classes)
        The smoothed targets, again distributions.

    Examples
    --------
    >>> label_smoothing([[1.0, 0.0, 0.0, 0.0]], 0.1)
    array([[0.925, 0.025, 0.025, 0.025]])
    """
    t = _checks.distributions(targets, "targets", "label_smoothing")
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.integer,
                                                                  np.floating)):
        raise TypeError(f"label_smoothing: eps must be a number in [0, 1], got {eps!r}")
    if not 0 <= float(eps) <= 1:
        raise ValueError(f"label_smoothing: eps must be in [0, 1], got {eps!r}")
    k = t.shape[1]
    return (1 - eps) * t + eps / k


def distillation_loss(student_logits: ArrayLike, teacher_logits: ArrayLike, *,
                      temperature: float) -> float:
    r"""Hinton et al.'s soft-target loss: ``T^2`` times the batch-mean KL at temperature ``T``, nats.

    .. math::

        L = T^2 \, \frac{1}{B} \sum_b D\bigl(\operatorname{softmax}(t_b / T) \,\|\,
            \operatorname{softmax}(s_b / T)\bigr)

    The teacher's softened distribution is the truth (first argument): the
    forward, mass-covering direction. The ``T^2`` keeps the gradient with
    respect to the student's logits about the same size for every ``T``
    (without it the gradient shrinks like ``1 / T^2``).

    Parameters
    ----------
    student_logits, teacher_logits : array_like, shape (batch, classes)
    temperature : float
        ``T > 0``; ``T = 1`` is the plain KL.

    Returns
    -------
    float
        The loss in nats.

    Examples
    --------
    >>> s = [[1.0, 0.0, -1.0]]
    >>> distillation_loss(s, s, temperature=4.0)
    0.0
    >>> from klcourse import kl_divergence
    >>> t = [[3.0, 0.0, 0.0]]
    >>> a = distillation_loss(s, t, temperature=2.0)
    >>> b = 4 * kl_divergence(softmax(np.divide(t, 2))[0], softmax(np.divide(s, 2))[0], base=np.e)
    >>> bool(np.isclose(a, b))
    True
    """
    func = "distillation_loss"
    s = _checks.batch(student_logits, "student_logits", func)
    t = _checks.batch(teacher_logits, "teacher_logits", func)
    _checks.same_shape(s, t, ("student_logits", "teacher_logits"), func)
    T = _checks.positive_scalar(temperature, "temperature", func)
    log_p = _log_softmax(t / T)       # teacher, softened: the target
    log_q = _log_softmax(s / T)       # student, softened: the model
    kl = (np.exp(log_p) * (log_p - log_q)).sum(axis=1)
    return float(T**2 * kl.mean())

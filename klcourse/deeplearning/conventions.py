"""What the frameworks' KL functions compute, restated in numpy from their documentation.

klcourse imports no deep-learning framework. These functions repeat the
formulas the frameworks document, so that a notebook can show, number by
number, what each call returns and which mistake it invites. Unlike the rest of
klcourse they deliberately do **not** check that inputs are distributions:
the frameworks don't either, and that is the point being taught.

* PyTorch ``torch.nn.functional.kl_div(input, target, reduction="mean",
  log_target=False)``: ``input`` holds the *model's log-probabilities*,
  ``target`` the target's probabilities; pointwise ``target * (log target -
  input)``, i.e. ``KL(target || model)``. ``reduction="mean"`` divides the sum
  by the number of *elements* (batch x classes); ``"batchmean"`` by the batch
  size, which is the KL.
* Keras ``keras.losses.KLDivergence()(y_true, y_pred)``: both clipped to
  ``[1e-7, 1]``, ``sum(y_true * log(y_true / y_pred))`` over the last axis, then
  the mean over the batch.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import xlogy

from klcourse.deeplearning import _checks

__all__ = ["torch_kl_div", "keras_kl_divergence"]

_REDUCTIONS = ("mean", "batchmean", "sum", "none")


def torch_kl_div(input: ArrayLike, target: ArrayLike, *, reduction: str = "mean",
                 log_target: bool = False):
    """PyTorch's documented ``F.kl_div(input, target, reduction=...)``, in numpy (nats).

    Parameters
    ----------
    input : array_like, shape (batch, classes)
        Meant to be the model's log-probabilities.
    target : array_like, same shape
        The target's probabilities (log-probabilities if `log_target`).
    reduction : {"mean", "batchmean", "sum", "none"}
    log_target : bool

    Examples
    --------
    >>> logq = np.log([[0.5, 0.5]])
    >>> p = [[0.9, 0.1]]
    >>> round(float(torch_kl_div(logq, p, reduction="batchmean")), 4)   # KL(p || q)
    0.3681
    >>> round(float(torch_kl_div(logq, p)), 4)                          # divided by 2 elements
    0.184
    """
    func = "torch_kl_div"
    x = _checks.real_array(input, "input", func)
    t = _checks.real_array(target, "target", func)
    _checks.same_shape(x, t, ("input", "target"), func)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{func}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    if log_target:
        pointwise = np.exp(t) * (t - x)
    else:
        pointwise = xlogy(t, t) - t * x          # target * (log target - input), 0 log 0 = 0
    if reduction == "none":
        return pointwise
    if reduction == "sum":
        return pointwise.sum()
    if reduction == "batchmean":
        return pointwise.sum() / x.shape[0]
    return pointwise.mean()


def keras_kl_divergence(y_true: ArrayLike, y_pred: ArrayLike, *, epsilon: float = 1e-7):
    """Keras' documented ``KLDivergence()(y_true, y_pred)``, in numpy (nats).

    Both arguments are clipped to ``[epsilon, 1]``, then ``sum(y_true *
    log(y_true / y_pred))`` is taken over the last axis and averaged over the
    rest. Like Keras, it does not check that the rows are distributions.

    Parameters
    ----------
    y_true : array_like, shape (batch, classes)
        The target's probabilities: the first argument of ``KL(y_true || y_pred)``.
    y_pred : array_like, same shape
        The model's probabilities (not log-probabilities, unlike
        :func:`torch_kl_div`).
    epsilon : float, optional
        The clipping floor (default 1e-7, Keras' ``backend.epsilon()``): a zero
        in `y_pred` gives a large finite value, not inf.

    Returns
    -------
    numpy.float64
        The mean over the batch, in nats.

    Examples
    --------
    >>> round(float(keras_kl_divergence([[0.9, 0.1]], [[0.5, 0.5]])), 4)
    0.3681
    >>> round(float(keras_kl_divergence([[1.0, 0.0]], [[0.0, 1.0]])), 2)   # clipped, not inf
    16.12
    """
    func = "keras_kl_divergence"
    t = np.clip(_checks.real_array(y_true, "y_true", func), epsilon, 1)
    q = np.clip(_checks.real_array(y_pred, "y_pred", func), epsilon, 1)
    _checks.same_shape(t, q, ("y_true", "y_pred"), func)
    return (t * np.log(t / q)).sum(axis=-1).mean()

"""A tiny multilayer perceptron with hand-written backpropagation, and Adam.

Just enough neural network for the VAE and the GAN of this package, in plain
numpy so that every gradient is visible. Parameters are a flat list
``[W1, b1, W2, b2, ...]``; hidden layers use ``tanh``, the output layer is
linear.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> params = init_mlp([2, 8, 1], rng)
>>> out, cache = mlp_forward(params, np.ones((5, 2)))
>>> grads, grad_x = mlp_backward(params, cache, np.ones((5, 1)))
>>> out.shape, [g.shape for g in grads], grad_x.shape
((5, 1), [(2, 8), (8,), (8, 1), (1,)], (5, 2))
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["init_mlp", "mlp_forward", "mlp_backward", "Adam", "sigmoid", "log_sigmoid"]

Params = list[NDArray[np.float64]]


def init_mlp(sizes: Sequence[int], rng: np.random.Generator, *,
             out_scale: float = 1.0) -> Params:
    """Initial parameters of a tanh MLP: weights ``N(0, 1/fan_in)``, biases 0.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``[1, 16, 16, 1]``.
    rng : numpy.random.Generator
        Source of the random weights.
    out_scale : float, optional
        Extra factor on the last layer's weights (small values start the
        network near a constant output).

    Returns
    -------
    list of ndarray
        ``[W1, b1, W2, b2, ...]`` with ``W_i`` of shape ``(sizes[i-1], sizes[i])``.

    Examples
    --------
    >>> params = init_mlp([2, 3, 1], np.random.default_rng(0))
    >>> [p.shape for p in params]
    [(2, 3), (3,), (3, 1), (1,)]
    """
    widths = list(sizes)
    if len(widths) < 2 or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                                  and s >= 1 for s in widths):
        raise ValueError(f"init_mlp: sizes must list >= 2 layer widths, each an int >= 1, "
                         f"got {widths}")
    params: Params = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        scale = 1.0 / np.sqrt(a) * (out_scale if i == len(sizes) - 2 else 1.0)
        params += [rng.normal(scale=scale, size=(a, b)), np.zeros(b)]
    return params


def mlp_forward(params: Params, x: NDArray) -> tuple[NDArray, list[NDArray]]:
    """Output of the network for inputs `x`, and the activations needed by backprop.

    Parameters
    ----------
    params : list of ndarray
        ``[W1, b1, ...]`` as made by :func:`init_mlp`.
    x : ndarray, shape (n, sizes[0])
        One input per row.

    Returns
    -------
    out : ndarray, shape (n, sizes[-1])
        Network outputs (the last layer is linear).
    acts : list of ndarray
        The input and every layer's output, for :func:`mlp_backward`.

    Examples
    --------
    >>> params = [np.eye(2), np.zeros(2), np.ones((2, 1)), np.zeros(1)]
    >>> out, acts = mlp_forward(params, np.array([[0.5, -0.5]]))
    >>> out.round(6).tolist()          # tanh(0.5) + tanh(-0.5)
    [[0.0]]
    """
    if np.ndim(x) != 2 or np.shape(x)[1] != params[0].shape[0]:
        raise ValueError(f"mlp_forward: x must have shape (n, {params[0].shape[0]}), one input "
                         f"per row, got {np.shape(x)}")
    acts = [x]
    h = x
    n_layers = len(params) // 2
    for i in range(n_layers):
        h = h @ params[2 * i] + params[2 * i + 1]          # W h + b
        if i < n_layers - 1:
            h = np.tanh(h)
        acts.append(h)
    return h, acts


def mlp_backward(params: Params, acts: list[NDArray],
                 grad_out: NDArray) -> tuple[Params, NDArray]:
    """Backpropagation: gradients of a loss w.r.t. the parameters and the inputs.

    Parameters
    ----------
    params : list of ndarray
        The parameters used in the forward pass.
    acts : list of ndarray
        The activations returned by :func:`mlp_forward`.
    grad_out : ndarray, shape (n, sizes[-1])
        Gradient of the loss with respect to the network's outputs.

    Returns
    -------
    grads : list of ndarray
        Gradients in the layout of `params`.
    grad_x : ndarray, shape (n, sizes[0])
        Gradient with respect to the inputs (to chain networks together).

    Examples
    --------
    A linear network ``x -> 3 x``: the gradient of the output w.r.t. x is 3.

    >>> params = [np.array([[3.0]]), np.zeros(1)]
    >>> out, acts = mlp_forward(params, np.array([[2.0]]))
    >>> grads, grad_x = mlp_backward(params, acts, np.ones((1, 1)))
    >>> float(grads[0][0, 0]), float(grad_x[0, 0])
    (2.0, 3.0)
    """
    n_layers = len(params) // 2
    grads: Params = [np.empty(0)] * len(params)
    g = grad_out
    for i in reversed(range(n_layers)):
        if i < n_layers - 1:
            g = g * (1.0 - acts[i + 1] ** 2)  # through tanh
        grads[2 * i] = acts[i].T @ g                      # dLoss/dW
        grads[2 * i + 1] = g.sum(axis=0)                  # dLoss/db
        g = g @ params[2 * i].T                           # dLoss/d(layer input)
    return grads, g


def sigmoid(a: NDArray) -> NDArray:
    """Logistic function ``1 / (1 + exp(-a))``, without overflow for large ``|a|``.

    Parameters
    ----------
    a : ndarray
        Logits.

    Returns
    -------
    ndarray
        Probabilities in ``[0, 1]``, same shape as `a`.

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return np.exp(log_sigmoid(a))


def log_sigmoid(a: NDArray) -> NDArray:
    """``log(sigmoid(a))`` computed stably; ``log(1 - sigmoid(a))`` is ``log_sigmoid(-a)``.

    Parameters
    ----------
    a : ndarray
        Logits.

    Returns
    -------
    ndarray
        Values ``<= 0``, same shape as `a`.

    Examples
    --------
    >>> log_sigmoid(np.array([-1000.0, 0.0])).round(6).tolist()
    [-1000.0, -0.693147]
    """
    return -np.logaddexp(0.0, -a)


class Adam:
    """The Adam optimiser (Kingma and Ba), updating a parameter list in place.

    ``step(grads)`` moves the parameters *down* the gradient (pass the
    gradient of the loss to be minimised).
    """

    def __init__(self, params: Params, lr: float = 1e-3, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8) -> None:
        if not (np.isfinite(lr) and lr > 0 and np.isfinite(eps) and eps > 0):
            raise ValueError(f"Adam: lr and eps must be finite numbers > 0, got {lr!r}, {eps!r}")
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1):
            raise ValueError(f"Adam: beta1 and beta2 must lie in [0, 1), got {beta1!r}, {beta2!r}")
        self.params, self.lr, self.beta1, self.beta2, self.eps = params, lr, beta1, beta2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: Params) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        c1, c2 = 1 - b1**self.t, 1 - b2**self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)

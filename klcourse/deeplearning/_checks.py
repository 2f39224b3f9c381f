"""Validation at the boundary of :mod:`klcourse.deeplearning` (one pass, clear messages).

The functions take batches: arrays of shape ``(batch, classes)``. Nothing is
broadcast, renormalised or clipped: a wrong shape, a row that is not a
distribution, a NaN or an infinity is refused with a message naming the
function and the argument.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from klcourse._arrays import real_array

ROW_TOLERANCE = 1e-6
"""How far a row of probabilities may sum from 1 (round-off, not renormalising)."""


def batch(x: Any, name: str, func: str) -> NDArray[np.float64]:
    """A finite real array of shape ``(batch, classes)`` with at least one row and two classes."""
    arr = real_array(x, name, func)
    if arr.ndim != 2:
        raise ValueError(f"{func}: {name} must have shape (batch, classes), got shape "
                         f"{arr.shape}; for a single example pass x[None, :]")
    if arr.shape[0] < 1 or arr.shape[1] < 2:
        raise ValueError(f"{func}: {name} needs at least one row and two classes, got shape "
                         f"{arr.shape}")
    return arr


def distributions(x: Any, name: str, func: str) -> NDArray[np.float64]:
    """A batch whose rows are probability distributions (non-negative, summing to 1)."""
    arr = batch(x, name, func)
    if (arr < 0).any():
        i, j = np.argwhere(arr < 0)[0]
        raise ValueError(f"{func}: {name}[{i}, {j}] = {arr[i, j]} is negative; rows of {name} "
                         "must be probabilities (if these are log-probabilities or logits, "
                         "exponentiate and normalise them, e.g. with softmax)")
    sums = arr.sum(axis=1)
    off = np.abs(sums - 1) > ROW_TOLERANCE
    if off.any():
        i = int(np.argmax(off))
        raise ValueError(f"{func}: row {i} of {name} sums to {sums[i]:.6g}, not 1; normalise "
                         f"it first (e.g. counts / counts.sum()) — {func} never renormalises")
    return arr


def same_shape(a: NDArray, b: NDArray, names: tuple[str, str], func: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{func}: {names[0]} has shape {a.shape} but {names[1]} has shape "
                         f"{b.shape}; they must match exactly (nothing is broadcast)")


def positive_scalar(x: Any, name: str, func: str) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{func}: {name} must be a number, got {x!r}")
    v = float(x)
    if not (np.isfinite(v) and v > 0):
        raise ValueError(f"{func}: {name} must be a positive finite number, got {x!r}")
    return v

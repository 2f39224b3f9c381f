"""Validation at the boundary of :mod:`klcourse.estimation`: samples and counts, once."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from klcourse._arrays import real_array


def samples(x: Any, name: str, func: str) -> NDArray[np.float64]:
    """Samples as an ``(n, d)`` float array: 1-D input is ``n`` one-dimensional samples.

    Refuses masked, non-numeric, boolean, ragged, empty, NaN and infinite input.
    """
    arr = real_array(x, name, func, what="NaN and infinite samples are not dropped silently: "
                                        "remove or fix them first")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{func}: {name} must have shape (n,) or (n, d) with n >= 1, got "
                         f"{np.shape(x)}")
    return arr


def counts(c: Any, name: str, func: str) -> NDArray[np.float64]:
    """A 1-D array of non-negative whole-number counts with a positive total."""
    if isinstance(c, np.ma.MaskedArray):
        raise TypeError(f"{func}: {name} is a masked array; pass plain counts")
    arr = np.asarray(c)
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        raise TypeError(f"{func}: {name} must be counts (whole numbers), got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{func}: {name} must be a 1-D histogram of counts over at least two "
                         f"cells, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{func}: {name} contains NaN or infinity; counts are whole numbers")
    if (arr < 0).any():
        i = int(np.argmax(arr < 0))
        raise ValueError(f"{func}: {name}[{i}] = {arr[i]:g} is negative; counts cannot be")
    if (arr != np.round(arr)).any():
        i = int(np.argmax(arr != np.round(arr)))
        raise ValueError(f"{func}: {name}[{i}] = {arr[i]:g} is not a whole number; pass counts, "
                         "not probabilities or frequencies (for those use klcourse.kl_divergence)")
    if arr.sum() == 0:
        raise ValueError(f"{func}: {name} is all zeros; there is nothing to estimate from")
    return arr


def whole(k: Any, name: str, func: str, *, minimum: int = 1) -> int:
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"{func}: {name} must be a whole number, got {k!r}")
    if k < minimum:
        raise ValueError(f"{func}: {name} must be at least {minimum}, got {k}")
    return int(k)


def log_base(base: Any, func: str) -> float:
    """``ln(base)`` for a valid logarithm base (the same rule as :func:`klcourse.kl_divergence`)."""
    from klcourse._validation import _log_base

    return _log_base(base, func)

"""Input checks shared by the generative modules (private).

Each public function calls these once, at its boundary, with its own name, so
an error says which function was called, what is wrong and how to fix it.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Largest share of a density's mass that may lie off a grid (or off the
#: grid's edge cells) before the grid is refused as cutting the density off.
MASS_TOLERANCE = 1e-4


def count(value: Any, name: str, func: str, *, least: int = 1) -> int:
    """An int >= `least` (numpy ints too, not bools or floats)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
        raise ValueError(f"{func}: {name} must be an int >= {least}, got {value!r}")
    return int(value)


def positive(value: Any, name: str, func: str) -> float:
    """A finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not (math.isfinite(value) and value > 0):
        raise ValueError(f"{func}: {name} must be a finite number > 0, got {value!r}")
    return float(value)


def finite(x: ArrayLike, name: str, func: str, *, ndim: int | None = None) -> NDArray[np.float64]:
    """A float array of numbers with no NaN or infinite entry (and `ndim` dimensions)."""
    try:
        arr = np.asarray(x)
    except ValueError:      # numpy's "inhomogeneous shape"
        raise ValueError(f"{func}: {name} is ragged (rows of different lengths); give a "
                         "rectangular array of numbers") from None
    if arr.dtype.kind not in "iuf" or isinstance(x, np.ma.MaskedArray):
        raise TypeError(f"{func}: {name} must be a plain array of real numbers, got "
                        f"{type(x).__name__} of dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{func}: {name} must be {ndim}-D, got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{func}: {name} contains {arr[where]} at index "
                         f"{where[0] if len(where) == 1 else where}; klcourse drops nothing: "
                         "remove or replace non-finite values yourself")
    return arr


def grid(x: ArrayLike, name: str, func: str, *, uniform: bool = False,
         least: int = 2) -> NDArray[np.float64]:
    """A finite, strictly increasing 1-D grid of at least `least` points."""
    arr = finite(x, name, func, ndim=1)
    if arr.size < least:
        raise ValueError(f"{func}: {name} needs at least {least} points, got {arr.size}")
    step = np.diff(arr)
    if np.any(step <= 0):
        i = int(np.argmax(step <= 0))
        raise ValueError(f"{func}: {name} must be strictly increasing, but {name}[{i + 1}] = "
                         f"{arr[i + 1]:g} follows {arr[i]:g}; sort it (a decreasing grid "
                         "flips the sign of every integral)")
    if uniform and not np.allclose(step, step[0], rtol=1e-6, atol=0):
        raise ValueError(f"{func}: {name} must be evenly spaced (steps from {step.min():g} to "
                         f"{step.max():g}); use np.linspace")
    return arr


def mass_on_grid(mass: float, what: str, lo: float, hi: float, func: str) -> None:
    """Refuse a grid [lo, hi] that carries less than all of a density's mass."""
    if not abs(1.0 - mass) <= MASS_TOLERANCE:
        raise ValueError(f"{func}: the grid [{lo:g}, {hi:g}] carries {mass:.6f} of the mass of "
                         f"{what}, not 1 (tolerance {MASS_TOLERANCE:g}): the integral would "
                         "silently leave the rest out; widen the grid")


def log_base(base: Any, func: str) -> float:
    """A logarithm base: a finite number > 0 and != 1 (2 for bits, e for nats)."""
    if isinstance(base, bool) or not isinstance(base, numbers.Real) \
            or not (math.isfinite(base) and base > 0 and base != 1):
        raise ValueError(f"{func}: base must be a finite number > 0 and != 1 (2 for bits, "
                         f"np.e for nats), got {base!r}")
    return float(base)


def mixture(obj: Any, name: str, func: str) -> None:
    from klcourse.generative.vi import Mixture1D
    if not isinstance(obj, Mixture1D):
        raise TypeError(f"{func}: {name} must be a Mixture1D, got {type(obj).__name__}")

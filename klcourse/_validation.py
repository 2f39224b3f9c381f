"""Input validation shared by every klcourse module that takes distributions.

Private to the package: the public functions call these so that every module
gives the same errors in the same words (what is wrong, where, and the fix),
and never silently renormalises, broadcasts or drops anything.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: How far from 1 the sum of a distribution may be (absolute). Wide enough
#: for float32 data and rounding in long sums, far too narrow to hide a
#: forgotten normalisation.
SUM_TOLERANCE = 1e-6

Result = float | NDArray[np.float64]


def _log_base(base: Any, func: str) -> float:
    """Return ln(base), or raise a clear error for an unusable base."""
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(f"{func}: base must be a real number such as 2 or np.e, got {base!r}")
    b = float(base)
    if not (b > 0) or b == 1 or math.isinf(b):
        raise ValueError(
            f"{func}: base must be a finite number > 0 and != 1 "
            f"(2 for bits, np.e for nats), got {base!r}"
        )
    return math.log(b)


def _as_float_array(x: ArrayLike, name: str, func: str) -> NDArray[np.float64]:
    """Convert to a float64 array; non-numeric input is a TypeError."""
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        arr = x
    else:
        arr = np.asarray(x)
        kind = arr.dtype.kind
        if kind == "b":
            raise TypeError(f"{func}: {name} holds booleans; pass probabilities as numbers")
        if kind == "c":
            raise TypeError(f"{func}: {name} holds complex numbers; probabilities are real")
        if kind not in "iuf":
            try:
                if kind == "O" and not all(
                        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in arr.flat):
                    raise TypeError
                arr = arr.astype(np.float64)
            except (TypeError, ValueError, OverflowError):
                raise TypeError(
                    f"{func}: {name} must be an array of numbers, got dtype {arr.dtype} "
                    f"(first entry {getattr(arr.ravel()[0], 'item', lambda: arr.ravel()[0])()!r})"
                    if arr.size else
                    f"{func}: {name} must be an array of numbers, got dtype {arr.dtype}"
                ) from None
        else:
            arr = arr.astype(np.float64, copy=False)
    if arr.ndim == 0:
        raise ValueError(
            f"{func}: {name} is a single number; a distribution is a 1-D array of "
            "probabilities, one per outcome"
        )
    if arr.size == 0:
        raise ValueError(f"{func}: {name} is empty; a distribution needs at least one outcome")
    return arr


def _index(arr: NDArray, mask: NDArray) -> int | tuple[int, ...]:
    """The first index where mask is true (an int for 1-D arrays)."""
    idx = np.argwhere(mask)[0]
    return int(idx[0]) if arr.ndim == 1 else tuple(int(i) for i in idx)


def _where(arr: NDArray, mask: NDArray) -> str:
    """Describe the first entry where mask is true: its value and index."""
    idx = _index(arr, mask)
    return f"{float(arr[idx]):g} at index {idx}"


def _entry_problem(arr: NDArray, name: str, func: str,
                   entries: str = "probabilities") -> ValueError | None:
    """Diagnose NaN, infinite or negative entries (in that order).

    `entries` names what the values are in the fix the message suggests
    (``"counts"`` for :func:`klcourse.normalize`, say).
    """
    nan = np.isnan(arr)
    if nan.any():
        return ValueError(
            f"{func}: {name} contains NaN (at index {_index(arr, nan)}); "
            "klcourse never drops NaN entries: remove or replace them yourself"
        )
    inf = np.isinf(arr)
    if inf.any():
        return ValueError(f"{func}: {name} contains an infinite entry ({_where(arr, inf)}); "
                          f"{entries} must be finite")
    neg = arr < 0
    if neg.any():
        return ValueError(
            f"{func}: {name} has a negative entry ({_where(arr, neg)}); "
            f"{entries} must be >= 0"
        )
    return None


def _sum_problem(sums: NDArray | float, name: str, func: str, axis: int) -> ValueError | None:
    sums = np.asarray(sums)
    bad = ~(np.abs(sums - 1.0) <= SUM_TOLERANCE)
    if not bad.any():
        return None
    first = float(sums[bad][0]) if sums.ndim else float(sums)
    where = "" if sums.ndim == 0 else f" (batch index {tuple(int(i) for i in np.argwhere(bad)[0])})"
    return ValueError(
        f"{func}: {name} sums to {first:.10g} along axis {axis}{where}, not 1 "
        f"(tolerance {SUM_TOLERANCE:g}); nothing is renormalised silently: "
        f"pass counts through klcourse.normalize({name}) first, or fix the entries"
    )


def _check_entries_and_sums(arr: NDArray, name: str, func: str, axis: int) -> None:
    """Full validation of an array whose last axis holds distributions."""
    problem = _entry_problem(arr, name, func) or _sum_problem(arr.sum(axis=-1), name, func, axis)
    if problem is not None:
        raise problem


def _distribution_1d(p: ArrayLike, name: str, func: str, *, must_be: str) -> NDArray[np.float64]:
    """A validated 1-D distribution; `must_be` says what a wrong shape should have been.

    The error for a wrong shape reads ``"{func}: {name} must be {must_be}, got
    shape ..."``; the other checks are :func:`_check_entries_and_sums`.
    """
    arr = _as_float_array(p, name, func)
    if arr.ndim != 1:
        raise ValueError(f"{func}: {name} must be {must_be}, got shape {arr.shape}")
    _check_entries_and_sums(arr, name, func, -1)
    return arr


def _prepare(p: ArrayLike, name: str, func: str, axis: int) -> NDArray[np.float64]:
    arr = _as_float_array(p, name, func)
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{func}: axis must be an int, got {axis!r}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"{func}: axis {axis} is out of range for {name} with {arr.ndim} dimension(s)")
    if axis != -1 and axis != arr.ndim - 1:
        arr = np.moveaxis(arr, axis, -1)
    return arr


def _same_shape(p: NDArray, q: NDArray, func: str, names: tuple[str, str] = ("p", "q")) -> None:
    if p.shape != q.shape:
        a, b = names
        raise ValueError(
            f"{func}: {a} and {b} have different shapes {p.shape} and {q.shape}; "
            "they must describe the same outcomes in the same order "
            "(klcourse never broadcasts distributions)"
        )


def _pair(p: ArrayLike, q: ArrayLike, func: str, axis: int = -1, *,
          check: bool = True) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """`p` and `q` prepared (distributions moved to the last axis) and of one shape.

    With `check` (the default) both are also fully validated; ``check=False``
    leaves that to a caller that validates while it computes.
    """
    pa = _prepare(p, "p", func, axis)
    qa = _prepare(q, "q", func, axis)
    _same_shape(pa, qa, func)
    if check:
        _check_entries_and_sums(pa, "p", func, axis)
        _check_entries_and_sums(qa, "q", func, axis)
    return pa, qa


def _finish(nats: NDArray | float, log_base: float, *, nonneg: bool = True,
            upper: float | None = None) -> Result:
    """Clip round-off in nats, convert to the requested base, return float for 0-d.

    Clipping happens before the change of base, so a base below 1 (negative
    logarithms) gives correctly signed results.
    """
    out = np.asarray(nats, dtype=np.float64)
    if nonneg:
        out = np.where(out > 0, out, 0.0)
    if upper is not None:
        out = np.where(out < upper, out, upper)
    out = out / log_base
    if out.ndim == 0:
        return float(out)
    return out


def _check_bits(bits: Any, func: str, producer: str) -> None:
    """A code word string: a str of '0' and '1' only (`producer` made it)."""
    if not isinstance(bits, str):
        raise TypeError(f"{func}: bits must be a str of '0'/'1' (as from {producer}), "
                        f"got {type(bits).__name__}")
    if bits.strip("01"):
        bad = next(c for c in bits if c not in "01")
        raise ValueError(f"{func}: bits may contain only '0' and '1', found {bad!r}")


def _check_symbol_count(n: Any, func: str) -> int:
    """The number of symbols to decode: an int >= 0."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"{func}: n must be a non-negative int (the number of symbols), got {n!r}")
    return int(n)

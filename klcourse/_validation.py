"""Input validation shared by every klcourse module that takes distributions.

Private to the package. The public functions validate their inputs here,
once, at the boundary; everything behind the boundary works on the arrays
these functions return and does not check them again. Every module gives the
same errors in the same words (the function the learner called, what is
wrong, where, and the fix), and nothing is ever silently renormalised,
broadcast, masked, parsed from text or dropped.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: How far from 1 the sum of a distribution may be (absolute). Wide enough
#: for float32 data and rounding in long sums, far too narrow to hide a
#: forgotten normalisation.
SUM_TOLERANCE = 1e-6

Result = float | NDArray[np.float64]

#: The largest array klcourse builds on request (10^8 entries, 800 MB of
#: floats): a bigger request is refused before any allocation, with its size.
MAX_ELEMENTS = 10**8

_BASE_HINT = "(2 for bits, np.e for nats)"


def _log_base(base: Any, func: str, *, above_one: bool = False) -> float:
    """Return ln(base), or raise a clear error for an unusable base.

    Any real base > 0 other than 1 is accepted, including integers and
    fractions far outside the float range (``10**400``): their logarithm is
    taken exactly from the integer parts. ``above_one=True`` also refuses
    bases below 1 (a distance, the square root of a divergence, needs a
    non-negative divergence).
    """
    if type(base) in (int, float) and 1 < base < math.inf:  # 2, 10, np.e, 10**400
        return math.log(base)
    if isinstance(base, (bool, np.bool_)) or not isinstance(base, numbers.Real):
        raise TypeError(f"{func}: base must be a real number such as 2 or np.e, got {base!r}")
    bad = ValueError(f"{func}: base must be a finite number > 0 and != 1 {_BASE_HINT}, "
                     f"got {base!r}")
    if isinstance(base, numbers.Rational):
        # ints and Fractions of any size: log(num) - log(den), exact near 1 via log1p
        x = Fraction(int(base.numerator), int(base.denominator))
        if x <= 0 or x == 1:
            raise bad
        lb = math.log1p(float(x - 1)) if abs(x - 1) < 0.5 else \
            math.log(x.numerator) - math.log(x.denominator)
    else:
        try:
            b = float(base)
        except (OverflowError, ValueError):
            raise bad from None
        if isinstance(base, np.floating) and math.isinf(b) and np.isfinite(base):
            b = base  # a long double beyond the float64 range: its own log is finite
        if not (b > 0) or b == 1 or not np.isfinite(b):
            raise bad
        lb = float(np.log(b))
    if not 1e-300 < abs(lb) < math.inf:
        raise ValueError(f"{func}: base {base!r} is so close to 1 that its logarithm "
                         f"({lb:.3g}) would turn every result into an overflow; use a base "
                         "such as 2 or np.e")
    if above_one and lb < 0:
        raise ValueError(f"{func}: base must be > 1 here {_BASE_HINT}, got {base!r}: with a base "
                         "below 1 every divergence is negative and has no square root")
    return lb


def _as_numbers(x: Any, name: str, func: str, *, finite: bool = False, what: str = "numbers",
                distribution: bool = False) -> NDArray[np.float64]:
    """`x` as a float64 ndarray of real numbers, or a clear error naming `func`.

    Refused, because each would give a number that is not what it seems:
    masked arrays (numpy drops the mask on conversion), ``np.matrix`` (always
    2-D), ragged nested lists, strings and bytes (``'0.5'`` is text, not a
    number), booleans, complex numbers, datetimes and timedeltas, and object
    arrays holding anything but real numbers. ``finite=True`` refuses NaN and
    infinite entries; ``distribution=True`` refuses a single number and an
    empty array.
    """
    if type(x) is np.ndarray and x.dtype == np.float64:
        arr = x
    else:
        if isinstance(x, (np.ma.MaskedArray, np.matrix, str, bytes)):
            raise _impostor(x, name, func, what)
        try:
            arr = np.asarray(x)
        except ValueError:
            raise ValueError(f"{func}: {name} is ragged (nested sequences of different "
                             f"lengths); pass a rectangular array of {what}") from None
        except TypeError as exc:
            raise TypeError(f"{func}: {name} cannot be read as an array of {what} "
                            f"({exc})") from None
        arr = arr.astype(np.float64, copy=False) if arr.dtype.kind in "iuf" and \
            arr.dtype.itemsize <= 8 else _to_float(arr, name, func, what)
    if distribution and (arr.ndim == 0 or arr.size == 0):
        raise ValueError(f"{func}: {name} is a single number; a distribution is a 1-D array of "
                         "probabilities, one per outcome" if arr.ndim == 0 else
                         f"{func}: {name} is empty; a distribution needs at least one outcome")
    if finite and not np.all(np.isfinite(arr)):
        i = int(np.argmax(~np.isfinite(arr.ravel())))
        raise ValueError(f"{func}: {name} contains {arr.ravel()[i]} (at flat index {i}); "
                         f"{what} must be finite: klcourse never drops or replaces them")
    return arr


def _as_array(x: Any, name: str, func: str, what: str = "values") -> NDArray:
    """`x` as an ndarray of any dtype (labels allowed), refusing masks, matrices and ragged lists."""
    if isinstance(x, (np.ma.MaskedArray, np.matrix)):
        raise _impostor(x, name, func, what)
    try:
        return np.asarray(x)
    except ValueError:
        raise ValueError(f"{func}: {name} is ragged (nested sequences of different lengths); "
                         f"pass a rectangular array of {what}") from None


def _impostor(x: Any, name: str, func: str, what: str) -> TypeError:
    """The error for an input that looks like numbers but is not what it seems."""
    if isinstance(x, np.ma.MaskedArray):
        return TypeError(f"{func}: {name} is a masked array; klcourse does not honour masks "
                         f"(numpy drops them in arithmetic): pass {name}.compressed() or "
                         f"{name}.filled(value) explicitly")
    if isinstance(x, np.matrix):
        return TypeError(f"{func}: {name} is an np.matrix, which is always 2-D and changes "
                         f"the meaning of shapes and products; pass np.asarray({name})")
    return TypeError(f"{func}: {name} is text ({x!r}), not {what}; convert it yourself "
                     "if it holds numbers")


def _to_float(arr: NDArray, name: str, func: str, what: str) -> NDArray[np.float64]:
    """Convert an array of real numbers of an unusual dtype to float64, or a clear error."""
    kind = arr.dtype.kind
    described = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes",
                 "M": "datetimes", "m": "timedeltas", "V": "structured records"}
    if kind in described:
        raise TypeError(f"{func}: {name} holds {described[kind]} (dtype {arr.dtype}); "
                        f"it must hold real {what}")
    if kind == "O":  # every entry must be a real number (not a bool, str or sequence)
        for v in arr.flat:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
                raise TypeError(f"{func}: {name} must hold real {what}, found {v!r} "
                                f"({type(v).__name__})")
    with np.errstate(over="raise"):
        try:
            return arr.astype(np.float64)
        except (OverflowError, FloatingPointError):
            raise ValueError(f"{func}: {name} has an entry too large for a 64-bit "
                             "float") from None


def _as_float_array(x: ArrayLike, name: str, func: str) -> NDArray[np.float64]:
    """A non-empty float64 array of at least one dimension (entries not yet checked)."""
    return _as_numbers(x, name, func, what="probabilities", distribution=True)


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
    """Entries finite and >= 0, each distribution (last axis) summing to 1.

    One pass for valid input: the smallest entry and the sums (a NaN or an
    infinity shows up in both). Only invalid input pays for the diagnosis.
    """
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf: diagnosed below
        sums = arr.sum(axis=-1)
    if arr.min() >= 0 and np.all(np.abs(sums - 1.0) <= SUM_TOLERANCE):
        return
    problem = _entry_problem(arr, name, func) or _sum_problem(sums, name, func, axis)
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
    """`p` as a float array with the distributions moved to the last axis (entries unchecked)."""
    arr = _as_numbers(p, name, func, what="probabilities", distribution=True)
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{func}: axis must be an int, got {axis!r}")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"{func}: axis {axis} is out of range for {name} with {arr.ndim} dimension(s)")
    return arr if axis in (-1, arr.ndim - 1) else np.moveaxis(arr, axis, -1)


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
    """`p` and `q` validated: distributions on the last axis, one shape, each a distribution.

    ``check=False`` only prepares them (shapes, axis), for a caller that
    validates the entries itself.
    """
    pa, qa = _prepare(p, "p", func, axis), _prepare(q, "q", func, axis)
    if pa.shape != qa.shape:
        _same_shape(pa, qa, func)
    if check:
        _check_entries_and_sums(pa, "p", func, axis)
        _check_entries_and_sums(qa, "q", func, axis)
    return pa, qa


def _finish(nats: NDArray | float, log_base: float, *, nonneg: bool = True,
            upper: float | None = None) -> Result:
    """Nats converted to the requested base (a float for a single value).

    `nats` comes from a sum that is >= 0 in exact arithmetic; round-off of a
    few ulps can leave it at -1e-17, which is clipped to 0 (and to `upper`,
    the exact maximum, from above). Clipping happens before the change of
    base, so a base below 1 (negative logarithms) gives correctly signed
    results.
    """
    out = np.maximum(nats, 0.0) if nonneg else np.asarray(nats, dtype=np.float64)
    if upper is not None:
        out = np.minimum(out, upper)
    out = out / log_base
    return float(out) if out.ndim == 0 else out


def _check_size(count: int, func: str, what: str) -> None:
    """Refuse, before allocating, an array of more than MAX_ELEMENTS entries."""
    if count > MAX_ELEMENTS:
        raise ValueError(f"{func}: {what} would need {count:.3g} entries "
                         f"({8 * count / 2**30:.3g} GiB of floats), more than klcourse builds "
                         f"({MAX_ELEMENTS:.0e}); use a smaller size")


def _rng(seed: Any, func: str) -> np.random.Generator:
    """A numpy Generator from a Generator, None or a non-negative int seed."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
                             or seed < 0):
        raise ValueError(f"{func}: seed must be a non-negative int, None or a "
                         f"numpy Generator, got {seed!r}")
    return np.random.default_rng(seed)


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

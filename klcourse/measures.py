"""Information measures: entropy, cross-entropy, KL, Jensen-Shannon, Rényi, f-divergences.

One set of conventions holds for every function in this module.

* **Units.** ``base=2`` (bits) is the default. Any base ``> 0`` other than 1 is
  accepted; ``base=np.e`` gives nats. Measures without a logarithm (total
  variation, Hellinger, chi-squared) are plain numbers and take no ``base``.
* **Shapes.** The distribution lies along ``axis`` (the last one by default);
  the other axes are a batch, and the result has the batch shape. A 1-D input
  gives a Python ``float``. ``p`` and ``q`` must have exactly the same shape:
  nothing is ever broadcast.
* **Zeros.** ``0 * log(0 / q) = 0``; ``p > 0`` where ``q = 0`` gives ``inf``
  (no warning).
* **Validation.** Entries must be finite and non-negative and each distribution
  must sum to 1 within :data:`SUM_TOLERANCE`. Nothing is silently
  renormalised, dropped or broadcast: counts go through :func:`normalize`
  first. This is deliberate, because ``scipy.stats.entropy`` renormalises its
  inputs and ``scipy.special.rel_entr`` broadcasts them, which hides mistakes.
* **Round-off.** KL, Jensen-Shannon and Rényi divergences never come back
  negative, and Jensen-Shannon never exceeds ``log(2)`` in the chosen base.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "SUM_TOLERANCE",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "js_distance",
    "renyi_divergence",
    "binary_entropy",
    "mutual_information",
    "normalize",
    "FGenerator",
    "F_GENERATORS",
    "f_divergence",
    "total_variation",
    "hellinger_squared",
    "hellinger_distance",
    "chi2_divergence",
]

#: How far from 1 the sum of a distribution may be (absolute). Wide enough
#: for float32 data and rounding in long sums, far too narrow to hide a
#: forgotten normalisation.
SUM_TOLERANCE = 1e-6

# 1-D inputs are processed in chunks of this many entries, so that validation
# and the logarithm read each chunk while it is still in cache.
_CHUNK = 1 << 15

Result = float | NDArray[np.float64]


# ---------------------------------------------------------------- validation


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


def _entry_problem(arr: NDArray, name: str, func: str) -> ValueError | None:
    """Diagnose NaN, infinite or negative entries (in that order)."""
    nan = np.isnan(arr)
    if nan.any():
        return ValueError(
            f"{func}: {name} contains NaN (at index {_index(arr, nan)}); "
            "klcourse never drops NaN entries: remove or replace them yourself"
        )
    inf = np.isinf(arr)
    if inf.any():
        return ValueError(f"{func}: {name} contains an infinite entry ({_where(arr, inf)}); "
                          "probabilities must be finite")
    neg = arr < 0
    if neg.any():
        return ValueError(
            f"{func}: {name} has a negative entry ({_where(arr, neg)}); "
            "probabilities must be >= 0"
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


# ---------------------------------------------------------------- kernels
# All kernels work in nats on validated float64 arrays whose last axis holds
# the distributions, and return nats.


def _xlogy_ratio_1d(p: NDArray, q: NDArray | None, name_p: str, name_q: str, func: str) -> float:
    """Chunked sum of p*log(p/q) (or p*log(p) if q is None) with validation.

    Each chunk is validated (min and sum) and transformed while it sits in
    cache; the only temporary is one chunk-sized buffer.
    """
    n = p.shape[0]
    buf = np.empty(min(n, _CHUNK))
    total = 0.0
    sum_p = 0.0
    sum_q = 0.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for start in range(0, n, _CHUNK):
            pc = p[start:start + _CHUNK]
            b = buf[:pc.shape[0]]
            pmin = pc.min()
            if not pmin >= 0:  # NaN or negative
                raise _entry_problem(p, name_p, func)  # type: ignore[misc]
            sum_p += pc.sum()
            if q is None:
                np.log(pc, out=b)
            else:
                qc = q[start:start + _CHUNK]
                if not qc.min() >= 0:
                    raise _entry_problem(q, name_q, func)  # type: ignore[misc]
                sum_q += qc.sum()
                np.divide(pc, qc, out=b)
                np.log(b, out=b)
            if pmin == 0:
                b[pc == 0] = 0.0
            total += float(pc @ b)
    for arr, s, name in ((p, sum_p, name_p), (q, sum_q, name_q)):
        if arr is None:
            continue
        if not math.isfinite(s):
            raise _entry_problem(arr, name, func)  # type: ignore[misc]
        problem = _sum_problem(s, name, func, -1)
        if problem is not None:
            raise problem
    if q is not None and total == math.inf:
        # Either a genuine p > 0 where q = 0, or p/q overflowed for a
        # subnormal q: recompute the second case exactly.
        if not np.any((p > 0) & (q == 0)):
            total = float(_rel_entr_exact(p, q).sum())
    return total


def _rel_entr_exact(p: NDArray, q: NDArray) -> NDArray:
    """p*log(p/q) elementwise through log(p) - log(q) (no overflow of p/q)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = p * (np.log(p) - np.log(q))
    terms[p == 0] = 0.0
    return terms


def _kl_nd(p: NDArray, q: NDArray) -> NDArray:
    """Sum over the last axis of p*log(p/q); inputs validated."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r = np.divide(p, q)
        np.log(r, out=r)
        np.copyto(r, 0.0, where=(p == 0))
        out = np.einsum("...i,...i->...", p, r)
    overflow = np.isinf(out) & ~np.any((p > 0) & (q == 0), axis=-1)
    if overflow.any():
        out[overflow] = _rel_entr_exact(p[overflow], q[overflow]).sum(axis=-1)
    return out


def _neg_entropy_nd(p: NDArray) -> NDArray:
    with np.errstate(divide="ignore"):
        r = np.log(p)
    np.copyto(r, 0.0, where=(p == 0))
    return np.einsum("...i,...i->...", p, r)


def _kl_nats(p: NDArray, q: NDArray, func: str, names: tuple[str, str] = ("p", "q"),
             axis: int = -1) -> NDArray | float:
    if p.ndim == 1:
        return _xlogy_ratio_1d(p, q, names[0], names[1], func)
    _check_entries_and_sums(p, names[0], func, axis)
    _check_entries_and_sums(q, names[1], func, axis)
    return _kl_nd(p, q)


# ---------------------------------------------------------------- public API


def entropy(p: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Shannon entropy ``H(p) = -sum_x p(x) log p(x)``.

    Parameters
    ----------
    p : array_like
        Probabilities along `axis`, each distribution summing to 1.
    base : float, optional
        Logarithm base: 2 (bits, the default), ``np.e`` (nats), ...
    axis : int, optional
        Axis holding the distribution; other axes are a batch.

    Returns
    -------
    float or ndarray
        Entropy in units of `base`: a float for 1-D `p`, otherwise an array
        with the batch shape.

    Raises
    ------
    ValueError
        For empty input, NaN, infinite or negative entries, or a distribution
        that does not sum to 1 (use :func:`normalize` on counts).
    TypeError
        For non-numeric input.

    Examples
    --------
    A fair coin carries one bit; a fair die log2(6) bits:

    >>> from klcourse import entropy
    >>> entropy([0.5, 0.5])
    1.0
    >>> round(entropy([1/6] * 6), 4)
    2.585
    >>> entropy([[1.0, 0.0], [0.5, 0.5]], base=2)
    array([0., 1.])
    """
    func = "entropy"
    lb = _log_base(base, func)
    arr = _prepare(p, "p", func, axis)
    if arr.ndim == 1:
        neg = _xlogy_ratio_1d(arr, None, "p", "", func)
    else:
        _check_entries_and_sums(arr, "p", func, axis)
        neg = _neg_entropy_nd(arr)
    return _finish(-np.asarray(neg), lb)


def cross_entropy(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Cross-entropy ``H(p, q) = -sum_x p(x) log q(x) = H(p) + D(p || q)``.

    The average code length (in units of `base`) when outcomes come from `p`
    but the code was built for `q`. Infinite where ``q(x) = 0 < p(x)``.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis` (`p` the truth, `q` the
        model).
    base : float, optional
        Logarithm base, 2 (bits) by default.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``H(p, q)``; a float for 1-D input.

    Examples
    --------
    >>> from klcourse import cross_entropy
    >>> cross_entropy([0.5, 0.5], [0.5, 0.5])
    1.0
    >>> round(cross_entropy([0.5, 0.5], [0.9, 0.1]), 4)
    1.737
    """
    func = "cross_entropy"
    lb = _log_base(base, func)
    pa = _prepare(p, "p", func, axis)
    qa = _prepare(q, "q", func, axis)
    _same_shape(pa, qa, func)
    kl = _kl_nats(pa, qa, func, axis=axis)
    h = -np.asarray(_neg_entropy_nd(pa))
    return _finish(h + kl, lb)


def kl_divergence(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Kullback-Leibler divergence ``D(p || q) = sum_x p(x) log(p(x) / q(x))``.

    The expected extra code length per symbol paid for coding data from `p`
    with a code built for `q`; also ``E_p[log p(X)/q(X)]``. Not symmetric.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis` (`p` the truth, `q` the
        model). Never broadcast or renormalised.
    base : float, optional
        Logarithm base, 2 (bits) by default; ``np.e`` for nats.
    axis : int, optional
        Axis holding the distributions; other axes are a batch.

    Returns
    -------
    float or ndarray
        ``D(p || q) >= 0``; ``inf`` where some ``q(x) = 0 < p(x)``.

    Raises
    ------
    ValueError
        Different shapes, empty input, NaN/inf/negative entries, sums off 1.
    TypeError
        Non-numeric input.

    Examples
    --------
    >>> from klcourse import kl_divergence
    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.737
    >>> round(kl_divergence([0.9, 0.1], [0.5, 0.5]), 4)
    0.531
    >>> kl_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    func = "kl_divergence"
    lb = _log_base(base, func)
    pa = _prepare(p, "p", func, axis)
    qa = _prepare(q, "q", func, axis)
    _same_shape(pa, qa, func)
    return _finish(_kl_nats(pa, qa, func, axis=axis), lb)


def js_divergence(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Jensen-Shannon divergence ``JS(p, q) = (D(p||m) + D(q||m)) / 2``, ``m = (p + q) / 2``.

    Symmetric, always finite, and at most 1 bit (``log(2)`` in general); equal
    to 1 bit exactly when `p` and `q` have disjoint supports. This is the
    divergence itself; its square root, a metric, is :func:`js_distance`.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    base : float, optional
        Logarithm base, 2 (bits) by default.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= JS(p, q) <= log_base(2)``.

    Examples
    --------
    >>> from klcourse import js_divergence
    >>> js_divergence([1.0, 0.0], [0.0, 1.0])
    1.0
    >>> round(js_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    0.1468
    """
    func = "js_divergence"
    lb = _log_base(base, func)
    pa = _prepare(p, "p", func, axis)
    qa = _prepare(q, "q", func, axis)
    _same_shape(pa, qa, func)
    _check_entries_and_sums(pa, "p", func, axis)
    _check_entries_and_sums(qa, "q", func, axis)
    m = 0.5 * (pa + qa)
    js = 0.5 * (_kl_nd(pa, m) + _kl_nd(qa, m))
    return _finish(js, lb, upper=math.log(2))


def js_distance(p: ArrayLike, q: ArrayLike, *, base: float = 2, axis: int = -1) -> Result:
    """Jensen-Shannon distance ``sqrt(JS(p, q))``: a true metric.

    Same as ``scipy.spatial.distance.jensenshannon`` (which calls this the
    distance, too), but without its silent renormalisation.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    base : float, optional
        Base of the logarithm inside the divergence, 2 by default (then the
        distance lies in [0, 1]).
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``sqrt(js_divergence(p, q, base=base))``.

    Examples
    --------
    >>> from klcourse import js_distance
    >>> js_distance([1.0, 0.0], [0.0, 1.0])
    1.0
    >>> round(js_distance([0.5, 0.5], [0.9, 0.1]), 4)
    0.3831
    """
    js = js_divergence(p, q, base=base, axis=axis)
    return math.sqrt(js) if isinstance(js, float) else np.sqrt(js)


def renyi_divergence(p: ArrayLike, q: ArrayLike, alpha: float, *, base: float = 2,
                     axis: int = -1) -> Result:
    """Rényi divergence of order `alpha`, ``1/(alpha-1) log sum_x p(x)^alpha q(x)^(1-alpha)``.

    Defined for every ``alpha`` in ``[0, inf]`` through its limits:

    * ``alpha = 0``: ``-log Q(p > 0)``, minus the log of the mass `q` puts on
      the support of `p`;
    * ``alpha = 1``: the KL divergence ``D(p || q)``;
    * ``alpha = inf``: ``log max_{p(x) > 0} p(x) / q(x)``.

    Non-decreasing in `alpha`, and continuous at 1: the sum is evaluated as
    ``log1p(sum p * expm1((alpha-1) log(p/q))) / (alpha-1)``, which keeps full
    precision as alpha approaches 1.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    alpha : float
        Order, a number in ``[0, inf]`` (``np.inf`` allowed).
    base : float, optional
        Logarithm base, 2 (bits) by default.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``D_alpha(p || q) >= 0`` (may be ``inf``).

    Examples
    --------
    >>> from klcourse import renyi_divergence, kl_divergence
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> round(renyi_divergence(p, q, 1), 4) == round(kl_divergence(p, q), 4)
    True
    >>> [round(renyi_divergence(p, q, a), 4) for a in (0, 0.5, 2, float("inf"))]
    [0.0, 0.3219, 1.4739, 2.3219]
    """
    func = "renyi_divergence"
    lb = _log_base(base, func)
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"{func}: alpha must be a real number in [0, inf], got {alpha!r}")
    a = float(alpha)
    if math.isnan(a) or a < 0:
        raise ValueError(f"{func}: alpha must be in [0, inf] (np.inf allowed), got {alpha!r}")
    pa = _prepare(p, "p", func, axis)
    qa = _prepare(q, "q", func, axis)
    _same_shape(pa, qa, func)
    if a == 1:
        return _finish(_kl_nats(pa, qa, func, axis=axis), lb)
    _check_entries_and_sums(pa, "p", func, axis)
    _check_entries_and_sums(qa, "q", func, axis)
    support = pa > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # r = log(p/q) on the support of p (+inf where q = 0), 0 elsewhere.
        r = np.where(support, np.log(np.where(support, pa, 1.0)) - np.log(qa), 0.0)
        if math.isinf(a):
            out = np.max(np.where(support, r, -np.inf), axis=-1)
            return _finish(out, lb)
        t = a - 1.0
        tr = np.where(support, t * r, -np.inf)
        m = np.max(tr, axis=-1, keepdims=True)
        finite_m = np.where(np.isfinite(m), m, 0.0)
        if np.all(m <= 1.0):
            # log sum p e^{t r} = log1p(sum p (e^{t r} - 1)); exact near t = 0.
            s = np.sum(np.where(support, pa * np.expm1(tr), 0.0), axis=-1)
            log_sum = np.log1p(np.maximum(s, -1.0))
            # Far from t = 0 (alpha < 1 and huge ratios) the sum is near -1 and
            # log1p would lose it: use the shifted sum there instead.
            far = s < -0.5
            if np.any(far):
                shifted = np.sum(np.where(support, pa * np.exp(tr - finite_m), 0.0), axis=-1)
                log_sum = np.where(far, np.log(shifted) + finite_m[..., 0], log_sum)
        else:
            # Large exponents: log-sum-exp shifted by the maximum.
            s = np.sum(np.where(support, pa * np.exp(tr - finite_m), 0.0), axis=-1)
            log_sum = np.log(s) + finite_m[..., 0]
        out = log_sum / t
        # alpha > 1 and some q(x) = 0 < p(x): the divergence is infinite.
        if t > 0:
            out = np.where(np.any(support & (qa == 0), axis=-1), np.inf, out)
        else:
            out = np.where(np.isnan(out), np.inf, out)
    return _finish(out, lb)


def binary_entropy(x: ArrayLike, *, base: float = 2) -> Result:
    """Entropy of a coin with bias `x`: ``h(x) = -x log x - (1-x) log(1-x)``.

    Vectorised over `x`; ``h(0) = h(1) = 0`` and ``h(1/2) = 1`` bit.

    Parameters
    ----------
    x : array_like
        Probability (or probabilities) of heads, each in ``[0, 1]``.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    float or ndarray
        A float for scalar `x`, else an array of the same shape.

    Examples
    --------
    >>> from klcourse import binary_entropy
    >>> binary_entropy(0.5)
    1.0
    >>> binary_entropy([0.0, 0.11, 1.0]).round(3).tolist()
    [0.0, 0.5, 0.0]
    """
    func = "binary_entropy"
    lb = _log_base(base, func)
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{func}: x must be a number or an array of numbers in [0, 1], got {x!r}")
    arr = arr.astype(np.float64, copy=False)
    if arr.size == 0:
        raise ValueError(f"{func}: x is empty")
    bad = ~((arr >= 0) & (arr <= 1))
    if bad.any():
        raise ValueError(
            f"{func}: x must lie in [0, 1] (a probability), got {arr[bad].ravel()[0]!r}"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(arr * np.log(arr) + (1 - arr) * np.log1p(-arr))
    h = np.where((arr == 0) | (arr == 1), 0.0, h)
    return _finish(h, lb)


def mutual_information(joint: ArrayLike, *, base: float = 2) -> float:
    """Mutual information ``I(X; Y)`` of a 2-D joint probability table.

    Mutual information is a KL divergence: ``I(X; Y) = D(P_XY || P_X P_Y)``,
    the extra bits paid by a model that treats X and Y as independent. It is
    computed exactly that way.

    Parameters
    ----------
    joint : array_like, shape (nx, ny)
        ``joint[i, j] = P(X = i, Y = j)``; all entries sum to 1.
    base : float, optional
        Logarithm base, 2 (bits) by default.

    Returns
    -------
    float
        ``I(X; Y) >= 0``, zero exactly when X and Y are independent.

    Examples
    --------
    Two copies of one fair bit share one bit:

    >>> from klcourse import mutual_information
    >>> mutual_information([[0.5, 0.0], [0.0, 0.5]])
    1.0
    >>> mutual_information([[0.25, 0.25], [0.25, 0.25]])
    0.0
    """
    func = "mutual_information"
    lb = _log_base(base, func)
    arr = _as_float_array(joint, "joint", func)
    if arr.ndim != 2:
        raise ValueError(
            f"{func}: joint must be a 2-D table P(X=i, Y=j), got {arr.ndim} dimension(s) "
            f"with shape {arr.shape}"
        )
    flat = arr.ravel()
    _check_entries_and_sums(flat, "joint", func, -1)
    # D(P_XY || P_X P_Y) summed over the support of the joint. In log space,
    # so that a product of tiny marginals cannot underflow to 0 (which would
    # turn the divergence into a spurious inf).
    px, py = arr.sum(axis=1), arr.sum(axis=0)
    i, j = np.nonzero(arr)
    pxy = arr[i, j]
    mi = float(np.sum(pxy * (np.log(pxy) - np.log(px[i]) - np.log(py[j]))))
    return float(_finish(mi, lb))


def normalize(counts: ArrayLike, *, axis: int = -1) -> NDArray[np.float64]:
    """Turn non-negative counts (or weights) into probabilities along `axis`.

    Integer counts of any size are divided exactly (no overflow, even beyond
    64 bits). This is the only function in klcourse that rescales anything.

    Parameters
    ----------
    counts : array_like
        Non-negative, finite counts or weights; each slice along `axis` must
        have a positive total.
    axis : int, optional
        Axis along which each distribution lies.

    Returns
    -------
    ndarray of float64
        Same shape as `counts`, summing to 1 along `axis`.

    Examples
    --------
    >>> from klcourse import normalize
    >>> normalize([1, 1, 2])
    array([0.25, 0.25, 0.5 ])
    >>> normalize([[3, 1], [0, 5]])
    array([[0.75, 0.25],
           [0.  , 1.  ]])
    """
    func = "normalize"
    arr = np.asarray(counts)
    if arr.dtype.kind == "O":
        return _normalize_python_ints(arr, axis, func)
    if arr.dtype.kind in "iu":
        # Convert before summing: an int64 total can overflow.
        arr = arr.astype(np.float64)
    farr = _prepare(arr, "counts", func, axis)
    problem = _entry_problem(farr, "counts", func)
    if problem is not None:
        raise ValueError(str(problem).replace("probabilities", "counts"))
    with np.errstate(over="ignore"):
        totals = farr.sum(axis=-1, keepdims=True)
    if not np.all(totals > 0):
        raise ValueError(
            f"{func}: counts along axis {axis} sum to 0 "
            "(all zero); there is no distribution to normalise"
        )
    if not np.all(np.isfinite(totals)):
        scale = farr.max(axis=-1, keepdims=True)
        out = (farr / scale) / (farr / scale).sum(axis=-1, keepdims=True)
    else:
        out = farr / totals
    return np.moveaxis(out, -1, axis) if axis not in (-1, out.ndim - 1) else out


def _normalize_python_ints(arr: NDArray, axis: int, func: str) -> NDArray[np.float64]:
    """Exact normalisation of arbitrarily large Python integers."""
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in arr.flat):
        try:
            return normalize(arr.astype(np.float64), axis=axis)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ValueError) and func in str(exc):
                raise
            raise TypeError(f"{func}: counts must be numbers, got dtype {arr.dtype}") from None
    if arr.ndim == 0 or arr.size == 0:
        _as_float_array(arr.astype(np.float64) if arr.size else np.array([]), "counts", func)
    moved = np.moveaxis(arr, axis, -1)
    out = np.empty(moved.shape, dtype=np.float64)
    for idx in np.ndindex(moved.shape[:-1]):
        row = [int(v) for v in moved[idx]]
        if any(v < 0 for v in row):
            raise ValueError(f"{func}: counts has a negative entry; counts must be >= 0")
        total = sum(row)
        if total == 0:
            raise ValueError(f"{func}: counts along axis {axis} sum to 0 (all zero); "
                             "there is no distribution to normalise")
        out[idx] = [v / total for v in row]  # int / int is correctly rounded
    return np.moveaxis(out, -1, axis)


# ---------------------------------------------------------------- f-divergences
#
# D_f(p || q) = sum_x q(x) f(p(x) / q(x)) for a convex f with f(1) = 0.
# Units: a generator written with natural logarithms (KL, Jensen-Shannon, ...)
# gives nats, converted to `base` like every other measure here. A generator
# without a logarithm (total variation, Hellinger, chi-squared) gives a pure
# number that is the same in every base, so `base` cannot change it; the
# named members of that kind therefore take no `base` argument at all.


@dataclass(frozen=True)
class FGenerator:
    """The generator ``f`` of an f-divergence, with its two boundary limits.

    ``D_f(p || q) = sum_x q(x) f(p(x) / q(x))`` needs ``f`` only at ratios
    ``t = p/q > 0``. The outcomes where ``p`` or ``q`` vanishes use limits:

    * ``q(x) > 0 = p(x)`` contributes ``q(x) * f(0+)`` (`f_at_zero`);
    * ``p(x) > 0 = q(x)`` contributes ``p(x) * lim_{t->inf} f(t)/t``
      (`slope_at_infinity`), the limit of ``q f(p/q)`` as ``q -> 0``;
    * ``p(x) = q(x) = 0`` contributes 0 (the outcome is impossible under both).

    Parameters
    ----------
    f : callable
        Convex on ``t > 0`` with ``f(1) = 0``, vectorised: called with a float64
        array of ratios, it returns an array of the same shape (use ``np.log``,
        not ``math.log``).
    logarithmic : bool
        True when `f` is written with natural logarithms: the divergence is
        then in nats and ``base=`` converts it. False for a log-free generator:
        the divergence is a pure number, the same in every base.
    f_at_zero : float or None, optional
        ``lim_{t->0+} f(t)``, possibly ``inf``. None: use ``f(0.0)`` (which
        must then be the limit, not NaN).
    slope_at_infinity : float or None, optional
        ``lim_{t->inf} f(t)/t``, possibly ``inf``. None: unknown, and an input
        with ``p(x) > 0 = q(x)`` is refused instead of guessed.
    name : str, optional
        Used in error messages.
    term : callable or None, optional
        ``term(p, q)``: ``q f(p/q)`` for arrays with ``p, q > 0``, computed
        without forming ``p/q`` (e.g. ``p * (log p - log q)`` for KL). Optional;
        it keeps full accuracy when ``q`` is so small (subnormal) that ``p/q``
        overflows. Without it such an input is refused unless
        `slope_at_infinity` is finite.

    Examples
    --------
    The KL generator ``t log t``, declared by hand (it is also built in as
    ``F_GENERATORS["kl"]``):

    >>> import numpy as np
    >>> from klcourse.measures import FGenerator, f_divergence
    >>> g = FGenerator(lambda t: t * np.log(t), logarithmic=True, f_at_zero=0.0,
    ...                slope_at_infinity=np.inf, name="t log t")
    >>> round(f_divergence([0.5, 0.5], [0.9, 0.1], g), 4)
    0.737
    """

    f: Callable[[NDArray[np.float64]], Any]
    logarithmic: bool
    f_at_zero: float | None = None
    slope_at_infinity: float | None = None
    name: str = "f"
    term: Callable[[NDArray[np.float64], NDArray[np.float64]], Any] | None = None


def _log_ratio(p: NDArray, q: NDArray) -> NDArray:
    return np.log(p) - np.log(q)


def _kl_gen(t: NDArray) -> NDArray:
    return t * np.log(t)


def _reverse_kl_gen(t: NDArray) -> NDArray:
    return -np.log(t)


def _jeffreys_gen(t: NDArray) -> NDArray:
    return (t - 1.0) * np.log(t)


def _js_gen(t: NDArray) -> NDArray:
    # JS(p, q) = sum q f(p/q) with f(t) = (t log(2t/(1+t)) + log(2/(1+t))) / 2.
    return 0.5 * (t * np.log(2.0 * t / (1.0 + t)) + np.log(2.0 / (1.0 + t)))


def _tv_gen(t: NDArray) -> NDArray:
    return 0.5 * np.abs(t - 1.0)


def _hellinger_gen(t: NDArray) -> NDArray:
    return 0.5 * (np.sqrt(t) - 1.0) ** 2


def _chi2_gen(t: NDArray) -> NDArray:
    return (t - 1.0) ** 2


def _neyman_chi2_gen(t: NDArray) -> NDArray:
    return (t - 1.0) ** 2 / t


_LOG2 = math.log(2)

#: The built-in generators, by name. Each passes ``f_divergence`` the limits
#: ``f(0+)`` and ``lim f(t)/t``, so zeros in `p` or `q` are handled exactly.
F_GENERATORS: dict[str, FGenerator] = {
    "kl": FGenerator(_kl_gen, True, 0.0, math.inf, "kl: t log t",
                     lambda p, q: p * _log_ratio(p, q)),
    "reverse_kl": FGenerator(_reverse_kl_gen, True, math.inf, 0.0, "reverse_kl: -log t",
                             lambda p, q: q * _log_ratio(q, p)),
    "jeffreys": FGenerator(_jeffreys_gen, True, math.inf, math.inf, "jeffreys: (t-1) log t",
                           lambda p, q: (p - q) * _log_ratio(p, q)),
    "js": FGenerator(_js_gen, True, 0.5 * _LOG2, 0.5 * _LOG2,
                     "js: (t log(2t/(1+t)) + log(2/(1+t))) / 2",
                     lambda p, q: 0.5 * (p * _log_ratio(2 * p, p + q) + q * _log_ratio(2 * q, p + q))),
    "tv": FGenerator(_tv_gen, False, 0.5, 0.5, "tv: |t-1| / 2",
                     lambda p, q: 0.5 * np.abs(p - q)),
    "hellinger_squared": FGenerator(_hellinger_gen, False, 0.5, 0.5,
                                    "hellinger_squared: (sqrt(t)-1)^2 / 2",
                                    lambda p, q: 0.5 * (np.sqrt(p) - np.sqrt(q)) ** 2),
    "chi2": FGenerator(_chi2_gen, False, 1.0, math.inf, "chi2: (t-1)^2",
                       lambda p, q: (p - q) ** 2 / q),
    "neyman_chi2": FGenerator(_neyman_chi2_gen, False, math.inf, 1.0, "neyman_chi2: (t-1)^2 / t",
                              lambda p, q: (p - q) ** 2 / p),
}

# Ratios at which a generator is spot-checked for f(1) = 0 and convexity.
_CONVEXITY_GRID = np.unique(np.concatenate([np.geomspace(1e-3, 1e3, 48), [1.0]]))


def _call_generator(gen: FGenerator, t: NDArray, func: str) -> NDArray[np.float64]:
    """Evaluate gen.f on an array of ratios, refusing non-vectorised or NaN output."""
    try:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = np.asarray(gen.f(t), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{func}: calling the generator {gen.name!r} on an array of ratios failed ({exc}); "
            "f must be vectorised: use numpy functions such as np.log and np.abs, "
            "not math.log or if/else on t"
        ) from exc
    if out.shape != t.shape:
        raise TypeError(
            f"{func}: the generator {gen.name!r} returned shape {out.shape} for ratios of "
            f"shape {t.shape}; f must be vectorised (elementwise on an array)"
        )
    return out


def _call_term(gen: FGenerator, p: NDArray, q: NDArray, func: str) -> NDArray[np.float64]:
    """Evaluate gen.term(p, q) (p, q > 0), refusing NaN or a wrong shape."""
    out = np.asarray(gen.term(p, q), dtype=np.float64)  # type: ignore[misc]
    if out.shape != p.shape:
        raise TypeError(f"{func}: term of the generator {gen.name!r} returned shape {out.shape} "
                        f"for inputs of shape {p.shape}; it must be elementwise")
    if np.isnan(out).any():
        raise ValueError(f"{func}: term of the generator {gen.name!r} returned NaN; "
                         "it must be defined for every p, q > 0")
    return out


def _resolve_generator(f: Any, func: str) -> FGenerator:
    if isinstance(f, FGenerator):
        return f
    if isinstance(f, str):
        try:
            return F_GENERATORS[f]
        except KeyError:
            close = difflib.get_close_matches(f, list(F_GENERATORS), n=2)
            tip = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ValueError(
                f"{func}: unknown generator {f!r}; the built-in ones are "
                f"{', '.join(map(repr, F_GENERATORS))}, or pass an FGenerator.{tip}"
            ) from None
    if callable(f):
        raise TypeError(
            f"{func}: a plain function does not say whether it is written with a logarithm, "
            "so base= cannot be applied safely; wrap it: FGenerator(f, logarithmic=True) "
            "(natural logs; the result is converted from nats to base) or "
            "FGenerator(f, logarithmic=False) (no logarithm; base has no effect), "
            "adding slope_at_infinity=lim f(t)/t if q has zeros where p does not"
        )
    raise TypeError(f"{func}: f must be a generator name such as 'kl' or an FGenerator, "
                    f"got {f!r}")


def _check_generator(gen: FGenerator, func: str) -> float:
    """Spot-check f(1) = 0 and convexity on a grid; return f(0+)."""
    t = _CONVEXITY_GRID
    vals = _call_generator(gen, t, func)
    f1 = float(vals[np.searchsorted(t, 1.0)])
    if not abs(f1) <= 1e-12:
        raise ValueError(
            f"{func}: the generator {gen.name!r} has f(1) = {f1:g}, not 0; "
            "subtract the constant (use f(t) - f(1)) so that D_f(p || p) = 0"
        )
    if not np.all(np.isfinite(vals)):
        bad = t[~np.isfinite(vals)][0]
        raise ValueError(f"{func}: the generator {gen.name!r} is not finite at t = {bad:g}; "
                         "f must be finite for every ratio t > 0")
    slopes = np.diff(vals) / np.diff(t)
    dips = np.diff(slopes) < -1e-8 * (1.0 + np.abs(slopes[:-1]) + np.abs(slopes[1:]))
    if dips.any():
        where = float(t[1:-1][dips][0])
        raise ValueError(
            f"{func}: the generator {gen.name!r} is not convex (its slope decreases near "
            f"t = {where:g}); an f-divergence needs a convex f, otherwise the sum can be "
            "negative and is not a divergence"
        )
    if gen.f_at_zero is not None:
        f0 = float(gen.f_at_zero)
    else:
        f0 = float(_call_generator(gen, np.zeros(1), func)[0])
    if math.isnan(f0) or f0 == -math.inf:
        raise ValueError(
            f"{func}: the generator {gen.name!r} gives f(0) = {f0}; give the limit of f(t) "
            "as t -> 0+ with FGenerator(..., f_at_zero=...) (it may be inf)"
        )
    if gen.slope_at_infinity is not None and math.isnan(float(gen.slope_at_infinity)):
        raise ValueError(f"{func}: slope_at_infinity of {gen.name!r} is NaN; give "
                         "lim f(t)/t as t -> inf (it may be inf) or None if unknown")
    return f0


def f_divergence(p: ArrayLike, q: ArrayLike, f: str | FGenerator, *, base: float = 2,
                 axis: int = -1) -> Result:
    """The f-divergence ``D_f(p || q) = sum_x q(x) f(p(x) / q(x))``.

    For a convex generator ``f`` with ``f(1) = 0``, Jensen's inequality gives
    ``D_f(p || q) >= 0`` with equality when ``p = q``. Different generators
    give KL (``t log t``), reverse KL (``-log t``), Jensen-Shannon, total
    variation (``|t - 1| / 2``), squared Hellinger (``(sqrt(t) - 1)^2 / 2``) and
    Pearson's chi-squared (``(t - 1)^2``); see :data:`F_GENERATORS`.

    Conventions where a probability vanishes (the limits of ``q f(p/q)``):

    * ``p(x) = q(x) = 0``: contributes 0 (``0 f(0/0) = 0``);
    * ``q(x) > 0 = p(x)``: contributes ``q(x) f(0+)``, ``inf`` if ``f(0+)`` is
      (reverse KL of a `p` that misses part of `q`'s support);
    * ``p(x) > 0 = q(x)``: contributes ``p(x) lim_{t->inf} f(t)/t``, ``inf``
      for KL and chi-squared, ``p(x)/2`` for total variation and Hellinger.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`, validated as everywhere
        in :mod:`klcourse.measures` (never broadcast or renormalised).
    f : str or FGenerator
        A name from :data:`F_GENERATORS` (``"kl"``, ``"reverse_kl"``,
        ``"jeffreys"``, ``"js"``, ``"tv"``, ``"hellinger_squared"``, ``"chi2"``,
        ``"neyman_chi2"``) or an :class:`FGenerator`. A plain function is
        refused: it does not say whether it contains a logarithm, which decides
        what `base` means.
    base : float, optional
        For a logarithmic generator (natural logs inside ``f``), the base of the
        result's unit: 2 (bits, the default) or ``np.e`` (nats). A generator
        without a logarithm gives a pure number, identical for every base.
    axis : int, optional
        Axis holding the distributions; other axes are a batch.

    Returns
    -------
    float or ndarray
        ``D_f(p || q) >= 0``, possibly ``inf``.

    Raises
    ------
    ValueError
        Invalid distributions; a generator with ``f(1) != 0``, non-convex on a
        spot-check grid, NaN at 0; ``p(x) > 0 = q(x)`` with an unknown
        ``slope_at_infinity``; ``q f(p/q)`` overflowing for a tiny ``q`` with a
        generator that has neither a ``term`` nor a finite slope at infinity.
    TypeError
        Non-numeric input, a plain function or a non-vectorised generator.

    Examples
    --------
    >>> from klcourse.measures import f_divergence, kl_divergence, total_variation
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> round(f_divergence(p, q, "kl"), 12) == round(kl_divergence(p, q), 12)
    True
    >>> round(f_divergence(p, q, "tv"), 4), round(total_variation(p, q), 4)
    (0.4, 0.4)
    >>> f_divergence([0.5, 0.5], [1.0, 0.0], "kl")
    inf
    >>> f_divergence([1.0, 0.0], [0.0, 1.0], "js")
    1.0
    """
    func = "f_divergence"
    lb = _log_base(base, func)
    gen = _resolve_generator(f, func)
    pa = _prepare(p, "p", func, axis)
    qa = _prepare(q, "q", func, axis)
    _same_shape(pa, qa, func)
    _check_entries_and_sums(pa, "p", func, axis)
    _check_entries_and_sums(qa, "q", func, axis)
    f0 = _check_generator(gen, func)

    both = (pa > 0) & (qa > 0)
    only_q = (pa == 0) & (qa > 0)
    only_p = (pa > 0) & (qa == 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if gen.term is not None:
            terms = _call_term(gen, np.where(both, pa, 1.0), np.where(both, qa, 1.0), func)
            terms = np.where(both, terms, 0.0)
        else:
            t = np.where(both, pa / np.where(qa > 0, qa, 1.0), 1.0)
            vals = _call_generator(gen, t, func)
            if np.isnan(vals[both]).any():
                bad = float(t[both][np.isnan(vals[both])][0])
                raise ValueError(f"{func}: the generator {gen.name!r} returned NaN at the ratio "
                                 f"t = p/q = {bad:g}; f must be defined for every t > 0")
            terms = np.where(both, qa * vals, 0.0)
            # f is finite for t > 0, so an infinite ratio or value is an overflow
            # (q tiny): then q f(p/q) = p f(t)/t with t near the float range.
            overflow = both & (np.isinf(t) | np.isinf(vals))
            if overflow.any():
                s_inf = gen.slope_at_infinity
                if s_inf is None or math.isinf(float(s_inf)):
                    raise ValueError(
                        f"{func}: q f(p/q) overflows in floating point (q = "
                        f"{float(qa[overflow][0]):g} at index {_index(qa, overflow)}) and the "
                        f"generator {gen.name!r} has no finite slope_at_infinity to take the "
                        "limit; give FGenerator(..., term=...) computing q f(p/q) without "
                        "the ratio"
                    )
                terms = np.where(overflow, pa * float(s_inf), terms)
        if only_q.any():
            terms = np.where(only_q, qa * f0 if f0 != math.inf else math.inf, terms)
        if only_p.any():
            if gen.slope_at_infinity is None:
                raise ValueError(
                    f"{func}: q is 0 where p > 0 (q at index {_index(qa, only_p)}); the term "
                    "there is p * lim f(t)/t as t -> inf, which the generator "
                    f"{gen.name!r} does not declare: pass FGenerator(..., "
                    "slope_at_infinity=...) (inf for KL-like generators)"
                )
            s = float(gen.slope_at_infinity)
            terms = np.where(only_p, pa * s if s != math.inf else math.inf, terms)
        out = terms.sum(axis=-1)
    # Jensen gives D_f >= f(sum p / sum q) sum q, which is 0 only when both
    # sums are exactly 1: allow |f'(1)| times their (validated, tiny)
    # difference, plus round-off in the terms, before calling f non-convex.
    h = 1e-4
    near_one = _call_generator(gen, np.array([1.0 - h, 1.0 + h]), func)
    slope_at_one = float(np.max(np.abs(near_one))) / h
    scale = np.abs(terms).sum(axis=-1)
    sum_gap = np.abs(pa.sum(axis=-1) - qa.sum(axis=-1)) + 4 * pa.shape[-1] * np.finfo(float).eps
    allowance = (slope_at_one * sum_gap
                 + 1e-9 * np.where(np.isfinite(scale), scale, 0.0) + 1e-300)
    if np.any(out < -allowance):
        raise ValueError(f"{func}: the generator {gen.name!r} gave a negative divergence; "
                         "it cannot be convex with f(1) = 0")
    return _finish(out, lb if gen.logarithmic else 1.0)


def _pair(p: ArrayLike, q: ArrayLike, func: str, axis: int) -> tuple[NDArray, NDArray]:
    pa = _prepare(p, "p", func, axis)
    qa = _prepare(q, "q", func, axis)
    _same_shape(pa, qa, func)
    _check_entries_and_sums(pa, "p", func, axis)
    _check_entries_and_sums(qa, "q", func, axis)
    return pa, qa


def total_variation(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Total variation distance ``TV(p, q) = sum_x |p(x) - q(x)| / 2 = max_A |P(A) - Q(A)|``.

    The largest difference in probability the two distributions give any
    event; a metric with values in ``[0, 1]`` (1 exactly for disjoint
    supports). It is the f-divergence of ``f(t) = |t - 1| / 2``. There is no
    logarithm, so the value has no unit and there is no `base` argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= TV(p, q) <= 1``.

    Examples
    --------
    >>> from klcourse.measures import total_variation
    >>> round(total_variation([0.5, 0.5], [0.9, 0.1]), 4)
    0.4
    >>> total_variation([1.0, 0.0], [0.0, 1.0])
    1.0
    """
    pa, qa = _pair(p, q, "total_variation", axis)
    return _finish(0.5 * np.abs(pa - qa).sum(axis=-1), 1.0, upper=1.0)


def hellinger_squared(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Squared Hellinger distance ``H^2(p, q) = 1 - sum_x sqrt(p(x) q(x))``.

    Normalised to lie in ``[0, 1]``: ``H^2 = sum_x (sqrt(p) - sqrt(q))^2 / 2 =
    1 - BC(p, q)``, with ``BC`` the Bhattacharyya coefficient (some texts drop
    the 1/2 and get values in ``[0, 2]``). The f-divergence of
    ``f(t) = (sqrt(t) - 1)^2 / 2``. Computed as the sum of squares, which stays
    accurate when `p` and `q` are close (``1 - BC`` would cancel). No logarithm,
    so no `base` argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= H^2 <= 1`` (1 exactly for disjoint supports).

    Examples
    --------
    >>> from klcourse.measures import hellinger_squared
    >>> round(hellinger_squared([0.5, 0.5], [0.9, 0.1]), 4)
    0.1056
    >>> hellinger_squared([1.0, 0.0], [0.0, 1.0])
    1.0
    """
    pa, qa = _pair(p, q, "hellinger_squared", axis)
    h2 = 0.5 * ((np.sqrt(pa) - np.sqrt(qa)) ** 2).sum(axis=-1)
    return _finish(h2, 1.0, upper=1.0)


def hellinger_distance(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Hellinger distance ``H(p, q) = sqrt(1 - sum_x sqrt(p(x) q(x)))``, a metric in ``[0, 1]``.

    The square root of :func:`hellinger_squared` (same normalisation: the
    Euclidean distance between ``sqrt(p)`` and ``sqrt(q)`` divided by
    ``sqrt(2)``). No logarithm, so no `base` argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis`.
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``0 <= H <= 1``.

    Examples
    --------
    >>> from klcourse.measures import hellinger_distance
    >>> round(hellinger_distance([0.5, 0.5], [0.9, 0.1]), 4)
    0.325
    """
    pa, qa = _pair(p, q, "hellinger_distance", axis)
    h2 = np.asarray(_finish(0.5 * ((np.sqrt(pa) - np.sqrt(qa)) ** 2).sum(axis=-1), 1.0,
                            upper=1.0))
    return float(np.sqrt(h2)) if h2.ndim == 0 else np.sqrt(h2)


def chi2_divergence(p: ArrayLike, q: ArrayLike, *, axis: int = -1) -> Result:
    """Pearson's chi-squared divergence ``chi^2(p || q) = sum_x (p(x) - q(x))^2 / q(x)``.

    The f-divergence of ``f(t) = (t - 1)^2``; equal to ``sum p^2/q - 1``.
    Infinite where ``q(x) = 0 < p(x)``; outcomes with ``p(x) = q(x) = 0``
    contribute 0. Related to Rényi's order 2:
    ``D_2(p || q) = log(1 + chi^2(p || q))``. No logarithm, so no `base`
    argument.

    Parameters
    ----------
    p, q : array_like
        Distributions of the same shape along `axis` (`q` the reference).
    axis : int, optional
        Axis holding the distributions.

    Returns
    -------
    float or ndarray
        ``chi^2(p || q) >= 0``, possibly ``inf``.

    Examples
    --------
    >>> from klcourse.measures import chi2_divergence
    >>> round(chi2_divergence([0.5, 0.5], [0.9, 0.1]), 4)
    1.7778
    >>> chi2_divergence([0.5, 0.5], [1.0, 0.0])
    inf
    """
    pa, qa = _pair(p, q, "chi2_divergence", axis)
    # A tiny (subnormal) q can make a term overflow: the value is then inf, honestly.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        terms = np.where(qa > 0, (pa - qa) ** 2 / np.where(qa > 0, qa, 1.0),
                         np.where(pa > 0, np.inf, 0.0))
    return _finish(terms.sum(axis=-1), 1.0)

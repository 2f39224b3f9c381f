"""An exact arithmetic coder: narrow ``[low, high)`` by ``q(x)``, symbol after symbol.

The picture of notebook 02: ``[0, 1)`` is cut into one piece per symbol, the
piece of symbol ``x`` of width ``q(x)``, in the order ``0, 1, 2, ...``. Coding
a symbol narrows the current interval ``[low, high)`` to that symbol's piece of
it. After ``x_1 .. x_n`` the interval has width ``q(x_1) ... q(x_n)``, and a
binary fraction inside it, written with about ``sum_i -log2 q(x_i)`` bits,
names it. :func:`interval_steps` shows the narrowing exactly, with fractions.

:func:`arithmetic_encode` does the same on integers (Witten, Neal and Cleary,
1987):

* **The model as counts.** Each probability becomes a whole number of counts,
  ``round(q(x) * 2**B)``, with ``B`` chosen from the model so that even the
  least likely symbol gets at least ``2**32`` counts. So every probability,
  ``1e-12`` or ``1e-300`` alike, is kept to a relative error below ``2**-33``
  (a cost below ``1e-9`` bits per symbol); nothing is floored.
* **The interval** ``[low, high)`` is a range of integers inside ``[0, 4 Q)``,
  standing for ``[low / 4Q, high / 4Q)``; ``Q``, a quarter of the range, is
  the power of two just above the total count.
* **Zooming.** Once the interval lies in one half of the range, the next bit of
  every number in it is known: write it and double the interval. When it
  straddles the middle but lies in ``[1/4, 3/4)``, the next bit is not known
  yet, but whatever it is, the bit after it is its opposite: count a
  *pending* bit and double the interval around the middle. After zooming the
  interval is wider than a quarter of the range, so narrowing never loses more
  than ``2**-32`` of a symbol's piece (below ``1e-9`` bits).
* **The end.** At most two more bits (plus the pending ones) name a binary
  interval inside the final interval.
* **The length** goes first, in Elias's gamma code (:func:`length_prefix`,
  ``2 floor(log2(n + 1)) + 1`` bits), so the decoder knows how many symbols to
  read: a stream of 4 symbols is never decoded as 3 or 5.

So ``len(arithmetic_encode(x, q))`` is ``len(length_prefix(n))`` plus the
ideal length :func:`ideal_code_length` plus at most 2 bits. The decoder mirrors
the encoder, then re-encodes what it decoded and demands the very same bits, so
a truncated, extended or mismatched string is refused with a ``ValueError``.
What no near-optimal code can notice is a flipped bit that turns the string
into the code of *another* message: detecting that needs deliberate redundancy
(a checksum beside the code).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from fractions import Fraction
from itertools import accumulate, chain, repeat

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse._validation import _check_bits, _check_symbol_count
from klcourse.coding import validate_distribution

__all__ = ["interval_steps", "integer_model", "length_prefix", "arithmetic_encode",
           "arithmetic_decode", "ideal_code_length"]

#: The least likely symbol gets at least ``2**MIN_COUNT_BITS`` counts.
MIN_COUNT_BITS = 32


def interval_steps(message: ArrayLike, q: ArrayLike) -> list[tuple[int, Fraction, Fraction]]:
    """The narrowing of ``[0, 1)`` by each symbol of `message`, exactly, with fractions.

    Symbol ``x`` owns the piece ``[c(x), c(x) + q(x))`` of ``[0, 1)``, where
    ``c(x) = q(0) + ... + q(x - 1)``. Coding ``x`` narrows the current interval
    to the same piece of it::

        low, high = low + (high - low) * c(x), low + (high - low) * (c(x) + q(x))

    so the final width is ``q(x_1) ... q(x_n)`` and ``-log2`` of it is the
    ideal code length. This is what :func:`arithmetic_encode` computes on
    integers.

    Parameters
    ----------
    message : array_like of int
        Symbol indices into `q`.
    q : array_like
        The model. Floats are read as the decimals they print as (``0.1`` is
        ``1/10``); pass :class:`fractions.Fraction` entries for values such
        as ``1/3``.

    Returns
    -------
    list of (symbol, low, high)
        The interval after each symbol, as fractions.

    Examples
    --------
    >>> for x, low, high in interval_steps([0, 0, 1, 0], [0.75, 0.25]):
    ...     print(x, low, high)
    0 0 3/4
    0 0 9/16
    1 27/64 9/16
    0 27/64 135/256
    >>> _, low, high = interval_steps([0, 0, 1, 0], [0.75, 0.25])[-1]
    >>> high - low == Fraction(3, 4) ** 3 * Fraction(1, 4)   # the product of q(x_i)
    True
    """
    func = "interval_steps"
    syms = _symbols(message, validate_distribution(q, "q", func), func)
    exact = [v if isinstance(v, Fraction) else Fraction(str(v)) for v in np.asarray(q).tolist()]
    starts = [Fraction(0), *accumulate(exact)][:-1]     # c(x) = q(0) + ... + q(x - 1)
    low, high = Fraction(0), Fraction(1)
    steps = []
    for x in syms:
        width = high - low
        low, high = low + width * starts[x], low + width * (starts[x] + exact[x])
        steps.append((x, low, high))
    return steps


def integer_model(probs: ArrayLike) -> tuple[list[int], int]:
    """The model as integer counts: cumulative counts ``cum`` and their total.

    Symbol ``x`` gets ``round(q(x) * 2**B)`` counts, ``B`` chosen so that the
    least likely possible symbol gets at least ``2**32``; ``cum[x]`` is the sum
    of the counts of the symbols before ``x`` (``cum[0] = 0``,
    ``cum[-1] = total``). The coder then codes with ``counts / total``, equal to
    ``q`` within a relative error of ``2**-33``.

    Parameters
    ----------
    probs : array_like
        The model distribution.

    Returns
    -------
    cum : list of int
        ``len(probs) + 1`` cumulative counts.
    total : int
        ``cum[-1]``.

    Examples
    --------
    >>> cum, total = integer_model([0.75, 0.25])
    >>> [c / total for c in cum]
    [0.0, 0.75, 1.0]
    >>> cum, total = integer_model([1 - 1e-12, 1e-12])    # kept, not floored
    >>> round((cum[2] - cum[1]) / total / 1e-12, 12)
    1.0
    """
    q = validate_distribution(probs, "probs", "integer_model")
    B = MIN_COUNT_BITS + math.ceil(-math.log2(q[q > 0].min()))
    counts = [round(Fraction(float(p)) * 2**B) for p in q]
    cum = [0]
    for c in counts:
        cum.append(cum[-1] + c)
    return cum, cum[-1]


def length_prefix(n: int) -> str:
    """Elias's gamma code of ``n + 1``: how :func:`arithmetic_encode` sends the length.

    ``n + 1`` written in binary (``k`` bits) after ``k - 1`` zeros, so the
    decoder can tell where it ends: ``2 floor(log2(n + 1)) + 1`` bits.

    Parameters
    ----------
    n : int
        The number of symbols, >= 0.

    Returns
    -------
    str
        The prefix, a string of ``'0'``/``'1'``.

    Examples
    --------
    >>> [length_prefix(n) for n in range(4)]
    ['1', '010', '011', '00100']
    >>> len(length_prefix(100_000))
    33
    """
    m = _check_symbol_count(n, "length_prefix") + 1
    return "0" * (m.bit_length() - 1) + format(m, "b")


def arithmetic_encode(symbols: ArrayLike, probs: ArrayLike, *, checksum: bool = False) -> str:
    """Encode a sequence of symbol indices with the model `probs`.

    Parameters
    ----------
    symbols : array_like of int
        1-D sequence of indices into `probs`.
    probs : array_like
        The model: a 1-D distribution over the alphabet ``0..len(probs)-1``.
    checksum : bool, optional
        Only False: the CRC-32 option was removed (see the module notes).

    Returns
    -------
    str
        The code as a string of ``'0'``/``'1'``: :func:`length_prefix` of the
        number of symbols, then the interval's bits. Its length is
        ``len(length_prefix(n)) + ideal_code_length(symbols, probs)`` plus at
        most 2 bits.

    Raises
    ------
    ValueError
        If `probs` is not a distribution, or a symbol is out of range or has
        probability 0 under the model.
    TypeError
        If `symbols` are not integers.

    Examples
    --------
    >>> bits = arithmetic_encode([0, 0, 1, 0], [0.75, 0.25])
    >>> bits, length_prefix(4), round(ideal_code_length([0, 0, 1, 0], [0.75, 0.25]), 3)
    ('001010111', '00101', 3.245)
    >>> bits[len(length_prefix(4)):]    # binary 0.0111 = 7/16: inside the last interval
    '0111'
    >>> arithmetic_decode(bits, [0.75, 0.25]).tolist()
    [0, 0, 1, 0]

    The last interval of :func:`interval_steps` is ``[27/64, 135/256)``, and
    every continuation of ``0.0111`` (from 7/16 to 1/2) lies inside it.
    """
    func = "arithmetic_encode"
    _refuse_checksum(checksum, func)
    q = validate_distribution(probs, "probs", func)
    syms = _symbols(symbols, q, func)
    cum, total = integer_model(q)
    return length_prefix(len(syms)) + _interval_bits(syms, cum, total)


def _interval_bits(symbols: list[int], cum: list[int], total: int) -> str:
    """The coding loop (inputs validated): narrow, zoom, and finally name a point."""
    quarter = 1 << total.bit_length()    # a power of two above total (so about 2**B)
    half, whole = 2 * quarter, 4 * quarter
    low, high, pending = 0, whole, 0
    out: list[str] = []
    for x in symbols:
        # narrow [low, high) to the piece of symbol x: [c(x), c(x + 1)) of it
        width = high - low
        low, high = low + width * cum[x] // total, low + width * cum[x + 1] // total
        while True:
            if high <= half:                       # in the lower half: the next bit is 0
                out.append("0" + "1" * pending)
                pending = 0
            elif low >= half:                      # in the upper half: the next bit is 1
                out.append("1" + "0" * pending)
                pending = 0
                low, high = low - half, high - half
            elif quarter <= low and high <= 3 * quarter:   # around the middle: pending
                pending += 1
                low, high = low - quarter, high - quarter
            else:
                break
            low, high = 2 * low, 2 * high          # zoom in
    # the end: the shortest bits whose whole interval (all their continuations)
    # lies inside [low, high); pending bits need at least one bit to settle them
    if low == 0 and high == whole and not pending:
        end = ""                                   # [0, 1) itself
    elif low == 0:
        end = "0"                                  # [0, 1/2)
    elif high == whole:
        end = "1"                                  # [1/2, 1)
    else:                                          # [1/4, 1/2) or [1/2, 3/4)
        end = "01" if low <= quarter else "10"
    if end:
        out.append(end[0] + ("1" if end[0] == "0" else "0") * pending + end[1:])
    return "".join(out)


def arithmetic_decode(bits: str, probs: ArrayLike, n: int | None = None, *,
                      checksum: bool = False) -> NDArray[np.int64]:
    """Decode the symbols in `bits` made by :func:`arithmetic_encode` with `probs`.

    Parameters
    ----------
    bits : str
        String of ``'0'``/``'1'``.
    probs : array_like
        The same model used to encode.
    n : int, optional
        The number of symbols you expect; the stream carries its own count,
        and a different one is refused.
    checksum : bool, optional
        Only False: the CRC-32 option was removed.

    Returns
    -------
    ndarray of int64
        Exactly the encoded symbols.

    Raises
    ------
    ValueError
        If `bits` could not have been produced by the encoder with this model:
        truncated, extended, holding another number of symbols than `n`, or
        corrupted. The decoder re-encodes its result and compares, so it never
        returns a sequence whose code differs from `bits`. A corrupted string
        may still be the valid code of another sequence, which is then
        returned (no code near the ideal length has room to notice).
    TypeError
        If `bits` is not a str.

    Examples
    --------
    >>> arithmetic_decode('001010111', [0.75, 0.25]).tolist()
    [0, 0, 1, 0]
    >>> try:
    ...     arithmetic_decode('001010111', [0.75, 0.25], 3)
    ... except ValueError as err:
    ...     print(str(err)[:60])
    arithmetic_decode: the stream holds 4 symbols, but n=3 were
    """
    func = "arithmetic_decode"
    _refuse_checksum(checksum, func)
    q = validate_distribution(probs, "probs", func)
    _check_bits(bits, func, "arithmetic_encode")
    count, body = _read_length(bits, func)
    if n is not None and _check_symbol_count(n, func) != count:
        plural = "s" if count != 1 else ""
        raise ValueError(f"{func}: the stream holds {count} symbol{plural}, but n={n} were "
                         "expected; check that bits, probs and n are the ones used to encode")
    cum, total = integer_model(q)
    # fail fast: each symbol costs at least log2(total / largest count) bits
    least = count * (math.log2(total) - math.log2(max(np.diff(cum).tolist())))
    if least > len(body) + 1 + 1e-6 * count:
        raise _not_a_code(func, bits, count, f"{count} symbols need at least {least:.4g} bits "
                          f"under this model, the stream has {len(body)} after the length")
    out = _decode_interval(body, cum, total, count, func, bits)
    if _interval_bits(out, cum, total) != body:
        raise _not_a_code(func, bits, count, "re-encoding the decoded symbols gives different "
                          "bits, so the string is truncated, has extra bits, or is corrupted")
    return np.array(out, dtype=np.int64)


def _decode_interval(body: str, cum: list[int], total: int, n: int, func: str,
                     bits: str) -> list[int]:
    """The encoder's loop run backwards: find the piece holding `value`, then narrow."""
    quarter = 1 << total.bit_length()
    half, whole = 2 * quarter, 4 * quarter
    precision = whole.bit_length() - 1
    read = chain(map(int, body), repeat(0)).__next__     # after the last bit: zeros
    value = 0
    for _ in range(precision):
        value = 2 * value + read()
    low, high = 0, whole
    out = []
    for j in range(n):
        width = high - low
        # the symbol x with low + width * cum[x] // total <= value < (same with cum[x + 1])
        target = ((value - low + 1) * total - 1) // width
        if not 0 <= target < total:
            raise _not_a_code(func, bits, n, f"after {j} symbols the bits point outside "
                              "the interval")
        x = bisect_right(cum, target) - 1
        out.append(x)
        low, high = low + width * cum[x] // total, low + width * cum[x + 1] // total
        while True:
            if high <= half:
                pass
            elif low >= half:
                low, high, value = low - half, high - half, value - half
            elif quarter <= low and high <= 3 * quarter:
                low, high, value = low - quarter, high - quarter, value - quarter
            else:
                break
            low, high, value = 2 * low, 2 * high, 2 * value + read()
    return out


def _read_length(bits: str, func: str) -> tuple[int, str]:
    """Split off the length prefix: (number of symbols, the interval's bits)."""
    zeros = len(bits) - len(bits.lstrip("0"))
    if 2 * zeros + 1 > len(bits):
        raise ValueError(f"{func}: these {len(bits)} bits end inside the length prefix the "
                         "encoder writes first, so they are not a code from arithmetic_encode "
                         "(truncated or corrupted)")
    return int(bits[zeros:2 * zeros + 1], 2) - 1, bits[2 * zeros + 1:]


def _symbols(symbols: ArrayLike, q: NDArray, func: str) -> list[int]:
    """Validated symbol indices as a list of ints."""
    arr = np.asarray(symbols)
    if arr.ndim != 1:
        raise ValueError(f"{func}: symbols must be a 1-D sequence of symbol indices, "
                         f"got shape {arr.shape}")
    if arr.size == 0:
        return []
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{func}: symbols must be integer indices into probs (0..{q.size - 1}), "
                        f"got dtype {arr.dtype}; map labels to indices first")
    lo, hi = int(arr.min()), int(arr.max())
    if lo < 0 or hi >= q.size:
        bad = lo if lo < 0 else hi
        raise ValueError(f"{func}: symbol index {bad} is outside 0..{q.size - 1} "
                         f"(probs has {q.size} entries)")
    zero = q[arr] == 0
    if zero.any():
        i = int(np.argmax(zero))
        raise ValueError(
            f"{func}: symbol {int(arr[i])} (at position {i}) has probability 0 under the "
            "model, so no code can represent it (its cost is infinite): give it a positive "
            "probability, e.g. by adding a pseudo-count before normalising")
    return arr.tolist()


def _refuse_checksum(checksum: object, func: str) -> None:
    if checksum is not False:
        raise ValueError(f"{func}: checksum={checksum!r}: the CRC-32 option was removed; the "
                         "coder is the bare code whose length the course measures. To detect "
                         "corrupted bits, store a checksum (e.g. zlib.crc32) beside the code")


def _not_a_code(func: str, bits: str, n: int, why: str) -> ValueError:
    return ValueError(f"{func}: these {len(bits)} bits are not the arithmetic code of {n} "
                      f"symbols under this model ({why}); check that bits and probs are the "
                      "ones used to encode")


def ideal_code_length(symbols: ArrayLike, probs: ArrayLike) -> float:
    """The ideal length ``sum_i -log2 probs[x_i]`` of a sequence, in bits.

    No code can do better on average; the arithmetic coder comes within 2 bits
    of it (plus the length prefix). Divided by the length of a long sample from
    ``p``, it tends to the cross-entropy ``H(p, q) = H(p) + D(p||q)``.

    Parameters
    ----------
    symbols : array_like of int
        Indices into `probs`.
    probs : array_like
        The model distribution.

    Examples
    --------
    >>> ideal_code_length([0, 1, 1], [0.5, 0.5])
    3.0
    """
    func = "ideal_code_length"
    q = validate_distribution(probs, "probs", func)
    syms = np.asarray(_symbols(symbols, q, func), dtype=np.int64)
    return float(np.sum(-np.log2(q[syms])))

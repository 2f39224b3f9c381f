"""An arithmetic (range) coder in exact integer arithmetic.

A prefix code spends a whole number of bits on every symbol; an arithmetic
coder does not. It narrows an interval inside ``[0, 1)`` by the model
probability of each symbol and finally writes the shortest binary fraction
that pins the last interval down, so a sequence ``x_1..x_n`` costs
``sum_i -log2 q(x_i)`` bits plus at most a few bits in total. On data from
``p`` coded with a model ``q`` that is ``H(p) + D(p||q)`` bits per symbol: the
KL divergence is the measured price of the wrong model.

How it works (all in Python integers, no floating point after set-up)
-----------------------------------------------------------------------
* The model is quantised once: each probability becomes an integer frequency
  out of ``2**32`` (every positive probability gets at least 1), so the
  coded length differs from the ideal one by about ``2**-32 / q(x)`` bits per
  symbol: invisible at the scales of this course.
* The interval is a 64-bit window ``[low, low + range)``. For a symbol with
  cumulative frequency ``c`` and frequency ``f``: ``r = range >> 32``,
  ``low += r * c``, ``range = r * f``. When ``range`` falls below ``2**56`` the
  top byte of ``low`` is settled and written out (a carry out of the window
  is propagated into the bytes already written). Rounding loses at most about
  ``2**-24`` bits per symbol.
* **Termination.** The encoder ends with the shortest bit string ``b`` whose
  whole dyadic interval ``[0.b, 0.b + 2**-len(b))`` lies in the final
  interval. Distinct sequences of the same length have disjoint final
  intervals, so no valid output is a prefix of another: this costs at most
  2 bits over ``-log2`` of the final interval's width.
* **Checking.** The decoder is told how many symbols to decode (``n``), reads
  missing bits as zeros, and finally re-encodes what it decoded and demands
  the very same bits back. So any bit string the encoder could not have
  produced (for that model and ``n``) is rejected with a ``ValueError``; in
  particular **every truncation is detected** (by the prefix property above)
  and so are trailing extra bits. A flipped bit inside the message can turn
  into another valid message: a compressed string has (almost) no
  redundancy left to notice it. Add a checksum when integrity matters.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse.coding import validate_distribution

__all__ = ["FREQ_BITS", "quantize_model", "arithmetic_encode", "arithmetic_decode",
           "ideal_code_length"]

#: Model frequencies are integers out of ``2**FREQ_BITS``.
FREQ_BITS = 32
_WINDOW = 64
_TOP = 1 << (_WINDOW - 8)


def quantize_model(probs: ArrayLike, *, func: str = "quantize_model"
                   ) -> tuple[list[int], list[int]]:
    """Integer frequencies (out of ``2**FREQ_BITS``) and their cumulative starts.

    Every positive probability gets a frequency >= 1; zero stays zero. The
    rounding remainder goes to the most probable symbol so the frequencies
    add up exactly to ``2**FREQ_BITS``.

    Parameters
    ----------
    probs : array_like
        The model distribution.
    func : str, optional
        Name used in error messages.

    Examples
    --------
    >>> freq, cum = quantize_model([0.5, 0.25, 0.25])
    >>> freq == [2**31, 2**30, 2**30], cum == [0, 2**31, 3 * 2**30]
    (True, True)
    """
    arr = validate_distribution(probs, "probs", func)
    total = 1 << FREQ_BITS
    freq = np.floor(arr * float(total)).astype(np.int64)   # exact: scaling by a power of 2
    freq[(arr > 0) & (freq == 0)] = 1
    freq[int(np.argmax(arr))] += total - int(freq.sum())
    freqs = [int(f) for f in freq]
    cum = [0] * len(freqs)
    acc = 0
    for i, f in enumerate(freqs):
        cum[i] = acc
        acc += f
    return freqs, cum


def _symbol_list(symbols: ArrayLike, probs: NDArray, freqs: list[int], func: str) -> list[int]:
    arr = np.asarray(symbols)
    if arr.ndim != 1:
        raise ValueError(f"{func}: symbols must be a 1-D sequence of symbol indices, "
                         f"got shape {arr.shape}")
    if arr.size == 0:
        return []
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{func}: symbols must be integer indices into probs (0..{probs.size - 1}), "
                        f"got dtype {arr.dtype}; map labels to indices first")
    lo, hi = int(arr.min()), int(arr.max())
    if lo < 0 or hi >= probs.size:
        bad = lo if lo < 0 else hi
        raise ValueError(f"{func}: symbol index {bad} is outside 0..{probs.size - 1} "
                         f"(probs has {probs.size} entries)")
    zero = probs[arr] == 0
    if zero.any():
        i = int(np.argmax(zero))
        raise ValueError(
            f"{func}: symbol {int(arr[i])} (at position {i}) has probability 0 under the "
            "model, so no code can represent it (its cost is infinite): give it a positive "
            "probability, e.g. by adding a pseudo-count before normalising")
    return arr.tolist()


def _encode(syms: list[int], freqs: list[int], cum: list[int]) -> str:
    """The coding loop. Inputs validated; returns the bit string."""
    window = 1 << _WINDOW
    top = _TOP
    mask = top - 1
    shift = _WINDOW - 8
    fb = FREQ_BITS
    low = 0
    rng = window
    out = bytearray()
    append = out.append
    for s in syms:
        r = rng >> fb
        low += r * cum[s]
        rng = r * freqs[s]
        if low >= window:
            low -= window
            i = len(out) - 1
            while out[i] == 255:
                out[i] = 0
                i -= 1
            out[i] += 1
        while rng < top:
            append(low >> shift)
            low = (low & mask) << 8
            rng <<= 8
    # termination: shortest k with a whole dyadic interval of width 2**-k inside
    high = low + rng
    k = 0
    while True:
        unit = 1 << (_WINDOW - k)
        v = -(-low // unit) * unit
        if v + unit <= high:
            break
        k += 1
    if v >= window:
        v -= window
        i = len(out) - 1
        while out[i] == 255:
            out[i] = 0
            i -= 1
        out[i] += 1
    head = format(int.from_bytes(out, "big"), f"0{8 * len(out)}b") if out else ""
    tail = format(v >> (_WINDOW - k), f"0{k}b") if k else ""
    return head + tail


def arithmetic_encode(symbols: ArrayLike, probs: ArrayLike) -> str:
    """Encode a sequence of symbol indices with the model `probs`.

    Parameters
    ----------
    symbols : array_like of int
        1-D sequence of indices into `probs`.
    probs : array_like
        The model: a 1-D distribution over the alphabet ``0..len(probs)-1``.

    Returns
    -------
    str
        The code as a string of ``'0'``/``'1'``; ``len`` of it is the number of
        bits. It exceeds :func:`ideal_code_length` by at most about 2 bits
        (plus ``~2**-24`` bits per symbol of rounding).

    Raises
    ------
    ValueError
        If `probs` is not a distribution (or is empty), or a symbol is out of
        range or has probability 0 under the model.

    Examples
    --------
    >>> bits = arithmetic_encode([0, 0, 1, 0], [0.75, 0.25])
    >>> bits, round(ideal_code_length([0, 0, 1, 0], [0.75, 0.25]), 3)
    ('0111', 3.245)
    >>> arithmetic_decode(bits, [0.75, 0.25], 4).tolist()
    [0, 0, 1, 0]
    """
    func = "arithmetic_encode"
    freqs, cum = quantize_model(probs, func=func)
    arr = validate_distribution(probs, "probs", func)
    syms = _symbol_list(symbols, arr, freqs, func)
    return _encode(syms, freqs, cum)


def arithmetic_decode(bits: str, probs: ArrayLike, n: int) -> NDArray[np.int64]:
    """Decode `n` symbols from `bits` made by :func:`arithmetic_encode` with `probs`.

    Parameters
    ----------
    bits : str
        String of ``'0'``/``'1'``.
    probs : array_like
        The same model used to encode.
    n : int
        How many symbols were encoded (sent alongside the bits, like a file
        length).

    Returns
    -------
    ndarray of int64
        Exactly the encoded symbols.

    Raises
    ------
    ValueError
        If `bits` could not have been produced by the encoder for this model
        and `n`: truncated, extended, or (mostly) corrupted. The decoder
        re-encodes its result and compares, so it never returns a sequence
        whose encoding differs from `bits`.

    Examples
    --------
    >>> arithmetic_decode('0111', [0.75, 0.25], 4).tolist()
    [0, 0, 1, 0]
    >>> try:
    ...     arithmetic_decode('01', [0.75, 0.25], 4)
    ... except ValueError as err:
    ...     print(str(err)[:58])
    arithmetic_decode: these 2 bits are not the arithmetic cod
    """
    func = "arithmetic_decode"
    freqs, cum = quantize_model(probs, func=func)
    if not isinstance(bits, str):
        raise TypeError(f"{func}: bits must be a str of '0'/'1' (as from arithmetic_encode), "
                        f"got {type(bits).__name__}")
    if bits.strip("01"):
        bad = next(c for c in bits if c not in "01")
        raise ValueError(f"{func}: bits may contain only '0' and '1', found {bad!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"{func}: n must be a non-negative int (the number of symbols), got {n!r}")
    n = int(n)
    nbytes = -(-len(bits) // 8)
    padded = bits + "0" * (8 * nbytes - len(bits))
    data = (int(padded, 2).to_bytes(nbytes, "big") if nbytes else b"") + bytes(_WINDOW // 8 + 1)
    # after the real bytes, reading continues with zeros
    extra = bytes(8)
    code = int.from_bytes(data[:_WINDOW // 8], "big")
    pos = _WINDOW // 8
    rng = 1 << _WINDOW
    fb = FREQ_BITS
    total = 1 << fb
    top = _TOP
    out = [0] * n
    ndata = len(data)
    for j in range(n):
        r = rng >> fb
        t = code // r
        if t >= total:
            raise _not_a_code(func, bits, n, f"the value left after {j} symbols is outside "
                              "the model's range")
        s = bisect_right(cum, t) - 1
        out[j] = s
        code -= r * cum[s]
        rng = r * freqs[s]
        while rng < top:
            if pos >= ndata:
                data += extra
                ndata = len(data)
            code = (code << 8) | data[pos]
            pos += 1
            rng <<= 8
    if _encode(out, freqs, cum) != bits:
        raise _not_a_code(func, bits, n, "re-encoding the decoded symbols gives different bits, "
                          "so the string is truncated, has extra bits, or is corrupted")
    return np.array(out, dtype=np.int64)


def _not_a_code(func: str, bits: str, n: int, why: str) -> ValueError:
    return ValueError(f"{func}: these {len(bits)} bits are not the arithmetic code of {n} "
                      f"symbols under this model ({why}); check that bits, probs and n are the "
                      "ones used to encode")


def ideal_code_length(symbols: ArrayLike, probs: ArrayLike) -> float:
    """The ideal length ``sum_i -log2 probs[x_i]`` of a sequence, in bits.

    No code can do better on average; the arithmetic coder comes within a few
    bits of it. Divided by the length of a long sample from ``p``, it tends
    to the cross-entropy ``H(p, q) = H(p) + D(p||q)``.

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
    freqs, _ = quantize_model(probs, func=func)
    arr = validate_distribution(probs, "probs", func)
    syms = np.asarray(_symbol_list(symbols, arr, freqs, func), dtype=np.int64)
    with np.errstate(divide="ignore"):
        cost = -np.log2(arr)
    return float(cost[syms].sum()) if syms.size else 0.0

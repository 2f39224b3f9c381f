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
  and so are trailing extra bits.
* **Integrity: ``checksum=True``.** The bare code cannot notice a flipped
  bit. A code within a few bits of the ideal length has (almost) no
  redundancy left, so a corrupted code is often the exact code of *another*
  message, and the decoder, after its re-encoding check, returns that
  message. How often depends on the model: for every string of a uniform
  dyadic model (plain binary) always; in the tests' measurements, a few per
  cent of single-bit flips for skewed models. This is a property of every
  near-optimal code, not a bug.
  Detecting corruption needs redundancy, and redundancy costs bits.
  With ``checksum=True`` the encoder appends ``CHECKSUM_BITS = 32`` bits: the
  CRC-32 (:func:`zlib.crc32`) of ``n``, the quantised model and the symbol
  sequence. The decoder (called with ``checksum=True`` too) recomputes it
  over what it decoded and raises ``ValueError`` ("the data is corrupted") on
  a mismatch. A corruption then decodes silently only if the CRC of the
  wrong message happens to equal the stored one: never for a change confined
  to the 32 checksum bits or to one decoded symbol (CRC-32 catches every
  error burst of up to 32 bits, and each symbol enters it as 4 bytes), and
  otherwise with probability about ``2**-32`` per corrupted string.

  **Default: ``checksum=False``.** The bare code is what the course measures:
  its length is the ideal ``sum_i -log2 q(x_i)`` plus at most about 2 bits,
  and differences of lengths are KL divergences. The checksum is a container
  around that code (as gzip wraps a raw deflate stream with a CRC-32 trailer)
  and adds exactly 32 bits to every message, far more than the "few bits
  over the ideal length" the bare code promises; so it is opt-in. Use
  ``checksum=True`` whenever the bits are stored or sent and integrity
  matters; the two claims are then: bare length <= ideal + ~2 bits, checked
  length = bare length + 32 bits, and every corruption of a checked code
  raises (up to the ``2**-32`` chance above).
"""

from __future__ import annotations

import zlib
from bisect import bisect_right

import numpy as np
from numpy.typing import ArrayLike, NDArray

from klcourse._validation import _check_bits, _check_symbol_count
from klcourse.coding import validate_distribution

__all__ = ["FREQ_BITS", "CHECKSUM_BITS", "quantize_model", "arithmetic_encode",
           "arithmetic_decode", "ideal_code_length"]

#: Model frequencies are integers out of ``2**FREQ_BITS``.
FREQ_BITS = 32
#: Length of the CRC-32 appended by ``arithmetic_encode(..., checksum=True)``.
CHECKSUM_BITS = 32
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


def _carry(out: bytearray) -> None:
    """Add 1 to the big-endian number in `out` (a carry out of the coding window).

    The carry cannot run past the first byte: the interval never leaves [0, 1).
    """
    i = len(out) - 1
    while out[i] == 255:
        out[i] = 0
        i -= 1
    out[i] += 1


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
            _carry(out)
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
        _carry(out)
    head = format(int.from_bytes(out, "big"), f"0{8 * len(out)}b") if out else ""
    tail = format(v >> (_WINDOW - k), f"0{k}b") if k else ""
    return head + tail


def _check_flag(checksum: object, func: str) -> bool:
    if not isinstance(checksum, (bool, np.bool_)):
        raise TypeError(f"{func}: checksum must be True or False, got {checksum!r}")
    return bool(checksum)


def _crc(syms: list[int], freqs: list[int]) -> int:
    """CRC-32 of n, the quantised model and the symbols (each as 4 little-endian bytes)."""
    head = len(syms).to_bytes(8, "little") + len(freqs).to_bytes(8, "little")
    model = np.asarray(freqs, dtype="<u8").tobytes()
    data = np.asarray(syms, dtype="<u4").tobytes()
    return zlib.crc32(data, zlib.crc32(head + model))


def arithmetic_encode(symbols: ArrayLike, probs: ArrayLike, *, checksum: bool = False) -> str:
    """Encode a sequence of symbol indices with the model `probs`.

    Parameters
    ----------
    symbols : array_like of int
        1-D sequence of indices into `probs`.
    probs : array_like
        The model: a 1-D distribution over the alphabet ``0..len(probs)-1``.
    checksum : bool, optional
        If True, append :data:`CHECKSUM_BITS` (32) bits: a CRC-32 of the
        number of symbols, the quantised model and the symbols, so that
        ``arithmetic_decode(..., checksum=True)`` detects corrupted bits.
        Default False: the bare code, whose length is the measured quantity
        of the course (see the module notes on why the check is opt-in).

    Returns
    -------
    str
        The code as a string of ``'0'``/``'1'``; ``len`` of it is the number of
        bits. Without the checksum it exceeds :func:`ideal_code_length` by at
        most about 2 bits (plus ``~2**-24`` bits per symbol of rounding); with
        it, exactly 32 bits more.

    Raises
    ------
    ValueError
        If `probs` is not a distribution (or is empty), or a symbol is out of
        range or has probability 0 under the model.
    TypeError
        If `symbols` are not integers, or `checksum` is not a bool.

    Examples
    --------
    >>> bits = arithmetic_encode([0, 0, 1, 0], [0.75, 0.25])
    >>> bits, round(ideal_code_length([0, 0, 1, 0], [0.75, 0.25]), 3)
    ('0111', 3.245)
    >>> arithmetic_decode(bits, [0.75, 0.25], 4).tolist()
    [0, 0, 1, 0]
    >>> checked = arithmetic_encode([0, 0, 1, 0], [0.75, 0.25], checksum=True)
    >>> checked[:4] == bits, len(checked) - len(bits)
    (True, 32)
    """
    func = "arithmetic_encode"
    check = _check_flag(checksum, func)
    freqs, cum = quantize_model(probs, func=func)
    arr = validate_distribution(probs, "probs", func)
    syms = _symbol_list(symbols, arr, freqs, func)
    bits = _encode(syms, freqs, cum)
    if check:
        bits += format(_crc(syms, freqs), f"0{CHECKSUM_BITS}b")
    return bits


def arithmetic_decode(bits: str, probs: ArrayLike, n: int, *,
                      checksum: bool = False) -> NDArray[np.int64]:
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
    checksum : bool, optional
        Whether `bits` end with the CRC-32 written by
        ``arithmetic_encode(..., checksum=True)``; it must match the encoder's
        setting. If True, the CRC is recomputed over the decoded symbols and
        the model and a mismatch raises ``ValueError``. Default False.

    Returns
    -------
    ndarray of int64
        Exactly the encoded symbols.

    Raises
    ------
    ValueError
        If `bits` could not have been produced by the encoder for this model
        and `n`: truncated, extended, or corrupted. The decoder re-encodes its
        result and compares, so it never returns a sequence whose encoding
        differs from `bits`. Without the checksum a corrupted string may
        still be the valid code of another sequence, which is then returned;
        with ``checksum=True`` that raises too ("the data is corrupted"),
        except with probability about ``2**-32``.
    TypeError
        If `bits` is not a str, or `checksum` is not a bool.

    Examples
    --------
    >>> arithmetic_decode('0111', [0.75, 0.25], 4).tolist()
    [0, 0, 1, 0]
    >>> try:
    ...     arithmetic_decode('01', [0.75, 0.25], 4)
    ... except ValueError as err:
    ...     print(str(err)[:58])
    arithmetic_decode: these 2 bits are not the arithmetic cod

    A flipped bit in the bare code can be the valid code of another message
    (with a uniform model every string of the right length is one); the
    checksum catches it:

    >>> q = [0.25] * 4
    >>> arithmetic_encode([3, 0, 2, 1], q)
    '11001001'
    >>> arithmetic_decode('01001001', q, 4).tolist()      # first bit flipped
    [1, 0, 2, 1]
    >>> good = arithmetic_encode([3, 0, 2, 1], q, checksum=True)
    >>> arithmetic_decode(good, q, 4, checksum=True).tolist()
    [3, 0, 2, 1]
    >>> try:
    ...     arithmetic_decode('0' + good[1:], q, 4, checksum=True)
    ... except ValueError as err:
    ...     print(str(err)[:48])
    arithmetic_decode: the data is corrupted: CRC-32
    """
    func = "arithmetic_decode"
    check = _check_flag(checksum, func)
    freqs, cum = quantize_model(probs, func=func)
    _check_bits(bits, func, "arithmetic_encode")
    n = _check_symbol_count(n, func)
    if not check:
        return np.array(_decode(bits, freqs, cum, n, func, ""), dtype=np.int64)
    if len(bits) < CHECKSUM_BITS:
        raise ValueError(f"{func}: the data is corrupted or truncated: {len(bits)} bits are "
                         f"fewer than the {CHECKSUM_BITS}-bit checksum alone; check that bits "
                         "were made with checksum=True")
    body, stored = bits[:-CHECKSUM_BITS], int(bits[-CHECKSUM_BITS:], 2)
    out = _decode(body, freqs, cum, n, func, "the data is corrupted: ")
    crc = _crc(out, freqs)
    if crc != stored:
        raise ValueError(f"{func}: the data is corrupted: CRC-32 of the {n} decoded symbols "
                         f"and the model is {crc:#010x}, the stored checksum is {stored:#010x}; "
                         "or bits, probs, n are not the ones used to encode (with "
                         "checksum=True)")
    return np.array(out, dtype=np.int64)


def _decode(bits: str, freqs: list[int], cum: list[int], n: int, func: str,
            prefix: str) -> list[int]:
    """The decoding loop plus the re-encoding check. Inputs validated."""
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
                              "the model's range", prefix)
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
                          "so the string is truncated, has extra bits, or is corrupted", prefix)
    return out


def _not_a_code(func: str, bits: str, n: int, why: str, prefix: str = "") -> ValueError:
    what = "bits before the checksum" if prefix else "bits"
    return ValueError(f"{func}: {prefix}these {len(bits)} {what} are not the arithmetic code "
                      f"of {n} symbols under this model ({why}); check that bits, probs and n "
                      "are the ones used to encode")


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

"""Figures for notebooks 01-02: entropy curves, code lengths, measured versus ideal bits.

Thin layers over :mod:`klcourse.measures`, :mod:`klcourse.coding` and
:mod:`klcourse.arithmetic`. Every function takes ``ax=None``, labels its
title, axes (in bits) and legend, and returns the Axes it drew on.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from klcourse.coding import (block_probabilities, code_lengths, expected_length, huffman_code,
                             validate_distribution)
from klcourse.measures import binary_entropy, entropy, kl_divergence
from klcourse.plots import COLORS, new_axes

__all__ = ["plot_binary_entropy", "plot_code_lengths", "block_rates", "plot_block_rates",
           "plot_rate_comparison", "plot_extra_bits"]


def plot_binary_entropy(mark: float | None = None, *, ax: Axes | None = None,
                        title: str = "Entropy of a coin") -> Axes:
    """The binary entropy curve ``h(x)`` in bits for x in [0, 1], optionally marking one coin.

    Parameters
    ----------
    mark : float, optional
        A coin's probability of heads to mark on the curve.
    ax : Axes, optional
        Where to draw; a new figure when None.
    title : str
        Figure title.

    Examples
    --------
    >>> ax = plot_binary_entropy(mark=0.11)
    >>> ax.get_ylabel(), round(float(ax.lines[1].get_ydata()[0]), 2)
    ('entropy H (bits)', 0.5)
    """
    ax = new_axes(ax)
    x = np.linspace(0, 1, 401)
    ax.plot(x, binary_entropy(x), color=COLORS[0], label="h(x) = -x log2 x - (1-x) log2 (1-x)")
    if mark is not None:
        ax.plot([mark], [binary_entropy(mark)], "o", color=COLORS[1],
                label=f"coin with P(heads) = {mark:.2f}: {binary_entropy(mark):.3f} bits")
    ax.set_xlabel("probability of heads x")
    ax.set_ylabel("entropy H (bits)")
    ax.set_ylim(0, 1.08)
    ax.set_title(title)
    ax.legend(loc="lower center", fontsize="small")
    return ax


def plot_code_lengths(p: ArrayLike, code: Mapping[Hashable, str] | None = None,
                      symbols: Sequence[Hashable] | None = None, *, ax: Axes | None = None,
                      title: str = "Surprisal and codeword length per symbol") -> Axes:
    """Bars of each symbol's surprisal ``-log2 p(x)`` next to its codeword length.

    `code` defaults to :func:`klcourse.coding.huffman_code` of `p`. Symbols of
    probability 0 (no codeword, infinite surprisal) are left empty. The title
    reports ``H(p)`` and the mean length, both in bits.

    Parameters
    ----------
    p : array_like
        Distribution of the symbols.
    code : mapping, optional
        ``{symbol: codeword}``; Huffman's code for `p` by default.
    symbols : sequence, optional
        Symbol labels (default 0, 1, ...).
    ax : Axes, optional
        Where to draw.
    title : str
        First line of the title.

    Examples
    --------
    >>> ax = plot_code_lengths([0.5, 0.25, 0.25], symbols="abc")
    >>> [float(b.get_height()) for b in ax.containers[1]]
    [1.0, 2.0, 2.0]
    """
    arr = validate_distribution(p, "p", "plot_code_lengths")
    labels = list(range(arr.size)) if symbols is None else list(symbols)
    if code is None:
        code = huffman_code(arr, symbols=labels)
    lens = code_lengths(code, symbols=labels).astype(float)
    with np.errstate(divide="ignore"):
        surprisal = -np.log2(arr)
    surprisal[arr == 0] = np.nan
    lens[arr == 0] = np.nan
    ax = new_axes(ax)
    x = np.arange(arr.size)
    ax.bar(x - 0.2, surprisal, width=0.4, color=COLORS[0], label="surprisal -log2 p(x)")
    ax.bar(x + 0.2, lens, width=0.4, color=COLORS[1], label="codeword length")
    ax.set_xticks(x, [repr(s) if isinstance(s, str) and s.isspace() else str(s) for s in labels])
    ax.set_xlabel("symbol")
    ax.set_ylabel("bits")
    mean = expected_length(np.nan_to_num(lens).astype(np.int64), arr)
    ax.set_title(f"{title}\nH(p) = {entropy(arr):.3f} bits, mean length = {mean:.3f} bits")
    ax.legend(fontsize="small")
    return ax


def block_rates(p: ArrayLike, max_k: int = 4) -> np.ndarray:
    """Expected Huffman bits per *symbol* when coding blocks of k = 1..max_k symbols.

    Parameters
    ----------
    p : array_like
        Distribution of one symbol.
    max_k : int
        Longest block length.

    Examples
    --------
    >>> block_rates([0.9, 0.1], 3).round(3)
    array([1.   , 0.645, 0.533])
    """
    arr = validate_distribution(p, "p", "block_rates")
    out = []
    for k in range(1, int(max_k) + 1):
        pb = block_probabilities(arr, k)
        code = huffman_code(pb)
        out.append(expected_length(code_lengths(code, symbols=range(pb.size)), pb) / k)
    return np.array(out)


def plot_block_rates(p: ArrayLike, max_k: int = 4, *, measured: ArrayLike | None = None,
                     ax: Axes | None = None,
                     title: str = "Coding blocks of k symbols approaches H") -> Axes:
    """Huffman bits/symbol for blocks of k, between the lines ``H`` and ``H + 1/k``.

    `measured` (one rate per k, e.g. from encoding a real sample) is drawn as
    crosses.

    Parameters
    ----------
    p : array_like
        Distribution of one symbol.
    max_k : int
        Longest block length.
    measured : array_like, optional
        Measured bits/symbol for k = 1, 2, ...
    ax : Axes, optional
        Where to draw.
    title : str
        Figure title.

    Examples
    --------
    >>> ax = plot_block_rates([0.9, 0.1], 3)
    >>> ax.get_xlabel(), len(ax.lines)
    ('block length k (symbols)', 2)
    """
    arr = validate_distribution(p, "p", "plot_block_rates")
    ks = np.arange(1, int(max_k) + 1)
    h = entropy(arr)
    ax = new_axes(ax)
    kk = np.linspace(1, max_k, 200)
    ax.fill_between(kk, h, h + 1 / kk, color=COLORS[2], alpha=0.15,
                    label="guaranteed range [H, H + 1/k)")
    ax.axhline(h, color=COLORS[2], lw=1.5, label=f"H(p) = {h:.3f} bits")
    ax.plot(ks, block_rates(arr, max_k), "o-", color=COLORS[0],
            label="Huffman on blocks: expected bits/symbol")
    if measured is not None:
        m = np.asarray(measured, dtype=float)
        ax.plot(ks[:m.size], m, "x", color=COLORS[1], ms=10, mew=2,
                label="measured on a sample")
    ax.set_xticks(ks)
    ax.set_xlabel("block length k (symbols)")
    ax.set_ylabel("bits per symbol")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def plot_rate_comparison(labels: Sequence[str], formula: ArrayLike, measured: ArrayLike,
                         *, formula_label: str = "formula H(p) + D(p||q)",
                         measured_label: str = "measured: coded bits / symbol",
                         xlabel: str = "model used by the coder", ax: Axes | None = None,
                         title: str = "Bits per symbol: formula against a real coder") -> Axes:
    """Side-by-side bars of predicted and measured bits per symbol for several cases.

    Parameters
    ----------
    labels : sequence of str
        One label per case (e.g. the model used).
    formula, measured : array_like
        Predicted and measured bits per symbol, one per label.
    formula_label, measured_label, xlabel, title : str
        Text for the legend, axis and title.
    ax : Axes, optional
        Where to draw.

    Examples
    --------
    >>> ax = plot_rate_comparison(["a", "b"], [1.0, 2.0], [1.01, 2.02])
    >>> [round(float(b.get_height()), 2) for b in ax.containers[1]]
    [1.01, 2.02]
    """
    f = np.asarray(formula, dtype=float)
    m = np.asarray(measured, dtype=float)
    if f.shape != (len(labels),) or m.shape != f.shape:
        raise ValueError(f"plot_rate_comparison: need one formula value and one measured value "
                         f"per label; got {len(labels)} labels, shapes {f.shape} and {m.shape}")
    ax = new_axes(ax, figsize=(7.0, 3.8))
    x = np.arange(len(labels))
    b1 = ax.bar(x - 0.2, f, width=0.4, color=COLORS[0], label=formula_label)
    b2 = ax.bar(x + 0.2, m, width=0.4, color=COLORS[1], label=measured_label)
    ax.bar_label(b1, fmt="%.3f", fontsize="small")
    ax.bar_label(b2, fmt="%.3f", fontsize="small")
    ax.set_xticks(x, list(labels))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("bits per symbol")
    ax.set_ylim(0, 1.18 * max(float(f.max()), float(m.max())))
    ax.set_title(title)
    ax.legend(fontsize="small", loc="lower right")
    return ax


def plot_extra_bits(p_heads: float, *, q_mark: float | None = None,
                    measured: tuple[ArrayLike, ArrayLike] | None = None,
                    ax: Axes | None = None) -> Axes:
    """``D(p||q)`` in bits for a coin p, against the model's bias q.

    `q_mark` marks one model; `measured` is ``(q values, measured extra bits
    per symbol)`` drawn as crosses.

    Parameters
    ----------
    p_heads : float
        The true coin's probability of heads.
    q_mark : float, optional
        One model to mark.
    measured : (array_like, array_like), optional
        Models q and measured extra bits per symbol.
    ax : Axes, optional
        Where to draw.

    Examples
    --------
    >>> ax = plot_extra_bits(0.5, q_mark=0.9)
    >>> round(float(ax.lines[1].get_ydata()[0]), 3)
    0.737
    """
    p = np.array([p_heads, 1 - p_heads])
    validate_distribution(p, "p", "plot_extra_bits")
    q = np.linspace(0.005, 0.995, 300)
    qq = np.stack([q, 1 - q], axis=-1)
    d = kl_divergence(np.broadcast_to(p, qq.shape), qq)
    ax = new_axes(ax)
    ax.plot(q, d, color=COLORS[0], label="D(p||q), the formula")
    if q_mark is not None:
        dm = kl_divergence(p, [q_mark, 1 - q_mark])
        ax.plot([q_mark], [dm], "o", color=COLORS[1],
                label=f"model q = {q_mark:.2f}: {dm:.3f} extra bits/symbol")
    if measured is not None:
        mq, mb = (np.asarray(a, dtype=float) for a in measured)
        label = "measured with the coder"
        if mb.size == 1:
            label += f": {float(mb[0]):.3f} extra bits/symbol"
        ax.plot(mq, mb, "x", color=COLORS[2], ms=8, mew=2, label=label)
    ax.set_xlabel("model's probability of heads q")
    ax.set_ylabel("extra bits per symbol")
    ax.set_ylim(0, min(float(np.max(d)) * 1.05, 4.0))
    ax.set_title(f"Cost of coding a coin with P(heads) = {p_heads:.2f} using the model q")
    ax.legend(fontsize="small", loc="upper center")
    return ax

"""Tests of klcourse.plots.coding: each figure draws the library's numbers, labelled in bits."""

import numpy as np
import pytest

from klcourse import binary_entropy, entropy, kl_divergence
from klcourse.coding import code_lengths, huffman_code
from klcourse.arithmetic import interval_steps
from klcourse.plots.coding import (block_rates, plot_binary_entropy, plot_block_rates,
                                   plot_code_lengths, plot_code_tree, plot_extra_bits,
                                   plot_extra_bits_against_divergence, plot_interval_narrowing)


def _labelled(ax):
    assert ax.get_title() and ax.get_xlabel() and "bits" in ax.get_ylabel()
    assert ax.get_legend() is not None


def test_binary_entropy_curve():
    ax = plot_binary_entropy(mark=0.3)
    _labelled(ax)
    x, y = ax.lines[0].get_data()
    assert np.allclose(y, binary_entropy(x))
    assert ax.lines[1].get_ydata()[0] == pytest.approx(binary_entropy(0.3))


def test_code_lengths_bars_match_the_code():
    p = np.array([0.45, 0.25, 0.2, 0.1, 0.0])
    ax = plot_code_lengths(p, symbols="abcde")
    _labelled(ax)
    surprisal = [b.get_height() for b in ax.containers[0]]
    lengths = [b.get_height() for b in ax.containers[1]]
    assert np.allclose(surprisal[:4], -np.log2(p[:4])) and np.isnan(surprisal[4])
    expected = code_lengths(huffman_code(p, symbols="abcde"), symbols="abcd")
    assert np.array_equal(lengths[:4], expected) and np.isnan(lengths[4])
    assert f"{entropy(p):.3f} bits" in ax.get_title()


def test_block_rates_and_plot():
    p = [0.8, 0.2]
    rates = block_rates(p, 4)
    h = entropy(p)
    assert all(h - 1e-12 <= r < h + 1 / k for k, r in zip(range(1, 5), rates))
    ax = plot_block_rates(p, 4, measured=rates[:2] + 0.001)
    _labelled(ax)
    assert np.allclose(ax.lines[1].get_ydata(), rates)
    assert ax.lines[0].get_ydata()[0] == pytest.approx(h)


def test_extra_bits_curve():
    ax = plot_extra_bits(0.7, q_mark=0.4, measured=([0.4], [0.2]))
    _labelled(ax)
    q, d = ax.lines[0].get_data()
    i = 100
    assert d[i] == pytest.approx(kl_divergence([0.7, 0.3], [q[i], 1 - q[i]]))
    assert ax.lines[1].get_ydata()[0] == pytest.approx(kl_divergence([0.7, 0.3], [0.4, 0.6]))


def test_code_tree_draws_every_codeword_at_its_depth():
    p = np.array([0.35, 0.25, 0.15, 0.1, 0.1, 0.05])
    code = huffman_code(p, symbols="123456")
    ax = plot_code_tree(code, p, "123456")
    assert ax.get_title() and "bits" in ax.get_ylabel()
    leaves = {t.get_text().split("\n")[0]: t.get_position() for t in ax.texts
              if "\n" in t.get_text()}
    assert set(leaves) == set("123456")
    for s, (_, y) in leaves.items():
        assert y == -len(code[s])                  # depth = codeword length
    root = [t for t in ax.texts if t.get_position() == (t.get_position()[0], 0)
            and "\n" not in t.get_text()]
    assert [t.get_text() for t in root] == ["1.00"]
    # one edge per non-root node
    nodes = {w[:i] for w in code.values() for i in range(1, len(w) + 1)}
    assert len(ax.lines) == len(nodes)


def test_code_tree_refuses_a_code_that_is_not_a_tree():
    with pytest.raises(ValueError, match="prefix"):
        plot_code_tree({"a": "0", "b": "01"}, [0.5, 0.5], "ab")
    with pytest.raises(ValueError, match="no codeword"):
        plot_code_tree({"a": "0"}, [0.5, 0.5], "ab")


def test_extra_bits_against_divergence_points_and_bad_input():
    ax = plot_extra_bits_against_divergence(["u", "v"], [0.01, 0.3], [0.012, 0.29],
                                            stderr=[0.001, 0.002])
    _labelled(ax)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert np.allclose(ax.lines[1].get_xdata(), [0.01, 0.3])
    assert np.allclose(ax.lines[1].get_ydata(), [0.012, 0.29])
    with pytest.raises(ValueError, match="positive"):
        plot_extra_bits_against_divergence(["u"], [0.0], [0.01])
    with pytest.raises(ValueError, match="one divergence"):
        plot_extra_bits_against_divergence(["u", "v"], [0.1], [0.1])
    with pytest.raises(ValueError, match="stderr"):
        plot_extra_bits_against_divergence(["u"], [0.1], [0.1], stderr=[np.nan])


def test_interval_narrowing_shows_the_exact_intervals():
    q = [0.5, 0.3, 0.2]
    message = [0, 2, 1]
    ax = plot_interval_narrowing(message, q, symbols="abc")
    assert ax.get_title()
    steps = interval_steps(message, q)
    low, high = steps[-1][1], steps[-1][2]
    final = ax.texts[-1].get_text()
    assert f"{float(low):.6g}" in final and f"{float(high):.6g}" in final
    assert f"{-np.log2(float(high - low)):.2f} bits" in final
    assert float(high - low) == pytest.approx(0.5 * 0.2 * 0.3)
    # one row of len(q) pieces per symbol, plus the final interval
    assert len(ax.patches) == len(message) * len(q) + 1
    with pytest.raises(ValueError, match="empty"):
        plot_interval_narrowing([], q)

"""Tests of klcourse.plots.coding: each figure draws the library's numbers, labelled in bits."""

import numpy as np
import pytest

from klcourse import binary_entropy, entropy, kl_divergence
from klcourse.coding import code_lengths, huffman_code
from klcourse.plots.coding import (block_rates, plot_binary_entropy, plot_block_rates,
                                   plot_code_lengths, plot_extra_bits, plot_rate_comparison)


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


def test_rate_comparison_bars_and_bad_input():
    ax = plot_rate_comparison(["u", "v"], [1.5, 2.5], [1.52, 2.49])
    _labelled(ax)
    assert [round(b.get_height(), 2) for b in ax.containers[0]] == [1.5, 2.5]
    with pytest.raises(ValueError, match="one formula value"):
        plot_rate_comparison(["u"], [1.0, 2.0], [1.0, 2.0])


def test_extra_bits_curve():
    ax = plot_extra_bits(0.7, q_mark=0.4, measured=([0.4], [0.2]))
    _labelled(ax)
    q, d = ax.lines[0].get_data()
    i = 100
    assert d[i] == pytest.approx(kl_divergence([0.7, 0.3], [q[i], 1 - q[i]]))
    assert ax.lines[1].get_ydata()[0] == pytest.approx(kl_divergence([0.7, 0.3], [0.4, 0.6]))

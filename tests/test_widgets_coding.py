"""Tests of klcourse.widgets.coding: readouts after update() equal the library's values."""

import numpy as np
import pytest

from klcourse import binary_entropy, entropy, kl_divergence, normalize
from klcourse.arithmetic import arithmetic_encode
from klcourse.coding import code_lengths, expected_length, huffman_code
from klcourse.plots.coding import block_rates
from klcourse.widgets.coding import (coin_entropy_explorer, die_entropy_explorer,
                                     die_readout, wrong_model_explorer, wrong_model_readout)


@pytest.mark.parametrize("heads, k", [(0.5, 1), (0.1, 3), (0.0, 2), (0.97, 6)])
def test_coin_explorer(heads, k):
    ex = coin_entropy_explorer()
    r = ex.update(heads=heads, k=k)
    h = binary_entropy(heads)
    assert r["H(coin)"] == (h, "bits")
    rate = r["Huffman, blocks of k"][0]
    assert rate == pytest.approx(block_rates([heads, 1 - heads], k)[-1])
    assert h - 1e-12 <= rate <= h + 1 / k
    assert len(ex.last_figure.axes) == 2
    assert f"{h:.4f} bits" in ex.readout.value


def test_die_explorer_uniform_deterministic_and_all_zero():
    ex = die_entropy_explorer()
    r = ex.update(w1=1, w2=1, w3=1, w4=1, w5=1, w6=1)
    assert r["H(die)"][0] == pytest.approx(np.log2(6))
    r = ex.update(w1=0, w2=0, w3=2, w4=0, w5=0, w6=0)
    assert r["H(die)"][0] == 0.0 and r["Huffman mean length"][0] == 0.0
    r = ex.update(w3=0)
    assert "undefined" in r["H(die)"]
    assert ex.last_figure.axes[0].get_title().startswith("All weights are 0")


def test_die_readout_matches_library():
    w = (3, 1, 1, 0.5, 0.5, 2)
    p = normalize(np.array(w))
    r = die_readout(w)
    code = huffman_code(p, symbols=range(1, 7))
    assert r["H(die)"] == (entropy(p), "bits")
    assert r["Huffman mean length"][0] == expected_length(code_lengths(code, symbols=range(1, 7)), p)
    assert 0 <= r["mean length − H"][0] < 1


@pytest.mark.parametrize("p, q", [(0.8, 0.5), (0.3, 0.9), (0.5, 0.5)])
def test_wrong_model_explorer(p, q):
    ex = wrong_model_explorer(n=3000, seed=2)
    r = ex.update(p=p, q=q)
    pp, qq = np.array([p, 1 - p]), np.array([q, 1 - q])
    assert r["D(p‖q), formula"] == (kl_divergence(pp, qq), "bits")
    flips = np.random.default_rng(2).random(3000)
    xs = (flips >= p).astype(int)
    assert r["measured with q"][0] == len(arithmetic_encode(xs, qq)) / 3000
    assert r["measured extra"][0] == pytest.approx(kl_divergence(pp, qq), abs=0.05)
    ax = ex.last_figure.axes[0]
    assert "bits" in ax.get_ylabel()


def test_wrong_model_readout_with_impossible_symbol():
    u = np.array([0.1, 0.9])
    r = wrong_model_readout(0.5, 1.0, u)   # model says tails never happen
    assert "impossible" in r["measured with q"]
    assert r["D(p‖q), formula"][0] == float("inf")

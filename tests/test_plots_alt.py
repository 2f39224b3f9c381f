"""Alternative text written from the figure itself (klcourse.plots.alt)."""

from __future__ import annotations

import glob

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from klcourse.plots import bar_compare
from klcourse.plots.alt import alt_text, describe, install

NOTEBOOKS = sorted(glob.glob("notebooks/[0-9][0-9]_*.ipynb"))


def test_a_line_chart_says_title_axes_ranges_and_legend():
    fig, ax = plt.subplots()
    x = np.linspace(0, 1, 11)
    ax.plot(x, x**2, label=r"$D(p\|q)$")
    ax.plot(x, x, "--", label="chord")
    ax.set(title="Convex", xlabel=r"weight $\lambda$", ylabel="divergence (bits)")
    ax.legend()
    text = alt_text(fig)
    assert text.startswith("Line chart titled 'Convex'")
    assert "x weight lambda, from 0 to 1" in text
    assert "y divergence (bits)" in text
    assert "series: D(p‖q), chord" in text
    assert "$" not in text and "\\" not in text


def test_bars_give_their_heights_and_the_figure_follows_the_data():
    ax = bar_compare([0.25, 0.75], [0.5, 0.5], labels=["p", "q"], title="Two coins")
    text = alt_text(ax.figure)
    assert "Bar chart titled 'Two coins'" in text
    assert "heights of p: 0.25, 0.75" in text and "heights of q: 0.5, 0.5" in text
    other = bar_compare([0.1, 0.9], labels=["p"])
    assert "heights of p: 0.1, 0.9" in alt_text(other.figure)


def test_panels_are_numbered_in_reading_order_and_colourbars_left_out():
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([0, 1, 2], [0, 1, 0])
    left.set_title("left one")
    im = right.imshow(np.arange(4.0).reshape(2, 2), cmap="viridis")
    right.set_title("right one")
    fig.colorbar(im, ax=right)
    fig.suptitle("Two panels")
    text = alt_text(fig)
    assert text.startswith("Figure titled 'Two panels'. 2 panels.")
    assert text.index("Panel 1: Line chart titled 'left one'") < text.index(
        "Panel 2: Image titled 'right one'")
    assert "Panel 3" not in text


def test_describe_adds_sentences_and_refuses_junk():
    fig, ax = plt.subplots()
    ax.set_axis_off()
    describe(ax, "A tree with four leaves.")
    describe(fig, "Shorter codewords sit higher.")
    assert alt_text(fig) == "Diagram. A tree with four leaves. Shorter codewords sit higher."
    with pytest.raises(ValueError, match="non-empty string"):
        describe(ax, "  ")
    with pytest.raises(TypeError, match="Axes or Figure"):
        describe("ax", "text")
    with pytest.raises(TypeError, match="matplotlib Figure"):
        alt_text(ax)


def test_ipython_display_attaches_the_alt_text_to_the_png():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})      # what the inline backend sets up
        assert install() is True
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [2, 1, 0], label="falling")
        ax.legend()
        data, metadata = shell.display_formatter.format(fig)
        assert "image/png" in data
        assert metadata["image/png"]["alt"] == alt_text(fig)
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_committed_figure_carries_alt_text(path):
    """Regenerated notebooks store each figure's description with its PNG."""
    nb = nbformat.read(path, as_version=4)
    missing = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if "image/png" not in out.get("data", {}):
                continue
            alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
            if len(alt) < 20:
                missing.append(index)
    assert not missing, f"{path}: figures without alt text in cells {missing}; regenerate"

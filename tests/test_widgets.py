"""Tests of the Explorer base class: the readout and figure follow the controls."""

import pytest

from klcourse import binary_entropy, kl_divergence
from klcourse.widgets import Explorer, format_readout, slider


def make():
    def compute(p, q):
        return {"D(p||q)": (kl_divergence([p, 1 - p], [q, 1 - q]), "bits"), "note": "binary"}

    def draw(fig, p, q):
        ax = fig.add_subplot()
        ax.bar([0, 1], [p, q])
        ax.set_title(f"p={p:.2f}, q={q:.2f}")

    return Explorer({"p": slider("p", 0.5, 0.01, 0.99, 0.01),
                     "q": slider("q", 0.5, 0.01, 0.99, 0.01)}, compute, draw)


def test_initial_readout_and_figure():
    ex = make()
    assert ex.last_readout["D(p||q)"][0] == 0.0
    assert 'data-key="D(p||q)"' in ex.readout.value and "0.0000 bits" in ex.readout.value
    assert ex.redraws == 1
    assert ex.last_figure.axes[0].get_title() == "p=0.50, q=0.50"


def test_moving_a_control_recomputes_and_redraws():
    ex = make()
    ex.controls["q"].value = 0.9          # as a learner dragging the slider
    expected = kl_divergence([0.5, 0.5], [0.9, 0.1])
    assert ex.last_readout["D(p||q)"][0] == pytest.approx(expected)
    assert f"{expected:.4f} bits" in ex.readout.value
    assert ex.redraws == 2
    assert ex.last_figure.axes[0].get_title() == "p=0.50, q=0.90"


def test_update_sets_several_controls_at_once():
    ex = make()
    out = ex.update(p=0.2, q=0.7)
    assert out["D(p||q)"][0] == pytest.approx(kl_divergence([0.2, 0.8], [0.7, 0.3]))
    assert ex.values() == {"p": 0.2, "q": 0.7}
    assert ex.redraws == 2  # one initial drawing, one for the update (not one per control)
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['r'\]"):
        ex.update(r=0.1)


def test_explorer_without_figure():
    ex = Explorer({"x": slider("x", 0.5, 0, 1, 0.01)},
                  compute=lambda x: {"H": (binary_entropy(x), "bits")})
    assert ex.last_figure is None and len(ex.widget.children) == 2
    ex.update(x=0.11)
    assert ex.last_readout["H"][0] == pytest.approx(binary_entropy(0.11))


def test_format_readout_escapes_and_formats():
    html = format_readout({"a<b": 1 / 3, "inf": float("inf"), "text": "x&y"})
    assert "a&lt;b" in html and "0.3333" in html and "∞" in html and "x&amp;y" in html

"""Tests of the Explorer base class: the readout and figure follow the controls."""

import html

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


def test_out_of_range_is_refused_not_clamped():
    ex = make()
    with pytest.raises(ValueError, match=r"control 'p' \(p\): 1.5 is outside its range"):
        ex.update(p=1.5)
    assert ex.values() == {"p": 0.5, "q": 0.5}          # nothing moved
    assert ex.update(q=0.99 + 1e-17)["D(p||q)"][0] == pytest.approx(
        kl_divergence([0.5, 0.5], [0.99, 0.01]))       # round-off at the end is not refused
    with pytest.raises(ValueError, match="outside its range"):
        slider("p", 2.0, 0.0, 1.0, 0.1)


def test_static_face_shows_the_first_picture_and_numbers():
    import base64

    ex = make()
    first_png = ex.last_png
    ex.update(q=0.9)
    bundle, metadata = ex._repr_mimebundle_()
    first_alt = ex.initial_alt    # written from the first figure (klcourse.plots.alt)
    assert first_alt.startswith("Bar chart titled 'p=0.50, q=0.50'")
    assert metadata == {"image/png": {"alt": first_alt}}
    assert "klcourse-figure-description" in ex.readout.value
    assert html.escape(ex.alt_text()) in ex.readout.value and ex.alt_text() != first_alt
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == first_png != ex.last_png
    assert bundle["text/plain"].startswith("D(p||q): 0.0000 bits\nnote: binary\n")
    assert "live only" in bundle["text/plain"] and "live only" in bundle["text/html"]
    assert f'alt="{html.escape(first_alt)}"' in bundle["text/html"]
    assert 'data-key="D(p||q)"' in bundle["text/html"]


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def _explorers():
    from klcourse.widgets.beyond import renyi_explorer
    from klcourse.widgets.coding import (coin_entropy_explorer, die_entropy_explorer,
                                         wrong_model_explorer)
    from klcourse.widgets.divergence import binary_pair_explorer, mixture_explorer
    from klcourse.widgets.estimation import knn_explorer
    from klcourse.widgets.fitting import binomial_explorer
    from klcourse.widgets.generative import factorised_fit_explorer
    from klcourse.widgets.likelihood import lr_test_explorer

    return {
        "renyi": (lambda: renyi_explorer([0.5, 0.35, 0.15, 0.0], [0.2, 0.3, 0.3, 0.2]),
                  {"alpha": 2.35}),
        "coin": (coin_entropy_explorer, {"heads": 0.37, "k": 4}),
        "mixture": (lambda: mixture_explorer(n=30), {"lam": 0.83}),
        "binomial": (lambda: binomial_explorer(p=0.5), {"p": 0.47}),
        "lr": (lr_test_explorer, {"q_heads": 0.78, "alpha": 0.07}),
        "die": (lambda: die_entropy_explorer((3.5, 2.5, 1.5, 1.0, 1.0, 0.5)),
                {"w1": 3.2, "w6": 0.0}),
        "wrong model": (wrong_model_explorer, {"p": 0.75, "q": 0.4}),
        "coin pair": (binary_pair_explorer, {"p": 0.45, "q": 0.85}),
        "factorised fit": (factorised_fit_explorer, {"rho": 0.6}),
        "factorised fit, new limits": (factorised_fit_explorer, {"ratio": 1.6}),
        "k-NN estimate": (lambda: knn_explorer(resamples=10), {"k": 7}),
    }


@pytest.mark.parametrize("name", sorted(_explorers()))
def test_moving_in_place_paints_what_a_full_drawing_paints(name):
    """The blitted picture after a change equals the figure drawn again from scratch."""
    import numpy as np

    factory, change = _explorers()[name]
    ex = factory()
    before = ex.last_png
    ex.update(**change)
    assert ex.full_draws == 1, "the change was expected to move artists in place"
    moved = _pixels(ex.last_png)
    fig = ex.last_figure
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in fig.axes]
    ex._draw_all(ex.values())          # everything again, from `draw`...
    for ax, (x, y) in zip(fig.axes, limits):
        ax.set_xlim(x)                 # ...on the same axes (a fresh drawing may pick
        ax.set_ylim(y)                 # roomier limits for the next moves)
    fig.canvas.draw()
    ex._paint_animated(restore=False)
    from klcourse.widgets import _encode_png
    fresh = _pixels(_encode_png(fig))
    assert moved.shape == fresh.shape
    differ = np.abs(moved - fresh).max(axis=2) > 40
    assert differ.mean() < 0.002, f"{differ.sum()} pixels differ between in-place and fresh"
    assert (_pixels(before) != moved).any()


def test_readout_is_a_live_region_and_describes_the_figure():
    ex = make()
    ex.update(q=0.9)
    value = ex.readout.value
    live_end = value.index("</div>")
    assert value.startswith('<div aria-live="polite"><table')
    assert "p=0.50, q=0.90" in value[live_end:]       # the description, outside the region
    assert "klcourse-figure-description" in value


def test_only_wider_tick_labels_cost_a_new_layout():
    """Narrower labels keep the positions (room to spare); wider ones get a layout."""
    from klcourse.widgets import REPAINT

    def draw(fig, top):
        ax = fig.add_subplot()
        line = ax.plot([0, 1], [0, top])[0]
        line.set_animated(True)
        ax.set_ylim(0, top)
        return ax, line

    def animate(h, top):
        ax, line = h
        line.set_ydata([0, top])
        ax.set_ylim(0, top)
        return REPAINT

    ex = Explorer({"top": slider("top", 10.0, 1.0, 5000.0, 1.0)},
                  lambda top: {"top": top}, draw, animate=animate)
    first = [ax.get_position().bounds for ax in ex.last_figure.axes]
    assert ex.layouts == 1
    ex.update(top=5.0)                      # labels 0 .. 10 -> 0 .. 5: narrower
    assert ex.layouts == 1
    assert [ax.get_position().bounds for ax in ex.last_figure.axes] == first
    ex.update(top=5000.0)                   # 0 .. 5000: wider than at the layout
    assert ex.layouts == 2
    left = ex.last_figure.axes[0].get_position().x0
    assert left > first[0][0]               # more room for the labels on the left
    ex.update(top=10.0)
    assert ex.layouts == 2 and ex.full_draws == 1


@pytest.mark.parametrize("name,start,change", [
    ("lr", {"p_heads": 0.5, "q_heads": 0.65}, {"p_heads": 0.52}),     # the left panel
    ("lr", {"p_heads": 0.5, "q_heads": 0.65}, {"q_heads": 0.68}),     # the right panel
    ("coin pair", {"p": 0.5, "q": 0.55}, {"q": 0.6})])
def test_repainting_one_axes_paints_what_painting_all_paints(name, start, change):
    """New limits on one axes of several: it alone is painted again, as in the whole."""
    import numpy as np

    from klcourse.widgets import _encode_png
    from klcourse.widgets.divergence import binary_pair_explorer
    from klcourse.widgets.likelihood import lr_test_explorer

    ex = {"lr": lr_test_explorer, "coin pair": binary_pair_explorer}[name](**start)
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in ex.last_figure.axes]
    ex.update(**change)
    now = [(ax.get_xlim(), ax.get_ylim()) for ax in ex.last_figure.axes]
    assert sum(a != b for a, b in zip(limits, now)) == 1, "expected one axes' limits"
    assert ex.axes_repaints == 1 and ex.full_draws == 1
    alone = _pixels(ex.last_png)
    ex._paint_all()                          # the whole figure, same artists and limits
    whole = _pixels(_encode_png(ex.last_figure))
    differ = np.abs(alone - whole).max(axis=2) > 40
    assert differ.mean() < 0.0005, f"{differ.sum()} pixels differ"
    assert (alone != _pixels(ex.initial_png)).any()

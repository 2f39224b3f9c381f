"""Tests of klcourse.plots.divergence: what each figure drew (titles, labels, data)."""

import numpy as np
import pytest

from klcourse import js_distance, js_divergence, kl_divergence
from klcourse.inequalities import jensen_points, local_minima, mixture_check, triangle_check
from klcourse.plots.divergence import (
    coin_grid,
    plot_both_directions,
    plot_divergence_heatmap,
    plot_jensen,
    plot_mixture_chord,
    plot_objective_curve,
    plot_pair_segment,
    plot_triangle_binary,
)


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_jensen_draws_both_sides():
    p = np.array([0.2, 0.5, 0.3])
    q = np.array([0.5, 0.25, 0.25])
    ax = plot_jensen(q / p, p, base=np.e, xlabel="ratio q/p")
    j = jensen_points(q / p, p, base=np.e)
    assert ax.get_ylabel() == "ln x (nats)" and ax.get_xlabel() == "ratio q/p"
    assert "Jensen" in ax.get_title()
    curve = ax.lines[0]
    np.testing.assert_allclose(curve.get_ydata(), np.log(curve.get_xdata()))
    gap_line = ax.lines[2]
    np.testing.assert_allclose(gap_line.get_xdata(), [j.mean, j.mean])
    np.testing.assert_allclose(gap_line.get_ydata(), [j.mean_of_log, j.log_of_mean])
    texts = _legend(ax)
    assert f"gap = {j.gap:.4f} nats" in texts
    assert any(t.startswith(f"E[log X] = {j.mean_of_log:.4f}") for t in texts)
    # the points sit on the curve
    pts = ax.collections[-3].get_offsets()
    np.testing.assert_allclose(pts[:, 1], np.log(pts[:, 0]))


def test_heatmap_values_are_the_divergence():
    ax = plot_divergence_heatmap(n=6)
    z = np.asarray(ax.images[0].get_array())
    g = coin_grid(6)
    for i, j in [(0, 5), (3, 1), (2, 2)]:
        assert z[i, j] == pytest.approx(kl_divergence([g[j], 1 - g[j]], [g[i], 1 - g[i]]))
    np.testing.assert_allclose(np.diag(z), 0, atol=1e-15)
    assert "(bits)" in ax.get_title()
    assert ax.figure.axes[1].get_ylabel() == r"$D(p\,\|\,q)$ (bits)"
    assert ax.get_xlabel().startswith("p(heads)") and ax.get_ylabel().startswith("q(heads)")
    assert _legend(ax) == ["p = q"]
    # the colour scale is clipped at the 95th percentile by default, or at vmax
    assert ax.images[0].norm.vmax == pytest.approx(np.quantile(z, 0.95))
    assert plot_divergence_heatmap(n=6, vmax=1.5).images[0].norm.vmax == 1.5


def test_heatmap_other_measures_and_units():
    ax = plot_divergence_heatmap(js_divergence, base=np.e, n=5, label="JS", colorbar=False)
    z = np.asarray(ax.images[0].get_array())
    g = coin_grid(5)
    assert z[4, 0] == pytest.approx(js_divergence([g[0], 1 - g[0]], [g[4], 1 - g[4]], base=np.e))
    assert ax.get_title() == "JS over pairs of coins (nats)"
    assert len(ax.figure.axes) == 1
    # symmetric measure: symmetric image
    np.testing.assert_allclose(z, z.T, atol=1e-15)
    ax = plot_divergence_heatmap(lambda p, q: np.abs(p - q).sum(axis=-1) / 2, base=None, n=4,
                                 label="TV", colorbar=False)
    assert ax.get_title() == "TV over pairs of coins (no unit)"


def test_pair_segment_and_chord():
    p1, q1, p2, q2 = [0.8, 0.2], [0.3, 0.7], [0.4, 0.6], [0.5, 0.5]
    ax = plot_pair_segment(p1, q1, p2, q2, lam=0.25)
    np.testing.assert_allclose(ax.lines[0].get_xydata(), [[0.8, 0.3], [0.4, 0.5]])
    np.testing.assert_allclose(ax.lines[1].get_xydata(), [[0.25 * 0.8 + 0.75 * 0.4, 0.25 * 0.3 + 0.75 * 0.5]])
    assert "mixture at λ = 0.25" in _legend(ax)
    with pytest.raises(ValueError, match="two outcomes"):
        plot_pair_segment([0.2, 0.3, 0.5], q1, p2, q2)

    ax = plot_mixture_chord(p1, q1, p2, q2, n=11, lam=0.3, base=np.e)
    lam = ax.lines[0].get_xdata()
    curve, chord = ax.lines[0].get_ydata(), ax.lines[1].get_ydata()
    for k in (0, 4, 10):
        pm = lam[k] * np.array(p1) + (1 - lam[k]) * np.array(p2)
        qm = lam[k] * np.array(q1) + (1 - lam[k]) * np.array(q2)
        assert curve[k] == pytest.approx(kl_divergence(pm, qm, base=np.e))
    np.testing.assert_allclose(chord, lam * kl_divergence(p1, q1, base=np.e)
                               + (1 - lam) * kl_divergence(p2, q2, base=np.e))
    assert np.all(chord >= curve - 1e-12)
    assert ax.get_ylabel() == "divergence (nats)" and ax.get_xlabel().startswith("λ")
    g = mixture_check(p1, q1, p2, q2, 0.3, base=np.e).gap
    assert f"λ = 0.30: gap {g:.4f} nats" in _legend(ax)


def test_triangle_binary_shades_exactly_the_failures():
    p, q = [0.2, 0.8], [0.7, 0.3]
    ax = plot_triangle_binary(p, q, n=50)
    u = ax.lines[0].get_xdata()
    np.testing.assert_allclose(u, coin_grid(50))
    detour = ax.lines[0].get_ydata()
    for k in (3, 20, 45):
        uu = [u[k], 1 - u[k]]
        assert detour[k] == pytest.approx(kl_divergence(p, uu) + kl_divergence(uu, q))
    assert ax.lines[1].get_ydata()[0] == pytest.approx(kl_divergence(p, q))
    t = triangle_check(np.tile(p, (50, 1)), np.stack([u, 1 - u], -1), np.tile(q, (50, 1)))
    frac = np.mean(t.violated)
    assert f"triangle inequality fails ({frac:.0%} of u)" in _legend(ax)
    assert ax.get_ylabel() == "D (bits)" and "Triangle" in ax.get_title()
    # a metric: nothing shaded, no "fails" entry
    ax = plot_triangle_binary(p, q, divergence=js_distance, name="JS distance", unit="√bits", n=50)
    assert not any("fails" in t for t in _legend(ax))
    assert ax.get_ylabel() == "JS distance (√bits)"


def test_objective_curve_marks_minima():
    th = np.linspace(-2, 2, 81)
    ys = [th ** 2, (th ** 2 - 1) ** 2]
    ax = plot_objective_curve(th, ys, labels=["one", "two"], ylabel="divergence (nats)",
                              title="curves")
    np.testing.assert_allclose(ax.lines[1].get_ydata(), ys[1])
    marks = ax.lines[3]
    np.testing.assert_allclose(marks.get_xdata(), th[local_minima(ys[1])])
    assert len(marks.get_xdata()) == 2
    assert "local minima of two (2)" in _legend(ax)
    assert ax.get_ylabel() == "divergence (nats)" and ax.get_title() == "curves"
    assert ax.lines[0].get_linestyle() != ax.lines[1].get_linestyle()   # greyscale
    with pytest.raises(ValueError, match="labels"):
        plot_objective_curve(th, ys, labels=["one"])
    with pytest.raises(ValueError, match="one value per theta"):
        plot_objective_curve(th, th[:-1])


def test_both_directions_bars_and_infinity():
    ax = plot_both_directions([0.2, 0.8], [0.6, 0.4], base=np.e)
    h = [b.get_height() for b in ax.containers[0]]
    assert h == pytest.approx([kl_divergence([0.2, 0.8], [0.6, 0.4], base=np.e),
                               kl_divergence([0.6, 0.4], [0.2, 0.8], base=np.e)])
    assert ax.get_ylabel() == "divergence (nats)"
    ax = plot_both_directions([0.5, 0.5], [1.0, 0.0])
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["∞", f"{kl_divergence([1.0, 0.0], [0.5, 0.5]):.3f}"]
    bars = list(ax.containers[0])
    assert bars[0].get_height() > bars[1].get_height()      # the infinite bar reaches the top


def test_triangle_binary_labels_use_the_right_separator():
    ax = plot_triangle_binary([0.3, 0.7], [0.6, 0.4], n=20)
    texts = _legend(ax)
    assert texts[0] == "detour D(p‖u) + D(u‖q)"
    assert texts[1] == f"direct D(p‖q) = {kl_divergence([0.3, 0.7], [0.6, 0.4]):.4f} bits"
    ax = plot_triangle_binary([0.3, 0.7], [0.6, 0.4], divergence=js_distance, name="JS", n=20)
    assert _legend(ax)[0] == "detour JS(p, u) + JS(u, q)"


def test_pair_segment_labels_stay_off_the_segment():
    """Each label is pushed away from the other end, so it never sits on the segment."""
    import matplotlib
    matplotlib.use("Agg")
    ax = plot_pair_segment([0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4], lam=0.4)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    seg = ax.lines[0]
    pts = ax.transData.transform(seg.get_xydata())
    t = np.linspace(0, 1, 200)[:, None]
    line = pts[0] + t * (pts[1] - pts[0])
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        inside = ((line[:, 0] > box.x0) & (line[:, 0] < box.x1)
                  & (line[:, 1] > box.y0) & (line[:, 1] < box.y1))
        assert not inside.any(), f"label {text.get_text()!r} covers the segment"
        axes_box = ax.get_window_extent(renderer)
        assert axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1, \
            f"label {text.get_text()!r} is cut off by the edge of the square"


def test_objective_curve_ymax():
    th = np.linspace(0.01, 0.99, 50)
    ax = plot_objective_curve(th, -np.log(th * (1 - th)), ymax=3.0)
    assert ax.get_ylim() == (0, 3.0)

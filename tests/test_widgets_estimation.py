"""Tests of the notebook-10 explorer: its numbers are kl_knn's and bootstrap_ci's."""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pytest

from klcourse.estimation import bootstrap_ci, kl_knn
from klcourse.estimation.bootstrap import subsample_plan
from klcourse.widgets.estimation import _HalfSamples, knn_explorer


def samples(n: int, m: int, seed: int = 10):
    """The samples the explorer draws for (n, m): p = N(0, 1), q = N(1, 1.5^2)."""
    rng = np.random.default_rng([seed, n, m])
    return rng.normal(0, 1, n), rng.normal(1.0, 1.5, m)


@pytest.fixture(scope="module")
def explorer():
    with contextlib.redirect_stdout(io.StringIO()):
        yield knn_explorer(resamples=12)


def interval(text: str) -> tuple[float, float]:
    low, high = text.removesuffix(" bits").strip("[]").split(", ")
    return float(low), float(high)


@pytest.mark.parametrize("n,m,k", [(400, 400, 5), (400, 400, 1), (400, 400, 25),
                                   (450, 400, 9), (1000, 150, 3), (50, 2000, 24)])
def test_estimate_and_interval_are_those_of_kl_knn_and_bootstrap_ci(explorer, n, m, k):
    with contextlib.redirect_stdout(io.StringIO()):
        out = explorer.update(n=n, m=m, k=k)
    x, y = samples(n, m)
    ci = bootstrap_ci(lambda a, b: kl_knn(a, b, k=k), x, y, n_resamples=12, level=0.9,
                      seed=10, resample="subsample")
    assert out["k-NN estimate"][0] == kl_knn(x, y, k=k) == ci.estimate
    low, high = interval(out["90 % subsampling interval"])
    assert (low, high) == (round(ci.low, 3), round(ci.high, 3))
    shown = explorer.last_figure.axes[0].lines   # the bar's ends are the interval's
    bar = next(line for line in shown if len(line.get_xdata()) == 2
               and line.get_linestyle() == "-")
    assert np.allclose(bar.get_xdata(), [ci.low, ci.high], rtol=0, atol=1e-9)
    truth = out["true D(p || q)"][0]
    assert out["covers the truth"] == ("yes" if ci.low <= truth <= ci.high else "no")


def test_a_k_too_large_for_the_half_samples_shows_no_interval(explorer):
    with contextlib.redirect_stdout(io.StringIO()):
        out = explorer.update(n=50, m=400, k=25)   # halves of 25: k = 25 needs 26
    x, y = samples(50, 400)
    assert out["k-NN estimate"][0] == kl_knn(x, y, k=25)
    assert out["90 % subsampling interval"].startswith("none at k = 25")
    assert out["covers the truth"] == "—"
    with pytest.raises(ValueError, match="needs at least k \\+ 1 = 26"):
        kl_knn(x[subsample_plan((50, 400), 2, 10)[0][0]], y, k=25)


@pytest.mark.parametrize("repeats", [False, True])
def test_the_sorted_half_samples_give_kl_knn_on_each(repeats):
    rng = np.random.default_rng(7)
    x, y = rng.normal(0, 1, 120), rng.normal(0.5, 2.0, 90)
    if repeats:                 # exact copies: kl_knn skips neighbours at distance 0
        x[:30] = x[30:60]
        y[:20] = x[:20]
    halves = _HalfSamples(x, y, 6, seed=3)
    plan = subsample_plan((120, 90), 6, 3)
    assert [len(a) for a, _ in halves.halves] == [60] * 6
    for k in (1, 4, 12) if repeats else (1, 4, 45):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)     # kl_knn: "exact repeats"
            expected = [kl_knn(x[i], y[j], k=k) for i, j in plan]
            got = halves.estimates(k)
        assert np.allclose(got, expected, rtol=1e-9, atol=1e-9)
    assert halves.estimates(46) is None          # half of y: 45 points, fewer than k


def test_moving_k_reuses_the_half_samples_and_fits_once(explorer, monkeypatch):
    """After a setting of (n, m), a move of k does one k-NN fit and no half-samples."""
    import klcourse.widgets.estimation as module

    with contextlib.redirect_stdout(io.StringIO()):
        explorer.update(n=600, m=350, k=4)
    calls = []
    real_fit, real_halves = module.kl_knn, module._HalfSamples
    monkeypatch.setattr(module, "kl_knn", lambda *a, **kw: calls.append("fit") or
                        real_fit(*a, **kw))
    monkeypatch.setattr(module, "_HalfSamples", lambda *a, **kw: calls.append("halves")
                        or real_halves(*a, **kw))
    with contextlib.redirect_stdout(io.StringIO()):
        explorer.update(k=11)
    assert calls == ["fit"]
    with contextlib.redirect_stdout(io.StringIO()):
        explorer.update(n=650)                     # new samples: new half-samples
    assert calls == ["fit", "fit", "halves"]

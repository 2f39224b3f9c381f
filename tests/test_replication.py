"""Tests of klcourse.replication: the spread of independent runs as an honest error bar."""

from __future__ import annotations

import numpy as np
import pytest

from klcourse.error_exponents import np_test_errors
from klcourse.replication import covers, replicate_lr_simulation

P, Q = [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]


def test_runs_are_independent_and_the_spread_covers_the_exact_value():
    ns = [3000, 30_000]
    rep = replicate_lr_simulation(P, Q, ns, trials=4000, runs=12, seed=1)
    assert rep.log_beta.shape == (12, 2) and len(np.unique(rep.log_beta[:, 0])) == 12
    exact = np_test_errors(P, Q, ns).log_beta
    # The threshold's error is missing from the reported standard error: the spread is larger.
    assert (rep.spread > 2 * rep.reported.mean(axis=0)).all()
    inside = covers(rep.log_beta, np.broadcast_to(rep.spread, rep.log_beta.shape),
                    np.broadcast_to(exact, rep.log_beta.shape), k=3)
    assert inside.mean() >= 0.9
    run = rep.run(3)
    np.testing.assert_array_equal(run.log_beta, rep.log_beta[3])
    np.testing.assert_array_equal(run.stderr, rep.spread)


def test_refusals():
    with pytest.raises(ValueError, match="at least 2"):
        replicate_lr_simulation(P, Q, 10, runs=1)
    with pytest.raises(TypeError, match="seed"):
        replicate_lr_simulation(P, Q, 10, seed=1.5)
    with pytest.raises(ValueError, match="one shape"):
        covers([1.0], [1.0, 2.0], [1.0])

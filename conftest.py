"""Shared test set-up for tests/, the doctests in klcourse/ and nbval: Agg, one BLAS thread,
hypothesis profiles, figures closed after each test."""

import os

# One BLAS thread, in this process and in the kernels nbval starts (they
# inherit the environment): tiny matrix products are far faster on 2 cores,
# and summation order -- hence the last digits -- is the same as when
# `python -m klcourse regenerate` produced the stored outputs.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Select Agg in this process only. (Setting MPLBACKEND instead would leak into
# the kernels nbval starts, and the notebooks' inline figures would vanish.)
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

# "ci" is deterministic (derandomized) so a red run can be reproduced exactly;
# "dev" explores new examples each run.
settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test (or doctest) opened."""
    yield
    plt.close("all")

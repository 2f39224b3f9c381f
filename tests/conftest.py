"""Shared test set-up: a non-interactive matplotlib backend and hypothesis profiles."""

import os

import matplotlib
from hypothesis import HealthCheck, settings

# Select Agg in this process only. (Setting MPLBACKEND instead would leak into
# the kernels nbval starts, and the notebooks' inline figures would vanish.)
matplotlib.use("Agg")

# "ci" is deterministic (derandomized) so a red run can be reproduced exactly;
# "dev" explores new examples each run.
settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

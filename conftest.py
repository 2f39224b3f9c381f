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


# ------------------------------------------------------------------ the browser
# One headless Chromium per test session, shared by the JupyterLab tests
# (tests/e2e) and the offline checks of the HTML edition and slides. Playwright's
# sync API cannot be started twice in one process while the first is alive, so
# every browser test must use this fixture rather than start its own.

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync",
]


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _browser_unavailable(reason: str):
    if _on_ci():
        pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Debian's Chromium: $KLCOURSE_CHROMIUM, else chromium on PATH, else /usr/bin/chromium."""
    import shutil

    explicit = os.environ.get("KLCOURSE_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Chromium; skips without Playwright or Chromium (fails when CI is set)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        _browser_unavailable(f"Playwright for Python is not installed ({err}); "
                             "pip install playwright (no `playwright install` needed)")
    path = find_chromium()
    if path is None:
        _browser_unavailable("no Chromium found (looked at $KLCOURSE_CHROMIUM, chromium on PATH, "
                             "/usr/bin/chromium); install it with `apt-get install -y chromium`")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=chromium_path, headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


def pytest_terminal_summary(terminalreporter):
    """axe-core's counts per page (tests/test_accessibility.py), when those tests ran."""
    import sys

    support = sys.modules.get("handouts_support")
    summary = getattr(support, "AXE_SUMMARY", None)
    if not summary:
        return
    tr = terminalreporter
    tr.section("accessibility (axe-core): violations by impact, per page")
    for name, counts in summary.items():
        shown = ", ".join(f"{k} {counts.get(k, 0)}" for k in
                          ("critical", "serious", "moderate", "minor"))
        tr.write_line(f"{name:<48}{shown}")

"""Tests of klcourse.doctor (module klcourse.course.environment): it reads the supported ranges from the package metadata."""

import importlib.metadata as md

from packaging.specifiers import SpecifierSet

from klcourse.course.environment import Report, _check, collect, doctor, format_report


def test_current_environment_is_ok(capsys):
    report = doctor()
    out = capsys.readouterr().out
    assert report.ok
    assert "All good" in out
    names = {c.name for c in report.checks}
    assert {"Python", "klcourse", "numpy", "scipy", "matplotlib", "ipywidgets", "jupyterlab", "nbval"} <= names


def test_ranges_come_from_pyproject_metadata():
    requires = md.requires("klcourse")
    numpy_line = next(r for r in requires if r.startswith("numpy"))
    check = next(c for c in collect().checks if c.name == "numpy")
    assert SpecifierSet(check.required) == SpecifierSet(numpy_line[len("numpy"):].split(";")[0])


def test_out_of_range_and_missing_are_reported_with_a_fix():
    old = _check("numpy", "1.21.0", SpecifierSet(">=1.26,<3"), optional=False)
    assert not old.ok and 'pip install "numpy' in old.fix and "1.21.0" in old.fix
    missing = _check("scipy", None, SpecifierSet(">=1.11"), optional=False)
    assert not missing.ok and "missing" in missing.fix
    report = Report([old, missing])
    text = format_report(report)
    assert not report.ok
    assert "PROBLEM" in text and "requirements.txt" in text


def test_optional_missing_does_not_fail():
    opt = _check("playwright", None, SpecifierSet(">=1.40"), optional=True)
    report = Report([opt])
    assert report.ok
    assert "only for its tests" in format_report(report)


def test_cli_exit_status(capsys):
    from klcourse.course.cli import main

    assert main(["doctor"]) == 0
    assert "klcourse environment check" in capsys.readouterr().out

"""Environment check: is everything the course needs installed, in a supported version?

The supported ranges are read from klcourse's own package metadata, i.e. from
``pyproject.toml``, where they are declared once.
"""

from __future__ import annotations

import importlib.metadata as md
import platform
import sys
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from klcourse._versions import __version__

__all__ = ["doctor", "Check", "Report", "FIX_COMMAND"]

#: The one command that installs everything in its supported range.
FIX_COMMAND = 'python -m pip install -r requirements.txt   (run it in the klcourse folder)'

# Extras whose packages the course needs too: JupyterLab to run it, the test
# tools to check it. Optional ones are reported but do not fail the check.
_REQUIRED_EXTRAS = ("course",)
_OPTIONAL_EXTRAS = ("test",)


@dataclass(frozen=True)
class Check:
    """One line of the report: a package, what is installed, what is needed."""

    name: str
    installed: str | None
    required: str
    ok: bool
    optional: bool = False
    fix: str = ""


@dataclass
class Report:
    """The outcome of :func:`doctor`; ``ok`` is True when nothing required is missing."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok or c.optional for c in self.checks)

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def __repr__(self) -> str:
        return f"Report(ok={self.ok}, problems={len(self.problems)})"


def _check(name: str, installed: str | None, spec: SpecifierSet, optional: bool) -> Check:
    required = ",".join(sorted(map(str, spec), key=lambda s: not s.startswith(">"))) or "any"
    if installed is None:
        return Check(name, None, required, False, optional,
                     f'missing: install it with  python -m pip install "{name}{spec}"')
    try:
        ok = spec.contains(Version(installed), prereleases=True)
    except InvalidVersion:
        ok = False
    fix = "" if ok else (
        f'version {installed} is outside the supported range {required}: '
        f'python -m pip install "{name}{spec}"'
    )
    return Check(name, installed, required, ok, optional, fix)


def _installed(dist: str) -> str | None:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


def collect() -> Report:
    """Gather the checks without printing anything."""
    report = Report()
    try:
        meta = md.metadata("klcourse")
        requires = md.requires("klcourse") or []
    except md.PackageNotFoundError:
        report.checks.append(Check(
            "klcourse", None, __version__, False,
            fix="klcourse is imported from a folder but not installed: " + FIX_COMMAND))
        return report

    python = platform.python_version()
    report.checks.append(_check("Python", python, SpecifierSet(meta.get("Requires-Python", "")),
                                optional=False))
    installed_meta = md.version("klcourse")
    report.checks.append(Check(
        "klcourse", __version__, installed_meta, installed_meta == __version__,
        fix="" if installed_meta == __version__ else
        f"the installed metadata says {installed_meta} but the code is {__version__}: " + FIX_COMMAND))

    env = {"python_version": ".".join(python.split(".")[:2])}
    for line in requires:
        req = Requirement(line)
        extra = None
        if req.marker is not None:
            for candidate in _REQUIRED_EXTRAS + _OPTIONAL_EXTRAS:
                if req.marker.evaluate({**env, "extra": candidate}):
                    extra = candidate
                    break
            if extra is None and not req.marker.evaluate({**env, "extra": ""}):
                continue
        report.checks.append(_check(req.name, _installed(req.name), req.specifier,
                                    optional=extra in _OPTIONAL_EXTRAS))
    return report


def format_report(report: Report) -> str:
    """The report as the plain text that :func:`doctor` prints."""
    lines = ["klcourse environment check", ""]
    width = max([len(c.name) for c in report.checks] + [8])
    for c in report.checks:
        mark = "ok" if c.ok else ("optional, missing" if c.optional and c.installed is None
                                  else "PROBLEM")
        lines.append(f"  {c.name:<{width}}  {c.installed or '-':<12} needs {c.required:<16} {mark}")
    lines.append("")
    if report.ok and not report.problems:
        lines.append("All good: every package is installed in a supported version.")
    else:
        for c in report.problems:
            lines.append(f"- {c.name}: {c.fix}")
        lines.append("")
        if report.ok:
            lines.append("The course will run; the optional packages above are only for its tests.")
        else:
            lines.append("To fix everything at once: " + FIX_COMMAND)
    return "\n".join(lines)


def doctor(*, quiet: bool = False) -> Report:
    """Check the environment and say plainly what is missing and how to fix it.

    Prints the version of Python, klcourse and each package the course uses,
    next to the range it supports (declared once, in ``pyproject.toml``).

    Parameters
    ----------
    quiet : bool, optional
        If True, print nothing and only return the report.

    Returns
    -------
    Report
        ``report.ok`` is True when every required package is present and in
        range; ``report.problems`` lists what is not.

    Examples
    --------
    >>> import klcourse
    >>> report = klcourse.doctor(quiet=True)
    >>> report.ok
    True
    """
    report = collect()
    if not quiet:
        print(format_report(report))
    return report


def main() -> int:
    """Entry point of ``python -m klcourse doctor``: exit status 1 on problems."""
    report = doctor()
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

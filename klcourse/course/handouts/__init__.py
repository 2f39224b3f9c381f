"""Handouts for instructors and self-learners: student copies, an offline HTML edition, slides.

* :mod:`klcourse.course.handouts.student` — the notebooks without worked solutions
  (``python -m klcourse student OUTDIR``);
* :mod:`klcourse.course.handouts.html` — every notebook as a web page that opens from
  disk with no network, plus an index (``python -m klcourse html OUTDIR``);
* :mod:`klcourse.course.handouts.slides` — a reveal.js deck of one notebook, offline
  (``python -m klcourse slides NOTEBOOK OUTDIR``);
* :mod:`klcourse.course.handouts.assets` — the pinned JavaScript those pages load,
  fetched from the npm registry at build time.

:func:`add_commands` registers the three commands on ``python -m klcourse``.
"""

from __future__ import annotations

import argparse
import os
import textwrap
from collections.abc import Iterable
from pathlib import Path

__all__ = ["add_commands"]


def _notebook_paths(notebooks: Iterable[str | os.PathLike] | None, verb: str) -> list[Path]:
    """The notebooks given, or every course notebook; an empty list is refused."""
    from klcourse.course.notebook_tools import course_notebooks

    from klcourse.course.files import CourseError

    paths = [Path(p) for p in notebooks] if notebooks is not None else course_notebooks()
    if not paths:
        raise CourseError(f"no notebooks to {verb}")
    for p in paths:
        if p.is_dir():
            raise CourseError(f"NOTEBOOK {p} is a folder, not a notebook; pass .ipynb files")
        if not p.exists():
            raise CourseError(f"NOTEBOOK {p} does not exist; pass the path of a notebook, "
                              "e.g. notebooks/00_start_here.ipynb")
    return paths


def _describe(*paragraphs: str) -> str:
    return "\n\n".join(textwrap.fill(p, 78) for p in paragraphs)


def _student(args: argparse.Namespace) -> int:
    from klcourse.course.handouts.student import write_student_copies

    report = write_student_copies(args.outdir, args.notebooks or None, force=args.force)
    for line in report.lines():
        print(line)
    print(f"{len(report.written) + len(report.overwritten) + len(report.repaired)} written, "
          f"{len(report.unchanged)} up to date, {len(report.skipped)} skipped")
    return 0


def _html(args: argparse.Namespace) -> int:
    from klcourse.course.handouts.html import build_html

    pages = build_html(args.outdir, args.notebooks or None,
                       solutions="omit" if args.no_solutions else "fold", verbose=True,
                       force=args.force)
    print(f"{len(pages) - 1} notebook pages and an index; open {pages[0]} in a browser "
          "(no network needed)")
    return 0


def _slides(args: argparse.Namespace) -> int:
    from klcourse.course.handouts.slides import build_slides

    deck = build_slides(args.notebook, args.outdir, solutions=args.solutions, force=args.force)
    print(f"wrote {deck}; open it in a browser (arrow keys move, S opens speaker notes, "
          "no network needed)")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``student``, ``html`` and ``slides`` on the subcommand parser `sub`."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "student", formatter_class=fmt,
        help="write student copies of the notebooks (worked solutions removed)",
        description=_describe(
            "Write a student copy of every course notebook into OUTDIR: cells tagged "
            "'solution' are removed, and the stored output of the exercise checks is cleared.",
            "A file in OUTDIR that differs from its student copy (e.g. a learner's edited "
            "notebook) is never overwritten unless --force is given."),
        epilog="example: python -m klcourse student handout/")
    p.add_argument("outdir", metavar="OUTDIR", type=str, help="folder for the copies (created if missing)")
    p.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK",
                   help="only these notebooks (default: all course notebooks)")
    p.add_argument("--force", action="store_true",
                   help="overwrite files that differ from the student copy")
    p.set_defaults(func=_student)

    p = sub.add_parser(
        "html", formatter_class=fmt,
        help="build the offline HTML edition (one page per notebook and an index)",
        description=_describe(
            "Render every course notebook (text, formulas, figures, saved widget state) to "
            "OUTDIR/NN_name.html, with OUTDIR/index.html listing them in order.",
            "The pages open from disk with no network: the JavaScript they need is fetched "
            "once from the npm registry at build time (npm must be installed; cached in "
            "~/.cache/klcourse/npm or $KLCOURSE_NPM_CACHE) and copied to OUTDIR/_static/."),
        epilog="example: python -m klcourse html site/   (then open site/index.html)")
    p.add_argument("outdir", metavar="OUTDIR", type=str, help="folder for the pages (created if missing)")
    p.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK",
                   help="only these notebooks, in this order (default: all course notebooks)")
    p.add_argument("--no-solutions", action="store_true",
                   help="render the student copies (default: worked solutions folded behind a click)")
    p.add_argument("--force", action="store_true",
                   help="replace files in OUTDIR that this command did not write")
    p.set_defaults(func=_html)

    p = sub.add_parser(
        "slides", formatter_class=fmt,
        help="build a reveal.js slide deck of one notebook (works offline)",
        description=_describe(
            "Write OUTDIR/NN_name.slides.html, a reveal.js deck of NOTEBOOK, and the libraries "
            "it loads in OUTDIR/_static/ (fetched from the npm registry at build time; npm "
            "must be installed). The deck opens from disk with no network.",
            "Slide metadata set in JupyterLab is used where present; otherwise '#'/'##' "
            "headings start slides, '###' headings start sub-slides, figures and long code "
            "get a slide of their own, other code appears on a click, cells tagged 'notes' "
            "become speaker notes, and worked solutions are left out (see "
            "docs/instructor-guide.md)."),
        epilog="example: python -m klcourse slides notebooks/03_nonnegativity.ipynb slides/")
    p.add_argument("notebook", metavar="NOTEBOOK", type=Path, help="the .ipynb file")
    p.add_argument("outdir", metavar="OUTDIR", type=str, help="folder for the deck (created if missing)")
    p.add_argument("--solutions", action="store_true",
                   help="include worked solutions, each revealed on a click after its exercise")
    p.add_argument("--force", action="store_true",
                   help="replace files in OUTDIR that this command did not write")
    p.set_defaults(func=_slides)

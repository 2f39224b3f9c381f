"""The command line: ``python -m klcourse COMMAND``.

Commands for learners and instructors (``lab``, ``doctor``, ``student``,
``html``, ``slides``) and for maintainers (``regenerate``, ``nav``).

Every error a command meets is printed as one line that names the file and
the fix, with exit status 2; ``--debug`` shows the traceback as well.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main", "build_parser"]


def _doctor(args: argparse.Namespace) -> int:
    from klcourse.course.environment import main as doctor_main

    return doctor_main()


def _regenerate(args: argparse.Namespace) -> int:
    from klcourse.course.notebook_tools import regenerate

    regenerate([Path(p) for p in args.notebooks] or None, timeout=args.timeout,
               any_folder=args.any_folder)
    return 0


def _lab(args: argparse.Namespace) -> int:
    from klcourse.course.launch import launch_lab

    return launch_lab(args.notebook, port=args.port, open_browser=not args.no_browser)


def _nbgrader(args: argparse.Namespace) -> int:
    from klcourse.course.grading import write_nbgrader_course

    report = write_nbgrader_course(args.outdir, [Path(p) for p in args.notebooks] or None,
                                   force=args.force)
    for line in report.lines():
        print(line)
    return 0


def _nav(args: argparse.Namespace) -> int:
    from klcourse.course.notebook_tools import sync_navigation

    stale = sync_navigation(args.folder, check=args.check, any_folder=args.any_folder)
    for path in stale:
        print(f"{'out of date' if args.check else 'updated'}: {path}")
    if args.check and stale:
        print("run: python -m klcourse nav   (then regenerate the notebooks)")
        return 1
    if not stale:
        print("navigation is up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m klcourse`` with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m klcourse",
        description="Tools for the klcourse notebooks: check the environment, make student "
                    "copies, an offline HTML edition and slides, regenerate outputs.")
    parser.add_argument("--debug", action="store_true",
                        help="on an error, show the full traceback as well")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("lab", help="start JupyterLab on notebook 00 (as root too)",
                       description="Start JupyterLab in the course folder, open on NOTEBOOK "
                                   "(default notebooks/00_start_here.ipynb), and print the "
                                   "address that opens it. Adds --allow-root only when run as "
                                   "root. Stop it with Ctrl-C.")
    p.add_argument("notebook", nargs="?", default=None, type=Path, metavar="NOTEBOOK",
                   help="the notebook to open (default: notebook 00)")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="only print the address")
    p.set_defaults(func=_lab)

    p = sub.add_parser("doctor", help="check that everything the course needs is installed")
    p.set_defaults(func=_doctor)

    p = sub.add_parser("regenerate",
                       help="re-run notebooks top to bottom in a fresh kernel and store outputs")
    p.add_argument("notebooks", nargs="*", help="notebooks to run (default: all, in order)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    p.add_argument("--any-folder", action="store_true",
                   help="allow notebooks outside the course's notebooks/ (never student copies)")
    p.set_defaults(func=_regenerate)

    p = sub.add_parser("nav", help="write previous/next links and notebook 00's contents table")
    p.add_argument("folder", nargs="?", default=None, help="notebooks folder (default: ./notebooks)")
    p.add_argument("--check", action="store_true", help="only report stale navigation (exit 1)")
    p.add_argument("--any-folder", action="store_true",
                   help="allow a folder other than the course's notebooks/ (never student copies)")
    p.set_defaults(func=_nav)

    p = sub.add_parser("nbgrader", help="write the course as an nbgrader course (one "
                                         "assignment per notebook)",
                       description="Write OUTDIR/source/NN_name/NN_name.ipynb for every course "
                                   "notebook and OUTDIR/nbgrader_config.py: answer cells become "
                                   "solution cells, each check an autograded test cell (1 point) "
                                   "whose hidden test uses the exercise's own tolerance. Needs "
                                   "nbgrader to grade (pip install -e .[grading]).")
    p.add_argument("outdir", metavar="OUTDIR", type=str, help="the nbgrader course folder")
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                   help="only these notebooks (default: all)")
    p.add_argument("--force", action="store_true", help="replace existing source notebooks")
    p.set_defaults(func=_nbgrader)

    from klcourse.course import handouts

    handouts.add_commands(sub)
    return parser


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m klcourse`` with `argv` (default: the command line); return the exit status.

    Errors are printed as one line on stderr (``--debug`` adds the traceback)
    and give exit status 2; Ctrl-C gives 130.

    Examples
    --------
    >>> main(["nav", "no/such/folder"])
    2
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted; every file is written atomically, so none was left half-written",
              file=sys.stderr)
        return 130
    except Exception as err:  # every error becomes one line that names the file and the fix
        from klcourse.course.files import CourseError
        from klcourse.course.handouts.assets import AssetError

        if args.debug:
            import traceback

            traceback.print_exc()
        known = isinstance(err, (CourseError, AssetError, ValueError, OSError))
        where = "" if known else f"unexpected {type(err).__name__}: "
        tip = "" if args.debug else " (run with --debug for the traceback)"
        print(f"error: {where}{_one_line(err)}{'' if known else tip}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The command line: ``python -m klcourse COMMAND``.

Commands for learners and instructors (``doctor``, ``student``, ``html``,
``slides``) and for maintainers (``regenerate``, ``nav``).
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

    regenerate([Path(p) for p in args.notebooks] or None, timeout=args.timeout)
    return 0


def _nav(args: argparse.Namespace) -> int:
    from klcourse.course.notebook_tools import sync_navigation

    stale = sync_navigation(args.folder, check=args.check)
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("doctor", help="check that everything the course needs is installed")
    p.set_defaults(func=_doctor)

    p = sub.add_parser("regenerate",
                       help="re-run notebooks top to bottom in a fresh kernel and store outputs")
    p.add_argument("notebooks", nargs="*", help="notebooks to run (default: all, in order)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    p.set_defaults(func=_regenerate)

    p = sub.add_parser("nav", help="write previous/next links and notebook 00's contents table")
    p.add_argument("folder", nargs="?", default=None, help="notebooks folder (default: ./notebooks)")
    p.add_argument("--check", action="store_true", help="only report stale navigation (exit 1)")
    p.set_defaults(func=_nav)

    from klcourse.course import handouts

    handouts.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m klcourse`` with `argv` (default: the command line); return the exit status."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

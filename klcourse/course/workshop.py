"""Room set-up helpers for a JupyterHub workshop (see ``workshop/jupyterhub_config.py``).

:func:`provision` gives one learner their own student copies, in
``HOME/klcourse/``, as the hub starts their server. It is idempotent: a copy
the learner has edited is never overwritten (the same rules as
``python -m klcourse student``), so restarting a server, or the hub, never
loses work.
"""

from __future__ import annotations

import os
from pathlib import Path

from klcourse.course.handouts.student import StudentReport, write_student_copies

__all__ = ["COURSE_FOLDER", "provision", "start_url"]

COURSE_FOLDER = "klcourse"
"""The folder, inside each learner's home, that holds their student copies."""


def provision(home: str | os.PathLike, source: str | os.PathLike | None = None) -> StudentReport:
    """Write (or bring up to date) the student copies in ``home/klcourse``; never overwrite edits.

    Parameters
    ----------
    home : path-like
        The learner's home folder (created if missing).
    source : path-like, optional
        The course's ``notebooks/`` folder (default: ``$KLCOURSE_NOTEBOOKS``,
        else the checkout klcourse is installed from).

    Returns
    -------
    StudentReport
        What was written, left as it was, or skipped because the learner edited it.

    Examples
    --------
    >>> import tempfile
    >>> home = Path(tempfile.mkdtemp())
    >>> first = provision(home)
    >>> again = provision(home)
    >>> len(first.written) == len(again.unchanged) > 0, again.written
    (True, [])
    """
    from klcourse.course.notebook_tools import course_notebooks

    source = source if source is not None else os.environ.get("KLCOURSE_NOTEBOOKS")
    target = Path(home) / COURSE_FOLDER
    return write_student_copies(target, course_notebooks(source))


def start_url(notebook: str = "00_start_here.ipynb") -> str:
    """The single-user server's start page: JupyterLab on `notebook` of the learner's copies.

    Parameters
    ----------
    notebook : str, optional
        The file name of a notebook in :data:`COURSE_FOLDER` (default notebook 00).

    Returns
    -------
    str
        The path, relative to the single-user server, that opens it (not URL-quoted).

    Examples
    --------
    >>> start_url()
    '/lab/tree/klcourse/00_start_here.ipynb'
    """
    return f"/lab/tree/{COURSE_FOLDER}/{notebook}"

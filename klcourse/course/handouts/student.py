"""Student copies: the notebooks without their worked solutions.

:func:`student_notebook` is the pure transformation of one notebook;
:func:`write_student_copies` writes every course notebook into a folder
without ever overwriting a file a learner may have edited (unless forced).

What a student copy changes, and nothing else:

* cells tagged ``solution`` are removed;
* the stored outputs (and execution counts) of code cells that *use* a name
  the removed cells assigned are cleared: the ``check("NN.name", answer)``
  cells, so no stored "correct." gives anything away;
* ``metadata.klcourse.edition`` is set to ``"student"``.
"""

from __future__ import annotations

import ast
import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from klcourse.course.files import (CourseError, atomic_write_text, guard_outdir, is_half_written,
                                   read_notebook, set_aside)
from klcourse.course.handouts import _notebook_paths

__all__ = ["SOLUTION_TAG", "student_notebook", "is_solution", "write_student_copies",
           "StudentReport"]

SOLUTION_TAG = "solution"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_solution(cell: dict) -> bool:
    """True for a cell tagged ``solution``.

    Parameters
    ----------
    cell : dict
        A notebook cell.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell
    >>> is_solution(new_code_cell("answer = 3", metadata={"tags": ["solution"]}))
    True
    >>> is_solution(new_code_cell("answer = ..."))
    False
    """
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def _python(source: str) -> tuple[ast.AST | None, bool]:
    """Parse a cell's source, IPython magics turned into Python first.

    Returns the tree (None if unparsable) and whether the cell had magics
    (whose arguments are strings, invisible to the tree).
    """
    code = source
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        code = TransformerManager().transform_cell(source)
    except Exception:  # IPython absent or the cell is odd: parse as is
        pass
    magic = code.strip() != source.strip()
    try:
        return ast.parse(code), magic
    except SyntaxError:
        return None, magic


def _assigned(source: str) -> set[str]:
    """Names a cell binds (assignments, for-targets, imports, def/class)."""
    tree, magic = _python(source)
    if tree is None:  # unparsable: treat every identifier as possibly assigned
        return set(_WORD.findall(source))
    names: set[str] = set(_WORD.findall(source)) if magic else set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _used(source: str) -> set[str]:
    """Names a cell reads."""
    tree, magic = _python(source)
    if tree is None or magic:  # magic arguments are strings: match identifiers instead
        return set(_WORD.findall(source))
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A student copy of `nb` (a new notebook; `nb` is left unchanged).

    Parameters
    ----------
    nb : NotebookNode
        A course notebook.

    Returns
    -------
    NotebookNode
        The copy without ``solution`` cells, with the outputs of the cells
        that use names those cells assigned cleared.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_code_cell, new_output
    >>> nb = new_notebook(cells=[
    ...     new_code_cell("answer = ...   # your answer here"),
    ...     new_code_cell("answer = 3", metadata={"tags": ["solution"]}),
    ...     new_code_cell('check("00.d8", answer)',
    ...                   outputs=[new_output("stream", text="00.d8: correct.")]),
    ...     new_code_cell("print(2 + 2)", outputs=[new_output("stream", text="4")])])
    >>> s = student_notebook(nb)
    >>> [c.source for c in s.cells]
    ['answer = ...   # your answer here', 'check("00.d8", answer)', 'print(2 + 2)']
    >>> [len(c.outputs) for c in s.cells]
    [0, 0, 1]
    >>> len(nb.cells)   # the original is untouched
    4
    """
    out = copy.deepcopy(nb)
    removed: set[str] = set()
    cells = []
    for cell in out.cells:
        if is_solution(cell):
            if cell.cell_type == "code":
                removed |= _assigned(cell.source)
            continue
        if cell.cell_type == "code" and removed and _used(cell.source) & removed:
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    out.metadata.setdefault("klcourse", {})["edition"] = "student"
    return out


@dataclass
class StudentReport:
    """What :func:`write_student_copies` did, file by file."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    overwritten: list[Path] = field(default_factory=list)
    repaired: list[Path] = field(default_factory=list)
    set_aside: dict[Path, Path] = field(default_factory=dict)
    reasons: dict[Path, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        rows = [f"wrote      {p}" for p in self.written]
        rows += [f"overwrote  {p}" for p in self.overwritten]
        rows += [f"repaired   {p} (a half-written file from an interrupted run was there; "
                 f"kept as {self.set_aside[p].name})" for p in self.repaired]
        rows += [f"up to date {p}" for p in self.unchanged]
        rows += [f"SKIPPED    {p} ({self.reasons.get(p, 'it differs from the student copy, e.g. a learner edited it')}"
                 "; use --force to overwrite)" for p in self.skipped]
        return rows


def _student_text(path: Path) -> str:
    text = nbformat.writes(student_notebook(read_notebook(path)))
    return text if text.endswith("\n") else text + "\n"


def write_student_copies(outdir: str | os.PathLike, notebooks: list[Path] | None = None, *,
                         force: bool = False) -> StudentReport:
    """Write the student copy of every notebook into `outdir`.

    An existing file that differs from the copy that would be written is
    left alone (reported as skipped) unless ``force=True``; an identical one
    is reported as up to date.

    Parameters
    ----------
    outdir : path
        The folder for the copies (created if missing).
    notebooks : list of paths, optional
        The notebooks (default: every course notebook).
    force : bool
        Overwrite files that differ from their student copy.

    Returns
    -------
    StudentReport
        The files written, overwritten, up to date and skipped.

    Raises
    ------
    ValueError
        If `outdir` is an existing file, or is the folder the notebooks come
        from (that would strip the solutions from the course itself).

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> tmp = Path(tempfile.mkdtemp())
    >>> nbformat.write(new_notebook(cells=[new_code_cell("answer = ..."),
    ...     new_code_cell("answer = 3", metadata={"tags": ["solution"]})]), tmp / "01_demo.ipynb")
    >>> first = write_student_copies(tmp / "handout", [tmp / "01_demo.ipynb"])
    >>> [p.name for p in first.written]
    ['01_demo.ipynb']
    >>> again = write_student_copies(tmp / "handout", [tmp / "01_demo.ipynb"])
    >>> [p.name for p in again.unchanged], again.written
    (['01_demo.ipynb'], [])
    """
    out = guard_outdir(outdir, "to hold the student notebooks")
    paths = _notebook_paths(notebooks, "copy")
    if out.exists() and any(p.parent.resolve() == out.resolve() for p in paths):
        raise CourseError(f"OUTDIR {out} is the folder the notebooks come from; writing student "
                          "copies there would delete the worked solutions. Pick another folder, "
                          "e.g. student/")
    seen: dict[str, Path] = {}
    for path in paths:
        if path.name in seen:
            raise CourseError(f"two notebooks are named {path.name} ({seen[path.name]} and "
                              f"{path}); one folder holds only one of them: pass one")
        seen[path.name] = path
    copies = [(path, _student_text(path)) for path in paths]   # read all before writing any
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CourseError(f"cannot create OUTDIR {out}: {err.strerror or err}; choose a "
                          "folder you can write to") from None
    report = StudentReport()
    for path, text in copies:
        target = out / path.name
        if not target.exists():
            atomic_write_text(target, text)
            report.written.append(target)
            continue
        if target.is_dir():
            report.skipped.append(target)
            report.reasons[target] = "a folder has this name"
            continue
        try:
            current = target.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            current = None
        if current == text:
            report.unchanged.append(target)
        elif is_half_written(target):
            # an interrupted write (by an older version) left this: no one edited it
            report.set_aside[target] = set_aside(target)
            atomic_write_text(target, text)
            report.repaired.append(target)
        elif force:
            atomic_write_text(target, text)
            report.overwritten.append(target)
        else:
            report.skipped.append(target)
            if current is None:
                report.reasons[target] = "it is not UTF-8 text, so not a notebook this tool wrote"
    return report

"""Maintaining the notebooks: the ordered list, navigation links, and regenerating outputs.

* :func:`course_notebooks` lists ``notebooks/NN_name.ipynb`` in order.
* :func:`sync_navigation` writes the previous/next links at the bottom of every
  notebook and the table of contents in notebook 00, from each notebook's title
  (its first ``#`` heading) and its ``metadata.klcourse`` entry
  (``{"promise": "...", "minutes": N}``). ``check=True`` only reports what is
  out of date; the test suite uses that, so a renamed or added notebook cannot
  leave a dead link.
* :func:`regenerate` re-executes notebooks top to bottom in a fresh kernel and
  stores the outputs: the only way outputs get into the repository.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = ["course_notebooks", "find_notebook_dir", "notebook_info", "sync_navigation",
           "regenerate", "guard_writable", "NAV_TAG", "TOC_TAG"]

NAV_TAG = "klcourse-nav"
TOC_TAG = "klcourse-toc"
_NAME = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")


def find_notebook_dir(path: str | os.PathLike | None = None) -> Path:
    """The course's ``notebooks/`` folder: `path`, else ./notebooks, else the repository's.

    Parameters
    ----------
    path : path-like, optional
        A folder to use instead of searching.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> find_notebook_dir().name
    'notebooks'
    """
    if path is not None and not Path(path).is_dir():
        from klcourse.course.files import CourseError

        raise CourseError(f"{path} is not a folder; pass the course's notebooks/ folder")
    candidates = [Path(path)] if path is not None else [
        Path.cwd() / "notebooks", Path.cwd(), Path(__file__).resolve().parents[2] / "notebooks"]
    for c in candidates:
        if c.is_dir() and any(_NAME.match(p.name) for p in c.iterdir()):
            return c
    from klcourse.course.files import CourseError

    raise CourseError(
        f"no course notebooks (NN_name.ipynb) found in {', '.join(map(str, candidates))}; "
        "run this from the klcourse folder or pass the notebooks folder")


def course_notebooks(folder: str | os.PathLike | None = None) -> list[Path]:
    """The course notebooks in order (``00_...``, ``01_...``, ...).

    Parameters
    ----------
    folder : path-like, optional
        The notebooks folder (found by :func:`find_notebook_dir` when None).

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> course_notebooks()[0].name
    '00_start_here.ipynb'
    """
    d = find_notebook_dir(folder)
    return sorted(p for p in d.iterdir() if _NAME.match(p.name) and p.is_file())


def guard_writable(folder: str | os.PathLike, *, any_folder: bool = False,
                   tool: str = "this tool") -> Path:
    """`folder`, if the maintenance tools may rewrite the notebooks in it.

    They never touch a folder holding student copies (``metadata.klcourse.edition``
    is ``"student"``: a learner's work), and touch a folder other than the
    course's own ``notebooks/`` only with ``any_folder=True``.

    Parameters
    ----------
    folder : path-like
        The folder whose notebooks would be rewritten.
    any_folder : bool
        Allow a folder other than the repository's ``notebooks/``.
    tool : str
        The command's name, for the message.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    CourseError
        Naming the folder and the reason.

    Examples
    --------
    >>> guard_writable(find_notebook_dir()).name
    'notebooks'
    """
    from klcourse.course.files import CourseError, course_root

    d = Path(folder)
    for p in sorted(d.glob("*.ipynb")):
        try:
            meta = nbformat.read(p, as_version=4).metadata.get("klcourse", {})
        except Exception:
            continue
        if meta.get("edition") == "student":
            raise CourseError(f"{d} holds student copies ({p.name} is one): a learner's work, "
                              f"which {tool} never rewrites; run it on the course's own "
                              "notebooks/ folder")
    root = course_root()
    own = root / "notebooks" if root is not None else None
    if not any_folder and (own is None or d.resolve() != own.resolve()):
        raise CourseError(f"{d} is not the course's own notebooks/ folder"
                          f"{f' ({own})' if own else ''}; {tool} rewrites notebooks in place, "
                          "so it only does that elsewhere with --any-folder")
    return d


@dataclass(frozen=True)
class NotebookInfo:
    path: Path
    number: str
    title: str
    promise: str
    minutes: int | None


def notebook_info(path: Path) -> NotebookInfo:
    """Title, one-line promise and time estimate of a notebook.

    Parameters
    ----------
    path : pathlib.Path
        A course notebook.

    Returns
    -------
    NotebookInfo
        The title is the first ``#`` heading; promise and minutes come from
        ``metadata.klcourse``.

    Examples
    --------
    >>> info = notebook_info(course_notebooks()[0])
    >>> info.number, info.minutes
    ('00', 10)
    """
    from klcourse.course.files import read_notebook

    nb = read_notebook(path)
    title = path.stem
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                title = m.group(1).strip()
                break
    meta = nb.metadata.get("klcourse", {})
    return NotebookInfo(path, path.name[:2], title, meta.get("promise", ""), meta.get("minutes"))


def _nav_source(prev: NotebookInfo | None, nxt: NotebookInfo | None, first: NotebookInfo) -> str:
    parts = []
    if prev is not None:
        parts.append(f"← Previous: [{prev.title}]({prev.path.name})")
        if prev.path != first.path:
            parts.append(f"[Contents]({first.path.name})")
    if nxt is not None:
        parts.append(f"Next: [{nxt.title}]({nxt.path.name}) →")
    return "---\n\n" + " · ".join(parts) + "\n"


def _toc_source(infos: list[NotebookInfo]) -> str:
    lines = ["| # | Notebook | What you will be able to do | Time |", "|---|---|---|---|"]
    total = 0
    for info in infos[1:]:
        minutes = f"{info.minutes} min" if info.minutes else ""
        total += info.minutes or 0
        lines.append(f"| {info.number} | [{info.title}]({info.path.name}) | {info.promise} | {minutes} |")
    hours, mins = divmod(total, 60)
    lines.append("")
    lines.append(f"Total: about {hours} h {mins:02d} min of work at a steady pace.")
    from klcourse.course.links import binder_link

    lines.append("")
    lines.append(f"No Python at hand? {binder_link('notebooks/' + infos[0].path.name)}.")
    return "\n".join(lines) + "\n"


README_START = "<!-- notebook-map:start (written by `python -m klcourse nav`) -->"
README_END = "<!-- notebook-map:end -->"


def _with_readme_map(text: str, infos: list[NotebookInfo], root: Path) -> str:
    """Replace the README's notebook map between its two marker comments."""
    if README_START not in text or README_END not in text:
        return text
    from klcourse.course.links import binder_link

    rows = [binder_link(infos[0].path.relative_to(root).as_posix()) + ".", "",
            "| Notebook | What you will be able to do | Time |", "|---|---|---|"]
    for info in infos:
        rel = info.path.relative_to(root).as_posix()
        minutes = f"{info.minutes} min" if info.minutes else ""
        rows.append(f"| [{info.number} {info.title}]({rel}) | {info.promise} | {minutes} |")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return head + README_START + "\n" + "\n".join(rows) + "\n" + README_END + tail


def _set_tagged_cell(nb: nbformat.NotebookNode, tag: str, source: str, *, at_end: bool) -> bool:
    """Replace the source of the cell tagged `tag` (or add one); True if changed."""
    for cell in nb.cells:
        if tag in cell.get("metadata", {}).get("tags", []):
            if cell.source == source:
                return False
            cell.source = source
            return True
    new = nbformat.v4.new_markdown_cell(source, metadata={"tags": [tag]})
    if at_end:
        nb.cells.append(new)
    else:
        raise ValueError(f"notebook has no cell tagged {tag!r}; add an empty markdown cell "
                         "with that tag where the table of contents belongs")
    return True


def sync_navigation(folder: str | os.PathLike | None = None, *, check: bool = False,
                    only: list[Path] | None = None, any_folder: bool = False) -> list[Path]:
    """Write (or with ``check=True`` only detect) stale navigation.

    Parameters
    ----------
    folder : path-like, optional
        The notebooks folder.
    check : bool, optional
        Only report what is out of date; write nothing.
    only : list of Path, optional
        Restrict the writing to these notebooks (links still point at every
        notebook in the folder; the README map is left alone).
    any_folder : bool, optional
        Allow writing in a folder other than the course's own ``notebooks/``
        (never in a folder of student copies); see :func:`guard_writable`.

    Returns
    -------
    list of pathlib.Path
        The notebooks (and README) whose navigation was, or would be, rewritten.

    Examples
    --------
    >>> sync_navigation(check=True) == [] or "run: python -m klcourse nav"
    True
    """
    from klcourse.course.files import atomic_write_text, read_notebook

    paths = course_notebooks(folder)
    if not check:
        guard_writable(paths[0].parent, any_folder=any_folder, tool="nav")
    infos = [notebook_info(p) for p in paths]
    targets = None if only is None else {Path(p).resolve() for p in only}
    stale = []
    readme = paths[0].parent.parent / "README.md"
    if only is None and readme.is_file():
        text = readme.read_text(encoding="utf-8")
        new_text = _with_readme_map(text, infos, readme.parent)
        if new_text != text:
            stale.append(readme)
            if not check:
                atomic_write_text(readme, new_text)
    for i, info in enumerate(infos):
        if targets is not None and info.path.resolve() not in targets:
            continue
        nb = read_notebook(info.path)
        changed = False
        if i == 0:
            changed |= _set_tagged_cell(nb, TOC_TAG, _toc_source(infos), at_end=False)
        prev = infos[i - 1] if i > 0 else None
        nxt = infos[i + 1] if i + 1 < len(infos) else None
        changed |= _set_tagged_cell(nb, NAV_TAG, _nav_source(prev, nxt, infos[0]), at_end=True)
        if changed:
            stale.append(info.path)
            if not check:
                atomic_write_text(info.path, nbformat.writes(nb) + "\n")
    return stale


def _coalesce_streams(outputs: list) -> list:
    """Merge consecutive stdout (or stderr) chunks into one output.

    How a kernel splits printed text into messages depends on timing; merged,
    the stored notebook is the same from one regeneration to the next.
    """
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None
                and prev.get("output_type") == "stream" and prev.get("name") == out.get("name")):
            prev["text"] = "".join(prev["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def _clean_metadata(nb: nbformat.NotebookNode) -> None:
    """Stable notebook metadata: the kernel's own language_info, no timings, merged streams.

    ``language_info`` is left exactly as the kernel reported it (the Python
    version included): JupyterLab compares it with what the kernel reports
    when it starts, and marks the notebook modified if anything differs.
    """
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.outputs)
            cell.metadata.pop("collapsed", None)
            cell.metadata.pop("scrolled", None)


def regenerate(paths: list[Path] | None = None, *, timeout: int = 600,
               verbose: bool = True, any_folder: bool = False) -> None:
    """Execute notebooks top to bottom in a fresh kernel and store their outputs.

    Cells tagged ``raises-exception`` may raise (their traceback is stored);
    any other error stops with the notebook left unchanged on disk.

    Parameters
    ----------
    paths : list of Path, optional
        Notebooks to run (default: all, in order).
    timeout : int, optional
        Seconds allowed per cell.
    verbose : bool, optional
        Print each notebook's name as it runs.
    any_folder : bool, optional
        Allow notebooks outside the course's own ``notebooks/`` (never student
        copies); see :func:`guard_writable`.

    Examples
    --------
    Not run here (it starts a kernel)::

        regenerate([Path("notebooks/00_start_here.ipynb")])
    >>> callable(regenerate)
    True
    """
    from nbclient import NotebookClient

    from klcourse.course.files import CourseError, atomic_write_text, read_notebook

    paths = [Path(p) for p in paths] if paths else course_notebooks()
    for path in paths:
        read_notebook(path)   # a missing or invalid notebook: one clear error, nothing run
        if path.suffix != ".ipynb":
            raise CourseError(f"{path} is not a .ipynb file; pass course notebooks")
    for folder in sorted({p.parent.resolve() for p in paths}):
        guard_writable(folder, any_folder=any_folder, tool="regenerate")
    if paths:
        sync_navigation(paths[0].parent, only=paths, any_folder=any_folder)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # One BLAS thread, as under the test suite, so the kernels sum in the same
    # order and print the same digits.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.pop("MPLBACKEND", None)
    for path in paths:
        if verbose:
            print(f"executing {path} ...", flush=True)
        nb = read_notebook(path)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent.resolve())}},
                                record_timing=False, store_widget_state=True)
        client.execute()
        _clean_metadata(nb)
        nbformat.validate(nb)
        atomic_write_text(path, nbformat.writes(nb) + "\n")

"""Writing the course's files safely: atomically, never over a learner's work.

Every file the course tools write goes through :func:`atomic_write_text`: the
text is written to a temporary file in the same folder, flushed to disk, then
renamed over the target. An interruption (Ctrl-C, a CI time-out, a full disk,
a file-size limit) leaves either the old file or the new one, never half of
one.

The rest of this module are the guards the tools share:

* :class:`CourseError`: a mistake in how a tool was called (a bad path, a
  folder that must not be written); the command line prints its one-line
  message and exits with status 2;
* :func:`read_notebook`: a notebook, or a one-line error naming the file;
* :func:`is_half_written`: an empty or truncated file, as an interrupted
  write by an older version of the tools could leave;
* :func:`set_aside`: moves such a file out of the way (never deletes it);
* :func:`guard_outdir`: refuses output folders inside the course's own
  ``notebooks/`` or equal to the repository root;
* :class:`Manifest`: the files a tool wrote into a folder, with their hashes,
  so that a later run replaces its own files but not files it did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import nbformat

__all__ = ["CourseError", "atomic_write_text", "read_notebook", "is_half_written", "set_aside",
           "guard_outdir", "course_root", "Manifest"]


class CourseError(ValueError):
    """A tool was asked to do something it must not or cannot do; the message says the fix."""


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write `text` to `path` so that readers see the old file or the new one, never a part.

    Parameters
    ----------
    path : path-like
        The file to (re)write. Its folder must exist.
    text : str
        The new content, written as UTF-8.

    Returns
    -------
    pathlib.Path
        `path`.

    Raises
    ------
    CourseError
        If the folder cannot be written (read-only, full disk, file-size limit),
        naming the file; the old file, if any, is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "page.html"
    >>> atomic_write_text(target, "<p>hello</p>").read_text()
    '<p>hello</p>'
    """
    target = Path(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp_name, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as err:
        raise CourseError(f"cannot write {target}: {err.strerror or err}; choose a folder you "
                          "can write to (with free space), or fix its permissions") from err
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_notebook(path: str | os.PathLike, *, role: str = "NOTEBOOK") -> nbformat.NotebookNode:
    """Read a notebook, or raise a one-line :class:`CourseError` naming the file and the fix.

    Parameters
    ----------
    path : path-like
        A ``.ipynb`` file.
    role : str
        How the file is named in messages (e.g. the argument it came from).

    Returns
    -------
    nbformat.NotebookNode

    Examples
    --------
    >>> read_notebook("no/such.ipynb")
    Traceback (most recent call last):
    ...
    klcourse.course.files.CourseError: NOTEBOOK no/such.ipynb does not exist; pass the path of a notebook, e.g. notebooks/00_start_here.ipynb
    """
    p = Path(path)
    if p.is_dir():
        raise CourseError(f"{role} {p} is a folder, not a notebook; pass a .ipynb file in it")
    if not p.exists():
        raise CourseError(f"{role} {p} does not exist; pass the path of a notebook, "
                          "e.g. notebooks/00_start_here.ipynb")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CourseError(f"{role} {p} is not UTF-8 text, so it is not a notebook; "
                          "pass a .ipynb file") from None
    except OSError as err:
        raise CourseError(f"cannot read {role} {p}: {err.strerror or err}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise CourseError(f"{role} {p} is not valid JSON (empty or cut short?), so it is not a "
                          "notebook; restore it (e.g. `git checkout -- FILE`) or pass another "
                          "file") from None
    if not (isinstance(data, dict) and isinstance(data.get("cells"), list)
            and "nbformat" in data):
        raise CourseError(f"{role} {p} is JSON but not a Jupyter notebook (no 'cells' and "
                          "'nbformat'); pass a .ipynb file")
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises several kinds for malformed notebooks
        raise CourseError(f"{role} {p} is not a valid notebook ({type(err).__name__}); "
                          "pass a .ipynb file") from None


def is_half_written(path: str | os.PathLike) -> bool:
    """True if `path` is empty or not complete JSON: what an interrupted write leaves.

    Such a file is no notebook a learner could have opened and edited (Jupyter
    itself saves atomically), so a tool may set it aside and write afresh.

    Parameters
    ----------
    path : path-like
        The file to inspect (read as bytes; it must exist).

    Returns
    -------
    bool
        True if the file is empty (or only whitespace), is a JSON object cut
        short (it starts with ``{`` but does not parse), or ends in the middle of
        a UTF-8 character; False for complete JSON and for anything else (a
        file that is not JSON at all is not a half-written notebook).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "01_x.ipynb"
    >>> _ = f.write_text('{"cells": [')
    >>> is_half_written(f)
    True
    >>> _ = f.write_text('{"cells": [], "nbformat": 4}')
    >>> is_half_written(f)
    False
    """
    data = Path(path).read_bytes()
    if not data.strip():
        return True
    try:
        json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        # cut in the middle of a multi-byte character, or not text at all
        try:
            data[:-3].decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return False
        return True
    except ValueError:
        return data.lstrip().startswith(b"{")
    return False


def set_aside(path: str | os.PathLike) -> Path:
    """Rename `path` to ``NAME.broken`` (or ``NAME.broken-2``, …) and return the new path.

    The file is moved, never deleted, and no earlier set-aside copy is replaced.

    Parameters
    ----------
    path : path-like
        The file to move out of the way.

    Returns
    -------
    Path
        Its new name, in the same folder: the first of ``NAME.broken``,
        ``NAME.broken-2``, ... ``NAME.broken-999`` that does not exist yet.

    Raises
    ------
    CourseError
        If all 999 names are taken.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "01_x.ipynb"
    >>> _ = f.write_text('{"cells": [')
    >>> set_aside(f).name, f.exists()
    ('01_x.ipynb.broken', False)
    >>> _ = f.write_text('{')
    >>> set_aside(f).name
    '01_x.ipynb.broken-2'
    """
    p = Path(path)
    for k in range(1, 1000):
        aside = p.with_name(p.name + (".broken" if k == 1 else f".broken-{k}"))
        if not aside.exists():
            p.rename(aside)
            return aside
    raise CourseError(f"too many set-aside copies of {p}; delete the old *.broken files")


def course_root() -> Path | None:
    """The repository folder holding the course's own ``notebooks/`` (None if not a checkout).

    Returns
    -------
    Path or None
        The folder two levels above the installed ``klcourse`` package when it
        holds both ``notebooks/`` and ``pyproject.toml`` (klcourse is run from,
        or installed editable from, a checkout); None otherwise, e.g. for a
        regular install into site-packages.

    Examples
    --------
    >>> import klcourse
    >>> root = course_root()
    >>> root is None or Path(klcourse.__file__).resolve().is_relative_to(root)
    True
    """
    root = Path(__file__).resolve().parents[2]
    return root if (root / "notebooks").is_dir() and (root / "pyproject.toml").exists() else None


def guard_outdir(outdir: str | os.PathLike, purpose: str) -> Path:
    """`outdir` as a Path, refused if empty, a file, inside ``notebooks/`` or the repository root.

    Parameters
    ----------
    outdir : path-like
        The output folder a tool was given.
    purpose : str
        What the folder is for, ending the messages ("for the pages").

    Examples
    --------
    >>> guard_outdir("", "for the pages")
    Traceback (most recent call last):
    ...
    klcourse.course.files.CourseError: OUTDIR is empty; name a folder for the pages, e.g. site/
    """
    if str(outdir).strip() == "":
        raise CourseError(f"OUTDIR is empty; name a folder {purpose}, e.g. site/")
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise CourseError(f"OUTDIR {out} is a file, not a folder; pass a folder {purpose} "
                          "(it is created if missing)")
    root = course_root()
    if root is not None:
        resolved = out.resolve()
        if resolved == root:
            raise CourseError(f"OUTDIR {out} is the repository itself; pass a new folder "
                              f"{purpose}, e.g. site/")
        if resolved == root / "notebooks" or (root / "notebooks") in resolved.parents:
            raise CourseError(f"OUTDIR {out} is inside the course's notebooks/ folder; pass a "
                              f"folder outside it {purpose}, e.g. site/")
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Manifest:
    """The files a tool wrote into a folder, with their SHA-256, in ``.klcourse-manifest.json``.

    :meth:`check` refuses to replace a file the tool did not write, or one
    changed since it wrote it; :meth:`record` notes a file just written.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> m = Manifest(out, tool="html")
    >>> _ = (out / "index.html").write_text("mine")
    >>> m.check(["index.html"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    klcourse.course.files.CourseError: html will not replace files it did not write: index.html in ... (move them away, pick another OUTDIR, or pass --force)
    """

    NAME = ".klcourse-manifest.json"

    def __init__(self, folder: str | os.PathLike, *, tool: str) -> None:
        self.folder = Path(folder)
        self.tool = tool
        self.path = self.folder / self.NAME
        self.files: dict[str, str] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.files = {str(k): str(v) for k, v in data.get("files", {}).items()}
            except (ValueError, AttributeError, UnicodeDecodeError):
                raise CourseError(f"{self.path} is damaged; delete it only if every file in "
                                  f"{self.folder} may be replaced, then run again") from None

    def foreign(self, names: list[str]) -> list[str]:
        """The names among `names` that exist but were not written (as they are) by a tool."""
        bad = []
        for name in names:
            p = self.folder / name
            if not p.exists():
                continue
            if p.is_dir():
                if name not in self.files:
                    bad.append(name + "/")
            elif self.files.get(name) != _digest(p):
                bad.append(name)
        return bad

    def check(self, names: list[str], *, force: bool = False) -> None:
        """Raise :class:`CourseError` if any of `names` is foreign (unless `force`)."""
        bad = self.foreign(names)
        if bad and not force:
            shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
            raise CourseError(f"{self.tool} will not replace files it did not write: {shown} in "
                              f"{self.folder} (move them away, pick another OUTDIR, or pass "
                              "--force)")

    def record(self, name: str) -> None:
        p = self.folder / name
        self.files[name] = "dir" if p.is_dir() else _digest(p)

    def save(self) -> None:
        text = json.dumps({"written_by": "klcourse", "files": dict(sorted(self.files.items()))},
                          indent=1) + "\n"
        atomic_write_text(self.path, text)

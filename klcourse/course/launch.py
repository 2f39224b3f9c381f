"""``python -m klcourse lab``: JupyterLab on notebook 00, for root and non-root users alike.

Plain ``jupyter lab`` refuses to start as root ("Running as root is not
recommended. Use --allow-root to bypass.") — and root is what workshop
containers, cloud machines and many JupyterHub images run as — and, with no
browser on the machine, it prints an address that opens the Lab, not the
notebook. The launcher adds ``--allow-root`` only for root, picks a free port
and a token itself, and prints the one address that opens the notebook.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from klcourse.course.files import CourseError

__all__ = ["lab_command", "launch_lab", "free_port"]

DEFAULT_NOTEBOOK = Path("notebooks") / "00_start_here.ipynb"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now.

    The operating system picks it; another program may take it later, so use
    it at once.

    Returns
    -------
    int
        The port number.

    Examples
    --------
    >>> import socket
    >>> port = free_port()
    >>> with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    ...     s.bind(("127.0.0.1", port))        # free: it can be bound
    ...     s.getsockname()[1] == port
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(notebook: Path, *, root_dir: Path, port: int, token: str, is_root: bool,
                open_browser: bool = True) -> tuple[list[str], str]:
    """The ``jupyter lab`` command line and the address that opens `notebook`.

    Parameters
    ----------
    notebook : Path
        The notebook to open, inside `root_dir`.
    root_dir : Path
        The folder JupyterLab serves (the course folder).
    port : int
        The port to listen on (127.0.0.1 by default).
    token : str
        The access token, part of the printed address.
    is_root : bool
        Add ``--allow-root`` (only then).
    open_browser : bool
        Let JupyterLab open a browser on the notebook.

    Returns
    -------
    (list of str, str)
        The command and the address.

    Examples
    --------
    >>> cmd, url = lab_command(Path("notebooks/00_start_here.ipynb"), root_dir=Path("."),
    ...                        port=8888, token="t", is_root=True, open_browser=False)
    >>> "--allow-root" in cmd, url
    (True, 'http://localhost:8888/lab/tree/notebooks/00_start_here.ipynb?token=t')
    >>> "--allow-root" in lab_command(Path("n.ipynb"), root_dir=Path("."), port=1, token="t",
    ...                               is_root=False)[0]
    False
    """
    rel = notebook.resolve().relative_to(root_dir.resolve()).as_posix()
    url = f"http://localhost:{port}/lab/tree/{quote(rel)}?token={token}"
    cmd = [sys.executable, "-m", "jupyterlab", str(rel),
           f"--ServerApp.root_dir={root_dir.resolve()}", f"--port={port}", "--port-retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.default_url=/lab/tree/{quote(rel)}"]
    if not open_browser:
        cmd.append("--no-browser")
    if is_root:
        cmd.append("--allow-root")
    return cmd, url


def launch_lab(notebook: str | os.PathLike | None = None, *, port: int = 0,
               open_browser: bool = True) -> int:
    """Start JupyterLab on `notebook` (default notebook 00) and wait until it stops.

    Parameters
    ----------
    notebook : path-like, optional
        The notebook to open (default ``notebooks/00_start_here.ipynb`` of the
        course checkout, else of the current folder). JupyterLab serves the
        course folder, or the notebook's own folder if it lies outside it.
    port : int, optional
        The port on 127.0.0.1 to listen on; 0 (default) picks a free one.
    open_browser : bool, optional
        Let JupyterLab open a browser on the notebook (default True).

    Returns
    -------
    int
        JupyterLab's exit status (0 after Ctrl-C).

    Raises
    ------
    CourseError
        If the notebook does not exist or JupyterLab is not installed.

    Examples
    --------
    >>> launch_lab("no/such.ipynb")        # refused before any server starts
    Traceback (most recent call last):
    ...
    klcourse.course.files.CourseError: NOTEBOOK no/such.ipynb does not exist; run this in the klcourse folder or pass a notebook, e.g. notebooks/00_start_here.ipynb
    """
    from klcourse.course.files import course_root

    root = course_root() or Path.cwd()
    nb = Path(notebook) if notebook is not None else root / DEFAULT_NOTEBOOK
    if not nb.is_file():
        raise CourseError(f"NOTEBOOK {nb} does not exist; run this in the klcourse folder or "
                          "pass a notebook, e.g. notebooks/00_start_here.ipynb")
    if not nb.resolve().is_relative_to(root.resolve()):
        root = nb.resolve().parent
    if shutil.which("jupyter-lab") is None and not _has_jupyterlab():
        raise CourseError("JupyterLab is not installed in this Python; run "
                          "`python -m pip install -r requirements.txt` in the klcourse folder")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    token = secrets.token_hex(24)
    cmd, url = lab_command(nb, root_dir=root, port=port or free_port(), token=token,
                           is_root=is_root, open_browser=open_browser)
    print(f"Starting JupyterLab{' (as root, with --allow-root)' if is_root else ''}. "
          "Open the course at:", flush=True)
    print(f"    {url}", flush=True)
    print("Stop it with Ctrl-C.", flush=True)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0


def _has_jupyterlab() -> bool:
    import importlib.util

    return importlib.util.find_spec("jupyterlab") is not None

"""Where the course lives online: the one place that knows the repository and the Binder form.

``python -m klcourse nav`` writes the launch links of the README and of
notebook 00 from :func:`binder_url`, so changing :data:`REPOSITORY` (once the
course has its public home) changes every link at the next ``nav``.
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["REPOSITORY", "BRANCH", "binder_url", "binder_link"]

#: ``owner/name`` of the course's public GitHub repository.
REPOSITORY = "klcourse/klcourse"
BRANCH = "main"


def binder_url(path: str = "notebooks/00_start_here.ipynb", *, repository: str = REPOSITORY,
               branch: str = BRANCH) -> str:
    """The Binder address that builds the repository (requirements.txt, runtime.txt) and opens `path`.

    Parameters
    ----------
    path : str, optional
        The file JupyterLab opens, relative to the repository root (default
        notebook 00); URL-quoted.
    repository : str, optional
        ``owner/name`` on GitHub (default :data:`REPOSITORY`).
    branch : str, optional
        The branch (or tag, or commit) Binder builds (default :data:`BRANCH`).

    Returns
    -------
    str

    Examples
    --------
    >>> binder_url()
    'https://mybinder.org/v2/gh/klcourse/klcourse/main?urlpath=lab/tree/notebooks/00_start_here.ipynb'
    """
    return (f"https://mybinder.org/v2/gh/{repository}/{quote(branch)}"
            f"?urlpath=lab/tree/{quote(path)}")


def binder_link(path: str = "notebooks/00_start_here.ipynb") -> str:
    """A Markdown launch link (text, not a badge image, so offline pages load nothing).

    Parameters
    ----------
    path : str, optional
        The file the link opens, relative to the repository root (default
        notebook 00); see :func:`binder_url`.

    Returns
    -------
    str
        ``[Launch the course on Binder](URL)`` followed by a short note.

    Examples
    --------
    >>> binder_link().startswith("[Launch the course on Binder](https://mybinder.org/")
    True
    >>> f"({binder_url('notebooks/01_x.ipynb')})" in binder_link("notebooks/01_x.ipynb")
    True
    """
    return f"[Launch the course on Binder]({binder_url(path)}) (no installation; a free, temporary server)"

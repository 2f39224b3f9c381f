"""The JavaScript and CSS that the offline HTML edition and the slides need.

Pages built by :mod:`klcourse.course.handouts.html` and :mod:`klcourse.course.handouts.slides`
must open from disk with no network, so nothing is loaded from a CDN when they
are read. The few libraries they use come from the npm registry when the pages
are *built*:

* ``requirejs`` (``require.js``): the AMD loader nbconvert's templates use;
* ``@jupyter-widgets/html-manager`` (``dist/embed-amd.js`` and its fonts):
  renders the widget state saved in the notebooks;
* ``mathjax`` 2 (the TeX-to-HTML subset): typesets the formulas;
* ``reveal.js`` and ``jquery``: the slide decks.

Each is pinned to one version and one tarball hash (:data:`PACKAGES`). The
tarball is fetched once with ``npm pack`` into a cache folder
(``$KLCOURSE_NPM_CACHE``, default ``~/.cache/klcourse/npm``), checked against
the pinned hash, unpacked there, and copied beside the pages into
``OUTDIR/_static/<name>/``. Once the cache is filled, builds need neither
npm nor a network.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["Package", "PACKAGES", "AssetError", "cache_dir", "fetch", "install", "scan_page",
           "check_offline", "STATIC"]

STATIC = "_static"
"""Name of the folder, beside the pages, that holds the copied libraries."""


class AssetError(RuntimeError):
    """A library for the offline pages could not be fetched or checked."""


@dataclass(frozen=True)
class Package:
    """One pinned npm package and the files of it that the pages need.

    Attributes
    ----------
    name : str
        The folder name under ``_static/``.
    spec : str
        The npm package name.
    version : str
        The exact version fetched.
    integrity : str
        The ``sha512-...`` hash of the tarball (as in a package-lock file).
    files : tuple of str
        Glob patterns (relative to the package root) of the files to copy;
        ``**`` matches across folders.
    """

    name: str
    spec: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def tarball(self) -> str:
        return f"{self.spec.lstrip('@').replace('/', '-')}-{self.version}.tgz"


PACKAGES: dict[str, Package] = {p.name: p for p in [
    Package("requirejs", "requirejs", "2.3.7",
            "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
            ("require.js", "README.md")),
    Package("html-manager", "@jupyter-widgets/html-manager", "1.0.15",
            "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
            ("dist/embed-amd.js", "dist/*.eot", "dist/*.svg", "dist/*.ttf", "dist/*.woff",
             "dist/*.woff2", "dist/embed.js.LICENSE.txt", "LICENSE*", "package.json")),
    Package("mathjax", "mathjax", "2.7.7",
            "sha512-OOl0B2/0tSJAtAZarXnQuLDBLgTNRqiI9VqHTQzPsxf4okT2iIpDrvaklK9x2QEMD1sDj4yRn11Ygci41DxMAQ==",
            ("MathJax.js", "LICENSE", "config/TeX-AMS_CHTML-full.js", "config/Safe.js",
             "extensions/**", "jax/input/TeX/**", "jax/output/CommonHTML/**", "jax/element/**",
             "fonts/HTML-CSS/TeX/woff/**", "fonts/HTML-CSS/TeX/otf/**")),
    Package("reveal.js", "reveal.js", "4.6.1",
            "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
            ("dist/reveal.js", "dist/reveal.css", "dist/reset.css", "dist/theme/*.css",
             "dist/theme/fonts/**", "plugin/notes/**", "LICENSE")),
    # Not loaded by any page: the accessibility engine the tests run on the pages.
    Package("axe-core", "axe-core", "4.14.1",
            "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
            ("axe.min.js", "LICENSE", "package.json")),
    Package("jquery", "jquery", "3.7.1",
            "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
            ("dist/jquery.min.js", "LICENSE.txt")),
]}

NPM_FIX = ("npm was not found. The offline pages need a few JavaScript libraries from the npm "
           "registry, fetched once at build time. Install npm, e.g. on Debian/Ubuntu: "
           "`sudo apt-get install -y npm` (or install Node.js from nodejs.org), then run "
           "the command again.")


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where tarballs are kept: ``$KLCOURSE_NPM_CACHE``, else ``$XDG_CACHE_HOME/klcourse/npm``,
    else ``~/.cache/klcourse/npm``.

    Parameters
    ----------
    environ : mapping, optional
        The environment variables to read (default ``os.environ``).

    Examples
    --------
    >>> cache_dir({"KLCOURSE_NPM_CACHE": "/srv/npm-cache"}).as_posix()
    '/srv/npm-cache'
    >>> cache_dir({"XDG_CACHE_HOME": "/var/cache"}).as_posix()
    '/var/cache/klcourse/npm'
    """
    env = os.environ if environ is None else environ
    if env.get("KLCOURSE_NPM_CACHE"):
        return Path(env["KLCOURSE_NPM_CACHE"]).expanduser()
    base = env.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "klcourse" / "npm"


def _integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def _npm(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError(NPM_FIX)
    try:
        return subprocess.run([npm, *args], capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        raise AssetError(f"`npm {' '.join(args[:2])}` took more than {timeout} s; check the "
                         "connection to the npm registry and try again") from None


def _npm_pack(pkg: Package, dest: Path) -> None:
    """Fetch the tarball of `pkg` into `dest`, showing what, how much, and a progress bar.

    The tarball's address comes from npm (``npm view``), so npm's own registry
    setting is honoured; the download itself is streamed with a progress bar
    (tqdm). Where that fails, ``npm pack`` fetches it silently instead.
    """
    view = _npm("view", f"{pkg.spec}@{pkg.version}", "dist.tarball", timeout=120)
    url = view.stdout.strip() if view.returncode == 0 else ""
    if url.startswith(("http://", "https://")):
        try:
            _download(url, dest / pkg.tarball, f"{pkg.spec}@{pkg.version}")
            return
        except OSError as err:
            print(f"  direct download failed ({err}); trying `npm pack`", file=sys.stderr)
    print(f"  fetching {pkg.spec}@{pkg.version} with `npm pack` into {dest}", file=sys.stderr,
          flush=True)
    proc = _npm("pack", f"{pkg.spec}@{pkg.version}", "--pack-destination", str(dest), "--json",
                "--silent")
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise AssetError(f"`npm pack {pkg.spec}@{pkg.version}` failed (exit {proc.returncode}): "
                         + " / ".join(tail) + "; check that the npm registry can be reached "
                         "(`npm ping`) and try again")
    try:
        name = json.loads(proc.stdout)[0]["filename"]
    except (ValueError, KeyError, IndexError):
        name = pkg.tarball
    if name != pkg.tarball and (dest / name).exists():
        (dest / name).replace(dest / pkg.tarball)


def _download(url: str, target: Path, label: str) -> None:
    """Stream `url` into `target` (atomically) with a tqdm progress bar on stderr."""
    import urllib.request

    from tqdm import tqdm

    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(tmp, "wb") as out:
            total = int(resp.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                      desc=f"  {label}", file=sys.stderr, leave=True, mininterval=0.5) as bar:
                while chunk := resp.read(1 << 16):
                    out.write(chunk)
                    bar.update(len(chunk))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def fetch(name: str, *, cache: Path | None = None) -> Path:
    """The unpacked package `name`, fetched with ``npm pack`` if not yet in the cache.

    Parameters
    ----------
    name : str
        A key of :data:`PACKAGES` (``"requirejs"``, ``"html-manager"``,
        ``"mathjax"``, ``"reveal.js"``, ``"jquery"``).
    cache : path, optional
        The cache folder (default :func:`cache_dir`).

    Returns
    -------
    Path
        The package's root folder inside the cache.

    Raises
    ------
    AssetError
        If npm is missing (with the command that installs it), ``npm pack``
        fails, or the tarball's sha512 differs from the pinned one (the
        tarball is then deleted).

    Examples
    --------
    >>> fetch("jquery-ui")
    Traceback (most recent call last):
    ...
    ValueError: name must be one of ['axe-core', 'html-manager', 'jquery', 'mathjax', 'requirejs', 'reveal.js'], got 'jquery-ui'
    """
    try:
        pkg = PACKAGES[name]
    except KeyError:
        raise ValueError(f"name must be one of {sorted(PACKAGES)}, got {name!r}") from None
    cache = Path(cache) if cache is not None else cache_dir()
    root = cache / f"{pkg.tarball[:-4]}"
    marker = root / ".klcourse-ok"
    if marker.exists():
        return root / "package"
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / pkg.tarball
    if not tgz.exists():
        print(f"klcourse: {pkg.spec} {pkg.version} is not in the cache yet; downloading it once "
              f"into {cache} (set KLCOURSE_NPM_CACHE to use another folder)", file=sys.stderr,
              flush=True)
        _npm_pack(pkg, cache)
    if not tgz.exists():
        raise AssetError(f"npm pack did not produce {tgz}")
    got = _integrity(tgz)
    if got != pkg.integrity:
        tgz.unlink()
        raise AssetError(f"{pkg.tarball}: hash {got[:20]}... differs from the pinned "
                         f"{pkg.integrity[:20]}...; the download was deleted, run again")
    # Unpack beside the final folder and rename it into place, so a build running at
    # the same time never sees a half-unpacked package.
    tmp = cache / f".{root.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    _extract(tgz, tmp)
    (tmp / marker.name).write_text(pkg.integrity + "\n")
    if root.exists() and not marker.exists():
        shutil.rmtree(root, ignore_errors=True)   # left over from an interrupted run
    try:
        os.replace(tmp, root)
    except OSError:   # another build put it there first
        shutil.rmtree(tmp, ignore_errors=True)
    return root / "package"


def _extract(tgz: Path, dest: Path) -> None:
    """Unpack a tarball, refusing members that would land outside `dest`."""
    with tarfile.open(tgz) as tar:
        if hasattr(tarfile, "data_filter"):   # Python >= 3.11.4
            tar.extractall(dest, filter="data")
            return
        base = dest.resolve()
        for member in tar.getmembers():
            target = (dest / member.name).resolve()
            if not (member.isfile() or member.isdir()) or not target.is_relative_to(base):
                raise AssetError(f"{tgz.name}: refusing to unpack {member.name!r}")
        tar.extractall(dest)


def _matches(rel: str, patterns: tuple[str, ...]) -> bool:
    for pat in patterns:
        if pat.endswith("/**"):
            if rel.startswith(pat[:-2]):
                return True
        elif fnmatch.fnmatchcase(rel, pat) and rel.count("/") == pat.count("/"):
            return True
    return False


def install(outdir: str | os.PathLike, names: list[str] | tuple[str, ...], *,
            cache: Path | None = None) -> dict[str, Path]:
    """Copy the needed files of packages `names` into ``outdir/_static/<name>/``.

    Parameters
    ----------
    outdir : path
        The folder that holds the pages.
    names : sequence of str
        Keys of :data:`PACKAGES`; each is fetched first if needed (:func:`fetch`).
    cache : path, optional
        The cache folder (default :func:`cache_dir`).

    Returns
    -------
    dict
        For each name, the folder its files were copied to. Files already
        there with the same size and modification time are left alone.

    Examples
    --------
    >>> install("site", [])
    {}
    """
    out = {}
    for name in names:
        src = fetch(name, cache=cache)
        pkg = PACKAGES[name]
        dest = Path(outdir) / STATIC / name
        count = 0
        for path in sorted(src.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(src).as_posix()
            if not _matches(rel, pkg.files):
                continue
            target = dest / rel
            src_stat = path.stat()
            if not (target.exists() and target.stat().st_size == src_stat.st_size
                    and target.stat().st_mtime == src_stat.st_mtime):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
            count += 1
        if count == 0:
            raise AssetError(f"no files of {pkg.spec}@{pkg.version} matched {pkg.files}")
        out[name] = dest
    return out


_EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//", re.ASCII)
_SCRIPT_URL = re.compile(r"""["'`]((?:https?:)?//[^"'`\s]+)["'`]""")
_SCRIPT_LOCAL = re.compile(r"""["']([A-Za-z0-9_.][^"'\s:]*\.(?:js|css))["']""")
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# Attributes whose URL the browser fetches by itself when the page loads.
_FETCHED = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
            "video": "src", "audio": "src", "embed": "src", "object": "data", "track": "src"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.local: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = _FETCHED.get(tag)
        for name, value in attrs:
            if value is None:
                continue
            if name == attr or (name == "srcset" and tag in ("img", "source")):
                if _EXTERNAL.match(value):
                    self.found.append(f"<{tag} {name}={value!r}>")
                elif not value.startswith(("data:", "#", "blob:")):
                    self.local.append(value)
            elif name == "style" and _CSS_URL.search(value):
                self.found.append(f"<{tag} style=...{_CSS_URL.search(value).group(1)}>")
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.found += [f"<script> text loads {u!r}" for u in _SCRIPT_URL.findall(data)]
            self.local += _SCRIPT_LOCAL.findall(data)
        elif self._in == "style":
            text = _CSS_COMMENT.sub("", data)
            self.found += [f"<style> text loads {u!r}" for u in _CSS_URL.findall(text)]


def scan_page(html: str) -> tuple[list[str], list[str]]:
    """What a page would fetch: ``(external, local)`` lists of URLs.

    Parameters
    ----------
    html : str
        The page's HTML.

    ``external`` describes every script, stylesheet, image, frame or media
    file the page loads from another host (``http:``, ``https:`` or ``//``),
    including URLs written in inline scripts and stylesheets (CSS comments
    are ignored). Links a reader may click (``<a href>``) are not loads.
    ``local`` lists the relative URLs the page loads from disk (including
    ``.js``/``.css`` paths quoted in inline scripts).

    Returns
    -------
    external, local : list of str

    Examples
    --------
    >>> ext, local = scan_page('<script src="_static/require.js"></script>'
    ...     '<link rel="stylesheet" href="https://cdn.example.org/x.css">'
    ...     '<a href="https://example.org">a link is fine</a>'
    ...     '<script>var s = "https://cdn.example.org/embed.js";</script>')
    >>> ext
    ["<link href='https://cdn.example.org/x.css'>", "<script> text loads 'https://cdn.example.org/embed.js'"]
    >>> local
    ['_static/require.js']
    """
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found, scanner.local


def check_offline(html: str, where: str = "page") -> None:
    """Raise :class:`AssetError` if `html` would load anything from the network.

    Parameters
    ----------
    html : str
        The page's HTML.
    where : str
        How to name the page in the error message.

    Examples
    --------
    >>> check_offline('<script src="_static/require.js"></script>')
    >>> check_offline('<script src="https://cdn.example.org/require.js"></script>', "index.html")
    Traceback (most recent call last):
    ...
    klcourse.course.handouts.assets.AssetError: index.html would load from the network: <script src='https://cdn.example.org/require.js'>
    """
    external, _ = scan_page(html)
    if external:
        raise AssetError(f"{where} would load from the network: " + "; ".join(external[:5]))

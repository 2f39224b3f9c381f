"""What a figure asks a reader to tell apart, and whether every reader can.

Two halves, used by tests/test_colour_vision.py:

* :func:`describe_figure` turns a matplotlib Figure into plain data (JSON-ready):
  per Axes, the *series* a reader tells apart (lines, bar containers, patches,
  scatter and fill collections) with their drawn colour, line style, marker and
  hatch, the text drawn inside the Axes, and the colour-mapped images with their
  colormap. :func:`install` runs it inside a notebook's kernel on every figure
  the kernel displays (the inline backend's PNG printer and each explorer's
  display go through it) and appends one JSON line per figure to a file.
* :func:`figure_problems` judges such a record: every two series of an Axes
  that look different with normal vision must stay told apart with protanopia,
  deuteranopia and tritanopia too (full severity, Machado et al. 2009 as
  implemented by ``colorspacious``), by colour (CAM02-UCS distance at least
  :data:`MIN_DELTA_E`), by line style, marker, hatch or kind of mark, or by a
  direct text label; and every colour-mapped image must use a colormap whose
  lightness runs one way (so it reads in any colour vision, and in greyscale)
  and must have a colourbar.

The kernel half needs only matplotlib, IPython and klcourse (it costs a kernel
next to nothing); ``colorspacious`` is imported by the judging half, when used.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0, 1], [0, 1], color="#ff7f0e", label="p")
>>> _ = ax.plot([0, 1], [1, 0], color="#2ca02c", label="q")
>>> _ = ax.legend()
>>> [p.split("with ")[-1] for p in figure_problems(describe_figure(fig))]
['protanopia 1.6']
>>> plt.close(fig)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

#: Smallest CAM02-UCS distance (Delta E') at which two colours count as told
#: apart. CAM02-UCS is scaled so that about 1 is a just-noticeable difference
#: between two large patches side by side; a reader matching a thin line or a
#: small marker to a legend swatch needs an order of magnitude more, since the
#: difference needed grows steeply as marks get small (Szafir 2018, "Modeling
#: color difference for visualization design", IEEE TVCG 24). 10 is met by every
#: pair of the Okabe-Ito palette (designed for colour-blind readers; its closest
#: simulated pair, orange/reddish purple with tritanopia, is 11.0), and rejects
#: the pairs known to fail: tab10's orange/green with protanopia (1.6) and
#: green/red with deuteranopia (5.2).
MIN_DELTA_E = 10.0

#: The colour visions checked: normal, then the three dichromacies at full severity.
VISIONS = ("normal", "protanopia", "deuteranopia", "tritanopia")
_CVD = {"protanopia": "protanomaly", "deuteranopia": "deuteranomaly",
        "tritanopia": "tritanomaly"}

#: A direct label counts for a series when the text lies within this distance
#: (in Axes fractions) of one of the series' points.
LABEL_REACH = 0.12

#: Smallest lightness range (CAM02-UCS J') a colormap must span, end to end.
MIN_LIGHTNESS_SPAN = 30.0


# ----------------------------------------------------------------- describing
def _rgb(colour: Any, background: tuple[float, float, float]) -> list[float] | None:
    """The colour as drawn over `background` (alpha composited), or None if unseen."""
    from matplotlib.colors import to_rgba

    if colour is None or (isinstance(colour, str) and colour.lower() == "none"):
        return None
    r, g, b, a = to_rgba(colour)
    if a <= 0.01:
        return None
    return [round(a * c + (1 - a) * bg, 4) for c, bg in zip((r, g, b), background)]


def _axes_points(artist: Any, ax: Any, xy: Any, limit: int = 200) -> list[list[float]]:
    """Points of `artist` in Axes fractions (0..1 inside the Axes), at most `limit`."""
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) > limit:
        pts = pts[np.linspace(0, len(pts) - 1, limit).astype(int)]
    if not len(pts):
        return []
    display = artist.get_transform().transform(pts)
    frac = ax.transAxes.inverted().transform(display)
    return np.round(frac, 3).tolist()


def _dash(ls: Any) -> str:
    """A line style as a comparable string ('-', '--', ':', '-.', or a dash pattern)."""
    if isinstance(ls, tuple):         # (offset, dashes) from a collection
        offset, dashes = ls
        return "-" if not dashes else "dash" + ",".join(f"{d:.1f}" for d in dashes)
    return str(ls)


def _marker_key(path: Any) -> str:
    """A short fingerprint of a marker path (two scatter markers alike or not)."""
    verts = np.round(np.asarray(path.vertices, dtype=float), 2)
    return hashlib.md5(verts.tobytes()).hexdigest()[:8]


def _line(line: Any, ax: Any, bg: tuple) -> dict | None:
    xy = np.column_stack([line.get_xdata(orig=False), line.get_ydata(orig=False)])
    if not line.get_visible() or not len(xy):
        return None
    ls = line.get_linestyle()
    ls = "none" if ls in ("None", "", " ") else ls
    marker = str(line.get_marker())
    marker = "none" if marker in ("None", "", " ", "none") else marker
    if ls == "none" and marker == "none":
        return None
    face = _rgb(line.get_markerfacecolor(), bg) if marker != "none" else None
    colour = _rgb(line.get_color(), bg)
    if ls == "none" and marker != "none":
        colour = face or _rgb(line.get_markeredgecolor(), bg)
    hollow = marker != "none" and (face is None or face == list(bg))
    return {"kind": "line", "colour": colour, "linestyle": ls,
            "marker": marker + ("/hollow" if hollow else ""),
            "hatch": "", "label": str(line.get_label()),
            "points": _axes_points(line, ax, xy)}


def _patch_style(patch: Any, bg: tuple) -> tuple[list | None, str, str]:
    """(colour, 'filled' or the outline's line style, hatch) of a patch."""
    face = _rgb(patch.get_facecolor(), bg) if patch.get_fill() else None
    hatch = patch.get_hatch() or ""
    if face is not None and face != list(bg):
        return face, "filled", hatch
    outline = "outline" + _dash(patch.get_linestyle())
    return _rgb(patch.get_edgecolor(), bg), outline, hatch


def _patch_points(patch: Any, ax: Any) -> list[list[float]]:
    verts = patch.get_path().vertices
    display = patch.get_transform().transform(verts)
    frac = ax.transAxes.inverted().transform(display)
    frac = frac[np.isfinite(frac).all(axis=1)]
    return np.round(frac[:200], 3).tolist()


def _collection(coll: Any, ax: Any, bg: tuple) -> dict | None:
    from matplotlib.collections import LineCollection, PathCollection

    kind = type(coll).__name__
    faces = [_rgb(c, bg) for c in coll.get_facecolor()]
    edges = [_rgb(c, bg) for c in coll.get_edgecolor()]
    faces = [c for c in faces if c is not None and c != list(bg)]
    edges = [c for c in edges if c is not None]
    hatch = coll.get_hatch() or ""
    points: list = []
    if isinstance(coll, PathCollection):
        marker = _marker_key(coll.get_paths()[0]) if coll.get_paths() else "none"
        colour = faces[0] if faces else (edges[0] if edges else None)
        style = {"linestyle": "none", "marker": marker + ("" if faces else "/hollow")}
        offsets = coll.get_offsets()
        if len(offsets):
            trans = coll.get_offset_transform()
            pts = np.asarray(offsets, dtype=float)[:200]
            points = np.round(ax.transAxes.inverted().transform(trans.transform(pts)),
                              3).tolist()
        kind = "scatter"
    elif isinstance(coll, LineCollection):
        colour = edges[0] if edges else None
        style = {"linestyle": _dash(coll.get_linestyle()[0]), "marker": "none"}
        kind = "segments"
    else:                                 # fill_between, fill, stackplot, ...
        colour = faces[0] if faces else (edges[0] if edges else None)
        style = {"linestyle": "filled" if faces else "outline", "marker": "none"}
        kind = "fill"
        for path in coll.get_paths()[:4]:
            points += _axes_points(coll, ax, path.vertices, limit=50)
    if colour is None:
        return None
    return {"kind": kind, "colour": colour, **style, "hatch": hatch,
            "label": str(coll.get_label()), "points": points}


def _mappable(m: Any) -> dict | None:
    """A colour-mapped artist: its colormap sampled, its norm and its colourbar."""
    arr = m.get_array()
    if arr is not None and np.ndim(arr) == 3:      # an RGB picture, not colour-mapped
        return None
    cmap = m.get_cmap()
    samples = cmap(np.linspace(0, 1, 33))[:, :3]
    norm = m.norm
    return {"kind": type(m).__name__, "cmap": cmap.name,
            "samples": np.round(samples, 4).tolist(),
            "vmin": None if norm.vmin is None else float(norm.vmin),
            "vmax": None if norm.vmax is None else float(norm.vmax),
            "colorbar": getattr(m, "colorbar", None) is not None}


def describe_figure(fig: Any) -> dict:
    """Plain data about what a figure asks its reader to tell apart.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure as it is displayed (not drawn: the artists are read, not painted).

    Returns
    -------
    dict
        ``{"axes": [{"title", "series", "texts", "mappables", "legend"}, ...]}``;
        colourbar Axes are left out.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1], "k--", label="x")
    >>> s = describe_figure(fig)["axes"][0]["series"][0]
    >>> s["colour"], s["linestyle"], s["label"]
    ([0.0, 0.0, 0.0], '--', 'x')
    >>> plt.close(fig)
    """
    from matplotlib.collections import Collection, LineCollection, QuadMesh
    from matplotlib.container import BarContainer, ErrorbarContainer
    from matplotlib.contour import ContourSet
    from matplotlib.text import Annotation

    out = []
    for ax in fig.axes:
        if getattr(ax, "_colorbar", None) is not None or ax.get_label() == "<colorbar>":
            continue
        bg = tuple(_rgb(ax.get_facecolor(), (1.0, 1.0, 1.0)) or (1.0, 1.0, 1.0))
        series: list[dict] = []
        skip: set[int] = set()
        for c in ax.containers:
            if isinstance(c, ErrorbarContainer):
                _, caps, bars = c.lines
                skip.update(id(a) for a in (*caps, *bars))
            elif isinstance(c, BarContainer):
                skip.update(id(p) for p in c.patches)
                looks = {}
                for p in c.patches:
                    colour, fill, hatch = _patch_style(p, bg)
                    looks.setdefault((tuple(colour or ()), fill, hatch), []).append(p)
                for (colour, fill, hatch), patches in looks.items():
                    series.append({"kind": "bar", "colour": list(colour) or None,
                                   "linestyle": fill, "marker": "none", "hatch": hatch,
                                   "label": str(c.get_label()),
                                   "categories": len(looks) > 1,
                                   "points": [xy for p in patches
                                              for xy in _patch_points(p, ax)]})
        for line in ax.lines:
            if id(line) not in skip and (s := _line(line, ax, bg)):
                series.append(s)
        for patch in ax.patches:
            if id(patch) in skip or not patch.get_visible():
                continue
            colour, fill, hatch = _patch_style(patch, bg)
            if colour is not None:
                series.append({"kind": "patch", "colour": colour, "linestyle": fill,
                               "marker": "none", "hatch": hatch,
                               "label": str(patch.get_label()),
                               "points": _patch_points(patch, ax)})
        mappables = [m for im in ax.images if (m := _mappable(im))]
        for coll in ax.collections:
            if id(coll) in skip or not coll.get_visible():
                continue
            mapped = isinstance(coll, (QuadMesh, ContourSet)) or (
                coll.get_array() is not None and not isinstance(coll, LineCollection))
            if isinstance(coll, ContourSet) and not coll.filled and \
                    len({tuple(c) for c in coll.get_edgecolor()}) <= 1:
                continue              # contour lines of one colour over an image
            if mapped and isinstance(coll, Collection):
                if (m := _mappable(coll)):
                    mappables.append(m)
            elif (s := _collection(coll, ax, bg)):
                series.append(s)
        texts = []
        for t in ax.texts:
            if not t.get_visible() or not t.get_text().strip():
                continue
            box = t.get_window_extent()      # no drawing needed: it costs 0.1-0.3 s
            corners = ax.transAxes.inverted().transform([[box.x0, box.y0],
                                                         [box.x1, box.y1]])
            anchor = None
            if isinstance(t, Annotation):
                anchor = ax.transAxes.inverted().transform(t._get_xy_display()).round(3)
                anchor = anchor.tolist()
            texts.append({"text": t.get_text(), "colour": _rgb(t.get_color(), bg),
                          "box": np.round(corners, 3).tolist(), "anchor": anchor})
        legend = ax.get_legend()
        entries = [t.get_text() for t in legend.get_texts()] if legend else []
        out.append({"title": ax.get_title(), "series": series, "texts": texts,
                    "mappables": mappables, "legend": entries})
    return {"axes": out}


def install(path: str | Path) -> None:
    """In a notebook's kernel: record every displayed figure and explorer to `path`.

    Each figure the inline backend would turn into a PNG (``plt.show()``, the
    end of a cell, a Figure as a cell's value) and each displayed explorer's
    figure is described by :func:`describe_figure` and appended to `path` as
    one JSON line. The PNG itself is not made (only the artists are wanted),
    which keeps a run cheap.
    """
    import IPython.core.pylabtools as pylabtools
    from IPython import get_ipython

    shell = get_ipython()
    target = Path(path)

    def record(fig: Any, what: str) -> None:
        entry = {"what": what, **describe_figure(fig)}
        with target.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")

    def print_figure(fig: Any, *args: Any, **kwargs: Any) -> None:
        if fig.axes:
            record(fig, "figure")
        return None

    pylabtools.print_figure = print_figure
    pylabtools.retina_figure = print_figure
    shell.run_line_magic("matplotlib", "inline")

    from klcourse.widgets import Explorer

    shown = Explorer._repr_mimebundle_

    def explorer_bundle(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.last_figure is not None:
            record(self.last_figure, "explorer")
            _SHOWN.append((self, record))
        return shown(self, *args, **kwargs)

    Explorer._repr_mimebundle_ = explorer_bundle


#: The explorers a kernel displayed, with the function that records a figure.
_SHOWN: list = []


def sweep() -> None:
    """In a notebook's kernel, after its last cell: record each displayed explorer
    again with every control at its maximum, then at its minimum (series that
    only appear for some settings are checked too)."""
    for explorer, record in _SHOWN:
        ranged = {k: c for k, c in explorer.controls.items()
                  if hasattr(c, "min") and hasattr(c, "max")}
        for end in ("max", "min"):
            explorer.update(**{k: getattr(c, end) for k, c in ranged.items()})
            record(explorer.last_figure, f"explorer at {end}")


# ------------------------------------------------------------------- judging
def simulate(rgb: Iterable[Iterable[float]], vision: str) -> np.ndarray:
    """sRGB colours (0..1) as seen with `vision` (one of :data:`VISIONS`).

    Examples
    --------
    >>> simulate([[1, 1, 1]], "deuteranopia").round(2).tolist()
    [[1.0, 1.0, 1.0]]
    """
    from colorspacious import cspace_convert

    arr = np.asarray(list(rgb), dtype=float).reshape(-1, 3)
    if vision == "normal":
        return arr
    if vision not in _CVD:
        raise ValueError(f"unknown vision {vision!r}; choose one of {VISIONS}")
    space = {"name": "sRGB1+CVD", "cvd_type": _CVD[vision], "severity": 100}
    return np.clip(cspace_convert(arr, space, "sRGB1"), 0, 1)


def delta_e(a: Iterable[float], b: Iterable[float], vision: str = "normal") -> float:
    """CAM02-UCS distance between two sRGB colours as seen with `vision`.

    Examples
    --------
    >>> round(delta_e([0, 0, 0], [0, 0, 0]), 6)
    0.0
    >>> orange, green = [1.0, 0.498, 0.055], [0.173, 0.627, 0.173]    # tab10's
    >>> round(delta_e(orange, green), 1), round(delta_e(orange, green, "protanopia"), 1)
    (46.8, 1.6)
    """
    from colorspacious import deltaE

    sa, sb = simulate([list(a), list(b)], vision)
    return float(deltaE(sa, sb, input_space="sRGB1"))


def lightness(rgb: Iterable[Iterable[float]], vision: str = "normal") -> np.ndarray:
    """CAM02-UCS lightness J' of sRGB colours as seen with `vision`."""
    from colorspacious import cspace_convert

    return cspace_convert(simulate(rgb, vision), "sRGB1", "CAM02-UCS")[:, 0]


def colormap_problem(samples: list, name: str) -> str | None:
    """Why a colormap does not read in every colour vision, or None if it does.

    It must be sequential in lightness for every vision: J' rising (or falling)
    along the map by at least :data:`MIN_LIGHTNESS_SPAN` end to end, never
    turning back by more than 1. jet, rainbow, hsv and the like turn back.

    Examples
    --------
    >>> import matplotlib
    >>> cm = matplotlib.colormaps
    >>> def sampled(name):
    ...     return cm[name](np.linspace(0, 1, 33))[:, :3].tolist()
    >>> colormap_problem(sampled("viridis"), "viridis")
    >>> colormap_problem(sampled("jet"), "jet")[:24]
    'colormap jet: lightness '
    """
    for vision in VISIONS:
        j = lightness(samples, vision)
        if j[-1] < j[0]:
            j = j[::-1]
        back = float(np.max(np.maximum.accumulate(j) - j))
        if back > 1.0 or j[-1] - j[0] < MIN_LIGHTNESS_SPAN:
            return (f"colormap {name}: lightness not monotone enough with {vision} "
                    f"(turns back by {back:.1f}, spans {j[-1] - j[0]:.1f} J'); use "
                    f"viridis, cividis, magma or greys")
    return None


def _style(s: dict) -> tuple:
    """What tells a series apart besides colour: the kind of mark (a stroke, an
    area, scattered points), its line style or outline, its marker, its hatch."""
    kind = {"line": "stroke", "segments": "stroke", "bar": "area", "patch": "area",
            "fill": "area"}.get(s["kind"], s["kind"])
    return kind, s["linestyle"], s["marker"], s["hatch"]


def _labelled(s: dict) -> bool:
    return not s["label"].startswith("_") and bool(s["label"].strip())


def _direct_label(s: dict, texts: list[dict]) -> bool:
    """A text drawn next to the series, in its colour or naming its legend label."""
    pts = np.asarray(s["points"], dtype=float).reshape(-1, 2)
    if not len(pts):
        return False
    for t in texts:
        named = _labelled(s) and s["label"].strip() in t["text"]
        same_colour = t["colour"] is not None and s["colour"] is not None and \
            np.allclose(t["colour"], s["colour"], atol=0.02)
        if not (named or same_colour):
            continue
        (x0, y0), (x1, y1) = t["box"]
        near = [[x0, y0], [x1, y1], [x0, y1], [x1, y0], [(x0 + x1) / 2, (y0 + y1) / 2]]
        if t["anchor"]:
            near.append(t["anchor"])
        if min(np.hypot(*(pts - c).T).min() for c in near) <= LABEL_REACH:
            return True
    return False


def _groups(series: list[dict]) -> list[dict]:
    """Series that look the same are one thing to the reader (a curve and its
    unlabelled twin, the runs of a bundle) unless their legend says otherwise."""
    groups: list[dict] = []
    for s in series:
        key = (tuple(s["colour"]), _style(s))
        for g in groups:
            if g["key"] == key and (not _labelled(s) or not g["labels"]
                                    or s["label"] in g["labels"]):
                g["members"].append(s)
                if _labelled(s):
                    g["labels"].add(s["label"])
                break
        else:
            groups.append({"key": key, "members": [s],
                           "labels": {s["label"]} if _labelled(s) else set()})
    return groups


def axes_problems(axes: dict, where: str = "") -> list[str]:
    """Every two series of one Axes that a reader cannot tell apart, as sentences.

    Examples
    --------
    >>> s = {"kind": "line", "linestyle": "-", "marker": "none", "hatch": "",
    ...      "points": [[0, 0]]}
    >>> axes = {"series": [{**s, "colour": [0, 0, 0], "label": "p"},
    ...                    {**s, "colour": [0.9, 0.6, 0], "label": "q"}], "texts": []}
    >>> axes_problems(axes)
    []
    >>> axes["series"][1]["colour"] = [0.02, 0.02, 0.02]
    >>> len(axes_problems(axes))
    1
    """
    problems = []
    texts = axes["texts"]
    groups = _groups(axes["series"])
    for i, a in enumerate(groups):
        for b in groups[i + 1:]:
            sa, sb = a["members"][0], b["members"][0]
            if _style(sa) != _style(sb):
                continue              # told apart by line style, marker, hatch or kind
            if sa.get("categories") and sb.get("categories") and \
                    sa["label"] == sb["label"]:
                continue              # bars of one series, named by their tick labels
            if any(_direct_label(s, texts) for s in a["members"]) and \
                    any(_direct_label(s, texts) for s in b["members"]):
                continue
            seen = {v: delta_e(sa["colour"], sb["colour"], v) for v in VISIONS}
            bad = [f"{v} {d:.1f}" for v, d in seen.items() if d < MIN_DELTA_E]
            if bad:
                problems.append(
                    f"{where}{sa['kind']} {sa['label']!r} and {sb['kind']} "
                    f"{sb['label']!r} differ only by colour ({_hex(sa['colour'])} vs "
                    f"{_hex(sb['colour'])}, style {_style(sa)}), and Delta E' < "
                    f"{MIN_DELTA_E:g} with " + ", ".join(bad))
    return problems


def _hex(rgb: list[float]) -> str:
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgb)


def figure_problems(record: dict) -> list[str]:
    """Every problem of a :func:`describe_figure` record, as sentences (empty: fine)."""
    problems = []
    all_maps = [m for ax in record["axes"] for m in ax["mappables"]]
    for k, ax in enumerate(record["axes"]):
        where = f'axes {k} "{ax["title"]}" '
        problems += axes_problems(ax, where)
        for m in ax["mappables"]:
            if (bad := colormap_problem(m["samples"], m["cmap"])):
                problems.append(where + bad)
            keyed = [o for o in all_maps if o["cmap"] == m["cmap"]
                     and o["vmin"] == m["vmin"] and o["vmax"] == m["vmax"]]
            if not any(o["colorbar"] for o in keyed):
                problems.append(f"{where}{m['kind']} with colormap {m['cmap']} has no "
                                f"colourbar (nor shares one with the same scale)")
    return problems

"""Every public function of klcourse has a numpy-style docstring with a runnable example.

(The examples themselves run as doctests: pytest collects klcourse/ with --doctest-modules.)
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import klcourse


def public_functions():
    for info in pkgutil.walk_packages(klcourse.__path__, "klcourse."):
        if info.name.split(".")[-1].startswith("_") or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n in vars(module) if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                yield pytest.param(obj, id=f"{module.__name__}.{name}")


@pytest.mark.parametrize("func", list(public_functions()))
def test_public_function_has_numpy_docstring_with_example(func):
    doc = inspect.getdoc(func) or ""
    assert doc, "no docstring"
    if func.__name__ in {"main", "add_commands", "build_parser"}:
        return  # command-line plumbing
    assert "Examples\n--------" in doc and ">>>" in doc, "no runnable example (an Examples section with >>>)"
    params = [p for p in inspect.signature(func).parameters.values()
              if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if params:
        assert "Parameters\n----------" in doc, "no Parameters section"

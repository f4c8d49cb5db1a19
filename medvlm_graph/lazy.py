"""Names of a package resolved on first use (PEP 562), so importing the package stays cheap.

A package whose submodules load heavy libraries (networkx, scipy, requests) but whose CLI only
needs a few constants at start-up lists its other public names with the submodule that holds
each; :func:`lazy_names` gives the module ``__getattr__`` and ``__dir__`` that import them when
first asked for.

Examples
--------
>>> getattr_, dir_ = lazy_names("json", {"JSONDecoder": "decoder"})
>>> getattr_("JSONDecoder").__name__
'JSONDecoder'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_names(package: str, where: Mapping[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``name`` comes from ``package.<where[name]>``."""

    def __getattr__(name: str):
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__

"""Static files: the project's own stylesheet and htmx, taken from an installed package.

No third-party front-end file is kept in this repository: htmx comes from the
`django-js-lib-htmx` wheel (0BSD), which ships `htmx.min.js` as package data and needs no
Django to be read. Without it the pages work the same, with full page loads.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def htmx_path() -> Path | None:
    """Where the installed htmx.min.js is, if the package that ships it is installed."""
    spec = importlib.util.find_spec("js_lib_htmx")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "static" / "htmx" / "htmx.min.js"
    return path if path.is_file() else None


def htmx_available() -> bool:
    """True when htmx can be served."""
    return htmx_path() is not None


def own_file(name: str) -> Path | None:
    """One of the project's own static files, by plain name (no paths)."""
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = STATIC / name
    return path if path.is_file() else None

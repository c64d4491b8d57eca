"""Serves the stylesheet and htmx (from its package) with long-lived caching."""

from __future__ import annotations

from fastapi import Response
from fastapi.responses import FileResponse

from repatria.domain.errors import NotFound
from repatria.entrypoints.web import assets
from repatria.entrypoints.web.routing import web_router

router = web_router()
TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    """One static file by name: the project's own, or htmx.min.js from its package."""
    path = assets.htmx_path() if name == "htmx.min.js" else assets.own_file(name)
    if path is None:
        raise NotFound("file", name)
    return FileResponse(
        path,
        media_type=TYPES.get(path.suffix, "application/octet-stream"),
        headers={"Cache-Control": "public, max-age=3600"},
    )

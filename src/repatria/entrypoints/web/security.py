"""Browser safety: CSRF tokens, the session cookie's flags, security headers, safe redirects."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from starlette.responses import Response

CSRF_COOKIE = "repatria_csrf"
CSRF_FIELD = "csrf_token"
_SEED = re.compile(r"^[A-Za-z0-9_-]{43}$")

# Pages load only this server's own files; no inline script or style, no framing.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
# matplotlib's SVG carries its own <style>; the image has no scripts and is never a page.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}


def new_seed() -> str:
    """A fresh random CSRF seed for the browser's CSRF cookie."""
    return secrets.token_urlsafe(32)


def usable_seed(value: str | None) -> str | None:
    """The cookie's seed if it has the shape we issue, else None."""
    return value if value and _SEED.match(value) else None


def csrf_token(secret: str, seed: str, session: str | None) -> str:
    """The token forms carry: bound to the browser's seed and to its session, if any."""
    message = f"csrf|{seed}|{session or ''}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def csrf_valid(secret: str, seed: str | None, session: str | None, given: object) -> bool:
    """True when the submitted token is the one this browser's seed and session produce."""
    if not seed or not isinstance(given, str):
        return False
    return hmac.compare_digest(csrf_token(secret, seed, session), given)


def apply_headers(response: Response, *, cache: str = "no-store") -> Response:
    """Add the security headers (and a page CSP unless the response set its own)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    response.headers.setdefault("Cache-Control", cache)
    return response


def set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    """Set a cookie that scripts cannot read, sent only over HTTPS (or to localhost)."""
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, secure=True, samesite="lax", path="/"
    )


def clear_cookie(response: Response, name: str) -> None:
    """Remove a cookie set by set_cookie."""
    response.delete_cookie(name, httponly=True, secure=True, samesite="lax", path="/")


def safe_next(target: str | None, default: str = "/dashboard") -> str:
    """A redirect target on this site only (a path), never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 32 for ch in target):
        return default
    return target

"""Page test fixtures: those of tests/web/conftest.py (the application on a fresh demo database,
clients signed in through the login form), shared with the browser tests and the page tests
still in tests/web/."""

from tests.web.conftest import _audit_key, browser_for, database_content

__all__ = ["_audit_key", "browser_for", "database_content"]

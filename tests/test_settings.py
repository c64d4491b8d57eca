"""Settings: read from the environment, and the default secret refused outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from repatria.settings import DEVELOPMENT_SECRET, Settings


@pytest.mark.parametrize("env", ["test", "production"])
def test_the_default_secret_is_refused_outside_development(env: str) -> None:
    with pytest.raises(ValidationError, match="REPATRIA_SECRET_KEY"):
        Settings(env=env, secret_key=DEVELOPMENT_SECRET)  # type: ignore[arg-type]


def test_development_accepts_the_default_secret() -> None:
    assert Settings(env="development").secret_key == DEVELOPMENT_SECRET


def test_postgresql_urls_use_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPATRIA_DATABASE_URL", "postgresql://u@localhost/repatria")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@localhost/repatria"
    assert settings.database_kind == "postgresql"


def test_request_bodies_are_limited_to_one_mebibyte_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().max_body_bytes == 1024 * 1024
    monkeypatch.setenv("REPATRIA_MAX_BODY_BYTES", "65536")
    assert Settings().max_body_bytes == 65536

"""A request body over REPATRIA_MAX_BODY_BYTES is refused with 413 before anything reads it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from repatria.bootstrap import Container, build
from repatria.entrypoints.api.app import create_app
from repatria.settings import Settings
from tests.entrypoints.api.conftest import BASE_URL

LIMIT = 4096


@pytest.fixture
def limited(settings: Settings) -> Iterator[TestClient]:
    """An anonymous client of an application whose limit is LIMIT bytes."""
    container: Container = build(settings.model_copy(update={"max_body_bytes": LIMIT}))
    with TestClient(create_app(container), base_url=BASE_URL) as client:
        yield client
    container.dispose()


def test_a_body_over_the_limit_is_a_413_before_authentication(anonymous: TestClient) -> None:
    # 20 MB of JSON, unauthenticated: refused for its size, not read to find the 401.
    body = b'{"x": "' + b"a" * 20_000_000 + b'"}'
    response = anonymous.post(
        "/api/v1/assessments", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": f"the request body is larger than {1024 * 1024} bytes"}


def test_the_limit_is_the_setting(limited: TestClient) -> None:
    headers = {"Content-Type": "application/json"}
    within = limited.post("/api/v1/assessments", content=b"{}".ljust(LIMIT), headers=headers)
    beyond = limited.post("/api/v1/assessments", content=b"{}".ljust(LIMIT + 1), headers=headers)
    assert within.status_code == 401 and beyond.status_code == 413


def test_a_streamed_body_without_a_length_is_counted_and_refused_past_the_limit(
    limited: TestClient,
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"x": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"}'

    response = limited.post(
        "/api/v1/assessments", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413

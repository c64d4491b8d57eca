"""Settings: read from the environment, and the default secret refused outside development."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from repatria.domain.accounts import Role
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


PRODUCTION = {"env": "production", "secret_key": "a real secret"}


def test_production_refuses_to_run_without_the_audit_key(tmp_path: Path) -> None:
    witness = tmp_path / "witness.log"
    with pytest.raises(ValidationError, match="REPATRIA_AUDIT_PUBLIC_KEY_FILE"):
        Settings(**PRODUCTION, audit_witness_file=witness)  # type: ignore[arg-type]


def _production(tmp_path: Path, **more: object) -> Settings:
    return Settings(
        **PRODUCTION,  # type: ignore[arg-type]
        audit_witness_file=tmp_path / "witness.log",
        audit_public_key_file=tmp_path / "audit.pub",
        **more,  # type: ignore[arg-type]
    )


def test_production_refuses_a_public_address_without_tls_or_a_proxy(tmp_path: Path) -> None:
    settings = _production(tmp_path)
    assert settings.serving_problem("127.0.0.1") is None
    problem = settings.serving_problem("0.0.0.0")  # noqa: S104 - the address being refused
    assert problem is not None and "REPATRIA_TLS_CERT_FILE" in problem
    behind_proxy = _production(tmp_path, forwarded_allow_ips="10.0.0.5")
    assert behind_proxy.serving_problem("0.0.0.0") is None  # noqa: S104
    with_tls = _production(tmp_path, tls_cert_file="c.pem", tls_key_file="k.pem")
    assert with_tls.serving_problem("0.0.0.0") is None  # noqa: S104


def test_a_tls_certificate_needs_its_key(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="go together"):
        _production(tmp_path, tls_cert_file="c.pem")


def test_development_may_serve_anywhere_it_is_told() -> None:
    assert Settings(env="development").serving_problem("0.0.0.0") is None  # noqa: S104


def test_password_hashing_costs_argon2_defaults_and_production_refuses_less(
    tmp_path: Path,
) -> None:
    settings = _production(tmp_path)
    assert (settings.password_hash_time_cost, settings.password_hash_memory_kib) == (3, 65536)
    with pytest.raises(ValidationError, match="REPATRIA_PASSWORD_HASH_TIME_COST"):
        _production(tmp_path, password_hash_time_cost=1)
    with pytest.raises(ValidationError, match="REPATRIA_PASSWORD_HASH_MEMORY_KIB"):
        _production(tmp_path, password_hash_memory_kib=64)
    assert Settings(env="development", password_hash_time_cost=1).password_hash_time_cost == 1


def test_security_keys_are_required_of_those_who_decide_or_administer_by_default() -> None:
    assert Settings().require_security_key_roles == {
        Role.REVIEWER,
        Role.VERIFIER,
        Role.LEGAL_OFFICER,
        Role.ADMIN,
    }


def test_the_roles_that_need_a_key_are_read_comma_separated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPATRIA_REQUIRE_SECURITY_KEY_ROLES", "admin, verifier")
    assert Settings().require_security_key_roles == {Role.ADMIN, Role.VERIFIER}
    monkeypatch.setenv("REPATRIA_REQUIRE_SECURITY_KEY_ROLES", "")
    assert Settings().require_security_key_roles == frozenset()
    monkeypatch.setenv("REPATRIA_REQUIRE_SECURITY_KEY_ROLES", "admin,boss")
    with pytest.raises(ValidationError, match="require_security_key_roles"):
        Settings()


@pytest.mark.parametrize(
    ("origin", "reason"),
    [
        ("http://127.0.0.1:8000", "IP address"),
        ("https://[::1]:8443", "IP address"),
        ("http://repatria.justice.example", "must be https"),
        ("https://repatria.justice.example/app", "must be an origin"),
    ],
)
def test_a_security_key_origin_that_browsers_refuse_is_refused(origin: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Settings(webauthn_origin=origin)


def test_the_relying_party_id_is_the_origins_host_name() -> None:
    settings = Settings(webauthn_origin="https://repatria.justice.example/")
    assert (settings.webauthn_origin, settings.webauthn_rp_id) == (
        "https://repatria.justice.example",
        "repatria.justice.example",
    )

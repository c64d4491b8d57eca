"""The providers file (REPATRIA_OIDC_FILE): what it maps, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from repatria.domain.accounts import Role
from repatria.services import oidc_providers

EXAMPLE = """
organisations:
  us-iptu:
    label: US Department of Justice
    issuer: https://login.justice.example
    client_id: repatria
    client_secret_file: {secret}
    username_claim: email
    role_claim: groups
    roles:
      transfer-officers: case_officer
      transfer-reviewers: reviewer
    passwords: false
  mx-transfer:
    label: Mexico SSPC
    issuer: https://sso.sspc.example/realms/gob
    client_id: repatria-mx
    client_secret: plain-in-the-operators-file
    role_claim: puesto
    roles:
      verificador: verifier
"""


def _write(tmp_path: Path, text: str) -> Path:
    secret = tmp_path / "us-secret"
    secret.write_text("from-the-secret-file\n")
    path = tmp_path / "oidc.yaml"
    path.write_text(text.format(secret=secret))
    return path


def test_each_organisation_names_its_provider_and_mapping(tmp_path: Path) -> None:
    providers = oidc_providers.load(_write(tmp_path, EXAMPLE))
    us, mx = providers["us-iptu"], providers["mx-transfer"]
    assert (us.organisation, us.secret(), us.username_claim) == (
        "us-iptu",
        "from-the-secret-file",
        "email",
    )
    assert us.discovery_url == "https://login.justice.example/.well-known/openid-configuration"
    assert mx.roles_for({"puesto": "verificador"}) == {Role.VERIFIER}
    assert us.roles_for({"groups": ["x", "transfer-reviewers"]}) == {Role.REVIEWER}
    assert us.roles_for({"groups": "nobody"}) == set()
    assert oidc_providers.passwords_off(tmp_path / "oidc.yaml") == {"us-iptu"}


def test_no_file_means_no_provider() -> None:
    assert oidc_providers.load(None) == {}
    assert oidc_providers.passwords_off(None) == frozenset()


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_a_provider_never_grants_a_role_only_the_operator_grants(tmp_path: Path, role: str) -> None:
    text = EXAMPLE.replace("verificador: verifier", f"verificador: {role}")
    with pytest.raises(ValueError, match="granted only by the installation's operator"):
        oidc_providers.load(_write(tmp_path, text))


def test_a_provider_needs_exactly_one_secret(tmp_path: Path) -> None:
    text = EXAMPLE.replace("    client_secret: plain-in-the-operators-file\n", "")
    with pytest.raises(ValueError, match="exactly one of client_secret"):
        oidc_providers.load(_write(tmp_path, text))


def test_an_unknown_setting_is_refused(tmp_path: Path) -> None:
    text = EXAMPLE.replace("    passwords: false\n", "    password: false\n")
    with pytest.raises(ValueError, match="password"):
        oidc_providers.load(_write(tmp_path, text))

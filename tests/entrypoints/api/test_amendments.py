"""Amendments to the law through the API: a bad overlay is a 422 naming its file, line and
reason; four eyes; the impact of a proposal lists the open cases it changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from repatria.services import clock
from repatria.services.assessments import EXAMPLE
from tests.amendment_texts import TEN_YEARS

Clients = Callable[[str], TestClient]
PROPOSAL = {"title": "Ten years", "file_name": "ten-years.yaml", "text": TEN_YEARS}


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_bad_overlay_is_refused_naming_file_line_and_reason(client_for: Clients) -> None:
    officer = client_for("us-legal-officer")
    bad = {**PROPOSAL, "text": TEN_YEARS.replace("verified: true", "verified: perhaps")}
    response = officer.post("/api/v1/law/amendments", json=bad)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "text"
    assert error["reason"].startswith("ten-years.yaml, line 8: ")
    assert "verified" in error["reason"]


def test_a_proposal_is_decided_by_a_second_person_of_its_state(client_for: Clients) -> None:
    officer, admin = client_for("us-legal-officer"), client_for("us-admin")
    created = _ok(client_for("us-legal-officer").post("/api/v1/law/amendments", json=PROPOSAL), 201)
    path = f"/api/v1/law/amendments/{created['id']}"
    assert created["status"] == "proposed" and created["proposed_by"] == "us-legal-officer"
    own = officer.post(f"{path}/decision", json={"approve": True})
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    elsewhere = client_for("mx-legal-officer").post(f"{path}/decision", json={"approve": True})
    assert elsewhere.status_code == 404
    decided = _ok(admin.post(f"{path}/decision", json={"approve": True, "reason": "published"}))
    assert (decided["status"], decided["decided_by"]) == ("approved", "us-admin")
    listed = _ok(client_for("mx-case-officer").get("/api/v1/law/amendments"))["items"]
    assert [item["id"] for item in listed] == [created["id"]]  # approved: law everyone reads


def test_the_impact_of_a_proposal_lists_the_cases_it_refuses(client_for: Clients) -> None:
    officer = client_for("us-legal-officer")
    created = _ok(officer.post("/api/v1/law/amendments", json=PROPOSAL), 201)
    impact = _ok(officer.get(f"/api/v1/law/amendments/{created['id']}/impact"))
    assert impact["total"] > 0
    assert not any(item["allowed_after"] for item in impact["items"])
    assert all("REMAINING_SENTENCE" in item["grounds_after"] for item in impact["items"])


def test_an_assessment_as_known_on_an_earlier_day_leaves_a_later_amendment_out(
    client_for: Clients,
) -> None:
    created = _ok(client_for("us-legal-officer").post("/api/v1/law/amendments", json=PROPOSAL), 201)
    path = f"/api/v1/law/amendments/{created['id']}/decision"
    _ok(client_for("us-admin").post(path, json={"approve": True}))
    officer = client_for("us-case-officer")
    now = _ok(officer.post("/api/v1/assessments", json=EXAMPLE), 201)
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    then = _ok(
        officer.post("/api/v1/assessments", params={"as_known_on": yesterday}, json=EXAMPLE), 201
    )
    assert now["allowed"] is False and then["allowed"] is True
    assert then["as_known_on"] == yesterday and then["law_digest"] != now["law_digest"]

"""Assessments: the legal engine's verdict on a proposed movement, stored and replayable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel

from repatria.domain.errors import InvalidInput
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.law.document import AssessmentDocument, load_json
from repatria.law.errors import InvalidDocument
from repatria.services import assessments

router = APIRouter(tags=["assessments"])

EXAMPLE = assessments.EXAMPLE


class ReplayOut(BaseModel):
    verdict: dict[str, Any]
    same_verdict: bool
    law_changed: bool
    engine_changed: bool
    explanation: str


class AssessmentOut(BaseModel):
    id: int
    requested_at: datetime
    case_id: int | None
    document: dict[str, Any]
    verdict: dict[str, Any]
    engine_version: str
    law_digest: str
    replay: ReplayOut


def document_schema() -> dict[str, Any]:
    """The assessment document's JSON Schema with its parts written in place, for the API
    document (the body is read as a plain object and parsed by the service, as the CLI does)."""
    schema = AssessmentDocument.model_json_schema(by_alias=True)
    parts = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            rest = {key: value for key, value in node.items() if key != "$ref"}
            return inline({**parts[node["$ref"].removeprefix("#/$defs/")], **rest})
        return {key: inline(value) for key, value in node.items()}

    inlined: dict[str, Any] = inline(schema)
    return inlined


async def _strictly_decoded(request: Request) -> None:
    """Read the body as `repatria assess` reads a file: a key twice in an object is refused
    (a JSON decoder would silently keep the last one)."""
    try:
        load_json(await request.body())
    except InvalidDocument as exc:
        raise InvalidInput(exc.field, exc.reason) from None


@router.post(
    "/assessments",
    status_code=201,
    summary="Assess a proposed movement",
    dependencies=[Depends(_strictly_decoded)],
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": document_schema()}}}},
    responses=FORBIDDEN,
)
def create_assessment(
    document: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
    principal: CurrentPrincipal,
    uow: Uow,
    response: Response,
    idem: Idempotent,
) -> object:
    """The verdict of shared/DESIGN.md §4 for one document, stored with its legal basis.

    The body is the public assessment document; the answer is the verdict (`allowed`,
    `authority`, `as_of`, `checks`), plus the stored assessment's `id`, the engine version
    and the digest of the law data used.
    """
    assessment = assessments.record(uow, principal, document)
    response.headers["Location"] = f"/api/v1/assessments/{assessment.id}"
    answer = {
        **assessment.verdict,
        "id": assessment.id,
        "engine_version": assessment.engine_version,
        "law_digest": assessment.law_digest,
    }
    return idem.commit(uow, answer, 201)


@router.get(
    "/assessments/{assessment_id}",
    response_model=AssessmentOut,
    summary="A stored assessment, replayed",
)
def read_assessment(assessment_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """The stored assessment, run again on today's law: says whether it reproduces."""
    replayed = assessments.replay(uow, principal, assessment_id)
    original = replayed.original
    return AssessmentOut(
        id=original.id or 0,
        requested_at=original.requested_at,
        case_id=original.case_id,
        document=original.document,
        verdict=original.verdict,
        engine_version=original.engine_version,
        law_digest=original.law_digest,
        replay=ReplayOut(
            verdict=replayed.verdict,
            same_verdict=replayed.same_verdict,
            law_changed=replayed.law_changed,
            engine_changed=replayed.engine_changed,
            explanation=replayed.explanation(),
        ),
    )

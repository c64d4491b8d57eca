"""Assessments: the legal engine's verdict on a proposed movement, stored and replayable."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response
from pydantic import BaseModel

from repatria.domain.errors import InvalidInput
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.law.document import AssessmentDocument, load_json
from repatria.law.errors import InvalidDocument
from repatria.law.language import ENGLISH, LANGUAGES, Language, language_of
from repatria.services import assessments

router = APIRouter(tags=["assessments"])

EXAMPLE = assessments.EXAMPLE


class ReplayOut(BaseModel):
    verdict: dict[str, Any]
    same_verdict: bool
    law_changed: bool
    engine_changed: bool
    # The law the assessment recorded, rebuilt as known on its day (its digest the recorded
    # one): the verdict today's engine gives under it; null where it cannot be rebuilt.
    recorded_law_rebuilt: bool
    under_recorded_law: dict[str, Any] | None
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


def _language(
    accept_language: Annotated[
        str | None,
        Header(
            description="The language of the verdict's reasons: `es` for Spanish (es-MX,"
            " es-SV ...), else English. Outcomes, grounds, rule ids and citations are the"
            " same in every language; the stored record keeps its English reasons."
        ),
    ] = None,
) -> Language:
    """The language of the reasons: the first of English and Spanish in the caller's
    Accept-Language, by its weights (English where it names neither)."""
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        primary = code.strip().lower().replace("_", "-").split("-")[0]
        if primary in LANGUAGES and weight > 0:
            ranked.append((-weight, position, language_of(primary)))
    return min(ranked)[2] if ranked else ENGLISH


ReasonLanguage = Annotated[Language, Depends(_language)]


def _answer_in(response: Response, language: Language) -> None:
    response.headers["Content-Language"] = language
    response.headers["Vary"] = "Accept-Language"


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
    language: ReasonLanguage,
    as_known_on: Annotated[
        date | None,
        Query(
            description="Answer as Repatria would have on this day, by the law it knew then"
            " (entries and amendments it learned of later left out); the verdict says so."
        ),
    ] = None,
) -> object:
    """The verdict of shared/DESIGN.md §4 for one document, stored with its legal basis.

    The body is the public assessment document; the answer is the verdict (`allowed`,
    `authority`, `as_of`, `checks`), plus the stored assessment's `id`, the engine version
    and the digest of the law data used. With `Accept-Language: es` the reasons are in
    Spanish; the stored record keeps them in English.
    """
    assessment = assessments.record(uow, principal, document, as_known_on=as_known_on)
    response.headers["Location"] = f"/api/v1/assessments/{assessment.id}"
    _answer_in(response, language)
    verdict = assessment.verdict
    if language != ENGLISH:
        verdict = assessments.worded(verdict, assessments.in_language(uow, assessment, language))
    answer = {
        **verdict,
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
def read_assessment(
    assessment_id: RecordId,
    principal: CurrentPrincipal,
    uow: Uow,
    response: Response,
    language: ReasonLanguage,
) -> object:
    """The stored assessment, run again on today's law: says whether it reproduces.

    With `Accept-Language: es` both verdicts give their reasons in Spanish, where the
    verdict is the same in other words; a stored verdict the engine no longer reaches is
    given as it was recorded."""
    replayed = assessments.replay(uow, principal, assessment_id)
    original = replayed.original
    _answer_in(response, language)
    verdict, today = original.verdict, replayed.verdict
    if language != ENGLISH:
        worded = assessments.in_language(uow, original, language)
        verdict, today = assessments.worded(verdict, worded), assessments.worded(today, worded)
    return AssessmentOut(
        id=original.id or 0,
        requested_at=original.requested_at,
        case_id=original.case_id,
        document=original.document,
        verdict=verdict,
        engine_version=original.engine_version,
        law_digest=original.law_digest,
        replay=ReplayOut(
            verdict=today,
            same_verdict=replayed.same_verdict,
            law_changed=replayed.law_changed,
            engine_changed=replayed.engine_changed,
            recorded_law_rebuilt=replayed.recorded_law_rebuilt,
            under_recorded_law=replayed.then_verdict if replayed.recorded_law_rebuilt else None,
            explanation=replayed.explanation(),
        ),
    )

"""Cases and movements with what each step records, the assessments they were judged by,
the amendments to the law, and the answers kept under an Idempotency-Key."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from repatria.adapters.db.tables.base import Id, Moment, metadata
from repatria.adapters.db.types import EnumValue
from repatria.domain.amendments import AmendmentStatus
from repatria.domain.cases import CaseState
from repatria.domain.movements import MovementState
from repatria.domain.workflow import ConsentGiver, DecisionKind, FearOutcome, VerifierRole

cases = Table(
    "cases",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("authority", String(40), nullable=False, index=True),
    Column("from_state", String(2), nullable=False, index=True),
    Column("to_state", String(2), nullable=False, index=True),
    Column("state", EnumValue(CaseState), nullable=False, index=True),
    Column("opened_by", Id, ForeignKey("users.id")),
    Column("opened_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("request_received_on", Date),
    Column("departure_at", Moment),
    Column("facts", JSON, nullable=False, default=dict),
    Column("prepared_by", Id, ForeignKey("users.id")),
    Column("version", Integer, nullable=False),
)


# A command's answer kept under the client's Idempotency-Key, written in the same transaction
# as the command, so a retried request acts once and gets the first answer again.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("body", JSON, nullable=False),
    Column("created_at", Moment, nullable=False),
    UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_id_key"),
)


movements = Table(
    "movements",
    metadata,
    Column("id", Id, primary_key=True),
    Column("authority", String(40), nullable=False),
    Column("from_state", String(2), nullable=False, index=True),
    Column("to_state", String(2), nullable=False, index=True),
    Column("sequence", Integer, nullable=False),
    Column("seats", Integer, nullable=False),
    Column("planned_departure", Moment, nullable=False),
    # When it actually left and arrived (migration 0017); NULL until then.
    Column("departed_at", Moment),
    Column("arrived_at", Moment),
    Column("state", EnumValue(MovementState, 20), nullable=False),
    Column("created_by", Id, ForeignKey("users.id")),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint(
        "authority",
        "from_state",
        "to_state",
        "sequence",
        name="uq_movements_authority_pair_sequence",
    ),
)
manifest_entries = Table(
    "manifest_entries",
    metadata,
    Column("id", Id, primary_key=True),
    Column("movement_id", Id, ForeignKey("movements.id"), nullable=False, index=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False, index=True),
    Column("added_at", Moment, nullable=False),
    Column("removed_at", Moment),
    Column("removed_reason", Text, nullable=False),
    Column("assessment_id", Id, ForeignKey("assessments.id")),
)


def _case_record(name: str, *columns: Column[object]) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Id, primary_key=True),
        Column("case_id", Id, ForeignKey("cases.id"), nullable=False, index=True),
        *columns,
    )


decisions = _case_record(
    "decisions",
    Column("state", String(2), nullable=False),
    Column("kind", EnumValue(DecisionKind, 10), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("decided_by", Id, ForeignKey("users.id")),
    Column("reasons", Text, nullable=False),
)
consent_verifications = _case_record(
    "consent_verifications",
    Column("verifier_name", String(200), nullable=False),
    Column("verifier_role", EnumValue(VerifierRole, 30), nullable=False),
    Column("verified_on", Date, nullable=False),
    Column("counsel", String(10), nullable=False),
    Column("advisements", JSON, nullable=False),
    Column("given_by", EnumValue(ConsentGiver, 10), nullable=False),
    Column("consents", Boolean, nullable=False),
    Column("recording_reference", String(200), nullable=False),
    Column("opinion_recorded", Boolean, nullable=False),
    Column("recorded_by", Id, ForeignKey("users.id")),
    # The hearing's language and its interpreter, if any (migration 0017); NULL: not recorded.
    Column("language", String(40)),
    Column("interpreter", String(200)),
)
notices = _case_record(
    "notices",
    Column("served_at", Moment, nullable=False),
    Column("language_understood", Boolean, nullable=False),
    Column("explains_how_to_contest", Boolean, nullable=False),
    Column("country", String(2)),
)
fear_claims = _case_record(
    "fear_claims",
    Column("raised_on", Date, nullable=False),
    Column("country", String(2), nullable=False),
    Column("outcome", EnumValue(FearOutcome, 10)),
    Column("decided_on", Date),
)

# Every assessment made through the API or a case transition, kept so it can be replayed.
assessments = Table(
    "assessments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("case_id", Id, ForeignKey("cases.id"), index=True),
    Column("requested_by", Id, ForeignKey("users.id")),
    Column("requested_at", Moment, nullable=False),
    Column("authority", String(40), nullable=False),
    Column("from_state", String(2), nullable=False),
    Column("to_state", String(2), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("allowed", Boolean, nullable=False),
    Column("document", JSON, nullable=False),
    Column("verdict", JSON, nullable=False),
    Column("engine_version", String(20), nullable=False),
    Column("law_digest", String(64), nullable=False),
    Column("states", JSON, nullable=False),
    # The database facts (custody contract, free place) the verdict used, so it replays.
    Column("context_facts", JSON),
)

# Amendments to the law under review (domain/amendments.py): the YAML overlay as proposed,
# layered over the shipped law once approved, from the day it takes effect.
law_amendments = Table(
    "law_amendments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("state", String(2), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("file_name", String(200), nullable=False),
    Column("folder", String(20), nullable=False),
    Column("target", String(60), nullable=False),
    Column("text", Text, nullable=False),
    Column("adds", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", EnumValue(AmendmentStatus, 10), nullable=False, index=True),
    Column("proposed_by", Id, ForeignKey("users.id")),
    Column("proposed_at", Moment, nullable=False),
    Column("decided_by", Id, ForeignKey("users.id")),
    Column("decided_at", Moment),
    Column("decision_reason", Text, nullable=False),
    Column("effective_on", Date),
    Column("announced_at", Moment),
    Column("version", Integer, nullable=False),
)

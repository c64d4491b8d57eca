"""The relational schema; the single source Alembic migrations are checked against."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from repatria.adapters.db.types import EnumValue, UtcDateTime
from repatria.domain.accounts import CredentialKind, Role
from repatria.domain.cases import CaseState
from repatria.domain.people import HoldKind, OffenseCategory, ProtectionKind

# Named constraints keep migrations identical on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BigInteger ids on PostgreSQL, INTEGER PRIMARY KEY (rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")
Moment = UtcDateTime()

organisations = Table(
    "organisations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("state", String(2), nullable=False, index=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", EnumValue(Role, 20), nullable=False),
    Column("organisation_id", Id, ForeignKey("organisations.id"), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

credentials = Table(
    "credentials",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", EnumValue(CredentialKind, 10), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("revoked_at", Moment),
)

people = Table(
    "people",
    metadata,
    Column("id", Id, primary_key=True),
    Column("family_name", String(200), nullable=False),
    Column("given_names", String(200), nullable=False),
    Column("birth_date", Date),
    Column("held_by_state", String(2), nullable=False, index=True),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("version", Integer, nullable=False),
)


def _person_detail(name: str, *columns: Column[object]) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Id, primary_key=True),
        Column(
            "person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        *columns,
    )


citizenships = _person_detail(
    "citizenships",
    Column("country", String(2), nullable=False, index=True),
    Column("acquired_on", Date),
    Column("lost_on", Date),
)
identifiers = _person_detail(
    "identifiers",
    Column("scheme", String(40), nullable=False),
    Column("value", String(100), nullable=False),
)
sentences = _person_detail(
    "sentences",
    Column("offense", String(300), nullable=False),
    Column("offense_category", EnumValue(OffenseCategory), nullable=False),
    Column("jurisdiction", String(10), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("length_days", Integer),
    Column("credit_days", Integer, nullable=False),
    Column("indeterminate", Boolean, nullable=False),
    Column("death_sentence", Boolean, nullable=False),
    Column("final", Boolean, nullable=False),
    Column("appeal_pending", Boolean, nullable=False),
    Column("collateral_attack_pending", Boolean, nullable=False),
    Column("state_prisoner", Boolean, nullable=False),
)
protection_orders = _person_detail(
    "protection_orders",
    Column("kind", EnumValue(ProtectionKind, 20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("terminated_on", Date),
    Column("issued_by", String(200), nullable=False),
)
holds = _person_detail(
    "holds",
    Column("kind", EnumValue(HoldKind, 20), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("lifted_on", Date),
    Column("court", String(200), nullable=False),
    Column("reference", String(100), nullable=False),
)
removal_orders = _person_detail(
    "removal_orders",
    Column("issued_on", Date, nullable=False),
    Column("final", Boolean, nullable=False),
    Column("designated_countries", JSON, nullable=False),
)
Index("ix_identifiers_scheme_value", identifiers.c.scheme, identifiers.c.value, unique=True)

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
    Column("version", Integer, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("command", String(60), nullable=False),
    Column("subject_type", String(30), nullable=False),
    Column("subject_id", String(40), nullable=False),
    Column("occurred_at", Moment, nullable=False),
    Column("recorded_at", Moment, nullable=False),
    Column("actor", String(80), nullable=False),
    Column("actor_id", Id, ForeignKey("users.id")),
    Column("organisation_id", Id, ForeignKey("organisations.id")),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("states", JSON, nullable=False),
    # The event's 0-based position in the Merkle log and SHA-256(0x00 || canonical leaf).
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)
Index("ix_events_subject", events.c.subject_type, events.c.subject_id)

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
)

# The Merkle log's head: one row, locked by each writer, holding the size and the compact
# frontier (one hash per perfect subtree) from which the current root follows.
audit_log_head = Table(
    "audit_log_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("frontier", LargeBinary, nullable=False),
)

# Signed tree heads: Ed25519 over the message in docs/audit.md.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tree_size", BigInteger, nullable=False, unique=True),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("signed_at", Moment, nullable=False),
    Column("signature", LargeBinary(64), nullable=False),
    Column("key_id", String(64), nullable=False),
)

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
    UniqueConstraint,
    false,
)

from repatria.adapters.db.leaf_columns import derived
from repatria.adapters.db.types import EnumValue, ExactDecimal, UtcDateTime
from repatria.domain.accounts import CredentialKind, Role
from repatria.domain.amendments import AmendmentStatus
from repatria.domain.cases import CaseState
from repatria.domain.facilities import Occupancy
from repatria.domain.money import FeeBasis
from repatria.domain.movements import MovementState
from repatria.domain.people import HoldKind, OffenseCategory, ProtectionKind
from repatria.domain.workflow import ConsentGiver, DecisionKind, FearOutcome, VerifierRole

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
    Column("must_change_password", Boolean, nullable=False, default=False),
    # The identity provider's account this user signs in as (OpenID Connect: `iss`, `sub`).
    Column("external_issuer", String(300)),
    Column("external_subject", String(255)),
    # The language the user reads Repatria in (en, es or a locale such as es_SV); NULL:
    # the header's switch or the browser decides (repatria.i18n).
    Column("language", String(8)),
    UniqueConstraint(
        "external_issuer", "external_subject", name="uq_users_external_issuer_subject"
    ),
)

# Failed sign-ins per account ("account:<username>") and per client address
# ("address:<ip>"), kept in the database so every worker process counts the same attempts.
login_throttles = Table(
    "login_throttles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("failures", Integer, nullable=False),
    Column("last_attempt_at", Moment, nullable=False),
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
    Column("read_only", Boolean, nullable=False, server_default=false()),
    # A browser session opened through an identity provider: its issuer (RP-initiated logout).
    Column("issuer", String(300)),
)

# Security keys (WebAuthn) and what signing in with one needs (services/security_keys.py).
security_keys = Table(
    "security_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("credential_id", LargeBinary(1023), nullable=False, unique=True),
    Column("public_key", LargeBinary(2048), nullable=False),
    Column("sign_count", BigInteger, nullable=False),
    Column("transports", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("last_used_at", Moment),
)
# One-time codes that stand in for a lost key: an argon2 hash of each, found by its lookup
# (the code's first group, not secret).
recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("lookup", String(8), nullable=False),
    Column("code_hash", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("used_at", Moment),
)
# A WebAuthn challenge, given once and usable once, for registering a key or signing in.
webauthn_challenges = Table(
    "webauthn_challenges",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("purpose", String(20), nullable=False),
    Column("challenge", LargeBinary(64), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("used_at", Moment),
)
# A sign-in whose first factor (password, or provider) passed and whose key is still due: no
# session exists yet; the browser holds the raw token (a cookie), stored here as its digest.
pending_sign_ins = Table(
    "pending_sign_ins",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issuer", String(300)),  # the provider that vouched for the first factor, if any
    Column("failures", Integer, nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("ended_at", Moment),
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

# An event is its leaf (adapters/db/leaf_columns.py): `body` holds the canonical JSON the Merkle
# log hashes, and every other field is a column the database derives from it.
events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("body", Text, nullable=False),
    # SHA-256(0x00 || body), as RFC 6962 hashes a leaf.
    Column("leaf_hash", LargeBinary(32), nullable=False),
    # The event's 0-based position in the Merkle log.
    Column("seq", BigInteger, derived("seq", "integer", stored_on_sqlite=True), nullable=False),
    Column("command", String(60), derived("command", "text"), nullable=False),
    Column("subject_type", String(30), derived("subject_type", "text"), nullable=False),
    Column("subject_id", String(40), derived("subject_id", "text"), nullable=False),
    Column("occurred_at", Moment, derived("occurred_at", "moment"), nullable=False),
    Column("recorded_at", Moment, derived("recorded_at", "moment"), nullable=False),
    Column("actor", String(80), derived("actor", "text"), nullable=False),
    Column("actor_id", Id, derived("actor_id", "integer"), ForeignKey("users.id")),
    Column(
        "organisation_id", Id, derived("organisation_id", "integer"), ForeignKey("organisations.id")
    ),
    Column("before", JSON, derived("before", "json")),
    Column("after", JSON, derived("after", "json")),
    Column("reason", Text, derived("reason", "text"), nullable=False),
    Column("legal_basis", Text, derived("legal_basis", "text"), nullable=False),
    Column("states", JSON, derived("states", "json"), nullable=False),
    UniqueConstraint("seq"),
)
Index("ix_events_subject", events.c.subject_type, events.c.subject_id)
# By command (the arrivals a statistics page counts): on SQLite the command is derived from
# the leaf at each read, so a scan of every event would parse every leaf.
Index("ix_events_command", events.c.command, events.c.subject_type, events.c.subject_id)

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

# Federation (docs/federation.md): each checkpoint also signed as a C2SP signed note, the peer
# states with their pinned keys, the outbox and inbox of signed envelopes (kept verbatim), and
# the checkpoints each peer sent, against which its next ones are checked.
checkpoint_notes = Table(
    "checkpoint_notes",
    metadata,
    Column("tree_size", BigInteger, primary_key=True, autoincrement=False),
    Column("note", Text, nullable=False),
)
peers = Table(
    "peers",
    metadata,
    Column("id", Id, primary_key=True),
    Column("state", String(2), nullable=False, unique=True),
    Column("base_url", String(500), nullable=False),
    Column("added_at", Moment, nullable=False),
    Column("next_in_seq", BigInteger, nullable=False),
    Column("halted_at", Moment),
    Column("halted_reason", Text),
)
peer_keys = Table(
    "peer_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_id", Id, ForeignKey("peers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("purpose", String(20), nullable=False),  # "exchange" (envelopes) or "checkpoint"
    Column("public_key", String(64), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("accepted_until", Date),
    UniqueConstraint("peer_id", "purpose", "public_key"),
)
exchange_outbox = Table(
    "exchange_outbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_state", String(2), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("case_reference", String(64)),
    Column("checkpoint_size", BigInteger),
    Column("envelope", Text, nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("delivered_at", Moment),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Moment, nullable=False),
    Column("last_error", Text),
    UniqueConstraint("peer_state", "seq"),
)
exchange_inbox = Table(
    "exchange_inbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_state", String(2), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("envelope", Text, nullable=False),
    Column("received_at", Moment, nullable=False),
    Column("processed_at", Moment),
    UniqueConstraint("peer_state", "seq"),
)
peer_checkpoints = Table(
    "peer_checkpoints",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_state", String(2), nullable=False),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("received_at", Moment, nullable=False),
    UniqueConstraint("peer_state", "tree_size"),
)


# Facilities, units and cells (areas exact, sanitary annex apart), the stays that fill them,
# and the custody contracts under which a host holds another state's people (docs/facilities.md).
facilities = Table(
    "facilities",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("state", String(2), nullable=False, index=True),
    Column("standard", String(10), nullable=False),
    Column("declared_capacity", Integer),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("version", Integer, nullable=False),
)
facility_units = Table(
    "facility_units",
    metadata,
    Column("id", Id, primary_key=True),
    Column("facility_id", Id, ForeignKey("facilities.id"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("declared_capacity", Integer),
    UniqueConstraint("facility_id", "code", name="uq_facility_units_facility_id_code"),
)
cells = Table(
    "cells",
    metadata,
    Column("id", Id, primary_key=True),
    Column("unit_id", Id, ForeignKey("facility_units.id"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("floor_area_m2", ExactDecimal(), nullable=False),
    Column("sanitary_area_m2", ExactDecimal(), nullable=False),
    Column("beds", Integer, nullable=False),
    Column("security_level", String(20), nullable=False),
    Column("occupancy", EnumValue(Occupancy, 10), nullable=False),
    Column("declared_capacity", Integer),
    UniqueConstraint("unit_id", "code", name="uq_cells_unit_id_code"),
)
custody_contracts = Table(
    "custody_contracts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reference", String(60), nullable=False, unique=True),
    Column("payer_state", String(2), nullable=False, index=True),
    Column("host_state", String(2), nullable=False, index=True),
    Column("facility_id", Id, ForeignKey("facilities.id")),
    Column("fee_basis", EnumValue(FeeBasis, 20), nullable=False),
    Column("fee", ExactDecimal(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("cap_people", Integer),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("funding_source", Text, nullable=False),
    Column("citation", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("created_by", Id, ForeignKey("users.id")),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("version", Integer, nullable=False),
)
# A month's invoice of a custody contract marked paid by the paying state (migration 0017).
invoice_payments = Table(
    "invoice_payments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_id", Id, ForeignKey("custody_contracts.id"), nullable=False),
    Column("month", Date, nullable=False),  # the invoice's first day
    Column("paid_on", Date, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("recorded_by", Id, ForeignKey("users.id")),
    Column("recorded_at", Moment, nullable=False),
    UniqueConstraint("contract_id", "month", name="uq_invoice_payments_contract_month"),
)
stays = Table(
    "stays",
    metadata,
    Column("id", Id, primary_key=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("cell_id", Id, ForeignKey("cells.id"), nullable=False, index=True),
    Column("arrival", Date, nullable=False),
    Column("release", Date),
    Column("contract_id", Id, ForeignKey("custody_contracts.id"), index=True),
    Column("security_level", String(20), nullable=False),
    Column("affiliation_group", String(60)),
    Column("affiliation_source", String(200)),
    Column("affiliation_recorded_on", Date),
    Column("affiliation_verified", Boolean),
    Column("placed_by", Id, ForeignKey("users.id")),
    Column("placed_at", Moment, nullable=False),
)

"""The relational schema; the single source Alembic migrations are checked against.

One module per concept; every table is named here, so `tables as t` reads `t.cases`."""

from __future__ import annotations

from repatria.adapters.db.tables.accounts import (
    credentials,
    login_throttles,
    organisations,
    pending_sign_ins,
    recovery_codes,
    security_keys,
    users,
    webauthn_challenges,
)
from repatria.adapters.db.tables.base import metadata
from repatria.adapters.db.tables.cases import (
    assessments,
    cases,
    consent_verifications,
    decisions,
    fear_claims,
    idempotency_keys,
    law_amendments,
    manifest_entries,
    movements,
    notices,
)
from repatria.adapters.db.tables.exchange import (
    checkpoint_notes,
    exchange_inbox,
    exchange_outbox,
    peer_checkpoints,
    peer_keys,
    peers,
)
from repatria.adapters.db.tables.facilities import (
    cells,
    custody_contracts,
    facilities,
    facility_units,
    invoice_payments,
    stays,
)
from repatria.adapters.db.tables.people import (
    citizenships,
    holds,
    identifiers,
    people,
    protection_orders,
    removal_orders,
    sentences,
)
from repatria.adapters.db.tables.record import (
    audit_checkpoints,
    audit_log_head,
    checkpoint_requests,
    events,
)

__all__ = [
    "assessments",
    "audit_checkpoints",
    "audit_log_head",
    "cases",
    "cells",
    "checkpoint_notes",
    "checkpoint_requests",
    "citizenships",
    "consent_verifications",
    "credentials",
    "custody_contracts",
    "decisions",
    "events",
    "exchange_inbox",
    "exchange_outbox",
    "facilities",
    "facility_units",
    "fear_claims",
    "holds",
    "idempotency_keys",
    "identifiers",
    "invoice_payments",
    "law_amendments",
    "login_throttles",
    "manifest_entries",
    "metadata",
    "movements",
    "notices",
    "organisations",
    "peer_checkpoints",
    "peer_keys",
    "peers",
    "pending_sign_ins",
    "people",
    "protection_orders",
    "recovery_codes",
    "removal_orders",
    "security_keys",
    "sentences",
    "stays",
    "users",
    "webauthn_challenges",
]

"""Case workflow: decisions, consent verifications, notices, fear claims, movements,
manifests, idempotency keys, and the facts and dates a case carries for the engine.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 19:35:49.421569
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_keys_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_id_key"),
    )
    op.create_table(
        "movements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("authority", sa.String(length=40), nullable=False),
        sa.Column("from_state", sa.String(length=2), nullable=False),
        sa.Column("to_state", sa.String(length=2), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column(
            "planned_departure",
            sa.DateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column(
            "created_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_movements_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movements")),
        sa.UniqueConstraint(
            "authority",
            "from_state",
            "to_state",
            "sequence",
            name="uq_movements_authority_pair_sequence",
        ),
    )
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_movements_from_state"), ["from_state"], unique=False)
        batch_op.create_index(batch_op.f("ix_movements_to_state"), ["to_state"], unique=False)

    op.create_table(
        "consent_verifications",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("verifier_name", sa.String(length=200), nullable=False),
        sa.Column("verifier_role", sa.String(length=30), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("counsel", sa.String(length=10), nullable=False),
        sa.Column("advisements", sa.JSON(), nullable=False),
        sa.Column("given_by", sa.String(length=10), nullable=False),
        sa.Column("consents", sa.Boolean(), nullable=False),
        sa.Column("recording_reference", sa.String(length=200), nullable=False),
        sa.Column("opinion_recorded", sa.Boolean(), nullable=False),
        sa.Column(
            "recorded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_consent_verifications_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_consent_verifications_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_verifications")),
    )
    with op.batch_alter_table("consent_verifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_verifications_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "decisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column(
            "decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_decisions_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_decisions_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_case_id"), ["case_id"], unique=False)

    op.create_table(
        "fear_claims",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_fear_claims_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fear_claims")),
    )
    with op.batch_alter_table("fear_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fear_claims_case_id"), ["case_id"], unique=False)

    op.create_table(
        "notices",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("language_understood", sa.Boolean(), nullable=False),
        sa.Column("explains_how_to_contest", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_notices_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_case_id"), ["case_id"], unique=False)

    op.create_table(
        "manifest_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "movement_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_reason", sa.Text(), nullable=False),
        sa.Column(
            "assessment_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_manifest_entries_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_manifest_entries_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["movement_id"],
            ["movements.id"],
            name=op.f("fk_manifest_entries_movement_id_movements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manifest_entries")),
    )
    with op.batch_alter_table("manifest_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_manifest_entries_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_manifest_entries_movement_id"), ["movement_id"], unique=False
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_received_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("departure_at", sa.DateTime(timezone=True), nullable=True))
        # Existing cases start with no asserted facts.
        batch_op.add_column(
            sa.Column("facts", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(
            sa.Column(
                "prepared_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_prepared_by_users"), "users", ["prepared_by"], ["id"]
        )


def downgrade() -> None:

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_prepared_by_users"), type_="foreignkey")
        batch_op.drop_column("prepared_by")
        batch_op.drop_column("facts")
        batch_op.drop_column("departure_at")
        batch_op.drop_column("request_received_on")

    with op.batch_alter_table("manifest_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manifest_entries_movement_id"))
        batch_op.drop_index(batch_op.f("ix_manifest_entries_case_id"))

    op.drop_table("manifest_entries")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_case_id"))

    op.drop_table("notices")
    with op.batch_alter_table("fear_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fear_claims_case_id"))

    op.drop_table("fear_claims")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_case_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("consent_verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_verifications_case_id"))

    op.drop_table("consent_verifications")
    with op.batch_alter_table("movements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_movements_to_state"))
        batch_op.drop_index(batch_op.f("ix_movements_from_state"))

    op.drop_table("movements")
    op.drop_table("idempotency_keys")

"""corrections, partners' own keys and integration credentials

Every record carries a `version` (1 for the rows already there), raised by each
correction. Projects and records take an optional `external_id`, the partner's own key,
unique within its owning organisation: a project's lead organisation, a record's
recording organisation (`external_owner_id`). Integrations are service accounts of an
organisation; an API token belongs to an account or to an integration, and the audit
trail and idempotency keys name the integration when it acted.

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-06 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from inset.db import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORDS = ["evidence", "outcome", "observation", "cost", "benefit", "lesson"]


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable column referring to `target`, added in place on both databases.

    Batch mode would rebuild the table on SQLite, and a rebuilt `lesson` loses the
    triggers of its search index (migration 0002); both databases take the reference
    inline in ADD COLUMN.
    """
    op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)")


def upgrade() -> None:
    op.create_table(
        "integration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("archived_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_integration_organisation_id", "integration", ["organisation_id"])

    for table in RECORDS:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        op.add_column(table, sa.Column("external_id", sa.String(length=200), nullable=True))
        _add_reference(table, "external_owner_id", "organisation")
        op.create_index(
            f"uq_{table}_external_id", table, ["external_owner_id", "external_id"], unique=True
        )
    op.add_column("project", sa.Column("external_id", sa.String(length=200), nullable=True))
    op.create_index(
        "uq_project_external_id", "project", ["lead_organisation_id", "external_id"], unique=True
    )

    with op.batch_alter_table("api_token") as batch:
        batch.alter_column("account_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("integration_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_api_token_integration", "integration", ["integration_id"], ["id"]
        )
        batch.create_index("ix_api_token_integration_id", ["integration_id"])
        batch.create_check_constraint(
            "ck_api_token_owner", "(account_id IS NULL) <> (integration_id IS NULL)"
        )
    _add_reference("audit_event", "integration_id", "integration")
    with op.batch_alter_table("idempotency_record") as batch:
        batch.alter_column("account_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("integration_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_idempotency_record_integration", "integration", ["integration_id"], ["id"]
        )
        batch.create_index("uq_idempotency_integration_key", ["integration_id", "key"], unique=True)
        batch.create_index("ix_idempotency_created", ["created_at"])


def downgrade() -> None:
    with op.batch_alter_table("idempotency_record") as batch:
        batch.drop_index("ix_idempotency_created")
        batch.drop_index("uq_idempotency_integration_key")
        batch.drop_constraint("fk_idempotency_record_integration", type_="foreignkey")
        batch.drop_column("integration_id")
    op.drop_column("audit_event", "integration_id")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_constraint("ck_api_token_owner", type_="check")
        batch.drop_index("ix_api_token_integration_id")
        batch.drop_constraint("fk_api_token_integration", type_="foreignkey")
        batch.drop_column("integration_id")
    op.drop_index("uq_project_external_id", table_name="project")
    op.drop_column("project", "external_id")
    for table in RECORDS:
        op.drop_index(f"uq_{table}_external_id", table_name=table)
        for column in ("external_owner_id", "external_id", "version"):
            op.drop_column(table, column)
    op.drop_index("ix_integration_organisation_id", table_name="integration")
    op.drop_table("integration")

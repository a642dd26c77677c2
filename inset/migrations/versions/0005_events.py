"""events: the feed of every audited change, in commit order

Revision ID: 0005
Revises: 0008
Create Date: 2026-12-06 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inset.db

revision: str = "0005"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("occurred_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("subject_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column(
            "reach",
            sa.Enum(
                "PRIVATE", "MEMBERS", "PUBLIC", name="visibility", native_enum=False, length=40
            ),
            nullable=True,
        ),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_project", ["project_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_type"), ["type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_type"))
        batch_op.drop_index("ix_event_project")
    op.drop_table("event")

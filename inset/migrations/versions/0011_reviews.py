"""gate review panels: reviewers appointed to a project's next gate and their reviews;
each gate decision keeps a snapshot of the panel it found

Revision ID: 0011
Revises: 0014
Create Date: 2026-12-06 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inset.db

revision: str = "0011"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGE = sa.Enum("IDEA", "PILOT", "EVALUATION", "SCALE", name="stage", native_enum=False, length=40)
RECOMMENDATION = sa.Enum(
    "GO", "HOLD", "RECYCLE", "STOP", name="recommendation", native_enum=False, length=40
)


def upgrade() -> None:
    op.create_table(
        "gate_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("to_stage", STAGE, nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("appointed_by_id", sa.Integer(), nullable=True),
        sa.Column("appointed_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", inset.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("assessments", sa.JSON(), nullable=False),
        sa.Column("recommendation", RECOMMENDATION, nullable=True),
        sa.Column("rationale", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("submitted_at", inset.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_decision_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["appointed_by_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["closed_by_decision_id"], ["gate_decision.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("gate_review", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gate_review_project", ["project_id", "to_stage", "id"], unique=False
        )
        batch_op.create_index("ix_gate_review_reviewer", ["reviewer_id", "id"], unique=False)
    with op.batch_alter_table("gate_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("panel_snapshot", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gate_decision", schema=None) as batch_op:
        batch_op.drop_column("panel_snapshot")
    with op.batch_alter_table("gate_review", schema=None) as batch_op:
        batch_op.drop_index("ix_gate_review_reviewer")
        batch_op.drop_index("ix_gate_review_project")
    op.drop_table("gate_review")

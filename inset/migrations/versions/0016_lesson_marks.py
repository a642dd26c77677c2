"""lesson marks: members mark a lesson useful, one mark per account and lesson

Revision ID: 0016
Revises: 0010
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inset.db

revision: str = "0016"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lesson_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["lesson_id"], ["lesson.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lesson_id", "account_id", name="uq_lesson_mark_lesson_account"),
    )
    with op.batch_alter_table("lesson_mark", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_mark_account", ["account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lesson_mark", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_mark_account")
    op.drop_table("lesson_mark")

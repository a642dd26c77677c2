"""rate limits: a leaky bucket per credential, shared by every server process

Also an index for the default order of `projects`, now by creation (stable under edits).

Revision ID: 0017
Revises: 0011
Create Date: 2026-12-06 12:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_bucket",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("level", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("charged", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_project_created", "project", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_project_created", table_name="project")
    op.drop_table("rate_limit_bucket")

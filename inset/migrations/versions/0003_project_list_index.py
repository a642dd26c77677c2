"""project list index: the live projects of one visibility, newest change first

The public list of projects (visibility PUBLIC, not archived, newest change first) read
its page from this index in order, and counts its totalCount from the index alone,
instead of sorting every public project and reading each row to count it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 14:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_project_visibility_updated",
        "project",
        ["visibility", "archived_at", "updated_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_project_visibility_updated", table_name="project")

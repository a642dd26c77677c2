"""collective: case studies of the yearly digest, and the lineage of replicated projects

Revision ID: 0014
Revises: 0003
Create Date: 2026-12-06 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inset.db

revision: str = "0014"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_study",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
        sa.Column("featured_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("archived_at", inset.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["featured_by_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_study", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_study_project_id"), ["project_id"], unique=False)
        batch_op.create_index(
            "ix_case_study_year", ["year", "archived_at", "position", "id"], unique=False
        )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replicated_from_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_project_replicated_from_id"), ["replicated_from_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_project_replicated_from_id_project", "project", ["replicated_from_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint("fk_project_replicated_from_id_project", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_project_replicated_from_id"))
        batch_op.drop_column("replicated_from_id")
    op.drop_table("case_study")

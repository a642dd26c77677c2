"""collective: case studies of the yearly digest, and the lineage of replicated projects

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inset.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_project_replicated_from_id_project"


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
    # A plain ADD COLUMN, not a batch copy of the table: on SQLite a batch copy drops the
    # old project table, which the foreign keys of every populated child table refuse.
    # SQLite takes the reference within ADD COLUMN; PostgreSQL adds it as a constraint.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE project ADD COLUMN replicated_from_id INTEGER "
            f"CONSTRAINT {FOREIGN_KEY} REFERENCES project (id)"
        )
    else:
        op.add_column("project", sa.Column("replicated_from_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FOREIGN_KEY, "project", "project", ["replicated_from_id"], ["id"])
    op.create_index(
        op.f("ix_project_replicated_from_id"), "project", ["replicated_from_id"], unique=False
    )


def downgrade() -> None:
    # SQLite cannot drop a column that holds a foreign key: the batch copies the table,
    # which it can only do while no other table's rows point at a project.
    op.drop_index(op.f("ix_project_replicated_from_id"), table_name="project")
    with op.batch_alter_table("project", schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's copy leaves the reference out
            batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch_op.drop_column("replicated_from_id")
    op.drop_table("case_study")

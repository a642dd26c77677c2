"""project economics: each project's figures, stored and kept current on write

`project_economics` holds the figures the API works out from a project's lines, one row
a project, so that a read can join them; `economics_basis` names the optimism bias they
are worked out on. Existing projects are filled here, a batch at a time, by the same
code the services use (inset.economics.stored), on the default optimism bias: `inset db
upgrade` then moves them to the settings' bias if that differs.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 13:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inset.db
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.economics import stored

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "economics_basis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("basis", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "project_economics",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("gross_cost", inset.db.ExactDecimal(precision=18, scale=4), nullable=False),
        sa.Column("total_cost", inset.db.ExactDecimal(precision=18, scale=4), nullable=False),
        sa.Column("gross_benefit", inset.db.ExactDecimal(precision=18, scale=4), nullable=False),
        sa.Column("adjusted_benefit", inset.db.ExactDecimal(precision=18, scale=4), nullable=False),
        sa.Column("net_benefit", inset.db.ExactDecimal(precision=18, scale=4), nullable=False),
        sa.Column("benefit_cost_ratio", sa.Float(), nullable=True),
        sa.Column("fiscal_roi", sa.Float(), nullable=True),
        sa.Column("payback_months", sa.Integer(), nullable=True),
        sa.Column(
            "present_value_benefit", inset.db.ExactDecimal(precision=18, scale=4), nullable=False
        ),
        sa.Column("basis", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("project_id"),
    )
    conn = op.get_bind()
    basis = sa.table("economics_basis", sa.column("id"), sa.column("basis"))
    conn.execute(sa.insert(basis).values(id=1, basis=stored.basis_of(DEFAULT_OPTIMISM_BIAS)))
    project = sa.table("project", sa.column("id"))
    last = 0
    while ids := list(
        conn.execute(
            sa.select(project.c.id)
            .where(project.c.id > last)
            .order_by(project.c.id)
            .limit(stored.BATCH)
        ).scalars()
    ):
        stored.refresh_projects(conn, ids, DEFAULT_OPTIMISM_BIAS)
        last = ids[-1]


def downgrade() -> None:
    op.drop_table("project_economics")
    op.drop_table("economics_basis")

"""account reader indexes: who may read an account, found from the accounts asked

`node`/`nodes` show an account to readers of a record that shows it (a project's lead, a
decision's maker, evidence's recorder, a change in a lead's audit log). These indexes find
those records from the accounts asked, instead of reading every readable project, decision
and piece of evidence.

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-06 11:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("ix_project_lead_account", "project", ["lead_account_id"]),
    ("ix_gate_decision_decided_by", "gate_decision", ["decided_by_id"]),
    ("ix_evidence_recorded_by", "evidence", ["recorded_by_id"]),
    ("ix_audit_event_account", "audit_event", ["account_id", "organisation_id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)

"""follows, notifications, email digests and nominations

Members follow a theme, a barrier, a project or an organisation and are told (in the
application and by a daily or weekly email) of changes to them; members nominate
innovations seen elsewhere for the incubator to invite.

Revision ID: 0015
Revises: 0016
Create Date: 2026-12-06 11:26:52.801213
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inset.db

revision: str = "0015"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BARRIER = sa.Enum(
    *[
        "STAFF_CAPACITY",
        "CULTURE",
        "FUNDING",
        "TECHNOLOGY",
        "INFORMATION_GOVERNANCE",
        "RISK_AVERSION",
        "SKILLS",
        "PARTNERSHIP",
        "DEMAND",
        "POLICY",
    ],
    name="barrier",
    native_enum=False,
    length=40,
)
NOTIFICATION_KIND = sa.Enum(
    *[
        "NEW_LESSON",
        "NEW_PROJECT",
        "STAGE_CHANGED",
        "STATUS_CHANGED",
        "REVISIT_DUE",
        "NOMINATION_ACCEPTED",
        "NOMINATION_DECLINED",
        "REVIEW_REQUESTED",
    ],
    name="notificationkind",
    native_enum=False,
    length=40,
)
ONE_TARGET = (
    "CAST(theme_id IS NOT NULL AS INTEGER) + CAST(barrier IS NOT NULL AS INTEGER)"
    " + CAST(project_id IS NOT NULL AS INTEGER)"
    " + CAST(organisation_id IS NOT NULL AS INTEGER) = 1"
)


def upgrade() -> None:
    op.create_table(
        "email_digest",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum("DAILY", "WEEKLY", "OFF", name="digestfrequency", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("last_sent_at", inset.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.create_table(
        "follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column(
            "barrier",
            sa.Enum(
                "STAFF_CAPACITY",
                "CULTURE",
                "FUNDING",
                "TECHNOLOGY",
                "INFORMATION_GOVERNANCE",
                "RISK_AVERSION",
                "SKILLS",
                "PARTNERSHIP",
                "DEMAND",
                "POLICY",
                name="barrier",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            ONE_TARGET,
            name="ck_follow_one_target",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("follow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_account_id"), ["account_id"], unique=False)
        batch_op.create_index("ix_follow_barrier", ["barrier", "account_id"], unique=True)
        batch_op.create_index(
            "ix_follow_organisation", ["organisation_id", "account_id"], unique=True
        )
        batch_op.create_index("ix_follow_project", ["project_id", "account_id"], unique=True)
        batch_op.create_index("ix_follow_theme", ["theme_id", "account_id"], unique=True)

    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nominated_by_id", sa.Integer(), nullable=False),
        sa.Column("what", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("where", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING",
                "INVITED",
                "ACCEPTED",
                "DECLINED",
                name="nominationstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("decline_reason", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", inset.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["nominated_by_id"],
            ["account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_nomination_nominated_by_id"), ["nominated_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_nomination_status"), ["status"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "NEW_LESSON",
                "NEW_PROJECT",
                "STAGE_CHANGED",
                "STATUS_CHANGED",
                "REVISIT_DUE",
                "NOMINATION_ACCEPTED",
                "NOMINATION_DECLINED",
                "REVIEW_REQUESTED",
                name="notificationkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("lesson_id", sa.Integer(), nullable=True),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("dedupe_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("created_at", inset.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", inset.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", inset.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["lesson.id"],
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id", "dedupe_key", name="uq_notification_dedupe"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_account", ["account_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_notification_unemailed", ["emailed_at", "account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_unemailed")
        batch_op.drop_index("ix_notification_account")

    op.drop_table("notification")
    with op.batch_alter_table("nomination", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nomination_status"))
        batch_op.drop_index(batch_op.f("ix_nomination_nominated_by_id"))

    op.drop_table("nomination")
    with op.batch_alter_table("follow", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_theme")
        batch_op.drop_index("ix_follow_project")
        batch_op.drop_index("ix_follow_organisation")
        batch_op.drop_index("ix_follow_barrier")
        batch_op.drop_index(batch_op.f("ix_follow_account_id"))

    op.drop_table("follow")
    op.drop_table("email_digest")

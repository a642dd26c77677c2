from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import EXTERNAL_ID_LENGTH, NAME_LENGTH, TEXT_LENGTH, UTCDateTime, enum_type, utcnow


class Stage(enum.StrEnum):
    IDEA = "IDEA"
    PILOT = "PILOT"
    EVALUATION = "EVALUATION"
    SCALE = "SCALE"

    @property
    def order(self) -> int:
        return STAGES.index(self)

    def next(self) -> Stage | None:
        return STAGES[self.order + 1] if self.order + 1 < len(STAGES) else None


STAGES: list[Stage] = [Stage.IDEA, Stage.PILOT, Stage.EVALUATION, Stage.SCALE]


class ProjectStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    ON_HOLD = "ON_HOLD"
    STOPPED = "STOPPED"


class Visibility(enum.StrEnum):
    PRIVATE = "PRIVATE"
    MEMBERS = "MEMBERS"
    PUBLIC = "PUBLIC"

    @property
    def breadth(self) -> int:
        return [Visibility.PRIVATE, Visibility.MEMBERS, Visibility.PUBLIC].index(self)


class InnovationType(enum.StrEnum):
    PRACTICE = "PRACTICE"
    TECHNOLOGY = "TECHNOLOGY"
    COMMISSIONING = "COMMISSIONING"
    WORKFORCE = "WORKFORCE"
    PARTNERSHIP = "PARTNERSHIP"


class Project(SQLModel, table=True):
    """A member's innovation project.

    `evidence_level` is derived (DESIGN.md section 2) and kept here by the evidence and
    gate services whenever its inputs change, so that lists and portfolio figures can
    filter and group by it in SQL.
    """

    __table_args__ = (
        sa.Index("ix_project_visibility_lead", "visibility", "lead_organisation_id"),
        # whose account a reader may see as a project's lead (inset.accounts.service)
        sa.Index("ix_project_lead_account", "lead_account_id"),
        sa.Index("ix_project_updated", "updated_at", "id"),
        sa.Index("ix_project_created", "created_at", "id"),  # the default order of `projects`
        # the live projects of one visibility, newest change first (the public list), and
        # their count from the index alone
        sa.Index("ix_project_visibility_updated", "visibility", "archived_at", "updated_at", "id"),
        # the portfolio's stalled list: active projects by how long since their last decision
        sa.Index("ix_project_status_last_decision", "status", "last_decision_at", "id"),
        # the lead organisation's own key for the project
        sa.Index("uq_project_external_id", "lead_organisation_id", "external_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=NAME_LENGTH)
    summary: str = Field(max_length=TEXT_LENGTH)
    problem: str | None = Field(default=None, max_length=TEXT_LENGTH)
    theory_of_change: str | None = Field(default=None, max_length=TEXT_LENGTH)
    stage: Stage = Field(sa_type=enum_type(Stage), index=True)
    status: ProjectStatus = Field(sa_type=enum_type(ProjectStatus), index=True)
    visibility: Visibility = Field(sa_type=enum_type(Visibility))
    innovation_type: InnovationType = Field(sa_type=enum_type(InnovationType))
    lead_organisation_id: int = Field(foreign_key="organisation.id", index=True)
    lead_account_id: int | None = Field(default=None, foreign_key="account.id")
    started_on: date
    evidence_level: int = 0
    stage_entered_at: datetime = Field(sa_type=UTCDateTime)
    last_decision_at: datetime = Field(sa_type=UTCDateTime)
    revisit_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1
    external_id: str | None = Field(default=None, max_length=EXTERNAL_ID_LENGTH)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The project this one replicates, when another organisation adopted it.
    replicated_from_id: int | None = Field(default=None, foreign_key="project.id", index=True)


class ProjectPartner(SQLModel, table=True):
    __tablename__ = "project_partner"
    __table_args__ = (sa.Index("ix_project_partner_organisation", "organisation_id", "project_id"),)

    project_id: int = Field(foreign_key="project.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)


class ProjectTheme(SQLModel, table=True):
    __tablename__ = "project_theme"
    __table_args__ = (sa.Index("ix_project_theme_theme", "theme_id", "project_id"),)

    project_id: int = Field(foreign_key="project.id", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", primary_key=True)

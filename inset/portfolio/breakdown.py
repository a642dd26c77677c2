"""The portfolio compared across groups (regions, kinds of lead organisation, themes) in
one request: the same figures for every group side by side, three SQL statements in all
(counts, costs, benefits), however many groups there are.

A project belongs to the group of its lead organisation's region or kind (exactly one),
or to one group per theme (so a project with two themes is in two groups, and the groups'
project counts may add up to more than the portfolio's; "No theme" holds those with none).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.economics.models import Benefit, Cost
from inset.ids import to_global_id
from inset.organisations.models import Organisation, OrganisationKind
from inset.portfolio import sql
from inset.portfolio.service import NO_THEME, UNKNOWN_REGION, Money, StageCount
from inset.portfolio.sql import Projects
from inset.projects.models import STAGES, Project, ProjectStatus, ProjectTheme, Stage
from inset.themes.models import Theme

STRONG_EVIDENCE = 3  # causation and above on the Nesta Standards


class Grouping(enum.StrEnum):
    REGION = "REGION"
    ORGANISATION_KIND = "ORGANISATION_KIND"
    THEME = "THEME"


@dataclass
class Group:
    key: str
    label: str
    stages: dict[tuple[Stage, ProjectStatus], int] = field(default_factory=dict)
    strong_evidence: int = 0
    gross_cost: int = 0
    total_cost: int = 0
    gross_benefit: int = 0
    adjusted_benefit: int = 0

    @property
    def project_count(self) -> int:
        return sum(self.stages.values())

    def stage_counts(self) -> list[StageCount]:
        return [
            StageCount(
                stage,
                self.stages.get((stage, ProjectStatus.ACTIVE), 0),
                self.stages.get((stage, ProjectStatus.ON_HOLD), 0),
                self.stages.get((stage, ProjectStatus.STOPPED), 0),
            )
            for stage in STAGES
        ]

    @property
    def money(self) -> Money:
        return Money(self.gross_cost, self.total_cost, self.gross_benefit, self.adjusted_benefit)


def _membership(projects: Projects, by: Grouping) -> Any:
    """(project id, stage, status, evidence level, group key, group label) for each
    project in each of its groups."""
    base: Any = projects.with_only_columns(
        col(Project.id).label("project_id"),
        col(Project.stage),
        col(Project.status),
        col(Project.evidence_level),
    )
    if by is Grouping.THEME:
        return (
            base.add_columns(col(Theme.id).label("key"), col(Theme.name).label("label"))
            .outerjoin(ProjectTheme, col(ProjectTheme.project_id) == col(Project.id))
            .outerjoin(Theme, col(Theme.id) == col(ProjectTheme.theme_id))
            .subquery("member")
        )
    column = col(Organisation.region) if by is Grouping.REGION else col(Organisation.kind)
    return (
        base.add_columns(column.label("key"), column.label("label"))
        .join(Organisation, col(Organisation.id) == col(Project.lead_organisation_id))
        .subquery("member")
    )


def _name(by: Grouping, key: Any, label: Any) -> tuple[str, str]:
    if by is Grouping.THEME:
        return ("", NO_THEME) if key is None else (to_global_id("Theme", key), label)
    if by is Grouping.REGION:
        return ("", UNKNOWN_REGION) if key is None else (key, key)
    kind = OrganisationKind(key)
    return kind.value, kind.value.replace("_", " ").capitalize()


def breakdown(
    *, session: Session, projects: Projects, by: Grouping, optimism_bias: Sequence[Decimal]
) -> list[Group]:
    """Every group with any project, most projects first, ties by label.

    Money is summed per group exactly as `inset.portfolio.service.money` sums it for the
    whole set; a project with two themes adds its money to both.
    """
    member = _membership(projects, by)
    groups: dict[Any, Group] = {}
    counts = session.execute(
        sa.select(
            member.c.key,
            member.c.label,
            member.c.stage,
            member.c.status,
            sa.func.count(),
            sa.func.sum(sa.case((member.c.evidence_level >= STRONG_EVIDENCE, 1), else_=0)),
        ).group_by(member.c.key, member.c.label, member.c.stage, member.c.status)
    ).all()
    for key, label, stage, status, n, strong in counts:
        group = groups.setdefault(key, Group(*_name(by, key, label)))
        group.stages[(Stage(stage), ProjectStatus(status))] = int(n)
        group.strong_evidence += int(strong or 0)
    bias = sql.bias_points(optimism_bias)
    costs = session.execute(
        sa.select(
            member.c.key,
            sa.func.sum(col(Cost.amount_pence)),
            sa.func.sum(
                sql.adjusted_cost_pence(col(Cost.amount_pence), col(Cost.confidence), bias)
            ),
        )
        .join_from(Cost, member, member.c.project_id == col(Cost.project_id))
        .where(col(Cost.archived_at).is_(None))
        .group_by(member.c.key)
    ).all()
    for key, gross, adjusted in costs:
        groups[key].gross_cost, groups[key].total_cost = int(gross or 0), int(adjusted or 0)
    lines = (
        sa.select(
            member.c.key,
            col(Benefit.amount_pence).label("amount"),
            sql.benefit_factor(
                col(Benefit.deadweight_bp),
                col(Benefit.attribution_bp),
                col(Benefit.confidence),
                bias,
            ).label("factor"),
        )
        .join_from(Benefit, member, member.c.project_id == col(Benefit.project_id))
        .where(col(Benefit.archived_at).is_(None))
        .subquery("benefit_line")
    )
    benefits = session.execute(
        sa.select(
            lines.c.key,
            sa.func.sum(lines.c.amount),
            sa.func.sum(sql.adjusted_benefit_pence(lines.c.amount, lines.c.factor)),
        ).group_by(lines.c.key)
    ).all()
    for key, gross, adjusted in benefits:
        groups[key].gross_benefit, groups[key].adjusted_benefit = (
            int(gross or 0),
            int(adjusted or 0),
        )
    return sorted(groups.values(), key=lambda g: (-g.project_count, g.label, g.key))

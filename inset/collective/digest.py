"""The year's digest, as the anonymous viewer reads it: nothing here bypasses the access
rules, so a record that anyone may not read cannot reach the page, the PDF or the API.

- Case studies: those staff chose for the year, in their order, whose project is PUBLIC
  and live when the digest is read.
- Lessons from trials that stopped or were recycled (the project is STOPPED, or has been
  recycled), recorded during the year, by barrier tag; enablers from any project.
  An anonymised lesson shows only its organisation's kind and region; a lesson whose
  project anyone may not read never shows the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import ANONYMOUS, live_project
from inset.collective.figures import YearFigures, kind_label, year_bounds, year_figures
from inset.collective.learning import BarrierLessons, DigestLesson, enablers, lessons_by_barrier
from inset.collective.models import CaseStudy
from inset.economics import calc
from inset.economics.models import Benefit, Cost
from inset.economics.service import economics_for, live_benefits, live_costs
from inset.evidence.levels import LEVEL_NAMES
from inset.organisations.models import Organisation
from inset.outcomes.models import Observation, Outcome
from inset.outcomes.service import plain
from inset.projects.models import Project, ProjectTheme
from inset.themes.models import Theme


@dataclass(frozen=True)
class OutcomeFigures:
    name: str
    unit: str
    higher_is_better: bool
    baseline: Decimal | None
    latest: Decimal | None
    latest_on: date | None
    target: Decimal | None


@dataclass(frozen=True)
class CaseStudyView:
    position: int
    summary: str
    project: Project
    organisation: str
    organisation_kind: str
    region: str | None
    themes: list[str]
    evidence_level: int
    evidence_name: str
    outcomes: list[OutcomeFigures]
    economics: calc.Economics


@dataclass(frozen=True)
class Change:
    label: str
    before: int
    now: int


@dataclass(frozen=True)
class Digest:
    year: int
    figures: YearFigures
    previous: YearFigures
    case_studies: list[CaseStudyView]
    lessons_by_barrier: list[BarrierLessons]
    enablers: list[DigestLesson]

    @property
    def changes(self) -> list[Change]:
        """What changed since the year before, figure by figure."""
        now, before = self.figures, self.previous
        rows = [Change("Public projects", before.project_count, now.project_count)]
        rows += [
            Change(f"At {b.label.lower()}", b.count, n.count)
            for b, n in zip(before.by_stage, now.by_stage, strict=True)
        ]
        rows.append(Change("Stopped", before.stopped, now.stopped))
        rows.append(
            Change(
                "Gate decisions in the year",
                sum(c.count for c in before.movements),
                sum(c.count for c in now.movements),
            )
        )
        rows.append(Change("Lessons shared in the year", before.lessons, now.lessons))
        return rows


def _plain(value: Decimal | None) -> Decimal | None:
    return None if value is None else plain(value)


def _outcomes(session: Session, project_id: int) -> list[OutcomeFigures]:
    outcomes = session.scalars(
        sa.select(Outcome)
        .where(col(Outcome.project_id) == project_id, col(Outcome.archived_at).is_(None))
        .order_by(col(Outcome.id))
    ).all()
    latest: dict[int, Observation] = {}
    for row in session.scalars(
        sa.select(Observation)
        .where(
            col(Observation.outcome_id).in_([o.id for o in outcomes]),
            col(Observation.archived_at).is_(None),
        )
        .order_by(col(Observation.observed_on), col(Observation.id))
    ):
        latest[row.outcome_id] = row
    return [
        OutcomeFigures(
            name=o.name,
            unit=o.unit,
            higher_is_better=o.higher_is_better,
            baseline=_plain(o.baseline),
            latest=_plain(latest[o.id or 0].value) if o.id in latest else None,
            latest_on=latest[o.id or 0].observed_on if o.id in latest else None,
            target=_plain(o.target),
        )
        for o in outcomes
    ]


def _view(
    session: Session,
    study: CaseStudy,
    project: Project,
    organisation: Organisation,
    optimism_bias: Sequence[Decimal],
) -> CaseStudyView:
    pid = project.id or 0
    themes = session.scalars(
        sa.select(col(Theme.name))
        .join(ProjectTheme, col(ProjectTheme.theme_id) == col(Theme.id))
        .where(col(ProjectTheme.project_id) == pid)
        .order_by(col(Theme.name))
    ).all()
    economics = economics_for(
        costs=session.scalars(live_costs().where(col(Cost.project_id) == pid)).all(),
        benefits=session.scalars(live_benefits().where(col(Benefit.project_id) == pid)).all(),
        project_start=project.started_on,
        optimism_bias=optimism_bias,
    )
    return CaseStudyView(
        position=study.position,
        summary=study.summary,
        project=project,
        organisation=organisation.name,
        organisation_kind=kind_label(organisation.kind),
        region=organisation.region,
        themes=list(themes),
        evidence_level=project.evidence_level,
        evidence_name=LEVEL_NAMES[project.evidence_level],
        outcomes=_outcomes(session, pid),
        economics=economics,
    )


def _shown(
    year: int | None = None, case_study_id: int | None = None
) -> sa.Select[CaseStudy, Project, Organisation]:
    """Live case studies whose project anyone may read, in their order."""
    stmt: sa.Select[CaseStudy, Project, Organisation] = (
        sa.select(CaseStudy, Project, Organisation)
        .join(Project, col(Project.id) == col(CaseStudy.project_id))
        .join(Organisation, col(Organisation.id) == col(Project.lead_organisation_id))
        .where(col(CaseStudy.archived_at).is_(None), live_project(ANONYMOUS))
        .order_by(col(CaseStudy.position), col(CaseStudy.id))
    )
    if year is not None:
        stmt = stmt.where(col(CaseStudy.year) == year)
    if case_study_id is not None:
        stmt = stmt.where(col(CaseStudy.id) == case_study_id)
    return stmt


def case_studies(
    *, session: Session, year: int, optimism_bias: Sequence[Decimal]
) -> list[CaseStudyView]:
    return [
        _view(session, study, project, organisation, optimism_bias)
        for study, project, organisation in session.execute(_shown(year=year)).all()
    ]


def case_study_view(
    *, session: Session, case_study_id: int, optimism_bias: Sequence[Decimal]
) -> CaseStudyView | None:
    """One case study as the digest shows it; None when the digest would not show it."""
    found = session.execute(_shown(case_study_id=case_study_id)).first()
    if found is None:
        return None
    study, project, organisation = found
    return _view(session, study, project, organisation, optimism_bias)


def build_digest(*, session: Session, year: int, optimism_bias: Sequence[Decimal]) -> Digest:
    """The whole digest of `year`, read as anyone may read it, at this moment."""
    start, end = year_bounds(year)
    return Digest(
        year=year,
        figures=year_figures(session=session, year=year),
        previous=year_figures(session=session, year=year - 1),
        case_studies=case_studies(session=session, year=year, optimism_bias=optimism_bias),
        lessons_by_barrier=lessons_by_barrier(session=session, start=start, end=end),
        enablers=enablers(session=session, start=start, end=end),
    )

"""Success stories: the outcomes that moved furthest the right way from their baseline.

Improvement is relative: (latest - baseline) / |baseline|, with the sign turned when
lower is better, so "children missing: 45 down to 24, lower is better" is an improvement
of 21 / 45 = 0.467 (46.7%). The latest reading is the last live observation (by the day
observed, then in the order recorded, as `Outcome.latest`), within the period when one is
given. Outcomes without a baseline, with a baseline of zero (no relative change exists)
or that did not improve are not stories. One SQL statement, ranked in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.outcomes.models import Observation, Outcome
from inset.outcomes.service import plain
from inset.portfolio.sql import Projects, scope_of
from inset.projects.models import Project
from inset.projects.period import Period
from inset.validation import in_range

MAX_STORIES = 100


@dataclass(frozen=True)
class SuccessStory:
    outcome: Outcome
    project: Project
    baseline: Decimal
    latest: Decimal
    latest_on: date

    @property
    def change(self) -> Decimal:
        return self.latest - self.baseline

    @property
    def improvement(self) -> Decimal:
        """The relative change the right way: 0.467 for 46.7% better."""
        better = self.change if self.outcome.higher_is_better else -self.change
        return better / abs(self.baseline)


def success_stories(
    *, session: Session, projects: Projects, first: int, period: Period | None = None
) -> list[SuccessStory]:
    """The `first` (1..100) most improved outcomes of the projects, best first; ties by
    the outcome's id (oldest first)."""
    in_range(first, "first", 1, MAX_STORIES)
    scope = scope_of(projects)
    readings = sa.select(
        col(Observation.outcome_id),
        col(Observation.value),
        col(Observation.observed_on),
        sa.func.row_number()
        .over(
            partition_by=col(Observation.outcome_id),
            order_by=(col(Observation.observed_on).desc(), col(Observation.id).desc()),
        )
        .label("newest"),
    ).where(col(Observation.archived_at).is_(None))
    if period is not None:
        readings = readings.where(period.contains_day(col(Observation.observed_on)))
    latest = readings.subquery("reading")
    baseline = sa.cast(col(Outcome.baseline), sa.Float)
    change = sa.cast(latest.c.value, sa.Float) - baseline
    signed = sa.case((col(Outcome.higher_is_better), change), else_=-change)
    improvement = (signed / sa.func.abs(baseline)).label("improvement")
    rows = session.execute(
        sa.select(Outcome, Project, latest.c.value, latest.c.observed_on)
        .join_from(Outcome, scope, scope.c.id == col(Outcome.project_id))
        .join(Project, col(Project.id) == col(Outcome.project_id))
        .join(latest, sa.and_(latest.c.outcome_id == col(Outcome.id), latest.c.newest == 1))
        .where(
            col(Outcome.archived_at).is_(None),
            col(Outcome.baseline).is_not(None),
            baseline != 0,
            signed > 0,
        )
        .order_by(improvement.desc(), col(Outcome.id))
        .limit(first)
    ).all()
    return [
        SuccessStory(o, p, plain(Decimal(o.baseline)), plain(Decimal(value)), on)
        for o, p, value, on in rows
    ]

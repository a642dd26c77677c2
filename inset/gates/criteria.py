"""The gate criteria of DESIGN.md section 1, as data, and the facts they are checked against.

Each gate is named by the stage it leads into. A criterion has a stable `code` (clients
and stored decisions refer to it), a description telling a lead what to do, whether it
is mandatory (blocks a GO) or advice, and a check over `Facts`. The facts of any number of
projects are gathered by `gather_facts` in a fixed number of statements, so that checking
every criterion of a page of projects costs the same as checking one.

Choices the table leaves open:

- "an outcome observed after its baseline": a live observation dated after the
  outcome's `baseline_on`; for an outcome without a baseline date, a live observation
  dated after another of its observations (the earlier one serves as the baseline).
- "an independent evaluation": live evidence marked independent that is an evaluation
  report or claims level 4 or more.
- "benefits recorded, so that a benefit-cost ratio exists": a live benefit with an
  amount, and costs that make the ratio defined (adjusted costs above zero).
- "benefit-cost ratio >= 1" compares the ratio as `Economics.benefitCostRatio` shows it
  (to two places), so the advice agrees with the figure on the screen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import pk
from inset.economics.calc import BenefitLine, CostLine, compute_economics
from inset.economics.models import Benefit, Cost
from inset.evidence.models import Evidence, EvidenceKind
from inset.lessons.models import Lesson
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import Project, ProjectPartner, ProjectTheme, Stage
from inset.reviews.panels import complete_panels

_PENCE = Decimal(100)
_BASIS_POINTS = Decimal(10_000)


@dataclass(frozen=True)
class Facts:
    """What the criteria of one project look at; counts are of live records only."""

    has_problem: bool = False
    has_theory_of_change: bool = False
    evidence_level: int = 0
    outcomes_with_baseline: int = 0
    outcomes_observed_after_baseline: int = 0
    costs_by_stage: Mapping[Stage, int] = field(default_factory=dict)
    monetised_benefits: int = 0
    lessons_by_stage: Mapping[Stage, int] = field(default_factory=dict)
    independent_evaluations: int = 0
    partners: int = 0
    themes: int = 0
    benefit_cost_ratio: float | None = None
    # Every reviewer appointed to the panel of the next gate has submitted.
    panel_complete: bool = False

    @property
    def costs(self) -> int:
        return sum(self.costs_by_stage.values())

    @property
    def lessons(self) -> int:
        return sum(self.lessons_by_stage.values())


@dataclass(frozen=True)
class Criterion:
    code: str
    description: str
    mandatory: bool
    check: Callable[[Facts], bool]


def _must(code: str, description: str, check: Callable[[Facts], bool]) -> Criterion:
    return Criterion(code, description, True, check)


def _advice(code: str, description: str, check: Callable[[Facts], bool]) -> Criterion:
    return Criterion(code, description, False, check)


GATES: Mapping[Stage, tuple[Criterion, ...]] = {
    Stage.PILOT: (
        _must(
            "problem_stated",
            "State the problem the project sets out to solve (the project's problem field).",
            lambda f: f.has_problem,
        ),
        _must(
            "theory_of_change_stated",
            "Write the theory of change: how what you do leads to the outcomes you want "
            "(evidence level 1).",
            lambda f: f.has_theory_of_change,
        ),
        _must(
            "outcome_with_baseline",
            "Define at least one outcome with a baseline figure, so that the pilot's "
            "change can be measured.",
            lambda f: f.outcomes_with_baseline > 0,
        ),
        _must(
            "estimated_cost",
            "Record at least one estimated cost.",
            lambda f: f.costs > 0,
        ),
        _advice(
            "theme_set",
            "Tag the project with a theme, so that others working on the same problem find it.",
            lambda f: f.themes > 0,
        ),
        _advice(
            "partner_named",
            "Name a partner organisation working on the project with you.",
            lambda f: f.partners > 0,
        ),
    ),
    Stage.EVALUATION: (
        _must(
            "evidence_level_2",
            "Reach evidence level 2: record data showing change, before and after "
            "(such as monitoring data or a survey).",
            lambda f: f.evidence_level >= 2,
        ),
        _must(
            "outcome_observed_after_baseline",
            "Record an observation of an outcome dated after its baseline date (for an "
            "outcome without a baseline date: a second observation, after the first).",
            lambda f: f.outcomes_observed_after_baseline > 0,
        ),
        _must(
            "pilot_costs_recorded",
            "Record what the pilot cost: at least one cost at the pilot stage.",
            lambda f: f.costs_by_stage.get(Stage.PILOT, 0) > 0,
        ),
        _must(
            "lesson_recorded",
            "Record at least one lesson: what worked, what did not, and why.",
            lambda f: f.lessons > 0,
        ),
        _advice(
            "benefit_estimated",
            "Estimate at least one benefit in money.",
            lambda f: f.monetised_benefits > 0,
        ),
    ),
    Stage.SCALE: (
        _must(
            "evidence_level_3",
            "Reach evidence level 3: evidence from a comparison or control group.",
            lambda f: f.evidence_level >= 3,
        ),
        _must(
            "independent_evaluation",
            "Record an independent evaluation: evidence marked independent that is an "
            "evaluation report or claims level 4 or more.",
            lambda f: f.independent_evaluations > 0,
        ),
        _must(
            "benefits_recorded",
            "Record at least one benefit with an amount, and the costs, so that a "
            "benefit-cost ratio can be worked out.",
            lambda f: f.monetised_benefits > 0 and f.benefit_cost_ratio is not None,
        ),
        _must(
            "evaluation_lesson",
            "Record a lesson from the evaluation stage.",
            lambda f: f.lessons_by_stage.get(Stage.EVALUATION, 0) > 0,
        ),
        _advice(
            "bcr_at_least_1",
            "Show benefits at least equal to costs: a benefit-cost ratio of 1 or more, "
            "after optimism bias, deadweight and attribution.",
            lambda f: f.benefit_cost_ratio is not None and f.benefit_cost_ratio >= 1,
        ),
        _advice(
            "replication_partner",
            "Name a partner organisation to replicate the project elsewhere.",
            lambda f: f.partners > 0,
        ),
    ),
}


# Added to a gate's criteria when the settings require a review panel there.
PANEL_COMPLETE = _must(
    "panel_complete",
    "Have the gate reviewed: staff appoint a review panel, and every reviewer on it "
    "submits a review.",
    lambda f: f.panel_complete,
)


def _counts(session: Session, stmt: sa.Select[int, int]) -> dict[int, int]:
    return dict(session.execute(stmt).all())


def _by_stage(session: Session, stmt: sa.Select[int, Stage, int]) -> dict[int, dict[Stage, int]]:
    found: dict[int, dict[Stage, int]] = defaultdict(dict)
    for project_id, stage, n in session.execute(stmt):
        found[project_id][stage] = n
    return found


def _outcome_counts(session: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    live = sa.and_(
        col(Outcome.archived_at).is_(None),
        col(Outcome.project_id).in_(ids),
    )
    with_baseline = _counts(
        session,
        sa.select(col(Outcome.project_id), sa.func.count())
        .where(live, col(Outcome.baseline).is_not(None))
        .group_by(col(Outcome.project_id)),
    )
    earlier = aliased(Observation)
    after_baseline = sa.or_(
        sa.and_(
            col(Outcome.baseline_on).is_not(None),
            col(Observation.observed_on) > col(Outcome.baseline_on),
        ),
        sa.and_(
            col(Outcome.baseline_on).is_(None),
            sa.exists().where(
                col(earlier.outcome_id) == col(Outcome.id),
                col(earlier.archived_at).is_(None),
                col(earlier.observed_on) < col(Observation.observed_on),
            ),
        ),
    )
    observed = _counts(
        session,
        sa.select(col(Outcome.project_id), sa.func.count(sa.distinct(col(Outcome.id))))
        .join(Observation, col(Observation.outcome_id) == col(Outcome.id))
        .where(live, col(Observation.archived_at).is_(None), after_baseline)
        .group_by(col(Outcome.project_id)),
    )
    return with_baseline, observed


def gather_facts(
    *,
    session: Session,
    projects: Sequence[Project],
    optimism_bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS,
) -> dict[int, Facts]:
    """Facts for each project by id, in nine statements however many projects there are.

    `optimism_bias` is the settings' table (grades 1..6 as fractions), for the
    benefit-cost ratio. The projects' own fields (problem, theory of change, evidence
    level, start date) are read from the rows given.
    """
    ids = [pk(p) for p in projects]
    if not ids:
        return {}
    with_baseline, observed = _outcome_counts(session, ids)
    cost_lines: dict[int, list[CostLine]] = defaultdict(list)
    costs_by_stage: dict[int, dict[Stage, int]] = defaultdict(lambda: defaultdict(int))
    for project_id, stage, amount, confidence in session.execute(
        sa.select(
            col(Cost.project_id), col(Cost.stage), col(Cost.amount_pence), col(Cost.confidence)
        ).where(
            col(Cost.archived_at).is_(None),
            col(Cost.project_id).in_(ids),
        )
    ):
        cost_lines[project_id].append(CostLine(Decimal(amount) / _PENCE, confidence))
        costs_by_stage[project_id][stage] += 1
    benefit_lines: dict[int, list[BenefitLine]] = defaultdict(list)
    for row in session.execute(
        sa.select(Benefit).where(
            col(Benefit.archived_at).is_(None),
            col(Benefit.amount_pence).is_not(None),
            col(Benefit.project_id).in_(ids),
        )
    ).scalars():
        benefit_lines[row.project_id].append(
            BenefitLine(
                amount=Decimal(row.amount_pence or 0) / _PENCE,
                kind=row.kind.value,
                deadweight=Decimal(row.deadweight_bp) / _BASIS_POINTS,
                attribution=Decimal(row.attribution_bp) / _BASIS_POINTS,
                confidence=row.confidence,
                period_start=row.period_start,
                period_end=row.period_end,
            )
        )
    lessons = _by_stage(
        session,
        sa.select(col(Lesson.project_id), col(Lesson.stage), sa.func.count())
        .where(col(Lesson.archived_at).is_(None), col(Lesson.project_id).in_(ids))
        .group_by(col(Lesson.project_id), col(Lesson.stage)),
    )
    evaluations = _counts(
        session,
        sa.select(col(Evidence.project_id), sa.func.count())
        .where(
            col(Evidence.archived_at).is_(None),
            col(Evidence.project_id).in_(ids),
            col(Evidence.independent).is_(True),
            sa.or_(col(Evidence.level) >= 4, col(Evidence.kind) == EvidenceKind.EVALUATION_REPORT),
        )
        .group_by(col(Evidence.project_id)),
    )
    partners = _counts(
        session,
        sa.select(col(ProjectPartner.project_id), sa.func.count())
        .where(col(ProjectPartner.project_id).in_(ids))
        .group_by(col(ProjectPartner.project_id)),
    )
    themes = _counts(
        session,
        sa.select(col(ProjectTheme.project_id), sa.func.count())
        .where(col(ProjectTheme.project_id).in_(ids))
        .group_by(col(ProjectTheme.project_id)),
    )
    complete = complete_panels(session=session, projects=projects)
    facts: dict[int, Facts] = {}
    for project in projects:
        pid = pk(project)
        economics = compute_economics(
            costs=cost_lines[pid],
            benefits=benefit_lines[pid],
            project_start=project.started_on,
            optimism_bias=optimism_bias,
        )
        facts[pid] = Facts(
            has_problem=bool(project.problem and project.problem.strip()),
            has_theory_of_change=bool(
                project.theory_of_change and project.theory_of_change.strip()
            ),
            evidence_level=project.evidence_level,
            outcomes_with_baseline=with_baseline.get(pid, 0),
            outcomes_observed_after_baseline=observed.get(pid, 0),
            costs_by_stage=dict(costs_by_stage[pid]),
            monetised_benefits=len(benefit_lines[pid]),
            lessons_by_stage=lessons.get(pid, {}),
            independent_evaluations=evaluations.get(pid, 0),
            partners=partners.get(pid, 0),
            themes=themes.get(pid, 0),
            benefit_cost_ratio=economics.benefit_cost_ratio,
            panel_complete=pid in complete,
        )
    return facts

"""The Collective in the API: the same digest as the page and the PDF, as data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from inset.collective import digest as d
from inset.collective.figures import Count, YearFigures
from inset.collective.learning import DigestLesson
from inset.economics.types import Money
from inset.graphql.errors import UserError
from inset.lessons import tags
from inset.lessons.models import Barrier, LessonKind
from inset.projects.models import ProjectStatus, Stage
from inset.projects.types import Project


@strawberry.type(name="CollectiveCount", description="How many fall in one group.")
class CollectiveCount:
    label: str
    count: int

    @classmethod
    def of(cls, counts: list[Count]) -> list[CollectiveCount]:
        return [cls(label=c.label, count=c.count) for c in counts]


@strawberry.type(
    description="A year in figures over PUBLIC projects: those created before the year ended, "
    "at the stage and status they had when it ended (from their gate decisions)."
)
class CollectiveFigures:
    year: int
    project_count: int
    by_stage: list[CollectiveCount]
    stopped: int = strawberry.field(description="Stopped by the end of the year.")
    by_theme: list[CollectiveCount] = strawberry.field(
        description='Themes as they are now; a project counts under each; "No theme" if none.'
    )
    by_organisation_kind: list[CollectiveCount]
    by_region: list[CollectiveCount]
    gate_movements: list[CollectiveCount] = strawberry.field(
        description="Gate decisions taken during the year: GO by gate, then holds, resumes, "
        "recycles and stops."
    )
    lessons: int = strawberry.field(description="Lessons anyone may read, recorded in the year.")

    @classmethod
    def of(cls, f: YearFigures) -> CollectiveFigures:
        return cls(
            year=f.year,
            project_count=f.project_count,
            by_stage=CollectiveCount.of(f.by_stage),
            stopped=f.stopped,
            by_theme=CollectiveCount.of(f.by_theme),
            by_organisation_kind=CollectiveCount.of(f.by_organisation_kind),
            by_region=CollectiveCount.of(f.by_region),
            gate_movements=CollectiveCount.of(f.movements),
            lessons=f.lessons,
        )


@strawberry.type(description="An outcome of a case study: baseline -> latest against target.")
class CollectiveOutcome:
    name: str
    unit: str
    higher_is_better: bool
    baseline: Decimal | None
    latest: Decimal | None = strawberry.field(description="The latest live observation.")
    latest_on: date | None
    target: Decimal | None


@strawberry.type(description="A project staff chose for the year, with their summary.")
class CaseStudy:
    position: int
    summary: str = strawberry.field(description="Staff's editorial summary.")
    project: Project
    organisation: str = strawberry.field(description="The lead organisation's name.")
    organisation_kind: str
    region: str | None
    themes: list[str]
    evidence_level: int
    evidence_level_name: str
    outcomes: list[CollectiveOutcome]
    total_cost: Money = strawberry.field(description="After optimism bias.")
    adjusted_benefit: Money
    net_benefit: Money
    benefit_cost_ratio: float | None

    @classmethod
    def of(cls, view: d.CaseStudyView) -> CaseStudy:
        e = view.economics
        return cls(
            position=view.position,
            summary=view.summary,
            project=Project.from_model(view.project),
            organisation=view.organisation,
            organisation_kind=view.organisation_kind,
            region=view.region,
            themes=view.themes,
            evidence_level=view.evidence_level,
            evidence_level_name=view.evidence_name,
            outcomes=[
                CollectiveOutcome(
                    name=o.name,
                    unit=o.unit,
                    higher_is_better=o.higher_is_better,
                    baseline=o.baseline,
                    latest=o.latest,
                    latest_on=o.latest_on,
                    target=o.target,
                )
                for o in view.outcomes
            ],
            total_cost=Money.of(e.total_cost),
            adjusted_benefit=Money.of(e.adjusted_benefit),
            net_benefit=Money.of(e.net_benefit),
            benefit_cost_ratio=e.benefit_cost_ratio,
        )


@strawberry.type(
    description="A lesson as anyone reads it: an anonymised one names only the kind and "
    "region of its organisation, never the organisation or the project."
)
class CollectiveLesson:
    title: str
    body: str
    kind: LessonKind
    stage: Stage
    barriers: list[str] = strawberry.field(
        description='Its barrier tags as text, e.g. "staff capacity".',
        deprecation_reason=tags.DEPRECATED,
    )
    barrier_tags: list[Barrier] = strawberry.field(
        description="Its barrier tags, in the order of the fixed list."
    )
    anonymised: bool
    source: str = strawberry.field(
        description='Who learned it: "project, organisation", the organisation alone, or '
        '"kind, region" when anonymised.'
    )
    project_title: str | None = strawberry.field(
        description="Null when anonymised or when the project is not PUBLIC."
    )
    project_outcome: ProjectStatus

    @classmethod
    def of(cls, lesson: DigestLesson) -> CollectiveLesson:
        return cls(
            title=lesson.title,
            body=lesson.body,
            kind=lesson.kind,
            stage=Stage(lesson.stage),
            barriers=lesson.barriers,
            barrier_tags=[b for b in map(tags.tag, lesson.barriers) if b is not None],
            anonymised=lesson.anonymised,
            source=lesson.source,
            project_title=lesson.project_title,
            project_outcome=lesson.project_status,
        )


@strawberry.type
class BarrierLessons:
    barrier: str = strawberry.field(description='A barrier tag, or "Other lessons".')
    barrier_tag: Barrier | None = strawberry.field(
        description='The tag; null for "Other lessons", those without one.'
    )
    lessons: list[CollectiveLesson]


@strawberry.type
class CollectiveChange:
    label: str
    previous: int = strawberry.field(description="The year before.")
    current: int
    change: int


@strawberry.type(
    description="The yearly digest: made only from what anyone may read, whoever asks. The "
    "same content as the page /collective/<year> and its PDF."
)
class Collective:
    year: int
    figures: CollectiveFigures
    previous_year: CollectiveFigures
    case_studies: list[CaseStudy] = strawberry.field(
        description="In staff's order; only while the project is PUBLIC."
    )
    lessons_by_barrier: list[BarrierLessons] = strawberry.field(
        description="Lessons of trials that stopped or were recycled, recorded in the year, "
        "under each of their barrier tags, most used first; untagged last."
    )
    enablers: list[CollectiveLesson] = strawberry.field(
        description="ENABLER lessons recorded in the year."
    )
    changes: list[CollectiveChange] = strawberry.field(description="Since the year before.")
    page_url: str
    pdf_url: str

    @classmethod
    def of(cls, digest: d.Digest) -> Collective:
        return cls(
            year=digest.year,
            figures=CollectiveFigures.of(digest.figures),
            previous_year=CollectiveFigures.of(digest.previous),
            case_studies=[CaseStudy.of(v) for v in digest.case_studies],
            lessons_by_barrier=[
                BarrierLessons(
                    barrier=g.barrier,
                    barrier_tag=tags.tag(g.barrier),
                    lessons=[CollectiveLesson.of(x) for x in g.lessons],
                )
                for g in digest.lessons_by_barrier
            ],
            enablers=[CollectiveLesson.of(x) for x in digest.enablers],
            changes=[
                CollectiveChange(
                    label=c.label, previous=c.before, current=c.now, change=c.now - c.before
                )
                for c in digest.changes
            ],
            page_url=f"/collective/{digest.year}",
            pdf_url=f"/collective/{digest.year}.pdf",
        )


@strawberry.input
class FeatureCaseStudyInput:
    project_id: strawberry.ID = strawberry.field(
        description="A PUBLIC project that reached EVALUATION or SCALE."
    )
    year: int
    position: int = strawberry.field(
        description="1 is first; a taken position moves the others down by one."
    )
    summary: str = strawberry.field(
        description="The editorial summary, public: checked for personal data."
    )
    idempotency_key: str | None = None


@strawberry.input
class UnfeatureCaseStudyInput:
    project_id: strawberry.ID
    year: int


@strawberry.type
class CaseStudyPayload:
    case_study: CaseStudy | None
    user_errors: list[UserError]


@strawberry.type
class UnfeatureCaseStudyPayload:
    project: Project | None
    user_errors: list[UserError]

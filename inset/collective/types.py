"""The Collective in the API: the same digest as the page and the PDF, as data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from inset.collective import digest as d
from inset.collective.figures import Count, YearFigures
from inset.collective.learning import DigestLesson
from inset.economics.types import Money
from inset.graphql.descriptions import USER_ERRORS
from inset.graphql.errors import UserError
from inset.lessons import tags
from inset.lessons.models import Barrier, LessonKind
from inset.projects.models import ProjectStatus, Stage
from inset.projects.types import Project


@strawberry.type(name="CollectiveCount", description="How many fall in one group.")
class CollectiveCount:
    label: str = strawberry.field(
        description='The group in words, e.g. "Pilot", "Local authority", "Unknown" (no '
        'region), "No theme", "Idea to pilot" (a GO through that gate) or "Put on hold".'
    )
    count: int = strawberry.field(description="How many fall in it, 0 or more.")

    @classmethod
    def of(cls, counts: list[Count]) -> list[CollectiveCount]:
        return [cls(label=c.label, count=c.count) for c in counts]


@strawberry.type(
    description="A year in figures over PUBLIC projects: those created before the year ended, "
    "at the stage and status they had when it ended (from their gate decisions)."
)
class CollectiveFigures:
    year: int = strawberry.field(description="The calendar year (UTC) the figures are of.")
    project_count: int = strawberry.field(
        description="PUBLIC, live projects created before the year ended."
    )
    by_stage: list[CollectiveCount] = strawberry.field(
        description="Those projects by the stage they were at when the year ended: always "
        'all four, "Idea", "Pilot", "Evaluation", "Scale", in order, zeros included; the '
        "counts add up to projectCount."
    )
    stopped: int = strawberry.field(
        description="Of projectCount, those STOPPED when the year ended (counted in byStage "
        "at the stage where they stopped)."
    )
    by_theme: list[CollectiveCount] = strawberry.field(
        description='Themes as they are now; a project counts under each; "No theme" if none.'
    )
    by_organisation_kind: list[CollectiveCount] = strawberry.field(
        description="By the kind of the lead organisation (as it is now), in words, most "
        "first, ties by label; the counts add up to projectCount."
    )
    by_region: list[CollectiveCount] = strawberry.field(
        description='By the lead organisation\'s region (as it is now; "Unknown" for none), '
        "most first, ties by label; the counts add up to projectCount."
    )
    gate_movements: list[CollectiveCount] = strawberry.field(
        description="Gate decisions taken during the year (UTC) on those projects: GO by "
        'gate ("Idea to pilot", ...), then "Put on hold", "Resumed", "Recycled to an '
        'earlier stage" and "Stopped"; only kinds that happened.'
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
    name: str = strawberry.field(description="What is measured, as the project named it.")
    unit: str = strawberry.field(description='Its unit, e.g. "children" or "%".')
    higher_is_better: bool = strawberry.field(
        description="Which direction is better: true when up, false when down."
    )
    baseline: Decimal | None = strawberry.field(
        description="The value before the project, exact, in the unit; null when not given."
    )
    latest: Decimal | None = strawberry.field(
        description="The latest live observation (by date observed, whatever the year), "
        "exact; null when there is none."
    )
    latest_on: date | None = strawberry.field(
        description="When `latest` was observed; null when there is none."
    )
    target: Decimal | None = strawberry.field(
        description="The value the project aims for, exact; null when not given."
    )


@strawberry.type(description="A project staff chose for the year, with their summary.")
class CaseStudy:
    position: int = strawberry.field(
        description="Its place in the year's list, from 1; the list may have gaps where a "
        "case study was taken out."
    )
    summary: str = strawberry.field(
        description="Staff's editorial summary, public, up to 20,000 characters."
    )
    project: Project = strawberry.field(description="The project, PUBLIC.")
    organisation: str = strawberry.field(description="The lead organisation's name.")
    organisation_kind: str = strawberry.field(
        description='The lead organisation\'s kind in words, e.g. "Local authority".'
    )
    region: str | None = strawberry.field(
        description="The lead organisation's region; null when not recorded."
    )
    themes: list[str] = strawberry.field(
        description="The project's themes' names, alphabetical; empty when none."
    )
    evidence_level: int = strawberry.field(
        description="The project's derived evidence level now, 0..5 (Project.evidenceLevel)."
    )
    evidence_level_name: str = strawberry.field(
        description='That level in words, e.g. "Level 3: causation".'
    )
    outcomes: list[CollectiveOutcome] = strawberry.field(
        description="The project's live outcomes, oldest first."
    )
    total_cost: Money = strawberry.field(
        description="As the project's economics.totalCost now: live cost lines raised by "
        "optimism bias, exact GBP."
    )
    adjusted_benefit: Money = strawberry.field(
        description="As the project's economics.adjustedBenefit now, exact GBP."
    )
    net_benefit: Money = strawberry.field(
        description="adjustedBenefit - totalCost, exact GBP; negative when costs are larger."
    )
    benefit_cost_ratio: float | None = strawberry.field(
        description="adjustedBenefit / totalCost, rounded half up to 2 places; null without costs."
    )

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
    title: str = strawberry.field(
        description="The lesson's title as its team wrote it, up to 200 characters."
    )
    body: str = strawberry.field(
        description="The lesson's body in full: what was meant to happen, what happened, "
        "why, and what to do next time."
    )
    kind: LessonKind = strawberry.field(
        description="WHAT_WORKED, WHAT_DID_NOT_WORK, BARRIER, ENABLER or RECOMMENDATION."
    )
    stage: Stage = strawberry.field(description="The lifecycle stage the lesson came from.")
    barriers: list[str] = strawberry.field(
        description='Its barrier tags, e.g. "staff capacity", in the fixed list\'s order.',
        deprecation_reason=tags.DEPRECATED,
    )
    barrier_tags: list[Barrier] = strawberry.field(
        description="Its barrier tags, in the order of the fixed list."
    )
    anonymised: bool = strawberry.field(
        description="Its team chose anonymity: source names only kind and region."
    )
    source: str = strawberry.field(
        description='Who learned it: "project, organisation", the organisation alone, or '
        '"kind, region" when anonymised.'
    )
    project_title: str | None = strawberry.field(
        description="Null when anonymised or when the project is not PUBLIC."
    )
    project_outcome: ProjectStatus = strawberry.field(
        description="How the trial stands now: the project's status (STOPPED for a failed trial)."
    )

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


@strawberry.type(description="The digest's lessons under one barrier tag.")
class BarrierLessons:
    barrier: str = strawberry.field(
        description='A barrier tag, e.g. "funding", or "Other lessons" for untagged ones.'
    )
    barrier_tag: Barrier | None = strawberry.field(
        description='The tag; null for "Other lessons", those without one.'
    )
    lessons: list[CollectiveLesson] = strawberry.field(
        description="Its lessons, oldest first; a lesson with two tags is under both."
    )


@strawberry.type(description="One figure of the digest, this year against the year before.")
class CollectiveChange:
    label: str = strawberry.field(
        description='The figure, e.g. "Public projects", "At pilot", "Stopped", "Gate '
        'decisions in the year" or "Lessons shared in the year".'
    )
    previous: int = strawberry.field(description="The year before.")
    current: int = strawberry.field(description="This year.")
    change: int = strawberry.field(description="current - previous; negative for a fall.")


@strawberry.type(
    description="The yearly digest: made only from what anyone may read, whoever asks. The "
    "same content as the page /collective/<year> and its PDF."
)
class Collective:
    year: int = strawberry.field(description="The calendar year (UTC), 2000..2100.")
    figures: CollectiveFigures = strawberry.field(description="The year in figures.")
    previous_year: CollectiveFigures = strawberry.field(
        description="The same figures for the year before, to compare."
    )
    case_studies: list[CaseStudy] = strawberry.field(
        description="In staff's order; only while the project is PUBLIC."
    )
    lessons_by_barrier: list[BarrierLessons] = strawberry.field(
        description="Lessons of trials that stopped or were recycled, recorded in the year, "
        "under each of their barrier tags, most used first; untagged last."
    )
    enablers: list[CollectiveLesson] = strawberry.field(
        description="ENABLER lessons anyone may read, from any project, recorded in the year, "
        "oldest first."
    )
    changes: list[CollectiveChange] = strawberry.field(
        description="Each headline figure since the year before."
    )
    page_url: str = strawberry.field(
        description='The digest as a web page, a path on this service: "/collective/<year>".'
    )
    pdf_url: str = strawberry.field(
        description='The digest as a PDF, a path on this service: "/collective/<year>.pdf".'
    )

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


_YEAR = "The digest's calendar year, 2000..2100 inclusive (else INVALID)."


@strawberry.input(description="A project to feature in a year's digest.")
class FeatureCaseStudyInput:
    project_id: strawberry.ID = strawberry.field(
        description="A live, PUBLIC project that reached EVALUATION or SCALE (else INVALID); "
        "NOT_FOUND when there is none."
    )
    year: int = strawberry.field(description=_YEAR)
    position: int = strawberry.field(
        description="1 is first, up to 1000 (else INVALID); a taken position moves that "
        "case study and the ones after it down by one."
    )
    summary: str = strawberry.field(
        description="The editorial summary, public: trimmed, 1..20,000 characters "
        "(REQUIRED, TOO_LONG), checked for personal data as public text (PERSONAL_DATA)."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Optional, 1..200 characters (else INVALID). Sent again by the same "
        "credential within 24 hours with the same input, it replays the first answer; "
        "with other input it is DUPLICATE.",
    )


@strawberry.input(description="A project to take out of a year's digest.")
class UnfeatureCaseStudyInput:
    project_id: strawberry.ID = strawberry.field(
        description="The featured project; NOT_FOUND when it is not a case study of that year."
    )
    year: int = strawberry.field(description=_YEAR)


@strawberry.type(description="The result of featureCaseStudy.")
class CaseStudyPayload:
    case_study: CaseStudy | None = strawberry.field(
        description="The case study as the digest shows it; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of unfeatureCaseStudy.")
class UnfeatureCaseStudyPayload:
    project: Project | None = strawberry.field(
        description="The project taken out; null with userErrors or if you may not read it."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)

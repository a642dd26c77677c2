"""The portfolio in the API. Staff quote these figures, so each description defines one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import strawberry

from inset.economics.types import Money
from inset.graphql.context import Info
from inset.graphql.relay import Connection, connection
from inset.pagination import PageRequest, count, fetch_page
from inset.portfolio import service, stages
from inset.portfolio.sql import Projects
from inset.projects.models import Stage
from inset.projects.types import Project

T = TypeVar("T")


@strawberry.type(description="The projects at one stage now, split by status.")
class StageCount:
    stage: Stage
    count: int = strawberry.field(
        description="Projects at this stage now, whatever their status: active + onHold + stopped."
    )
    active: int = strawberry.field(description="Of them, ACTIVE.")
    on_hold: int = strawberry.field(description="Of them, ON_HOLD.")
    stopped: int = strawberry.field(
        description="Of them, STOPPED: stopped at this stage (a stopped project keeps its stage)."
    )

    @classmethod
    def from_figures(cls, figures: service.StageCount) -> StageCount:
        return cls(
            stage=figures.stage,
            count=figures.count,
            active=figures.active,
            on_hold=figures.on_hold,
            stopped=figures.stopped,
        )


@strawberry.type(description="How many projects (or lessons) fall in one group.")
class GroupCount:
    key: str = strawberry.field(description="The group, as a filter would name it.")
    label: str = strawberry.field(description="The group in words, for people.")
    count: int

    @classmethod
    def from_figures(cls, figures: service.GroupCount) -> GroupCount:
        return cls(key=figures.key, label=figures.label, count=figures.count)


@strawberry.type(
    description="How projects went through the gate out of `fromStage`, from the history of "
    "gate decisions. Every figure counts distinct projects: a project that was at the stage "
    "twice (recycled, then back) counts once, and may count in more than one share, so the "
    "shares need not add up to 1. Shares are of `entered`, from 0 to 1, rounded half up to "
    "3 places, and null when `entered` is 0."
)
class StageConversion:
    from_stage: Stage = strawberry.field(description="The stage before the gate.")
    to_stage: Stage = strawberry.field(description="The stage after the gate.")
    entered: int = strawberry.field(
        description="Projects that have ever been at fromStage. Every project starts at IDEA; "
        "a later stage is entered by a GO into it, so a project counts when it is at "
        "fromStage or beyond now, or any of its decisions went from or to fromStage or beyond."
    )
    passed: float | None = strawberry.field(
        description="Share of `entered` that went on through this gate (a GO out of "
        "fromStage): they have been at toStage since, whether or not they are there now. "
        "passedCount equals the next gate's `entered`."
    )
    passed_count: int = strawberry.field(description="The projects behind `passed`.")
    stopped: float | None = strawberry.field(
        description="Share of `entered` stopped while at fromStage (a STOP from it; final)."
    )
    stopped_count: int = strawberry.field(description="The projects behind `stopped`.")
    recycled: float | None = strawberry.field(
        description="Share of `entered` sent back from fromStage to an earlier stage at "
        "least once (a RECYCLE from it), whatever happened after."
    )
    recycled_count: int = strawberry.field(description="The projects behind `recycled`.")
    in_progress: float | None = strawberry.field(
        description="Share of `entered` at fromStage now and not stopped (ACTIVE or ON_HOLD), "
        "including projects recycled back to it."
    )
    in_progress_count: int = strawberry.field(description="The projects behind `inProgress`.")

    @classmethod
    def from_figures(cls, figures: stages.StageConversion) -> StageConversion:
        return cls(
            from_stage=figures.from_stage,
            to_stage=figures.to_stage,
            entered=figures.entered,
            passed=figures.share(figures.passed),
            passed_count=figures.passed,
            stopped=figures.share(figures.stopped),
            stopped_count=figures.stopped,
            recycled=figures.share(figures.recycled),
            recycled_count=figures.recycled,
            in_progress=figures.share(figures.in_progress),
            in_progress_count=figures.in_progress,
        )


@strawberry.type(
    description="How long projects stay at one stage. A stay starts when the project enters "
    "the stage (IDEA: when the project was created; a later stage, or an earlier one after "
    "a RECYCLE: the GO or RECYCLE decision into it) and ends with the GO, RECYCLE or STOP "
    "decision that leaves it; HOLD and RESUME do not end a stay, so time on hold counts. A "
    "project at a stage twice has two stays. Each stay is measured in whole days, rounded "
    "down. A median of an even number of stays is the mean of the middle two, so it may "
    "end in .5; a median is null when there are no stays."
)
class StageDuration:
    stage: Stage
    completed_stays: float | None = strawberry.field(
        description="Median days of the stays at this stage that have ended."
    )
    completed_count: int = strawberry.field(description="How many ended stays there are.")
    open_stays: float | None = strawberry.field(
        description="Median days so far of the current stays of the ACTIVE and ON_HOLD "
        "projects at this stage: from stageEnteredAt to asOf (each is the project's "
        "daysInStage)."
    )
    open_count: int = strawberry.field(description="How many current stays there are.")

    @classmethod
    def from_figures(cls, figures: stages.StageDuration) -> StageDuration:
        return cls(
            stage=figures.stage,
            completed_stays=figures.completed_median,
            completed_count=figures.completed_count,
            open_stays=figures.open_median,
            open_count=figures.open_count,
        )


@strawberry.type(
    description="Figures over a set of projects: the live (not archived) projects you may "
    "read that match the filter, in every stage and status. A project you may not read "
    "changes no figure. Computed in the database when asked, as of `asOf`."
)
class Portfolio:
    projects: strawberry.Private[Projects]
    memo: strawberry.Private[dict[str, Any]]
    as_of: datetime = strawberry.field(
        description="When these figures were taken: the 'now' of openStays and stalled."
    )

    def _once(self, name: str, compute: Callable[[], T]) -> T:
        """Figures that several fields share are fetched once per portfolio."""
        if name not in self.memo:
            self.memo[name] = compute()
        value: T = self.memo[name]
        return value

    def _stages(self, info: Info) -> list[service.StageCount]:
        session = info.context.session
        return self._once(
            "stages", lambda: service.stage_counts(session=session, projects=self.projects)
        )

    def _money(self, info: Info) -> service.Money:
        session, bias = info.context.session, info.context.settings.optimism_bias
        return self._once(
            "money",
            lambda: service.money(session=session, projects=self.projects, optimism_bias=bias),
        )

    @strawberry.field(description="How many projects: stopped and on-hold ones included.")
    def project_count(self, info: Info) -> int:
        return sum(s.count for s in self._stages(info))

    @strawberry.field(
        description="The funnel: the projects at each stage now, split by status. Always all "
        "four stages, IDEA, PILOT, EVALUATION, SCALE, in that order, zeros included."
    )
    def by_stage(self, info: Info) -> list[StageCount]:
        return [StageCount.from_figures(s) for s in self._stages(info)]

    @strawberry.field(
        description="Projects by theme, most first, ties by label; only themes in use. A "
        "project with two themes counts under each, so the counts may add up to more than "
        "projectCount. key: the theme's id (as ProjectFilter.themes takes it); label: its "
        'name. Projects without a theme count under key "" labelled "No theme".'
    )
    def by_theme(self, info: Info) -> list[GroupCount]:
        rows = service.theme_counts(session=info.context.session, projects=self.projects)
        return [GroupCount.from_figures(g) for g in rows]

    @strawberry.field(
        description="Projects by the kind of their lead organisation (partners do not "
        "count), most first, ties by label; only kinds in use; the counts add up to "
        "projectCount. key: the OrganisationKind, e.g. LOCAL_AUTHORITY; label: in words."
    )
    def by_organisation_kind(self, info: Info) -> list[GroupCount]:
        rows = service.organisation_kind_counts(
            session=info.context.session, projects=self.projects
        )
        return [GroupCount.from_figures(g) for g in rows]

    @strawberry.field(
        description="Projects by the region of their lead organisation, most first, ties by "
        "label; only regions in use; the counts add up to projectCount. key and label: the "
        'region as recorded; lead organisations without one count under key "" labelled '
        '"Unknown".'
    )
    def by_region(self, info: Info) -> list[GroupCount]:
        rows = service.region_counts(session=info.context.session, projects=self.projects)
        return [GroupCount.from_figures(g) for g in rows]

    @strawberry.field(
        description="Each gate in order, IDEA->PILOT, PILOT->EVALUATION, EVALUATION->SCALE: "
        "of the projects that reached its stage, the shares that passed, were stopped or "
        "recycled there, or are still there."
    )
    def conversion(self, info: Info) -> list[StageConversion]:
        rows = stages.conversion(session=info.context.session, projects=self.projects)
        return [StageConversion.from_figures(c) for c in rows]

    @strawberry.field(
        description="Median days in each stage, ended and current stays apart. Always all "
        "four stages in order."
    )
    def median_days_in_stage(self, info: Info) -> list[StageDuration]:
        rows = stages.days_in_stage(
            session=info.context.session, projects=self.projects, now=self.as_of
        )
        return [StageDuration.from_figures(d) for d in rows]

    @strawberry.field(
        description="Projects by derived evidence level (Project.evidenceLevel): always all "
        'six levels 0..5 in order, zeros included. key: "0" .. "5"; label: e.g. '
        '"Level 2: correlation". The counts add up to projectCount.'
    )
    def evidence_levels(self, info: Info) -> list[GroupCount]:
        rows = service.evidence_level_counts(session=info.context.session, projects=self.projects)
        return [GroupCount.from_figures(g) for g in rows]

    @strawberry.field(description="The sum of the live cost lines as recorded, before bias.")
    def gross_cost(self, info: Info) -> Money:
        return Money.of_pence(self._money(info).gross_cost)

    @strawberry.field(
        description="The sum of the projects' economics.totalCost: each live cost line "
        "raised by the optimism bias of its confidence grade and rounded half up to the "
        "penny, then added up."
    )
    def total_cost(self, info: Info) -> Money:
        return Money.of_pence(self._money(info).total_cost)

    @strawberry.field(
        description="The sum of the live benefit lines with an amount, as recorded, before "
        "deadweight, attribution and bias."
    )
    def gross_benefit(self, info: Info) -> Money:
        return Money.of_pence(self._money(info).gross_benefit)

    @strawberry.field(
        description="The sum of the projects' economics.adjustedBenefit: each live benefit "
        "line with an amount x (1 - deadweight) x attribution x (1 - optimism bias of its "
        "grade), rounded half up to the penny, then added up. Lines without an amount count "
        "as zero."
    )
    def adjusted_benefit(self, info: Info) -> Money:
        return Money.of_pence(self._money(info).adjusted_benefit)

    @strawberry.field(description="adjustedBenefit - totalCost.")
    def net_benefit(self, info: Info) -> Money:
        figures = self._money(info)
        return Money.of_pence(figures.adjusted_benefit - figures.total_cost)

    @strawberry.field(
        description="adjustedBenefit / totalCost of the whole set (not an average of the "
        "projects' ratios), rounded half up to 2 places; null when totalCost is zero."
    )
    def benefit_cost_ratio(self, info: Info) -> float | None:
        return self._money(info).benefit_cost_ratio

    @strawberry.field(
        description="ACTIVE projects with no gate decision for at least `days` days (1..3650): "
        "their last decision, or their creation when they have none, was `days` x 24 hours "
        "or more before asOf. ON_HOLD and STOPPED projects are not stalled. Oldest last "
        "decision first."
    )
    async def stalled(
        self, info: Info, days: int = 90, first: int | None = None, after: str | None = None
    ) -> Connection[Project]:
        session = info.context.session
        stmt = service.stalled_projects(projects=self.projects, days=days, now=self.as_of)
        keys = service.STALLED_ORDER
        page = fetch_page(
            session,
            stmt,
            keys,
            PageRequest.from_args(first=first, after=after),
            lambda row: (row.last_decision_at, row.id),
        )

        async def total() -> int:
            return count(session, stmt)

        return connection(page, Project.from_model, total)

    @strawberry.field(
        description="The barrier tags most often given on the live lessons of these "
        "projects, most first, ties by tag; at most `first` (1..100); only tags in use. "
        "count: the lessons tagged with it. key: the tag as lessons show it, e.g. "
        '"staff capacity"; label: capitalised. A lesson counts only when its project is '
        "one of these, however widely the lesson itself is shared; an anonymised one only "
        "for staff and its project's own organisations."
    )
    def top_barriers(self, info: Info, first: int = 10) -> list[GroupCount]:
        rows = service.top_barriers(
            session=info.context.session,
            actor=info.context.actor,
            projects=self.projects,
            first=first,
        )
        return [GroupCount.from_figures(g) for g in rows]

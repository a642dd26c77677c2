"""The portfolio in the API. Staff quote these figures, so each description defines one;
the figures' own types are in `inset.portfolio.figures`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import strawberry

from inset.economics.types import Money
from inset.graphql.context import Info
from inset.graphql.descriptions import After, First
from inset.graphql.relay import Connection, connection
from inset.pagination import PageRequest, count, fetch_page
from inset.portfolio import breakdown, replications, service, stages, stories, timeline
from inset.portfolio.figures import (
    GroupCount,
    PortfolioGroup,
    StageConversion,
    StageCount,
    StageDuration,
    StageEntries,
    SuccessStory,
)
from inset.portfolio.sql import Projects
from inset.projects.loaders import project_by_id
from inset.projects.period import Period
from inset.projects.types import Project

T = TypeVar("T")

_TopFirst = Annotated[
    int,
    strawberry.argument(
        description="At most this many items, 1..100 inclusive; default 10. Outside that "
        "range the field fails with code INVALID."
    ),
]


@strawberry.type(description="A project and how far it travelled to other organisations.")
class ProjectReplications:
    project_pk: strawberry.Private[int]
    replications: int = strawberry.field(
        description="Its live replications (projects that name it as their original) that "
        "you may read; ones you may not read are not counted. At least 1."
    )
    organisations: int = strawberry.field(
        description="Distinct organisations leading those replications, at least 1."
    )

    @strawberry.field(description="The project that was replicated (the original).")
    async def project(self, info: Info) -> Project:
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        if row is None:  # pragma: no cover - the figures come from readable projects only
            raise LookupError(f"project {self.project_pk} vanished")
        return Project.from_model(row)


@strawberry.type(
    description="Figures over a set of projects: the live (not archived) projects you may "
    "read that match the filter, in every stage and status. A project you may not read "
    "changes no figure. Computed in the database when asked, as of `asOf`."
)
class Portfolio:
    projects: strawberry.Private[Projects]
    memo: strawberry.Private[dict[str, Any]]
    period: strawberry.Private[Period | None]
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
        "project counts under each of its themes: one with two themes counts twice, so the "
        "counts may add up to more than projectCount. key: the theme's id (as "
        "ProjectFilter.themes takes it); label: its name. Projects without a theme count "
        'under key "" labelled "No theme" (ProjectFilter.themes [""] lists them).'
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

    @strawberry.field(
        description="adjustedBenefit - totalCost, exact GBP; negative when costs are larger."
    )
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
        description="Stalled: ACTIVE projects at a stage with a gate ahead (IDEA, PILOT or "
        "EVALUATION; SCALE has none, see quietAtScale) with no gate decision for at least "
        "`days` days (1..3650): their last decision, or their creation when they have none, "
        "was `days` x 24 hours or more before asOf. ON_HOLD and STOPPED projects are not "
        "stalled. Oldest last decision first. The projects list shows the same with "
        "ProjectFilter {statuses: [ACTIVE], stages: [IDEA, PILOT, EVALUATION], "
        "noDecisionForDays: days}."
    )
    async def stalled(
        self,
        info: Info,
        days: Annotated[
            int,
            strawberry.argument(
                description="Whole days without a gate decision, 1..3650 inclusive; "
                "default 90. Outside that range the field fails with code INVALID."
            ),
        ] = 90,
        first: First = None,
        after: After = None,
    ) -> Connection[Project]:
        stmt = service.stalled_projects(projects=self.projects, days=days, now=self.as_of)
        return self._quiet_page(info, stmt, first, after)

    @strawberry.field(
        description="ACTIVE projects at SCALE with no gate decision for at least `days` days "
        "(1..3650), counted as for `stalled`: no gate lies ahead, so they are not stalled, "
        "but may be due a look. Oldest last decision first."
    )
    async def quiet_at_scale(
        self,
        info: Info,
        days: Annotated[
            int,
            strawberry.argument(
                description="Whole days without a gate decision, 1..3650 inclusive; "
                "default 365. Outside that range the field fails with code INVALID."
            ),
        ] = 365,
        first: First = None,
        after: After = None,
    ) -> Connection[Project]:
        stmt = service.quiet_at_scale(projects=self.projects, days=days, now=self.as_of)
        return self._quiet_page(info, stmt, first, after)

    def _quiet_page(
        self, info: Info, stmt: Projects, first: int | None, after: str | None
    ) -> Connection[Project]:
        session = info.context.session
        page = fetch_page(
            session,
            stmt,
            service.STALLED_ORDER,
            PageRequest.from_args(first=first, after=after),
            lambda row: (row.last_decision_at, row.id),
        )

        async def total() -> int:
            return count(session, stmt)

        return connection(page, Project.from_model, total)

    @strawberry.field(
        description="What held projects back: the barrier tags most often given on the live "
        "BARRIER and WHAT_DID_NOT_WORK lessons of these projects (other kinds of lesson do "
        "not count; ENABLER tags are in topEnablers), recorded in the filter's period when "
        "it has one. Most first, ties by tag; at most `first` (1..100); only tags in use. "
        "count: the lessons tagged with it; a lesson with two tags counts under each. key: "
        'the tag as lessons show it, e.g. "staff capacity"; label: capitalised. A lesson '
        "counts only when its project is one of these, however widely the lesson itself is "
        "shared; an anonymised one only for staff and its project's own organisations."
    )
    def top_barriers(self, info: Info, first: _TopFirst = 10) -> list[GroupCount]:
        rows = service.top_barriers(
            session=info.context.session,
            actor=info.context.actor,
            projects=self.projects,
            first=first,
            period=self.period,
        )
        return [GroupCount.from_figures(g) for g in rows]

    @strawberry.field(
        description="What helped: the tags most often given on the live ENABLER lessons of "
        "these projects, counted as topBarriers counts its lessons."
    )
    def top_enablers(self, info: Info, first: _TopFirst = 10) -> list[GroupCount]:
        rows = service.top_enablers(
            session=info.context.session,
            actor=info.context.actor,
            projects=self.projects,
            first=first,
            period=self.period,
        )
        return [GroupCount.from_figures(g) for g in rows]

    @strawberry.field(
        description="Entries to each stage by calendar month or quarter (UTC): every one "
        "from the first with an entry to the last (or over the filter's period, when it "
        "has one), zeros included. Only entries in the period count."
    )
    def entries(
        self,
        info: Info,
        interval: Annotated[
            timeline.Interval,
            strawberry.argument(
                description="Count by calendar MONTH or QUARTER (UTC); default QUARTER."
            ),
        ] = timeline.Interval.QUARTER,
    ) -> list[StageEntries]:
        rows = timeline.stage_entries(
            session=info.context.session,
            projects=self.projects,
            interval=interval,
            period=self.period,
        )
        return [StageEntries.from_figures(e) for e in rows]

    @strawberry.field(
        description="The same figures for each group of projects, side by side, in one "
        "request: by the region or kind of the lead organisation (each project in one "
        "group, so the groups' projectCounts add up to projectCount) or by theme (a "
        "project in each of its themes' groups, so they may add up to more). Groups with "
        "any project only, most projects first, ties by label."
    )
    def groups(
        self,
        info: Info,
        by: Annotated[
            breakdown.Grouping,
            strawberry.argument(
                description="What to group by: the lead organisation's REGION or "
                "ORGANISATION_KIND, or THEME."
            ),
        ],
    ) -> list[PortfolioGroup]:
        rows = breakdown.breakdown(
            session=info.context.session,
            projects=self.projects,
            by=by,
            optimism_bias=info.context.settings.optimism_bias,
        )
        return [PortfolioGroup.from_figures(g) for g in rows]

    @strawberry.field(
        description="Success stories: the live outcomes of these projects that improved most "
        "on their baseline, best first (ties: the older outcome first), at most `first` "
        "(1..100). Outcomes without a baseline, with a baseline of 0 or not better than it "
        "are left out. With a period, only observations in it count."
    )
    def success_stories(self, info: Info, first: _TopFirst = 10) -> list[SuccessStory]:
        rows = stories.success_stories(
            session=info.context.session, projects=self.projects, first=first, period=self.period
        )
        return [SuccessStory.from_figures(s) for s in rows]

    @strawberry.field(
        description="The most replicated of these projects, most first, ties by age; at most "
        "`first` (1..100); only projects with a replication you may read."
    )
    def replications(self, info: Info, first: _TopFirst = 10) -> list[ProjectReplications]:
        rows = replications.replications_by_project(
            session=info.context.session,
            actor=info.context.actor,
            projects=self.projects,
            first=first,
        )
        return [
            ProjectReplications(
                project_pk=r.project_id, replications=r.replications, organisations=r.organisations
            )
            for r in rows
        ]

    @strawberry.field(
        description="Distinct organisations leading a replication you may read of any of "
        "these projects."
    )
    def organisations_reached(self, info: Info) -> int:
        return replications.organisations_reached(
            session=info.context.session, actor=info.context.actor, projects=self.projects
        )

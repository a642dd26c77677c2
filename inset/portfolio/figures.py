"""The figures the portfolio is made of, one type each. Staff quote these figures, so
each description defines one."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import strawberry

from inset.economics.types import Money
from inset.graphql.descriptions import described_enum
from inset.outcomes.service import plain
from inset.outcomes.types import Outcome
from inset.portfolio import breakdown, service, stages, stories, timeline
from inset.projects.models import STAGES, Stage
from inset.projects.types import Project

described_enum(
    timeline.Interval,
    "Calendar months, or calendar quarters (Jan to Mar ...), in UTC.",
    {
        timeline.Interval.MONTH: 'Calendar months, e.g. "Apr 2025".',
        timeline.Interval.QUARTER: 'Calendar quarters from January, e.g. "Apr to Jun 2025".',
    },
)
described_enum(
    breakdown.Grouping,
    "REGION and ORGANISATION_KIND: of the lead organisation (one group a project); THEME: "
    "one group per theme of the project (a project with two themes is in two groups).",
    {
        breakdown.Grouping.REGION: 'By the lead organisation\'s region ("" for none).',
        breakdown.Grouping.ORGANISATION_KIND: "By the lead organisation's kind.",
        breakdown.Grouping.THEME: 'By theme, one group per theme of a project ("" for none).',
    },
)


@strawberry.type(description="The projects at one stage now, split by status.")
class StageCount:
    stage: Stage = strawberry.field(description="The stage the projects are at now.")
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
    count: int = strawberry.field(
        description="How many fall in it, 0 or more; what is counted (projects or "
        "lessons) is said by the field that lists the groups."
    )

    @classmethod
    def from_figures(cls, figures: service.GroupCount) -> GroupCount:
        return cls(key=figures.key, label=figures.label, count=figures.count)


@strawberry.type(
    description="How projects went through the gate out of `fromStage`, from the history of "
    "gate decisions. Each project that ever reached fromStage counts once in `entered` and "
    "in exactly one outcome, so passedCount + stoppedCount + recycledCount + onHoldCount + "
    "stillThereCount = entered, and the five shares add up to exactly 1. Shares are of "
    "`entered`, in thousandths: each is rounded down, and the thousandths left over go to "
    "the largest remainders (ties in the order passed, stopped, recycled, onHold, "
    "stillThere), so that they add up; null when `entered` is 0. The outcome is decided "
    "in this order: PASSED (reached toStage, whatever happened after: that counts at the "
    "next gate), else where the project is now: at fromStage STOPPED, ON_HOLD or ACTIVE "
    "(STILL_THERE), or back at an earlier stage (RECYCLED). ProjectFilter.gate lists the "
    "projects behind each count."
)
class StageConversion:
    figures: strawberry.Private[stages.StageConversion]
    from_stage: Stage = strawberry.field(description="The stage before the gate.")
    to_stage: Stage = strawberry.field(description="The stage after the gate.")
    entered: int = strawberry.field(
        description="Projects that have ever been at fromStage. Every project starts at IDEA; "
        "a later stage is entered by a GO into it, so a project counts when it is at "
        "fromStage or beyond now, or any of its decisions went from or to fromStage or beyond."
    )
    passed_count: int = strawberry.field(
        description="Went on through this gate (a GO out of fromStage): they have been at "
        "toStage since, wherever they are now. Equals the next gate's `entered`."
    )
    stopped_count: int = strawberry.field(
        description="Did not pass, and are stopped at fromStage (STOP is final)."
    )
    recycled_count: int = strawberry.field(
        description="Did not pass, and are now at an earlier stage: sent back from fromStage."
    )
    on_hold_count: int = strawberry.field(
        description="Did not pass, and are at fromStage now, ON_HOLD."
    )
    still_there_count: int = strawberry.field(
        description="Did not pass, and are at fromStage now, ACTIVE (those recycled to it "
        "and back included)."
    )
    ever_recycled_count: int = strawberry.field(
        description="Apart from the outcomes: projects sent back from fromStage at least "
        "once (a RECYCLE from it), whatever happened after. They also count in one outcome."
    )

    def _share(self, name: str) -> float | None:
        shares = self.figures.shares()
        return None if shares is None else shares[name]

    @strawberry.field(description="Share of `entered` that passed (passedCount / entered).")
    def passed(self) -> float | None:
        return self._share("passed")

    @strawberry.field(description="Share of `entered` stopped at fromStage.")
    def stopped(self) -> float | None:
        return self._share("stopped")

    @strawberry.field(description="Share of `entered` now back at an earlier stage.")
    def recycled(self) -> float | None:
        return self._share("recycled")

    @strawberry.field(description="Share of `entered` on hold at fromStage now.")
    def on_hold(self) -> float | None:
        return self._share("on_hold")

    @strawberry.field(description="Share of `entered` active at fromStage now.")
    def still_there(self) -> float | None:
        return self._share("still_there")

    @strawberry.field(
        description="onHold + stillThere.",
        deprecation_reason="Use onHold and stillThere, which with passed, stopped and "
        "recycled add up to 1.",
    )
    def in_progress(self) -> float | None:
        return self.figures.share(self.figures.in_progress)

    @strawberry.field(
        description="onHoldCount + stillThereCount.",
        deprecation_reason="Use onHoldCount and stillThereCount.",
    )
    def in_progress_count(self) -> int:
        return self.figures.in_progress

    @classmethod
    def from_figures(cls, figures: stages.StageConversion) -> StageConversion:
        return cls(
            figures=figures,
            from_stage=figures.from_stage,
            to_stage=figures.to_stage,
            entered=figures.entered,
            passed_count=figures.passed,
            stopped_count=figures.stopped,
            recycled_count=figures.recycled,
            on_hold_count=figures.on_hold,
            still_there_count=figures.still_there,
            ever_recycled_count=figures.ever_recycled,
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
    stage: Stage = strawberry.field(description="The stage the stays were at.")
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


@strawberry.type(description="How many projects entered a stage in one month or quarter.")
class EntryCount:
    stage: Stage = strawberry.field(description="The stage entered.")
    count: int = strawberry.field(
        description="Entries to it in the month or quarter, 0 or more; a project that "
        "entered it twice in that time (after a RECYCLE) counts twice."
    )


@strawberry.type(
    description="Entries to each stage in one calendar month or quarter (UTC). An entry to "
    "IDEA is a project's creation; to a later stage, a GO into it (a RECYCLE back is not an "
    "entry). ProjectFilter.enteredStage with from/to lists the projects behind a count."
)
class StageEntries:
    start: date = strawberry.field(description="The first day.")
    end: date = strawberry.field(description="The last day, included.")
    label: str = strawberry.field(description='e.g. "Apr 2025" or "Apr to Jun 2025".')
    by_stage: list[EntryCount] = strawberry.field(description="All four stages in order.")
    total: int = strawberry.field(description="Entries to any stage: the sum of byStage.")

    @classmethod
    def from_figures(cls, figures: timeline.StageEntries) -> StageEntries:
        return cls(
            start=figures.start,
            end=figures.end,
            label=figures.label,
            by_stage=[
                EntryCount(stage=s, count=n) for s, n in zip(STAGES, figures.counts, strict=True)
            ],
            total=figures.total,
        )


@strawberry.type(
    description="The portfolio's figures for one group of projects, to compare groups."
)
class PortfolioGroup:
    key: str = strawberry.field(
        description='The group as ProjectFilter names it: a region ("" for none), an '
        'OrganisationKind, or a theme\'s id ("" for no theme).'
    )
    label: str = strawberry.field(
        description='The group in words: the region, the kind in words (e.g. "Local '
        'authority"), or the theme\'s name; "Unknown" for no region, "No theme".'
    )
    project_count: int = strawberry.field(description="Projects in the group.")
    by_stage: list[StageCount] = strawberry.field(
        description="Its projects at each stage now, split by status; all four stages."
    )
    strong_evidence_count: int = strawberry.field(
        description="Its projects at evidence level 3 (causation) or above."
    )
    total_cost: Money = strawberry.field(description="As Portfolio.totalCost, for the group.")
    adjusted_benefit: Money = strawberry.field(
        description="As Portfolio.adjustedBenefit, for the group."
    )
    net_benefit: Money = strawberry.field(
        description="adjustedBenefit - totalCost, exact GBP; negative when costs are larger."
    )
    benefit_cost_ratio: float | None = strawberry.field(
        description="adjustedBenefit / totalCost, half up to 2 places; null without costs."
    )

    @classmethod
    def from_figures(cls, group: breakdown.Group) -> PortfolioGroup:
        money = group.money
        return cls(
            key=group.key,
            label=group.label,
            project_count=group.project_count,
            by_stage=[StageCount.from_figures(s) for s in group.stage_counts()],
            strong_evidence_count=group.strong_evidence,
            total_cost=Money.of_pence(money.total_cost),
            adjusted_benefit=Money.of_pence(money.adjusted_benefit),
            net_benefit=Money.of_pence(money.adjusted_benefit - money.total_cost),
            benefit_cost_ratio=money.benefit_cost_ratio,
        )


@strawberry.type(
    description="An outcome that improved on its baseline, with its project. improvement = "
    "(latest - baseline) / |baseline|, with the sign turned when lower is better: 45 "
    "children missing down to 24 is (45 - 24) / 45 = 0.467. Decimal figures are exact."
)
class SuccessStory:
    outcome: Outcome = strawberry.field(description="The outcome that improved.")
    project: Project = strawberry.field(description="The project it belongs to.")
    baseline: Decimal = strawberry.field(
        description="The outcome's baseline, in its unit, exact (not 0)."
    )
    latest: Decimal = strawberry.field(
        description="The last live observation (in the period, when the filter has one)."
    )
    latest_on: date = strawberry.field(description="When `latest` was observed.")
    change: Decimal = strawberry.field(
        description="latest - baseline, exact, in the outcome's unit; negative when the "
        "outcome fell (an improvement when lower is better)."
    )
    improvement: float = strawberry.field(
        description="The relative improvement, greater than 0, rounded half up to 3 places."
    )

    @classmethod
    def from_figures(cls, story: stories.SuccessStory) -> SuccessStory:
        return cls(
            outcome=Outcome.from_model(story.outcome),
            project=Project.from_model(story.project),
            baseline=plain(story.baseline),
            latest=plain(story.latest),
            latest_on=story.latest_on,
            change=plain(story.change),
            improvement=float(story.improvement.quantize(Decimal("0.001"), ROUND_HALF_UP)),
        )

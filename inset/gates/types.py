from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from inset import records
from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.db import pk
from inset.gates import models
from inset.gates.models import GateDecisionKind
from inset.gates.service import CriterionResult, Readiness
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.lessons import tags
from inset.lessons.loaders import lessons_by_decision
from inset.lessons.models import Barrier, LessonKind
from inset.lessons.types import Lesson
from inset.projects.loaders import project_by_id
from inset.projects.models import ProjectStatus, Stage
from inset.projects.types import Project

if TYPE_CHECKING:
    from inset.reviews.types import DecisionPanel

# Registers the model's enum with strawberry in place, so the model class is the type.
described_enum(
    models.GateDecisionKind,
    "What a gate decision does to a project's stage and status.",
    {
        GateDecisionKind.GO: "On to the next stage; needs an ACTIVE project and every "
        "mandatory criterion met (or a STAFF override).",
        GateDecisionKind.HOLD: "ACTIVE to ON_HOLD at the same stage, with an optional revisitOn.",
        GateDecisionKind.RESUME: "ON_HOLD back to ACTIVE at the same stage.",
        GateDecisionKind.RECYCLE: "Back to an earlier stage (toStage) of an ACTIVE project; "
        "needs a lesson.",
        GateDecisionKind.STOP: "Ends an ACTIVE or ON_HOLD project for good (STOPPED); needs "
        "a lesson.",
    },
)


@strawberry.type(description="One criterion of a gate, checked against the project as it stands.")
class GateCriterion:
    code: str = strawberry.field(description='Stable, e.g. "outcome_with_baseline".')
    description: str = strawberry.field(description="What to do to meet it.")
    met: bool = strawberry.field(
        description="Whether the project meets it now, from its live records."
    )
    mandatory: bool = strawberry.field(
        description="Mandatory criteria block a GO; the others are advice."
    )

    @classmethod
    def from_result(cls, result: CriterionResult) -> GateCriterion:
        return cls(
            code=result.code,
            description=result.description,
            met=result.met,
            mandatory=result.mandatory,
        )


@strawberry.type(
    description="The criteria of the gate into `toStage` (default: the next stage), met or "
    "not for the project as it stands. `ready` when every mandatory one is met; a GO also "
    "needs an ACTIVE project and moves one stage at a time, so a gate beyond the next one is "
    "shown for planning. A gate the project is already past, or the next gate of a project "
    "at SCALE (there is none), has no criteria and is never ready."
)
class GateReadiness:
    to_stage: Stage = strawberry.field(description="The stage the gate leads into.")
    ready: bool = strawberry.field(
        description="True when every mandatory criterion is met: a GO would not be "
        "GATE_NOT_MET (it may still be INVALID_TRANSITION, see above)."
    )
    criteria: list[GateCriterion] = strawberry.field(
        description="Every criterion of the gate, in the gate's own order."
    )

    @classmethod
    def from_result(cls, result: Readiness) -> GateReadiness:
        return cls(
            to_stage=result.to_stage,
            ready=result.ready,
            criteria=[GateCriterion.from_result(c) for c in result.criteria],
        )


@strawberry.type(description="A gate decision, kept for ever in the project's history.")
class GateDecision(Node):
    pk: strawberry.Private[int]
    decided_by_pk: strawberry.Private[int | None]
    panel_snapshot: strawberry.Private[dict[str, Any] | None]
    decision: GateDecisionKind = strawberry.field(description="What was decided.")
    from_stage: Stage = strawberry.field(description="The stage before the decision.")
    to_stage: Stage = strawberry.field(description="The stage after the decision.")
    status_after: ProjectStatus = strawberry.field(
        description="The project's status after the decision."
    )
    rationale: str = strawberry.field(
        description="Why, in the decider's words (1 to 20,000 characters)."
    )
    override: bool = strawberry.field(
        description="STAFF took a GO although mandatory criteria were unmet (listed in "
        "unmetCriteria)."
    )
    unmet_criteria: list[str] = strawberry.field(
        description="Codes of the mandatory criteria unmet when the gate was overridden."
    )
    revisit_on: date | None = strawberry.field(description="For HOLD: when to look again.")
    decided_at: datetime = strawberry.field(description="When it was taken (UTC).")

    @classmethod
    def from_model(cls, row: models.GateDecision) -> GateDecision:
        return cls(
            pk=pk(row),
            decided_by_pk=row.decided_by_id,
            panel_snapshot=row.panel_snapshot,
            decision=row.decision,
            from_stage=row.from_stage,
            to_stage=row.to_stage,
            status_after=row.status_after,
            rationale=row.rationale,
            override=row.override,
            unmet_criteria=list(row.unmet_criteria),
            revisit_on=row.revisit_on,
            decided_at=row.decided_at,
        )

    @strawberry.field(
        description="Who took it; null when the system (command line, seeds) or an integration did."
    )
    async def decided_by(self, info: Info) -> Account | None:
        if self.decided_by_pk is None:
            return None
        row = await info.context.loaders.load(account_by_reference, self.decided_by_pk)
        return Account.from_model(row) if row else None

    @strawberry.field(
        description="The review panel of the gate as the decision found it, with its "
        "recommendations for those who may read them; null when no reviewer was appointed."
    )
    def panel(
        self,
    ) -> Annotated[DecisionPanel, strawberry.lazy("inset.reviews.types")] | None:
        from inset.reviews.resolvers import decision_panel_of

        return decision_panel_of(self.panel_snapshot)

    @strawberry.field(
        description="The lesson given with the decision, if any and readable; null when it "
        "is anonymised and you are neither staff nor of the project's organisations."
    )
    async def lesson(self, info: Info) -> Lesson | None:
        rows = await info.context.loaders.load(lessons_by_decision, self.pk)
        return Lesson.from_model(rows[0]) if rows else None


@strawberry.input(
    description="A lesson recorded with a gate decision, at the stage the project leaves; "
    'its errors are reported under ["input", "lesson", ...].'
)
class InlineLessonInput:
    kind: LessonKind = strawberry.field(description="What sort of lesson.")
    title: str = strawberry.field(description="1 to 200 characters after trimming.")
    body: str = strawberry.field(
        description="What was meant to happen, what happened, why, and what to do next time: "
        "1 to 20,000 characters."
    )
    barriers: list[str] | None = strawberry.field(
        default=None,
        description="Tags from the fixed list, as in recordLesson.",
        deprecation_reason=tags.DEPRECATED,
    )
    barrier_tags: list[Barrier] | None = strawberry.field(default=None, description=tags.TAGS_HELP)
    anonymised: bool = strawberry.field(
        default=False,
        description="As in recordLesson: the title and body may then not name the project, "
        "its organisations or its people (ANONYMITY).",
    )


@strawberry.input(
    description="GO: to the next stage (toStage may be left out). HOLD: ACTIVE to ON_HOLD, "
    "with an optional revisitOn. RESUME: ON_HOLD to ACTIVE. RECYCLE: back to the earlier "
    "stage in toStage; needs a lesson. STOP: ends the project for good; needs a lesson. A "
    "lesson is the inline `lesson`, or one already recorded at the project's current stage."
)
class DecideGateInput:
    project_id: strawberry.ID = strawberry.field(description="The project to decide on.")
    decision: GateDecisionKind = strawberry.field(description="What to do.")
    to_stage: Stage | None = strawberry.field(
        default=None, description="GO: the next stage (the default); RECYCLE: an earlier one."
    )
    rationale: str = strawberry.field(
        description="Why: 1 to 20,000 characters, checked for personal data (as public text "
        "when the project is PUBLIC)."
    )
    expected_version: int = strawberry.field(
        description="The project's `version` as you read it; stale: CONFLICT."
    )
    override: bool = strawberry.field(
        default=False,
        description="STAFF only, GO only: go although mandatory criteria are unmet; the "
        "unmet ones are stored with the decision. Recorded only when something was unmet.",
    )
    revisit_on: date | None = strawberry.field(
        default=None, description="HOLD only: when to look at the project again."
    )
    lesson: InlineLessonInput | None = strawberry.field(
        default=None,
        description="Recorded in the same transaction, from the stage the project leaves.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.type(description="The result of decideGate.")
class DecideGatePayload:
    decision: GateDecision | None = strawberry.field(
        description="The decision taken; null with userErrors."
    )
    project_pk: strawberry.Private[int | None]
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    unmet_criteria: list[GateCriterion] | None = strawberry.field(
        default=None,
        description="With GATE_NOT_MET: the gate's mandatory criteria that the project does "
        "not meet (each `met: false`), as `Project.readiness` lists them. Null otherwise.",
    )

    @strawberry.field(description="The project after the decision.")
    async def project(self, info: Info) -> Project | None:
        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

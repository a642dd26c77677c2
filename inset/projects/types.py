from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset import records
from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.db import pk, utcnow
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, After, First, described_enum
from inset.graphql.errors import UserError
from inset.graphql.loaders import AwaitableOrValue, then
from inset.graphql.relay import Connection, Node
from inset.organisations.loaders import organisation_by_id, referenced
from inset.organisations.models import OrganisationKind, Sector
from inset.organisations.types import Organisation
from inset.projects import models
from inset.projects.filters import GateOutcome
from inset.projects.loaders import (
    partners_by_project,
    project_by_id,
    replications_by_project,
    themes_by_project,
)
from inset.projects.models import InnovationType, ProjectStatus, Stage, Visibility
from inset.themes.types import Theme

if TYPE_CHECKING:
    from inset.audit.types import ActivityEntry
    from inset.economics.types import Benefit, Cost, Economics
    from inset.evidence.types import Evidence
    from inset.gates.types import GateDecision, GateReadiness
    from inset.lessons.types import Lesson
    from inset.outcomes.types import Outcome
    from inset.reviews.types import ReviewPanel

described_enum(
    models.Stage,
    "Where a project is in the lifecycle IDEA -> PILOT -> EVALUATION -> SCALE. It changes "
    "only through a gate decision (GO forward one stage, RECYCLE back).",
    {
        Stage.IDEA: "A problem and a theory of change; every project starts here.",
        Stage.PILOT: "Tried on a small scale, gathering data (evidence level 2 to move on).",
        Stage.EVALUATION: "Evaluated with a comparison or independently (level 3 to move on).",
        Stage.SCALE: "Run at scale; the last stage: no GO from here.",
    },
)
described_enum(
    models.ProjectStatus,
    "Whether a project is going: changed only by gate decisions (HOLD, RESUME, STOP).",
    {
        ProjectStatus.ACTIVE: "Going; takes GO, HOLD, RECYCLE and STOP decisions.",
        ProjectStatus.ON_HOLD: "Paused at its stage (see revisitOn); takes RESUME or STOP.",
        ProjectStatus.STOPPED: "Ended, for good: takes no decision; its lessons stay.",
    },
)
described_enum(
    models.Visibility,
    "Who may read a project and everything recorded under it. STAFF read every project.",
    {
        Visibility.PRIVATE: "Its lead organisation, partner organisations named on it, and STAFF.",
        Visibility.MEMBERS: "Every signed-in account of any member organisation.",
        Visibility.PUBLIC: "Anyone, signed in or not; its text must hold no email address, "
        "phone number or full postcode either.",
    },
)
described_enum(
    models.InnovationType,
    "What kind of change a project makes.",
    {
        InnovationType.PRACTICE: "A new way of working with children and families.",
        InnovationType.TECHNOLOGY: "A digital tool or system.",
        InnovationType.COMMISSIONING: "A new way of buying or funding services.",
        InnovationType.WORKFORCE: "Recruiting, training or keeping staff and carers.",
        InnovationType.PARTNERSHIP: "Organisations working together in a new way.",
    },
)
described_enum(
    GateOutcome,
    "How a project that reached a stage went at its gate: exactly one of "
    "PASSED, STOPPED, RECYCLED, ON_HOLD, STILL_THERE; ENTERED is all of them.",
    {
        GateOutcome.ENTERED: "Every project that reached the stage, whatever happened next.",
        GateOutcome.PASSED: "Has been beyond the stage: went through its gate at some time, "
        "even if recycled since. None at SCALE, which has no gate.",
        GateOutcome.STOPPED: "Never passed the gate, and is stopped at the stage.",
        GateOutcome.RECYCLED: "Never passed the gate, and is now at an earlier stage: sent "
        "back from it.",
        GateOutcome.ON_HOLD: "Never passed the gate, and is at the stage now, ON_HOLD.",
        GateOutcome.STILL_THERE: "Never passed the gate, and is at the stage now, ACTIVE.",
    },
)


@strawberry.type(
    description="An innovation project of a member organisation. Readable as its "
    "`visibility` says (STAFF: all); archived ones are left out of every list and figure. "
    "Everything under it "
    "(evidence, outcomes, costs, benefits, lessons) is readable by the same readers."
)
class Project(Node):
    row: strawberry.Private[models.Project]
    title: str = strawberry.field(description="A short name, 1 to 200 characters.")
    summary: str = strawberry.field(
        description="What the project does, 1 to 20,000 characters; searched by "
        "ProjectFilter.search."
    )
    problem: str | None = strawberry.field(
        description="The problem it addresses, up to 20,000 characters; null when not stated "
        "(stating it is a criterion of the IDEA gate)."
    )
    theory_of_change: str | None = strawberry.field(
        description="How the project expects to cause its outcomes, up to 20,000 "
        "characters; stating it puts the project at evidence level 1 at least."
    )
    stage: Stage = strawberry.field(description="The current stage; see GateDecision.")
    status: ProjectStatus = strawberry.field(description="Whether it is going, paused or ended.")
    visibility: Visibility = strawberry.field(
        description="Who may read it; changed with setVisibility."
    )
    innovation_type: InnovationType = strawberry.field(description="What kind of change it is.")
    evidence_level: int = strawberry.field(
        description="0..5 on the Nesta Standards of Evidence, derived from the live evidence."
    )
    started_on: date = strawberry.field(description="Economics count years from this date.")
    stage_entered_at: datetime = strawberry.field(
        description="When it entered its current stage (UTC): creation for IDEA, else the "
        "GO or RECYCLE decision."
    )
    revisit_on: date | None = strawberry.field(description="When a project on hold is due a look.")
    created_at: datetime = strawberry.field(description="When it was created (UTC); never changes.")
    updated_at: datetime = strawberry.field(
        description="When it or anything under it last changed (UTC): its fields, a "
        "decision, a record recorded, corrected or archived. What ProjectFilter.updatedSince "
        "compares."
    )
    version: int = strawberry.field(
        description="Starts at 1 and goes up by one with each change to the project's own "
        "fields, visibility, stage or status (not with records under it). Send it as "
        "expectedVersion to updateProject, setVisibility and decideGate: a stale one is "
        "CONFLICT and changes nothing."
    )
    external_id: str | None = strawberry.field(description=records.EXTERNAL_ID_HELP)

    @property
    def pk(self) -> int:
        return pk(self.row)

    @classmethod
    def from_model(cls, row: models.Project) -> Project:
        return cls(
            row=row,
            title=row.title,
            summary=row.summary,
            problem=row.problem,
            theory_of_change=row.theory_of_change,
            stage=row.stage,
            status=row.status,
            visibility=row.visibility,
            innovation_type=row.innovation_type,
            evidence_level=row.evidence_level,
            started_on=row.started_on,
            stage_entered_at=row.stage_entered_at,
            revisit_on=row.revisit_on,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
            external_id=row.external_id,
        )

    @strawberry.field(description="Whole days since the project entered its current stage.")
    def days_in_stage(self) -> int:
        return (utcnow() - self.row.stage_entered_at).days

    # The relations a page of projects shows resolve at once when the page has loaded
    # them (inset.projects.queries.prefetch), and through their loaders otherwise.

    @strawberry.field(graphql_type=list[Theme], description="Its themes, by name.")
    def themes(self, info: Info) -> AwaitableOrValue[list[Theme]]:
        rows = info.context.loaders.now(themes_by_project, self.pk)
        return then(rows, lambda found: [Theme.from_model(r) for r in found])

    @strawberry.field(
        graphql_type=Organisation,
        description="The organisation that leads it and answers for it.",
    )
    def lead_organisation(self, info: Info) -> AwaitableOrValue[Organisation]:
        lead = self.row.lead_organisation_id
        row = info.context.loaders.now(organisation_by_id, lead)
        return then(row, lambda found: Organisation.from_model(referenced(found, lead)))

    @strawberry.field(
        graphql_type=list[Organisation],
        description="Other organisations named on it: they read it even when PRIVATE, and "
        "their LEADs may change it.",
    )
    def partners(self, info: Info) -> AwaitableOrValue[list[Organisation]]:
        rows = info.context.loaders.now(partners_by_project, self.pk)
        return then(rows, lambda found: [Organisation.from_model(r) for r in found])

    @strawberry.field(description="The account leading the project, if one is named.")
    async def lead(self, info: Info) -> Account | None:
        if self.row.lead_account_id is None:
            return None
        row = await info.context.loaders.load(account_by_reference, self.row.lead_account_id)
        return Account.from_model(row) if row else None

    @strawberry.field(description="The criteria of a gate, met or not. Default: the next stage.")
    async def readiness(
        self,
        info: Info,
        to_stage: Annotated[
            Stage | None,
            strawberry.argument(
                description="The stage the gate leads to (PILOT, EVALUATION or SCALE); "
                "default: the stage after the current one."
            ),
        ] = None,
    ) -> Annotated[GateReadiness, strawberry.lazy("inset.gates.types")]:
        from inset.gates.queries import readiness_of

        return await readiness_of(info, self.row, to_stage)

    @strawberry.field(description="Every gate decision, oldest first.")
    async def decisions(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[GateDecision, strawberry.lazy("inset.gates.types")]]:
        from inset.gates.queries import decisions_of

        return await decisions_of(info, self.pk, first=first, after=after)

    @strawberry.field(
        description="The review panel of the project's next gate; null while no reviewer is "
        "appointed (and at SCALE, or once stopped). See ReviewPanel for who reads what."
    )
    async def review_panel(
        self, info: Info
    ) -> Annotated[ReviewPanel, strawberry.lazy("inset.reviews.types")] | None:
        from inset.reviews.resolvers import review_panel_of

        return await review_panel_of(info, self.row)

    @strawberry.field(
        description="STAFF: accounts that may be appointed to the next gate's panel and are "
        "not on it, by name (staff, and for a project shared beyond its organisations, "
        "accounts of other member organisations). Empty for anyone else."
    )
    def reviewer_candidates(
        self,
        info: Info,
        search: Annotated[
            str | None,
            strawberry.argument(description="Part of the name, ignoring case; null or blank: all."),
        ] = None,
        first: Annotated[
            int,
            strawberry.argument(
                description="At most this many; below 1 counts as 1, above 50 as 50."
            ),
        ] = 20,
    ) -> list[Account]:
        from inset.reviews.resolvers import reviewer_candidates_of

        return reviewer_candidates_of(info, self.row, search, first)

    @strawberry.field(description="Its live (not archived) evidence, newest first.")
    async def evidence(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[Evidence, strawberry.lazy("inset.evidence.types")]]:
        from inset.evidence.queries import evidence_of

        return await evidence_of(info, self.pk, first=first, after=after)

    @strawberry.field(description="Its live outcome measures, oldest first.")
    async def outcomes(
        self, info: Info
    ) -> list[Annotated[Outcome, strawberry.lazy("inset.outcomes.types")]]:
        from inset.outcomes.queries import outcomes_of

        return await outcomes_of(info, self.pk)

    @strawberry.field(description="Its live cost lines, newest first.")
    async def costs(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[Cost, strawberry.lazy("inset.economics.types")]]:
        from inset.economics.queries import costs_of

        return await costs_of(info, self.pk, first=first, after=after)

    @strawberry.field(description="Its live benefit lines, newest first.")
    async def benefits(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[Benefit, strawberry.lazy("inset.economics.types")]]:
        from inset.economics.queries import benefits_of

        return await benefits_of(info, self.pk, first=first, after=after)

    @strawberry.field(
        description="The project's live lessons, newest first. Anonymised ones are listed "
        "only for staff and the project's own organisations (lead and partners)."
    )
    async def lessons(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[Lesson, strawberry.lazy("inset.lessons.types")]]:
        from inset.lessons.queries import lessons_of

        return await lessons_of(info, self.pk, first=first, after=after)

    @strawberry.field(
        description="The project this one replicates; its public lessons are one field away. "
        "Null when it is not a replication, or when you may not read the original."
    )
    async def replicated_from(self, info: Info) -> Project | None:
        if self.row.replicated_from_id is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.row.replicated_from_id)
        return Project.from_model(row) if row is not None else None

    @strawberry.field(
        description="Projects of other organisations that replicate this one, oldest first: "
        "only those you may read."
    )
    async def replications(self, info: Info) -> list[Project]:
        rows = await info.context.loaders.load(replications_by_project, self.pk)
        return [Project.from_model(r) for r in rows]

    @strawberry.field(
        description="What has happened to the project and its records, newest first: its "
        "audit trail in words, for whoever may read the project."
    )
    async def activity(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[ActivityEntry, strawberry.lazy("inset.audit.types")]]:
        from inset.audit.resolvers import activity_of

        return await activity_of(info, self.pk, first=first, after=after)

    @strawberry.field(
        graphql_type=Annotated["Economics", strawberry.lazy("inset.economics.types")],
        description="The cost-benefit figures worked from its live cost and benefit lines.",
    )
    def economics(self, info: Info) -> AwaitableOrValue[Economics]:
        from inset.economics.queries import economics_of

        return economics_of(info, self.row)


@strawberry.input(description="A stage's gate and one way projects went there.")
class GateFilter:
    stage: Stage = strawberry.field(description="The stage before the gate.")
    outcome: GateOutcome = strawberry.field(
        default=GateOutcome.ENTERED,
        description="ENTERED: every project that reached the stage; otherwise the one "
        "outcome each such project has there (StageConversion).",
    )


@strawberry.input(
    description="Narrows `projects` (and `portfolio`) within what you may read: every "
    "condition given must hold; a list matches any of its values; null, left out or an "
    "empty list means any."
)
class ProjectFilter:
    stages: list[Stage] | None = strawberry.field(
        default=None, description="Projects at any of these stages now."
    )
    statuses: list[ProjectStatus] | None = strawberry.field(
        default=None, description="Projects with any of these statuses now."
    )
    themes: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description='Projects with any of these themes; "" stands for projects without a '
        'theme (the portfolio\'s "No theme" group).',
    )
    with_theme: strawberry.ID | None = strawberry.field(
        default=None,
        description='Projects that have this theme ("": no theme at all), whatever `themes` '
        "says: with a theme filter, the projects behind one group of Portfolio.byTheme.",
    )
    organisations: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Projects these organisations lead or are partners on."
    )
    organisation_kinds: list[OrganisationKind] | None = strawberry.field(
        default=None, description="Kinds of the lead organisation."
    )
    sectors: list[Sector] | None = strawberry.field(
        default=None,
        description="Sectors of the lead organisation; with organisationKinds, a lead "
        "organisation matching either is included.",
    )
    regions: list[str] | None = strawberry.field(
        default=None,
        description='Regions of the lead organisation; "" stands for lead organisations '
        'without a region (the portfolio\'s "Unknown").',
    )
    innovation_types: list[InnovationType] | None = strawberry.field(
        default=None, description="Projects of any of these kinds."
    )
    min_evidence_level: int | None = strawberry.field(
        default=None, description="Projects at this evidence level (0..5) or higher, inclusive."
    )
    evidence_levels: list[int] | None = strawberry.field(
        default=None, description="Projects at exactly one of these evidence levels (0..5)."
    )
    visibility: list[Visibility] | None = strawberry.field(
        default=None, description="Projects shared at any of these levels."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Text found, ignoring case, in the title or the summary: the words as "
        "one phrase, up to 200 characters. Blank: no search.",
    )
    updated_since: datetime | None = strawberry.field(
        default=None,
        description="Projects whose updatedAt is at or after this instant (inclusive); needs "
        "a UTC offset. For a sync job: keep the time you started a run and pass it next time.",
    )
    external_ids: list[str] | None = strawberry.field(
        default=None,
        description="Your organisation's own keys (externalId) of projects it leads, up to "
        "100; a key no project of yours holds matches nothing.",
    )
    from_: date | None = strawberry.field(
        default=None,
        name="from",
        description="With `to`, a period of whole days, both included (from 00:00 UTC of "
        "`from` up to 00:00 UTC of the day after `to`): only projects under way at some "
        "time in it, that is created before it ended and not stopped before it began. "
        "Either end may be left out. On `portfolio`, the period also restricts the figures "
        "its fields name (entries, lessons behind barriers and enablers, observations "
        "behind success stories); the others are as of now.",
    )
    to: date | None = strawberry.field(
        default=None, description="The last day of the period, included; see `from`."
    )
    entered_stage: Stage | None = strawberry.field(
        default=None,
        description="Projects that entered this stage in the period (`from`/`to`; at any "
        "time without one): IDEA by being created, a later stage by a GO into it. The "
        "projects behind a count of Portfolio.entries.",
    )
    gate: GateFilter | None = strawberry.field(
        default=None,
        description="Projects by how they went at a stage's gate: the projects behind a "
        "figure of Portfolio.conversion.",
    )
    no_decision_for_days: int | None = strawberry.field(
        default=None,
        description="Projects whose last gate decision (or, never decided, creation) was "
        "this many days (1..3650) or more ago. With statuses [ACTIVE] and the stages "
        "IDEA, PILOT, EVALUATION: Portfolio.stalled; with SCALE: Portfolio.quietAtScale.",
    )


@strawberry.enum(
    description="What `projects` is sorted by, then by id. Paging with `after`/`before` "
    "never skips or repeats a project in an order whose value no edit changes: "
    "CREATED_AT (the default). In the others an edit can move a project across the page "
    "you are on: the cursor keeps its place, but the moved project may be seen twice "
    "or not at all."
)
class ProjectOrderField(Enum):
    UPDATED_AT = strawberry.enum_value(
        "updated_at", description="When last changed: every edit moves the project."
    )
    CREATED_AT = strawberry.enum_value(
        "created_at", description="When created: stable under edits, so safe to page by."
    )
    TITLE = strawberry.enum_value("title", description="By title: a renamed project moves.")
    STAGE_ENTERED_AT = strawberry.enum_value(
        "stage_entered_at", description="When it entered its stage: a gate decision moves it."
    )


@strawberry.enum(description="Which way an order runs; ties are broken by id the same way.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Smallest, earliest or A first.")
    DESC = strawberry.enum_value("desc", description="Largest, latest or Z first.")


@strawberry.input(description="Newest first (CREATED_AT, DESC) unless given.")
class ProjectOrder:
    field: ProjectOrderField = strawberry.field(
        default=ProjectOrderField.CREATED_AT,
        description="What to sort by; default CREATED_AT, the order safe to page in.",
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Default DESC."
    )


@strawberry.input(
    description="A new project. Its text is checked for personal data (as public text when "
    "`visibility` is PUBLIC)."
)
class CreateProjectInput:
    title: str = strawberry.field(description="1 to 200 characters after trimming.")
    summary: str = strawberry.field(description="1 to 20,000 characters after trimming.")
    problem: str | None = strawberry.field(
        default=None, description="Up to 20,000 characters; blank or null for none."
    )
    theory_of_change: str | None = strawberry.field(
        default=None,
        description="Up to 20,000 characters; blank or null for none. Given, the project "
        "starts at evidence level 1.",
    )
    innovation_type: InnovationType = strawberry.field(description="What kind of change it is.")
    theme_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Global ids of its themes; an unknown one is NOT_FOUND."
    )
    lead_organisation_id: strawberry.ID = strawberry.field(
        description="The leading organisation: a LEAD's own (FORBIDDEN otherwise); STAFF "
        "may name any."
    )
    partner_organisation_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Other organisations named on it (the lead, if listed, is left out); an "
        "unknown one is NOT_FOUND.",
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.PRIVATE, description="Who may read it; default PRIVATE."
    )
    lead_account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The person answering for it: a LEAD or STAFF account of the lead "
        "organisation (INVALID otherwise); null for none.",
    )
    started_on: date | None = strawberry.field(
        default=None,
        description="When the work began, 1 January 1990 to 31 December 2100; economics count "
        "years from it. Default: today (UTC).",
    )
    external_id: str | None = strawberry.field(
        default=None,
        description="The lead organisation's own key for the project, 1..200 printable "
        "characters. Already used: DUPLICATE with existingId, nothing created.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.input(description="Fields left out stay as they are; null clears optional text.")
class UpdateProjectInput:
    project_id: strawberry.ID = strawberry.field(description="The project to change.")
    expected_version: int = strawberry.field(
        description="The project's `version` as you read it; stale: CONFLICT."
    )
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 200 characters; cannot be cleared."
    )
    summary: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 20,000 characters; cannot be cleared."
    )
    problem: str | None = strawberry.field(
        default=strawberry.UNSET, description="Up to 20,000 characters; null or blank clears it."
    )
    theory_of_change: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Up to 20,000 characters; null or blank clears it (the evidence level "
        "is worked out again).",
    )
    innovation_type: InnovationType | None = strawberry.field(
        default=strawberry.UNSET, description="The new kind; null keeps it."
    )
    theme_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The whole new list of themes (not additions); null keeps them.",
    )
    partner_organisation_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The whole new list of partners; null keeps them. A partner's LEAD "
        "cannot take their own organisation off (FORBIDDEN).",
    )
    lead_account_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="A LEAD or STAFF account of the lead organisation (INVALID otherwise); "
        "null clears it.",
    )
    started_on: date | None = strawberry.field(
        default=strawberry.UNSET,
        description="1 January 1990 to 31 December 2100; null keeps it.",
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The lead organisation's own key; null clears it. DUPLICATE with "
        "existingId when another project of the organisation holds it.",
    )


@strawberry.input(description="Who may read a project from now on.")
class SetVisibilityInput:
    project_id: strawberry.ID = strawberry.field(description="The project to share.")
    visibility: Visibility = strawberry.field(
        description="The new level; the same as now changes nothing."
    )
    expected_version: int = strawberry.field(
        description="The project's `version` as you read it; stale: CONFLICT."
    )


@strawberry.input(
    description="Adopt another organisation's project: a new project of your organisation at "
    "IDEA, from the original's problem and theory of change, linked to it."
)
class ReplicateProjectInput:
    project_id: strawberry.ID = strawberry.field(description="The project to replicate.")
    title: str | None = strawberry.field(default=None, description="Default: the original's.")
    lead_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: you."
    )
    visibility: Visibility = strawberry.field(
        default=Visibility.PRIVATE, description="Who may read the new project; default PRIVATE."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.type(
    description="The result of createProject, updateProject, setVisibility or replicateProject."
)
class ProjectPayload:
    project: Project | None = strawberry.field(
        description="The project as it now stands; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)

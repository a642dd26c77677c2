from __future__ import annotations

from datetime import datetime

import strawberry

from inset import records
from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.db import pk
from inset.evidence import models
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.projects.loaders import project_by_id
from inset.projects.models import Stage
from inset.projects.types import Project

# strawberry.enum registers the model's enum in place and returns the same class, so the
# fields below are annotated with the model's enums (Stage is registered by
# inset.projects.types), which mypy sees as real types.
_KIND = models.EvidenceKind
EvidenceKind = described_enum(
    models.EvidenceKind,
    "What sort of evidence an item is. The level it supports is claimed separately "
    "(`level`); the kind does not set it.",
    {
        _KIND.DESCRIPTION: "An account of the work and why it should have impact (typically "
        "level 1).",
        _KIND.MONITORING_DATA: "Data collected as the work runs, such as before and after "
        "figures (typically level 2).",
        _KIND.SURVEY: "Answers gathered from people involved or served.",
        _KIND.COMPARISON_STUDY: "A comparison with a group that did not receive it "
        "(typically level 3).",
        _KIND.RANDOMISED_TRIAL: "A trial with random allocation to a control group "
        "(typically level 3 or 4).",
        _KIND.EVALUATION_REPORT: "A report of an evaluation; independent ones support level 4.",
        _KIND.CASE_STUDY: "The story of one instance of the work, told in aggregate terms.",
        _KIND.FEEDBACK: "What practitioners, carers or young people said about it.",
    },
)


@strawberry.type(
    description="An item of evidence and the level it claims. Readable by whoever may read "
    "its project; archived items are gone from lists and from the project's level."
)
class Evidence(Node):
    pk: strawberry.Private[int]
    recorded_by_pk: strawberry.Private[int | None]
    kind: models.EvidenceKind = strawberry.field(description="What sort of evidence it is.")
    title: str = strawberry.field(description="A short name, 1 to 200 characters.")
    summary: str = strawberry.field(
        description="What it shows, 1 to 20,000 characters, aggregate figures only."
    )
    level: int = strawberry.field(
        description="The level claimed on the Nesta Standards of Evidence, 1..5. A level-4 "
        "claim counts towards the project's level only when independent; a level-5 claim "
        "only at SCALE with a partner organisation."
    )
    independent: bool = strawberry.field(
        description="Produced by someone independent of the project, such as an external evaluator."
    )
    stage: Stage = strawberry.field(description="The project's stage when it was recorded.")
    reference: str | None = strawberry.field(
        description="Where to read it: a report's address or citation."
    )
    recorded_at: datetime = strawberry.field(
        description="When it was first recorded (UTC); corrections do not change it."
    )
    version: int = strawberry.field(description=records.VERSION_HELP)
    external_id: str | None = strawberry.field(description=records.EXTERNAL_ID_HELP)

    @classmethod
    def from_model(cls, row: models.Evidence) -> Evidence:
        return cls(
            pk=pk(row),
            recorded_by_pk=row.recorded_by_id,
            kind=row.kind,
            title=row.title,
            summary=row.summary,
            level=row.level,
            independent=row.independent,
            stage=row.stage,
            reference=row.reference,
            recorded_at=row.recorded_at,
            version=row.version,
            external_id=row.external_id,
        )

    @strawberry.field(description="Who recorded it; null when the system or an integration did.")
    async def recorded_by(self, info: Info) -> Account | None:
        if self.recorded_by_pk is None:
            return None
        row = await info.context.loaders.load(account_by_reference, self.recorded_by_pk)
        return Account.from_model(row) if row else None


@strawberry.input(
    description="A new item of evidence. Its text is checked for personal data (as public "
    "text when the project is PUBLIC)."
)
class RecordEvidenceInput:
    project_id: strawberry.ID = strawberry.field(description="The project it is evidence for.")
    kind: models.EvidenceKind = strawberry.field(description="What sort of evidence it is.")
    title: str = strawberry.field(description="1 to 200 characters after trimming.")
    summary: str = strawberry.field(description="1 to 20,000 characters after trimming.")
    level: int = strawberry.field(description="1..5 on the Nesta Standards of Evidence.")
    independent: bool = strawberry.field(
        default=False,
        description="Produced independently of the project; a level-4 claim counts only "
        "then. Default false.",
    )
    reference: str | None = strawberry.field(
        default=None,
        description="Where to read it (an address or citation), up to 2,000 characters; "
        "blank or null for none.",
    )
    external_id: str | None = strawberry.field(
        default=None, description=records.EXTERNAL_ID_INPUT_HELP
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.input(
    description="A correction: only the fields sent change; null clears reference or "
    "externalId. Every rule of recordEvidence applies to the result."
)
class UpdateEvidenceInput:
    id: strawberry.ID = strawberry.field(description="The evidence to correct.")
    expected_version: int = strawberry.field(description=records.VERSION_HELP)
    kind: models.EvidenceKind | None = strawberry.field(
        default=strawberry.UNSET, description="The new kind; cannot be null."
    )
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 200 characters; cannot be null."
    )
    summary: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 20,000 characters; cannot be null."
    )
    level: int | None = strawberry.field(
        default=strawberry.UNSET, description="1..5 on the Nesta Standards of Evidence."
    )
    independent: bool | None = strawberry.field(
        default=strawberry.UNSET, description="The new flag; cannot be null."
    )
    reference: str | None = strawberry.field(
        default=strawberry.UNSET, description="Up to 2,000 characters; null clears it."
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description=records.EXTERNAL_ID_INPUT_HELP
    )


@strawberry.type(description="The result of recordEvidence or updateEvidence.")
class EvidencePayload:
    evidence: Evidence | None = strawberry.field(
        description="The item as it now stands; null with userErrors."
    )
    project_pk: strawberry.Private[int | None]
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)

    @strawberry.field(description="The project, with its evidence level after the change.")
    async def project(self, info: Info) -> Project | None:
        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

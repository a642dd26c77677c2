from __future__ import annotations

from datetime import datetime

import strawberry

from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.db import pk
from inset.evidence import models
from inset.graphql.context import Info
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.projects.loaders import project_by_id
from inset.projects.models import Stage
from inset.projects.types import Project

# strawberry.enum registers the model's enum in place and returns the same class, so the
# fields below are annotated with the model's enums (Stage is registered by
# inset.projects.types), which mypy sees as real types.
EvidenceKind = strawberry.enum(models.EvidenceKind)


@strawberry.type(description="An item of evidence and the level it claims.")
class Evidence(Node):
    pk: strawberry.Private[int]
    recorded_by_pk: strawberry.Private[int | None]
    kind: models.EvidenceKind
    title: str
    summary: str
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
    recorded_at: datetime

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
        )

    @strawberry.field
    async def recorded_by(self, info: Info) -> Account | None:
        if self.recorded_by_pk is None:
            return None
        row = await info.context.loaders.load(account_by_reference, self.recorded_by_pk)
        return Account.from_model(row) if row else None


@strawberry.input
class RecordEvidenceInput:
    project_id: strawberry.ID
    kind: models.EvidenceKind
    title: str
    summary: str
    level: int = strawberry.field(description="1..5 on the Nesta Standards of Evidence.")
    independent: bool = False
    reference: str | None = None
    idempotency_key: str | None = None


@strawberry.type
class EvidencePayload:
    evidence: Evidence | None
    project_pk: strawberry.Private[int | None]
    user_errors: list[UserError]

    @strawberry.field(description="The project, with its evidence level after the change.")
    async def project(self, info: Info) -> Project | None:
        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

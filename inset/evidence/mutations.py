from __future__ import annotations

import strawberry
from sqlmodel import Session

from inset.evidence import models, service
from inset.evidence.types import (
    Evidence,
    EvidencePayload,
    RecordEvidenceInput,
    UpdateEvidenceInput,
)
from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.errors import UserError, shown
from inset.graphql.ids import decode_id
from inset.graphql.inputs import sent
from inset.graphql.transaction import run_mutation


@strawberry.type
class EvidenceMutation:
    @strawberry.mutation(
        description="Records an item of evidence at the project's current stage and "
        "re-derives the project's evidence level. Idempotent with idempotencyKey. For LEADs "
        "of its lead or partner organisations, and STAFF. User errors: NOT_FOUND, "
        "FORBIDDEN, REQUIRED, TOO_LONG, INVALID (level, externalId, idempotencyKey), "
        "PERSONAL_DATA, DUPLICATE (externalId taken, with existingId; idempotencyKey used "
        "with other input)."
    )
    def record_evidence(self, info: Info, input: Input[RecordEvidenceInput]) -> EvidencePayload:
        def work(session: Session) -> models.Evidence:
            return service.record_evidence(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                kind=input.kind,
                title=input.title,
                summary=input.summary,
                level=input.level,
                independent=input.independent,
                reference=input.reference,
                external_id=input.external_id,
            )

        result = run_mutation(info, work, name="recordEvidence", data=input, replay=models.Evidence)
        return _payload(result)

    @strawberry.mutation(
        description="Corrects an item of evidence and re-derives the project's evidence "
        "level. User errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale expectedVersion), "
        "REQUIRED, TOO_LONG, INVALID, PERSONAL_DATA, DUPLICATE (externalId, with existingId)."
    )
    def update_evidence(self, info: Info, input: Input[UpdateEvidenceInput]) -> EvidencePayload:
        def work(session: Session) -> models.Evidence:
            return service.update_evidence(
                session=session,
                actor=info.context.actor,
                evidence_id=decode_id(input.id, "Evidence", "id"),
                expected_version=input.expected_version,
                changes=sent(input),
            )

        return _payload(run_mutation(info, work, name="updateEvidence"))


def _payload(result: models.Evidence | list[UserError]) -> EvidencePayload:
    row, errors = shown(result, models.Evidence)
    if row is None:
        return EvidencePayload(evidence=None, project_pk=None, user_errors=errors)
    return EvidencePayload(
        evidence=Evidence.from_model(row), project_pk=row.project_id, user_errors=errors
    )

from __future__ import annotations

import strawberry
from sqlmodel import Session

from inset.evidence import models, service
from inset.evidence.types import Evidence, EvidencePayload, RecordEvidenceInput
from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation


@strawberry.type
class EvidenceMutation:
    @strawberry.mutation(
        description="Records an item of evidence at the project's current stage and "
        "re-derives the project's evidence level. Idempotent with idempotencyKey."
    )
    def record_evidence(self, info: Info, input: RecordEvidenceInput) -> EvidencePayload:
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
            )

        result = run_mutation(info, work, name="recordEvidence", data=input, replay=models.Evidence)
        if isinstance(result, list):
            return EvidencePayload(evidence=None, project_pk=None, user_errors=result)
        return EvidencePayload(
            evidence=Evidence.from_model(result), project_pk=result.project_id, user_errors=[]
        )

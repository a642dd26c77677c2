from __future__ import annotations

from typing import Any

import strawberry
from sqlmodel import Session

from inset.archive import service
from inset.archive.types import ArchivePayload, ArchiveRecordInput
from inset.errors import NotFound
from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.transaction import run_mutation
from inset.ids import from_global_id


@strawberry.type
class ArchiveMutation:
    @strawberry.mutation(
        description="Hides a record from every list, count and figure (a project: with "
        "everything under it); nothing is deleted, and the archive is audited. An archived "
        "record keeps its externalId (a sync job sending it again gets DUPLICATE). Needs write "
        "access to the record's project. User errors: FORBIDDEN, NOT_FOUND (no such record, "
        "or not yours to see, or already archived), INVALID (a kind that cannot be "
        "archived; a bad idempotencyKey), REQUIRED (reason), TOO_LONG, PERSONAL_DATA, "
        "DUPLICATE (idempotencyKey used with other input)."
    )
    def archive_record(self, info: Info, input: Input[ArchiveRecordInput]) -> ArchivePayload:
        def work(session: Session) -> Any:
            decoded = from_global_id(input.id)
            if decoded is None:
                raise NotFound("record", ("id",))
            return service.archive_record(
                session=session,
                actor=info.context.actor,
                type_name=decoded[0],
                record_id=decoded[1],
                reason=input.reason,
            )

        result = run_mutation(
            info, work, name="archiveRecord", data=input, replay=service.archivable_models()
        )
        if isinstance(result, list):
            return ArchivePayload(archived_id=None, user_errors=result)
        return ArchivePayload(archived_id=input.id, user_errors=[])

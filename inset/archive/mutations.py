from __future__ import annotations

from typing import Any

import strawberry
from sqlmodel import Session

from inset.archive import service
from inset.archive.types import ArchivePayload, ArchiveRecordInput
from inset.errors import NotFound
from inset.graphql.context import Info
from inset.graphql.transaction import run_mutation
from inset.ids import from_global_id


@strawberry.type
class ArchiveMutation:
    @strawberry.mutation(description="Hides a record from every list; it is kept and audited.")
    def archive_record(self, info: Info, input: ArchiveRecordInput) -> ArchivePayload:
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

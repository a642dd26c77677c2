from __future__ import annotations

from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.audit.models import AuditEvent
from inset.audit.service import readable_audit_events
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id


def audit_event_by_id(context: Context) -> DataLoader[int, AuditEvent | None]:
    """Events the viewer may read in `auditLog`; anything else loads as None."""
    return rows_by_id(context, readable_audit_events(context.actor), col(AuditEvent.id))

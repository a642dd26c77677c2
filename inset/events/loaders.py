from __future__ import annotations

import sqlalchemy as sa
from strawberry.dataloader import DataLoader

from inset.events.models import Event
from inset.events.service import event_is_readable
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id


def event_by_id(context: Context) -> DataLoader[int, Event | None]:
    """Events the viewer may read; anything else loads as None (absent)."""
    stmt = sa.select(Event).where(event_is_readable(context.actor))
    return rows_by_id(context, stmt, Event.id)

from __future__ import annotations

from strawberry.dataloader import DataLoader

from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.notifications.models import Notification
from inset.notifications.service import readable_notifications


def notification_by_id(context: Context) -> DataLoader[int, Notification | None]:
    """The viewer's own notifications about what they may read now; anything else is None."""
    return rows_by_id(context, readable_notifications(context.actor), Notification.id)

from __future__ import annotations

from strawberry.dataloader import DataLoader

from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.nominations.models import Nomination
from inset.nominations.service import readable_nominations


def nomination_by_id(context: Context) -> DataLoader[int, Nomination | None]:
    """Nominations the viewer may read (staff: all; others their own); else None."""
    return rows_by_id(context, readable_nominations(context.actor), Nomination.id)

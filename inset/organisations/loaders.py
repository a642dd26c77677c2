from __future__ import annotations

import sqlalchemy as sa
from strawberry.dataloader import DataLoader

from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.organisations.models import Organisation


def organisation_by_id(context: Context) -> DataLoader[int, Organisation | None]:
    # Organisations are members of a public programme: their names are readable by all.
    return rows_by_id(context, sa.select(Organisation), Organisation.id)

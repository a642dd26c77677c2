from __future__ import annotations

import sqlalchemy as sa
from strawberry.dataloader import DataLoader

from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.organisations.models import Organisation


def organisation_by_id(context: Context) -> DataLoader[int, Organisation | None]:
    # Organisations are members of a public programme: their names are readable by all.
    return rows_by_id(context, sa.select(Organisation), Organisation.id)


async def referenced_organisation(context: Context, organisation_id: int) -> Organisation:
    """The organisation a foreign key points at, which must exist."""
    return referenced(
        await context.loaders.load(organisation_by_id, organisation_id), organisation_id
    )


def referenced(row: Organisation | None, organisation_id: int) -> Organisation:
    """`row`, loaded for a foreign key: None means the database has lost an organisation."""
    if row is None:
        raise RuntimeError(
            f"organisation {organisation_id} is missing: a foreign key points at no organisation"
        )
    return row

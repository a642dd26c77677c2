from __future__ import annotations

import sqlalchemy as sa
from strawberry.dataloader import DataLoader

from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.themes.models import Theme


def theme_by_id(context: Context) -> DataLoader[int, Theme | None]:
    return rows_by_id(context, sa.select(Theme), Theme.id)

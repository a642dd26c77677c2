from __future__ import annotations

import strawberry

from inset.db import pk
from inset.graphql.relay import Node
from inset.themes import models


@strawberry.type
class Theme(Node):
    pk: strawberry.Private[int]
    name: str
    slug: str

    @classmethod
    def from_model(cls, row: models.Theme) -> Theme:
        return cls(pk=pk(row), name=row.name, slug=row.slug)

from __future__ import annotations

import strawberry

from inset.db import pk
from inset.graphql.relay import Node
from inset.themes import models


@strawberry.type(
    description="One of the incubator's streams of work (adolescent mental health, youth "
    "crime, ...), which projects and lessons are filed under. Themes are made by incubator "
    "staff and readable by anyone, signed in or not."
)
class Theme(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(
        description="The theme's name as people read it, unique, up to 200 characters."
    )
    slug: str = strawberry.field(
        description="The name in lower case with every run of other characters as one "
        'hyphen ("adolescent-mental-health"): unique, stable, for links and URLs.'
    )

    @classmethod
    def from_model(cls, row: models.Theme) -> Theme:
        return cls(pk=pk(row), name=row.name, slug=row.slug)

from __future__ import annotations

import strawberry

from inset.graphql.context import Info
from inset.themes import service
from inset.themes.types import Theme


@strawberry.type
class ThemeQuery:
    @strawberry.field(description="Every theme, by name.")
    def themes(self, info: Info) -> list[Theme]:
        return [Theme.from_model(row) for row in service.list_themes(session=info.context.session)]

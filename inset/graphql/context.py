"""The one typed context every resolver receives as `info.context`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import Session
from strawberry.types import Info as StrawberryInfo

from inset.access import Actor
from inset.config import Settings

if TYPE_CHECKING:
    from inset.graphql.loaders import Loaders
    from inset.ratelimit.service import Charge


@dataclass
class Context:
    session: Session
    actor: Actor
    settings: Settings
    request_id: str
    session_cookie: str | None = None  # the web session this request came with, if any
    # Whether the browser reached us over HTTPS: directly, or as a TLS proxy trusted by
    # `inset serve --proxy-headers` says in X-Forwarded-Proto.
    https: bool = False
    loaders: Loaders = field(init=False)
    response_cookies: list[dict[str, Any]] = field(default_factory=list)
    rate_limit: Charge | None = None  # what the request paid; None without a rate limit

    def __post_init__(self) -> None:
        self.reset_loaders()

    def reset_loaders(self) -> None:
        """Fresh loaders after each mutation, so no later field reads a cached old row."""
        from inset.graphql.loaders import Loaders

        if (previous := getattr(self, "loaders", None)) is not None:
            previous.close()
        self.loaders = Loaders(self)

    def close(self) -> None:
        self.loaders.close()
        self.session.close()


Info = StrawberryInfo[Context, None]

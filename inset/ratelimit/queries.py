"""The `rateLimit` query field."""

from __future__ import annotations

import strawberry

from inset.graphql.context import Info
from inset.ratelimit.types import RateLimit


@strawberry.type
class RateLimitQuery:
    @strawberry.field(
        description="What this request cost and what is left of the viewer's rate limit; "
        "null when the server runs without one."
    )
    def rate_limit(self, info: Info) -> RateLimit | None:
        charge = info.context.rate_limit
        if charge is None:
            return None
        return RateLimit(
            cost=charge.cost,
            limit=charge.limit,
            used=charge.used,
            remaining=charge.remaining,
            refill_rate=charge.refill,
            reset_at=charge.reset_at,
        )

"""The `rateLimit` field's type, in the manner of GitHub's."""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(
    description="The viewer's rate limit: a bucket of points per credential (API token, "
    "web session's account, or client address when anonymous) that each request pays "
    "its cost into and that empties at a steady rate. A request that does not fit is "
    "refused with HTTP 429 and the code THROTTLED, and nothing of it runs."
)
class RateLimit:
    cost: int = strawberry.field(
        description="The points this request cost, estimated before it ran: each object a "
        "page may return (its `first`/`last`, or 20) times its parents, each aggregate "
        "(portfolio, search) its weight, each mutation 10 more; at least 1."
    )
    limit: int = strawberry.field(
        description="The bucket's size, in points: INSET_RATE_LIMIT_BUCKET on the server, "
        "100,000 by default. Every credential has the same."
    )
    used: int = strawberry.field(description="Points in the bucket after this request, rounded up.")
    remaining: int = strawberry.field(
        description="Points left to spend now, after this request: `limit` - `used`."
    )
    refill_rate: float = strawberry.field(
        description="Points a second the bucket gives back: INSET_RATE_LIMIT_REFILL on the "
        "server, 10,000 by default."
    )
    reset_at: datetime = strawberry.field(
        description="When the bucket will be empty again (all of `limit` to spend) if no "
        "more requests come, to the second, in UTC."
    )

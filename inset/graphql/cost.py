"""What a request cost, as the response tells it: rate limit headers and `extensions.cost`.

`requestedQueryCost` is the estimate charged before execution (`inset.graphql.limits`);
`actualQueryCost` counts the objects the response holds in lists (an edge and its node
count once, as the edge's object; a page of 3 nodes counts 3), at least 1, and 0 for a
throttled request, of which nothing ran. It is told,
not refunded: the bucket keeps the requested cost.
"""

from __future__ import annotations

from typing import Any

from inset.graphql.codes import RequestErrorCode
from inset.ratelimit.service import Charge

THROTTLED = RequestErrorCode.THROTTLED


def rate_limit_headers(charge: Charge) -> dict[str, str]:
    """GitHub's names; `X-RateLimit-Reset` is when the bucket is empty again, in UTC epoch
    seconds."""
    return {
        "X-RateLimit-Limit": str(charge.limit),
        "X-RateLimit-Remaining": str(charge.remaining),
        "X-RateLimit-Used": str(charge.used),
        "X-RateLimit-Reset": str(int(charge.reset_at.timestamp())),
    }


def cost_extension(charge: Charge | None, requested: int, data: Any) -> dict[str, Any]:
    """`extensions.cost`, in the manner of Shopify's."""
    cost: dict[str, Any] = {
        "requestedQueryCost": requested,
        "actualQueryCost": max(1, objects_in_lists(data)) if data is not None else 0,
    }
    if charge is not None:
        cost["throttleStatus"] = {
            "maximumAvailable": charge.limit,
            "currentlyAvailable": charge.remaining,
            "restoreRate": charge.refill,
        }
    return cost


def objects_in_lists(value: Any) -> int:
    """The objects that are items of lists, anywhere in a response's data.

    Only objects and lists are pushed, and each list's objects counted at once: a page of
    100 projects holds ten times as many scalars, which this never looks at twice.
    """
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if item.__class__ is dict:
            stack.extend([v for v in item.values() if v.__class__ is dict or v.__class__ is list])
        elif item.__class__ is list:
            objects = [v for v in item if v.__class__ is dict]
            count += len(objects)
            stack.extend(objects)
            stack.extend([v for v in item if v.__class__ is list])
    return count


def throttled_message(charge: Charge) -> str:
    return (
        f"This request costs {charge.cost} points and {charge.remaining} of your "
        f"{charge.limit} are left; they come back at {charge.refill:g} a second. "
        f"Try again in {charge.retry_after} seconds, or ask for smaller pages."
    )

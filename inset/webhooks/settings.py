"""Delivery settings from the environment (read when used, so tests may set them)."""

from __future__ import annotations

import os

# About three days: quick retries for a blip, then hours apart for an outage.
# 5 s, 30 s, 5 min, 30 min, 2 h, 5 h, then 10 h seven times: 77.6 hours in all.
DEFAULT_RETRY_SCHEDULE = (5, 30, 300, 1800, 7200, 18000, *([36000] * 7))
TIMEOUT_SECONDS = 10.0  # a 2xx within this is success; anything else a failure
# A worker holds the deliveries it took for one request's timeout plus this margin,
# renewed after each request: one killed mid-request frees them for another soon after.
LEASE_MARGIN_SECONDS = 5.0
JITTER = 0.2  # each wait is drawn from +-20% of the schedule's, so retries don't stampede


def retry_schedule() -> tuple[float, ...]:
    """`INSET_WEBHOOK_RETRY_SCHEDULE="5,30,300"`: seconds to wait before each retry.

    After the last one fails, the delivery is given up and the endpoint disabled.
    """
    raw = os.environ.get("INSET_WEBHOOK_RETRY_SCHEDULE", "").strip()
    if not raw:
        return tuple(float(s) for s in DEFAULT_RETRY_SCHEDULE)
    try:
        waits = tuple(float(part) for part in raw.split(","))
    except ValueError:
        raise ValueError("INSET_WEBHOOK_RETRY_SCHEDULE is seconds, comma separated") from None
    if any(w < 0 for w in waits):
        raise ValueError("INSET_WEBHOOK_RETRY_SCHEDULE has a negative wait")
    return waits


def allow_loopback() -> bool:
    """`INSET_WEBHOOK_ALLOW_LOOPBACK=1`: http and https to 127.0.0.1 and ::1 allowed, for
    development and tests. Private and link-local addresses stay refused."""
    return os.environ.get("INSET_WEBHOOK_ALLOW_LOOPBACK", "") == "1"


def timeout_seconds() -> float:
    """A 2xx within this is success (`INSET_WEBHOOK_TIMEOUT_SECONDS`, default 10)."""
    return float(os.environ.get("INSET_WEBHOOK_TIMEOUT_SECONDS", "") or TIMEOUT_SECONDS)

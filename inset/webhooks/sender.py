"""One signed request, following Standard Webhooks (https://www.standardwebhooks.com)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from standardwebhooks import Webhook

from inset.db import utcnow
from inset.errors import Invalid
from inset.webhooks.queue import Job, Result
from inset.webhooks.settings import timeout_seconds
from inset.webhooks.urls import check_url

USER_AGENT = "Inset-Webhooks/1"


def body_of(job: Job) -> bytes:
    """`{"type", "timestamp", "data"}`: the body Standard Webhooks describes."""
    payload: dict[str, Any] = {
        "type": job.event_type,
        "timestamp": job.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": job.data,
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def headers_of(job: Job, body: bytes) -> dict[str, str]:
    """The three signing headers. During a secret's rotation the request carries a
    signature with each secret, space separated; a receiver accepts either."""
    now = utcnow()
    signatures = " ".join(Webhook(s).sign(job.webhook_id, now, body) for s in job.secrets)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": job.webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signatures,
    }


def send(client: httpx.Client, job: Job) -> Result:
    """Posts the event. Success is a 2xx within TIMEOUT_SECONDS; redirects are not
    followed (a 3xx is a failure), and the URL's addresses are checked again first."""
    started = time.monotonic()
    limit = timeout_seconds()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        check_url(job.url)
    except Invalid as refused:
        return Result(False, None, took(), f"not sent: {refused.message}")
    body = body_of(job)
    try:
        response = client.post(job.url, content=body, headers=headers_of(job, body), timeout=limit)
    except httpx.TimeoutException:
        return Result(False, None, took(), f"no answer within {limit:g} s")
    except httpx.HTTPError as error:
        return Result(False, None, took(), f"{type(error).__name__}: {error}"[:500])
    elapsed = took()
    if elapsed > limit * 1000:
        return Result(False, response.status_code, elapsed, "answered after the timeout")
    if 200 <= response.status_code < 300:
        return Result(True, response.status_code, elapsed, None)
    return Result(False, response.status_code, elapsed, f"HTTP {response.status_code}")


def client() -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(timeout_seconds()),
        follow_redirects=False,
        trust_env=False,  # no proxy from the environment between us and the receiver
    )

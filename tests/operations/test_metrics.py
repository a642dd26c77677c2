"""/metrics: requests by operation and outcome, latency, the pool, failed sign-ins; and who
may read them."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from inset.app import create_app
from inset.config import Settings
from inset.operations import metrics
from inset.operations.metrics import parse_allow

THEMES = "query ThemeList { themes { id } }"
UNNAMED = "{ themes { id } }"
SIGN_IN = """mutation SignIn($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) { account { name } userErrors { code } } }"""


def sample(body: str, name: str, **labels: str) -> float:
    """A sample's value in an exposition, 0 when absent."""
    for family in text_string_to_metric_families(body):
        for each in family.samples:
            if each.name == name and all(each.labels.get(k) == v for k, v in labels.items()):
                return float(each.value)
    return 0.0


async def scrape(api) -> str:
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    return str(response.text)


async def test_requests_are_counted_by_operation_name_and_outcome(api):
    before = await scrape(api)

    await api.data(THEMES)
    await api.data(THEMES)
    await api.data(UNNAMED)
    await api.client.post("/graphql", json={"query": "{ nope }"})

    after = await scrape(api)
    total = "inset_graphql_requests_total"
    for operation, outcome, more in (
        ("ThemeList", "ok", 2),
        ("anonymous", "ok", 1),
        ("anonymous", "rejected", 1),
    ):
        counted = sample(after, total, operation=operation, outcome=outcome)
        assert counted - sample(before, total, operation=operation, outcome=outcome) == more
    latency = "inset_graphql_request_duration_seconds_count"
    assert (
        sample(after, latency, operation="ThemeList")
        - sample(before, latency, operation="ThemeList")
        == 2
    )


async def test_failed_sign_ins_are_counted_and_a_wrong_password_is_a_user_error(world, api):
    account = world.account(world.org(), password="correct horse battery staple")
    before = await scrape(api)

    await api.data(SIGN_IN, {"email": account.email, "password": "wrong wrong wrong"})

    after = await scrape(api)
    failures = "inset_sign_in_failures_total"
    assert sample(after, failures, reason="wrong") - sample(before, failures, reason="wrong") == 1
    requests = "inset_graphql_requests_total"
    labels = {"operation": "SignIn", "outcome": "user_error"}
    assert sample(after, requests, **labels) - sample(before, requests, **labels) == 1


async def test_the_database_pool_is_reported(api, engine):
    body = await scrape(api)

    assert sample(body, "inset_db_pool_size") == engine.pool.size()
    assert sample(body, "inset_db_pool_checked_out") == 0


async def test_operation_names_past_the_limit_are_counted_as_other(api, monkeypatch):
    monkeypatch.setattr(metrics, "_names", set())
    monkeypatch.setattr(metrics, "MAX_OPERATION_NAMES", 2)

    for name in ("First", "Second", "Third", "Fourth"):
        await api.data(f"query {name} {{ themes {{ id }} }}")

    body = await scrape(api)
    assert sample(body, "inset_graphql_requests_total", operation="Second") >= 1
    assert sample(body, "inset_graphql_requests_total", operation="Third") == 0
    assert sample(body, "inset_graphql_requests_total", operation="other", outcome="ok") >= 2


async def _metrics_from(
    db_url: str, engine, client: tuple[str, int], headers=None, **settings
) -> int:
    app = create_app(Settings(database_url=db_url, secret_key="k", **settings), engine)
    transport = httpx.ASGITransport(app=app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as http:
        return (await http.get("/metrics", headers=headers or {})).status_code


OUTSIDE = ("203.0.113.5", 40000)
LOOPBACK = ("127.0.0.1", 40000)


async def test_metrics_are_not_found_from_an_address_not_allowed(db_url, engine):
    assert await _metrics_from(db_url, engine, OUTSIDE) == 404
    assert await _metrics_from(db_url, engine, LOOPBACK) == 200


async def test_an_allowed_network_reads_the_metrics(db_url, engine):
    allowed = await _metrics_from(db_url, engine, OUTSIDE, metrics_allow="203.0.113.0/24")

    assert allowed == 200


async def test_the_configured_token_opens_the_metrics_from_anywhere(db_url, engine):
    token = {"metrics_token": "scrape-secret-1234"}

    good = await _metrics_from(
        db_url, engine, OUTSIDE, {"Authorization": "Bearer scrape-secret-1234"}, **token
    )
    wrong = await _metrics_from(db_url, engine, LOOPBACK, {"Authorization": "Bearer nope"}, **token)

    assert good == 200
    assert wrong == 404


async def test_a_request_relayed_by_a_local_proxy_needs_the_token(db_url, engine):
    relayed = {"X-Forwarded-For": "198.51.100.7"}

    assert await _metrics_from(db_url, engine, LOOPBACK, relayed) == 404


def test_a_bad_allow_list_names_the_entry_at_fault():
    with pytest.raises(ValueError, match="INSET_METRICS_ALLOW: 'localhost' is not an IP"):
        parse_allow("127.0.0.1, localhost")


async def test_the_webhook_backlog_counts_what_no_worker_has_queued_then_what_is_pending(
    api, world, monkeypatch
):
    from sqlmodel import Session

    from inset.webhooks import queue
    from tests.webhooks.helpers import cost, endpoint

    # given an endpoint of an organisation, then three costs recorded on its project
    monkeypatch.setenv("INSET_WEBHOOK_ALLOW_LOOPBACK", "1")
    lead = world.lead()
    project = world.project(lead)
    endpoint(world, lead, "http://127.0.0.1:9/hooks")
    for n in (1, 2, 3):
        cost(world, lead, project.id, n)

    # when no worker has run, then the three events are owed but not yet queued
    body = await scrape(api)
    assert sample(body, "inset_webhook_backlog", state="unoffered") == 3
    assert sample(body, "inset_webhook_backlog", state="pending") == 0
    assert sample(body, "inset_webhook_oldest_pending_seconds") == 0

    # when a worker queues them (and sends none), then they are pending instead
    with Session(world.engine) as session:
        assert queue.offer_events(session) == 3
        session.commit()
    body = await scrape(api)
    assert sample(body, "inset_webhook_backlog", state="unoffered") == 0
    assert sample(body, "inset_webhook_backlog", state="pending") == 3
    assert sample(body, "inset_webhook_oldest_pending_seconds") >= 0

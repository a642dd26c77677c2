"""Bearer API tokens (DESIGN.md section 6): who they let in, and when they stop.

A token that is not valid, is revoked or has expired, or whose account is closed, is
refused with HTTP 401 and `extensions.code` UNAUTHENTICATED before anything runs: never
treated as anonymous. Revoking takes effect on the next request.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Api, World
from sqlalchemy.engine import Engine

from inset.accounts import service as accounts
from inset.accounts.models import Account, TokenScope
from inset.db import transaction, utcnow
from inset.ids import pk_of
from tests.access.cast import (
    ANONYMOUS,
    LEAD_ORG_LEAD,
    LEAD_ORG_MEMBER,
    MISSING_PK,
    OUTSIDE_LEAD,
    STAFF,
    Cast,
    Who,
    database_state,
    gid,
    label,
)
from tests.access.writing import (
    CREATE_PROJECT,
    DONE,
    FORBIDDEN,
    NOT_FOUND,
    READ,
    READ_WRITE,
    mutation,
    outcome,
)


@pytest.fixture
def cast(world: World) -> Cast:
    return Cast(world)


VIEWER = "{ viewer { id } }"
TOKEN_BY_ID = "query ($id: ID!) { node(id: $id) { id ... on ApiToken { name scope revoked } } }"
CREATE_API_TOKEN = mutation("createApiToken", "CreateApiTokenInput", "secret")
REVOKE_API_TOKEN = mutation("revokeApiToken", "RevokeApiTokenInput", "token { id revoked }")


def issue(cast: Cast, who: Who, scope: TokenScope = READ_WRITE, **options: Any) -> tuple[str, str]:
    """(global id, secret) of a new token for the role's account."""
    actor = cast.actor(who)
    assert actor is not None, "anonymous callers have no tokens"
    with transaction(cast.engine) as session:
        token, secret = accounts.create_api_token(
            session=session, actor=actor, name="integration", scope=scope, **options
        )
        return gid("ApiToken", token), secret


def revoke(cast: Cast, token_id: str) -> None:
    with transaction(cast.engine) as session:
        accounts.revoke_api_token(
            session=session, actor=cast.world.staff, token_id=pk_of(token_id, "ApiToken") or 0
        )


def close_account(cast: Cast) -> None:
    with transaction(cast.engine) as session:
        session.execute(
            sa.update(Account)
            .where(Account.id == cast.owner.account_id)  # type: ignore[arg-type]
            .values(archived_at=utcnow())
        )


def expire(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two days pass: a token made to last one day has expired."""
    later = utcnow() + timedelta(days=2)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)


BAD_TOKENS = ["never issued", "revoked", "expired", "of a closed account"]


@pytest.mark.parametrize("why", BAD_TOKENS, ids=label)
async def test_a_bad_token_is_refused_with_401_and_nothing_runs(
    api: Api, cast: Cast, engine: Engine, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    # given a lead's token that would let them create a project, made unusable
    token_id, secret = issue(cast, LEAD_ORG_LEAD, expires_in_days=1)
    if why == "never issued":
        secret = "inset_" + "x" * 43
    elif why == "revoked":
        revoke(cast, token_id)
    elif why == "expired":
        expire(monkeypatch)
    else:
        close_account(cast)
    new_project = {
        "title": "Family time at weekends",
        "summary": "Contact sessions moved to Saturdays.",
        "innovationType": "PRACTICE",
        "leadOrganisationId": gid("Organisation", cast.lead_org),
    }
    before = database_state(engine)
    # when
    responses = [
        await api.post(VIEWER, token=secret),
        await api.post(CREATE_PROJECT, {"input": new_project}, token=secret),
    ]
    # then
    for response in responses:
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        body = response.json()
        assert "data" not in body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert database_state(engine) == before


@pytest.mark.parametrize("revoked_by", ["the token itself", "staff"], ids=label)
async def test_a_revoked_token_stops_working_on_the_next_request(
    api: Api, cast: Cast, revoked_by: str
) -> None:
    # given a lead's token that works
    token_id, secret = issue(cast, LEAD_ORG_LEAD)
    assert (await api.post(VIEWER, token=secret)).status_code == 200
    revoker = secret if revoked_by == "the token itself" else cast.token(STAFF)
    # when
    revoked = await api.data(REVOKE_API_TOKEN, {"input": {"tokenId": token_id}}, token=revoker)
    after = await api.post(VIEWER, token=secret)
    # then
    assert revoked["result"] == {"made": {"id": token_id, "revoked": True}, "userErrors": []}
    assert after.status_code == 401
    assert after.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# createApiToken: (who, the scope of the token they call with, the scope asked for, answer).
CREATE_TOKEN_RULES = [
    (ANONYMOUS,       None,       READ,       FORBIDDEN),
    (LEAD_ORG_MEMBER, READ_WRITE, READ,       DONE),
    (LEAD_ORG_LEAD,   READ,       READ,       DONE),
    (LEAD_ORG_LEAD,   READ,       READ_WRITE, FORBIDDEN),
    (LEAD_ORG_LEAD,   READ_WRITE, READ_WRITE, DONE),
    (STAFF,           READ_WRITE, READ_WRITE, DONE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "scope", "asked", "expected"),
    [pytest.param(*row, id=label(row[0], row[1], "asks", row[2])) for row in CREATE_TOKEN_RULES],
)
async def test_a_token_is_made_for_the_callers_own_account_and_never_widens_a_read_only_one(
    api: Api,
    cast: Cast,
    engine: Engine,
    who: Who,
    scope: TokenScope | None,
    asked: TokenScope,
    expected: str,
) -> None:
    # given
    caller = issue(cast, who, scope)[1] if scope is not None else None
    before = database_state(engine)
    # when
    made = await api.data(
        CREATE_API_TOKEN, {"input": {"name": "sync", "scope": asked}}, token=caller
    )
    # then
    assert outcome(made["result"]) == expected
    if expected != DONE:
        assert database_state(engine) == before
        return
    new_secret = made["result"]["made"]
    viewer = (await api.data(VIEWER, token=new_secret))["viewer"]
    assert viewer == {"id": gid("Account", cast.account_id(who))}


# revokeApiToken on the lead's token: (who, the scope of the token they call with, answer).
REVOKE_RULES = [
    (ANONYMOUS,       None,       FORBIDDEN),
    (LEAD_ORG_MEMBER, READ_WRITE, NOT_FOUND),  # a colleague's token does not exist for them
    (OUTSIDE_LEAD,    READ_WRITE, NOT_FOUND),
    (LEAD_ORG_LEAD,   READ,       FORBIDDEN),  # their own, but a read-only token
    (LEAD_ORG_LEAD,   READ_WRITE, DONE),
    (STAFF,           READ_WRITE, DONE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "scope", "expected"),
    [pytest.param(*row, id=label(row[0], row[1])) for row in REVOKE_RULES],
)
async def test_a_token_is_revoked_by_its_account_or_by_staff_and_hidden_from_everyone_else(
    api: Api, cast: Cast, engine: Engine, who: Who, scope: TokenScope | None, expected: str
) -> None:
    # given the lead's token
    token_id, secret = issue(cast, LEAD_ORG_LEAD)
    caller = issue(cast, who, scope)[1] if scope is not None else None
    before = database_state(engine)
    # when
    answer = await api.data(REVOKE_API_TOKEN, {"input": {"tokenId": token_id}}, token=caller)
    missing = {"tokenId": gid("ApiToken", MISSING_PK)}
    for_missing = await api.data(REVOKE_API_TOKEN, {"input": missing}, token=caller)
    seen = await api.data(TOKEN_BY_ID, {"id": token_id}, token=caller)
    # then
    assert outcome(answer["result"]) == expected
    shown = expected == DONE or who is LEAD_ORG_LEAD
    assert (seen["node"] is not None) == shown
    if expected == DONE:
        assert (await api.post(VIEWER, token=secret)).status_code == 401
        return
    assert database_state(engine) == before
    assert (await api.post(VIEWER, token=secret)).status_code == 200
    if expected == NOT_FOUND:
        assert answer["result"]["userErrors"] == for_missing["result"]["userErrors"]

"""Signing in to the web client over GraphQL: the cookie, its limits and sign-out."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from inset.accounts.models import SignInAttempt, WebSession
from inset.db import transaction

SIGN_IN = """mutation($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) {
    account { name email } userErrors { field code message } } }"""
SIGN_OUT = "mutation { signOut { signedOut userErrors { code } } }"
VIEWER = "{ viewer { name role } }"
PASSWORD = "correct horse battery staple"


async def test_signing_in_sets_an_httponly_samesite_cookie_that_signs_requests_in(world, api):
    account = world.account(world.org(), password=PASSWORD)

    response = await api.post(SIGN_IN, {"email": account.email, "password": PASSWORD})

    assert response.json()["data"]["signIn"]["account"]["name"] == account.name
    cookie = response.headers["set-cookie"]
    assert "inset_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=43200" in cookie
    viewer = await api.data(VIEWER)
    assert viewer["viewer"]["name"] == account.name


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(world, api):
    account = world.account(world.org(), password=PASSWORD)

    wrong = await api.data(SIGN_IN, {"email": account.email, "password": "not it at all"})
    unknown = await api.data(SIGN_IN, {"email": "nobody@example.org", "password": PASSWORD})

    assert wrong["signIn"]["userErrors"] == unknown["signIn"]["userErrors"]
    assert wrong["signIn"]["userErrors"][0]["message"] == "The email or password is not right."
    assert "set-cookie" not in (await api.post(VIEWER)).headers


async def test_repeated_failures_must_wait_even_with_the_right_password(world, api, engine):
    account = world.account(world.org(), password=PASSWORD)
    for _ in range(5):
        await api.data(SIGN_IN, {"email": account.email, "password": "guess guess guess"})

    blocked = await api.data(SIGN_IN, {"email": account.email, "password": PASSWORD})

    assert blocked["signIn"]["account"] is None
    assert "Try again in" in blocked["signIn"]["userErrors"][0]["message"]
    with transaction(engine) as session:
        # the blocked attempt was not even checked, so it is not counted either
        assert session.scalar(sa.select(sa.func.count()).select_from(SignInAttempt)) == 5


async def test_signing_out_ends_the_session_on_the_server_too(world, api, engine):
    account = world.account(world.org(), password=PASSWORD)
    await api.post(SIGN_IN, {"email": account.email, "password": PASSWORD})
    cookie = api.client.cookies.get("inset_session")

    out = await api.data(SIGN_OUT)

    assert out["signOut"]["signedOut"] is True
    assert (await api.data(VIEWER))["viewer"] is None
    # the old cookie, replayed, no longer signs anyone in
    api.client.cookies.set("inset_session", cookie)
    assert (await api.data(VIEWER))["viewer"] is None
    with transaction(engine) as session:
        assert session.scalars(sa.select(WebSession)).one().revoked_at is not None


async def test_a_forged_cookie_is_anonymous(api):
    api.client.cookies.set("inset_session", "forged.value")

    assert (await api.data(VIEWER))["viewer"] is None


async def test_a_cross_site_request_cannot_use_the_cookie(world, api):
    account = world.account(world.org(), password=PASSWORD)
    await api.post(SIGN_IN, {"email": account.email, "password": PASSWORD})

    response = await api.client.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )

    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_twenty_wrong_passwords_at_once_check_no_more_than_five(world, api, engine):
    # given an account, and twenty wrong guesses for it sent all at once (each request
    # runs in its own worker thread, with its own connection)
    account = world.account(world.org(), password=PASSWORD)
    guesses = [
        api.gql(SIGN_IN, {"email": account.email, "password": f"guess number {n}"})
        for n in range(20)
    ]

    # when
    answers = await asyncio.gather(*guesses)

    # then only five passwords were checked (each check of a wrong one is kept), and the
    # others were told to wait without a check
    with transaction(engine) as session:
        checked = session.scalar(sa.select(sa.func.count()).select_from(SignInAttempt))
    assert checked == 5
    errors = [answer["data"]["signIn"]["userErrors"][0]["message"] for answer in answers]
    assert errors.count("The email or password is not right.") == 5
    assert sum("Try again in" in message for message in errors) == 15

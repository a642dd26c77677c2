"""The session cookie is Secure whenever the browser reached Inset over HTTPS: directly, or
through a trusted proxy that says so in X-Forwarded-Proto (uvicorn's proxy headers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from typing import Any

import httpx
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from inset.app import create_app
from inset.config import Settings

SIGN_IN = """mutation($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) { account { name } } }"""
SIGN_OUT = "mutation { signOut { signedOut } }"
PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.7"  # where the trusted proxy connects from


@asynccontextmanager
async def client(
    engine: Any, db_url: str, base_url: str, *, client_at: str = "127.0.0.1", proxy: bool = False
) -> AsyncIterator[httpx.AsyncClient]:
    app: Any = create_app(Settings(database_url=db_url, secret_key="test-secret-key"), engine)
    if proxy:
        app = ProxyHeadersMiddleware(app, trusted_hosts=[PROXY])
    transport = httpx.ASGITransport(app=app, client=(client_at, 50000))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
        yield http


def session_cookie(response: httpx.Response) -> Any:
    cookies = SimpleCookie(response.headers["set-cookie"])
    return cookies["inset_session"]


async def sign_in(
    http: httpx.AsyncClient, email: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    response = await http.post(
        "/graphql",
        json={"query": SIGN_IN, "variables": {"email": email, "password": PASSWORD}},
        headers=headers or {},
    )
    assert response.json()["data"]["signIn"]["account"] is not None
    return response


async def test_signing_in_over_https_sets_a_secure_cookie(world, engine, db_url):
    account = world.account(world.org(), password=PASSWORD)

    async with client(engine, db_url, "https://inset.test") as http:
        response = await sign_in(http, account.email)
        signed_out = await http.post("/graphql", json={"query": SIGN_OUT})

    assert session_cookie(response)["secure"] is True
    assert session_cookie(response)["httponly"] is True
    assert session_cookie(signed_out)["secure"] is True


async def test_signing_in_over_plain_http_sets_a_cookie_that_is_not_secure(world, engine, db_url):
    # (a browser would not keep a Secure cookie set over http://, e.g. on a laptop's demo)
    account = world.account(world.org(), password=PASSWORD)

    async with client(engine, db_url, "http://inset.test") as http:
        response = await sign_in(http, account.email)

    assert not session_cookie(response)["secure"]


async def test_behind_a_trusted_proxy_that_says_https_the_cookie_is_secure(world, engine, db_url):
    account = world.account(world.org(), password=PASSWORD)

    # the proxy ends TLS and talks plain HTTP to Inset
    async with client(engine, db_url, "http://inset.test", client_at=PROXY, proxy=True) as http:
        response = await sign_in(http, account.email, {"X-Forwarded-Proto": "https"})

    assert session_cookie(response)["secure"] is True


async def test_x_forwarded_proto_from_an_untrusted_client_changes_nothing(world, engine, db_url):
    account = world.account(world.org(), password=PASSWORD)

    async with client(
        engine, db_url, "http://inset.test", client_at="192.0.2.1", proxy=True
    ) as http:
        response = await sign_in(http, account.email, {"X-Forwarded-Proto": "https"})

    assert not session_cookie(response)["secure"]

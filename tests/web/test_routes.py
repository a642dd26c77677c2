"""The web client as the server serves it: its addresses, its files, and nothing from elsewhere."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.engine import Engine

from inset.app import create_app
from inset.config import Settings
from inset.web.routes import NODE_MODULES, STATIC, VENDOR_FILES, graphiql_html

CLIENT_ADDRESSES = [
    "/",
    "/sign-in",
    "/projects",
    "/projects/UHJvamVjdDox",
    "/projects/UHJvamVjdDox/edit",
    "/projects/UHJvamVjdDox/outcomes/T3V0Y29tZTox/observations/new",
    "/portfolio",
    "/library",
    "/lessons/TGVzc29uOjE=",
]
VIEWER = '{"query": "{ viewer { name } }"}'
REMOTE = re.compile(r"""(?:src|href)=["']?(?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//""")


@pytest.fixture
async def client(engine: Engine, db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=db_url, secret_key="test-secret-key"), engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        yield client


@pytest.mark.parametrize("address", CLIENT_ADDRESSES)
async def test_every_address_of_the_client_answers_with_its_page(client, address):
    response = await client.get(address)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/app.js">' in response.text


@pytest.mark.parametrize(
    "address", ["/nowhere", "/projects-old", "/projectsX", "/static/nothing.js", "/lessons/1/more"]
)
async def test_an_address_that_is_not_the_clients_is_not_found(client, address):
    response = await client.get(address)

    assert response.status_code == 404


async def test_graphql_keeps_its_own_answers_beside_the_client(client):
    api = await client.post(
        "/graphql", content=VIEWER, headers={"Content-Type": "application/json"}
    )
    browsing = await client.get("/graphql", headers={"Accept": "text/html"})

    assert api.json()["data"] == {"viewer": None}
    assert "GraphiQL" in browsing.text
    assert "/vendor/graphiql/graphiql.min.js" in browsing.text


async def test_the_page_allows_only_its_own_scripts_and_its_import_map(client):
    response = await client.get("/projects")

    policy = response.headers["content-security-policy"]
    import_map = re.search(r'<script type="importmap">(.*?)</script>', response.text, re.DOTALL)
    assert import_map is not None
    digest = base64.b64encode(hashlib.sha256(import_map.group(1).encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_each_library_file_the_pages_load_is_served_from_the_lock_files_packages(client):
    assert NODE_MODULES.is_dir(), "run scripts/setup (npm ci in inset/web) first"
    for path in sorted(VENDOR_FILES):
        response = await client.get(f"/vendor/{path}")

        assert response.status_code == 200, path
        kind = "text/css" if path.endswith(".css") else "text/javascript"
        assert response.headers["content-type"].startswith(kind), path


@pytest.mark.parametrize(
    "path",
    [
        "preact/package.json",
        "preact/src/index.js",
        "axe-core/axe.min.js",
        "../package.json",
        "preact/dist/../package.json",
    ],
)
async def test_nothing_else_of_node_modules_is_served(client, path):
    response = await client.get(f"/vendor/{path}")

    assert response.status_code == 404


def test_the_client_and_graphiql_load_nothing_from_another_site():
    sources = [graphiql_html()] + [
        file.read_text(encoding="utf-8")
        for file in sorted(STATIC.rglob("*"))
        if file.suffix in {".html", ".js", ".css"}
    ]

    for text in sources:
        assert not REMOTE.search(text), REMOTE.search(text)
    assert not re.search(r"https?://", "\n".join(sources))


def test_graphiqls_own_bundle_fetches_no_fonts_or_code_from_elsewhere():
    css = (NODE_MODULES / "graphiql" / "graphiql.min.css").read_text(encoding="utf-8")
    script = (NODE_MODULES / "graphiql" / "graphiql.min.js").read_text(encoding="utf-8")

    assert not REMOTE.search(css)
    assert "fonts.googleapis" not in css + script
    assert not re.search(r"(unpkg\.com|jsdelivr\.net|cdnjs)", script)

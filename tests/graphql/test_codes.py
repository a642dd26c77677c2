"""The codes of errors outside payloads: one registry, used by every raise site, published
in the schema and explained in the README."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from graphql import GraphQLEnumType

from inset.graphql.codes import CODES, RequestErrorCode
from inset.graphql.schema import build_schema
from tests.conftest import Api, World

ROOT = Path(__file__).resolve().parents[2]
# The functions that build an error from a code they are given.
_TAKES_CODE = {"_HTTPError", "_error_payload", "_format", "graphql_error", "refusal", "_refusal"}


def _readme_codes() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", section, re.MULTILINE))


def test_the_readme_explains_exactly_the_codes_of_the_registry() -> None:
    assert _readme_codes() == {code.value for code in RequestErrorCode}
    assert set(CODES) == set(RequestErrorCode)


def test_the_schema_publishes_every_code_with_its_meaning() -> None:
    enum = build_schema()._schema.type_map["GraphQLErrorCode"]
    assert isinstance(enum, GraphQLEnumType)
    assert set(enum.values) == {code.value for code in RequestErrorCode}
    for name, value in enum.values.items():
        assert "HTTP status" in (value.description or ""), name


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text())) for p in sorted((ROOT / "inset").rglob("*.py"))]


def _literal_codes(tree: ast.Module) -> list[str]:
    """String literals given as an error's code: `{"code": "X"}` or a code argument."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "code"
                    and isinstance(value, ast.Constant)
                ):
                    found.append(str(value.value))
        if isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name in _TAKES_CODE:
                args: list[Any] = [*node.args, *(k.value for k in node.keywords)]
                found += [
                    a.value
                    for a in args
                    if isinstance(a, ast.Constant)
                    and isinstance(a.value, str)
                    and re.fullmatch(r"[A-Z_]{4,}", a.value)
                ]
    return found


def test_every_code_the_service_emits_comes_from_the_registry() -> None:
    literals = {str(p.relative_to(ROOT)): _literal_codes(tree) for p, tree in _sources()}
    assert {path: codes for path, codes in literals.items() if codes} == {}


def test_every_code_of_the_registry_is_emitted_somewhere() -> None:
    used: set[str] = set()
    for path, tree in _sources():
        if path.name == "codes.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("Code", "RequestErrorCode")
            ):
                used.add(node.attr)
    assert used == {code.name for code in RequestErrorCode}


async def test_errors_of_every_layer_carry_a_registered_code(api: Api, world: World) -> None:
    token = world.token(world.member())
    ids = ", ".join(f'"x{n}"' for n in range(101))
    requests = [
        ("{ projects(", None, None, RequestErrorCode.GRAPHQL_PARSE_FAILED),
        ("{ noSuchField }", None, None, RequestErrorCode.GRAPHQL_VALIDATION_FAILED),
        ("{ projects(first: 500) { totalCount } }", None, None, RequestErrorCode.PAGE_SIZE),
        (f"{{ nodes(ids: [{ids}]) {{ id }} }}", None, None, RequestErrorCode.PAGE_SIZE),
        (
            "query Q($n: Int) { projects(first: $n) { totalCount } }",
            {"n": "many"},
            None,
            RequestErrorCode.BAD_USER_INPUT,
        ),
        ("{ viewer { id } }", None, "not-a-token", RequestErrorCode.UNAUTHENTICATED),
        ("{ auditLog { totalCount } }", None, token, RequestErrorCode.FORBIDDEN),
    ]
    for query, variables, bearer, expected in requests:
        body = await api.gql(query, variables, token=bearer)
        codes = [e["extensions"]["code"] for e in body["errors"]]
        assert all(code in RequestErrorCode.__members__ for code in codes), (query, codes)
        if expected is not None:
            assert codes == [expected], (query, body)

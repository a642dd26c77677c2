"""scripts/check_schema_changes.py: a breaking change since the released schema fails the
build until CHANGELOG.md announces it; additions pass; every deprecation names what to use
instead and is in the changelog."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from graphql import build_schema

ROOT = Path(__file__).resolve().parents[1]


def checker() -> ModuleType:
    path = ROOT / "scripts" / "check_schema_changes.py"
    spec = importlib.util.spec_from_file_location("check_schema_changes", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_schema_changes"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


CHECK = checker()

RELEASED = """# Release 2027-01 of the API.
type Query {
  lesson: Lesson
  lessons(first: Int, search: String): [Lesson!]!
}

type Lesson {
  id: ID!
  barriers: [String!]!
  amount: Int!
  stage: Stage!
}

enum Stage { DISCOVER PILOT SCALE }
"""


def changelog(unreleased: str = "", deprecated: str = "") -> str:
    return (
        "# Changelog\n\n## [Unreleased]\n\n"
        + unreleased
        + "\n## [2027-01] - 2027-01-04\n\n### Added\n\n- `Query.lesson`\n"
        + ("\n### Deprecated\n\n" + deprecated if deprecated else "")
    )


def run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    schema: str,
    log: str,
    released: str = RELEASED,
) -> tuple[int, str, str]:
    for name, text in (("schema.graphql", schema), ("released.graphql", released), ("CL.md", log)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    code = CHECK.main(
        [
            f"--schema={tmp_path / 'schema.graphql'}",
            f"--released={tmp_path / 'released.graphql'}",
            f"--changelog={tmp_path / 'CL.md'}",
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_the_repository_passes_its_own_check() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_schema_changes.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "all announced" in result.stdout


def test_the_released_schema_is_named_by_the_changelog() -> None:
    released = (ROOT / "docs" / "api" / "released" / "schema.graphql").read_text()
    log = (ROOT / "CHANGELOG.md").read_text()
    assert CHECK.released_as(released) == CHECK.newest_release(log)
    assert "## [Unreleased]" in log
    build_schema(released)  # still a schema with its header line


# The release that deprecated `Lesson.barriers` in favour of `barrierTags`, and `Stage.PILOT`.
DEPRECATING = RELEASED.replace(
    "  barriers: [String!]!\n",
    '  barriers: [String!]! @deprecated(reason: "Use barrierTags.")\n  barrierTags: [String!]!\n',
).replace("PILOT SCALE", 'PILOT @deprecated(reason: "Use DISCOVER.") SCALE')
WITHOUT_BARRIERS = DEPRECATING.replace(
    '  barriers: [String!]! @deprecated(reason: "Use barrierTags.")\n', ""
).replace('PILOT @deprecated(reason: "Use DISCOVER.") SCALE', "PILOT SCALE")


def test_a_removed_field_fails_until_announced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(tmp_path, capsys, WITHOUT_BARRIERS, changelog(), DEPRECATING)
    assert code == 1
    assert (
        "breaking change not announced: `Lesson.barriers`: Field Lesson.barriers was removed" in err
    )

    announced = changelog("### Breaking\n\n- `Lesson.barriers` removed: use `barrierTags`.\n")
    code, out, err = run(tmp_path, capsys, WITHOUT_BARRIERS, announced, DEPRECATING)
    assert (code, err) == (0, "")
    assert "announced breaking change: `Lesson.barriers`" in out


def test_what_the_release_had_not_deprecated_cannot_be_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = RELEASED.replace("  barriers: [String!]!\n", "").replace(
        "DISCOVER PILOT SCALE", "DISCOVER SCALE"
    )
    log = changelog("### Breaking\n\n- `Lesson.barriers` goes.\n- `Stage.PILOT` goes.\n")
    code, out, err = run(tmp_path, capsys, schema, log)
    assert code == 1
    assert "announced" not in out
    assert "removed without being deprecated first: `Lesson.barriers`" in err
    assert "removed without being deprecated first: `Stage.PILOT`" in err


def test_a_changed_type_fails_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = RELEASED.replace("amount: Int!", "amount: Float!")
    code, _, err = run(tmp_path, capsys, schema, changelog())
    assert code == 1
    assert "`Lesson.amount`: Field Lesson.amount changed type from Int! to Float!" in err

    announced = changelog("### Breaking\n\n- `Lesson.amount` is in pounds, with pence.\n")
    code, out, err = run(tmp_path, capsys, schema, announced)
    assert (code, err) == (0, "")
    assert "announced breaking change: `Lesson.amount`" in out


def test_announcements_count_only_under_unreleased_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = [
        changelog("### Removed\n\n- `Lesson.barriers`\n"),
        changelog("### Breaking\n\n- Lesson.barriers, without backticks\n"),
        # under the released version, which is what the schema already was
        changelog().replace("### Added", "### Breaking\n\n- `Lesson.barriers`\n\n### Added"),
        # another coordinate of the same type is not this one
        changelog("### Breaking\n\n- `Lesson` is reshaped; `Lesson.amount` goes\n"),
    ]
    for log in elsewhere:
        code, _, err = run(tmp_path, capsys, WITHOUT_BARRIERS, log, DEPRECATING)
        assert code == 1, log
        assert "breaking change not announced: `Lesson.barriers`" in err


def test_several_breaking_changes_are_each_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = (
        DEPRECATING.replace('PILOT @deprecated(reason: "Use DISCOVER.") SCALE', "SCALE")
        .replace("lessons(first: Int, search: String)", "lessons(first: Int!, search: String)")
        .replace("amount: Int!", "amount: String!")
    )
    log = changelog(
        "### Breaking\n\n- `Stage.PILOT` is gone: projects pilot as `DISCOVER`.\n"
        "\n### Deprecated\n\n- `Lesson.barriers`\n"
    )
    code, out, err = run(tmp_path, capsys, schema, log, DEPRECATING)
    assert code == 1
    assert "announced breaking change: `Stage.PILOT`" in out
    assert sorted(line.split("`")[1] for line in err.splitlines()) == [
        "Lesson.amount",
        "Query.lessons(first:)",
    ]
    assert all("not announced" in line for line in err.splitlines())


def test_additions_and_a_deprecation_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What other work does between releases: new fields, types and enum values, and a field
    deprecated in favour of a new one."""
    schema = (
        RELEASED.replace(
            "  barriers: [String!]!\n",
            '  barriers: [String!]! @deprecated(reason: "Use barrierTags.")\n'
            "  barrierTags: [BarrierTag!]!\n  version: Int!\n",
        )
        .replace(
            "lessons(first: Int, search: String)",
            "lessons(first: Int, search: String, after: String)",
        )
        .replace("DISCOVER PILOT SCALE", "DISCOVER PILOT SCALE SPREAD")
        + "\nenum BarrierTag { FUNDING STAFFING }\n"
    )
    log = changelog(
        "### Added\n\n- `Lesson.barrierTags`\n\n### Deprecated\n\n"
        "- `Lesson.barriers`: use `Lesson.barrierTags`. Kept until at least 2027-07.\n"
    )
    code, out, err = run(tmp_path, capsys, schema, log)
    assert (code, err) == (0, "")
    assert "warning: dangerous change: Enum value Stage.SPREAD was added." in out
    assert "warning: dangerous change: An optional argument Query.lessons(after:) was added." in out
    assert "0 breaking (all announced), 2 dangerous" in out


def test_a_deprecation_missing_from_the_changelog_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = RELEASED.replace(
        "  barriers: [String!]!\n",
        '  barriers: [String!]! @deprecated(reason: "Use barrierTags.")\n'
        "  barrierTags: [String!]!\n",
    )
    code, _, err = run(tmp_path, capsys, schema, changelog())
    assert code == 1
    assert "`Lesson.barriers` is deprecated but not listed under ### Deprecated" in err


@pytest.mark.parametrize(
    "reason",
    ["", '(reason: "Gone.")', '(reason: "No longer supported")', '(reason: "Use barrier.")'],
)
def test_a_deprecation_must_name_what_to_use_instead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reason: str
) -> None:
    schema = RELEASED.replace(
        "  barriers: [String!]!\n", f"  barriers: [String!]! @deprecated{reason}\n"
    )
    log = changelog("### Deprecated\n\n- `Lesson.barriers`\n")
    code, _, err = run(tmp_path, capsys, schema, log)
    assert code == 1
    assert "`Lesson.barriers` is deprecated with a reason that names nothing to use instead" in err


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "PILOT SCALE",
            'PILOT @deprecated(reason: "Use SCALE with one site.") SCALE',
            "Stage.PILOT",
        ),
        (
            "search: String)",
            'search: String @deprecated(reason: "Use filter.") filter: String)',
            "Query.lessons(search:)",
        ),
        (
            "  amount: Int!\n",
            '  amount: Int! @deprecated(reason: "Use `stage`.")\n',
            "Lesson.amount",
        ),
    ],
)
def test_a_deprecation_naming_a_live_neighbour_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, where: str
) -> None:
    log = changelog(f"### Deprecated\n\n- `{where}`: see its reason.\n")
    code, _, err = run(tmp_path, capsys, RELEASED.replace(old, new), log)
    assert (code, err) == (0, "")


def test_the_repositorys_deprecations_name_a_replacement_and_are_in_the_changelog() -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text())
    log = (ROOT / "CHANGELOG.md").read_text()
    found = CHECK.deprecations(schema)
    coordinates = {d.coordinate for d in found}
    assert {"StageConversion.inProgress", "StageConversion.inProgressCount"} <= coordinates
    for deprecated in found:
        assert CHECK.names_a_replacement(deprecated), deprecated
        assert deprecated.coordinate in CHECK.listed(log, "Deprecated"), deprecated


def test_a_release_named_differently_in_the_two_places_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    released = RELEASED.replace("2027-01", "2027-02")
    code, _, err = run(tmp_path, capsys, released, changelog(), released=released)
    assert code == 1
    assert (
        "the released schema is release 2027-02 but the changelog's newest release is 2027-01"
        in err
    )


def test_a_schema_that_does_not_parse_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(tmp_path, capsys, "type Query {", changelog())
    assert code == 2
    assert "a schema does not build" in err
    code, _, err = run(tmp_path, capsys, "type Query { a: Missing }", changelog())
    assert code == 2
    assert "Missing" in err


# Each kind of breaking change graphql-core reports, and the coordinate a changelog names.
OLD = """
directive @tag(name: String, note: String) repeatable on FIELD_DEFINITION | OBJECT
directive @gone on FIELD
interface Node { id: ID! }
type A implements Node { id: ID! f(x: Int, y: Int): Int n: Int! }
type B { id: ID! }
union U = A | B
enum E { ONE TWO }
input I { a: Int }
scalar S
type Unused { x: Int }
type Query { a: A u: U e: E s: S i(input: I): Int }
"""


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("type Unused { x: Int }\n", "", "Unused"),
        ("scalar S", "enum S { X }", "S"),
        ("union U = A | B", "union U = A", "U"),
        ("enum E { ONE TWO }", "enum E { ONE }", "E.TWO"),
        ("input I { a: Int }", "input I { a: Int b: Int! }", "I.b"),
        ("type A implements Node {", "type A {", "A"),
        (" n: Int! }", " }", "A.n"),
        (" n: Int! }", " n: Int }", "A.n"),
        ("f(x: Int, y: Int)", "f(x: Int, y: Int, z: Int!)", "A.f(z:)"),
        ("f(x: Int, y: Int)", "f(x: Int)", "A.f(y:)"),
        ("f(x: Int, y: Int)", "f(x: String, y: Int)", "A.f(x:)"),
        ("directive @gone on FIELD\n", "", "@gone"),
        ("@tag(name: String, note: String)", "@tag(name: String)", "@tag(note:)"),
        (
            "@tag(name: String, note: String)",
            "@tag(name: String, note: String, w: Int!)",
            "@tag(w:)",
        ),
        ("@tag(name: String, note: String)", "@tag(name: Int, note: String)", "@tag(name:)"),
        (" repeatable on", " on", "@tag"),
        ("FIELD_DEFINITION | OBJECT", "FIELD_DEFINITION", "@tag"),
    ],
)
def test_every_kind_of_breaking_change_is_placed(old: str, new: str, where: str) -> None:
    assert old in OLD
    released, schema = build_schema(OLD), build_schema(OLD.replace(old, new, 1))
    changes = CHECK.find_schema_changes(released, schema)
    breaking = [c for c in changes if isinstance(c.type, CHECK.BreakingChangeType)]
    assert breaking, (old, new)
    assert {CHECK.coordinate(c) for c in breaking} == {where}, breaking

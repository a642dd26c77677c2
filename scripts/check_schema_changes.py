"""Checks schema.graphql against the last released schema and the API's changelog.

    .venv/bin/python scripts/check_schema_changes.py [--schema FILE] [--released FILE]
                                                     [--changelog FILE]

Fails (exit 1), naming each problem, when
  - a breaking change since the release (graphql-core's schema comparison: a type, field,
    argument or enum value removed, a type changed, a required argument or input field
    added...) is not announced in CHANGELOG.md: a line under `## [Unreleased]`,
    `### Breaking` naming its schema coordinate in backticks (`Lesson.barriers`,
    `Query.projects(filter:)`, `Stage.PILOT`, `@oneOf`);
  - a field, argument or enum value is removed that the release had not deprecated;
  - something is deprecated without a reason that names what to use instead (another field,
    argument or value of the same type), or is missing from every `### Deprecated` list of
    CHANGELOG.md;
  - the released schema's first line names another release than the changelog's newest.
Dangerous changes (an enum value or union member added, an optional argument added, a
default changed) are printed as warnings: they break only clients that assumed a closed set.
Exit 2 when a file is missing or does not parse.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

# find_breaking_changes and find_dangerous_changes are filters over find_schema_changes,
# which graphql-core 3.3 recommends calling directly.
from graphql.utilities.find_schema_changes import (
    BreakingChange,
    BreakingChangeType,
    DangerousChangeType,
    find_schema_changes,
)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema.graphql"
RELEASED = ROOT / "docs" / "api" / "released" / "schema.graphql"
CHANGELOG = ROOT / "CHANGELOG.md"

_NAME = r"[_A-Za-z][_0-9A-Za-z]*"
# A schema coordinate: Type, Type.field, Type.field(arg:), @directive, @directive(arg:).
COORDINATE = rf"(?:@{_NAME}(?:\({_NAME}:\))?|{_NAME}(?:\.{_NAME}(?:\({_NAME}:\))?)?)"
_BACKTICKED = re.compile(rf"`({COORDINATE})`")

# How graphql-core describes each breaking change, with the coordinate the change is about.
# A description that matches none fails the check rather than passing unseen.
_C = rf"({COORDINATE})"
_DESCRIPTIONS: dict[BreakingChangeType, list[str]] = {
    BreakingChangeType.TYPE_REMOVED: [
        rf"Standard scalar ({_NAME}) was removed because it is not referenced anymore\.",
        rf"({_NAME}) was removed\.",
    ],
    BreakingChangeType.TYPE_CHANGED_KIND: [rf"({_NAME}) changed from .+ to .+\."],
    BreakingChangeType.TYPE_REMOVED_FROM_UNION: [
        rf"{_NAME} was removed from union type ({_NAME})\."
    ],
    BreakingChangeType.VALUE_REMOVED_FROM_ENUM: [rf"Enum value {_C} was removed\."],
    BreakingChangeType.REQUIRED_INPUT_FIELD_ADDED: [rf"A required field {_C} was added\."],
    BreakingChangeType.IMPLEMENTED_INTERFACE_REMOVED: [
        rf"({_NAME}) no longer implements interface {_NAME}\."
    ],
    BreakingChangeType.FIELD_REMOVED: [rf"Field {_C} was removed\."],
    BreakingChangeType.FIELD_CHANGED_KIND: [rf"Field {_C} changed type from .+ to .+\."],
    BreakingChangeType.REQUIRED_ARG_ADDED: [rf"A required argument {_C} was added\."],
    BreakingChangeType.ARG_REMOVED: [rf"Argument {_C} was removed\."],
    BreakingChangeType.ARG_CHANGED_KIND: [rf"Argument {_C} has changed type from .+ to .+\."],
    BreakingChangeType.DIRECTIVE_REMOVED: [rf"Directive (@{_NAME}) was removed\."],
    BreakingChangeType.DIRECTIVE_ARG_REMOVED: [rf"Argument {_C} was removed\."],
    BreakingChangeType.REQUIRED_DIRECTIVE_ARG_ADDED: [rf"A required argument {_C} was added\."],
    BreakingChangeType.DIRECTIVE_REPEATABLE_REMOVED: [
        rf"Repeatable flag was removed from (@{_NAME})\."
    ],
    BreakingChangeType.DIRECTIVE_LOCATION_REMOVED: [rf"{_NAME} was removed from (@{_NAME})\."],
}


# What can be deprecated, so must be before it goes. (Types cannot be: they go with the last
# field that returns them.)
_REMOVALS = {
    BreakingChangeType.FIELD_REMOVED,
    BreakingChangeType.ARG_REMOVED,
    BreakingChangeType.VALUE_REMOVED_FROM_ENUM,
}


def coordinate(change: BreakingChange) -> str | None:
    """The schema coordinate a breaking change is about, as a changelog names it."""
    for pattern in _DESCRIPTIONS.get(change.type, []):
        match = re.fullmatch(pattern, change.description)
        if match:
            return match.group(1)
    return None


def _sections(changelog: str) -> list[tuple[str, str, list[str]]]:
    """(version, subsection, lines) for every `## version` / `### subsection` of the text."""
    found: list[tuple[str, str, list[str]]] = []
    version = subsection = ""
    for line in changelog.splitlines():
        if match := re.match(r"## +\[?([^\]\s]+)\]?", line):
            version, subsection = match.group(1), ""
        elif match := re.match(r"### +(.+?)\s*$", line):
            subsection = match.group(1)
            found.append((version, subsection, []))
        elif version and subsection:
            found[-1][2].append(line)
    return found


def listed(changelog: str, subsection: str, version: str | None = None) -> set[str]:
    """Coordinates in backticks under `### subsection`, of `version` or of any version."""
    return {
        name
        for v, s, lines in _sections(changelog)
        if s.lower() == subsection.lower() and (version is None or v.lower() == version.lower())
        for line in lines
        for name in _BACKTICKED.findall(line)
    }


def newest_release(changelog: str) -> str | None:
    for match in re.finditer(r"^## +\[?([^\]\s]+)\]?", changelog, re.MULTILINE):
        if match.group(1).lower() != "unreleased":
            return match.group(1)
    return None


def released_as(released: str) -> str | None:
    match = re.match(r"# Release (\S+)", released)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Deprecated:
    coordinate: str
    reason: str
    # What the reason may name as the replacement: the live names beside it.
    alternatives: frozenset[str]


def deprecations(schema: GraphQLSchema) -> list[Deprecated]:
    found: list[Deprecated] = []
    for type_name, named in sorted(schema.type_map.items()):
        if type_name.startswith("__"):
            continue
        if isinstance(named, GraphQLEnumType):
            live = frozenset(n for n, v in named.values.items() if not v.deprecation_reason)
            for value_name, value in named.values.items():
                if value.deprecation_reason:
                    found.append(
                        Deprecated(f"{type_name}.{value_name}", value.deprecation_reason, live)
                    )
        elif isinstance(named, GraphQLInputObjectType):
            live = frozenset(n for n, f in named.fields.items() if not f.deprecation_reason)
            for field_name, input_field in named.fields.items():
                if input_field.deprecation_reason:
                    found.append(
                        Deprecated(
                            f"{type_name}.{field_name}", input_field.deprecation_reason, live
                        )
                    )
        elif isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            live = frozenset(n for n, f in named.fields.items() if not f.deprecation_reason)
            for field_name, output_field in named.fields.items():
                if output_field.deprecation_reason:
                    found.append(
                        Deprecated(
                            f"{type_name}.{field_name}", output_field.deprecation_reason, live
                        )
                    )
                live_args = frozenset(
                    n for n, a in output_field.args.items() if not a.deprecation_reason
                )
                for arg_name, arg in output_field.args.items():
                    if arg.deprecation_reason:
                        found.append(
                            Deprecated(
                                f"{type_name}.{field_name}({arg_name}:)",
                                arg.deprecation_reason,
                                live_args | live,
                            )
                        )
    return found


def names_a_replacement(deprecated: Deprecated) -> bool:
    return any(
        re.search(rf"(?<![_0-9A-Za-z]){re.escape(name)}(?![_0-9A-Za-z])", deprecated.reason)
        for name in deprecated.alternatives
    )


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    announced: list[str] = field(default_factory=list)


def check(schema_sdl: str, released_sdl: str, changelog: str) -> Report:
    """Raises GraphQLError when either schema does not parse or build."""
    report = Report()
    schema = build_schema(schema_sdl)
    released = build_schema(released_sdl)

    release, named = newest_release(changelog), released_as(released_sdl)
    if release != named:
        report.problems.append(
            f"the released schema is release {named or '(unnamed)'} but the changelog's newest "
            f"release is {release or '(none)'}: a release copies schema.graphql to the released "
            "schema (first line `# Release <version> ...`) and names it in CHANGELOG.md, together"
        )

    breaking = listed(changelog, "Breaking", "Unreleased")
    deprecated_in_release = {d.coordinate for d in deprecations(released)}
    for change in find_schema_changes(released, schema):
        if isinstance(change.type, DangerousChangeType):
            report.warnings.append(f"dangerous change: {change.description}")
        elif isinstance(change.type, BreakingChangeType):
            where = coordinate(change)
            if where is None:
                report.problems.append(
                    f"breaking change the check cannot place: {change.description}"
                )
            elif change.type in _REMOVALS and where not in deprecated_in_release:
                report.problems.append(
                    f"removed without being deprecated first: `{where}`: {change.description} "
                    "(a field, argument or enum value is deprecated in a release, with what to "
                    "use instead, before a later release removes it)"
                )
            elif where in breaking:
                report.announced.append(f"`{where}`: {change.description}")
            else:
                report.problems.append(
                    f"breaking change not announced: `{where}`: {change.description} "
                    f"(add a line naming `{where}` under ## [Unreleased], ### Breaking)"
                )

    in_changelog = listed(changelog, "Deprecated")
    for deprecated in deprecations(schema):
        if not names_a_replacement(deprecated):
            report.problems.append(
                f"`{deprecated.coordinate}` is deprecated with a reason that names nothing to "
                f'use instead: "{deprecated.reason}"'
            )
        if deprecated.coordinate not in in_changelog:
            report.problems.append(
                f"`{deprecated.coordinate}` is deprecated but not listed under ### Deprecated "
                "in CHANGELOG.md"
            )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--schema", type=Path, default=SCHEMA)
    parser.add_argument("--released", type=Path, default=RELEASED)
    parser.add_argument("--changelog", type=Path, default=CHANGELOG)
    args = parser.parse_args(argv)
    try:
        texts = [
            p.read_text(encoding="utf-8") for p in (args.schema, args.released, args.changelog)
        ]
    except OSError as error:
        print(f"cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        report = check(*texts)
    except (GraphQLError, TypeError) as error:
        print(f"a schema does not build: {error}", file=sys.stderr)
        return 2
    for line in report.announced:
        print(f"announced breaking change: {line}")
    for line in report.warnings:
        print(f"warning: {line}")
    for line in report.problems:
        print(line, file=sys.stderr)
    if report.problems:
        return 1
    print(
        f"schema changes since the release: {len(report.announced)} breaking (all announced), "
        f"{len(report.warnings)} dangerous"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

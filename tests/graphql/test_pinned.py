"""strawberry and graphql-core are pinned to the minor versions Inset was tested against.

Inset reads a few of their private parts (inset.graphql.pinned says which), so a new minor
version may break it without a word. These tests fail, saying what to do, whenever the
installed versions or the pins in pyproject.toml drift from the tested ones.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from inset.graphql.pinned import TESTED_MINOR

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _pins() -> dict[str, Requirement]:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    requirements = [Requirement(each) for each in dependencies]
    return {r.name: r for r in requirements if r.name in TESTED_MINOR}


def _minor(text: str) -> str:
    release = Version(text).release
    return f"{release[0]}.{release[1]}"


@pytest.mark.parametrize("distribution", sorted(TESTED_MINOR))
def test_installed_version_is_the_tested_minor(distribution: str) -> None:
    installed = version(distribution)
    tested = TESTED_MINOR[distribution]
    assert _minor(installed) == tested, (
        f"{distribution} {installed} is installed, but Inset is tested against {tested}.x: "
        f"it uses private parts of it (inset.graphql.pinned). Install {tested}.x, or upgrade "
        "deliberately: run the GraphQL tests on the new version, then move the pin in "
        "pyproject.toml and TESTED_MINOR together."
    )


@pytest.mark.parametrize("distribution", sorted(TESTED_MINOR))
def test_pyproject_admits_only_the_tested_minor(distribution: str) -> None:
    pins = _pins()
    assert distribution in pins, f"pyproject.toml does not list {distribution}"
    specifier = pins[distribution].specifier
    tested = Version(TESTED_MINOR[distribution])
    major, minor = tested.release[:2]
    assert specifier.contains(version(distribution)), (
        f"pyproject.toml's {specifier} does not admit the installed {distribution}"
    )
    for outside in (f"{major}.{minor + 1}.0", f"{major}.{minor - 1}.999", f"{major + 1}.0.0"):
        assert not specifier.contains(outside), (
            f"pyproject.toml's {distribution}{specifier} admits {outside}, outside the "
            f"tested {tested}.x: pin it to that minor version"
        )

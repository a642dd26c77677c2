"""What a wheel carries of the browser libraries; the build refuses what the lock does not pin."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inset.web.libraries import (
    LOCK_FILE,
    NODE_MODULES,
    VENDOR_FILES,
    LibraryError,
    copy_libraries,
    library_sources,
    locked_packages,
    package_of,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def node_modules(tmp_path: Path) -> Path:
    """A copy of what the build takes from node_modules, to spoil."""
    assert NODE_MODULES.is_dir(), "run scripts/setup (npm ci in inset/web) first"
    copy = tmp_path / "node_modules"
    for source in library_sources(NODE_MODULES):
        target = copy / source.relative_to(NODE_MODULES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return copy


def test_the_lock_pins_every_package_the_pages_load():
    lock = json.loads(LOCK_FILE.read_text())["packages"]

    assert set(locked_packages()) == {"graphiql", "htm", "preact", "react", "react-dom"}
    for name, pinned in locked_packages().items():
        assert pinned["version"] == lock[f"node_modules/{name}"]["version"]
        assert pinned["integrity"].startswith("sha512-")


def test_node_modules_holds_the_lock_s_version_of_each_package():
    for name, pinned in locked_packages().items():
        installed = json.loads((NODE_MODULES / name / "package.json").read_text())
        assert installed["version"] == pinned["version"], name


def test_the_copy_holds_the_files_their_licences_and_a_manifest_of_what_they_are(
    node_modules, tmp_path
):
    target = tmp_path / "vendor"

    copy_libraries(target, node_modules)

    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["packages"] == locked_packages()
    for path in VENDOR_FILES:
        content = (target / path).read_bytes()
        assert content == (NODE_MODULES / path).read_bytes()
        assert manifest["files"][path] == hashlib.sha256(content).hexdigest()
    for name in {package_of(path) for path in VENDOR_FILES}:
        assert (target / name / "LICENSE").read_text().strip()


def test_a_package_at_another_version_than_the_lock_s_is_refused(node_modules, tmp_path):
    manifest = node_modules / "preact" / "package.json"
    data = json.loads(manifest.read_text())
    data["version"] = "10.0.0"
    manifest.write_text(json.dumps(data))

    pinned = re.escape(locked_packages()["preact"]["version"])
    with pytest.raises(LibraryError, match=rf"holds preact 10\.0\.0, but the lock pins {pinned}:"):
        copy_libraries(tmp_path / "vendor", node_modules)
    assert not (tmp_path / "vendor").exists()


def test_a_missing_file_is_refused_naming_it(node_modules, tmp_path):
    (node_modules / "htm" / "dist" / "htm.mjs").unlink()

    with pytest.raises(LibraryError, match=r"htm/dist/htm\.mjs is missing: run `npm ci`"):
        copy_libraries(tmp_path / "vendor", node_modules)


def test_building_without_node_modules_fails_saying_what_to_run(tmp_path):
    # given a copy of the project without node_modules, as a checkout before `npm ci`
    source = tmp_path / "inset-source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            "node_modules", ".venv", ".git", "artifacts", "build", "*.egg-info", "__pycache__"
        ),
    )

    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode != 0
    assert "the web client's libraries: the browser library graphiql is missing" in (
        result.stdout + result.stderr
    )
    assert "run `npm ci` in" in result.stdout + result.stderr
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").glob("*.whl"))

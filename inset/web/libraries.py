"""The browser libraries the web client loads, and how a wheel comes to carry them.

They are npm packages pinned, with their integrity hashes, by inset/web/package-lock.json.
In a source checkout they are served from inset/web/node_modules, which `npm ci` fills
(scripts/setup runs it; npm checks every package against the lock's integrity hash). When
a wheel is built, `copy_libraries` copies the files the pages load, with each package's
licence and package.json, into the package's own `vendor/` folder, after checking that
node_modules holds exactly the lock's version of each package; the wheel then serves
those files and needs neither npm nor node_modules.

This module imports nothing outside the standard library: the build (setup.py) runs it
before any dependency is installed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

WEB = Path(__file__).resolve().parent
NODE_MODULES = WEB / "node_modules"
VENDOR = WEB / "vendor"  # only in an installed wheel
LOCK_FILE = WEB / "package-lock.json"
MANIFEST = "manifest.json"  # in vendor/: each package's version and integrity, each file's hash

# Each file the pages load from npm packages, as /vendor/<path> (path inside node_modules).
VENDOR_FILES = frozenset(
    {
        "preact/dist/preact.mjs",
        "preact/hooks/dist/hooks.mjs",
        "htm/dist/htm.mjs",
        "react/umd/react.production.min.js",
        "react-dom/umd/react-dom.production.min.js",
        "graphiql/graphiql.min.js",
        "graphiql/graphiql.min.css",
    }
)
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license")


class LibraryError(Exception):
    """node_modules does not hold what the lock file pins; the message says how to fix it."""


def package_of(path: str) -> str:
    """The npm package a vendor path belongs to: "preact/hooks/dist/hooks.mjs" -> "preact"."""
    parts = path.split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]


def locked_packages(lock_file: Path = LOCK_FILE) -> dict[str, dict[str, str]]:
    """The lock's version, integrity and licence of each package the pages load."""
    entries = json.loads(lock_file.read_text(encoding="utf-8"))["packages"]
    locked: dict[str, dict[str, str]] = {}
    for name in sorted({package_of(path) for path in VENDOR_FILES}):
        entry = entries.get(f"node_modules/{name}")
        if entry is None:
            raise LibraryError(f"{lock_file} does not pin {name}, which the web client loads")
        locked[name] = {key: entry[key] for key in ("version", "integrity", "license")}
    return locked


def check_node_modules(
    node_modules: Path = NODE_MODULES, lock_file: Path = LOCK_FILE
) -> dict[str, dict[str, str]]:
    """The locked packages, once node_modules is seen to hold each at the lock's version
    with every file the pages load; raises LibraryError naming the first that does not."""
    fix = f"run `npm ci` in {lock_file.parent} (scripts/setup does)"
    locked = locked_packages(lock_file)
    for name, pinned in locked.items():
        manifest = node_modules / name / "package.json"
        if not manifest.is_file():
            raise LibraryError(f"the browser library {name} is missing from {node_modules}: {fix}")
        installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        if installed != pinned["version"]:
            raise LibraryError(
                f"{node_modules} holds {name} {installed}, but the lock pins "
                f"{pinned['version']}: {fix}"
            )
    for path in sorted(VENDOR_FILES):
        if not (node_modules / path).is_file():
            raise LibraryError(f"{node_modules / path} is missing: {fix}")
    return locked


def copy_libraries(
    target: Path, node_modules: Path = NODE_MODULES, lock_file: Path = LOCK_FILE
) -> None:
    """Fills `target` (a package's vendor/ folder) with the files the pages load, each
    package's licence and package.json, and a manifest of versions, integrity and hashes."""
    locked = check_node_modules(node_modules, lock_file)
    if target.exists():
        shutil.rmtree(target)
    hashes: dict[str, str] = {}
    for path in sorted(VENDOR_FILES):
        _copy(node_modules / path, target / path)
        hashes[path] = hashlib.sha256((node_modules / path).read_bytes()).hexdigest()
    for name in locked:
        _copy(node_modules / name / "package.json", target / name / "package.json")
        licences = [n for n in LICENCE_NAMES if (node_modules / name / n).is_file()]
        if not licences:
            raise LibraryError(f"{name} in {node_modules} has no licence file to ship with it")
        _copy(node_modules / name / licences[0], target / name / licences[0])
    manifest = {"packages": locked, "files": hashes}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)


def library_sources(node_modules: Path = NODE_MODULES) -> list[Path]:
    """What a source distribution must carry from node_modules to build a wheel from it."""
    names = sorted({package_of(path) for path in VENDOR_FILES})
    files = [node_modules / path for path in sorted(VENDOR_FILES)]
    for name in names:
        files.append(node_modules / name / "package.json")
        files += [
            node_modules / name / n for n in LICENCE_NAMES if (node_modules / name / n).is_file()
        ]
    return files

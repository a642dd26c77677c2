"""Build hooks, so that a wheel carries everything `inset serve` serves.

- The web client's browser libraries: the files the pages load, copied from
  inset/web/node_modules (filled by `npm ci` from inset/web/package-lock.json) into
  inset/web/vendor/ with their licences, after checking that each package is the lock's
  version (inset/web/libraries.py). The build fails, saying so, when they are missing.
- The demo portfolio: the repository's seeds/ folder, copied into inset/seeds/.

An editable install (`pip install -e`, as scripts/setup does) copies nothing: it serves
node_modules and seeds/ from the checkout. A source distribution carries node_modules'
files the wheel needs, so a wheel can be built from it without npm.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
WEB = ROOT / "inset" / "web"
libraries: dict[str, Any] = runpy.run_path(str(WEB / "libraries.py"))


def seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.json"))
    if not files:
        raise SystemExit(f"error: no demo seeds in {SEEDS}: the wheel would not carry them")
    return files


class BuildWithWebLibraries(build_py):
    """build_py, then the browser libraries and the demo seeds into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "inset"
        try:
            libraries["copy_libraries"](
                package / "web" / "vendor", WEB / "node_modules", WEB / "package-lock.json"
            )
        except libraries["LibraryError"] as error:
            raise SystemExit(f"error: the web client's libraries: {error}") from None
        seeds = package / "seeds"
        if seeds.exists():
            shutil.rmtree(seeds)
        seeds.mkdir(parents=True)
        for file in seed_files():
            shutil.copyfile(file, seeds / file.name)


class SourceWithWebLibraries(sdist):
    """sdist, plus the seeds, the lock file and the files a wheel needs from node_modules."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        try:
            libraries["check_node_modules"](WEB / "node_modules", WEB / "package-lock.json")
        except libraries["LibraryError"] as error:
            raise SystemExit(f"error: the web client's libraries: {error}") from None
        extra = [
            *seed_files(),
            WEB / "package.json",
            WEB / "package-lock.json",
            *libraries["library_sources"](WEB / "node_modules"),
        ]
        for source in extra:
            destination = Path(base_dir) / source.relative_to(ROOT)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


setup(cmdclass={"build_py": BuildWithWebLibraries, "sdist": SourceWithWebLibraries})

"""Inset's performance figures, each against a floor measured in the same run.

    scripts/bench [--projects 100000] [--quick] [--reuse] [--databases sqlite,postgresql]

For each database (a SQLite file; PostgreSQL at INSET_BENCH_POSTGRES, default
postgresql://postgres@127.0.0.1:5432/test, in the benchmark's own databases only, see
scripts/bench_data.py) it generates a portfolio with `inset generate` (or reuses one with
--reuse), starts the real service with uvicorn in a subprocess on 127.0.0.1, with the
floors' routes beside it (scripts/bench_server.py), checks that each query and its floor
return the same data, then prints one JSON line per figure:

    {"figure", "database", "value", "floor", "ratio", "target", "meets", "unit", ...}

- generate: seconds `inset generate --projects N` took (target on SQLite: under 180 s);
- page_statements: SQL statements for a page of 100 projects (and 10, in "detail");
- page_latency_ms / page_throughput: a page of 100 projects with organisation, partners,
  themes, evidence level and economics, median latency and requests per second, against
  the same data by hand-written SQL from a bare Starlette route (throughput >= 25%);
- page_scale: the page's median latency on this portfolio over one of --small projects;
- portfolio: median latency of `portfolio` (every figure, as STAFF) over the same
  aggregates by hand-written SQL (<= 1.5);
- search / search_public: `lessons(search:)` as STAFF (the same rows as the floor) and as
  an anonymous reader, over the raw full-text query (<= 1.5);
- memory_mb: the server's resident set after all of that (< 250 MB);
- workers (PostgreSQL): requests per second of 16 concurrent clients on the page against
  `uvicorn --workers 2` over `--workers 1`.

The targets of generate, page_scale, portfolio and search are set for 100,000 projects; a
smaller run (--quick) reports those figures with "meets": null.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_data
from bench_figures import Run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 projects, short loops")
    parser.add_argument("--small", type=int, default=1_000, help="the page_scale comparison")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the databases")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "inset-bench",
        help="where --reuse keeps the SQLite files",
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("INSET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    projects = 2_000 if args.quick and args.projects == 100_000 else args.projects
    loops = (
        {"rounds": 3, "requests": 20, "seconds": 3.0, "concurrent_seconds": 5.0}
        if args.quick
        else {"rounds": 5, "requests": 60, "seconds": 8.0, "concurrent_seconds": 15.0}
    )
    for database in args.databases.split(","):
        if database == "sqlite":
            _sqlite(args, projects, loops)
        elif database == "postgresql":
            _postgresql(args, projects, loops)
        else:
            raise SystemExit(f"unknown database {database!r}: sqlite or postgresql")


def _sqlite(args: argparse.Namespace, projects: int, loops: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.data_dir if args.reuse else Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        _log(f"sqlite: preparing {projects:,} projects in {folder}")
        big = bench_data.prepare_sqlite(
            folder, projects=projects, seed=args.seed, lessons=2 * projects, reuse=args.reuse
        )
        small = bench_data.prepare_sqlite(
            folder, projects=args.small, seed=args.seed, lessons=None, reuse=args.reuse
        )
        Run("sqlite", big, small, loops, _port).all(workers=False)


def _postgresql(args: argparse.Namespace, projects: int, loops: dict[str, Any]) -> None:
    try:
        _log(f"postgresql: preparing {projects:,} projects")
        big = bench_data.prepare_postgresql(
            args.postgres,
            "big",
            projects=projects,
            seed=args.seed,
            lessons=2 * projects,
            reuse=args.reuse,
        )
        small = bench_data.prepare_postgresql(
            args.postgres,
            "small",
            projects=args.small,
            seed=args.seed,
            lessons=None,
            reuse=args.reuse,
        )
        Run("postgresql", big, small, loops, _port).all(workers=True)
    finally:
        if not args.reuse:
            bench_data.drop_postgresql(args.postgres)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    try:
        main()
    except httpx.HTTPError as error:
        raise SystemExit(f"a request failed: {error}") from None

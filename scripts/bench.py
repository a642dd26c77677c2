"""Inset's performance figures, each against a floor measured in the same run.

    scripts/bench [--projects 100000] [--quick] [--reuse] [--databases sqlite,postgresql]
                  [--postgres-name inset_bench]

For each database (a SQLite file; PostgreSQL at INSET_BENCH_POSTGRES, default
postgresql://postgres@127.0.0.1:5432/test, in the benchmark's own databases only, see
scripts/bench_data.py) it generates a portfolio with `inset generate` (or reuses one with
--reuse), starts the real service with uvicorn in a subprocess on 127.0.0.1, with the
floors' routes beside it (scripts/bench_server.py), checks that each query and its floor
return the same data, then prints one JSON line per figure:

    {"figure", "database", "value", "floor", "ratio", "target", "meets", "unit", ...}

- generate: seconds `inset generate --projects N` took (target on SQLite: under 180 s);
- page_statements: SQL statements for a page of 100 projects (and 10, in "detail");
- the reads, each against its strict floor (scripts/bench_strict.py: ONE statement that
  builds the whole JSON response in the database, its text returned as the body by a bare
  Starlette route in the same server), with the same visibility rule as the viewer:
  page_100 (a page of 100 projects with lead organisation, partners, themes, evidence
  level), page_100_economics (the same with economics, against a floor that joins the
  figures stored on write), page_100_economics_from_lines (the same, against a floor that
  works the figures out from the lines in the statement), page_20, project_by_id (`node`,
  ten public projects in turn), organisations (10, each with 10 of its projects) as an
  anonymous reader; search (`lessons(search:)`, STAFF) and search_public (anonymous).
  "value" and "floor" are requests per second of 16 concurrent clients; "latency_ms" the
  median and p99 of one client, one request at a time, and "one_client" its requests per
  second; "statements" the SQL statements the API ran for the request. Before them, the
  economics floor is checked against the API over the first 1,000 projects. Targets: at 16
  clients at least 50% of the floor for page_100 and project_by_id (and a median within
  1.5 ms of the floor's), 40% for page_100_economics;
- page_scale: the page with economics, median latency on this portfolio over one of
  --small projects;
- portfolio: median latency of `portfolio` (every figure, as STAFF) over the same
  aggregates by several hand-written statements (<= 1.5);
- memory_mb: the server's resident set at its largest after the API's turns at 16
  clients (< 150 MB), and after the floors' too, in "detail";
- workers: requests per second of 16 concurrent clients on page_100 against
  `uvicorn --workers 2` over `--workers 1`.

The targets are set for 100,000 projects and one worker; a smaller run (--quick) reports
them with "meets": null.
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
    parser.add_argument(
        "--postgres-name",
        default=bench_data.POSTGRES_NAME,
        help="the benchmark's PostgreSQL databases: NAME and NAME_small",
    )
    args = parser.parse_args()
    projects = 2_000 if args.quick and args.projects == 100_000 else args.projects
    loops = (
        {"rounds": 3, "requests": 15, "seconds": 2.0, "concurrent_seconds": 2.0}
        if args.quick
        else {"rounds": 5, "requests": 60, "seconds": 8.0, "concurrent_seconds": 10.0}
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
        Run("sqlite", big, small, loops, _port).all()


def _postgresql(args: argparse.Namespace, projects: int, loops: dict[str, Any]) -> None:
    names = bench_data.postgres_names(args.postgres_name)
    try:
        _log(f"postgresql: preparing {projects:,} projects")
        big = bench_data.prepare_postgresql(
            args.postgres,
            names["big"],
            projects=projects,
            seed=args.seed,
            lessons=2 * projects,
            reuse=args.reuse,
        )
        small = bench_data.prepare_postgresql(
            args.postgres,
            names["small"],
            projects=args.small,
            seed=args.seed,
            lessons=None,
            reuse=args.reuse,
        )
        Run("postgresql", big, small, loops, _port).all()
    finally:
        if not args.reuse:
            bench_data.drop_postgresql(args.postgres, args.postgres_name)


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

"""The `inset` command line (DESIGN.md section 9).

Each command prints its result on stdout (an id or secret alone on the last line) and,
when it fails, one line on stderr and a non-zero exit; the database is left as it was.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from inset.config import ConfigError, Settings

Handler = Callable[[argparse.Namespace, Settings], int]


# Seconds that requests in flight get to finish after SIGTERM, before they are cancelled.
GRACEFUL_SECONDS = 20


class CommandError(Exception):
    """A failure to report in one line."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1, not {text!r}")
    return value


def _engine(settings: Settings) -> Any:
    from inset.db import create_db_engine

    return create_db_engine(settings.database_url)


def _require_head(settings: Settings) -> None:
    from inset.migrate import current_revision, head_revision

    current = current_revision(settings.database_url)
    if current != head_revision(settings.database_url):
        raise CommandError(
            f"the database is at revision {current}, not the latest; run `inset db upgrade`"
        )


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if args.demo:
        from inset.demo import prepare_demo

        summary = prepare_demo(settings.database_url, _seeds(args.seeds))
        if summary is None:
            print("the database already has data: demo seeds not loaded")
        else:
            print(f"loaded the demo portfolio: {summary}")
    else:
        _require_head(settings)
    _use_basis(settings)
    worker = None
    if not args.no_worker:
        from inset.webhooks.worker import start_in_process

        # One delivering thread in the serving (or supervising) process, whatever --workers.
        worker = start_in_process(settings.database_url)
    workers = f", {args.workers} workers" if args.workers > 1 else ""
    print(
        f"Inset listening on http://{args.host}:{args.port} (GraphQL at /graphql{workers})",
        flush=True,
    )
    # An import string and a factory, so that each worker process builds its own app
    # (and its own database pool) from the same settings.
    uvicorn.run(
        "inset.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=args.proxy_headers or args.forwarded_allow_ips is not None,
        forwarded_allow_ips=args.forwarded_allow_ips or "127.0.0.1",
        timeout_graceful_shutdown=args.graceful_timeout,
        log_level="warning",
    )
    if worker is not None:
        worker.stop()  # stop claiming; a delivery cut short is sent again (at least once)
    return 0


def _seeds(path: str | None) -> Path:
    from inset.demo import demo_seeds

    return demo_seeds() if path is None else Path(path)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    import signal

    from inset.webhooks.worker import Worker

    _require_head(settings)

    def report(job: Any, result: Any) -> None:
        outcome = "delivered" if result.succeeded else "failed"
        detail = result.error or f"HTTP {result.status_code}"
        print(
            f"{outcome} {job.event_type} {job.webhook_id} to {job.url}: {detail} "
            f"in {result.duration_ms} ms",
            flush=True,
        )

    worker = Worker(_engine(settings), report=report)
    if args.until_idle:
        while worker.run_once():
            pass
        return 0
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    print("Inset worker delivering webhooks", flush=True)
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from inset.migrate import upgrade

    print(upgrade(settings.database_url))
    _use_basis(settings)
    return 0


def _use_basis(settings: Settings) -> None:
    """Stored economics on the settings' optimism bias before anything reads them."""
    from inset.economics.stored import use_basis

    engine = _engine(settings)
    try:
        recomputed = use_basis(engine, settings.optimism_bias)
    finally:
        engine.dispose()
    if recomputed:
        print(f"recomputed the stored economics of {recomputed:,} projects", flush=True)


def cmd_db_check(args: argparse.Namespace, settings: Settings) -> int:
    from inset.migrate import current_revision, head_revision

    current, head = current_revision(settings.database_url), head_revision(settings.database_url)
    print(f"database: {current}")
    print(f"head: {head}")
    print("at head" if current == head else "not at head: run `inset db upgrade`")
    return 0 if current == head else 1


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from inset.operations.backup import BackupError, write_backup

    engine = _engine(settings)
    try:
        summary = write_backup(engine, Path(args.out))
    except BackupError as error:
        raise CommandError(str(error)) from None
    finally:
        engine.dispose()
    print(f"wrote {summary} to {args.out}")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from inset.migrate import current_revision
    from inset.operations.backup import BackupError, read_backup

    engine = _engine(settings)
    try:
        summary = read_backup(engine, Path(args.file))
    except BackupError as error:
        raise CommandError(str(error)) from None
    finally:
        engine.dispose()
    print(f"restored {summary} from {args.file}; the database is now at revision ", end="")
    print(current_revision(settings.database_url))
    return 0


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    from inset.seed import load_seeds

    _require_head(settings)
    engine = _engine(settings)
    try:
        print(f"loaded {load_seeds(engine, _seeds(args.path))}")
    finally:
        engine.dispose()
    return 0


def _in_transaction(settings: Settings, work: Callable[[Any], Any]) -> Any:
    from inset.db import transaction
    from inset.errors import DomainError

    _require_head(settings)
    engine = _engine(settings)
    try:
        with transaction(engine) as session:
            return work(session)
    except DomainError as error:
        raise CommandError(error.message) from None
    finally:
        engine.dispose()


def cmd_org_create(args: argparse.Namespace, settings: Settings) -> int:
    from inset.access import SYSTEM
    from inset.ids import to_global_id
    from inset.organisations import service
    from inset.organisations.models import OrganisationKind

    kind = _choice(OrganisationKind, args.kind, "--kind")
    org = _in_transaction(
        settings,
        lambda session: service.create_organisation(
            session=session, actor=SYSTEM, name=args.name, kind=kind, region=args.region
        ),
    )
    print(f"created organisation {org.name}")
    print(to_global_id("Organisation", org.id))
    return 0


def cmd_account_create(args: argparse.Namespace, settings: Settings) -> int:
    from inset.access import SYSTEM
    from inset.accounts import service
    from inset.accounts.models import Role
    from inset.db import pk
    from inset.ids import pk_of
    from inset.organisations.service import find_by_name

    role = _choice(Role, args.role, "--role")
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None

    def work(session: Any) -> Any:
        org_id = pk_of(args.org, "Organisation")
        if org_id is None:
            org = find_by_name(session=session, name=args.org)
            if org is None:
                raise CommandError(f"no organisation has the id or exact name {args.org!r}")
            org_id = pk(org)
        return service.create_account(
            session=session,
            actor=SYSTEM,
            email=args.email,
            name=args.name,
            organisation_id=org_id,
            role=role,
            password=password,
        )

    account = _in_transaction(settings, work)
    print(f"created account {account.email} ({account.role.value})")
    from inset.ids import to_global_id

    print(to_global_id("Account", account.id))
    return 0


def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    from inset.access import SYSTEM
    from inset.accounts import service
    from inset.accounts.models import TokenScope

    scope = _choice(TokenScope, args.scope.replace("-", "_"), "--scope")

    def work(session: Any) -> str:
        if args.integration is not None:
            return _integration_token(session, args, scope)
        account = service.find_account(session=session, email=args.email)
        if account is None:
            raise CommandError(f"no account has the email {args.email!r}")
        _, secret = service.create_api_token(
            session=session,
            actor=SYSTEM,
            name=args.name,
            scope=scope,
            expires_in_days=args.expires_days,
            account_id=account.id,
        )
        return secret

    secret = _in_transaction(settings, work)
    print("API token created; it is shown only this once:", file=sys.stderr)
    print(secret)
    return 0


def _integration_token(session: Any, args: argparse.Namespace, scope: Any) -> str:
    from inset.access import SYSTEM
    from inset.ids import pk_of
    from inset.integrations import service

    integration_id = pk_of(args.integration, "Integration")
    if integration_id is None:
        raise CommandError(f"{args.integration!r} is not an integration's id")
    _, secret = service.create_integration_token(
        session=session,
        actor=SYSTEM,
        integration_id=integration_id,
        name=args.name,
        scope=scope,
        expires_in_days=args.expires_days,
    )
    return secret


def cmd_integration_create(args: argparse.Namespace, settings: Settings) -> int:
    from inset.access import SYSTEM
    from inset.db import pk
    from inset.ids import pk_of, to_global_id
    from inset.integrations import service
    from inset.organisations.service import find_by_name

    def work(session: Any) -> Any:
        org_id = pk_of(args.org, "Organisation")
        if org_id is None:
            org = find_by_name(session=session, name=args.org)
            if org is None:
                raise CommandError(f"no organisation has the id or exact name {args.org!r}")
            org_id = pk(org)
        return service.create_integration(
            session=session, actor=SYSTEM, organisation_id=org_id, name=args.name
        )

    integration = _in_transaction(settings, work)
    print(f"created integration {integration.name}")
    print(to_global_id("Integration", integration.id))
    return 0


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from inset.graphql.schema import build_schema

    print(build_schema().as_str())
    return 0


def cmd_notify_send_digests(args: argparse.Namespace, settings: Settings) -> int:
    from inset.notifications.digest import send_digests

    if not settings.smtp_url:
        raise CommandError("INSET_SMTP_URL is not set: say which SMTP server sends the digests")
    _require_head(settings)
    engine = _engine(settings)
    try:
        sent = send_digests(engine=engine, settings=settings)
    finally:
        engine.dispose()
    print(f"sent {sent} digest email{'s' if sent != 1 else ''}")
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    from inset.generator import generate_portfolio, themes_from_file

    _require_head(settings)
    themes = themes_from_file(Path(args.themes) if args.themes else _seeds(None) / "themes.json")
    engine = _engine(settings)
    try:
        with _progress("projects", args.projects) as bar:
            summary = generate_portfolio(
                engine, projects=args.projects, seed=args.seed, themes=themes, progress=bar.update
            )
    finally:
        engine.dispose()
    print(f"generated with seed {summary.seed}: {summary}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from inset.export import export

    _require_head(settings)
    engine = _engine(settings)
    try:
        with _output(args.out) as out, _progress("rows") as bar:
            written = export(
                engine,
                args.report,
                args.format,
                out,
                public_only=args.public_only,
                optimism_bias=settings.optimism_bias,
                progress=bar.update,
                total=lambda n: bar.reset(total=n),
            )
    finally:
        engine.dispose()
    if args.out != "-":
        print(f"exported {written} rows of {args.report} to {args.out}")
    return 0


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    from inset.collective.publish import write_digest
    from inset.errors import DomainError

    _require_head(settings)
    engine = _engine(settings)
    try:
        write_digest(
            engine,
            year=args.year,
            format=args.format,
            out=Path(args.out),
            optimism_bias=settings.optimism_bias,
        )
    except DomainError as error:
        raise CommandError(error.message) from None
    except OSError as error:
        raise CommandError(f"cannot write {args.out}: {error.strerror}") from None
    finally:
        engine.dispose()
    return 0


@contextmanager
def _progress(unit: str, total: int | None = None) -> Iterator[Any]:
    """A tqdm bar on stderr while it is a terminal; silent in scripts and pipes."""
    from tqdm import tqdm

    with tqdm(
        total=total,
        unit=f" {unit}",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        dynamic_ncols=True,
        leave=False,
    ) as bar:
        yield bar


@contextmanager
def _output(path: str) -> Iterator[TextIO]:
    """stdout for "-"; otherwise a file that appears only when it is complete, so a failed
    export never leaves a truncated report that looks whole."""
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as file:
            yield file
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _choice(enum_class: Any, value: str, option: str) -> Any:
    try:
        return enum_class[value.upper()]
    except KeyError:
        allowed = ", ".join(m.name for m in enum_class)
        raise CommandError(f"{option} must be one of {allowed}, not {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inset", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve",
        help="run the service",
        description="Serves GraphQL at /graphql and the web client at /. On SIGTERM it "
        "stops taking connections, lets requests in flight finish for up to "
        "--graceful-timeout seconds, then exits.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--demo",
        action="store_true",
        help="migrate, and load the demo portfolio when the database is empty",
    )
    serve.add_argument("--seeds", help=argparse.SUPPRESS)
    serve.add_argument("--workers", type=_positive, default=1, help="server processes (default 1)")
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For and X-Forwarded-Proto from --forwarded-allow-ips",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="comma-separated addresses of the TLS proxy, or * (default 127.0.0.1); "
        "implies --proxy-headers",
    )
    serve.add_argument(
        "--graceful-timeout",
        type=_positive,
        default=GRACEFUL_SECONDS,
        metavar="SECONDS",
        help=f"how long requests in flight may take to finish on SIGTERM (default "
        f"{GRACEFUL_SECONDS})",
    )
    serve.add_argument(
        "--no-worker", action="store_true", help="deliver no webhooks here (run `inset worker`)"
    )
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser(
        "worker",
        help="deliver webhooks",
        description="Delivers webhooks until stopped (SIGTERM or Ctrl-C). Any number may "
        "run against one PostgreSQL database; each delivery is sent by one of them.",
    )
    worker.add_argument("--until-idle", action="store_true", help="stop when nothing is due")
    worker.set_defaults(handler=cmd_worker)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(handler=cmd_db_upgrade)
    db.add_parser(
        "check",
        help="exit 0 when migrations are at head",
        description="Prints the database's revision and the head; exits 0 at head, 1 otherwise.",
    ).set_defaults(handler=cmd_db_check)

    backup = commands.add_parser(
        "backup",
        help="write a consistent copy of the database to a file",
        description="Writes every table to one gzip-compressed JSON-lines file, from one "
        "consistent snapshot, while the server runs. The file appears only once complete. "
        "It restores on SQLite or PostgreSQL alike.",
    )
    backup.add_argument("--out", required=True, help="the file to write")
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="load a backup into an empty database",
        description="Loads a file written by `inset backup` into an empty database (new, "
        "or migrated to the backup's revision with no rows), all or nothing, then migrates "
        "it to this version's head. A database with any rows is refused, unchanged.",
    )
    restore.add_argument("file", help="a file written by `inset backup`")
    restore.set_defaults(handler=cmd_restore)

    seed = commands.add_parser("seed", help="load seed data through the services")
    seed.add_argument("--path", help="a seeds folder (default: the demo portfolio)")
    seed.set_defaults(handler=cmd_seed)

    org = commands.add_parser("org").add_subparsers(dest="org", required=True)
    org_create = org.add_parser("create", help="create an organisation")
    org_create.add_argument("--name", required=True)
    org_create.add_argument("--kind", required=True)
    org_create.add_argument("--region")
    org_create.set_defaults(handler=cmd_org_create)

    account = commands.add_parser("account").add_subparsers(dest="account", required=True)
    account_create = account.add_parser("create", help="create an account")
    account_create.add_argument("--email", required=True)
    account_create.add_argument("--name", required=True)
    account_create.add_argument("--org", required=True, help="global id or exact name")
    account_create.add_argument("--role", required=True)
    account_create.add_argument("--password-stdin", action="store_true")
    account_create.set_defaults(handler=cmd_account_create)

    token = commands.add_parser("token").add_subparsers(dest="token", required=True)
    token_create = token.add_parser("create", help="create an API token")
    owner = token_create.add_mutually_exclusive_group(required=True)
    owner.add_argument("--email", help="a person's token")
    owner.add_argument("--integration", help="an integration's token: its global id")
    token_create.add_argument("--scope", required=True, help="read or read_write")
    token_create.add_argument("--name", default="API token")
    token_create.add_argument("--expires-days", type=int)
    token_create.set_defaults(handler=cmd_token_create)

    notify = commands.add_parser("notify", help="notifications").add_subparsers(
        dest="notify", required=True
    )
    notify.add_parser(
        "send-digests",
        help="email each person whose daily or weekly digest is due (run it from cron hourly)",
    ).set_defaults(handler=cmd_notify_send_digests)

    integration = commands.add_parser("integration").add_subparsers(
        dest="integration_command", required=True
    )
    integration_create = integration.add_parser(
        "create", help="create an organisation's integration (service account)"
    )
    integration_create.add_argument("--org", required=True, help="global id or exact name")
    integration_create.add_argument("--name", required=True)
    integration_create.set_defaults(handler=cmd_integration_create)

    export_schema = commands.add_parser("export-schema", help="print the GraphQL schema")
    export_schema.set_defaults(handler=cmd_export_schema)

    generate = commands.add_parser(
        "generate",
        help="fill an empty database with a synthetic national portfolio",
        description="Fills a migrated database that has no projects with a synthetic "
        "portfolio: about 1,500 organisations across the English regions, projects through "
        "every stage with their records and gate decisions. The same seed gives the same "
        "data; dates are relative to today. Written by the system, with one audit event.",
    )
    generate.add_argument("--projects", type=int, required=True, help="how many projects")
    generate.add_argument("--seed", type=int, default=1, help="for the same data again (0 or more)")
    generate.add_argument("--themes", help="themes file to use (default: the demo portfolio's)")
    generate.set_defaults(handler=cmd_generate)

    export = commands.add_parser(
        "export",
        help="write a staff report of the portfolio or the lessons as CSV or JSON",
        description="Runs as the system, with staff rights: the report holds every live "
        "record, PRIVATE and MEMBERS ones included, so handle it as confidential. An "
        "anonymised lesson leaves its project and organisation blank. --public-only "
        "exports only what an anonymous reader may see.",
    )
    export.add_argument("report", choices=["portfolio", "lessons"])
    export.add_argument("--format", choices=["csv", "json"], required=True)
    export.add_argument("--out", default="-", help="file to write; - (the default) is stdout")
    export.add_argument(
        "--public-only", action="store_true", help="only what anyone may read without signing in"
    )
    export.set_defaults(handler=cmd_export)

    digest = commands.add_parser(
        "digest",
        help="write the year's Collective digest from what anyone may read",
        description="The same digest as the page /collective/YEAR: only PUBLIC projects, "
        "and anonymised lessons as anonymised.",
    )
    digest.add_argument("--year", type=int, required=True)
    digest.add_argument("--format", choices=["html", "pdf"], required=True)
    digest.add_argument("--out", required=True, help="file to write")
    digest.set_defaults(handler=cmd_digest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    try:
        settings = Settings.from_env()
        handler: Handler = args.handler
        return handler(args, settings)
    except ConfigError as error:  # exit 2, as for a bad command line: nothing was tried
        print(f"inset: {error}", file=sys.stderr)
        return 2
    except CommandError as error:
        print(f"inset: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # one line for the operator; details only with logging
        logging.getLogger("inset").debug("command failed", exc_info=True)
        print(f"inset: {_reason(error)}".splitlines()[0], file=sys.stderr)
        return 1


def _reason(error: Exception) -> str:
    """The message alone for the errors that explain themselves."""
    from inset.generator import GenerateError
    from inset.seed import SeedError

    if isinstance(error, (GenerateError, SeedError)):
        return str(error)
    return f"{type(error).__name__}: {error}"

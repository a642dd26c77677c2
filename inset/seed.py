"""The demo portfolio: the JSON files in `seeds/`, loaded through the services.

Every record is made by the same service function the API calls, acting as the account a
project names, so the demo obeys every rule: a GO passes only when its gate's mandatory
criteria are met by the records before it (or when staff override it, with a reason).

The folder holds `organisations.json`, `accounts.json`, `themes.json` and any number of
`projects*.json` files (read in name order), each `{"projects": [...]}`. A project names
its organisations, themes and lead account by name or email and lists `steps`, applied in
order. A step has a date `on`, may name the account acting (`by`, an email; by default the
project's `lead_account`), and has exactly one action: `evidence`, `outcome`, `observe`
(an outcome of this project, by name), `cost`, `benefit`, `lesson`, `decision` (with an
optional inline `lesson`), `visibility` or `add_partners`. The action's keys are the
service's keyword arguments; dates are ISO strings, money and figures plain numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col

from inset.access import SYSTEM, Actor
from inset.accounts import service as accounts
from inset.accounts.models import Account, Role
from inset.db import pk, transaction, utcnow
from inset.economics import service as economics
from inset.economics.models import Benefit, BenefitKind, Cost, CostCategory
from inset.errors import DomainError
from inset.evidence import service as evidence
from inset.evidence.models import Evidence, EvidenceKind
from inset.gates import service as gates
from inset.gates.models import GateDecision, GateDecisionKind
from inset.lessons import service as lessons
from inset.lessons.models import Lesson, LessonKind
from inset.organisations import service as organisations
from inset.organisations.models import Organisation, OrganisationKind
from inset.outcomes import service as outcomes
from inset.outcomes.models import Observation, Outcome
from inset.projects import service as projects
from inset.projects.models import InnovationType, Project, Stage, Visibility
from inset.themes import service as themes
from inset.themes.models import Theme

DATES = {"baseline_on", "observed_on", "period_start", "period_end", "revisit_on"}
FIGURES = {"amount", "baseline", "target", "value", "deadweight", "attribution"}
ENUMS: dict[tuple[str, str], Any] = {
    ("evidence", "kind"): EvidenceKind,
    ("cost", "category"): CostCategory,
    ("benefit", "kind"): BenefitKind,
    ("lesson", "kind"): LessonKind,
    ("lesson", "shared_with"): Visibility,
    ("lesson", "stage"): Stage,
    ("decision", "decision"): GateDecisionKind,
    ("decision", "to_stage"): Stage,
}
# Actions that add one record to the project: the service, and the timestamp to backdate.
RECORDERS: dict[str, tuple[Callable[..., Any], str]] = {
    "evidence": (evidence.record_evidence, "recorded_at"),
    "outcome": (outcomes.define_outcome, "created_at"),
    "cost": (economics.record_cost, "recorded_at"),
    "benefit": (economics.record_benefit, "recorded_at"),
    "lesson": (lessons.record_lesson, "recorded_at"),
}
ACTIONS = (*RECORDERS, "observe", "decision", "visibility", "add_partners")
COUNTED = {
    "organisations": Organisation,
    "accounts": Account,
    "themes": Theme,
    "projects": Project,
    "gate decisions": GateDecision,
    "evidence items": Evidence,
    "outcomes": Outcome,
    "observations": Observation,
    "costs": Cost,
    "benefits": Benefit,
    "lessons": Lesson,
}


class SeedError(Exception):
    """Seeds that cannot be loaded; the message names the file, project and step."""


def is_empty(engine: Engine) -> bool:
    """True when the database has no organisations, so the demo seeds may be loaded."""
    with Session(engine) as session:
        return not has_data(session)


def has_data(session: Session) -> bool:
    return session.scalars(sa.select(col(Organisation.id)).limit(1)).first() is not None


@dataclass(frozen=True)
class Seeds:
    """A seeds folder read and parsed: the reference files by name, then every project entry
    with the name of its file."""

    reference: dict[str, Any]
    projects: list[tuple[str, dict[str, Any]]]


def read_seeds(path: Path) -> Seeds:
    """Reads every file of the folder, so that a missing or broken one is reported before
    anything is written."""
    path = Path(path)
    if not path.is_dir():
        raise SeedError(f"the seeds folder {path} does not exist")
    reference = {
        name: _read(path / f"{name}.json") for name in ("organisations", "accounts", "themes")
    }
    project_files = sorted(path.glob("projects*.json"))
    if not project_files:
        raise SeedError(f"no projects*.json files in {path}")
    projects = [(file.name, entry) for file in project_files for entry in _read(file)["projects"]]
    return Seeds(reference=reference, projects=projects)


def load_seeds(engine: Engine, path: Path) -> str:
    """Loads the folder in one transaction (all or nothing) and says what it loaded.

    Refuses a database that already has organisations. The same files always give the
    same records in the same order; only the audit trail's `occurred_at` shows the day
    of loading.
    """
    seeds = read_seeds(path)
    with transaction(engine) as session:
        return load_into(session, seeds)


def load_into(session: Session, seeds: Seeds) -> str:
    """Loads `seeds` in the session's transaction, which the caller commits or rolls back."""
    if has_data(session):
        raise SeedError("the database already has data: seeds load only into an empty one")
    loader = _Loader(session, years_to_shift([entry for _, entry in seeds.projects]))
    loader.reference(seeds.reference)
    for name, entry in seeds.projects:
        loader.project(name, entry)
    counts = [
        f"{session.scalar(sa.select(sa.func.count()).select_from(model))} {label}"
        for label, model in COUNTED.items()
    ]
    return ", ".join(counts)


def years_to_shift(entries: list[dict[str, Any]]) -> int:
    """Whole years to move every date forward, so that the newest step is under a year old.

    The story keeps its months and order ("45 in July, 24 by January"), while days in
    stage, stalled projects and revisit dates stay as current as on the day it was written.
    """
    newest = max(
        date.fromisoformat(day)
        for entry in entries
        for day in [entry["on"], *(step["on"] for step in entry.get("steps", []))]
    )
    return max(0, (utcnow().date() - newest).days // 366)


def shifted(day: date, years: int) -> date:
    if years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _read(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as error:
        raise SeedError(f"{file}: {error}") from error


def _at(day: date, minute: int) -> datetime:
    """A UTC timestamp on `day`; the minute keeps several steps on one day in order."""
    return datetime.combine(day, time(9, 0), UTC) + timedelta(minutes=minute)


def _values(action: str, raw: dict[str, Any], years: int) -> dict[str, Any]:
    """The step's JSON as the service's keyword arguments: dates, Decimals and enums."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            values[key] = None
        elif key in DATES:
            values[key] = shifted(date.fromisoformat(value), years)
        elif key in FIGURES:
            values[key] = Decimal(value)
        elif (action, key) in ENUMS:
            values[key] = ENUMS[action, key][value]
        else:
            values[key] = value
    return values


def _message(error: Exception) -> str:
    if isinstance(error, SeedError):
        return str(error)
    if isinstance(error, DomainError):
        field = f" (field {'.'.join(error.field)})" if error.field else ""
        return f"{error.code}: {error.message}{field}"
    return f"{type(error).__name__}: {error}"


class _Loader:
    """Makes the records, remembering the ids of what it made so the JSON can use names."""

    def __init__(self, session: Session, years: int = 0) -> None:
        self.session = session
        self.years = years  # every date of the files moves this many years forward
        self.organisations: dict[str, int] = {}
        self.themes: dict[str, int] = {}
        self.accounts: dict[str, Account] = {}
        self.outcomes: dict[str, int] = {}

    def reference(self, files: dict[str, Any]) -> None:
        """Organisations, accounts and themes, made by the system (staff rights)."""
        s = self.session
        for n, org in enumerate(files["organisations"]["organisations"], 1):
            with _where(f"organisations.json: organisation {n} ({org.get('name')!r})"):
                row = organisations.create_organisation(
                    session=s,
                    actor=SYSTEM,
                    name=org["name"],
                    kind=OrganisationKind[org["kind"]],
                    region=org.get("region"),
                )
                self.organisations[row.name] = pk(row)
        for n, acc in enumerate(files["accounts"]["accounts"], 1):
            with _where(f"accounts.json: account {n} ({acc.get('email')!r})"):
                account = accounts.create_account(
                    session=s,
                    actor=SYSTEM,
                    email=acc["email"],
                    name=acc["name"],
                    organisation_id=self.organisation(acc["organisation"]),
                    role=Role[acc["role"]],
                    password=acc.get("password"),
                )
                self.accounts[account.email] = account
        for n, name in enumerate(files["themes"]["themes"], 1):
            with _where(f"themes.json: theme {n} ({name!r})"):
                self.themes[name] = pk(themes.create_theme(session=s, actor=SYSTEM, name=name))

    def organisation(self, name: str) -> int:
        if name not in self.organisations:
            raise SeedError(f"no organisation called {name!r} in organisations.json")
        return self.organisations[name]

    def account(self, email: str) -> Account:
        if email.lower() not in self.accounts:
            raise SeedError(f"no account {email!r} in accounts.json")
        return self.accounts[email.lower()]

    def actor(self, email: str) -> Actor:
        return accounts.actor_for(self.account(email))

    def project(self, file: str, entry: dict[str, Any]) -> None:
        title = entry.get("title")
        created_on = shifted(date.fromisoformat(entry["on"]), self.years)
        with _where(f"{file}: project {title!r}, creating it"):
            project = projects.create_project(
                session=self.session,
                actor=self.actor(entry.get("by", entry["lead_account"])),
                title=entry["title"],
                summary=entry["summary"],
                innovation_type=InnovationType[entry["innovation_type"]],
                lead_organisation_id=self.organisation(entry["lead_organisation"]),
                problem=entry.get("problem"),
                theory_of_change=entry.get("theory_of_change"),
                theme_ids=[self._theme(t) for t in entry.get("themes", [])],
                partner_organisation_ids=[self.organisation(o) for o in entry.get("partners", [])],
                visibility=Visibility[entry["visibility"]],
                lead_account_id=pk(self.account(entry["lead_account"])),
                started_on=shifted(date.fromisoformat(entry["started_on"]), self.years),
            )
            at = _at(created_on, 0)
            stamps = ("created_at", "stage_entered_at", "last_decision_at", "updated_at")
            self._backdate(Project, pk(project), **dict.fromkeys(stamps, at))
        self.outcomes = {}
        previous = created_on
        for n, step in enumerate(entry.get("steps", []), 1):
            actions = [a for a in ACTIONS if a in step]
            where = f"{file}: project {title!r}, step {n} ({'/'.join(actions)} on {step.get('on')})"
            with _where(where):
                on = shifted(date.fromisoformat(step["on"]), self.years)
                if len(actions) != 1:
                    raise SeedError(f"a step has exactly one of {', '.join(ACTIONS)}")
                if not previous <= on <= utcnow().date():
                    raise SeedError(f"steps go forward in time, from {previous} to today")
                previous = on
                actor = self.actor(step.get("by", entry["lead_account"]))
                self._step(project, actor, actions[0], step[actions[0]], _at(on, n))

    def _theme(self, name: str) -> int:
        if name not in self.themes:
            raise SeedError(f"no theme called {name!r} in themes.json")
        return self.themes[name]

    def _step(self, project: Project, actor: Actor, action: str, raw: Any, at: datetime) -> None:
        """Applies one step through its service, then backdates what it made to `at`."""
        s, pid = self.session, pk(project)
        common: dict[str, Any] = {"session": s, "actor": actor}
        made: tuple[type[SQLModel], int, str] | None = None
        if action in RECORDERS:
            record, stamp = RECORDERS[action]
            row = record(**common, project_id=pid, **_values(action, raw, self.years))
            made = (type(row), pk(row), stamp)
            if action == "outcome":
                self.outcomes[row.name] = pk(row)
        elif action == "observe":
            values = _values(action, raw, self.years)
            outcome = values.pop("outcome")
            if outcome not in self.outcomes:
                raise SeedError(f"this project has no outcome called {outcome!r} yet")
            row = outcomes.observe_outcome(**common, outcome_id=self.outcomes[outcome], **values)
            made = (Observation, pk(row), "recorded_at")
        elif action == "decision":
            self._decide(project, actor, raw, at)
        elif action == "visibility":
            projects.set_visibility(
                **common,
                project_id=pid,
                visibility=Visibility[raw],
                expected_version=project.version,
            )
        elif action == "add_partners":
            partners = [*sorted(projects.partner_ids(session=s, project_id=pid))]
            partners += [self.organisation(name) for name in raw]
            changes = {"partner_organisation_ids": partners}
            projects.update_project(
                **common, project_id=pid, expected_version=project.version, changes=changes
            )
        if made is not None:
            model, row_id, stamp = made
            self._backdate(model, row_id, **{stamp: at})
        self._backdate(Project, pid, updated_at=at)

    def _decide(self, project: Project, actor: Actor, raw: dict[str, Any], at: datetime) -> None:
        values = _values("decision", raw, self.years)
        inline = values.pop("lesson", None)
        if inline is not None:
            inline = lessons.InlineLesson(**_values("lesson", inline, self.years))
        stage = project.stage
        _, decision = gates.decide_gate(
            session=self.session,
            actor=actor,
            project_id=pk(project),
            expected_version=project.version,
            lesson=inline,
            **values,
        )
        self._backdate(GateDecision, pk(decision), decided_at=at)
        self.session.execute(
            sa.update(Lesson).where(col(Lesson.decision_id) == pk(decision)).values(recorded_at=at)
        )
        moved = {"stage_entered_at": at} if project.stage is not stage else {}
        self._backdate(Project, pk(project), last_decision_at=at, **moved)

    def _backdate(self, model: type[SQLModel], row_id: int, **stamps: datetime) -> None:
        """Moves the timestamps of a row a step made to the step's date, in this transaction.

        For the demo's realism only (days in stage, stalled projects, a history spread over
        the years it describes). No rule is bypassed: the service has already applied every
        rule, and only timestamps change. The audit trail is append-only and keeps the
        day of loading. An ORM-enabled UPDATE, so rows already in the session agree.
        """
        self.session.execute(
            sa.update(model).where(model.id == row_id).values(**stamps)  # type: ignore[attr-defined]
        )


@contextmanager
def _where(place: str) -> Iterator[None]:
    """Turns any failure inside the block into a SeedError that says where it happened."""
    try:
        yield
    except Exception as error:
        raise SeedError(f"{place}: {_message(error)}") from error

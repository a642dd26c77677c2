"""The rows of each kind of record, as the services would have stored them.

`RecordMaker` keeps what one project's records depend on (its stage now, its outcomes, the
costs so far) and adds each record to `Rows` with an id taken from `Ids`, so that children
name their parents without reading anything back from the database. Every value is
within the services' rules: text from the fixed vocabulary, money in whole pence above
zero, confidence grades 1..6, shares in basis points 0..10,000, evidence levels 1..5,
outcome figures with at most 4 decimal places, readings on or before the day they are
recorded and after the baseline date, a lesson's `shared_with` only wider than its
project's visibility, barrier tags from the fixed list.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from inset.economics.models import BenefitKind, CostCategory
from inset.generator import topics
from inset.generator import vocabulary as words
from inset.lessons.models import Barrier, LessonKind
from inset.organisations.models import OrganisationKind
from inset.projects.models import ProjectStatus, Stage, Visibility

Row = dict[str, Any]
# Insertion order: every table after the ones its foreign keys point to.
TABLES = (
    "project",
    "project_theme",
    "project_partner",
    "gate_decision",
    "evidence",
    "outcome",
    "observation",
    "cost",
    "benefit",
    "lesson",
    "lesson_barrier",
)
COST_POUNDS = {
    Stage.IDEA: (2_000, 50_000),
    Stage.PILOT: (20_000, 400_000),
    Stage.EVALUATION: (10_000, 150_000),
    Stage.SCALE: (100_000, 2_000_000),
}
_SPENDING = [c for c in CostCategory if c is not CostCategory.EVALUATION]
_BARRIERS = list(Barrier)
_BENEFIT_KINDS = {BenefitKind.FISCAL: 50.0, BenefitKind.ECONOMIC: 20.0, BenefitKind.SOCIAL: 30.0}
_FOUR_PLACES = Decimal("0.0001")
_DAY = 86_400

T = TypeVar("T")


def weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    return rng.choices(list(weights), list(weights.values()))[0]


@dataclass(frozen=True)
class Org:
    id: int
    kind: OrganisationKind
    place: str
    name: str


@dataclass(frozen=True)
class Reference:
    """What projects are built on. `lead_weights` are cumulative, one per organisation;
    every generated time is before `now`."""

    organisations: tuple[Org, ...]
    lead_weights: tuple[float, ...]
    themes: tuple[tuple[int, str], ...]
    now: datetime


class Ids:
    """The next primary key of each table."""

    def __init__(self, first: dict[str, int]) -> None:
        self._next = dict(first)

    def take(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


@dataclass
class Rows:
    """Rows of several projects by table, ready for bulk inserts."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def add(self, table: str, row: Row) -> None:
        self.tables[table].append(row)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


@dataclass
class _Outcome:
    id: int
    measure: topics.Measure
    baseline: float | None
    baseline_on: date | None
    target: float


class RecordMaker:
    """One project's records. Times are seconds-exact datetimes, `at(day)` days after
    `created`; the builder sets the project's topic, visibility and stage as it goes."""

    def __init__(self, rng: random.Random, ref: Reference, ids: Ids, rows: Rows) -> None:
        self.rng, self.ref, self.ids, self.rows = rng, ref, ids, rows
        self.pid = ids.take("project")
        self.created = self.latest = ref.now
        self.topic = topics.GENERIC_TOPIC
        self.visibility = Visibility.PRIVATE
        self.stage = Stage.IDEA
        self.final_status = ProjectStatus.ACTIVE
        self.outcomes: list[_Outcome] = []
        self.claims: list[tuple[int, bool]] = []  # (level, independent) of each evidence item
        self.cost_pence = 0
        self.ratio = rng.lognormvariate(0.2, 0.6)  # the benefit-cost ratio it heads for

    def at(self, day: float) -> datetime:
        return self.created + timedelta(seconds=int(day * _DAY))

    def seen(self, at: datetime) -> None:
        self.latest = max(self.latest, at)

    def figure(self, value: float, measure: topics.Measure) -> Decimal:
        """As the outcomes service stores a figure: at most 4 places, here `places`."""
        if measure.unit == "percent":
            value = min(value, 100.0)
        return Decimal(f"{max(value, 0.0):.{measure.places}f}").quantize(_FOUR_PLACES)

    def outcome(self, at: datetime, *, with_baseline: bool) -> None:
        rng = self.rng
        used = {o.measure for o in self.outcomes}
        measure = rng.choice([m for m in self.topic.measures if m not in used] or [None])
        if measure is None:
            return
        baseline = rng.uniform(measure.low, measure.high) if with_baseline else None
        dated = with_baseline and (not self.outcomes or rng.random() < 0.9)
        baseline_on = at.date() - timedelta(days=rng.randint(1, 60)) if dated else None
        start = baseline if baseline is not None else rng.uniform(measure.low, measure.high)
        change = rng.uniform(0.1, 0.4)
        target = start * (1 + change if measure.higher_is_better else 1 - change)
        outcome = _Outcome(self.ids.take("outcome"), measure, baseline, baseline_on, target)
        self.outcomes.append(outcome)
        self.rows.add(
            "outcome",
            {
                "id": outcome.id,
                "project_id": self.pid,
                "name": measure.name,
                "unit": measure.unit,
                "higher_is_better": measure.higher_is_better,
                "baseline": None if baseline is None else self.figure(baseline, measure),
                "baseline_on": baseline_on,
                "target": self.figure(target, measure) if rng.random() < 0.8 else None,
                "created_at": at,
                "archived_at": None,
            },
        )
        self.seen(at)

    def observe(self, at: datetime, outcome: _Outcome) -> None:
        """A reading on or before the day it is recorded, after the baseline date."""
        rng = self.rng
        observed_on = at.date() - timedelta(days=rng.randint(0, 14))
        if outcome.baseline_on is not None:
            observed_on = max(observed_on, outcome.baseline_on + timedelta(days=1))
        baseline = outcome.baseline or 0.0
        progress = min(1.0, 0.25 * self.stage.order + rng.uniform(0.0, 0.4))
        if self.final_status is ProjectStatus.STOPPED:
            progress *= 0.3
        value = baseline + (outcome.target - baseline) * progress
        value *= rng.uniform(0.95, 1.05)
        self.rows.add(
            "observation",
            {
                "id": self.ids.take("observation"),
                "outcome_id": outcome.id,
                "value": self.figure(value, outcome.measure),
                "observed_on": observed_on,
                "note": rng.choice(words.OBSERVATION_NOTES),
                "recorded_by_id": None,
                "recorded_at": at,
                "archived_at": None,
            },
        )
        self.seen(at)

    def evidence(
        self, at: datetime, stage: Stage, key: str, level: int, independent: bool = False
    ) -> None:
        kind, title, summary = words.EVIDENCE[key]
        self.claims.append((level, independent))
        self.rows.add(
            "evidence",
            {
                "id": self.ids.take("evidence"),
                "project_id": self.pid,
                "kind": kind,
                "title": title,
                "summary": summary,
                "level": level,
                "independent": independent,
                "stage": stage,
                "reference": self.rng.choice(words.REFERENCES),
                "recorded_by_id": None,
                "recorded_at": at,
                "archived_at": None,
            },
        )
        self.seen(at)

    def cost(
        self, at: datetime, stage: Stage, category: CostCategory | None, grades: tuple[int, int]
    ) -> None:
        rng = self.rng
        category = category or rng.choice(_SPENDING)
        low, high = COST_POUNDS[stage]
        pence = max(100, int(round(rng.uniform(low, high), -2))) * 100
        if rng.random() < 0.2:
            pence += rng.randint(1, 99)
        self.cost_pence += pence
        period = rng.random() < 0.5
        start = at.date() - timedelta(days=rng.randint(0, 30)) if period else None
        self.rows.add(
            "cost",
            {
                "id": self.ids.take("cost"),
                "project_id": self.pid,
                "category": category,
                "description": rng.choice(words.COSTS[category]),
                "amount_pence": pence,
                "currency": "GBP",
                "recurring": period and rng.random() < 0.4,
                "period_start": start,
                "period_end": start + timedelta(days=rng.randint(90, 365)) if start else None,
                "stage": stage,
                "funding_source": rng.choice(words.FUNDING_SOURCES),
                "confidence": rng.randint(*grades),
                "recorded_by_id": None,
                "recorded_at": at,
                "archived_at": None,
            },
        )
        self.seen(at)

    def benefit(self, at: datetime, stage: Stage, grades: tuple[int, int], lines: int) -> None:
        """A line sized so that the project heads for its benefit-cost ratio."""
        rng = self.rng
        kind = weighted(rng, _BENEFIT_KINDS)
        amount: int | None = max(10_000, int(round(self.cost_pence * self.ratio / 0.6 / lines, -4)))
        if kind is BenefitKind.SOCIAL and stage is Stage.PILOT and rng.random() < 0.3:
            amount = None  # described, not yet monetised
        start = at.date() + timedelta(days=rng.randint(0, 90)) if rng.random() < 0.8 else None
        years = rng.choice((1, 2, 3))
        self.rows.add(
            "benefit",
            {
                "id": self.ids.take("benefit"),
                "project_id": self.pid,
                "kind": kind,
                "description": rng.choice(words.BENEFITS[kind]),
                "amount_pence": amount,
                "currency": "GBP",
                "beneficiary": rng.choice(words.BENEFICIARIES)
                if kind is BenefitKind.FISCAL
                else None,
                "period_start": start,
                "period_end": start + timedelta(days=365 * years - 1) if start else None,
                "deadweight_bp": 250 * rng.randint(0, 20),
                "attribution_bp": 500 * rng.randint(10, 20),
                "confidence": rng.randint(*grades),
                "stage": stage,
                "recorded_by_id": None,
                "recorded_at": at,
                "archived_at": None,
            },
        )
        self.seen(at)

    def lesson(
        self,
        at: datetime,
        stage: Stage,
        kind: LessonKind | None,
        decision_id: int | None = None,
    ) -> None:
        rng = self.rng
        kind = kind or rng.choice(list(LessonKind))
        barriers: list[Barrier] = []
        if kind not in (LessonKind.WHAT_WORKED, LessonKind.ENABLER):
            barriers = rng.sample(_BARRIERS, rng.choice((1, 1, 2, 3)))
        why, next_time = words.LESSON_REASONS[barriers[0] if barriers else None]
        body = (
            f"What was meant to happen: {rng.choice(words.LESSON_PLANS)}. "
            f"What happened: {rng.choice(words.LESSON_HAPPENINGS)}. Why: {why}. "
            f"Next time: {next_time}."
        )
        wider = [v for v in Visibility if v.breadth > self.visibility.breadth]
        shared_with = rng.choice(wider) if wider and rng.random() < 0.45 else None
        lesson_id = self.ids.take("lesson")
        self.rows.add(
            "lesson",
            {
                "id": lesson_id,
                "project_id": self.pid,
                "kind": kind,
                "title": words.BARRIER_TITLES[barriers[0]]
                if kind is LessonKind.BARRIER
                else rng.choice(words.LESSON_TITLES[kind]),
                "body": body,
                "stage": stage,
                "shared_with": shared_with,
                "anonymised": rng.random() < (0.5 if shared_with else 0.05),
                "decision_id": decision_id,
                "recorded_by_id": None,
                "recorded_at": at,
                "archived_at": None,
            },
        )
        for barrier in barriers:
            self.rows.add("lesson_barrier", {"lesson_id": lesson_id, "barrier": barrier})
        self.seen(at)

"""The stored economics: after any change, each project's row holds, to the penny, the
figures the API works out from its lines on read."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.access import Actor
from inset.archive.service import archive_record
from inset.db import transaction
from inset.economics import calc, corrections, service, stored
from inset.economics.models import Benefit, BenefitKind, Cost, CostCategory
from inset.errors import DomainError
from inset.ids import to_global_id
from inset.migrate import alembic_config
from inset.projects import service as projects
from inset.projects.models import InnovationType, Project
from tests.economics.stored_figures import PENNY, assert_current, kept, reference

ECONOMICS = """
query Economics($id: ID!) {
  node(id: $id) {
    ... on Project {
      economics {
        grossCost { amount } totalCost { amount } grossBenefit { amount }
        adjustedBenefit { amount } netBenefit { amount } benefitCostRatio fiscalRoi
        paybackMonths presentValueBenefit { amount }
      }
    }
  }
}
"""

RECORD_COST = """
mutation($input: RecordCostInput!) {
  recordCost(input: $input) { cost { id version } userErrors { code message } }
}
"""
RECORD_BENEFIT = """
mutation($input: RecordBenefitInput!) {
  recordBenefit(input: $input) { benefit { id version } userErrors { code message } }
}
"""
UPDATE_COST = """
mutation($input: UpdateCostInput!) {
  updateCost(input: $input) { cost { version } userErrors { code message } }
}
"""
UPDATE_BENEFIT = """
mutation($input: UpdateBenefitInput!) {
  updateBenefit(input: $input) { benefit { version } userErrors { code message } }
}
"""
ARCHIVE = """
mutation($input: ArchiveRecordInput!) {
  archiveRecord(input: $input) { archivedId userErrors { code message } }
}
"""
UPDATE_PROJECT = """
mutation($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { version startedOn } userErrors { code message } }
}
"""


def api_figures(row: calc.Economics) -> dict[str, Any]:
    """A stored row as the API shows it: pounds with two decimal places, ratios as floats."""

    def money(amount: Decimal) -> dict[str, str]:
        return {"amount": f"{amount.quantize(PENNY)}"}

    return {
        "grossCost": money(row.gross_cost),
        "totalCost": money(row.total_cost),
        "grossBenefit": money(row.gross_benefit),
        "adjustedBenefit": money(row.adjusted_benefit),
        "netBenefit": money(row.net_benefit),
        "benefitCostRatio": row.benefit_cost_ratio,
        "fiscalRoi": row.fiscal_roi,
        "paybackMonths": row.payback_months,
        "presentValueBenefit": money(row.present_value_benefit),
    }


async def test_after_changes_through_the_api_the_stored_row_is_what_the_api_shows(
    api: Any, world: Any, engine: Engine
) -> None:
    # given a project starting 1 April 2025 and its lead's token
    lead = world.lead()
    token = world.token(lead)
    project = world.project(lead, started_on=date(2025, 4, 1))
    gid = to_global_id("Project", project.id or 0)

    async def change(query: str, input: dict[str, Any]) -> dict[str, Any]:
        data = await api.data(query, {"input": input}, token=token)
        [payload] = data.values()
        assert payload["userErrors"] == []
        result: dict[str, Any] = payload
        return result

    async def shown_and_stored() -> tuple[dict[str, Any], calc.Economics]:
        shown = (await api.data(ECONOMICS, {"id": gid}, token=token))["node"]["economics"]
        row = kept(engine)[project.id or 0]
        assert shown == api_figures(row)
        assert_current(engine)
        return shown, row

    # a new project has its row, all zero
    _, row = await shown_and_stored()
    assert (row.total_cost, row.benefit_cost_ratio, row.payback_months) == (0, None, None)

    # when the README's worked example is recorded
    cost = (
        await change(
            RECORD_COST,
            {
                "projectId": gid,
                "category": "STAFF",
                "description": "Two family support workers",
                "amount": {"amount": "10000.00"},
                "confidence": 2,
            },
        )
    )["cost"]
    benefit = (
        await change(
            RECORD_BENEFIT,
            {
                "projectId": gid,
                "kind": "FISCAL",
                "description": "Fewer children taken into care",
                "amount": {"amount": "24000.00"},
                "beneficiary": "Northmoor children's services",
                "periodStart": "2025-04-01",
                "periodEnd": "2027-03-31",
                "deadweight": 0.25,
                "attribution": 0.8,
                "confidence": 3,
            },
        )
    )["benefit"]

    # then the row holds the figures worked out by hand
    _, row = await shown_and_stored()
    assert row.total_cost == Decimal("10500.00")  # 10,000 x 1.05
    assert row.adjusted_benefit == Decimal("12960.00")  # 24,000 x 0.75 x 0.8 x 0.9
    assert row.net_benefit == Decimal("2460.00")
    assert row.benefit_cost_ratio == 1.23  # 12,960 / 10,500
    assert row.fiscal_roi == 0.23  # (12,960 - 10,500) / 10,500
    assert row.payback_months == 20  # 540.00 a month: 20 x 540 = 10,800 >= 10,500
    assert row.present_value_benefit == Decimal("12740.87")  # 6,480 + 6,480 / 1.035

    # when the cost is corrected to grade 4 and a second cost and a social benefit come
    await change(
        UPDATE_COST,
        {"id": cost["id"], "expectedVersion": cost["version"], "confidence": 4},
    )
    second = (
        await change(
            RECORD_COST,
            {
                "projectId": gid,
                "category": "TRAINING",
                "description": "Training for the team",
                "amount": {"amount": "333.33"},
                "confidence": 6,
            },
        )
    )["cost"]
    await change(
        RECORD_BENEFIT,
        {
            "projectId": gid,
            "kind": "SOCIAL",
            "description": "Wellbeing of the families",
            "amount": {"amount": "7777.77"},
            "periodStart": "2026-01-15",
            "periodEnd": "2031-06-30",
            "deadweight": 0.1234,
            "attribution": 0.6667,
            "confidence": 5,
        },
    )
    # then the row follows: 10,000 x 1.15 + 333.33 x 1.40 = 11,500 + 466.66 (466.662)
    _, row = await shown_and_stored()
    assert row.total_cost == Decimal("11966.66")

    # when the benefit's period is corrected, the second cost archived and the start moved
    await change(
        UPDATE_BENEFIT,
        {
            "id": benefit["id"],
            "expectedVersion": benefit["version"],
            "periodEnd": "2029-03-31",
        },
    )
    await change(ARCHIVE, {"id": second["id"], "reason": "Entered twice"})
    _, row = await shown_and_stored()
    assert row.total_cost == Decimal("11500.00")
    await change(
        UPDATE_PROJECT,
        {"projectId": gid, "expectedVersion": 1, "startedOn": "2024-10-01"},
    )

    # then the row is still the API's figures, payback now counted from October 2024:
    # 12,960 over the 48 months from April 2025 (month 7) is 270.00 a month; 42 months
    # (to month 48) make 11,340, short of 11,500, and 43 make 11,610: month 49
    shown, row = await shown_and_stored()
    assert row.payback_months == 49
    assert shown["paybackMonths"] == 49


@pytest.fixture
def lead(world: Any) -> Actor:
    actor: Actor = world.lead()
    return actor


class Operations:
    """Random changes through every service that touches what the figures read."""

    def __init__(self, engine: Engine, lead: Actor, projects: list[int], rng: random.Random):
        self.engine, self.lead, self.projects, self.rng = engine, lead, projects, rng
        self.refused = 0

    def amount(self) -> Decimal:
        return Decimal(self.rng.randint(1, 5_000_000)).scaleb(-2)

    def share(self) -> Decimal:
        return Decimal(self.rng.randint(0, 10_000)).scaleb(-4)

    def period(self) -> dict[str, date | None]:
        if self.rng.random() < 0.3:
            return {"period_start": None, "period_end": None}
        start = date(2023, 1, 1) + timedelta(days=self.rng.randint(0, 2000))
        end = None if self.rng.random() < 0.2 else start + timedelta(self.rng.randint(0, 4000))
        return {"period_start": start, "period_end": end}

    def line(self, model: type[Cost] | type[Benefit]) -> Any:
        with Session(self.engine) as session:
            rows = list(
                session.exec(sa.select(model).where(col(model.archived_at).is_(None))).scalars()
            )
        return self.rng.choice(rows) if rows else None

    def record_cost(self, session: Session) -> None:
        service.record_cost(
            session=session,
            actor=self.lead,
            project_id=self.rng.choice(self.projects),
            category=self.rng.choice(list(CostCategory)),
            description="A cost",
            amount=self.amount(),
            confidence=self.rng.randint(1, 6),
        )

    def record_benefit(self, session: Session) -> None:
        service.record_benefit(
            session=session,
            actor=self.lead,
            project_id=self.rng.choice(self.projects),
            kind=self.rng.choice(list(BenefitKind)),
            description="A benefit",
            amount=None if self.rng.random() < 0.15 else self.amount(),
            beneficiary="Northmoor Council",
            deadweight=self.share(),
            attribution=self.share(),
            confidence=self.rng.randint(1, 6),
            **self.period(),
        )

    def update_cost(self, session: Session) -> None:
        cost = self.line(Cost)
        if cost is None:
            return
        changes = self.rng.choice(
            [{"amount": self.amount()}, {"confidence": self.rng.randint(1, 6)}]
        )
        corrections.update_cost(
            session=session,
            actor=self.lead,
            cost_id=cost.id,
            expected_version=cost.version,
            changes=changes,
        )

    def update_benefit(self, session: Session) -> None:
        benefit = self.line(Benefit)
        if benefit is None:
            return
        changes: dict[str, Any] = self.rng.choice(
            [
                {"amount": None if self.rng.random() < 0.2 else self.amount()},
                {"deadweight": self.share(), "attribution": self.share()},
                {"confidence": self.rng.randint(1, 6)},
                {"kind": self.rng.choice(list(BenefitKind))},
                self.period(),
            ]
        )
        corrections.update_benefit(
            session=session,
            actor=self.lead,
            benefit_id=benefit.id,
            expected_version=benefit.version,
            changes=changes,
        )

    def archive(self, session: Session) -> None:
        model = self.rng.choice([Cost, Benefit])
        row = self.line(model)
        if row is not None:
            archive_record(
                session=session,
                actor=self.lead,
                type_name=model.__name__,
                record_id=row.id,
                reason="Recorded in error",
            )

    def move_start(self, session: Session) -> None:
        pid = self.rng.choice(self.projects)
        project = session.get(Project, pid)
        assert project is not None
        start = date(2022, 1, 1) + timedelta(days=self.rng.randint(0, 1500))
        projects.update_project(
            session=session,
            actor=self.lead,
            project_id=pid,
            expected_version=project.version,
            changes={"started_on": start},
        )

    def new_project(self, session: Session) -> None:
        project = projects.create_project(
            session=session,
            actor=self.lead,
            title=f"Project {len(self.projects) + 1}",
            summary="Another way to support families.",
            innovation_type=self.rng.choice(list(InnovationType)),
            lead_organisation_id=self.lead.organisation_id or 0,
            started_on=date(2024, 1, 1) + timedelta(days=self.rng.randint(0, 700)),
        )
        self.projects.append(project.id or 0)

    def refused_correction(self, session: Session) -> None:
        """A correction the rules refuse (a fraction of a penny): nothing changes."""
        cost = self.line(Cost)
        if cost is not None:
            corrections.update_cost(
                session=session,
                actor=self.lead,
                cost_id=cost.id,
                expected_version=cost.version,
                changes={"amount": Decimal("0.001")},
            )

    def all(self) -> list[Callable[[Session], None]]:
        return [
            self.record_cost,
            self.record_cost,
            self.record_benefit,
            self.record_benefit,
            self.update_cost,
            self.update_benefit,
            self.archive,
            self.move_start,
            self.new_project,
            self.refused_correction,
        ]

    def run(self, step: Callable[[Session], None]) -> None:
        try:
            with transaction(self.engine) as session:
                step(session)
        except DomainError:
            self.refused += 1


@pytest.mark.parametrize("seed", [1, 2])
def test_every_writer_keeps_the_stored_figures_current(
    world: Any, engine: Engine, lead: Actor, seed: int
) -> None:
    # given two projects of the lead's organisation
    ids = [world.project(lead).id, world.project(lead, started_on=date(2024, 6, 30)).id]
    operations = Operations(engine, lead, ids, random.Random(seed))
    steps = operations.all()

    # when random changes are made, one transaction each
    for _ in range(60):
        operations.run(operations.rng.choice(steps))
        # then after each one every project's stored row equals the reference
        assert_current(engine)
    assert operations.refused > 0  # refused changes were among them, and left no trace


def test_a_new_optimism_bias_recomputes_every_row_once(
    world: Any, engine: Engine, lead: Actor
) -> None:
    # given projects with lines, stored on the default bias
    operations = Operations(engine, lead, [world.project(lead).id], random.Random(7))
    for step in [operations.new_project] + [operations.record_cost] * 5:
        operations.run(step)
    for _ in range(5):
        operations.run(operations.record_benefit)
    assert_current(engine)
    bias = tuple(Decimal(p).scaleb(-2) for p in ("0", "10", "20", "30.5", "50", "200"))

    # when the server starts with another bias
    recomputed = stored.use_basis(engine, bias)

    # then every row is worked out again on it, and a second start has nothing to do
    assert recomputed == 2
    assert reference(engine, bias) != reference(engine)
    assert_current(engine, bias)
    assert stored.use_basis(engine, bias) == 0
    # and the writers store on the new bias from then on
    operations.run(operations.record_cost)
    operations.run(operations.move_start)
    assert_current(engine, bias)


def test_the_migration_fills_the_figures_of_existing_projects(
    world: Any, engine: Engine, lead: Actor, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given projects with lines, then the table taken away as before this version
    operations = Operations(engine, lead, [world.project(lead).id], random.Random(11))
    for step in [operations.new_project, operations.new_project] + operations.all() * 3:
        operations.run(step)
    expected = reference(engine)
    config = alembic_config(db_url)
    command.downgrade(config, "0017")
    assert "project_economics" not in sa.inspect(engine).get_table_names()

    # when the migration runs, its batches smaller than the projects
    monkeypatch.setattr(stored, "BATCH", 2)
    command.upgrade(config, "head")

    # then every project has its row, equal to the reference
    assert len(expected) >= 4
    assert kept(engine) == expected
    assert_current(engine)


def test_db_upgrade_with_another_optimism_bias_recomputes_the_stored_figures(
    world: Any, engine: Engine, lead: Actor, db_url: str, tmp_path: Path
) -> None:
    # given projects with lines, stored on the default bias
    operations = Operations(engine, lead, [world.project(lead).id], random.Random(5))
    for step in [operations.new_project] + [operations.record_cost, operations.record_benefit] * 4:
        operations.run(step)

    def upgrade(bias: str) -> str:
        environment = {
            **os.environ,
            "INSET_DATABASE_URL": db_url,
            "INSET_SECRET_FILE": str(tmp_path / "secret"),
            "INSET_OPTIMISM_BIAS": bias,
        }
        done = subprocess.run(
            [sys.executable, "-m", "inset", "db", "upgrade"],
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=True,
        )
        return done.stdout

    # when `inset db upgrade` runs with another bias, then once more
    first = upgrade("0,10,20,30,50,100")
    second = upgrade("0,10,20,30,50,100")

    # then the first run recomputes both projects on it, and the second has nothing to do
    assert "recomputed the stored economics of 2 projects" in first
    assert "recomputed" not in second
    bias = tuple(Decimal(p).scaleb(-2) for p in (0, 10, 20, 30, 50, 100))
    assert_current(engine, bias)


def test_two_changes_to_one_project_at_once_both_count(
    world: Any, engine: Engine, lead: Actor
) -> None:
    # given a project
    project_id = world.project(lead).id
    first_recorded, second_started = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def record(amount: str) -> None:
        with transaction(engine) as session:
            service.record_cost(
                session=session,
                actor=lead,
                project_id=project_id,
                category=CostCategory.STAFF,
                description="A cost",
                amount=Decimal(amount),
                confidence=2,
            )
            if not first_recorded.is_set():
                # hold this transaction open while the other change starts
                first_recorded.set()
                second_started.wait(10)
                time.sleep(0.5)

    def second() -> None:
        first_recorded.wait(10)
        second_started.set()
        try:
            record("200.00")
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    # when a second cost is recorded while the first one's transaction is still open
    other = threading.Thread(target=second)
    other.start()
    record("100.00")
    other.join(30)

    # then the stored figures count both costs, whichever committed first
    assert failures == []
    assert_current(engine)
    assert kept(engine)[project_id].total_cost == Decimal("315.00")  # 300 x 1.05


def test_figures_beyond_what_the_table_holds_are_refused_naming_the_amount() -> None:
    # 10,001 costs of just under £10bn each (the most a line may be) come to over £100tn
    line = calc.CostLine(amount=Decimal("9999999999.99"), confidence=1)
    figures = calc.compute_economics(
        costs=[line] * 10_001, benefits=[], project_start=date(2025, 4, 1)
    )
    with pytest.raises(DomainError) as refused:
        stored.stored_values(1, figures, "a basis")
    assert refused.value.code == "INVALID"
    assert refused.value.field == ("amount", "amount")
    assert "gross cost would reach £100,000,000,000,000" in refused.value.message
    # one line fewer fits
    fits = calc.compute_economics(
        costs=[line] * 10_000, benefits=[], project_start=date(2025, 4, 1)
    )
    assert stored.stored_values(1, fits, "a basis")["total_cost"] == Decimal("99999999999900.00")

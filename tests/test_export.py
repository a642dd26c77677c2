"""`inset export`: staff reports of the portfolio and the lessons, streamed as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tracemalloc
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from inset.access import ANONYMOUS, SYSTEM
from inset.cli import _output
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import transaction, utcnow
from inset.economics.models import Benefit, Cost
from inset.economics.service import economics_for, live_benefits, live_costs
from inset.export import export, portfolio_rows
from inset.generator import generate_portfolio, themes_from_file
from inset.ids import to_global_id
from inset.lessons.models import Barrier, Lesson, LessonBarrier, LessonKind
from inset.lessons.service import archive_lesson, readable_lessons, record_lesson
from inset.organisations.models import Organisation
from inset.projects.models import Project, ProjectTheme, Visibility
from inset.projects.service import archive_project
from inset.themes.models import Theme

THEMES = themes_from_file(Path(__file__).resolve().parents[1] / "seeds" / "themes.json")

ECONOMICS = """
query Economics($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Project {
      id
      economics {
        totalCost { amount }
        adjustedBenefit { amount }
        netBenefit { amount }
        benefitCostRatio
      }
    }
  }
}
"""

PUBLIC_LESSONS = """
query PublicLessons($after: String) {
  lessons(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id project { id } organisation { name } organisationKind region visibility }
  }
}
"""

PUBLIC_PROJECTS = """
query PublicProjects($after: String) {
  projects(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id }
  }
}
"""


def generate(engine: Engine, projects: int = 200, seed: int = 11) -> None:
    generate_portfolio(engine, projects=projects, seed=seed, themes=THEMES)


def report(engine: Engine, what: Any, fmt: Any, *, public_only: bool = False) -> str:
    out = io.StringIO()
    export(engine, what, fmt, out, public_only=public_only)
    return out.getvalue()


def as_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def portfolio(engine: Engine) -> dict[str, int]:
    """A generated portfolio with one project and one lesson archived since."""
    generate(engine)
    with Session(engine) as session:
        project_id = session.scalar(sa.select(Project.id).order_by(Project.id).limit(1))
        lesson_id = session.scalar(
            sa.select(Lesson.id).where(Lesson.project_id != project_id).order_by(Lesson.id)
        )
    with transaction(engine) as session:
        archive_project(session=session, actor=SYSTEM, project_id=project_id, reason="A test")
    with transaction(engine) as session:
        archive_lesson(session=session, actor=SYSTEM, lesson_id=lesson_id, reason="A test")
    return {"archived_project": project_id or 0, "archived_lesson": lesson_id or 0}


def live_projects(engine: Engine) -> list[Project]:
    with Session(engine) as session:
        stmt = sa.select(Project).where(Project.archived_at.is_(None)).order_by(Project.id)
        return list(session.scalars(stmt))


def live_lessons(engine: Engine, actor: Any = SYSTEM) -> list[Lesson]:
    with Session(engine) as session:
        return list(session.scalars(readable_lessons(actor).order_by(Lesson.id)))


def test_the_portfolio_as_csv_has_a_header_and_one_row_per_live_project(engine, portfolio):
    rows = as_csv(report(engine, "portfolio", "csv"))

    assert [r["id"] for r in rows] == [to_global_id("Project", p.id) for p in live_projects(engine)]
    assert to_global_id("Project", portfolio["archived_project"]) not in {r["id"] for r in rows}
    assert list(rows[0])[:3] == ["id", "title", "stage"]


def test_the_portfolio_as_json_is_one_array_of_the_same_rows(engine, portfolio):
    from_csv = as_csv(report(engine, "portfolio", "csv"))

    from_json = json.loads(report(engine, "portfolio", "json"))

    assert [r["id"] for r in from_json] == [r["id"] for r in from_csv]
    first = from_json[0]
    assert isinstance(first["partner_count"], int)
    assert isinstance(first["themes"], list)
    assert Decimal(first["total_cost"]) == Decimal(from_csv[0]["total_cost"])


def test_the_lessons_have_one_row_per_live_lesson_in_both_formats(engine, portfolio):
    expected = [to_global_id("Lesson", x.id) for x in live_lessons(engine)]

    from_csv = as_csv(report(engine, "lessons", "csv"))
    from_json = json.loads(report(engine, "lessons", "json"))

    assert [r["id"] for r in from_csv] == expected
    assert [r["id"] for r in from_json] == expected
    assert to_global_id("Lesson", portfolio["archived_lesson"]) not in expected


def test_the_themes_and_barriers_are_the_records_own(engine, portfolio):
    with Session(engine) as session:
        themes: dict[str, list[str]] = defaultdict(list)
        for project_id, name in session.execute(
            sa.select(ProjectTheme.project_id, Theme.name).join(Theme)
        ):
            themes[to_global_id("Project", project_id)].append(name)
        barriers: dict[str, list[Barrier]] = defaultdict(list)
        for lesson_id, barrier in session.execute(
            sa.select(LessonBarrier.lesson_id, LessonBarrier.barrier)
        ):
            barriers[to_global_id("Lesson", lesson_id)].append(barrier)

    for row in json.loads(report(engine, "portfolio", "json")):
        assert row["themes"] == sorted(themes[row["id"]])
    for row in as_csv(report(engine, "lessons", "csv")):
        tags = sorted(barriers[row["id"]], key=list(Barrier).index)
        assert row["barriers"] == "; ".join(b.value for b in tags)


def test_the_economics_columns_are_the_figures_the_economics_service_works_out(engine, portfolio):
    rows = {r["id"]: r for r in as_csv(report(engine, "portfolio", "csv"))}

    with Session(engine) as session:
        for project in live_projects(engine):
            costs = session.scalars(live_costs().where(Cost.project_id == project.id))
            benefits = session.scalars(live_benefits().where(Benefit.project_id == project.id))
            figures = economics_for(
                costs=list(costs),
                benefits=list(benefits),
                project_start=project.started_on,
                optimism_bias=DEFAULT_OPTIMISM_BIAS,
            )
            row = rows[to_global_id("Project", project.id)]
            assert Decimal(row["total_cost"]) == figures.total_cost
            assert Decimal(row["adjusted_benefit"]) == figures.adjusted_benefit
            assert Decimal(row["net_benefit"]) == figures.net_benefit
            ratio = figures.benefit_cost_ratio
            assert row["benefit_cost_ratio"] == ("" if ratio is None else f"{ratio:.2f}")


async def test_the_economics_columns_equal_the_api_figures(engine, portfolio, api, world):
    rows = json.loads(report(engine, "portfolio", "json"))
    chosen = [r for r in rows if r["benefit_cost_ratio"] is not None][:3]
    chosen += [r for r in rows if r["total_cost"] == "0.00"][:1]
    token = world.token(world.staff)

    data = await api.data(ECONOMICS, {"ids": [r["id"] for r in chosen]}, token=token)

    for row, node in zip(chosen, data["nodes"], strict=True):
        figures = node["economics"]
        assert row["total_cost"] == figures["totalCost"]["amount"]
        assert row["adjusted_benefit"] == figures["adjustedBenefit"]["amount"]
        assert row["net_benefit"] == figures["netBenefit"]["amount"]
        assert row["benefit_cost_ratio"] == figures["benefitCostRatio"]


def test_a_project_row_reads_as_the_project_does(engine, portfolio):
    project = live_projects(engine)[0]
    with Session(engine) as session:
        lead = session.get(Organisation, project.lead_organisation_id)

    row = json.loads(report(engine, "portfolio", "json"))[0]

    assert row["title"] == project.title
    assert (row["stage"], row["status"]) == (project.stage.value, project.status.value)
    assert row["lead_organisation"] == lead.name
    assert (row["lead_organisation_kind"], row["region"]) == (lead.kind.value, lead.region)
    assert row["evidence_level"] == project.evidence_level
    assert row["stage_entered_at"] == project.stage_entered_at.isoformat()
    assert row["days_in_stage"] == (utcnow() - project.stage_entered_at).days


def test_anonymised_lessons_leave_their_project_and_organisation_blank(engine, portfolio):
    lessons = {to_global_id("Lesson", x.id): x for x in live_lessons(engine)}

    rows = as_csv(report(engine, "lessons", "csv"))

    anonymised = [r for r in rows if lessons[r["id"]].anonymised]
    assert anonymised
    for row in rows:
        lesson = lessons[row["id"]]
        shown = not lesson.anonymised
        assert bool(row["project_id"]) is shown
        assert bool(row["organisation"]) is shown
        assert row["organisation_kind"]
        if shown:
            assert row["project_id"] == to_global_id("Project", lesson.project_id)


async def test_public_only_holds_exactly_what_an_anonymous_reader_sees(engine, portfolio, api):
    projects = json.loads(report(engine, "portfolio", "json", public_only=True))
    lessons = json.loads(report(engine, "lessons", "json", public_only=True))

    seen_projects = await every(api, PUBLIC_PROJECTS, "projects")
    seen_lessons = {node["id"]: node for node in await every(api, PUBLIC_LESSONS, "lessons")}

    assert {p["id"] for p in projects} == {node["id"] for node in seen_projects}
    assert {p["visibility"] for p in projects} == {"PUBLIC"}
    assert {x["id"] for x in lessons} == set(seen_lessons)
    for row in lessons:
        node = seen_lessons[row["id"]]
        assert row["project_id"] == (node["project"] or {}).get("id")
        assert row["organisation"] == (node["organisation"] or {}).get("name")
        assert row["organisation_kind"] == node["organisationKind"]
        assert row["visibility"] == node["visibility"] == "PUBLIC"
    assert any(row["project_id"] is None for row in lessons)
    assert any(row["organisation"] is None for row in lessons)


async def every(api: Any, document: str, field: str) -> list[dict[str, Any]]:
    """Every node of a connection, page by page, as an anonymous reader."""
    found: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await api.data(document, {"after": after}))[field]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def test_public_only_leaves_out_every_private_and_members_record(engine, portfolio):
    public = {
        to_global_id("Project", p.id)
        for p in live_projects(engine)
        if p.visibility is Visibility.PUBLIC
    }
    readable = {to_global_id("Lesson", x.id) for x in live_lessons(engine, ANONYMOUS)}

    projects = as_csv(report(engine, "portfolio", "csv", public_only=True))
    lessons = as_csv(report(engine, "lessons", "csv", public_only=True))

    assert {r["id"] for r in projects} == public
    assert {r["id"] for r in lessons} == readable
    assert {r["project_id"] for r in lessons} - {""} <= public


def inset(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSET_DATABASE_URL": db_url, "INSET_SECRET_FILE": str(tmp_path / "s")}
    return subprocess.run(
        [sys.executable, "-m", "inset", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def test_the_command_writes_a_file_or_stdout(engine, db_url, tmp_path):
    generate(engine, projects=30)
    target = tmp_path / "portfolio.json"

    to_file = inset(
        db_url, tmp_path, "export", "portfolio", "--format", "json", "--out", str(target)
    )
    to_stdout = inset(db_url, tmp_path, "export", "lessons", "--format", "csv", "--public-only")

    assert to_file.returncode == 0, to_file.stderr
    assert to_file.stdout == f"exported 30 rows of portfolio to {target}\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 30
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stderr == ""  # no progress bar when stderr is not a terminal
    assert len(as_csv(to_stdout.stdout)) == len(live_lessons(engine, ANONYMOUS))


def write_half_then_fail(target: Path) -> None:
    with _output(str(target)) as out:
        out.write("id,title\n")
        raise RuntimeError("the database went away")


def test_a_report_file_appears_only_once_it_is_complete(tmp_path):
    with pytest.raises(RuntimeError, match="went away"):
        write_half_then_fail(tmp_path / "lessons.csv")

    assert list(tmp_path.iterdir()) == []


def wipe(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


def peak_of(work: Any) -> int:
    """The most memory Python held at once while `work` ran, in bytes, above what it held before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def export_both(engine: Engine) -> None:
    with open(os.devnull, "w", encoding="utf-8") as sink:
        export(engine, "portfolio", "json", sink)
        export(engine, "lessons", "csv", sink)


def settled(engine: Engine) -> int:
    """The peak of an export after a first one, which fills caches (compiled statements,
    type adapters) that are no part of the rows."""
    export_both(engine)
    return peak_of(lambda: export_both(engine))


def held(engine: Engine) -> int:
    """What the portfolio's rows take when they are all kept: what streaming avoids."""

    def work() -> None:
        with engine.connect() as conn:
            rows = list(
                portfolio_rows(
                    conn, actor=SYSTEM, optimism_bias=DEFAULT_OPTIMISM_BIAS, now=utcnow()
                )
            )
            assert rows

    return peak_of(work)


def test_export_memory_stays_flat_however_many_projects(engine):
    # given a portfolio above the 2,000 rows a stream fetches at a time, then twice as large
    generate(engine, projects=2_500)
    smaller = settled(engine)
    wipe(engine)
    generate(engine, projects=5_000)

    # when
    larger = settled(engine)
    kept = held(engine)

    # then twice the projects take about the same memory, far below keeping the rows
    assert larger < smaller * 1.25 + 250_000, (smaller, larger)
    assert larger < kept / 2, (larger, kept)
    assert larger < 8_000_000


def test_an_anonymised_lesson_of_a_public_project_names_neither_in_the_public_export(world):
    # given a public project with an anonymised lesson and an ordinary one
    lead = world.lead(world.org("Northmoor Borough Council"))
    project = world.project(lead, visibility=Visibility.PUBLIC)
    with transaction(world.engine) as session:
        for anonymised in (True, False):
            record_lesson(
                session=session,
                actor=lead,
                project_id=project.id,
                kind=LessonKind.BARRIER,
                title="Evening meetings",
                body="Carers could not come in the evening.",
                anonymised=anonymised,
            )

    rows = json.loads(report(world.engine, "lessons", "json", public_only=True))

    assert [(r["project_id"], r["organisation"]) for r in rows] == [
        (None, None),
        (to_global_id("Project", project.id), "Northmoor Borough Council"),
    ]
    assert {r["organisation_kind"] for r in rows} == {"LOCAL_AUTHORITY"}

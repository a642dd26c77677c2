"""The demo portfolio in seeds/, loaded through the services by inset.seed."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from inset.accounts import service as accounts
from inset.accounts.models import Account, Role
from inset.db import utcnow
from inset.gates import service as gates
from inset.gates.models import GateDecision, GateDecisionKind
from inset.lessons.models import Lesson, LessonBarrier
from inset.organisations.models import Organisation, OrganisationKind
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import STAGES, Project, ProjectStatus, Visibility
from inset.seed import SeedError, is_empty, load_seeds
from inset.themes.models import Theme
from tests.economics.stored_figures import assert_current

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_file(name: str) -> Any:
    return json.loads((SEEDS / name).read_text(encoding="utf-8"))


def rows(engine: Engine, model: type[SQLModel]) -> list[Any]:
    """Every row of the table, in primary-key order."""
    keys = sa.inspect(model).primary_key
    with Session(engine) as session:
        return list(session.scalars(sa.select(model).order_by(*keys)))


def table_counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            table.name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in SQLModel.metadata.sorted_tables
        }


@pytest.fixture
def loaded(engine: Engine) -> str:
    return load_seeds(engine, SEEDS)


def test_the_seeds_load_into_an_empty_database_and_say_what_they_loaded(engine):
    # given
    assert is_empty(engine)

    # when
    summary = load_seeds(engine, SEEDS)

    # then
    organisations = len(seed_file("organisations.json")["organisations"])
    assert summary.startswith(
        f"{organisations} organisations, {len(seed_file('accounts.json')['accounts'])} accounts, "
        f"{len(seed_file('themes.json')['themes'])} themes, "
    )
    assert f"{len(rows(engine, Project))} projects" in summary
    assert not is_empty(engine)


def test_loading_into_a_database_with_data_is_refused_and_changes_nothing(engine, loaded):
    # given
    before = table_counts(engine)

    # when / then
    with pytest.raises(SeedError, match="the database already has data"):
        load_seeds(engine, SEEDS)
    assert table_counts(engine) == before


def test_a_failing_step_names_where_it_failed_and_loads_nothing(engine, tmp_path):
    # given a copy of the seeds whose first GO comes before the project has any cost
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    path = folder / "projects-adolescents.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    steps = data["projects"][0]["steps"]
    steps[:] = [s for s in steps if "cost" not in s]
    path.write_text(json.dumps(data), encoding="utf-8")

    # when
    with pytest.raises(SeedError) as refused:
        load_seeds(engine, folder)

    # then
    message = str(refused.value)
    assert message.startswith("projects-adolescents.json: project 'Safe Return")
    assert "step 4 (decision on 2021-07-05)" in message
    assert "GATE_NOT_MET" in message
    assert "record at least one estimated cost" in message
    assert is_empty(engine)
    assert table_counts(engine)["audit_event"] == 0


def test_the_incubators_four_streams_are_among_the_themes(engine, loaded):
    names = {theme.name for theme in rows(engine, Theme)}

    assert names >= {
        "Adolescent mental health",
        "Placement sufficiency",
        "Adolescent safeguarding",
        "Youth crime",
    }


def test_the_portfolio_has_projects_at_every_stage_and_in_every_status(engine, loaded):
    projects = rows(engine, Project)

    assert {p.stage for p in projects} == set(STAGES)
    assert {p.status for p in projects} == set(ProjectStatus)
    assert {p.visibility for p in projects} == set(Visibility)
    assert {p.evidence_level for p in projects} >= {0, 1, 2, 3, 4, 5}


def test_at_least_three_trials_were_stopped_each_with_lessons_and_barriers(engine, loaded):
    stopped = [p for p in rows(engine, Project) if p.status is ProjectStatus.STOPPED]
    lessons = rows(engine, Lesson)
    barriers = rows(engine, LessonBarrier)

    assert len(stopped) >= 3
    for project in stopped:
        theirs = [lesson for lesson in lessons if lesson.project_id == project.id]
        assert theirs, project.title
        tagged = {b.lesson_id for b in barriers} & {lesson.id for lesson in theirs}
        assert tagged, f"{project.title} has no lesson with a barrier tag"
    assert {p.stage for p in stopped} >= {STAGES[0], STAGES[1], STAGES[2]}


def test_some_lessons_reach_further_than_their_project_and_some_are_anonymised(engine, loaded):
    lessons = rows(engine, Lesson)

    assert any(lesson.shared_with is Visibility.PUBLIC and lesson.anonymised for lesson in lessons)
    assert any(
        lesson.shared_with is Visibility.PUBLIC and not lesson.anonymised for lesson in lessons
    )
    assert any(lesson.shared_with is Visibility.MEMBERS for lesson in lessons)


def test_a_project_on_hold_has_a_revisit_date_ahead(engine, loaded):
    on_hold = [p for p in rows(engine, Project) if p.status is ProjectStatus.ON_HOLD]

    assert on_hold
    assert all(p.revisit_on is not None and p.revisit_on >= utcnow().date() for p in on_hold)


def test_children_missing_fell_from_45_in_july_2021_to_24_in_january_2022(engine, loaded):
    [outcome] = [o for o in rows(engine, Outcome) if o.name == "children missing"]
    readings = {
        o.observed_on: o.value for o in rows(engine, Observation) if o.outcome_id == outcome.id
    }

    assert not outcome.higher_is_better
    assert outcome.baseline == 45
    assert outcome.baseline_on is not None
    assert (outcome.baseline_on.year, outcome.baseline_on.month) == (2021, 7)
    assert [v for d, v in readings.items() if (d.year, d.month) == (2022, 1)] == [24]
    chat = [o for o in rows(engine, Outcome) if o.name.startswith("young people engaging")]
    assert [o.value for o in rows(engine, Observation) if o.outcome_id == chat[0].id][-1] == 78


def test_the_demo_accounts_sign_in_with_their_demo_passwords(engine, loaded):
    demo = [a for a in seed_file("accounts.json")["accounts"] if a.get("password")]
    organisations = {o.id: o for o in rows(engine, Organisation)}

    with Session(engine) as session:
        signed_in = [
            accounts.verify_password(session=session, email=a["email"], password=a["password"])
            for a in demo
        ]
        wrong = accounts.verify_password(
            session=session, email=demo[0]["email"], password="not-the-demo-password"
        )

    assert all(isinstance(account, Account) for account in signed_in)
    assert wrong is None
    assert {a.role for a in signed_in} == set(Role)
    lead_kinds = {organisations[a.organisation_id].kind for a in signed_in if a.role is Role.LEAD}
    assert lead_kinds >= {
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.CHARITY,
        OrganisationKind.PRIVATE_PARTNER,
    }


def test_every_go_met_its_gate_at_the_time_unless_staff_overrode_it_with_a_reason(
    engine, monkeypatch
):
    # given a spy that checks the gate's readiness just before each GO is taken
    decide = gates.decide_gate
    seen: list[tuple[str, bool, bool]] = []

    def checked(**kwargs: Any) -> Any:
        if kwargs["decision"] is GateDecisionKind.GO:
            project = kwargs["session"].get(Project, kwargs["project_id"])
            ready = gates.readiness(session=kwargs["session"], project=project).ready
            seen.append((project.title, ready, bool(kwargs.get("override"))))
        return decide(**kwargs)

    monkeypatch.setattr(gates, "decide_gate", checked)

    # when
    load_seeds(engine, SEEDS)

    # then
    overridden = [title for title, ready, override in seen if override]
    assert all(ready or override for _, ready, override in seen)
    assert overridden == ["Night and weekend helpline for young people at risk of exploitation"]
    staff = {a.id for a in rows(engine, Account) if a.role is Role.STAFF}
    for decision in rows(engine, GateDecision):
        if decision.override:
            assert decision.decided_by_id in staff
            assert decision.unmet_criteria
            assert "override" in decision.rationale.lower()
        else:
            assert decision.unmet_criteria == []


def test_timestamps_follow_the_dates_of_the_steps(engine, loaded):
    projects = {p.title: p for p in rows(engine, Project)}
    decisions = rows(engine, GateDecision)

    safe_return = next(p for t, p in projects.items() if t.startswith("Safe Return"))
    assert safe_return.created_at.date() == date(2021, 4, 12)
    theirs = [d for d in decisions if d.project_id == safe_return.id]
    assert [d.decided_at.date() for d in theirs] == [
        date(2021, 7, 5),
        date(2022, 3, 28),
        date(2023, 9, 18),
    ]
    assert safe_return.stage_entered_at == theirs[-1].decided_at
    assert safe_return.last_decision_at == theirs[-1].decided_at
    stalled = [
        p
        for p in projects.values()
        if p.status is ProjectStatus.ACTIVE and p.last_decision_at < utcnow() - timedelta(days=90)
    ]
    assert len(stalled) >= 2
    assert all(p.updated_at >= p.last_decision_at >= p.created_at for p in projects.values())


def test_the_story_moves_forward_whole_years_once_its_newest_step_is_a_year_old():
    from datetime import date, timedelta

    from inset.db import utcnow
    from inset.seed import shifted, years_to_shift

    today = utcnow().date()
    recent = [{"on": (today - timedelta(days=40)).isoformat(), "steps": []}]
    old = [{"on": "2020-01-15", "steps": [{"on": (today - timedelta(days=800)).isoformat()}]}]

    assert years_to_shift(recent) == 0
    assert years_to_shift(old) == 2
    assert shifted(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert shifted(date(2021, 7, 1), 2) == date(2023, 7, 1)


def test_every_seeded_project_has_its_stored_economics(engine, loaded):
    assert_current(engine)

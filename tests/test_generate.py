"""`inset generate`: a synthetic portfolio, written in bulk, that obeys the services' rules."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from inset.audit.models import AuditEvent
from inset.db import NAME_LENGTH, TEXT_LENGTH, utcnow
from inset.economics.calc import BenefitLine, CostLine, compute_economics
from inset.economics.models import Benefit, BenefitKind, Cost
from inset.economics.service import MAX_AMOUNT, pounds, share
from inset.evidence.levels import derive_evidence_level
from inset.evidence.models import Evidence, EvidenceKind
from inset.gates.criteria import Facts, gather_facts
from inset.gates.models import GateDecision, GateDecisionKind
from inset.gates.service import evaluate
from inset.generator import GenerateError, generate_portfolio, themes_from_file
from inset.generator.vocabulary import REGIONS
from inset.lessons.models import Lesson, LessonBarrier
from inset.organisations.models import Organisation, OrganisationKind
from inset.outcomes.models import Observation, Outcome
from inset.outcomes.service import figure
from inset.privacy.personal_data import find_personal_data
from inset.projects.models import STAGES, Project, ProjectPartner, ProjectStatus, Stage
from inset.projects.service import refresh_evidence_level
from tests.economics.stored_figures import assert_current

THEMES = themes_from_file(Path(__file__).resolve().parents[1] / "seeds" / "themes.json")
TODAY = utcnow().date()  # one day for every generation in a run, so runs compare equal
MIDNIGHT = datetime.combine(TODAY, time(0), UTC)
PROJECTS = 300
GO = GateDecisionKind.GO


def generate(engine: Engine, seed: int = 7, projects: int = PROJECTS) -> str:
    return str(generate_portfolio(engine, projects=projects, seed=seed, themes=THEMES, today=TODAY))


def digest(engine: Engine) -> str:
    """A hash of every row of every table but the audit trail, in primary-key order."""
    found = hashlib.sha256()
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "audit_event":
                continue
            for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns)):
                found.update(repr(tuple(row)).encode())
    return found.hexdigest()


def wipe(engine: Engine) -> None:
    """Every row of data; the basis of the stored economics is a setting, like the revision."""
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name != "economics_basis":
                conn.execute(table.delete())


@dataclass
class Portfolio:
    """Every generated row, grouped by project."""

    projects: list[Project]
    decisions: dict[int, list[GateDecision]]
    evidence: dict[int, list[Evidence]]
    outcomes: dict[int, list[Outcome]]
    observations: dict[int, list[Observation]]  # by outcome
    costs: dict[int, list[Cost]]
    benefits: dict[int, list[Benefit]]
    lessons: dict[int, list[Lesson]]
    partners: Counter[int]


def grouped(session: Session, model: Any, key: str = "project_id") -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for row in session.scalars(sa.select(model).order_by(model.id)):
        found[getattr(row, key)].append(row)
    return found


@pytest.fixture
def portfolio(engine: Engine, session: Session) -> Portfolio:
    generate(engine)
    decisions = grouped(session, GateDecision)
    for rows in decisions.values():
        rows.sort(key=lambda d: (d.decided_at, d.id))
    return Portfolio(
        projects=list(session.scalars(sa.select(Project).order_by(Project.id))),
        decisions=decisions,
        evidence=grouped(session, Evidence),
        outcomes=grouped(session, Outcome),
        observations=grouped(session, Observation, "outcome_id"),
        costs=grouped(session, Cost),
        benefits=grouped(session, Benefit),
        lessons=grouped(session, Lesson),
        partners=Counter(session.scalars(sa.select(ProjectPartner.project_id))),
    )


def facts_before(p: Portfolio, project: Project, decision: GateDecision) -> Facts:
    """The project's facts as they stood when the decision was taken: records dated before it."""
    pid, moment = project.id or 0, decision.decided_at
    evidence = [e for e in p.evidence[pid] if e.recorded_at < moment]
    outcomes = [o for o in p.outcomes[pid] if o.created_at < moment]
    observed = 0
    for outcome in outcomes:
        days = sorted(o.observed_on for o in p.observations[outcome.id] if o.recorded_at < moment)
        if outcome.baseline_on is not None:
            observed += any(day > outcome.baseline_on for day in days)
        else:
            observed += len(set(days)) > 1
    costs = [c for c in p.costs[pid] if c.recorded_at < moment]
    benefits = [b for b in p.benefits[pid] if b.recorded_at < moment and b.amount_pence]
    lessons = [lesson for lesson in p.lessons[pid] if lesson.recorded_at < moment]
    economics = compute_economics(
        costs=[CostLine(pounds(c.amount_pence), c.confidence) for c in costs],
        benefits=[
            BenefitLine(
                pounds(b.amount_pence or 0),
                b.kind.value,
                share(b.deadweight_bp),
                share(b.attribution_bp),
                b.confidence,
                b.period_start,
                b.period_end,
            )
            for b in benefits
        ],
        project_start=project.started_on,
    )
    return Facts(
        has_problem=bool(project.problem),
        has_theory_of_change=bool(project.theory_of_change),
        evidence_level=derive_evidence_level(
            has_theory_of_change=bool(project.theory_of_change),
            stage=decision.from_stage,
            has_partner=p.partners[pid] > 0,
            claims=[(e.level, e.independent) for e in evidence],
        ),
        outcomes_with_baseline=sum(o.baseline is not None for o in outcomes),
        outcomes_observed_after_baseline=observed,
        costs_by_stage=Counter(c.stage for c in costs),
        monetised_benefits=len(benefits),
        lessons_by_stage=Counter(lesson.stage for lesson in lessons),
        independent_evaluations=sum(
            e.independent and (e.level >= 4 or e.kind is EvidenceKind.EVALUATION_REPORT)
            for e in evidence
        ),
        partners=p.partners[pid],
        benefit_cost_ratio=economics.benefit_cost_ratio,
    )


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows(engine: Engine):
    # given
    generate(engine, seed=7)
    first = digest(engine)
    wipe(engine)

    # when
    generate(engine, seed=7)
    again = digest(engine)
    wipe(engine)
    generate(engine, seed=8)

    # then
    assert again == first
    assert digest(engine) != first


def test_the_funnel_narrows_from_idea_to_scale(portfolio: Portfolio):
    by_stage = Counter(p.stage for p in portfolio.projects)

    counts = [by_stage[stage] for stage in STAGES]
    assert counts == sorted(counts, reverse=True)
    assert len(set(counts)) == 4
    assert 0.35 < counts[0] / PROJECTS < 0.55


def test_about_one_in_seven_is_stopped_at_every_stage_and_some_are_on_hold(portfolio: Portfolio):
    stopped = [p for p in portfolio.projects if p.status is ProjectStatus.STOPPED]
    on_hold = [p for p in portfolio.projects if p.status is ProjectStatus.ON_HOLD]

    assert 0.08 < len(stopped) / PROJECTS < 0.23
    assert len({p.stage for p in stopped}) >= 3
    assert on_hold


def test_some_active_projects_have_stalled_for_a_year_or_more(portfolio: Portfolio):
    stalled = [
        p
        for p in portfolio.projects
        if p.status is ProjectStatus.ACTIVE and p.last_decision_at < MIDNIGHT - timedelta(days=365)
    ]

    assert 0 < len(stalled) < PROJECTS / 4


def test_every_stopped_project_has_the_lesson_given_with_its_stop(portfolio: Portfolio):
    for project in portfolio.projects:
        if project.status is ProjectStatus.STOPPED:
            stop = portfolio.decisions[project.id or 0][-1]
            assert stop.decision is GateDecisionKind.STOP
            given = [x for x in portfolio.lessons[project.id or 0] if x.decision_id == stop.id]
            assert len(given) == 1
            assert given[0].stage is stop.from_stage
            assert given[0].recorded_at == stop.decided_at


def test_each_go_was_taken_with_its_gate_met_by_the_records_dated_before_it(
    portfolio: Portfolio,
):
    checked = 0
    for project in portfolio.projects:
        for decision in portfolio.decisions[project.id or 0]:
            if decision.decision is GO:
                facts = facts_before(portfolio, project, decision)
                readiness = evaluate(
                    stage=decision.from_stage, to_stage=decision.to_stage, facts=facts
                )
                assert readiness.ready, (project.id, decision.to_stage, readiness.unmet_mandatory)
                checked += 1
    assert checked > PROJECTS / 2


def test_every_project_meets_now_the_gate_into_the_stage_it_is_at(
    portfolio: Portfolio, session: Session
):
    facts = gather_facts(session=session, projects=portfolio.projects)

    for project in portfolio.projects:
        if project.stage is not Stage.IDEA:
            previous = STAGES[project.stage.order - 1]
            readiness = evaluate(stage=previous, to_stage=project.stage, facts=facts[project.id])
            assert readiness.ready, (project.id, readiness.unmet_mandatory)


def test_the_history_of_decisions_explains_each_project(portfolio: Portfolio):
    allowed = {
        GO: {ProjectStatus.ACTIVE},
        GateDecisionKind.HOLD: {ProjectStatus.ACTIVE},
        GateDecisionKind.RECYCLE: {ProjectStatus.ACTIVE},
        GateDecisionKind.RESUME: {ProjectStatus.ON_HOLD},
        GateDecisionKind.STOP: {ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD},
    }
    for project in portfolio.projects:
        decisions = portfolio.decisions[project.id or 0]
        stage, status = Stage.IDEA, ProjectStatus.ACTIVE
        entered = last = project.created_at
        for decision in decisions:
            assert decision.decided_at > last
            assert decision.from_stage is stage
            assert status in allowed[decision.decision]
            if decision.decision is GO:
                assert decision.to_stage.order == stage.order + 1
            if decision.decision is GateDecisionKind.RECYCLE:
                assert decision.to_stage.order < stage.order
            if decision.decision in (GateDecisionKind.RECYCLE, GateDecisionKind.STOP):
                assert any(x.decision_id == decision.id for x in portfolio.lessons[project.id])
            if decision.revisit_on is not None:
                assert decision.decision is GateDecisionKind.HOLD
                assert decision.revisit_on >= decision.decided_at.date()
            if decision.to_stage is not stage:
                entered = decision.decided_at
            stage, status, last = decision.to_stage, decision.status_after, decision.decided_at
        assert (project.stage, project.status) == (stage, status)
        assert (project.stage_entered_at, project.last_decision_at) == (entered, last)
        assert project.version == 1 + len(decisions)
        assert project.revisit_on == (decisions[-1].revisit_on if decisions else None)
        assert project.created_at <= project.updated_at < MIDNIGHT
        assert project.started_on <= TODAY


def test_the_evidence_level_is_the_one_the_service_derives(portfolio: Portfolio, session: Session):
    stored = {p.id: p.evidence_level for p in portfolio.projects}

    derived = {p.id: refresh_evidence_level(session=session, project=p) for p in portfolio.projects}

    assert derived == stored
    assert {1, 2, 3, 4} <= set(stored.values())


def test_no_text_holds_personal_data_even_as_public_text(engine: Engine, portfolio: Portfolio):
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, sa.String) and c.name != "id"]
            for row in conn.execute(sa.select(*texts)) if texts else []:
                for value in row:
                    if isinstance(value, str):
                        assert find_personal_data(value, public=True) is None, value


def test_figures_and_texts_are_within_the_services_rules(portfolio: Portfolio):
    for project in portfolio.projects:
        pid = project.id or 0
        assert 0 < len(project.title) <= NAME_LENGTH
        assert 0 < len(project.summary) <= TEXT_LENGTH
        for cost in portfolio.costs[pid]:
            assert 0 < cost.amount_pence < MAX_AMOUNT * 100
            assert 1 <= cost.confidence <= 6
            assert cost.currency == "GBP"
            if cost.period_start and cost.period_end:
                assert cost.period_start <= cost.period_end
        for benefit in portfolio.benefits[pid]:
            assert benefit.amount_pence is None or 0 < benefit.amount_pence < MAX_AMOUNT * 100
            assert 1 <= benefit.confidence <= 6
            assert 0 <= benefit.deadweight_bp <= 10_000
            assert 0 <= benefit.attribution_bp <= 10_000
            assert benefit.kind is not BenefitKind.FISCAL or benefit.beneficiary
        for item in portfolio.evidence[pid]:
            assert 1 <= item.level <= 5
        for outcome in portfolio.outcomes[pid]:
            for value in (outcome.baseline, outcome.target):
                assert value is None or figure(value, "value") == value
            assert outcome.baseline_on is None or outcome.baseline is not None
            for reading in portfolio.observations[outcome.id]:
                assert figure(reading.value, "value") == reading.value
                assert reading.observed_on <= reading.recorded_at.date()
                assert outcome.baseline_on is None or reading.observed_on >= outcome.baseline_on
                assert outcome.created_at < reading.recorded_at
        for lesson in portfolio.lessons[pid]:
            assert lesson.stage.order <= max(
                [project.stage.order] + [d.from_stage.order for d in portfolio.decisions[pid]]
            )
            reach = lesson.shared_with
            assert reach is None or reach.breadth > project.visibility.breadth


def test_organisations_are_mostly_local_authorities_across_the_regions(
    portfolio: Portfolio, session: Session
):
    organisations = list(session.scalars(sa.select(Organisation)))
    kinds = Counter(o.kind for o in organisations)

    assert kinds.most_common(1)[0][0] is OrganisationKind.LOCAL_AUTHORITY
    assert {o.region for o in organisations} <= {name for name, _ in REGIONS}
    assert len({o.region for o in organisations}) >= 7
    assert len({o.name for o in organisations}) == len(organisations)


def test_one_audit_event_summarises_the_generation(portfolio: Portfolio, session: Session):
    events = list(session.scalars(sa.select(AuditEvent)))
    barriers = session.scalar(sa.select(sa.func.count()).select_from(LessonBarrier))

    assert len(events) == 1
    assert events[0].action == "portfolio.generate"
    assert events[0].account_id is None
    assert events[0].changes["project"] == [None, PROJECTS]
    assert events[0].changes["lesson_barrier"] == [None, barriers]
    assert events[0].changes["seed"] == [None, 7]


def test_generate_refuses_a_database_that_already_has_projects(engine: Engine, world):
    # given
    world.project(world.lead())
    before = digest(engine)

    # when
    with pytest.raises(GenerateError, match="already has projects"):
        generate(engine)

    # then
    assert digest(engine) == before


def test_the_ids_go_on_from_the_generated_ones_after_generation(engine: Engine, world):
    # given
    generate(engine, projects=20)

    # when
    project = world.project(world.lead())

    # then
    assert project.id == 21


def inset(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "INSET_DATABASE_URL": db_url,
        "INSET_SECRET_FILE": str(tmp_path / "secret"),
    }
    return subprocess.run(
        [sys.executable, "-m", "inset", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def test_the_command_generates_then_refuses_to_generate_again(db_url: str, tmp_path: Path):
    themes = str(Path(__file__).resolve().parents[1] / "seeds" / "themes.json")

    first = inset(db_url, tmp_path, "generate", "--projects", "40", "--themes", themes)
    again = inset(db_url, tmp_path, "generate", "--projects", "40", "--themes", themes)

    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("generated with seed 1: 40 projects, 30 organisations")
    assert first.stderr == ""  # no progress bar when stderr is not a terminal
    assert again.returncode == 1
    assert again.stderr == (
        "inset: the database already has projects: generate into a new, migrated database\n"
    )


def test_every_generated_project_has_its_stored_economics(engine: Engine, portfolio: Portfolio):
    # The rows go in by bulk insert, past the services: the figures are stored all the same.
    assert_current(engine)
    with Session(engine) as session:
        costed = session.exec(sa.select(sa.func.count(sa.distinct(Cost.project_id)))).one()
    assert costed[0] > PROJECTS // 2  # most projects have lines, so the figures are worth it

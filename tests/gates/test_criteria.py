"""The gate criteria table, how it is evaluated, and the facts it is checked against."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from conftest import statement_counter
from sqlmodel import Session

from inset.db import pk
from inset.evidence.models import EvidenceKind
from inset.gates.criteria import GATES, Facts, gather_facts
from inset.gates.service import evaluate
from inset.lessons.models import LessonKind
from inset.projects.models import Stage
from tests.gates.gate_records import Records, current

THEORY = "A trusted adult checking in within a day of return means fewer missing episodes."


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


def facts_of(engine, project, **kwargs) -> Facts:
    with Session(engine) as session:
        row = current(engine, project)
        return gather_facts(session=session, projects=[row], **kwargs)[pk(row)]


def test_each_gate_has_the_criteria_of_the_design_with_their_mandatory_flags():
    table = {stage: [(c.code, c.mandatory) for c in criteria] for stage, criteria in GATES.items()}

    assert table == {
        Stage.PILOT: [
            ("problem_stated", True),
            ("theory_of_change_stated", True),
            ("outcome_with_baseline", True),
            ("estimated_cost", True),
            ("theme_set", False),
            ("partner_named", False),
        ],
        Stage.EVALUATION: [
            ("evidence_level_2", True),
            ("outcome_observed_after_baseline", True),
            ("pilot_costs_recorded", True),
            ("lesson_recorded", True),
            ("benefit_estimated", False),
        ],
        Stage.SCALE: [
            ("evidence_level_3", True),
            ("independent_evaluation", True),
            ("benefits_recorded", True),
            ("evaluation_lesson", True),
            ("bcr_at_least_1", False),
            ("replication_partner", False),
        ],
    }


def test_every_criterion_tells_a_lead_what_to_do_in_a_sentence():
    for criteria in GATES.values():
        for criterion in criteria:
            assert criterion.description[0].isupper()
            assert criterion.description.endswith(".")


def test_nothing_recorded_meets_no_mandatory_criterion_of_any_gate():
    for stage in (Stage.PILOT, Stage.EVALUATION, Stage.SCALE):
        readiness = evaluate(stage=Stage.IDEA, to_stage=stage, facts=Facts())

        assert not readiness.ready
        assert readiness.unmet_mandatory == [c.code for c in GATES[stage] if c.mandatory]


def test_readiness_defaults_to_the_gate_into_the_next_stage():
    readiness = evaluate(stage=Stage.PILOT, to_stage=None, facts=Facts())

    assert readiness.to_stage is Stage.EVALUATION
    assert [c.code for c in readiness.criteria] == [c.code for c in GATES[Stage.EVALUATION]]


def test_ready_needs_only_the_mandatory_criteria():
    facts = Facts(
        has_problem=True,
        has_theory_of_change=True,
        outcomes_with_baseline=1,
        costs_by_stage={Stage.IDEA: 1},
    )

    readiness = evaluate(stage=Stage.IDEA, to_stage=None, facts=facts)

    assert readiness.ready
    unmet_advice = [c.code for c in readiness.criteria if not c.met]
    assert unmet_advice == ["theme_set", "partner_named"]


def test_a_gate_beyond_the_next_one_is_evaluated_for_planning():
    facts = Facts(evidence_level=3, independent_evaluations=1)

    readiness = evaluate(stage=Stage.IDEA, to_stage=Stage.SCALE, facts=facts)

    met = {c.code: c.met for c in readiness.criteria}
    assert met["evidence_level_3"]
    assert met["independent_evaluation"]
    assert not met["evaluation_lesson"]


@pytest.mark.parametrize(
    ("stage", "to_stage", "expected"),
    [
        (Stage.SCALE, None, Stage.SCALE),
        (Stage.PILOT, Stage.PILOT, Stage.PILOT),
        (Stage.EVALUATION, Stage.PILOT, Stage.PILOT),
        (Stage.IDEA, Stage.IDEA, Stage.IDEA),
    ],
)
def test_a_gate_the_project_is_past_or_that_does_not_exist_has_no_criteria_and_is_not_ready(
    stage, to_stage, expected
):
    readiness = evaluate(stage=stage, to_stage=to_stage, facts=Facts())

    assert readiness.to_stage is expected
    assert not readiness.ready
    assert readiness.criteria == []


def test_an_observation_counts_only_when_dated_after_the_outcomes_baseline(world, engine, records):
    lead = world.lead()
    project = world.project(lead)
    outcome = records.outcome(lead, project, baseline_on=date(2024, 1, 31))
    records.observe(lead, outcome, date(2024, 1, 31))
    assert facts_of(engine, project).outcomes_observed_after_baseline == 0

    records.observe(lead, outcome, date(2024, 2, 1))

    assert facts_of(engine, project).outcomes_observed_after_baseline == 1


def test_without_a_baseline_date_a_second_later_observation_shows_change(world, engine, records):
    lead = world.lead()
    project = world.project(lead)
    outcome = records.outcome(lead, project, baseline=None, baseline_on=None)
    records.observe(lead, outcome, date(2024, 3, 1), "30")
    records.observe(lead, outcome, date(2024, 3, 1), "31")
    assert facts_of(engine, project).outcomes_observed_after_baseline == 0
    assert facts_of(engine, project).outcomes_with_baseline == 0

    records.observe(lead, outcome, date(2024, 4, 1), "22")

    assert facts_of(engine, project).outcomes_observed_after_baseline == 1


def test_an_independent_evaluation_is_an_independent_report_or_level_4_claim(
    world, engine, records
):
    lead = world.lead()
    project = world.project(lead, theory_of_change=THEORY)
    records.evidence(lead, project, 3, EvidenceKind.EVALUATION_REPORT, independent=False)
    records.evidence(lead, project, 4, EvidenceKind.COMPARISON_STUDY, independent=False)
    assert facts_of(engine, project).independent_evaluations == 0

    records.evidence(lead, project, 2, EvidenceKind.EVALUATION_REPORT, independent=True)
    records.evidence(lead, project, 4, EvidenceKind.RANDOMISED_TRIAL, independent=True)

    assert facts_of(engine, project).independent_evaluations == 2


def test_the_benefit_cost_ratio_is_worked_out_as_economics_shows_it(world, engine, records):
    # cost 10,000 at grade 2: 10,000 x 1.05 = 10,500
    # benefit 24,000, deadweight 0.25, attribution 0.8, grade 3: 24,000 x 0.75 x 0.8 x 0.9
    #   = 12,960; ratio 12,960 / 10,500 = 1.234... -> 1.23
    lead = world.lead()
    project = world.project(lead)
    assert facts_of(engine, project).benefit_cost_ratio is None  # no costs: no ratio
    records.cost(lead, project, "10000.00", confidence=2)
    assert facts_of(engine, project).benefit_cost_ratio == 0.0

    records.benefit(lead, project)

    facts = facts_of(engine, project)
    assert facts.benefit_cost_ratio == 1.23
    assert facts.monetised_benefits == 1
    # With no optimism bias at all: 24,000 x 0.75 x 0.8 / 10,000 = 1.44.
    no_bias = facts_of(engine, project, optimism_bias=[Decimal(0)] * 6)
    assert no_bias.benefit_cost_ratio == 1.44


def test_benefits_are_recorded_only_when_monetised_and_costs_make_a_ratio(world, engine, records):
    lead = world.lead()
    project = world.project(lead)
    records.benefit(lead, project, amount=None)
    scale = {c.code: c for c in GATES[Stage.SCALE]}

    assert not scale["benefits_recorded"].check(facts_of(engine, project))

    records.benefit(lead, project, amount=Decimal("1000.00"))
    assert not scale["benefits_recorded"].check(facts_of(engine, project))

    records.cost(lead, project, "5000.00")
    facts = facts_of(engine, project)
    assert scale["benefits_recorded"].check(facts)
    # 1,000 x 0.75 x 0.8 x 0.9 = 540 against 5,000 x 1.05 = 5,250: 0.10
    assert facts.benefit_cost_ratio == 0.1
    assert not scale["bcr_at_least_1"].check(facts)


def test_lessons_and_costs_are_counted_by_the_stage_they_came_from(world, engine, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    records.lesson(lead, project, stage=Stage.IDEA)
    records.lesson(lead, project, kind=LessonKind.BARRIER)
    records.cost(lead, project, "700.00")

    facts = facts_of(engine, project)

    assert facts.lessons_by_stage == {Stage.IDEA: 1, Stage.PILOT: 1}
    assert facts.costs_by_stage == {Stage.IDEA: 1, Stage.PILOT: 1}
    assert facts.lessons == 2


def test_facts_for_many_projects_take_the_same_number_of_statements_as_for_one(
    world, engine, records
):
    lead = world.lead()
    projects = [records.ready_for_pilot(world, lead) for _ in range(4)]

    def statements_for(rows) -> int:
        with Session(engine) as session:
            seen = statement_counter(engine)
            gather_facts(session=session, projects=rows)
            return len(seen)

    one = statements_for(projects[:1])
    four = statements_for(projects)

    assert one == four == 9

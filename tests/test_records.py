"""Corrections and partners' own keys in the services: every rule of creation applies to a
correction, versions guard it, the audit keeps from -> to, and a key is unique within the
organisation that recorded it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.access import Actor
from inset.audit.models import AuditEvent
from inset.db import transaction, utcnow
from inset.economics import corrections as economics_corrections
from inset.economics import service as economics
from inset.economics.models import BenefitKind, Cost, CostCategory
from inset.errors import DomainError, ErrorCode
from inset.evidence import service as evidence
from inset.evidence.models import Evidence, EvidenceKind
from inset.lessons import corrections as lesson_corrections
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.outcomes import corrections as outcome_corrections
from inset.outcomes import service as outcomes
from inset.projects.models import Project, Visibility
from tests.conftest import World

NHS_NUMBER_TEXT = "Follow-up for the child with NHS number 943 476 5919"


def run(engine: Engine, fn: Any, **kwargs: Any) -> Any:
    with transaction(engine) as session:
        return fn(session=session, **kwargs)


def error_of(engine: Engine, fn: Any, **kwargs: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        run(engine, fn, **kwargs)
    return caught.value


def events(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        stmt = sa.select(AuditEvent).where(col(AuditEvent.action) == action)
        return list(session.scalars(stmt.order_by(col(AuditEvent.id))))


def a_cost(engine: Engine, actor: Actor, project: Project, **overrides: Any) -> Cost:
    values: dict[str, Any] = {
        "category": CostCategory.STAFF,
        "description": "Two family support workers",
        "amount": Decimal("40000.00"),
        "confidence": 2,
    }
    return run(
        engine,
        economics.record_cost,
        actor=actor,
        project_id=project.id,
        **{**values, **overrides},
    )


def an_item(engine: Engine, actor: Actor, project: Project, **overrides: Any) -> Evidence:
    values: dict[str, Any] = {
        "kind": EvidenceKind.EVALUATION_REPORT,
        "title": "External evaluation",
        "summary": "An evaluator compared two cohorts.",
        "level": 4,
        "independent": False,
    }
    return run(
        engine,
        evidence.record_evidence,
        actor=actor,
        project_id=project.id,
        **{**values, **overrides},
    )


def test_a_corrected_cost_keeps_its_other_fields_and_moves_to_the_next_version(
    engine: Engine, world: World
) -> None:
    lead = world.lead()
    cost = a_cost(engine, lead, world.project(lead), funding_source="Innovation fund")

    corrected = run(
        engine,
        economics_corrections.update_cost,
        actor=lead,
        cost_id=cost.id,
        expected_version=1,
        changes={"amount": Decimal("42000.50"), "funding_source": None},
    )

    assert corrected.amount_pence == 4_200_050
    assert corrected.funding_source is None  # null clears an optional field
    assert corrected.description == "Two family support workers"  # left out: kept
    assert corrected.version == 2
    [event] = events(engine, "cost.update")
    assert event.changes == {
        "amount_pence": [4_000_000, 4_200_050],
        "funding_source": ["Innovation fund", None],
        "version": [1, 2],
    }


def test_a_stale_version_is_a_conflict_that_changes_nothing(engine: Engine, world: World) -> None:
    lead = world.lead()
    cost = a_cost(engine, lead, world.project(lead))
    run(
        engine,
        economics_corrections.update_cost,
        actor=lead,
        cost_id=cost.id,
        expected_version=1,
        changes={"confidence": 3},
    )

    error = error_of(
        engine,
        economics_corrections.update_cost,
        actor=lead,
        cost_id=cost.id,
        expected_version=1,
        changes={"confidence": 5},
    )

    assert error.code is ErrorCode.CONFLICT
    with Session(engine) as session:
        assert session.get(Cost, cost.id).confidence == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"description": NHS_NUMBER_TEXT}, ErrorCode.PERSONAL_DATA, ("description",)),
        (
            {"period_start": date(2025, 6, 1), "period_end": date(2025, 1, 1)},
            ErrorCode.INVALID,
            ("period_end",),
        ),
        ({"amount": Decimal("0.001")}, ErrorCode.INVALID, ("amount", "amount")),
        ({"confidence": 7}, ErrorCode.INVALID, ("confidence",)),
        ({"description": None}, ErrorCode.REQUIRED, ("description",)),
        ({"stage": "SCALE"}, ErrorCode.INVALID, None),
    ],
)
def test_a_correction_obeys_every_rule_of_recording(
    engine: Engine,
    world: World,
    changes: dict[str, Any],
    code: ErrorCode,
    field: tuple[str, ...] | None,
) -> None:
    lead = world.lead()
    cost = a_cost(engine, lead, world.project(lead))

    error = error_of(
        engine,
        economics_corrections.update_cost,
        actor=lead,
        cost_id=cost.id,
        expected_version=1,
        changes=changes,
    )

    assert (error.code, error.field) == (code, field)
    assert events(engine, "cost.update") == []


def test_a_partner_outside_the_project_cannot_correct_its_cost(
    engine: Engine, world: World
) -> None:
    lead, stranger = world.lead(), world.lead()
    cost = a_cost(engine, lead, world.project(lead))

    error = error_of(
        engine,
        economics_corrections.update_cost,
        actor=stranger,
        cost_id=cost.id,
        expected_version=1,
        changes={"confidence": 6},
    )

    assert error.code is ErrorCode.NOT_FOUND  # a private project does not exist for them


def test_correcting_evidence_derives_the_project_level_again(engine: Engine, world: World) -> None:
    lead = world.lead()
    project = world.project(lead)
    item = an_item(engine, lead, project)  # a level-4 claim counts only when independent
    with Session(engine) as session:
        assert session.get(Project, project.id).evidence_level < 4  # type: ignore[union-attr]

    run(
        engine,
        evidence.update_evidence,
        actor=lead,
        evidence_id=item.id,
        expected_version=1,
        changes={"independent": True},
    )

    with Session(engine) as session:
        assert session.get(Project, project.id).evidence_level == 4  # type: ignore[union-attr]
    [event] = events(engine, "evidence.update")
    assert event.changes["independent"] == [False, True]
    assert event.changes["project_evidence_level"][1] == 4


def test_a_correction_that_changes_nothing_keeps_the_version_and_writes_no_event(
    engine: Engine, world: World
) -> None:
    lead = world.lead()
    item = an_item(engine, lead, world.project(lead))

    same = run(
        engine,
        evidence.update_evidence,
        actor=lead,
        evidence_id=item.id,
        expected_version=1,
        changes={"title": "  External evaluation  "},
    )

    assert same.version == 1
    assert events(engine, "evidence.update") == []


def test_an_outcome_baseline_cannot_move_after_its_first_reading(
    engine: Engine, world: World
) -> None:
    lead = world.lead()
    project = world.project(lead)
    outcome = run(
        engine,
        outcomes.define_outcome,
        actor=lead,
        project_id=project.id,
        name="Children missing",
        unit="children a month",
        higher_is_better=False,
        baseline=Decimal(45),
        baseline_on=date(2021, 7, 31),
    )
    reading = run(
        engine,
        outcomes.observe_outcome,
        actor=lead,
        outcome_id=outcome.id,
        value=Decimal(30),
        observed_on=date(2021, 10, 31),
    )

    error = error_of(
        engine,
        outcome_corrections.update_outcome,
        actor=lead,
        outcome_id=outcome.id,
        expected_version=1,
        changes={"baseline_on": date(2021, 11, 30)},
    )
    assert (error.code, error.field) == (ErrorCode.INVALID, ("baseline_on",))

    corrected = run(
        engine,
        outcome_corrections.update_observation,
        actor=lead,
        observation_id=reading.id,
        expected_version=1,
        changes={"value": Decimal("24"), "note": "Recounted"},
    )
    assert (corrected.value, corrected.note, corrected.version) == (Decimal(24), "Recounted", 2)
    future = error_of(
        engine,
        outcome_corrections.update_observation,
        actor=lead,
        observation_id=reading.id,
        expected_version=2,
        changes={"observed_on": utcnow().date() + timedelta(days=2)},
    )
    assert (future.code, future.field) == (ErrorCode.INVALID, ("observed_on",))


def test_a_lesson_widened_to_public_is_checked_as_public_text(engine: Engine, world: World) -> None:
    lead = world.lead()
    project = world.project(lead)
    lesson = run(
        engine,
        lessons.record_lesson,
        actor=lead,
        project_id=project.id,
        kind=LessonKind.WHAT_DID_NOT_WORK,
        title="Evening drop-ins",
        body="Ring the duty desk on 0161 496 0000 to book.",
        barriers=["staff capacity"],
    )

    error = error_of(
        engine,
        lesson_corrections.update_lesson,
        actor=lead,
        lesson_id=lesson.id,
        expected_version=1,
        changes={"shared_with": Visibility.PUBLIC},
    )
    assert error.code is ErrorCode.PERSONAL_DATA

    corrected = run(
        engine,
        lesson_corrections.update_lesson,
        actor=lead,
        lesson_id=lesson.id,
        expected_version=1,
        changes={"barriers": ["funding", "culture"], "title": "Evening drop-ins failed"},
    )
    assert corrected.version == 2
    [event] = events(engine, "lesson.update")
    assert event.changes["barriers"] == [["staff capacity"], ["culture", "funding"]]


def test_an_external_id_used_again_by_the_same_organisation_names_the_holder(
    engine: Engine, world: World
) -> None:
    lead = world.lead()
    project = world.project(lead)
    first = a_cost(engine, lead, project, external_id="FIN-2025-001")

    error = error_of(
        engine,
        economics.record_cost,
        actor=lead,
        project_id=project.id,
        category=CostCategory.TRAINING,
        description="Training",
        amount=Decimal("100"),
        confidence=1,
        external_id="FIN-2025-001",
    )

    assert error.code is ErrorCode.DUPLICATE
    assert error.existing == ("Cost", first.id)  # type: ignore[attr-defined]


def test_a_partner_and_the_lead_each_use_their_own_keys_on_a_shared_project(
    engine: Engine, world: World
) -> None:
    lead_org, partner_org = world.org(), world.org()
    lead, partner = world.lead(lead_org), world.lead(partner_org)
    project = world.project(lead, partner_organisation_ids=[partner_org.id])

    mine = a_cost(engine, lead, project, external_id="1")
    theirs = a_cost(engine, partner, project, external_id="1")

    assert (mine.external_owner_id, theirs.external_owner_id) == (lead_org.id, partner_org.id)


def test_a_key_cannot_be_moved_onto_another_record(engine: Engine, world: World) -> None:
    lead = world.lead()
    project = world.project(lead)
    a_cost(engine, lead, project, external_id="A")
    other = a_cost(engine, lead, project, external_id="B")

    error = error_of(
        engine,
        economics_corrections.update_cost,
        actor=lead,
        cost_id=other.id,
        expected_version=1,
        changes={"external_id": "A"},
    )

    assert error.code is ErrorCode.DUPLICATE


@pytest.mark.parametrize("key", ["", "   ", "x" * 201, "line\nbreak"])
def test_a_blank_long_or_multiline_key_is_refused(engine: Engine, world: World, key: str) -> None:
    lead = world.lead()
    error = error_of(
        engine,
        economics.record_benefit,
        actor=lead,
        project_id=world.project(lead).id,
        kind=BenefitKind.SOCIAL,
        description="Better wellbeing",
        amount=None,
        confidence=4,
        external_id=key,
    )
    assert error.field == ("external_id",)


def test_a_lesson_made_anonymous_may_not_name_its_organisation(
    engine: Engine, world: World
) -> None:
    org = world.org("Northmoor Borough Council")
    lead = world.lead(org)
    lesson = run(
        engine,
        lessons.record_lesson,
        actor=lead,
        project_id=world.project(lead).id,
        kind=LessonKind.WHAT_WORKED,
        title="Family time",
        body="Northmoor Borough Council moved visits to Saturdays.",
    )

    error = error_of(
        engine,
        lesson_corrections.update_lesson,
        actor=lead,
        lesson_id=lesson.id,
        expected_version=1,
        changes={"anonymised": True},
    )

    assert (error.code, error.field) == (ErrorCode.ANONYMITY, ("body",))

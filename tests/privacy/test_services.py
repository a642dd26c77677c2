"""Every free text goes through the guard, and going public re-checks what it publishes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from inset.archive import service as archive
from inset.db import transaction
from inset.errors import DomainErrors, PersonalData
from inset.evidence import service as evidence
from inset.evidence.models import EvidenceKind
from inset.gates import service as gates
from inset.gates.models import GateDecisionKind
from inset.ids import to_global_id
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.projects import service as projects
from inset.projects.models import Visibility
from inset.themes import service as themes

PHONE = "Call Jo on 07700 900123"


def test_a_theme_name_is_public_text(world: Any, engine: Engine) -> None:
    staff = world.staff
    with pytest.raises(PersonalData) as refused, transaction(engine) as session:
        themes.create_theme(session=session, actor=staff, name="Referrals: jo@example.org")

    assert (refused.value.field, refused.value.kind) == (("name",), "an email address")


def test_a_lesson_shared_with_everyone_is_public_text_on_a_private_project(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead)

    def record(shared_with: Visibility | None) -> None:
        with transaction(engine) as session:
            lessons.record_lesson(
                session=session,
                actor=lead,
                project_id=project.id,
                kind=LessonKind.BARRIER,
                title="Information governance",
                body=f"Ask the IG lead first. {PHONE}.",
                shared_with=shared_with,
            )

    record(None)  # only the project's organisations read it: contacts are allowed
    with pytest.raises(PersonalData) as refused:
        record(Visibility.PUBLIC)

    assert (refused.value.field, refused.value.kind) == (("body",), "a phone number")


def test_going_public_reports_each_blocking_text_in_order_and_skips_archived_records(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead, problem=f"Families wait. {PHONE}.")
    with transaction(engine) as session:
        kept = evidence.record_evidence(
            session=session,
            actor=lead,
            project_id=project.id,
            kind=EvidenceKind.SURVEY,
            title="Survey",
            summary="Write to survey (at) example (dot) org",
            level=2,
        )
        archived = evidence.record_evidence(
            session=session,
            actor=lead,
            project_id=project.id,
            kind=EvidenceKind.SURVEY,
            title="Old survey",
            summary=PHONE,
            level=2,
        )
        gates.decide_gate(
            session=session,
            actor=lead,
            project_id=project.id,
            decision=GateDecisionKind.HOLD,
            rationale="Paused until the partner at LS1 4AB signs",
            expected_version=1,
        )
    with transaction(engine) as session:
        archive.archive_record(
            session=session,
            actor=lead,
            type_name="Evidence",
            record_id=archived.id,
            reason="Superseded",
        )

    with pytest.raises(DomainErrors) as refused, transaction(engine) as session:
        projects.set_visibility(
            session=session,
            actor=lead,
            project_id=project.id,
            visibility=Visibility.PUBLIC,
            expected_version=2,
        )

    project_node = to_global_id("Project", project.id)
    assert [(e.field, getattr(e, "kind", None)) for e in refused.value.each()] == [
        (("visibility", project_node, "problem"), "a phone number"),
        (("visibility", to_global_id("Evidence", kept.id), "summary"), "an email address"),
        (("visibility", to_global_id("GateDecision", 1), "rationale"), "a postcode"),
    ]
    assert "the problem of the project looks like it contains a phone number" in str(refused.value)


def test_sharing_with_members_does_not_look_for_contact_details(world: Any, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead, problem=f"Families wait. {PHONE}.")

    with transaction(engine) as session:
        shared = projects.set_visibility(
            session=session,
            actor=lead,
            project_id=project.id,
            visibility=Visibility.MEMBERS,
            expected_version=1,
        )

    assert shared.visibility is Visibility.MEMBERS

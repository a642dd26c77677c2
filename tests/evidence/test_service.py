from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.access import Actor
from inset.audit.models import AuditEvent
from inset.db import pk, transaction
from inset.errors import ErrorCode, Forbidden, Invalid, NotFound, PersonalData
from inset.evidence import service
from inset.evidence.models import Evidence, EvidenceKind
from inset.projects.models import Project, Stage, Visibility

THEORY = "Fewer children go missing when a trusted adult checks in within a day of return."
NHS_NUMBER = "943 476 5919"  # valid modulus 11 check digit


def record(engine: Engine, actor: Actor, project: Project, **overrides: Any) -> Evidence:
    values: dict[str, Any] = {
        "kind": EvidenceKind.MONITORING_DATA,
        "title": "Missing episodes before and after",
        "summary": "Monthly missing episodes fell after the return-home chats began.",
        "level": 2,
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.record_evidence(
            session=session, actor=actor, project_id=pk(project), **values
        )


def level_of(engine: Engine, project: Project) -> int:
    with Session(engine) as session:
        row = session.get(Project, project.id)
        assert row is not None
        return row.evidence_level


def set_stage(engine: Engine, project: Project, stage: Stage) -> None:
    # Gate decisions belong to another piece; the stage is set directly for the test.
    with transaction(engine) as session:
        session.execute(sa.update(Project).where(col(Project.id) == project.id).values(stage=stage))


def count_evidence(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Evidence)) or 0


def test_a_theory_of_change_alone_is_level_1_and_monitoring_data_makes_it_2(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead, theory_of_change=THEORY)
    assert level_of(engine, project) == 1

    evidence = record(engine, lead, project, level=2)

    assert level_of(engine, project) == 2
    assert evidence.stage is Stage.IDEA
    assert evidence.recorded_by_id == lead.account_id


def test_a_project_with_nothing_is_level_0_and_a_claim_lifts_it(world: Any, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead)
    assert level_of(engine, project) == 0

    record(engine, lead, project, level=3, kind=EvidenceKind.COMPARISON_STUDY)

    assert level_of(engine, project) == 3


def test_a_level_4_claim_counts_only_when_independent(world: Any, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead, theory_of_change=THEORY)
    record(engine, lead, project, level=2)

    record(engine, lead, project, level=4, independent=False, title="Our own evaluation")
    assert level_of(engine, project) == 2

    record(
        engine,
        lead,
        project,
        level=4,
        independent=True,
        kind=EvidenceKind.EVALUATION_REPORT,
        title="University evaluation",
    )
    assert level_of(engine, project) == 4


def test_a_level_5_claim_counts_only_at_scale_with_a_partner(world: Any, engine: Engine) -> None:
    lead = world.lead()
    partner = world.org()
    alone = world.project(lead, theory_of_change=THEORY)
    partnered = world.project(lead, theory_of_change=THEORY, partner_organisation_ids=[partner.id])

    record(engine, lead, partnered, level=5, title="Run in three more areas")
    assert level_of(engine, partnered) == 1  # at IDEA it does not count

    set_stage(engine, alone, Stage.SCALE)
    set_stage(engine, partnered, Stage.SCALE)
    record(engine, lead, alone, level=5, title="Run elsewhere")
    at_scale = record(engine, lead, partnered, level=5, title="Run elsewhere")

    assert level_of(engine, alone) == 1  # no partner organisation
    assert level_of(engine, partnered) == 5
    assert at_scale.stage is Stage.SCALE


def test_archiving_evidence_lowers_the_level_and_records_the_reason(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead, theory_of_change=THEORY)
    record(engine, lead, project, level=2)
    study = record(engine, lead, project, level=3, kind=EvidenceKind.COMPARISON_STUDY)
    assert level_of(engine, project) == 3

    with transaction(engine) as session:
        service.archive_evidence(
            session=session, actor=lead, evidence_id=pk(study), reason="Wrong comparison group"
        )

    assert level_of(engine, project) == 2
    with Session(engine) as session:
        archived = session.get(Evidence, study.id)
        assert archived is not None
        assert archived.archived_at is not None
        event = session.scalars(
            sa.select(AuditEvent).where(col(AuditEvent.action) == "evidence.archive")
        ).one()
    assert event.entity_id == study.id
    assert event.changes["reason"] == [None, "Wrong comparison group"]
    assert event.changes["project_evidence_level"] == [3, 2]


def test_archived_evidence_cannot_be_archived_again(world: Any, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead)
    evidence = record(engine, lead, project)
    with transaction(engine) as session:
        service.archive_evidence(session=session, actor=lead, evidence_id=pk(evidence), reason="x")

    with Session(engine) as session, pytest.raises(NotFound) as refused:
        service.archive_evidence(session=session, actor=lead, evidence_id=pk(evidence), reason="x")
    assert refused.value.field == ("id",)


@pytest.mark.parametrize("level", [0, 6, -1])
def test_a_level_outside_1_to_5_is_invalid_and_nothing_is_stored(
    world: Any, engine: Engine, level: int
) -> None:
    lead = world.lead()
    project = world.project(lead)

    with pytest.raises(Invalid) as refused:
        record(engine, lead, project, level=level)

    assert refused.value.field == ("level",)
    assert "1 to 5" in refused.value.message
    with Session(engine) as session:
        assert count_evidence(session) == 0


def test_an_nhs_number_in_a_summary_is_refused_on_any_project(world: Any, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead, visibility=Visibility.PRIVATE)

    with pytest.raises(PersonalData) as refused:
        record(engine, lead, project, summary=f"One child ({NHS_NUMBER}) went missing twice.")

    assert refused.value.field == ("summary",)
    assert refused.value.code is ErrorCode.PERSONAL_DATA
    with Session(engine) as session:
        assert count_evidence(session) == 0


def test_an_email_address_is_refused_only_when_the_project_is_public(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    private = world.project(lead, visibility=Visibility.PRIVATE)
    public = world.project(lead, visibility=Visibility.PUBLIC)
    reference = "Report from evaluator jo.bloggs@example.org"

    record(engine, lead, private, reference=reference)
    with pytest.raises(PersonalData) as refused:
        record(engine, lead, public, reference=reference)

    assert refused.value.field == ("reference",)


def test_a_reference_longer_than_2000_characters_is_too_long(world: Any, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead)

    with pytest.raises(Exception, match="reference is longer than 2000") as refused:
        record(engine, lead, project, reference="x" * 2001)

    assert getattr(refused.value, "code", None) is ErrorCode.TOO_LONG


def test_a_lead_of_another_organisation_cannot_record(world: Any, engine: Engine) -> None:
    owner = world.lead()
    outsider = world.lead()
    private = world.project(owner, visibility=Visibility.PRIVATE)
    members = world.project(owner, visibility=Visibility.MEMBERS)

    with pytest.raises(NotFound):
        record(engine, outsider, private)
    with pytest.raises(Forbidden):
        record(engine, outsider, members)


def test_a_lead_of_a_partner_organisation_may_record(world: Any, engine: Engine) -> None:
    partner = world.org()
    owner = world.lead()
    project = world.project(owner, partner_organisation_ids=[partner.id])

    evidence = record(engine, world.lead(partner), project)

    assert evidence.project_id == project.id


def test_recording_touches_the_project_and_writes_an_audit_event(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead, theory_of_change=THEORY)

    evidence = record(engine, lead, project, level=2, reference="Monthly returns, 2021-22")

    with Session(engine) as session:
        after = session.get(Project, project.id)
        event = session.scalars(
            sa.select(AuditEvent).where(col(AuditEvent.action) == "evidence.record")
        ).one()
    assert after is not None
    assert after.updated_at > project.updated_at
    assert after.version == project.version
    assert event.entity_type == "Evidence"
    assert event.entity_id == evidence.id
    assert event.account_id == lead.account_id
    assert event.organisation_id == project.lead_organisation_id
    assert event.changes["level"] == [None, 2]
    assert event.changes["stage"] == [None, "IDEA"]
    assert event.changes["project_evidence_level"] == [1, 2]

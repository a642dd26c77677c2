"""Recording costs and benefits: the rules each line must pass, who may record, the audit."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.access import Actor
from inset.accounts.models import Role, TokenScope
from inset.audit.models import AuditEvent
from inset.db import transaction
from inset.economics import service
from inset.economics.models import Benefit, BenefitKind, Cost, CostCategory
from inset.errors import DomainError, ErrorCode
from inset.organisations.models import Organisation
from inset.projects.models import Project, Stage, Visibility

# 943 476 5919 is a ten-digit number with a valid NHS check digit.
NHS_NUMBER_TEXT = "Saves a review for the child with NHS number 943 476 5919"


def record_cost(engine: Engine, actor: Actor, project: Project, **overrides: Any) -> Cost:
    values: dict[str, Any] = {
        "category": CostCategory.STAFF,
        "description": "Two family support workers for the pilot year",
        "amount": Decimal("40000.00"),
        "confidence": 2,
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.record_cost(
            session=session, actor=actor, project_id=project.id or 0, **values
        )


def record_benefit(engine: Engine, actor: Actor, project: Project, **overrides: Any) -> Benefit:
    values: dict[str, Any] = {
        "kind": BenefitKind.FISCAL,
        "description": "Fewer nights in emergency residential placements",
        "amount": Decimal("90000.00"),
        "beneficiary": "The council's children's services budget",
        "deadweight": Decimal("0.2"),
        "attribution": Decimal("0.75"),
        "confidence": 3,
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.record_benefit(
            session=session, actor=actor, project_id=project.id or 0, **values
        )


def rows(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def refused(engine: Engine, attempt: Any) -> DomainError:
    """The error a recording raised, after checking that it stored nothing at all."""
    before = (rows(engine, Cost), rows(engine, Benefit), rows(engine, AuditEvent))
    with pytest.raises(DomainError) as caught:
        attempt()
    assert (rows(engine, Cost), rows(engine, Benefit), rows(engine, AuditEvent)) == before
    return caught.value


@pytest.fixture
def org(world: Any) -> Organisation:
    created: Organisation = world.org()
    return created


@pytest.fixture
def lead(world: Any, org: Organisation) -> Actor:
    actor: Actor = world.lead(org)
    return actor


@pytest.fixture
def project(world: Any, lead: Actor) -> Project:
    created: Project = world.project(lead)
    return created


# Recording


def test_a_cost_is_stored_in_whole_pence_at_the_projects_stage(
    engine: Engine, lead: Actor, project: Project
) -> None:
    # when a lead records a cost of 12,345.67
    cost = record_cost(
        engine,
        lead,
        project,
        amount=Decimal("12345.67"),
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
        funding_source="Innovation fund, round 2",
    )
    # then it is kept as 1,234,567 pence, in GBP, at the project's stage (IDEA)
    assert cost.amount_pence == 1_234_567
    assert cost.currency == "GBP"
    assert cost.stage is Stage.IDEA
    assert cost.recorded_by_id == lead.account_id
    assert cost.funding_source == "Innovation fund, round 2"


def test_an_amount_with_trailing_zeros_is_still_pounds_and_pence(
    engine: Engine, lead: Actor, project: Project
) -> None:
    # "12.500" is 12 pounds 50 pence written with a spare zero, not a fraction of a penny
    assert record_cost(engine, lead, project, amount=Decimal("12.500")).amount_pence == 1250


def test_a_benefit_keeps_its_shares_as_basis_points(
    engine: Engine, lead: Actor, project: Project
) -> None:
    # when a benefit with deadweight 0.2 and attribution 0.75 is recorded
    benefit = record_benefit(engine, lead, project)
    # then they are kept as 2,000 and 7,500 basis points (1/10,000)
    assert benefit.deadweight_bp == 2000
    assert benefit.attribution_bp == 7500
    assert benefit.amount_pence == 9_000_000
    assert benefit.stage is Stage.IDEA


def test_a_benefit_may_be_described_before_it_is_monetised(
    engine: Engine, lead: Actor, project: Project
) -> None:
    # when a social benefit is recorded without an amount, deadweight or attribution
    benefit = record_benefit(
        engine,
        lead,
        project,
        kind=BenefitKind.SOCIAL,
        amount=None,
        beneficiary=None,
        deadweight=Decimal("0"),
        attribution=Decimal("1"),
    )
    # then it is stored with no amount, no deadweight and full attribution
    assert benefit.amount_pence is None
    assert (benefit.deadweight_bp, benefit.attribution_bp) == (0, 10_000)


def test_recording_marks_the_project_changed_without_a_new_version(
    engine: Engine, lead: Actor, project: Project
) -> None:
    # when a cost is recorded
    record_cost(engine, lead, project)
    # then the project's updated_at moves on, and its version (its own fields) does not
    with Session(engine) as session:
        after = session.get(Project, project.id)
        assert after is not None
        assert after.updated_at > project.updated_at
        assert after.version == project.version


# Validation: each a user error that stores nothing


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("-5.00", "more than zero"),
        ("0.00", "more than zero"),
        ("10.005", "at most 2 decimal places"),
        ("10000000000.00", "below"),
        ("NaN", "number of pounds"),
    ],
)
def test_a_cost_amount_must_be_positive_pounds_and_pence(
    engine: Engine, lead: Actor, project: Project, amount: str, says: str
) -> None:
    error = refused(engine, lambda: record_cost(engine, lead, project, amount=Decimal(amount)))
    assert error.code is ErrorCode.INVALID
    assert error.field == ("amount", "amount")
    assert says in error.message


def test_money_other_than_gbp_is_refused(engine: Engine, lead: Actor, project: Project) -> None:
    error = refused(engine, lambda: record_cost(engine, lead, project, currency="EUR"))
    assert error.code is ErrorCode.INVALID
    assert error.field == ("amount", "currency")
    assert "Inset records money in GBP" in error.message


@pytest.mark.parametrize("confidence", [0, 7])
def test_confidence_is_a_grade_from_1_to_6(
    engine: Engine, lead: Actor, project: Project, confidence: int
) -> None:
    error = refused(engine, lambda: record_cost(engine, lead, project, confidence=confidence))
    assert error.code is ErrorCode.INVALID
    assert error.field == ("confidence",)
    assert error.message == "confidence must be from 1 to 6"


def test_a_period_cannot_end_before_it_starts(
    engine: Engine, lead: Actor, project: Project
) -> None:
    error = refused(
        engine,
        lambda: record_cost(
            engine, lead, project, period_start=date(2025, 4, 1), period_end=date(2025, 3, 31)
        ),
    )
    assert error.code is ErrorCode.INVALID
    assert error.field == ("period_end",)


def test_a_blank_description_is_required(engine: Engine, lead: Actor, project: Project) -> None:
    error = refused(engine, lambda: record_cost(engine, lead, project, description="   "))
    assert (error.code, error.field) == (ErrorCode.REQUIRED, ("description",))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("deadweight", "1.2"),
        ("deadweight", "-0.1"),
        ("deadweight", "0.12345"),
        ("attribution", "1.0001"),
    ],
)
def test_deadweight_and_attribution_are_shares_from_0_to_1(
    engine: Engine, lead: Actor, project: Project, field: str, value: str
) -> None:
    error = refused(
        engine, lambda: record_benefit(engine, lead, project, **{field: Decimal(value)})
    )
    assert error.code is ErrorCode.INVALID
    assert error.field == (field,)


def test_a_fiscal_benefit_needs_the_public_body_that_gains(
    engine: Engine, lead: Actor, project: Project
) -> None:
    error = refused(engine, lambda: record_benefit(engine, lead, project, beneficiary=" "))
    assert error.code is ErrorCode.REQUIRED
    assert error.field == ("beneficiary",)
    assert "public body" in error.message


def test_a_benefit_amount_follows_the_rules_of_a_cost(
    engine: Engine, lead: Actor, project: Project
) -> None:
    error = refused(engine, lambda: record_benefit(engine, lead, project, amount=Decimal("-1")))
    assert (error.code, error.field) == (ErrorCode.INVALID, ("amount", "amount"))
    error = refused(engine, lambda: record_benefit(engine, lead, project, confidence=7))
    assert (error.code, error.field) == (ErrorCode.INVALID, ("confidence",))


@pytest.mark.parametrize(
    ("recording", "field"),
    [
        ("cost", "description"),
        ("cost", "funding_source"),
        ("benefit", "description"),
        ("benefit", "beneficiary"),
    ],
)
def test_personal_data_in_free_text_is_refused(
    engine: Engine, lead: Actor, project: Project, recording: str, field: str
) -> None:
    record = record_cost if recording == "cost" else record_benefit
    error = refused(engine, lambda: record(engine, lead, project, **{field: NHS_NUMBER_TEXT}))
    assert error.code is ErrorCode.PERSONAL_DATA
    assert error.field == (field,)
    assert "an NHS number" in error.message


def test_contact_details_are_refused_only_on_a_public_project(world: Any, engine: Engine) -> None:
    # given a private and a public project of the same lead
    lead = world.lead()
    private = world.project(lead)
    public = world.project(lead, visibility=Visibility.PUBLIC)
    source = "Funded by the trust: ask the fund manager on 07700 900123"
    # then a phone number may be recorded internally, but not where anyone can read it
    assert record_cost(engine, lead, private, funding_source=source).funding_source == source
    error = refused(engine, lambda: record_cost(engine, lead, public, funding_source=source))
    assert (error.code, error.field) == (ErrorCode.PERSONAL_DATA, ("funding_source",))


# Access


def test_a_member_cannot_record_a_cost(
    world: Any, engine: Engine, org: Organisation, project: Project
) -> None:
    # given a MEMBER of the project's own organisation
    member = world.member(org)
    error = refused(engine, lambda: record_cost(engine, member, project))
    assert error.code is ErrorCode.FORBIDDEN


def test_a_read_only_token_cannot_record_a_benefit(
    world: Any, engine: Engine, org: Organisation, project: Project
) -> None:
    # given a lead of the project's organisation, signed in with a READ token
    reader = world.actor(world.account(org, Role.LEAD), scope=TokenScope.READ)
    error = refused(engine, lambda: record_benefit(engine, reader, project))
    assert error.code is ErrorCode.FORBIDDEN
    assert "READ_WRITE" in error.message


def test_another_organisations_private_project_does_not_exist_for_a_lead(
    world: Any, engine: Engine, project: Project
) -> None:
    # given a lead of another organisation, and the project PRIVATE
    outsider = world.lead()
    error = refused(engine, lambda: record_cost(engine, outsider, project))
    # then it is NOT_FOUND, not FORBIDDEN: its existence is not revealed
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, ("project_id",))


def test_a_partners_lead_and_staff_may_record(world: Any, engine: Engine) -> None:
    # given a project with a partner organisation
    lead = world.lead()
    partner_org = world.org()
    project = world.project(lead, partner_organisation_ids=[partner_org.id])
    partner = world.actor(world.account(partner_org, Role.LEAD))
    # then the partner's lead and incubator staff both may record on it
    assert record_cost(engine, partner, project).project_id == project.id
    assert record_benefit(engine, world.staff, project).project_id == project.id


# Audit


def test_recording_a_cost_is_audited(engine: Engine, lead: Actor, project: Project) -> None:
    cost = record_cost(engine, lead, project, amount=Decimal("8000.00"), confidence=4)
    with Session(engine) as session:
        event = session.scalars(
            sa.select(AuditEvent).where(col(AuditEvent.action) == "cost.record")
        ).one()
    assert (event.entity_type, event.entity_id) == ("Cost", cost.id)
    assert event.account_id == lead.account_id
    assert event.organisation_id == project.lead_organisation_id
    assert event.changes["amount_pence"] == [None, 800_000]
    assert event.changes["confidence"] == [None, 4]
    assert event.changes["stage"] == [None, "IDEA"]


def test_recording_a_benefit_is_audited(engine: Engine, lead: Actor, project: Project) -> None:
    benefit = record_benefit(engine, lead, project)
    with Session(engine) as session:
        event = session.scalars(
            sa.select(AuditEvent).where(col(AuditEvent.action) == "benefit.record")
        ).one()
    assert (event.entity_type, event.entity_id) == ("Benefit", benefit.id)
    assert event.changes["deadweight_bp"] == [None, 2000]
    assert event.changes["kind"] == [None, "FISCAL"]


# Archiving


def test_archiving_a_cost_keeps_it_and_audits_the_reason(
    engine: Engine, lead: Actor, project: Project
) -> None:
    cost = record_cost(engine, lead, project)
    with transaction(engine) as session:
        service.archive_cost(
            session=session, actor=lead, cost_id=cost.id or 0, reason="Entered twice"
        )
    with Session(engine) as session:
        kept = session.get(Cost, cost.id)
        assert kept is not None
        assert kept.archived_at is not None
        event = session.scalars(
            sa.select(AuditEvent).where(col(AuditEvent.action) == "cost.archive")
        ).one()
        assert event.changes["reason"] == [None, "Entered twice"]
        # and it is gone from the lines the figures are built on
        assert session.scalars(service.live_costs()).all() == []


def test_an_archived_benefit_cannot_be_archived_again(
    engine: Engine, lead: Actor, project: Project
) -> None:
    benefit = record_benefit(engine, lead, project)

    def archive() -> Benefit:
        with transaction(engine) as session:
            return service.archive_benefit(
                session=session, actor=lead, benefit_id=benefit.id or 0, reason="Double counted"
            )

    archive()
    error = refused(engine, archive)
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, ("id",))


def test_an_outsider_cannot_archive_a_cost(
    world: Any, engine: Engine, lead: Actor, project: Project
) -> None:
    cost = record_cost(engine, lead, project)
    outsider = world.lead()

    def archive() -> Cost:
        with transaction(engine) as session:
            return service.archive_cost(
                session=session, actor=outsider, cost_id=cost.id or 0, reason="Not ours"
            )

    error = refused(engine, archive)
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, ("id",))


# From rows to figures


def test_economics_for_reads_pence_and_basis_points_exactly(
    engine: Engine, lead: Actor, project: Project
) -> None:
    # given a cost of 1,000.01 at grade 1 and a social benefit of 3,333.33 with
    # deadweight 0.1234 and attribution 0.5, grade 1, in the start month
    cost = record_cost(engine, lead, project, amount=Decimal("1000.01"), confidence=1)
    benefit = record_benefit(
        engine,
        lead,
        project,
        kind=BenefitKind.SOCIAL,
        amount=Decimal("3333.33"),
        deadweight=Decimal("0.1234"),
        attribution=Decimal("0.5"),
        confidence=1,
    )
    figures = service.economics_for(
        costs=[cost],
        benefits=[benefit],
        project_start=project.started_on,
        optimism_bias=[Decimal("0")] * 6,
    )
    # then 3,333.33 x 0.8766 x 0.5 = 1,460.998539 -> 1,461.00; the cost stays 1,000.01
    assert figures.gross_cost == figures.total_cost == Decimal("1000.01")
    assert figures.adjusted_benefit == Decimal("1461.00")
    # 1,461.00 - 1,000.01 = 460.99; 1,461.00 / 1,000.01 = 1.46098... -> 1.46
    assert figures.net_benefit == Decimal("460.99")
    assert figures.benefit_cost_ratio == 1.46

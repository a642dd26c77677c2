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
from inset.db import pk, transaction, utcnow
from inset.errors import Forbidden, Invalid, NotFound, PersonalData, Required, TooLong
from inset.outcomes import service
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import Project, Visibility

NHS_NUMBER = "943 476 5919"  # valid modulus 11 check digit


def define(engine: Engine, actor: Actor, project: Project, **overrides: Any) -> Outcome:
    values: dict[str, Any] = {
        "name": "Children missing from care",
        "unit": "children a month",
        "higher_is_better": False,
        "baseline": Decimal("45"),
        "baseline_on": date(2021, 7, 31),
        "target": Decimal("20"),
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.define_outcome(
            session=session, actor=actor, project_id=pk(project), **values
        )


def observe(
    engine: Engine, actor: Actor, outcome: Outcome, value: str, on: date, **kw: Any
) -> Observation:
    with transaction(engine) as session:
        return service.observe_outcome(
            session=session,
            actor=actor,
            outcome_id=pk(outcome),
            value=Decimal(value),
            observed_on=on,
            **kw,
        )


def progress_of(engine: Engine, outcome: Outcome) -> service.Progress:
    with Session(engine) as session:
        row = session.get(Outcome, outcome.id)
        assert row is not None
        observations = list(
            session.scalars(
                service.live_observations().where(col(Observation.outcome_id) == row.id)
            )
        )
        return service.progress(row, observations)


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_children_missing_fell_from_45_to_24_which_is_better_when_lower(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    outcome = define(engine, lead, world.project(lead))

    observe(engine, lead, outcome, "30", date(2021, 10, 31))
    observe(engine, lead, outcome, "24", date(2022, 1, 31), note="After six months of chats")

    progress = progress_of(engine, outcome)
    assert progress.latest == Decimal("24")
    assert progress.change == Decimal("-21")
    assert progress.improved is True


def test_latest_is_the_latest_observed_date_then_the_latest_recorded(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    outcome = define(engine, lead, world.project(lead))
    observe(engine, lead, outcome, "24", date(2022, 1, 31))
    observe(engine, lead, outcome, "30", date(2021, 10, 31))  # recorded late, observed earlier
    observe(engine, lead, outcome, "26", date(2022, 1, 31))  # a correction on the same day

    assert progress_of(engine, outcome).latest == Decimal("26")


def test_78_percent_engaging_against_60_is_better_when_higher(world: Any, engine: Engine) -> None:
    lead = world.lead()
    outcome = define(
        engine,
        lead,
        world.project(lead),
        name="Young people engaging with the return-home chat tool",
        unit="%",
        higher_is_better=True,
        baseline=Decimal("60"),
        baseline_on=date(2021, 7, 1),
        target=Decimal("75"),
    )

    observe(engine, lead, outcome, "78", date(2022, 1, 1))

    progress = progress_of(engine, outcome)
    assert (progress.latest, progress.change, progress.improved) == (Decimal(78), Decimal(18), True)


def test_no_change_or_improvement_without_a_baseline_or_an_observation(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead)
    no_baseline = define(engine, lead, project, baseline=None, baseline_on=None)
    observe(engine, lead, no_baseline, "12", date(2022, 1, 1))
    not_observed = define(engine, lead, project)

    assert progress_of(engine, no_baseline) == service.Progress(Decimal(12), None, None)
    assert progress_of(engine, not_observed) == service.Progress(None, None, None)


def test_a_reading_equal_to_the_baseline_is_not_an_improvement(world: Any, engine: Engine) -> None:
    lead = world.lead()
    outcome = define(engine, lead, world.project(lead))

    observe(engine, lead, outcome, "45.0", date(2022, 1, 1))

    progress = progress_of(engine, outcome)
    assert (progress.change, progress.improved) == (Decimal(0), False)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("78.5", "78.5"), ("78.50", "78.5"), ("45", "45"), ("100.0", "100"), ("0.0001", "0.0001")],
)
def test_figures_are_kept_exactly_and_shown_without_trailing_zeros(
    world: Any, engine: Engine, typed: str, shown: str
) -> None:
    lead = world.lead()
    outcome = define(engine, lead, world.project(lead), baseline=Decimal(typed))

    with Session(engine) as session:
        stored = session.get(Outcome, outcome.id)
    assert stored is not None
    assert stored.baseline == Decimal(typed)
    assert str(service.plain(stored.baseline)) == shown


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.12345", "at most 4 decimal places"),
        ("100000000000000", "less than"),
        ("-100000000000000", "less than"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
    ],
)
def test_a_figure_the_column_cannot_hold_exactly_is_invalid(
    world: Any, engine: Engine, value: str, message: str
) -> None:
    lead = world.lead()
    project = world.project(lead)

    with pytest.raises(Invalid, match=message) as refused:
        define(engine, lead, project, target=Decimal(value))

    assert refused.value.field == ("target",)
    with Session(engine) as session:
        assert count(session, Outcome) == 0


def test_the_largest_figure_the_column_holds_is_accepted(world: Any, engine: Engine) -> None:
    lead = world.lead()
    outcome = define(engine, lead, world.project(lead), baseline=Decimal("99999999999999.9999"))

    with Session(engine) as session:
        stored = session.get(Outcome, outcome.id)
    assert stored is not None
    assert stored.baseline == Decimal("99999999999999.9999")


def test_name_and_unit_are_required_and_length_checked(world: Any, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead)

    with pytest.raises(Required) as blank:
        define(engine, lead, project, name="  ")
    with pytest.raises(TooLong) as long_unit:
        define(engine, lead, project, unit="u" * 101)

    assert blank.value.field == ("name",)
    assert long_unit.value.field == ("unit",)


def test_a_baseline_date_needs_a_baseline_and_may_not_be_in_the_future(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead)
    tomorrow = utcnow().date() + timedelta(days=1)

    with pytest.raises(Required) as no_baseline:
        define(engine, lead, project, baseline=None, baseline_on=date(2021, 7, 1))
    with pytest.raises(Invalid, match="future") as future:
        define(engine, lead, project, baseline_on=tomorrow)

    assert no_baseline.value.field == ("baseline",)
    assert future.value.field == ("baseline_on",)


def test_an_observation_may_not_be_in_the_future_nor_before_the_baseline(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    outcome = define(engine, lead, world.project(lead), baseline_on=date(2021, 7, 31))
    tomorrow = utcnow().date() + timedelta(days=1)

    with pytest.raises(Invalid, match="future") as future:
        observe(engine, lead, outcome, "30", tomorrow)
    with pytest.raises(Invalid, match="before the baseline date") as early:
        observe(engine, lead, outcome, "50", date(2021, 7, 30))
    observe(engine, lead, outcome, "44", date(2021, 7, 31))  # on the baseline day is fine

    assert future.value.field == early.value.field == ("observed_on",)
    with Session(engine) as session:
        assert count(session, Observation) == 1


def test_personal_data_in_an_outcome_or_a_note_is_refused(world: Any, engine: Engine) -> None:
    lead = world.lead()
    private = world.project(lead, visibility=Visibility.PRIVATE)
    public = world.project(lead, visibility=Visibility.PUBLIC)
    outcome = define(engine, lead, private)

    with pytest.raises(PersonalData) as in_name:
        define(engine, lead, private, name=f"Missing episodes of {NHS_NUMBER}")
    with pytest.raises(PersonalData) as in_note:
        observe(engine, lead, outcome, "30", date(2022, 1, 1), note=f"Includes {NHS_NUMBER}")
    observe(engine, lead, outcome, "29", date(2022, 1, 2), note="Ask jo@example.org")
    public_outcome = define(engine, lead, public)
    with pytest.raises(PersonalData) as public_note:
        observe(engine, lead, public_outcome, "30", date(2022, 1, 1), note="Ask jo@example.org")

    assert in_name.value.field == ("name",)
    assert in_note.value.field == public_note.value.field == ("note",)


def test_only_writers_of_a_readable_project_define_or_observe(world: Any, engine: Engine) -> None:
    owner = world.lead()
    outsider = world.lead()
    private = world.project(owner, visibility=Visibility.PRIVATE)
    members = world.project(owner, visibility=Visibility.MEMBERS)
    hidden = define(engine, owner, private)
    shown = define(engine, owner, members)

    with pytest.raises(NotFound):
        define(engine, outsider, private)
    with pytest.raises(Forbidden):
        define(engine, outsider, members)
    with pytest.raises(NotFound) as not_found:
        observe(engine, outsider, hidden, "30", date(2022, 1, 1))
    with pytest.raises(Forbidden):
        observe(engine, outsider, shown, "30", date(2022, 1, 1))

    assert not_found.value.message == "outcome not found"
    assert not_found.value.field == ("outcome_id",)


def test_an_archived_outcome_cannot_be_observed_and_its_archiving_is_audited(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    outcome = define(engine, lead, world.project(lead))

    with transaction(engine) as session:
        service.archive_outcome(
            session=session, actor=lead, outcome_id=pk(outcome), reason="Duplicate of another"
        )
    with pytest.raises(NotFound):
        observe(engine, lead, outcome, "30", date(2022, 1, 1))

    with Session(engine) as session:
        event = session.scalars(
            sa.select(AuditEvent).where(col(AuditEvent.action) == "outcome.archive")
        ).one()
    assert event.changes["reason"] == [None, "Duplicate of another"]


def test_defining_and_observing_write_audit_events_and_touch_the_project(
    world: Any, engine: Engine
) -> None:
    lead = world.lead()
    project = world.project(lead)

    outcome = define(engine, lead, project, baseline=Decimal("45.5"))
    observation = observe(engine, lead, outcome, "24", date(2022, 1, 31))

    with Session(engine) as session:
        events = {
            e.action: e
            for e in session.scalars(
                sa.select(AuditEvent).where(col(AuditEvent.action).startswith("outcome."))
            )
        }
        after = session.get(Project, project.id)
    assert after is not None
    assert after.updated_at > project.updated_at
    assert after.version == project.version
    defined = events["outcome.define"]
    assert (defined.entity_type, defined.entity_id) == ("Outcome", outcome.id)
    assert defined.changes["baseline"] == [None, "45.5000"]
    assert defined.changes["baseline_on"] == [None, "2021-07-31"]
    observed = events["outcome.observe"]
    assert (observed.entity_type, observed.entity_id) == ("Observation", observation.id)
    assert observed.changes["outcome_id"] == [None, outcome.id]
    assert observed.changes["observed_on"] == [None, "2022-01-31"]
    assert observed.organisation_id == project.lead_organisation_id

"""What a project shows anyone once it is PUBLIC, checked for personal data before it is.

Going PUBLIC publishes the project's own text and everything under it that anyone may then
read: its live records, the notes of its outcomes' observations and its gate decisions'
rationales (which hold the reasons for overrides). Each text is checked as public text,
and each one that holds personal data blocks the change with its own error, so a lead
sees every field to fix at once.

An error's field is `("visibility", <global id of the record>, <field>)`, e.g.
`("visibility", "RXZpZGVuY2U6Mw", "summary")`; an observation's note, which has no id of
its own, is `("visibility", <outcome id>, "observations", <position>, "note")`, the
position in `Outcome.observations` (oldest first, from 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.errors import PersonalData
from inset.ids import to_global_id
from inset.privacy.personal_data import personal_data_in
from inset.projects.models import Project

Text = tuple[tuple[str, ...], str | None, str]


def _record_texts(session: Session, project_id: int) -> Iterator[Text]:
    from inset.economics.models import Benefit, Cost
    from inset.evidence.models import Evidence
    from inset.gates.models import GateDecision
    from inset.lessons.models import Lesson
    from inset.outcomes.models import Outcome

    records: list[tuple[Any, tuple[str, ...], bool]] = [
        (Evidence, ("title", "summary", "reference"), True),
        (Outcome, ("name", "unit"), True),
        (Cost, ("description", "funding_source"), True),
        (Benefit, ("description", "beneficiary"), True),
        (Lesson, ("title", "body"), True),
        (GateDecision, ("rationale",), False),  # kept for ever: never archived
    ]
    for model, fields, archivable in records:
        statement = sa.select(model).where(model.project_id == project_id).order_by(model.id)
        if archivable:
            statement = statement.where(model.archived_at.is_(None))
        for row in session.scalars(statement):
            node = to_global_id(model.__name__, row.id)
            for field in fields:
                label = f"the {field.replace('_', ' ')} of {model.__name__} {node}"
                yield ("visibility", node, field), getattr(row, field), label


def _observation_notes(session: Session, project_id: int) -> Iterator[Text]:
    from inset.outcomes.models import Observation, Outcome
    from inset.outcomes.service import live_observations

    outcomes = sa.select(col(Outcome.id)).where(
        col(Outcome.project_id) == project_id, col(Outcome.archived_at).is_(None)
    )
    position: dict[int, int] = {}
    for observation in session.scalars(
        live_observations().where(col(Observation.outcome_id).in_(outcomes))
    ):
        outcome_id = observation.outcome_id
        index = position[outcome_id] = position.get(outcome_id, -1) + 1
        node = to_global_id("Outcome", outcome_id)
        label = f"the note of observation {index} of Outcome {node}"
        yield ("visibility", node, "observations", str(index), "note"), observation.note, label


def personal_data_going_public(*, session: Session, project: Project) -> list[PersonalData]:
    """One error for each text that would publish personal data; empty when none would."""
    from inset.projects.service import FREE_TEXT

    node = to_global_id("Project", project.id or 0)
    own: list[Text] = [
        (("visibility", node, f), getattr(project, f), f"the {f.replace('_', ' ')} of the project")
        for f in FREE_TEXT
    ]
    project_id = project.id or 0
    return personal_data_in(
        [*own, *_record_texts(session, project_id), *_observation_notes(session, project_id)],
        public=True,
    )

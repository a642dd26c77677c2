from __future__ import annotations

from strawberry.dataloader import DataLoader

from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id, rows_by_parent
from inset.outcomes import service
from inset.outcomes.models import Observation, Outcome


def outcome_by_id(context: Context) -> DataLoader[int, Outcome | None]:
    """Live outcomes of live projects the viewer may read; anything else loads as None."""
    return rows_by_id(context, service.readable_outcomes(context.actor), Outcome.id)


def outcomes_by_project(context: Context) -> DataLoader[int, list[Outcome]]:
    """Each project's live outcomes in the order defined. The project is the parent being
    resolved, so it is already known to be readable."""
    return rows_by_parent(context, service.live_outcomes(), Outcome.project_id)


def observations_by_outcome(context: Context) -> DataLoader[int, list[Observation]]:
    """Each outcome's observations, oldest first."""
    return rows_by_parent(context, service.live_observations(), Observation.outcome_id)


def observation_by_id(context: Context) -> DataLoader[int, Observation | None]:
    """Live observations of live outcomes the viewer may read; anything else loads as None."""
    return rows_by_id(context, service.readable_observations(context.actor), Observation.id)

"""`node(id:)` and `nodes(ids:)`: any record by global id, or null where it is absent
for the viewer (each loader below only returns what the viewer may read)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Annotated, Any

import strawberry

from inset.graphql.context import Info
from inset.graphql.relay import Node
from inset.ids import from_global_id

MAX_NODES = 100


@cache
def _registry() -> dict[str, tuple[Callable[..., Any], Callable[[Any], Node]]]:
    from inset.accounts.loaders import account_by_id, api_token_by_id
    from inset.accounts.types import Account, ApiToken
    from inset.audit.loaders import audit_event_by_id
    from inset.audit.types import AuditEvent
    from inset.economics.loaders import benefit_by_id, cost_by_id
    from inset.economics.types import Benefit, Cost
    from inset.events.loaders import event_by_id
    from inset.events.types import Event
    from inset.evidence.loaders import evidence_by_id
    from inset.evidence.types import Evidence
    from inset.gates.loaders import gate_decision_by_id
    from inset.gates.types import GateDecision
    from inset.integrations.loaders import integration_by_id
    from inset.integrations.types import Integration
    from inset.lessons.loaders import lesson_by_id
    from inset.lessons.types import Lesson
    from inset.nominations.loaders import nomination_by_id
    from inset.nominations.types import Nomination
    from inset.notifications.loaders import notification_by_id
    from inset.notifications.types import Notification
    from inset.organisations.loaders import organisation_by_id
    from inset.organisations.types import Organisation
    from inset.outcomes.loaders import observation_by_id, outcome_by_id
    from inset.outcomes.types import Observation, Outcome
    from inset.projects.loaders import project_by_id
    from inset.projects.types import Project
    from inset.reviews.loaders import gate_review_by_id
    from inset.reviews.types import GateReview
    from inset.themes.loaders import theme_by_id
    from inset.themes.types import Theme
    from inset.webhooks.loaders import webhook_endpoint_by_id
    from inset.webhooks.types import WebhookEndpoint

    return {
        "Account": (account_by_id, Account.from_model),
        "ApiToken": (api_token_by_id, ApiToken.from_model),
        "AuditEvent": (audit_event_by_id, AuditEvent.from_model),
        "Benefit": (benefit_by_id, Benefit.from_model),
        "Cost": (cost_by_id, Cost.from_model),
        "Event": (event_by_id, Event.from_model),
        "Evidence": (evidence_by_id, Evidence.from_model),
        "GateDecision": (gate_decision_by_id, GateDecision.from_model),
        "Integration": (integration_by_id, Integration.from_model),
        "GateReview": (gate_review_by_id, GateReview.from_model),
        "Lesson": (lesson_by_id, Lesson.from_model),
        "Nomination": (nomination_by_id, Nomination.from_model),
        "Notification": (notification_by_id, Notification.from_model),
        "Organisation": (organisation_by_id, Organisation.from_model),
        "Observation": (observation_by_id, Observation.from_model),
        "Outcome": (outcome_by_id, Outcome.from_model),
        "Project": (project_by_id, Project.from_model),
        "Theme": (theme_by_id, Theme.from_model),
        "WebhookEndpoint": (webhook_endpoint_by_id, WebhookEndpoint.from_model),
    }


async def resolve_node(info: Info, global_id: str) -> Node | None:
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] not in _registry():
        return None
    loader, to_type = _registry()[decoded[0]]
    row = await info.context.loaders.load(loader, decoded[1])
    return to_type(row) if row is not None else None


@strawberry.enum(description="The kinds of record that carry an externalId.")
class RecordKind(Enum):
    PROJECT = strawberry.enum_value(
        "Project", description="A project, keyed by its lead organisation."
    )
    EVIDENCE = strawberry.enum_value(
        "Evidence", description="An item of evidence, keyed by the recorder's organisation."
    )
    OUTCOME = strawberry.enum_value(
        "Outcome", description="An outcome measure, keyed by the recorder's organisation."
    )
    OBSERVATION = strawberry.enum_value(
        "Observation",
        description="A dated reading of an outcome, keyed by the recorder's organisation.",
    )
    COST = strawberry.enum_value(
        "Cost", description="A cost line, keyed by the recorder's organisation."
    )
    BENEFIT = strawberry.enum_value(
        "Benefit", description="A benefit line, keyed by the recorder's organisation."
    )
    LESSON = strawberry.enum_value(
        "Lesson", description="A lesson, keyed by the recorder's organisation."
    )


def _keyed_model(kind: RecordKind) -> tuple[Any, str]:
    """The table of a kind and the column naming the organisation that owns its keys."""
    from inset.economics.models import Benefit, Cost
    from inset.evidence.models import Evidence
    from inset.lessons.models import Lesson
    from inset.outcomes.models import Observation, Outcome
    from inset.projects.models import Project

    if kind is RecordKind.PROJECT:
        return Project, "lead_organisation_id"
    models = {
        RecordKind.EVIDENCE: Evidence,
        RecordKind.OUTCOME: Outcome,
        RecordKind.OBSERVATION: Observation,
        RecordKind.COST: Cost,
        RecordKind.BENEFIT: Benefit,
        RecordKind.LESSON: Lesson,
    }
    return models[kind], "external_owner_id"


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any record by its global id; null when you may not read it.")
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="A global id, as any record's `id` gives it. An id that is not "
                "one of Inset's, or names a record you may not read, gives null, not an error."
            ),
        ],
    ) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(description=f"Up to {MAX_NODES} records by global id, in the order asked.")
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description=f"1 to {MAX_NODES} global ids (more is a PAGE_SIZE error); each "
                "answer is at the same position, null where `node` would give null."
            ),
        ],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            from inset.graphql.codes import RequestErrorCode
            from inset.graphql.errors import graphql_error

            raise graphql_error(f"nodes takes at most {MAX_NODES} ids", RequestErrorCode.PAGE_SIZE)
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))

    @strawberry.field(
        description="The record of this kind that your organisation keyed externalId (a "
        "project: that your organisation leads with that key); null when there is none, "
        "when it is archived, or when you may no longer read it. Anonymous readers have "
        "no keys."
    )
    async def record_by_external_id(
        self,
        info: Info,
        kind: Annotated[
            RecordKind, strawberry.argument(description="Which kind of record the key names.")
        ],
        external_id: Annotated[
            str,
            strawberry.argument(
                description="The key as your organisation gave it: matched exactly, case "
                "included, after spaces around it are trimmed (as they were when stored)."
            ),
        ],
    ) -> Node | None:
        from inset.records import id_by_external_id

        model, owner_column = _keyed_model(kind)
        found = id_by_external_id(
            info.context.session, info.context.actor, model, owner_column, external_id
        )
        if found is None:
            return None
        # str(): the value is the type name, typed as the enum_value that declared it
        loader, to_type = _registry()[str(kind.value)]
        row = await info.context.loaders.load(loader, found)
        return to_type(row) if row is not None else None

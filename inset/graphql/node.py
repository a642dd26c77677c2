"""`node(id:)` and `nodes(ids:)`: any record by global id, or null where it is absent
for the viewer (each loader below only returns what the viewer may read)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import cache
from typing import Any

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
    from inset.lessons.loaders import lesson_by_id
    from inset.lessons.types import Lesson
    from inset.organisations.loaders import organisation_by_id
    from inset.organisations.types import Organisation
    from inset.outcomes.loaders import outcome_by_id
    from inset.outcomes.types import Outcome
    from inset.projects.loaders import project_by_id
    from inset.projects.types import Project
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
        "Lesson": (lesson_by_id, Lesson.from_model),
        "Organisation": (organisation_by_id, Organisation.from_model),
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


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any record by its global id; null when you may not read it.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(description=f"Up to {MAX_NODES} records by global id, in the order asked.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            from inset.graphql.errors import graphql_error

            raise graphql_error(f"nodes takes at most {MAX_NODES} ids", "PAGE_SIZE")
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))

"""The schema: every domain's Query and Mutation merged into one."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from inset.graphql.codes import RequestErrorCode
from inset.graphql.direct import DirectExecutionContext, resolve_directly
from inset.graphql.node import NodeQuery
from inset.graphql.scalars import SCALAR_MAP


def _query_types() -> tuple[type, ...]:
    from inset.accounts.queries import AccountQuery
    from inset.audit.queries import AuditQuery
    from inset.collective.queries import CollectiveQuery
    from inset.events.queries import EventQuery
    from inset.lessons.queries import LessonQuery
    from inset.nominations.queries import NominationQuery
    from inset.organisations.queries import OrganisationQuery
    from inset.portfolio.queries import PortfolioQuery
    from inset.projects.queries import ProjectQuery
    from inset.ratelimit.queries import RateLimitQuery
    from inset.themes.queries import ThemeQuery

    return (
        NodeQuery,
        AccountQuery,
        OrganisationQuery,
        ProjectQuery,
        PortfolioQuery,
        LessonQuery,
        ThemeQuery,
        AuditQuery,
        CollectiveQuery,
        EventQuery,
        NominationQuery,
        RateLimitQuery,
    )


def _mutation_types() -> tuple[type, ...]:
    from inset.accounts.mutations import AccountMutation
    from inset.archive.mutations import ArchiveMutation
    from inset.collective.mutations import CollectiveMutation
    from inset.economics.mutations import EconomicsMutation
    from inset.evidence.mutations import EvidenceMutation
    from inset.gates.mutations import GateMutation
    from inset.integrations.mutations import IntegrationMutation
    from inset.lessons.mutations import LessonMutation
    from inset.nominations.mutations import NominationMutation
    from inset.notifications.mutations import NotificationMutation
    from inset.organisations.mutations import OrganisationMutation
    from inset.outcomes.mutations import OutcomeMutation
    from inset.projects.mutations import ProjectMutation
    from inset.reviews.mutations import ReviewMutation
    from inset.webhooks.mutations import WebhookMutation

    return (
        ProjectMutation,
        GateMutation,
        ReviewMutation,
        EvidenceMutation,
        OutcomeMutation,
        EconomicsMutation,
        LessonMutation,
        ArchiveMutation,
        OrganisationMutation,
        AccountMutation,
        IntegrationMutation,
        CollectiveMutation,
        WebhookMutation,
        NotificationMutation,
        NominationMutation,
    )


def _described(merged: type, description: str) -> type:
    """The merged root type under the same name, with a description (merge_types takes none)."""
    return strawberry.type(type(merged.__name__, (merged,), {}), description=description)


def build_schema(*, direct_resolvers: bool = True) -> strawberry.Schema:
    """The schema, with direct resolvers where fields need no more (inset.graphql.direct);
    `direct_resolvers=False` keeps strawberry's own everywhere, for comparison."""
    query = _described(
        merge_types("Query", _query_types()),
        "Everything Inset lets you read. Anonymous readers see what is PUBLIC; a signed-in "
        "account or token sees, in addition, what its organisation and role may read (see "
        "Visibility and Role). Records you may not read behave as if they did not exist.",
    )
    mutation = _described(
        merge_types("Mutation", _mutation_types()),
        "Every change. Each mutation takes one `input`, runs as one transaction, is written "
        "to the audit log, and answers a payload whose `userErrors` say why it changed "
        "nothing. Changes to projects and their records are made by LEADs and STAFF (a web "
        "session or a READ_WRITE token) and by integrations; each mutation says who may "
        "make it, and anyone else gets the user error FORBIDDEN.",
    )
    schema = strawberry.Schema(
        query=query,
        mutation=mutation,
        types=[RequestErrorCode],  # no field returns it: the codes of errors outside payloads
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        execution_context_class=DirectExecutionContext if direct_resolvers else None,
    )
    if direct_resolvers:
        resolve_directly(schema)
    return schema

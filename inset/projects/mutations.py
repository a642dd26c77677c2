from __future__ import annotations

from typing import Any

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.errors import UserError, shown
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.projects import models, replication, service
from inset.projects.types import (
    CreateProjectInput,
    Project,
    ProjectPayload,
    ReplicateProjectInput,
    SetVisibilityInput,
    UpdateProjectInput,
)


def _payload(result: models.Project | list[UserError]) -> ProjectPayload:
    row, errors = shown(result, models.Project)
    if row is None:
        return ProjectPayload(project=None, user_errors=errors)
    return ProjectPayload(project=Project.from_model(row), user_errors=errors)


def _decoded(ids: list[strawberry.ID] | None, type_name: str, field: str) -> list[int] | None:
    return None if ids is None else [decode_id(i, type_name, field) for i in ids]


def _changes(input: UpdateProjectInput) -> dict[str, Any]:
    """The fields the client sent, with ids decoded: left-out fields are not changes."""
    sent = {
        name: getattr(input, name)
        for name in (*service.EDITABLE, "theme_ids", "partner_organisation_ids")
        if getattr(input, name) is not strawberry.UNSET
    }
    if "theme_ids" in sent:
        sent["theme_ids"] = _decoded(sent["theme_ids"], "Theme", "theme_ids")
    if "partner_organisation_ids" in sent:
        sent["partner_organisation_ids"] = _decoded(
            sent["partner_organisation_ids"], "Organisation", "partner_organisation_ids"
        )
    if sent.get("lead_account_id") is not None:
        sent["lead_account_id"] = decode_id(sent["lead_account_id"], "Account", "lead_account_id")
    return sent


@strawberry.type
class ProjectMutation:
    @strawberry.mutation(
        description="A new project at IDEA, ACTIVE, version 1. LEADs create projects led by "
        "their own organisation; STAFF for any. Idempotent with idempotencyKey. User "
        "errors: FORBIDDEN, NOT_FOUND (an organisation or theme id), REQUIRED, TOO_LONG, "
        "INVALID (startedOn, leadAccountId, externalId, idempotencyKey), PERSONAL_DATA, "
        "DUPLICATE (externalId taken, with existingId; idempotencyKey used with other input)."
    )
    def create_project(self, info: Info, input: Input[CreateProjectInput]) -> ProjectPayload:
        def work(session: Session) -> models.Project:
            return service.create_project(
                session=session,
                actor=info.context.actor,
                title=input.title,
                summary=input.summary,
                problem=input.problem,
                theory_of_change=input.theory_of_change,
                innovation_type=input.innovation_type,
                theme_ids=_decoded(input.theme_ids, "Theme", "theme_ids"),
                lead_organisation_id=decode_id(
                    input.lead_organisation_id, "Organisation", "lead_organisation_id"
                ),
                partner_organisation_ids=_decoded(
                    input.partner_organisation_ids, "Organisation", "partner_organisation_ids"
                ),
                visibility=input.visibility,
                lead_account_id=(
                    decode_id(input.lead_account_id, "Account", "lead_account_id")
                    if input.lead_account_id
                    else None
                ),
                started_on=input.started_on,
                external_id=input.external_id,
            )

        return _payload(
            run_mutation(info, work, name="createProject", data=input, replay=models.Project)
        )

    @strawberry.mutation(
        description="Changes the fields sent; fields left out stay as they are. Needs "
        "expectedVersion; the version goes up by one when anything changed. For LEADs of "
        "its lead or partner organisations, and STAFF. User errors: NOT_FOUND, FORBIDDEN, "
        "CONFLICT (stale expectedVersion), REQUIRED, TOO_LONG, INVALID, PERSONAL_DATA, "
        "ANONYMITY (a new title or partner named by an anonymised lesson), DUPLICATE "
        "(externalId, with existingId)."
    )
    def update_project(self, info: Info, input: Input[UpdateProjectInput]) -> ProjectPayload:
        return _payload(
            run_mutation(
                info,
                lambda session: service.update_project(
                    session=session,
                    actor=info.context.actor,
                    project_id=decode_id(input.project_id, "Project", "project_id"),
                    expected_version=input.expected_version,
                    changes=_changes(input),
                ),
                name="updateProject",
            )
        )

    @strawberry.mutation(
        description="Shares the project with its partners, members or everyone. Going PUBLIC "
        "checks every text it would publish, its records' included, and refuses with one "
        "PERSONAL_DATA error for each. User errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale "
        "expectedVersion), PERSONAL_DATA, ANONYMITY (an anonymised lesson names what wider "
        "readers would then see)."
    )
    def set_visibility(self, info: Info, input: Input[SetVisibilityInput]) -> ProjectPayload:
        return _payload(
            run_mutation(
                info,
                lambda session: service.set_visibility(
                    session=session,
                    actor=info.context.actor,
                    project_id=decode_id(input.project_id, "Project", "project_id"),
                    visibility=input.visibility,
                    expected_version=input.expected_version,
                ),
                name="setVisibility",
            )
        )

    @strawberry.mutation(
        description="Your organisation adopts a project it may read: a new project at IDEA "
        "linked to the original, copying its summary, problem, theory of change, kind and "
        "themes (no records). Idempotent with idempotencyKey. User errors: NOT_FOUND "
        "(projectId), FORBIDDEN, INVALID (an archived project, or one your organisation "
        "leads; leadAccountId; idempotencyKey), REQUIRED, TOO_LONG, PERSONAL_DATA, DUPLICATE "
        "(idempotencyKey used with other input)."
    )
    def replicate_project(self, info: Info, input: Input[ReplicateProjectInput]) -> ProjectPayload:
        def work(session: Session) -> models.Project:
            return replication.replicate_project(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                title=input.title,
                lead_account_id=(
                    decode_id(input.lead_account_id, "Account", "lead_account_id")
                    if input.lead_account_id
                    else None
                ),
                visibility=input.visibility,
            )

        return _payload(
            run_mutation(info, work, name="replicateProject", data=input, replay=models.Project)
        )

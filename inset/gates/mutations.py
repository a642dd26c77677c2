from __future__ import annotations

import strawberry
from sqlmodel import Session

from inset.errors import GateNotMet
from inset.gates import models, service
from inset.gates.types import DecideGateInput, DecideGatePayload, GateCriterion, GateDecision
from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.errors import shown
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.lessons import tags
from inset.lessons.service import InlineLesson
from inset.projects.models import Project


@strawberry.type
class GateMutation:
    @strawberry.mutation(
        description="GO, HOLD, RESUME, RECYCLE or STOP: the only way a project's stage or "
        "status changes. Needs expectedVersion; the project's version goes up by one. "
        "Idempotent with idempotencyKey. For LEADs of its lead or partner organisations, and "
        "STAFF (override: STAFF only). User errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale "
        "expectedVersion), INVALID_TRANSITION (not allowed from the project's stage or "
        "status), GATE_NOT_MET (mandatory criteria unmet), REQUIRED (rationale; toStage "
        "for RECYCLE; a lesson for RECYCLE and STOP), TOO_LONG, INVALID (override not on "
        "GO, revisitOn, a barrier tag, idempotencyKey), PERSONAL_DATA, ANONYMITY (the "
        "inline lesson), DUPLICATE (idempotencyKey used with other input)."
    )
    def decide_gate(self, info: Info, input: Input[DecideGateInput]) -> DecideGatePayload:
        def work(session: Session) -> models.GateDecision:
            lesson = input.lesson
            _, decision = service.decide_gate(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                decision=input.decision,
                to_stage=input.to_stage,
                rationale=input.rationale,
                expected_version=input.expected_version,
                override=input.override,
                revisit_on=input.revisit_on,
                lesson=None
                if lesson is None
                else InlineLesson(
                    kind=lesson.kind,
                    title=lesson.title,
                    body=lesson.body,
                    barriers=tags.tag_texts(
                        lesson.barriers, lesson.barrier_tags, ("lesson", "barrier_tags")
                    ),
                    anonymised=lesson.anonymised,
                ),
                optimism_bias=info.context.settings.optimism_bias,
                review_required=info.context.settings.review_required_gates,
            )
            return decision

        # A replayed request returns the stored decision; the payload's project is read
        # afresh from it, so both come back as they are now.
        result = run_mutation(info, work, name="decideGate", data=input, replay=models.GateDecision)
        if isinstance(result, list):
            # With CONFLICT the project as it is now; with GATE_NOT_MET what is missing.
            current, _ = shown(result, Project)
            unmet = [
                GateCriterion(code=code, description=description, met=False, mandatory=True)
                for error in result
                if isinstance(error.source, GateNotMet)
                for code, description in zip(
                    error.source.unmet, error.source.descriptions, strict=True
                )
            ]
            return DecideGatePayload(
                decision=None,
                project_pk=current.id if current else None,
                user_errors=result,
                unmet_criteria=unmet or None,
            )
        return DecideGatePayload(
            decision=GateDecision.from_model(result), project_pk=result.project_id, user_errors=[]
        )

"""The cast of the access tests: who asks, about what, and the state a refusal must keep.

Not a conftest: `tests/conftest.py` is imported as `conftest` by test modules, and a second
conftest here would shadow it. Every project is led by `lead_org` and names `partner_org`
as its partner; `outside_org` has nothing to do with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import World
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from inset.access import Actor
from inset.accounts.models import Role, TokenScope
from inset.db import pk, transaction
from inset.economics import service as economics
from inset.economics.models import BenefitKind, CostCategory
from inset.evidence import service as evidence
from inset.evidence.models import EvidenceKind
from inset.gates import service as gates
from inset.gates.models import GateDecisionKind
from inset.ids import to_global_id
from inset.lessons import service as lessons
from inset.lessons.models import Lesson, LessonKind
from inset.organisations.models import Organisation, OrganisationKind
from inset.outcomes import service as outcomes
from inset.projects.models import Project, Visibility

PRIVATE, MEMBERS, PUBLIC = Visibility.PRIVATE, Visibility.MEMBERS, Visibility.PUBLIC


class Who(StrEnum):
    """Who asks, placed around projects led by the lead organisation with one partner."""

    ANONYMOUS = "anonymous"
    LEAD_ORG_MEMBER = "member of the lead organisation"
    PARTNER_MEMBER = "member of a partner"
    OUTSIDE_MEMBER = "member of an unrelated organisation"
    LEAD_ORG_LEAD = "lead of the lead organisation"
    PARTNER_LEAD = "lead of a partner"
    OUTSIDE_LEAD = "lead of an unrelated organisation"
    STAFF = "staff"


ANONYMOUS, LEAD_ORG_MEMBER, PARTNER_MEMBER, OUTSIDE_MEMBER = list(Who)[:4]
LEAD_ORG_LEAD, PARTNER_LEAD, OUTSIDE_LEAD, STAFF = list(Who)[4:]

# Who reads a project of each visibility (DESIGN.md section 6). The one table every read
# test checks against.
READS: dict[Who, tuple[bool, bool, bool]] = {
    #                 PRIVATE  MEMBERS  PUBLIC
    ANONYMOUS:       (False,   False,   True),
    LEAD_ORG_MEMBER: (True,    True,    True),
    PARTNER_MEMBER:  (True,    True,    True),
    OUTSIDE_MEMBER:  (False,   True,    True),
    LEAD_ORG_LEAD:   (True,    True,    True),
    PARTNER_LEAD:    (True,    True,    True),
    OUTSIDE_LEAD:    (False,   True,    True),
    STAFF:           (True,    True,    True),
}  # fmt: skip


def may_read(who: Who, visibility: Visibility) -> bool:
    return READS[who][visibility.breadth]


def label(*parts: object) -> str:
    """A test id: the parts that are not empty, joined with hyphens."""
    return "-".join(str(p).replace(" ", "-") for p in parts if p)


def read_matrix() -> list[Any]:
    """(who, visibility, visible) for every role and visibility: the rows of READS."""
    rows = []
    for who in Who:
        for visibility in Visibility:
            seen = may_read(who, visibility)
            tag = label(who, visibility, "reads" if seen else "hidden")
            rows.append(pytest.param(who, visibility, seen, id=tag))
    return rows


def roles() -> list[Any]:
    return [pytest.param(who, id=label(who)) for who in Who]


def gid(type_name: str, row: Any) -> str:
    return to_global_id(type_name, row if isinstance(row, int) else pk(row))


MISSING_PK = 999_999  # an id that no record of a test's small world has
LESSON: dict[str, Any] = {
    "kind": LessonKind.WHAT_DID_NOT_WORK,
    "title": "Evening meetings",
    "body": "Carers with young children could not come in the evening.",
}


@dataclass
class Cast:
    """The organisations, the people in each role and the records a test needs, each made
    through the services on first use, so a test builds only what it asks for."""

    world: World
    lead_org: Organisation = field(init=False)
    partner_org: Organisation = field(init=False)
    owner: Actor = field(init=False)  # the lead of the lead organisation, who makes records
    _outside_org: Organisation | None = None
    _actors: dict[Who, Actor] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lead_org = self.world.org("Lead Borough Council", region="North West")
        self.partner_org = self.world.org("Partner Trust", region="Yorkshire")
        self.owner = self.world.lead(self.lead_org)
        self._actors[LEAD_ORG_LEAD] = self.owner

    @property
    def engine(self) -> Engine:
        return self.world.engine

    @property
    def outside_org(self) -> Organisation:
        if self._outside_org is None:
            self._outside_org = self.world.org(
                "Unrelated Fostering Agency",
                OrganisationKind.INDEPENDENT_FOSTERING_AGENCY,
                "London",
            )
        return self._outside_org

    def actor(self, who: Who) -> Actor | None:
        """The actor for a role (made on first use); None for anonymous."""
        if who is ANONYMOUS:
            return None
        if who not in self._actors:
            self._actors[who] = self._make(who)
        return self._actors[who]

    def _make(self, who: Who) -> Actor:
        if who is STAFF:
            return self.world.staff
        if who is LEAD_ORG_MEMBER:
            org = self.lead_org
        elif who in (PARTNER_MEMBER, PARTNER_LEAD):
            org = self.partner_org
        else:
            org = self.outside_org
        member = who in (LEAD_ORG_MEMBER, PARTNER_MEMBER, OUTSIDE_MEMBER)
        return self.world.actor(self.world.account(org, Role.MEMBER if member else Role.LEAD))

    def account_id(self, who: Who) -> int:
        actor = self.actor(who)
        if actor is None or actor.account_id is None:
            raise ValueError(f"{who} has no account")
        return actor.account_id

    def token(self, who: Who, scope: TokenScope = TokenScope.READ_WRITE) -> str | None:
        """A bearer secret for the role's account; None (no token) for anonymous."""
        actor = self.actor(who)
        return None if actor is None else self.world.token(actor, scope)

    def project(self, visibility: Visibility, **overrides: Any) -> Project:
        values: dict[str, Any] = {
            "title": "Kinship carers' peer network",
            "summary": "Carers meet monthly to support one another.",
            "partner_organisation_ids": [pk(self.partner_org)],
            "visibility": visibility,
            **overrides,
        }
        return self.world.project(self.owner, **values)

    def records(self, project: Project, *, decide: bool = True) -> dict[str, int]:
        """One live record of each kind under the project, by GraphQL type name.

        The gate decision (left out unless `decide`) is a HOLD: the project is ON_HOLD after.
        """
        project_id, owner = pk(project), self.owner
        with transaction(self.engine) as s:
            found = evidence.record_evidence(
                session=s,
                actor=owner,
                project_id=project_id,
                kind=EvidenceKind.MONITORING_DATA,
                title="Monthly attendance",
                summary="Attendance counted at each meeting.",
                level=2,
            )
            outcome = outcomes.define_outcome(
                session=s,
                actor=owner,
                project_id=project_id,
                name="Placement breakdowns",
                unit="breakdowns a year",
                higher_is_better=False,
                baseline=Decimal("12"),
                baseline_on=date(2024, 1, 31),
            )
            outcomes.observe_outcome(
                session=s,
                actor=owner,
                outcome_id=pk(outcome),
                value=Decimal("9"),
                observed_on=date(2024, 7, 31),
            )
            cost = economics.record_cost(
                session=s,
                actor=owner,
                project_id=project_id,
                category=CostCategory.STAFF,
                description="Coordinator",
                amount=Decimal("10000.00"),
                confidence=1,
            )
            benefit = economics.record_benefit(
                session=s,
                actor=owner,
                project_id=project_id,
                kind=BenefitKind.SOCIAL,
                description="Carers less isolated",
                amount=Decimal("4000.00"),
                confidence=2,
            )
            lesson = lessons.record_lesson(session=s, actor=owner, project_id=project_id, **LESSON)
            rows: dict[str, Any] = {
                "Evidence": found,
                "Outcome": outcome,
                "Cost": cost,
                "Benefit": benefit,
                "Lesson": lesson,
            }
            if decide:
                _, rows["GateDecision"] = gates.decide_gate(
                    session=s,
                    actor=owner,
                    project_id=project_id,
                    decision=GateDecisionKind.HOLD,
                    rationale="Waiting for the new budget year.",
                    expected_version=project.version,
                )
            return {name: pk(row) for name, row in rows.items()}

    def lesson(self, project: Project, **overrides: Any) -> Lesson:
        values: dict[str, Any] = {**LESSON, **overrides}
        with transaction(self.engine) as s:
            return lessons.record_lesson(
                session=s, actor=self.owner, project_id=pk(project), **values
            )


def database_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that a refused request changed nothing.

    Left out: when a token was last used (authentication records it, at most once a
    minute), failed sign-ins, and rate-limit buckets (every costed request pays, refused or
    not; on PostgreSQL they are rows).
    """
    state: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in ("sign_in_attempt", "rate_limit_bucket"):
                continue
            columns = [c for c in table.columns if c.name != "last_used_at"]
            order = list(table.primary_key.columns) or columns
            rows = conn.execute(sa.select(*columns).order_by(*order))
            state[table.name] = [tuple(row) for row in rows]
    return state

"""The writes the access tests make, as the API takes them.

Every mutation document answers alike, `result { made userErrors }`, so one helper reads
whether it was done or refused. `PROJECT_WRITES` is every write that names a project or a
record under it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conftest import Api
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.accounts.models import TokenScope
from inset.ids import pk_of
from inset.projects.models import Project
from tests.access.cast import MISSING_PK, Cast, Who, gid

READ, READ_WRITE = TokenScope.READ, TokenScope.READ_WRITE
DONE, FORBIDDEN, NOT_FOUND = "done", "FORBIDDEN", "NOT_FOUND"


def mutation(field: str, input_type: str, made: str) -> str:
    """`result: field(input:)` with what it made as `made`, so every answer reads alike."""
    return f"""
mutation ($input: {input_type}!) {{
  result: {field}(input: $input) {{ made: {made} userErrors {{ field code message }} }}
}}
"""


UPDATE_PROJECT = mutation("updateProject", "UpdateProjectInput", "project { id }")
SET_VISIBILITY = mutation("setVisibility", "SetVisibilityInput", "project { id }")
DECIDE_GATE = mutation(
    "decideGate", "DecideGateInput", "decision { id override unmetCriteria toStage }"
)
RECORD_EVIDENCE = mutation("recordEvidence", "RecordEvidenceInput", "evidence { id }")
DEFINE_OUTCOME = mutation("defineOutcome", "DefineOutcomeInput", "outcome { id }")
OBSERVE_OUTCOME = mutation("observeOutcome", "ObserveOutcomeInput", "outcome { id }")
RECORD_COST = mutation("recordCost", "RecordCostInput", "cost { id }")
RECORD_BENEFIT = mutation("recordBenefit", "RecordBenefitInput", "benefit { id }")
RECORD_LESSON = mutation("recordLesson", "RecordLessonInput", "lesson { id }")
ARCHIVE_RECORD = mutation("archiveRecord", "ArchiveRecordInput", "archivedId")
CREATE_PROJECT = mutation("createProject", "CreateProjectInput", "project { id }")
CREATE_ORGANISATION = mutation(
    "createOrganisation", "CreateOrganisationInput", "organisation { id }"
)
CREATE_ACCOUNT = mutation("createAccount", "CreateAccountInput", "account { id }")

PROJECT_STAGE = "query ($id: ID!) { node(id: $id) { ... on Project { stage version } } }"


@dataclass(frozen=True)
class Targets:
    """The global ids a write names: a project and one record of each kind under it."""

    project: str
    evidence: str
    outcome: str
    cost: str
    benefit: str
    lesson: str

    @classmethod
    def of(cls, project: Project | int, records: dict[str, int]) -> Targets:
        return cls(
            project=gid("Project", project),
            **{name.lower(): gid(name, pk) for name, pk in records.items()},
        )

    @classmethod
    def missing(cls) -> Targets:
        """Ids of records that were never made."""
        kinds = ("Evidence", "Outcome", "Cost", "Benefit", "Lesson")
        return cls.of(MISSING_PK, dict.fromkeys(kinds, MISSING_PK))


Variables = Callable[[Targets, int], dict[str, Any]]


def archiving(target: str) -> Variables:
    return lambda t, v: {"id": getattr(t, target), "reason": "Entered by mistake."}


# Every write that names a project or a record under it, in an order that a lead can run
# one after another on one project (decideGate HOLD needs it ACTIVE; archiving it is last).
# Each takes the targets and the project's current version.
PROJECT_WRITES: dict[str, tuple[str, Variables]] = {
    "recordEvidence": (RECORD_EVIDENCE, lambda t, v: {
        "projectId": t.project, "kind": "SURVEY", "title": "Carer survey",
        "summary": "Most carers said they felt less alone.", "level": 2,
    }),
    "defineOutcome": (DEFINE_OUTCOME, lambda t, v: {
        "projectId": t.project, "name": "Carers staying on", "unit": "%",
        "higherIsBetter": True, "baseline": "70",
    }),
    "observeOutcome": (OBSERVE_OUTCOME, lambda t, v: {
        "outcomeId": t.outcome, "value": "8", "observedOn": "2024-09-30",
    }),
    "recordCost": (RECORD_COST, lambda t, v: {
        "projectId": t.project, "category": "TRAINING", "description": "Facilitator training",
        "amount": {"amount": "1500.00"}, "confidence": 2,
    }),
    "recordBenefit": (RECORD_BENEFIT, lambda t, v: {
        "projectId": t.project, "kind": "SOCIAL", "description": "Fewer carers giving up",
        "confidence": 4,
    }),
    "recordLesson": (RECORD_LESSON, lambda t, v: {
        "projectId": t.project, "kind": "ENABLER", "title": "Carers as hosts",
        "body": "Meetings hosted by carers kept others coming.",
    }),
    "updateProject": (UPDATE_PROJECT, lambda t, v: {
        "projectId": t.project, "expectedVersion": v, "title": "Kinship carers together",
    }),
    "setVisibility": (SET_VISIBILITY, lambda t, v: {
        "projectId": t.project, "expectedVersion": v, "visibility": "PUBLIC",
    }),
    "decideGate": (DECIDE_GATE, lambda t, v: {
        "projectId": t.project, "decision": "HOLD", "expectedVersion": v,
        "rationale": "Paused for the budget round.",
    }),
    "archiveRecord(Evidence)": (ARCHIVE_RECORD, archiving("evidence")),
    "archiveRecord(Outcome)": (ARCHIVE_RECORD, archiving("outcome")),
    "archiveRecord(Cost)": (ARCHIVE_RECORD, archiving("cost")),
    "archiveRecord(Benefit)": (ARCHIVE_RECORD, archiving("benefit")),
    "archiveRecord(Lesson)": (ARCHIVE_RECORD, archiving("lesson")),
    "archiveRecord(Project)": (ARCHIVE_RECORD, archiving("project")),
}  # fmt: skip


def version_of(engine: Engine, project_id: str) -> int:
    """The project's version now (1 for a project that was never made)."""
    with Session(engine) as session:
        project = session.get(Project, pk_of(project_id, "Project") or 0)
        return project.version if project is not None else 1


async def write(
    api: Api, engine: Engine, name: str, targets: Targets, token: str | None
) -> dict[str, Any]:
    document, variables = PROJECT_WRITES[name]
    given = variables(targets, version_of(engine, targets.project))
    result: dict[str, Any] = (await api.data(document, {"input": given}, token=token))["result"]
    return result


def outcome(result: dict[str, Any]) -> str:
    """DONE, or the code of the first user error."""
    if result["userErrors"]:
        return str(result["userErrors"][0]["code"])
    return DONE if result["made"] is not None else "nothing made and no user error"


def token_for(cast: Cast, who: Who, scope: TokenScope | None) -> str | None:
    return cast.token(who, scope) if scope is not None else None

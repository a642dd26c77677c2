"""Archived records behave as absent, for everyone, staff included (DESIGN.md section 8).

Records are archived through `archiveRecord`; nothing is deleted, yet no read path shows
them, no figure counts them and no write finds them.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World
from sqlalchemy.engine import Engine

from inset.projects.models import Visibility
from tests.access.cast import (
    LEAD_ORG_LEAD,
    PARTNER_LEAD,
    STAFF,
    Cast,
    Who,
    database_state,
    gid,
    label,
    roles,
)
from tests.access.writing import (
    ARCHIVE_RECORD,
    DONE,
    NOT_FOUND,
    PROJECT_WRITES,
    Targets,
    outcome,
    write,
)


@pytest.fixture
def cast(world: World) -> Cast:
    return Cast(world)


ARCHIVE_EACH = """
mutation ($evidence: ID!, $outcome: ID!, $cost: ID!, $benefit: ID!, $lesson: ID!, $project: ID!) {
  evidence: archiveRecord(input: {id: $evidence, reason: "Entered twice."}) { ...done }
  outcome: archiveRecord(input: {id: $outcome, reason: "Entered twice."}) { ...done }
  cost: archiveRecord(input: {id: $cost, reason: "Entered twice."}) { ...done }
  benefit: archiveRecord(input: {id: $benefit, reason: "Entered twice."}) { ...done }
  lesson: archiveRecord(input: {id: $lesson, reason: "Entered twice."}) { ...done }
  project: archiveRecord(input: {id: $project, reason: "The trial ended."}) { ...done }
}
fragment done on ArchivePayload { archivedId userErrors { code } }
"""

AS_SEEN = """
query ($kept: ID!, $archived: [ID!]!, $lead: ID!) {
  archived: nodes(ids: $archived) { id }
  projects { totalCount nodes { id } }
  organisation: node(id: $lead) { ... on Organisation { projects { totalCount } } }
  lessons { totalCount }
  kept: node(id: $kept) {
    ... on Project {
      evidenceLevel
      evidence { totalCount nodes { id } }
      costs { totalCount nodes { id } }
      benefits { totalCount nodes { id } }
      lessons { totalCount nodes { id } }
      outcomes { id }
      economics { grossCost { amount } grossBenefit { amount } netBenefit { amount } }
    }
  }
}
"""

NONE_LEFT = {"totalCount": 0, "nodes": []}


@pytest.mark.parametrize("who", roles())
async def test_archived_records_and_projects_are_absent_from_every_read_path(
    api: Api, cast: Cast, who: Who
) -> None:
    # given a public project whose records were archived, and a members' project archived
    # whole, with a lesson that anyone could read until then
    kept = cast.project(Visibility.PUBLIC, title="Kept project")
    archived_records = {k: gid(k, v) for k, v in cast.records(kept, decide=False).items()}
    gone = cast.project(Visibility.MEMBERS, title="Archived project")
    gone_records = [gid(k, v) for k, v in cast.records(gone).items()]
    shared = cast.lesson(gone, title="Shared with everyone", shared_with=Visibility.PUBLIC)
    gone_records.append(gid("Lesson", shared))
    archive = {k.lower(): v for k, v in archived_records.items()} | {
        "project": gid("Project", gone)
    }
    done = await api.data(ARCHIVE_EACH, archive, token=cast.token(LEAD_ORG_LEAD))
    assert all(answer["userErrors"] == [] for answer in done.values())
    absent = [*archived_records.values(), gid("Project", gone), *gone_records]
    # when
    variables = {
        "kept": gid("Project", kept),
        "archived": absent,
        "lead": gid("Organisation", cast.lead_org),
    }
    data = await api.data(AS_SEEN, variables, token=cast.token(who))
    # then
    assert data["archived"] == [None] * len(absent)
    assert data["projects"] == {"totalCount": 1, "nodes": [{"id": gid("Project", kept)}]}
    assert data["organisation"] == {"projects": {"totalCount": 1}}
    assert data["lessons"] == {"totalCount": 0}
    zero = {"amount": "0.00"}
    assert data["kept"] == {
        "evidenceLevel": 0,
        "evidence": NONE_LEFT,
        "costs": NONE_LEFT,
        "benefits": NONE_LEFT,
        "lessons": NONE_LEFT,
        "outcomes": [],
        "economics": {"grossCost": zero, "grossBenefit": zero, "netBenefit": zero},
    }


@pytest.mark.parametrize("who", [LEAD_ORG_LEAD, PARTNER_LEAD, STAFF], ids=label)
async def test_writes_naming_an_archived_project_or_its_records_find_nothing_even_for_staff(
    api: Api, cast: Cast, engine: Engine, who: Who
) -> None:
    # given a project with its records, archived by its lead
    project = cast.project(Visibility.MEMBERS)
    archived = Targets.of(project, cast.records(project, decide=False))
    archive = {"id": archived.project, "reason": "The trial ended."}
    done = await api.data(ARCHIVE_RECORD, {"input": archive}, token=cast.token(LEAD_ORG_LEAD))
    assert outcome(done["result"]) == DONE
    token = cast.token(who)
    before = database_state(engine)

    async def refusals(ids: Targets) -> dict[str, Any]:
        return {n: (await write(api, engine, n, ids, token))["userErrors"] for n in PROJECT_WRITES}

    # when
    naming_archived, naming_missing = await refusals(archived), await refusals(Targets.missing())
    # then
    codes = {name: [e["code"] for e in errors] for name, errors in naming_archived.items()}
    assert codes == {name: [NOT_FOUND] for name in PROJECT_WRITES}
    assert naming_archived == naming_missing
    assert database_state(engine) == before


async def test_a_write_naming_an_archived_record_of_a_live_project_finds_nothing(
    api: Api, cast: Cast, engine: Engine
) -> None:
    # given a project whose records were archived by its lead
    project = cast.project(Visibility.MEMBERS)
    archived = Targets.of(project, cast.records(project, decide=False))
    owner = cast.token(LEAD_ORG_LEAD)
    for kind in ("evidence", "outcome", "cost", "benefit", "lesson"):
        archive = {"id": getattr(archived, kind), "reason": "Entered twice."}
        assert (
            outcome((await api.data(ARCHIVE_RECORD, {"input": archive}, token=owner))["result"])
            == DONE
        )
    staff = cast.token(STAFF)
    before = database_state(engine)
    record_writes = ["observeOutcome", *(n for n in PROJECT_WRITES if n.startswith("archive"))]
    record_writes.remove("archiveRecord(Project)")
    # when
    answers = {
        n: (await write(api, engine, n, archived, staff))["userErrors"] for n in record_writes
    }
    # then
    assert {n: [e["code"] for e in errors] for n, errors in answers.items()} == {
        n: [NOT_FOUND] for n in record_writes
    }
    assert database_state(engine) == before

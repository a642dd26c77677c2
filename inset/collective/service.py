"""Staff choose, order and summarise the case studies of a year's digest.

A case study is chosen by project and year: featuring a project again moves it and
replaces its summary. Positions are 1-based; featuring at a taken position moves that case
study and the ones after it down by one, as inserting into a list would.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, require_staff
from inset.audit import service as audit
from inset.collective.models import CaseStudy
from inset.db import TEXT_LENGTH, utcnow
from inset.errors import Invalid, NotFound
from inset.projects.models import Project, Stage, Visibility
from inset.validation import in_range, no_personal_data, required_text

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_POSITION = 1000
CASE_STUDY_STAGES = (Stage.EVALUATION, Stage.SCALE)


def check_year(year: int, field: str = "year") -> int:
    return in_range(year, field, FIRST_YEAR, LAST_YEAR)


def live_case_study(session: Session, project_id: int, year: int) -> CaseStudy | None:
    return session.scalars(
        sa.select(CaseStudy).where(
            col(CaseStudy.project_id) == project_id,
            col(CaseStudy.year) == year,
            col(CaseStudy.archived_at).is_(None),
        )
    ).first()


def _make_room(session: Session, year: int, position: int, moving: int | None) -> None:
    session.execute(
        sa.update(CaseStudy)
        .where(
            col(CaseStudy.year) == year,
            col(CaseStudy.archived_at).is_(None),
            col(CaseStudy.position) >= position,
            col(CaseStudy.id) != (moving or 0),
        )
        .values(position=col(CaseStudy.position) + 1)
    )


def feature_case_study(
    *, session: Session, actor: Actor, project_id: int, year: int, position: int, summary: str
) -> CaseStudy:
    """Puts the project in the year's digest at `position` with staff's `summary`.

    Only a PUBLIC, live project that has reached EVALUATION or SCALE can be featured: the
    digest is read by anyone. The summary is checked for personal data as public text.
    """
    require_staff(actor, "choose the digest's case studies")
    check_year(year)
    in_range(position, "position", 1, MAX_POSITION)
    cleaned = required_text(summary, "summary", limit=TEXT_LENGTH)
    no_personal_data({"summary": cleaned}, public=True)
    project = session.get(Project, project_id)
    if project is None or project.archived_at is not None:
        raise NotFound("project", ("project_id",))
    if project.visibility is not Visibility.PUBLIC:
        raise Invalid("only a PUBLIC project can be a case study of the digest", ("project_id",))
    if project.stage not in CASE_STUDY_STAGES:
        raise Invalid(
            "a case study is a project that reached EVALUATION or SCALE; "
            f"this one is at {project.stage.value}",
            ("project_id",),
        )
    row = live_case_study(session, project_id, year)
    before = None if row is None else {"position": row.position, "summary": row.summary}
    _make_room(session, year, position, row.id if row else None)
    if row is None:
        row = CaseStudy(project_id=project_id, year=year, position=position, summary=cleaned)
        row.featured_by_id = actor.account_id
    row.position, row.summary, row.updated_at = position, cleaned, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="case_study.feature",
        entity=row,
        organisation_id=project.lead_organisation_id,
        changes={
            "project_id": (None if before is None else project_id, project_id),
            "year": (None if before is None else year, year),
            "position": (before and before["position"], position),
            "summary": (before and before["summary"], cleaned),
        },
    )
    return row


def unfeature_case_study(
    *, session: Session, actor: Actor, project_id: int, year: int
) -> CaseStudy:
    """Takes the project out of the year's digest (the row is archived, not deleted)."""
    require_staff(actor, "choose the digest's case studies")
    check_year(year)
    row = live_case_study(session, project_id, year)
    if row is None:
        raise NotFound("case study", ("project_id",))
    row.archived_at = row.updated_at = utcnow()
    session.add(row)
    project = session.get(Project, project_id)
    audit.record(
        session=session,
        actor=actor,
        action="case_study.unfeature",
        entity=row,
        organisation_id=project.lead_organisation_id if project else None,
        changes={"archived": (False, True), "position": (row.position, None)},
    )
    return row

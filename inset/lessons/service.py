"""Lessons: what projects learned, above all from trials that failed (DESIGN.md sections 5, 6).

Who reads a lesson: whoever reads its (live) project, and more widely whoever its
`shared_with` reaches (PUBLIC: anyone; MEMBERS: any signed-in account), as long as the
project is not archived. An anonymised lesson shows its organisation and project only to
the project's own organisations (lead and partners) and to staff, whatever the project's
visibility; everyone else sees the lead organisation's kind and region, and does not find
the lesson under its project (`project_lessons`). Its text may not name them either
(inset.lessons.anonymity).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from inset.access import Actor, project_is_own, project_is_readable, readable_visibilities
from inset.audit import service as audit
from inset.db import NAME_LENGTH, TEXT_LENGTH, utcnow
from inset.errors import Invalid, NotFound
from inset.gates.models import GateDecision
from inset.lessons import search as full_text
from inset.lessons.anonymity import check_anonymity
from inset.lessons.models import Barrier, Lesson, LessonBarrier, LessonKind
from inset.organisations.models import Organisation, OrganisationKind
from inset.pagination import Page, PageRequest, SortKey, keyset, make_page
from inset.projects.models import Project, ProjectStatus, ProjectTheme, Stage, Visibility
from inset.projects.service import get_project_for_write, touch
from inset.validation import no_personal_data, required_text

ALLOWED_BARRIERS = ", ".join(b.value for b in Barrier)
REASON_LENGTH = 2000
RECORDED = ["kind", "title", "body", "stage", "shared_with", "anonymised", "decision_id"]
# Newest first; the id breaks ties between lessons recorded in the same instant.
NEWEST_FIRST = [
    SortKey(col(Lesson.recorded_at), descending=True),
    SortKey(col(Lesson.id), descending=True),
]

LessonRows = sa.Select[tuple[Lesson, float | None]]
# A search page first looks among this many best-ranked matches per lesson it shows; half
# the lessons are readable by anyone, so eight times the page nearly always holds it.
CANDIDATES_PER_ROW = 8


@dataclass(frozen=True)
class InlineLesson:
    """A lesson given with a gate decision; recorded in the decision's transaction."""

    kind: LessonKind
    title: str
    body: str
    barriers: list[str] | None = None
    anonymised: bool = False


def _barrier(tag: str) -> Barrier | None:
    key = " ".join(tag.replace("_", " ").split()).lower()
    return next((b for b in Barrier if b.value == key), None)


def parse_barriers(
    tags: Iterable[str] | None, field: tuple[str, ...] = ("barriers",)
) -> list[Barrier]:
    """Tags from the fixed list, each once, in the order given.

    A tag is matched by its value or its name, ignoring case, underscores and extra
    spaces: "Staff capacity", "staff_capacity" and "STAFF_CAPACITY" are one tag. An
    unknown tag is INVALID, naming it and listing the allowed ones.
    """
    found: list[Barrier] = []
    for tag in tags or []:
        barrier = _barrier(tag)
        if barrier is None:
            raise Invalid(f"{tag!r} is not a barrier tag; use one of: {ALLOWED_BARRIERS}", field)
        if barrier not in found:
            found.append(barrier)
    return found


def widened(shared_with: Visibility | None, project_visibility: Visibility) -> Visibility | None:
    """What to store as `shared_with`: only a reach wider than the project's.

    A lesson is never narrower than its project, so PRIVATE on a MEMBERS project (or
    MEMBERS on a MEMBERS one) stores None: "as the project".
    """
    if shared_with is None or shared_with.breadth <= project_visibility.breadth:
        return None
    return shared_with


def effective_visibility(
    project_visibility: Visibility, shared_with: Visibility | None
) -> Visibility:
    """The wider of the project's visibility and the lesson's own reach."""
    if shared_with is None or shared_with.breadth <= project_visibility.breadth:
        return project_visibility
    return shared_with


def _furthest_stage(session: Session, project: Project) -> Stage:
    """The latest stage the project has been at: its own, or one it was recycled from."""
    stages = {project.stage}
    rows = session.execute(
        sa.select(col(GateDecision.from_stage), col(GateDecision.to_stage)).where(
            col(GateDecision.project_id) == project.id
        )
    )
    for from_stage, to_stage in rows:
        stages.update((from_stage, to_stage))
    return max(stages, key=lambda s: s.order)


def record_lesson(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    kind: LessonKind,
    title: str,
    body: str,
    barriers: list[str] | None = None,
    shared_with: Visibility | None = None,
    anonymised: bool = False,
    stage: Stage | None = None,
    decision_id: int | None = None,
) -> Lesson:
    """Adds a lesson to the project; the project is touched (not versioned) and audited.

    `stage` is the stage the lesson came from: by default the project's current one; it
    may be an earlier stage, or a later one the project has been at before a RECYCLE,
    never one it has not reached. `shared_with` may only widen the project's reach (see
    `widened`). Free text is checked for personal data as public text when the lesson is
    readable by anyone (its effective visibility is PUBLIC); an anonymised lesson's text
    may not name its project, organisations or people (ANONYMITY, inset.lessons.anonymity).
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    title = required_text(title, "title", limit=NAME_LENGTH)
    body = required_text(body, "body", limit=TEXT_LENGTH)
    tags = parse_barriers(barriers)
    if stage is not None and stage.order > project.stage.order:
        furthest = _furthest_stage(session, project)
        if stage.order > furthest.order:
            raise Invalid(
                f"stage must be one the project has reached; it has not been beyond {furthest}",
                ("stage",),
            )
    reach = widened(shared_with, project.visibility)
    public = effective_visibility(project.visibility, reach) is Visibility.PUBLIC
    no_personal_data({"title": title, "body": body}, public=public)
    if anonymised:
        check_anonymity(session=session, project=project, values={"title": title, "body": body})
    lesson = Lesson(
        project_id=project_id,
        kind=kind,
        stage=stage or project.stage,
        shared_with=reach,
        anonymised=anonymised,
        decision_id=decision_id,
        title=title,
        body=body,
        recorded_by_id=actor.account_id,
    )
    session.add(lesson)
    session.flush()
    session.add_all(LessonBarrier(lesson_id=lesson.id or 0, barrier=b) for b in tags)
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="lesson.record",
        entity=lesson,
        organisation_id=project.lead_organisation_id,
        changes={
            "project_id": (None, project_id),
            **audit.created(lesson, RECORDED),
            "barriers": (None, [b.value for b in tags]),
        },
    )
    return lesson


def archive_lesson(*, session: Session, actor: Actor, lesson_id: int, reason: str) -> Lesson:
    """Hides the lesson from every list and from the gate criteria; kept and audited.

    NOT_FOUND (on `id`, the field of `archiveRecord`) when it is already archived or the
    actor may not read its project; FORBIDDEN when they may read but not change it.
    """
    lesson = session.get(Lesson, lesson_id)
    if lesson is None or lesson.archived_at is not None:
        raise NotFound("lesson", ("id",))
    try:
        project = get_project_for_write(
            session=session, actor=actor, project_id=lesson.project_id, field="id"
        )
    except NotFound:
        raise NotFound("lesson", ("id",)) from None
    cleaned = required_text(reason, "reason", limit=REASON_LENGTH)
    # The reason is kept in the audit log, which the lead organisation's members read.
    no_personal_data({"reason": cleaned}, public=False)
    lesson.archived_at = utcnow()
    session.add(lesson)
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="lesson.archive",
        entity=lesson,
        organisation_id=project.lead_organisation_id,
        changes={"archived_at": (None, lesson.archived_at), "reason": (None, cleaned)},
    )
    return lesson


def lesson_is_readable(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `lesson` joined to its `project`."""
    return sa.and_(
        col(Lesson.archived_at).is_(None),
        col(Project.archived_at).is_(None),
        sa.or_(
            project_is_readable(actor),
            col(Lesson.shared_with).in_(readable_visibilities(actor)),
        ),
    )


def lesson_shows_project(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `lesson` joined to its `project`: true where the actor may know
    which project and organisation the lesson is from (as far as they may read those):
    it is not anonymised, or the actor is staff or of the project's own organisations."""
    return sa.or_(col(Lesson.anonymised).is_(False), project_is_own(actor))


def project_lessons(actor: Actor) -> sa.Select[Lesson]:
    """The lessons the actor may read as a project's (`Project.lessons`, a decision's
    lesson): readable, and not anonymised unless the actor is one of the project's own.
    Listing an anonymised lesson under its project would name the project."""
    return readable_lessons(actor).where(lesson_shows_project(actor))


def readable_lessons(actor: Actor) -> sa.Select[Lesson]:
    """Every lesson the actor may read (module docstring), in no particular order."""
    return (
        sa.select(Lesson)
        .join(Project, col(Project.id) == col(Lesson.project_id))
        .where(lesson_is_readable(actor))
    )


def projects_with_readable_lessons(actor: Actor) -> sa.Select[Project]:
    """Projects with at least one lesson the actor may read, readable or not themselves.

    Only for what a lesson shows of its project whoever reads it (status, visibility,
    lead organisation's kind and region); never to show the project itself.
    """
    lesson_projects = (
        sa.select(col(Lesson.project_id))
        .join(Project, col(Project.id) == col(Lesson.project_id))
        .where(lesson_is_readable(actor))
        .correlate(None)
    )
    return sa.select(Project).where(col(Project.id).in_(lesson_projects))


def lesson_list(
    *,
    actor: Actor,
    search: str | None = None,
    theme_ids: list[int] | None = None,
    barriers: list[str] | None = None,
    stages: list[Stage] | None = None,
    kinds: list[LessonKind] | None = None,
    organisation_kinds: list[OrganisationKind] | None = None,
    regions: list[str] | None = None,
    project_outcomes: list[ProjectStatus] | None = None,
) -> LessonRows:
    """The learning library: lessons the actor may read that match every condition given.

    Rows are (lesson, rank), in no particular order. Each list matches any of its values;
    an empty or missing list does not filter. Organisation kinds and regions are the lead
    organisation's, and only filter: an anonymised lesson still never shows its
    organisation. `search` (at most 200 characters; blank: no search) keeps the lessons
    whose title or body matches it as inset.lessons.search describes, and `rank` says how
    well (higher is better); without a search `rank` is None.
    """
    conditions: list[Any] = []
    if stages:
        conditions.append(col(Lesson.stage).in_(stages))
    if kinds:
        conditions.append(col(Lesson.kind).in_(kinds))
    if project_outcomes:
        conditions.append(col(Project.status).in_(project_outcomes))
    if barriers:
        tags = parse_barriers(barriers, ("filter", "barriers"))
        conditions.append(
            sa.exists().where(
                col(LessonBarrier.lesson_id) == col(Lesson.id),
                col(LessonBarrier.barrier).in_(tags),
            )
        )
    if theme_ids:
        conditions.append(
            sa.exists().where(
                col(ProjectTheme.project_id) == col(Lesson.project_id),
                col(ProjectTheme.theme_id).in_(theme_ids),
            )
        )
    if organisation_kinds or regions:
        lead = sa.select(col(Organisation.id)).where(
            col(Organisation.id) == col(Project.lead_organisation_id)
        )
        if organisation_kinds:
            lead = lead.where(col(Organisation.kind).in_(organisation_kinds))
        if regions:
            lead = lead.where(col(Organisation.region).in_(regions))
        conditions.append(lead.exists())
    readable = readable_lessons(actor).where(*conditions)
    cleaned = full_text.clean_search(search)
    if cleaned is None:
        return readable.add_columns(sa.null().cast(sa.Float).label("rank"))
    found = full_text.hits(cleaned)
    return readable.join(found, found.c.lesson_id == col(Lesson.id)).add_columns(
        found.c.rank.label("rank")
    )


def library_page(
    *, session: Session, lessons: LessonRows, search: str | None, request: PageRequest
) -> Page:
    """A page of `lesson_list(..., search=search)` rows: newest first without a search;
    with one, most relevant first, then newest (highest id) first.

    A cursor holds its row's sort values: (recorded_at, id) without a search; with one,
    (rank, id) and a fingerprint of the search, so that only the same search takes it
    (any other cursor is INVALID on `after`). The rank is a float, kept exactly.
    """
    cleaned = full_text.clean_search(search)
    if cleaned is None:
        order = NEWEST_FIRST
    else:
        rank = lessons.selected_columns.rank
        order = [SortKey(rank, descending=True), SortKey(col(Lesson.id), descending=True)]
    request = replace(request, after=full_text.cursor_after(cleaned, request.after))
    wanted = request.size + 1
    rows: Sequence[Any] = []
    complete = False
    if cleaned is not None and request.before is None and not request.backwards:
        # Most pages come from the best-ranked matches: join those, not every match, to
        # their projects. Only when too few of them are readable (or match the filters)
        # is every match considered, below.
        after = request.after if request.after is None else (request.after[0], request.after[1])
        limit = CANDIDATES_PER_ROW * wanted
        narrowed = full_text.among(lessons, full_text.best_hits(cleaned, limit, after))
        best_first = [SortKey(narrowed.selected_columns.rank, descending=True), order[1]]
        found = session.execute(keyset(narrowed, best_first, request).limit(wanted)).all()
        rows = [(lesson, rank) for lesson, rank, _ in found]
        # Fewer candidates than asked for were all the matches left: the page is whole.
        complete = len(rows) == wanted or bool(found and found[0][2] < limit)
    if not complete:
        rows = session.execute(keyset(lessons, order, request).limit(wanted)).all()

    def keys_of(row: Any) -> tuple[Any, ...]:
        lesson, rank = row
        if cleaned is None:
            return (lesson.recorded_at, lesson.id)
        return full_text.ranked_cursor(rank, lesson.id, cleaned)

    return make_page(rows, keys_of, request)


def lesson_snippets(
    *, session: Session, search: str | None, lesson_ids: list[int]
) -> dict[int, str]:
    """The snippet of each lesson that matches `search`: the text around the match, each
    matched word between « and », … where text is left out. Empty without a search.

    Only for lessons the caller already found readable; lessons not matching are absent.
    """
    cleaned = full_text.clean_search(search)
    if cleaned is None:
        return {}
    found = full_text.snippets(cleaned)
    rows = session.execute(
        sa.select(found.c.lesson_id, found.c.snippet).where(found.c.lesson_id.in_(lesson_ids))
    )
    return dict(rows.all())

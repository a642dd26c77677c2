"""Related lessons: what others learned about the same themes and barriers.

A lesson is related to another when they share a theme (of their projects) or a barrier
tag; each shared theme and barrier counts one, and being from the same stage one more.
The most overlap comes first, then the newest. Lessons of the same project are left out:
they are on its page, and listing them beside an anonymised lesson would name its project.
Only lessons the viewer may read are considered, and they show themselves as anywhere
else (an anonymised one stays anonymous).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from inset.access import Actor
from inset.errors import Invalid
from inset.lessons.models import Lesson, LessonBarrier
from inset.lessons.service import lesson_is_readable
from inset.projects.models import Project, ProjectTheme

MAX_RELATED = 20


def check_first(first: int) -> int:
    """INVALID on `first` unless 1..MAX_RELATED."""
    if not 1 <= first <= MAX_RELATED:
        raise Invalid(f"first must be between 1 and {MAX_RELATED}", ("first",))
    return first


def related_lessons(
    *, session: Session, actor: Actor, lesson_ids: Sequence[int], first: int
) -> dict[int, list[Lesson]]:
    """Up to `first` related lessons the actor may read for each of `lesson_ids`, in one
    statement whatever their number. Every lesson asked is expected to be readable."""
    check_first(first)
    source = aliased(Lesson, name="source")
    candidate = aliased(Lesson, name="candidate")
    source_barrier = aliased(LessonBarrier, name="source_barrier")
    candidate_barrier = aliased(LessonBarrier, name="candidate_barrier")
    source_theme = aliased(ProjectTheme, name="source_theme")
    candidate_theme = aliased(ProjectTheme, name="candidate_theme")

    # Pairs (source_id, candidate_id), once for each theme and each barrier they share.
    by_barrier = (
        sa.select(col(source_barrier.lesson_id), col(candidate_barrier.lesson_id))
        .join(candidate_barrier, col(candidate_barrier.barrier) == col(source_barrier.barrier))
        .where(col(source_barrier.lesson_id).in_(lesson_ids))
    )
    by_theme = (
        sa.select(col(source.id), col(candidate.id))
        .join(source_theme, col(source_theme.project_id) == col(source.project_id))
        .join(candidate_theme, col(candidate_theme.theme_id) == col(source_theme.theme_id))
        .join(candidate, col(candidate.project_id) == col(candidate_theme.project_id))
        .where(col(source.id).in_(lesson_ids))
    )
    pairs = sa.union_all(by_barrier, by_theme).subquery("pairs")
    source_id, candidate_id = pairs.c[0].label("source_id"), pairs.c[1].label("candidate_id")
    shared = (
        sa.select(source_id, candidate_id, sa.func.count().label("shared"))
        .group_by(pairs.c[0], pairs.c[1])
        .subquery("shared")
    )
    overlap = shared.c.shared + sa.case((col(Lesson.stage) == col(source.stage), 1), else_=0)
    ranked = (
        sa.select(
            shared.c.source_id,
            col(Lesson.id).label("lesson_id"),
            sa.func.row_number()
            .over(
                partition_by=shared.c.source_id,
                order_by=[overlap.desc(), col(Lesson.recorded_at).desc(), col(Lesson.id).desc()],
            )
            .label("place"),
        )
        .select_from(shared)
        .join(source, col(source.id) == shared.c.source_id)
        .join(Lesson, col(Lesson.id) == shared.c.candidate_id)
        .join(Project, col(Project.id) == col(Lesson.project_id))
        .where(col(Lesson.project_id) != col(source.project_id), lesson_is_readable(actor))
        .subquery("ranked")
    )
    rows = session.execute(
        sa.select(ranked.c.source_id, Lesson)
        .join(Lesson, col(Lesson.id) == ranked.c.lesson_id)
        .where(ranked.c.place <= first)
        .order_by(ranked.c.source_id, ranked.c.place)
    )
    found: dict[int, list[Lesson]] = defaultdict(list)
    for source_id, lesson in rows:
        found[source_id].append(lesson)
    return {lesson_id: found[lesson_id] for lesson_id in lesson_ids}

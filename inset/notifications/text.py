"""What a notification says, in plain words, from the records it points at.

Shown in the application and in the email body (never in a subject). Called only with
records the reader may read; an anonymised lesson is named by its own title alone.
"""

from __future__ import annotations

from inset.lessons.models import Lesson
from inset.nominations.models import Nomination
from inset.notifications.models import NotificationKind
from inset.projects.models import Project

STATUS_WORDS = {"on hold": "put on hold", "active": "resumed", "stopped": "stopped"}


def describe(
    kind: NotificationKind,
    *,
    project: Project | None = None,
    lesson: Lesson | None = None,
    nomination: Nomination | None = None,
    detail: str | None = None,
) -> str:
    """`detail` is the stage or status the project moved to, as it was told."""
    title = project.title if project else ""
    if kind is NotificationKind.NEW_LESSON:
        return f"A new lesson: {lesson.title if lesson else ''}"
    if kind is NotificationKind.NEW_PROJECT:
        return f"A new project: {title}"
    if kind is NotificationKind.STAGE_CHANGED:
        stage = (detail or (project.stage.value if project else "")).lower()
        return f"{title} moved to the {stage} stage"
    if kind is NotificationKind.STATUS_CHANGED:
        status = (detail or (project.status.value if project else "")).lower().replace("_", " ")
        return f"{title} was {STATUS_WORDS.get(status, status)}"
    if kind is NotificationKind.REVISIT_DUE:
        return f"{title}, on hold, has reached its revisit date: time to decide"
    if kind is NotificationKind.REVIEW_REQUESTED:
        return f"You are asked to review a gate of {title}"
    what = nomination.where if nomination else ""
    if kind is NotificationKind.NOMINATION_ACCEPTED:
        return f"Your nomination from {what} is now a project in the incubator"
    return f"Your nomination from {what} was declined"

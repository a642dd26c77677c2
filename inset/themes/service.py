"""Themes: the incubator's streams (adolescent mental health, youth crime, ...)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, require_staff
from inset.audit import service as audit
from inset.db import NAME_LENGTH
from inset.errors import Duplicate, NotFound
from inset.themes.models import Theme
from inset.validation import no_personal_data, required_text


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def create_theme(*, session: Session, actor: Actor, name: str) -> Theme:
    require_staff(actor, "create themes")
    name = required_text(name, "name", limit=NAME_LENGTH)
    no_personal_data({"name": name}, public=True)  # themes are listed to anyone
    slug = slugify(name)
    if session.scalars(sa.select(col(Theme.id)).where(col(Theme.slug) == slug)).first():
        raise Duplicate(f"a theme called {name!r} already exists", ("name",))
    theme = Theme(name=name, slug=slug)
    session.add(theme)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="theme.create",
        entity=theme,
        organisation_id=None,
        changes=audit.created(theme, ["name", "slug"]),
    )
    return theme


def existing_theme_ids(*, session: Session, theme_ids: list[int], field: str) -> list[int]:
    """The ids, de-duplicated in order; NOT_FOUND when one is not a theme."""
    unique = list(dict.fromkeys(theme_ids))
    found = set(session.scalars(sa.select(col(Theme.id)).where(col(Theme.id).in_(unique))))
    if len(found) != len(unique):
        raise NotFound("theme", (field,))
    return unique


def list_themes(*, session: Session) -> list[Theme]:
    return list(session.scalars(sa.select(Theme).order_by(col(Theme.name))))

"""What an anonymised lesson may not name (DESIGN.md section 6, `ANONYMITY`).

An anonymised lesson shows readers outside its project only the lead organisation's kind
and region. Its text must not undo that: it may not name the project's lead organisation,
a partner organisation, the project's title, or a person on the project (the project's
lead account and the accounts of its organisations). Otherwise a search for a council's
name would find the lesson that is meant not to be its.

How a name is matched, on both sides alike:

- Unicode compatibility forms folded (full-width letters count), accents dropped,
  invisible format characters (zero-width spaces, ...) removed, case ignored;
- apostrophes dropped ("Barnardo's" is "barnardos"), "&" read as "and", and any other
  run of punctuation or spacing read as one space, so "Northmoor-Borough  Council" and
  "northmoor borough council" are one name;
- whole words only: "Kingsford" is not found in "Kingsfordshire".

Besides its full name, an organisation is known by its name without the words of local
government and company law that say what kind of body it is: a leading "The", "London
Borough of", "Royal Borough of", "City of" or "County of", and trailing Council, Borough,
County, City, District, Metropolitan, Ltd, Limited, plc, LLP, CIC, CIO or Inc. So
"Northmoor Borough Council" is also "Northmoor" (a council's place name identifies it),
and "Meridale Analytics Ltd" also "Meridale Analytics"; what is left must have at least
four letters or digits. Charities keep their "Trust", "Society" or "Foundation": stripped,
too many would leave an ordinary word ("Together", "Children's") to refuse. A council
named after an ordinary word ("Reading Borough Council") will see that word refused in
its anonymised lessons; the message says which name matched, so the author can write
around it. A person is matched by their account's full name, when it has at least two
words. Not caught: abbreviations and nicknames, a charity's name without its "Trust", a
person's first or last name alone, and names split across fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.accounts.models import Account
from inset.errors import Anonymity
from inset.organisations.models import Organisation
from inset.projects.models import Project, ProjectPartner

_LEADING = ("the", "london borough of", "royal borough of", "city of", "county of")
# Local government's and company law's forms only: without "Trust" or "Society", "Partner
# Trust" and "The Children's Society" would leave ordinary words to refuse.
_TRAILING = frozenset(
    {"council", "borough", "county", "city", "district", "metropolitan"}
    | {"ltd", "limited", "plc", "llp", "cic", "cio", "inc"}
)
_MIN_CORE = 4
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """`text` as names are compared: lower case, plain letters and digits, single spaces.

    >>> normalise("\uff2eorthmoor\u2013Borough\u200b  Council's")
    'northmoor borough councils'
    """
    folded = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c for c in folded if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    plain = _APOSTROPHES.sub("", kept.casefold()).replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def organisation_names(name: str) -> list[str]:
    """The normalised names an organisation is known by: its full name, and the name
    without the words that say what kind of body it is (module docstring)."""
    full = normalise(name)
    words = full.split()
    changed = True
    while changed and words:
        changed = False
        for leading in _LEADING:
            prefix = leading.split()
            if words[: len(prefix)] == prefix and len(words) > len(prefix):
                words, changed = words[len(prefix) :], True
        if len(words) > 1 and words[-1] in _TRAILING:
            words, changed = words[:-1], True
    core = " ".join(words)
    names = [full] if full else []
    if core != full and len(core.replace(" ", "")) >= _MIN_CORE:
        names.append(core)
    return names


@dataclass(frozen=True)
class Name:
    """One name the text may not use: what it names (for the message) and its forms."""

    what: str
    shown: str
    forms: tuple[str, ...]


def names_on_project(*, session: Session, project: Project) -> list[Name]:
    """Everything that identifies the project: its title, its lead and partner
    organisations, and its people (its lead account and its organisations' accounts)."""
    organisation_ids = [
        project.lead_organisation_id,
        *session.scalars(
            sa.select(col(ProjectPartner.organisation_id)).where(
                col(ProjectPartner.project_id) == project.id
            )
        ),
    ]
    names = [Name("the project's title", project.title, (normalise(project.title),))]
    organisations = session.scalars(
        sa.select(Organisation).where(col(Organisation.id).in_(organisation_ids))
    )
    for organisation in organisations:
        role = "lead" if organisation.id == project.lead_organisation_id else "partner"
        names.append(
            Name(
                f"the {role} organisation",
                organisation.name,
                tuple(organisation_names(organisation.name)),
            )
        )
    people = session.scalars(
        sa.select(col(Account.name)).where(
            sa.or_(
                col(Account.organisation_id).in_(organisation_ids),
                col(Account.id) == project.lead_account_id,
            )
        )
    )
    # A name of one word is more likely a shared account's ("Reception") than a person's,
    # and matching it alone would refuse ordinary words.
    names += [
        Name("a person on the project", p, (normalise(p),))
        for p in sorted(set(people))
        if len(normalise(p).split()) > 1
    ]
    return [n for n in names if any(n.forms)]


def named_in(text: str, names: Iterable[Name]) -> tuple[Name, str] | None:
    """The first name `text` uses, with the form it was found in; None when none."""
    haystack = f" {normalise(text)} "
    for name in names:
        for form in name.forms:
            if form and f" {form} " in haystack:
                return name, form
    return None


def _said(name: Name, form: str) -> str:
    said = f"{name.what}, {name.shown}"
    return said if form == name.forms[0] else f"{said} (as {form!r})"


def check_anonymity(
    *, session: Session, project: Project, values: Mapping[str, str | None]
) -> None:
    """ANONYMITY on the first field of `values` (field: text) that names the project,
    its organisations or its people; the message says which name, not the text."""
    names = names_on_project(session=session, project=project)
    for field, value in values.items():
        found = named_in(value, names) if value else None
        if found is not None:
            raise Anonymity((field,), _said(*found))


def check_anonymised_lessons(*, session: Session, project: Project, field: str) -> None:
    """ANONYMITY on `field` when a live anonymised lesson of the project names it, its
    organisations or its people as they are now: for a change that shares the lessons
    more widely, or renames the project, or adds an organisation to it."""
    from inset.lessons.models import Lesson

    lessons = session.scalars(
        sa.select(Lesson)
        .where(
            col(Lesson.project_id) == project.id,
            col(Lesson.anonymised).is_(True),
            col(Lesson.archived_at).is_(None),
        )
        .order_by(col(Lesson.id))
    ).all()
    if not lessons:
        return
    names = names_on_project(session=session, project=project)
    for lesson in lessons:
        for part in ("title", "body"):
            found = named_in(getattr(lesson, part), names)
            if found is not None:
                where = f"the {part} of the anonymised lesson {lesson.title!r}"
                raise Anonymity((field,), _said(*found), where)

"""Member organisations: created by incubator staff."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, require_staff
from inset.audit import service as audit
from inset.db import NAME_LENGTH
from inset.errors import Duplicate, NotFound
from inset.organisations.models import Organisation, OrganisationKind, Sector, kinds_in_sectors
from inset.validation import no_personal_data, required_text, search_words, text


def create_organisation(
    *, session: Session, actor: Actor, name: str, kind: OrganisationKind, region: str | None
) -> Organisation:
    require_staff(actor, "create organisations")
    name = required_text(name, "name", limit=NAME_LENGTH)
    region = text(region, "region", limit=NAME_LENGTH, required=False)
    # Organisations are listed to anyone, signed in or not: their text is public text.
    no_personal_data({"name": name, "region": region}, public=True)
    if find_by_name(session=session, name=name) is not None:
        raise Duplicate(f"an organisation called {name!r} already exists", ("name",))
    organisation = Organisation(name=name, kind=kind, region=region)
    session.add(organisation)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="organisation.create",
        entity=organisation,
        organisation_id=organisation.id,
        changes=audit.created(organisation, ["name", "kind", "region"]),
    )
    return organisation


def find_by_name(*, session: Session, name: str) -> Organisation | None:
    """Exact name, ignoring case and surrounding spaces."""
    return session.scalars(
        sa.select(Organisation).where(sa.func.lower(col(Organisation.name)) == name.strip().lower())
    ).first()


def get_organisation(*, session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.archived_at is not None:
        raise NotFound("organisation", ("organisation_id",))
    return organisation


def organisation_list(
    *,
    kinds: list[OrganisationKind] | None = None,
    sectors: list[Sector] | None = None,
    regions: list[str] | None = None,
    search: str | None = None,
) -> sa.Select[Organisation]:
    """Live organisations matching every given condition (a list matches any of its values)."""
    stmt = sa.select(Organisation).where(col(Organisation.archived_at).is_(None))
    if kinds or sectors:
        wanted = list(kinds or []) + kinds_in_sectors(list(sectors or []))
        stmt = stmt.where(col(Organisation.kind).in_(wanted))
    if regions:
        stmt = stmt.where(col(Organisation.region).in_(regions))
    words = search_words(search, ("filter", "search"))
    if words:
        stmt = stmt.where(col(Organisation.name).icontains(words, autoescape=True))
    return stmt

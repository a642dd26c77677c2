"""Projects: creating, editing, sharing, and the access rules every child record uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset import records
from inset.access import Actor, may_read_project, may_write_project, require_writer
from inset.accounts.models import Account, Role
from inset.audit import service as audit
from inset.db import NAME_LENGTH, TEXT_LENGTH, utcnow
from inset.errors import DomainErrors, Forbidden, Invalid, NotFound, api_name
from inset.evidence.levels import derive_evidence_level
from inset.evidence.models import Evidence
from inset.organisations.models import Organisation
from inset.projects import filters
from inset.projects.models import (
    InnovationType,
    Project,
    ProjectPartner,
    ProjectStatus,
    ProjectTheme,
    Stage,
    Visibility,
)
from inset.projects.period import Period
from inset.projects.publishing import personal_data_going_public
from inset.themes.service import existing_theme_ids
from inset.validation import no_personal_data, required_text, search_words, text, within_dates

FREE_TEXT = ("title", "summary", "problem", "theory_of_change")
EDITABLE = (*FREE_TEXT, "innovation_type", "lead_account_id", "started_on", "external_id")


def partner_ids(*, session: Session, project_id: int) -> set[int]:
    return set(
        session.scalars(
            sa.select(col(ProjectPartner.organisation_id)).where(
                col(ProjectPartner.project_id) == project_id
            )
        )
    )


def theme_ids(*, session: Session, project_id: int) -> list[int]:
    return list(
        session.scalars(
            sa.select(col(ProjectTheme.theme_id))
            .where(col(ProjectTheme.project_id) == project_id)
            .order_by(col(ProjectTheme.theme_id))
        )
    )


def get_readable_project(
    *, session: Session, actor: Actor, project_id: int, field: str = "project_id"
) -> Project:
    """The project, or NOT_FOUND when it does not exist *for this actor*."""
    project = session.get(Project, project_id)
    if project is None or not may_read_project(
        actor, project, partner_ids(session=session, project_id=project_id)
    ):
        raise NotFound("project", (field,))
    return project


def get_project_for_write(
    *, session: Session, actor: Actor, project_id: int, field: str = "project_id"
) -> Project:
    """The project, locked for this transaction, when the actor may change it.

    NOT_FOUND when the actor may not read it (it does not exist for them); FORBIDDEN
    when they may read but not change it. Archived projects cannot be changed.
    """
    require_writer(actor)
    project = session.scalars(
        sa.select(Project).where(col(Project.id) == project_id).with_for_update()
    ).first()
    partners = partner_ids(session=session, project_id=project_id)
    if project is None or not may_read_project(actor, project, partners):
        raise NotFound("project", (field,))
    if project.archived_at is not None:
        raise NotFound("project", (field,))
    if not may_write_project(actor, project, partners):
        raise Forbidden(
            "only leads of the project's organisations, or staff, may change it", (field,)
        )
    return project


def check_version(project: Project, expected_version: int) -> None:
    records.check_version(project, expected_version, "the project")


def touch(*, session: Session, project: Project) -> None:
    """Marks the project as changed (for `updatedSince`) without a new version.

    Child records (evidence, costs, ...) do not bump the version: the version guards the
    project's own fields and its stage, which is what edits and decisions are based on.
    """
    project.updated_at = utcnow()
    session.add(project)


def scaled_by_others(*, session: Session, project: Project) -> bool:
    """Whether a live replication led by another organisation has reached SCALE and not
    stopped: the original's work run by others, elsewhere, at scale."""
    replica = sa.select(col(Project.id)).where(
        col(Project.replicated_from_id) == project.id,
        col(Project.stage) == Stage.SCALE,
        col(Project.status) != ProjectStatus.STOPPED,
        col(Project.archived_at).is_(None),
        col(Project.lead_organisation_id) != project.lead_organisation_id,
    )
    return session.scalars(replica.limit(1)).first() is not None


def refresh_evidence_level(*, session: Session, project: Project, original: bool = True) -> int:
    """Recomputes the stored derived level from the project's live evidence.

    A replication's stage counts towards its original's level, so the original is
    refreshed too (`original=False` stops there: only direct replications count).
    """
    claims = session.execute(
        sa.select(col(Evidence.level), col(Evidence.independent)).where(
            col(Evidence.project_id) == project.id,
            col(Evidence.archived_at).is_(None),
        )
    ).all()
    project.evidence_level = derive_evidence_level(
        has_theory_of_change=bool(project.theory_of_change),
        stage=project.stage,
        has_partner=bool(partner_ids(session=session, project_id=project.id or 0)),
        claims=list(claims),
        scaled_by_others=scaled_by_others(session=session, project=project),
    )
    session.add(project)
    if original and project.replicated_from_id is not None:
        source = session.get(Project, project.replicated_from_id)
        if source is not None:
            session.flush()
            refresh_evidence_level(session=session, project=source, original=False)
    return project.evidence_level


def check_project_text(values: Mapping[str, str | None], *, visibility: Visibility) -> None:
    no_personal_data(values, public=visibility is Visibility.PUBLIC)


def _clean_text(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "title":
            cleaned[name] = required_text(value, name, limit=NAME_LENGTH)
        elif name == "summary":
            cleaned[name] = required_text(value, name, limit=TEXT_LENGTH)
        else:
            cleaned[name] = text(value, name, limit=TEXT_LENGTH, required=False)
    return cleaned


def _organisations_exist(session: Session, ids: list[int], field: str) -> list[int]:
    unique = list(dict.fromkeys(ids))
    found = set(
        session.scalars(
            sa.select(col(Organisation.id)).where(
                col(Organisation.id).in_(unique),
                col(Organisation.archived_at).is_(None),
            )
        )
    )
    if len(found) != len(unique):
        raise NotFound("organisation", (field,))
    return unique


def _check_lead_account(
    session: Session, account_id: int | None, lead_organisation_id: int
) -> None:
    """The project's lead account must be a LEAD or STAFF account of the lead organisation:
    a project cannot name another organisation's person as the one answering for it.

    An unknown account gets the same answer as another organisation's, so that the
    error tells no one which accounts exist elsewhere.
    """
    if account_id is None:
        return
    account = session.get(Account, account_id)
    if (
        account is None
        or account.archived_at is not None
        or account.organisation_id != lead_organisation_id
        or account.role is Role.MEMBER
    ):
        raise Invalid(
            "the project lead must be a LEAD or STAFF account of the lead organisation",
            ("lead_account_id",),
        )


def _check_anonymised_lessons(session: Session, project: Project, field: str) -> None:
    from inset.lessons.anonymity import check_anonymised_lessons

    check_anonymised_lessons(session=session, project=project, field=field)


def _set_links(
    session: Session, project_id: int, partners: list[int] | None, themes: list[int] | None
) -> None:
    if partners is not None:
        session.execute(
            sa.delete(ProjectPartner).where(col(ProjectPartner.project_id) == project_id)
        )
        session.add_all(ProjectPartner(project_id=project_id, organisation_id=o) for o in partners)
    if themes is not None:
        session.execute(sa.delete(ProjectTheme).where(col(ProjectTheme.project_id) == project_id))
        session.add_all(ProjectTheme(project_id=project_id, theme_id=t) for t in themes)


def _refresh_economics(session: Session, project: Project) -> None:
    """The project's stored figures, rewritten in the change's transaction."""
    from inset.economics.stored import refresh_project_economics  # economics builds on projects

    refresh_project_economics(session=session, project_id=project.id or 0)


def create_project(
    *,
    session: Session,
    actor: Actor,
    title: str,
    summary: str,
    innovation_type: InnovationType,
    lead_organisation_id: int,
    problem: str | None = None,
    theory_of_change: str | None = None,
    theme_ids: list[int] | None = None,
    partner_organisation_ids: list[int] | None = None,
    visibility: Visibility = Visibility.PRIVATE,
    lead_account_id: int | None = None,
    started_on: date | None = None,
    external_id: str | None = None,
) -> Project:
    """A new project at IDEA, ACTIVE. A LEAD may create one only with their own
    organisation as the lead (FORBIDDEN on `lead_organisation_id` otherwise); STAFF for any.
    The lead account, if named, must be a LEAD or STAFF account of the lead organisation.
    `external_id` is the lead organisation's own key for it (see inset.records): DUPLICATE,
    naming the project that holds it, when already used."""
    require_writer(actor)
    within_dates(started_on, "started_on")
    values = _clean_text(
        {
            "title": title,
            "summary": summary,
            "problem": problem,
            "theory_of_change": theory_of_change,
        }
    )
    check_project_text(values, visibility=visibility)
    [lead_org] = _organisations_exist(session, [lead_organisation_id], "lead_organisation_id")
    partners = [
        o
        for o in _organisations_exist(
            session, partner_organisation_ids or [], "partner_organisation_ids"
        )
        if o != lead_org
    ]
    if not actor.is_staff and actor.organisation_id != lead_org:
        raise Forbidden(
            "a lead may create projects only with their own organisation as the lead",
            ("lead_organisation_id",),
        )
    themes = existing_theme_ids(session=session, theme_ids=theme_ids or [], field="theme_ids")
    _check_lead_account(session, lead_account_id, lead_org)
    key = records.external_id(external_id)
    records.claim(session, Project, owner_column="lead_organisation_id", owner_id=lead_org, key=key)
    now = utcnow()
    project = Project(
        external_id=key,
        **values,
        stage=Stage.IDEA,
        status=ProjectStatus.ACTIVE,
        visibility=visibility,
        innovation_type=innovation_type,
        lead_organisation_id=lead_org,
        lead_account_id=lead_account_id,
        started_on=started_on or now.date(),
        stage_entered_at=now,
        last_decision_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(project)
    session.flush()
    _set_links(session, project.id or 0, partners, themes)
    session.flush()
    refresh_evidence_level(session=session, project=project)
    _refresh_economics(session, project)
    audit.record(
        session=session,
        actor=actor,
        action="project.create",
        entity=project,
        organisation_id=lead_org,
        changes={
            **audit.created(
                project,
                [
                    *FREE_TEXT,
                    "innovation_type",
                    "visibility",
                    "lead_organisation_id",
                    "external_id",
                ],
            ),
            "partner_organisation_ids": (None, partners),
            "theme_ids": (None, themes),
        },
    )
    return project


def update_project(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Project:
    """Applies the given fields; fields not in `changes` stay as they are.

    `changes` may hold any of EDITABLE plus `theme_ids` and `partner_organisation_ids`.
    """
    unknown = set(changes) - {*EDITABLE, "theme_ids", "partner_organisation_ids"}
    if unknown:
        raise Invalid(
            f"these fields cannot be changed here: {', '.join(sorted(map(api_name, unknown)))}"
        )
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    check_version(project, expected_version)
    values = _clean_text({k: v for k, v in changes.items() if k in FREE_TEXT})
    check_project_text(values, visibility=project.visibility)
    before: dict[str, Any] = {k: getattr(project, k) for k in EDITABLE if k in changes}
    old_partners = sorted(partner_ids(session=session, project_id=project_id))
    old_themes = theme_ids(session=session, project_id=project_id)
    partners = themes = None
    if changes.get("partner_organisation_ids") is not None:
        partners = [
            o
            for o in _organisations_exist(
                session, changes["partner_organisation_ids"], "partner_organisation_ids"
            )
            if o != project.lead_organisation_id
        ]
        if not actor.is_staff and actor.organisation_id not in {
            project.lead_organisation_id,
            *partners,
        }:
            raise Forbidden(
                "a partner's lead cannot take their own organisation off the project",
                ("partner_organisation_ids",),
            )
    if changes.get("theme_ids") is not None:
        themes = existing_theme_ids(
            session=session, theme_ids=changes["theme_ids"], field="theme_ids"
        )
    within_dates(changes.get("started_on"), "started_on")
    for name in ("innovation_type", "started_on"):
        if changes.get(name) is not None:
            setattr(project, name, changes[name])
    if "external_id" in changes:
        key = records.external_id(changes["external_id"])
        records.claim(
            session,
            Project,
            owner_column="lead_organisation_id",
            owner_id=project.lead_organisation_id,
            key=key,
            current_id=project.id,
        )
        project.external_id = key
    if "lead_account_id" in changes:
        _check_lead_account(session, changes["lead_account_id"], project.lead_organisation_id)
        project.lead_account_id = changes["lead_account_id"]
    for name, value in values.items():
        setattr(project, name, value)
    _set_links(session, project_id, partners, themes)
    session.flush()
    # A new title or a new partner must not turn an anonymised lesson into one that names them.
    if "title" in values and values["title"] != before.get("title"):
        _check_anonymised_lessons(session, project, "title")
    if partners is not None and set(partners) - set(old_partners):
        _check_anonymised_lessons(session, project, "partner_organisation_ids")
    refresh_evidence_level(session=session, project=project)
    diff = audit.diff(before, project)
    if partners is not None and sorted(partners) != old_partners:
        diff["partner_organisation_ids"] = (old_partners, sorted(partners))
    if themes is not None and themes != old_themes:
        diff["theme_ids"] = (old_themes, themes)
    if "started_on" in diff:  # the economics count years from it
        _refresh_economics(session, project)
    if diff:
        project.version += 1
        project.updated_at = utcnow()
        session.add(project)
        audit.record(
            session=session,
            actor=actor,
            action="project.update",
            entity=project,
            organisation_id=project.lead_organisation_id,
            changes=diff,
        )
    return project


def set_visibility(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    visibility: Visibility,
    expected_version: int,
) -> Project:
    """Shares the project more or less widely.

    Making it PUBLIC checks every text it would publish (`publishing`) and refuses with
    one PERSONAL_DATA error for each text that holds personal data.
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    check_version(project, expected_version)
    if visibility is project.visibility:
        return project
    if visibility is Visibility.PUBLIC:
        blocking = personal_data_going_public(session=session, project=project)
        if blocking:
            raise DomainErrors(list(blocking))
    if visibility.breadth > project.visibility.breadth:
        _check_anonymised_lessons(session, project, "visibility")
    before = project.visibility
    project.visibility = visibility
    project.version += 1
    project.updated_at = utcnow()
    session.add(project)
    audit.record(
        session=session,
        actor=actor,
        action="project.set_visibility",
        entity=project,
        organisation_id=project.lead_organisation_id,
        changes={"visibility": (before, visibility)},
    )
    return project


def project_list(
    *,
    actor: Actor,
    stages: list[Stage] | None = None,
    statuses: list[ProjectStatus] | None = None,
    theme_ids: list[int] | None = None,
    organisation_ids: list[int] | None = None,
    organisation_kinds: list[Any] | None = None,
    sectors: list[Any] | None = None,
    regions: list[str] | None = None,
    innovation_types: list[InnovationType] | None = None,
    min_evidence_level: int | None = None,
    visibility: list[Visibility] | None = None,
    search: str | None = None,
    updated_since: Any = None,
    led_by: int | None = None,
    external_ids: list[str] | None = None,
    period: Period | None = None,
    evidence_levels: list[int] | None = None,
    without_theme: bool = False,
    extra: Sequence[Any] = (),
) -> sa.Select[Project]:
    """The live projects the actor may read that match every given condition.

    Each list matches any of its values; an empty or missing list does not filter.
    `external_ids` are keys of the actor's own organisation: they match the projects it
    leads with those keys, and nothing for a reader without an organisation.
    `period`: the projects under way at some time in it (`Period.condition`).
    `without_theme` adds the projects with no theme to those of `theme_ids`; a region ""
    matches lead organisations without a region. `extra`: further conditions on
    `project` (`inset.projects.filters`).
    """
    from inset.access import live_project
    from inset.organisations.models import kinds_in_sectors

    stmt = sa.select(Project).where(live_project(actor))
    conditions: list[Any] = []
    if stages:
        conditions.append(col(Project.stage).in_(stages))
    if statuses:
        conditions.append(col(Project.status).in_(statuses))
    if innovation_types:
        conditions.append(col(Project.innovation_type).in_(innovation_types))
    if visibility:
        conditions.append(col(Project.visibility).in_(visibility))
    if led_by is not None:
        conditions.append(col(Project.lead_organisation_id) == led_by)
    if min_evidence_level is not None:
        conditions.append(col(Project.evidence_level) >= min_evidence_level)
    if external_ids:
        conditions.append(col(Project.lead_organisation_id) == (actor.organisation_id or -1))
        conditions.append(col(Project.external_id).in_(external_ids))
    if updated_since is not None:
        conditions.append(col(Project.updated_at) >= updated_since)
    if evidence_levels:
        conditions.append(col(Project.evidence_level).in_(evidence_levels))
    if theme_ids or without_theme:
        themed = sa.exists().where(
            col(ProjectTheme.project_id) == col(Project.id),
            col(ProjectTheme.theme_id).in_(theme_ids or []),
        )
        conditions.append(sa.or_(themed, filters.without_theme()) if without_theme else themed)
    if organisation_ids:
        conditions.append(
            sa.or_(
                col(Project.lead_organisation_id).in_(organisation_ids),
                sa.exists().where(
                    col(ProjectPartner.project_id) == col(Project.id),
                    col(ProjectPartner.organisation_id).in_(organisation_ids),
                ),
            )
        )
    if organisation_kinds or sectors or regions:
        lead = sa.select(col(Organisation.id)).where(
            col(Organisation.id) == col(Project.lead_organisation_id)
        )
        if organisation_kinds or sectors:
            kinds = list(organisation_kinds or []) + kinds_in_sectors(list(sectors or []))
            lead = lead.where(col(Organisation.kind).in_(kinds))
        if regions:
            named: Any = col(Organisation.region).in_([r for r in regions if r])
            if "" in regions:
                named = sa.or_(named, col(Organisation.region).is_(None))
            lead = lead.where(named)
        conditions.append(lead.exists())
    if period is not None:
        conditions.append(period.condition())
    conditions.extend(extra)
    words = search_words(search, ("filter", "search"))
    if words:
        conditions.append(
            sa.or_(
                col(Project.title).icontains(words, autoescape=True),
                col(Project.summary).icontains(words, autoescape=True),
            )
        )
    return stmt.where(*conditions)


def archive_project(*, session: Session, actor: Actor, project_id: int, reason: str) -> Project:
    """Hides the project and everything under it from every list; nothing is deleted."""
    project = get_project_for_write(session=session, actor=actor, project_id=project_id, field="id")
    project.archived_at = utcnow()
    project.updated_at = project.archived_at
    project.version += 1
    session.add(project)
    audit.record(
        session=session,
        actor=actor,
        action="project.archive",
        entity=project,
        organisation_id=project.lead_organisation_id,
        changes={"archived": (False, True), "reason": (None, reason)},
    )
    session.flush()
    refresh_evidence_level(session=session, project=project)
    return project

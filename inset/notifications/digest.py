"""The email digest: each person's unread notifications, daily or weekly, by SMTP.

`send_digests` is what `inset notify send-digests` runs (from cron, e.g. hourly: a person
is sent a digest only when theirs is due). For each person whose digest is due it reads
their unread, not yet emailed notifications under their rights *now* (what they may no
longer read is left out), sends one email through `INSET_SMTP_URL`, then marks those
notifications emailed. The subject carries a count only, never a name or any text from a
record. Each email has an unsubscribe link signed with the service's secret key; it works
without signing in (inset.notifications.routes).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.accounts.models import Account, Role
from inset.accounts.service import actor_for
from inset.config import Settings
from inset.db import transaction, utcnow
from inset.lessons.models import Lesson
from inset.nominations.models import Nomination
from inset.notifications import service
from inset.notifications.models import (
    DigestFrequency,
    EmailDigest,
    Notification,
    NotificationKind,
)
from inset.notifications.text import describe
from inset.projects.models import Project, ProjectStatus

PERIOD = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
# A little slack, so that a daily cron run a minute earlier than yesterday's still sends.
SLACK = timedelta(minutes=30)
MAX_ITEMS = 50


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="inset.unsubscribe")


def unsubscribe_token(secret_key: str, account_id: int) -> str:
    return _serializer(secret_key).dumps({"account": account_id})


def account_of_token(secret_key: str, token: str) -> int | None:
    """The account a genuine token was made for; None for anything forged or garbled."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    account = data.get("account") if isinstance(data, dict) else None
    return account if isinstance(account, int) else None


def remind_revisits(*, session: Session, today: date) -> int:
    """Tells the leads of each project on hold whose revisit date has come (the project's
    lead account, or every LEAD of its lead organisation when it names none), once for each
    revisit date. Returns how many were told."""
    due = session.scalars(
        sa.select(Project).where(
            col(Project.status) == ProjectStatus.ON_HOLD,
            col(Project.revisit_on) <= today,
            col(Project.archived_at).is_(None),
        )
    ).all()
    told = 0
    for project in due:
        if project.lead_account_id is not None:
            leads = [project.lead_account_id]
        else:
            leads = list(
                session.scalars(
                    sa.select(col(Account.id)).where(
                        col(Account.organisation_id) == project.lead_organisation_id,
                        col(Account.role) == Role.LEAD,
                        col(Account.archived_at).is_(None),
                    )
                )
            )
        for account_id in leads:
            made = service.notify(
                session=session,
                account_id=account_id,
                kind=NotificationKind.REVISIT_DUE,
                project_id=project.id,
                dedupe_key=f"revisit:{project.id}:{project.revisit_on}",
            )
            told += made is not None
    return told


@dataclass
class Digest:
    account_id: int
    to: str
    lines: list[str]
    notification_ids: list[int]


def _due_accounts(session: Session, now: datetime) -> list[Account]:
    """Accounts with something unemailed whose digest is due."""
    waiting = (
        sa.select(col(Notification.account_id))
        .where(col(Notification.emailed_at).is_(None), col(Notification.read_at).is_(None))
        .distinct()
    )
    accounts = session.scalars(
        sa.select(Account).where(col(Account.id).in_(waiting), col(Account.archived_at).is_(None))
    ).all()
    due = []
    for account in accounts:
        setting = session.get(EmailDigest, account.id)
        frequency = setting.frequency if setting else service.DEFAULT_FREQUENCY
        if frequency is DigestFrequency.OFF:
            continue
        last = setting.last_sent_at if setting else None
        if last is None or now - last >= PERIOD[frequency] - SLACK:
            due.append(account)
    return due


def _digest_of(session: Session, account: Account, base_url: str) -> Digest | None:
    actor = actor_for(account)
    rows = session.scalars(
        service.readable_notifications(actor, unread_only=True)
        .where(col(Notification.emailed_at).is_(None))
        .order_by(col(Notification.created_at), col(Notification.id))
        .limit(MAX_ITEMS)
    ).all()
    if not rows:
        return None
    lines = []
    for row in rows:
        project = session.get(Project, row.project_id) if row.project_id else None
        lesson = session.get(Lesson, row.lesson_id) if row.lesson_id else None
        nomination = session.get(Nomination, row.nomination_id) if row.nomination_id else None
        lines.append(
            describe(
                row.kind, project=project, lesson=lesson, nomination=nomination, detail=row.detail
            )
            + "\n  "
            + link_of(base_url, row, project)
        )
    return Digest(account.id or 0, account.email, lines, [row.id or 0 for row in rows])


def link_of(base_url: str, row: Notification, project: Project | None) -> str:
    from inset.ids import to_global_id

    if row.lesson_id is None and project is not None:
        return f"{base_url}/projects/{to_global_id('Project', project.id or 0)}"
    return f"{base_url}/notifications"


def message_of(digest: Digest, settings: Settings) -> EmailMessage:
    count = len(digest.lines)
    token = unsubscribe_token(settings.secret_key, digest.account_id)
    unsubscribe = f"{settings.base_url}/unsubscribe/{token}"
    message = EmailMessage()
    # A count only: subjects show in lock screens and mail logs, so they carry no names
    # and no text from any record.
    message["Subject"] = f"Inset: {count} new update{'s' if count != 1 else ''} for you"
    message["From"] = settings.mail_from
    message["To"] = digest.to
    message["Message-ID"] = make_msgid(domain="inset")
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    body = "\n\n".join(digest.lines)
    message.set_content(
        "What changed in what you follow on Inset:\n\n"
        f"{body}\n\n"
        f"All your notifications: {settings.base_url}/notifications\n"
        f"Change how often you get this email: {settings.base_url}/notifications#email\n"
        f"Stop these emails: {unsubscribe}\n"
    )
    return message


def _smtp(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, parts.port or 465, timeout=30)
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=30)
        if parts.scheme == "smtp+starttls":
            client.starttls()
    if parts.username:
        client.login(unquote(parts.username), unquote(parts.password or ""))
    return client


def send_digests(*, engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """Sends every digest that is due; returns how many emails were sent.

    Each person's notifications are marked emailed only after the SMTP server took the
    message, so a failure sends them again next time rather than never.
    """
    if not settings.smtp_url:
        raise RuntimeError("INSET_SMTP_URL is not set: no SMTP server to send digests through")
    now = now or utcnow()
    with transaction(engine) as session:
        remind_revisits(session=session, today=now.date())
    with Session(engine) as session:
        digests = [
            digest
            for account in _due_accounts(session, now)
            if (digest := _digest_of(session, account, settings.base_url)) is not None
        ]
    if not digests:
        return 0
    sent = 0
    with _smtp(settings.smtp_url) as client:
        for digest in digests:
            client.send_message(message_of(digest, settings))
            with transaction(engine) as session:
                session.execute(
                    sa.update(Notification)
                    .where(col(Notification.id).in_(digest.notification_ids))
                    .values(emailed_at=now)
                )
                setting = session.get(EmailDigest, digest.account_id) or EmailDigest(
                    account_id=digest.account_id, frequency=service.DEFAULT_FREQUENCY
                )
                setting.last_sent_at = now
                session.add(setting)
            sent += 1
    return sent

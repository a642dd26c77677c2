"""The email digest, sent to a real SMTP server on 127.0.0.1 and read as it arrives."""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session
from web.browser_support import free_port, live_server

from inset.access import Actor
from inset.accounts.models import Role
from inset.app import create_app
from inset.config import Settings
from inset.db import transaction, utcnow
from inset.gates.models import GateDecisionKind
from inset.notifications import digest, service
from inset.notifications.models import DigestFrequency, Notification, NotificationKind
from inset.projects import service as projects
from inset.projects.models import Visibility
from tests.gates.gate_records import Records


class Inbox:
    """aiosmtpd's handler: keeps every message the server accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, str]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


def settings_for(db_url: str, smtp_url: str, base_url: str = "http://inset.test") -> Settings:
    return Settings(
        database_url=db_url,
        secret_key="test-secret-key",
        smtp_url=smtp_url,
        base_url=base_url,
        mail_from="Inset <digest@inset.test>",
    )


def follow(engine, actor: Actor, **target: Any) -> None:
    with transaction(engine) as session:
        service.follow(session=session, actor=actor, **target)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_follower_is_emailed_what_changed_with_no_names_in_the_subject(
    world, engine, db_url, records, inbox
):
    handler, smtp_url = inbox
    lead = world.lead(world.org("Eastmoor Council"))
    reader_account = world.account(world.org(), Role.MEMBER)
    reader = world.actor(reader_account)
    project = world.project(lead, visibility=Visibility.MEMBERS, title="Return-home chats")
    follow(engine, reader, project_id=project.id)
    records.lesson(lead, project, title="Call on the day of return")

    sent = digest.send_digests(engine=engine, settings=settings_for(db_url, smtp_url))

    assert sent == 1
    [message] = handler.messages
    assert message["To"] == reader_account.email
    assert message["Subject"] == "Inset: 1 new update for you"
    assert "Eastmoor" not in message["Subject"]
    assert "Call on" not in message["Subject"]
    assert "A new lesson: Call on the day of return" in body_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_what_became_unreadable_before_sending_is_left_out(world, engine, db_url, records, inbox):
    handler, smtp_url = inbox
    lead = world.lead()
    reader = world.member()
    open_project = world.project(lead, visibility=Visibility.MEMBERS, title="Open to members")
    closing = world.project(lead, visibility=Visibility.MEMBERS, title="Soon private")
    for project in (open_project, closing):
        follow(engine, reader, project_id=project.id)
        records.lesson(lead, project, title=f"Lesson of {project.title}")
    with transaction(engine) as session:
        projects.set_visibility(
            session=session,
            actor=lead,
            project_id=closing.id,
            visibility=Visibility.PRIVATE,
            expected_version=closing.version,
        )

    digest.send_digests(engine=engine, settings=settings_for(db_url, smtp_url))

    [message] = handler.messages
    assert "Lesson of Open to members" in body_of(message)
    assert "Soon private" not in body_of(message)
    assert message["Subject"] == "Inset: 1 new update for you"


def test_a_digest_is_sent_once_and_the_next_only_when_due(world, engine, db_url, records, inbox):
    handler, smtp_url = inbox
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)
    with transaction(engine) as session:
        service.choose_digest_frequency(
            session=session, actor=reader, frequency=DigestFrequency.DAILY
        )
    records.lesson(lead, project, title="First")
    settings = settings_for(db_url, smtp_url)
    now = utcnow()

    assert digest.send_digests(engine=engine, settings=settings, now=now) == 1
    records.lesson(lead, project, title="Second")
    assert digest.send_digests(engine=engine, settings=settings, now=now + timedelta(hours=2)) == 0
    assert digest.send_digests(engine=engine, settings=settings, now=now + timedelta(days=1)) == 1

    assert [m["Subject"] for m in handler.messages] == ["Inset: 1 new update for you"] * 2
    assert "Second" in body_of(handler.messages[1])
    assert "First" not in body_of(handler.messages[1])


def test_nothing_is_sent_to_someone_who_turned_the_digest_off(
    world, engine, db_url, records, inbox
):
    handler, smtp_url = inbox
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)
    with transaction(engine) as session:
        service.choose_digest_frequency(
            session=session, actor=reader, frequency=DigestFrequency.OFF
        )
    records.lesson(lead, project)

    assert digest.send_digests(engine=engine, settings=settings_for(db_url, smtp_url)) == 0
    assert handler.messages == []


def test_leads_are_told_once_when_a_hold_reaches_its_revisit_date(
    world, engine, db_url, records, inbox
):
    handler, smtp_url = inbox
    org = world.org()
    lead_account = world.account(org)
    lead = world.actor(lead_account)
    colleague = world.lead(org)
    project = world.project(colleague, title="Paused pilot")
    records.decide(colleague, project, GateDecisionKind.HOLD, revisit_on=date.today())
    settings = settings_for(db_url, smtp_url)

    digest.send_digests(engine=engine, settings=settings)
    digest.send_digests(engine=engine, settings=settings, now=utcnow() + timedelta(days=8))

    with Session(engine) as session:
        kinds = [row.kind for row in session.scalars(service.readable_notifications(lead))]
    assert kinds == [NotificationKind.REVISIT_DUE]
    to_lead = [m for m in handler.messages if m["To"] == lead_account.email]
    assert len(to_lead) == 1
    assert "Paused pilot, on hold, has reached its revisit date" in body_of(to_lead[0])


def test_the_unsubscribe_link_asks_first_then_unsubscribes_without_signing_in(
    world, engine, db_url, records, inbox
):
    handler, smtp_url = inbox
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)
    records.lesson(lead, project)

    with live_server(create_app(settings_for(db_url, smtp_url), engine)) as base_url:
        digest.send_digests(engine=engine, settings=settings_for(db_url, smtp_url, base_url))
        [message] = handler.messages
        link = re.search(r"Stop these emails: (\S+)", body_of(message)).group(1)
        assert message["List-Unsubscribe"] == f"<{link}>"

        shown = httpx.get(link)
        assert shown.status_code == 200
        assert "Stop the Inset email digest?" in shown.text
        with Session(engine) as session:
            still = service.digest_frequency(session=session, account_id=reader.account_id)
        assert still is DigestFrequency.WEEKLY  # opening the link changed nothing

        done = httpx.post(link)
        assert done.status_code == 200
        assert "You are unsubscribed" in done.text
        forged = httpx.post(link[:-3] + "xyz")
        assert forged.status_code == 404

    with Session(engine) as session:
        assert service.digest_frequency(session=session, account_id=reader.account_id) is (
            DigestFrequency.OFF
        )
    records.lesson(lead, project, title="After unsubscribing")
    assert digest.send_digests(engine=engine, settings=settings_for(db_url, smtp_url)) == 0


def test_send_digests_marks_what_it_sent(world, engine, db_url, records, inbox):
    _, smtp_url = inbox
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)
    records.lesson(lead, project)

    digest.send_digests(engine=engine, settings=settings_for(db_url, smtp_url))

    with Session(engine) as session:
        [row] = session.scalars(service.readable_notifications(reader)).all()
        assert isinstance(row, Notification)
        assert row.emailed_at is not None
        assert row.read_at is None  # emailing is not reading


def run_inset(db_url: str, tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inset", *args],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "INSET_DATABASE_URL": db_url,
            "INSET_SECRET_FILE": str(tmp_path / "secret"),
            **env,
        },
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_the_send_digests_command_sends_what_is_due(
    world, engine, db_url, records, inbox, tmp_path
):
    handler, smtp_url = inbox
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)
    records.lesson(lead, project)

    result = run_inset(db_url, tmp_path, "notify", "send-digests", INSET_SMTP_URL=smtp_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sent 1 digest email"
    assert len(handler.messages) == 1


@pytest.mark.parametrize(
    ("smtp_url", "code", "says"),
    [
        ("", 1, "INSET_SMTP_URL is not set"),
        ("http://mail.example", 2, "INSET_SMTP_URL must be smtp://HOST:PORT"),
    ],
)
def test_the_send_digests_command_needs_an_smtp_server(db_url, tmp_path, smtp_url, code, says):
    result = run_inset(db_url, tmp_path, "notify", "send-digests", INSET_SMTP_URL=smtp_url)

    assert result.returncode == code
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

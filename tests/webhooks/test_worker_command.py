"""`inset worker`, run as operators run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import World

from tests.webhooks.helpers import endpoint, event_ids
from tests.webhooks.receiver import receiving


def test_inset_worker_delivers_what_is_due_and_says_so(
    world: World, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSET_WEBHOOK_ALLOW_LOOPBACK", "1")
    lead = world.lead()
    with receiving() as receiver:
        receiver.secret = endpoint(world, lead, receiver.url).secret
        world.project(lead, title="Staying close")

        result = subprocess.run(
            [sys.executable, "-m", "inset", "worker", "--until-idle"],
            env={**os.environ, "INSET_DATABASE_URL": db_url, "INSET_SECRET_KEY": "k"},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

        assert result.returncode == 0, result.stderr
        (event_id,) = event_ids(world.engine)[-1:]
        assert receiver.ids() == [event_id]
        assert result.stdout.startswith(f"delivered project.created {event_id} to {receiver.url}")

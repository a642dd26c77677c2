"""Settings read from the environment."""

from __future__ import annotations

import pytest

from inset.config import Settings


def test_no_gate_requires_a_review_panel_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("INSET_REVIEW_REQUIRED_GATES", raising=False)
    monkeypatch.setenv("INSET_SECRET_KEY", "key")

    assert Settings.from_env().review_required_gates == frozenset()


def test_review_required_gates_are_named_by_the_stage_they_lead_out_of(monkeypatch):
    monkeypatch.setenv("INSET_REVIEW_REQUIRED_GATES", " evaluation, PILOT ")
    monkeypatch.setenv("INSET_SECRET_KEY", "key")

    assert Settings.from_env().review_required_gates == {"EVALUATION", "PILOT"}


def test_a_stage_with_no_gate_after_it_is_refused_at_start_up(monkeypatch):
    monkeypatch.setenv("INSET_REVIEW_REQUIRED_GATES", "SCALE")
    monkeypatch.setenv("INSET_SECRET_KEY", "key")

    with pytest.raises(ValueError, match="not SCALE"):
        Settings.from_env()

"""Settings read from the environment once, at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///inset.db"

# HM Treasury supplementary guidance (2014): optimism bias by confidence grade 1..6.
DEFAULT_OPTIMISM_BIAS = (
    Decimal("0"),
    Decimal("0.05"),
    Decimal("0.10"),
    Decimal("0.15"),
    Decimal("0.25"),
    Decimal("0.40"),
)


def _optimism_bias_from_env() -> tuple[Decimal, ...]:
    """`INSET_OPTIMISM_BIAS="0,5,10,15,25,40"`: percentages for grades 1..6."""
    raw = os.environ.get("INSET_OPTIMISM_BIAS")
    if not raw:
        return DEFAULT_OPTIMISM_BIAS
    parts = [Decimal(p.strip()) / 100 for p in raw.split(",")]
    if len(parts) != 6 or any(p < 0 or p >= 1 for p in parts):
        raise ValueError("INSET_OPTIMISM_BIAS needs six percentages from 0 to under 100")
    # Portfolio totals are summed in SQL on whole basis points, to the penny.
    if any((p * 10_000) % 1 for p in parts):
        raise ValueError("INSET_OPTIMISM_BIAS percentages have at most two decimal places")
    return tuple(parts)


# Stages whose gate out of them can require a review panel (SCALE has no gate after it).
GATED_STAGES = ("IDEA", "PILOT", "EVALUATION")


def _review_required_gates_from_env() -> frozenset[str]:
    """`INSET_REVIEW_REQUIRED_GATES="EVALUATION"`: the gates, named by the stage they lead
    out of, where a GO needs a complete review panel (here EVALUATION -> SCALE)."""
    raw = os.environ.get("INSET_REVIEW_REQUIRED_GATES", "")
    names = {part.strip().upper() for part in raw.split(",") if part.strip()}
    unknown = sorted(names - set(GATED_STAGES))
    if unknown:
        raise ValueError(
            "INSET_REVIEW_REQUIRED_GATES names stages with a gate after them ("
            + ", ".join(GATED_STAGES)
            + "), not "
            + ", ".join(unknown)
        )
    return frozenset(names)


def _secret_key() -> str:
    key = os.environ.get("INSET_SECRET_KEY")
    if key:
        return key
    # A key kept beside the default database, so that sign-in cookies survive a restart
    # without anyone having to configure one for a local demo.
    path = Path(os.environ.get("INSET_SECRET_FILE", ".inset-secret"))
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    optimism_bias: tuple[Decimal, ...] = DEFAULT_OPTIMISM_BIAS
    secret_key: str = ""
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3000
    max_nodes: int = 20000
    max_page_size: int = 100
    cookie_secure: bool = False
    # Gates (by the stage they lead out of) where a GO needs a complete review panel.
    review_required_gates: frozenset[str] = frozenset()
    metrics_allow: str = "127.0.0.1,::1"  # addresses and networks that may read /metrics
    metrics_token: str = ""  # a bearer token that opens /metrics from anywhere
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("INSET_DATABASE_URL", DEFAULT_DATABASE_URL),
            optimism_bias=_optimism_bias_from_env(),
            secret_key=_secret_key(),
            cookie_secure=os.environ.get("INSET_COOKIE_SECURE", "") == "1",
            review_required_gates=_review_required_gates_from_env(),
            metrics_allow=os.environ.get("INSET_METRICS_ALLOW", "127.0.0.1,::1"),
            metrics_token=os.environ.get("INSET_METRICS_TOKEN", ""),
        )

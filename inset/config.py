"""Settings read from the environment once, at start-up."""

from __future__ import annotations

import math
import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

DEFAULT_DATABASE_URL = "sqlite:///inset.db"
# The rate limit: a bucket of points per credential, refilled each second; the README's
# "Limits and costs" shows why neither the web client nor a sync job meets them.
DEFAULT_RATE_LIMIT_BUCKET = 100_000
DEFAULT_RATE_LIMIT_REFILL = 10_000

# HM Treasury supplementary guidance (2014): optimism bias by confidence grade 1..6.
DEFAULT_OPTIMISM_BIAS = (
    Decimal("0"),
    Decimal("0.05"),
    Decimal("0.10"),
    Decimal("0.15"),
    Decimal("0.25"),
    Decimal("0.40"),
)


# The highest upper bound in HM Treasury's supplementary guidance on optimism bias
# (equipment and development projects, capital expenditure): 200%.
MAX_OPTIMISM_BIAS = Decimal(2)


class ConfigError(ValueError):
    """A setting the service cannot start with; the message names the variable and the fix."""


def _optimism_bias_from_env() -> tuple[Decimal, ...]:
    """`INSET_OPTIMISM_BIAS="0,5,10,15,25,40"`: percentages for grades 1..6, 0 to 200."""
    raw = os.environ.get("INSET_OPTIMISM_BIAS", "").strip()
    if not raw:
        return DEFAULT_OPTIMISM_BIAS
    words = [word.strip() for word in raw.split(",")]
    if len(words) != 6:
        raise ConfigError(
            f"INSET_OPTIMISM_BIAS needs six percentages for grades 1 to 6, "
            f"separated by commas, not {len(words)}: {raw!r}"
        )
    try:
        parts = [Decimal(word) / 100 for word in words]
    except InvalidOperation:
        raise ConfigError(
            f"INSET_OPTIMISM_BIAS must be six numbers such as 0,5,10,15,25,40, not {raw!r}"
        ) from None
    if any(not p.is_finite() or p < 0 or p > MAX_OPTIMISM_BIAS for p in parts):
        raise ConfigError(f"INSET_OPTIMISM_BIAS percentages must be from 0 to 200, not {raw!r}")
    # Portfolio totals are summed in SQL on whole basis points, to the penny.
    if any((p * 10_000) % 1 for p in parts):
        raise ConfigError(
            f"INSET_OPTIMISM_BIAS percentages have at most two decimal places, not {raw!r}"
        )
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
        raise ConfigError(
            "INSET_REVIEW_REQUIRED_GATES names stages with a gate after them ("
            + ", ".join(GATED_STAGES)
            + "), not "
            + ", ".join(unknown)
        )
    return frozenset(names)


def _database_url_from_env() -> str:
    """The URL, refused at start unless it names SQLite or PostgreSQL in a usable form."""
    url = os.environ.get("INSET_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        # The URL itself is not repeated: it may hold a password.
        raise ConfigError(
            "INSET_DATABASE_URL is not a database URL "
            "(use sqlite:///FILE or postgresql://USER@HOST/DATABASE)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        folder = Path(parsed.database or "").parent
        if parsed.database and parsed.database != ":memory:" and not folder.is_dir():
            raise ConfigError(
                f"INSET_DATABASE_URL names a SQLite file in {folder}/, which does not exist"
            )
        return url
    if backend in ("postgresql", "postgres"):
        if parsed.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
            raise ConfigError(
                f"INSET_DATABASE_URL uses the driver {parsed.drivername!r}; "
                "use postgresql:// (psycopg 3 is installed)"
            )
        if not parsed.database:
            raise ConfigError(
                "INSET_DATABASE_URL names no database: postgresql://USER@HOST/DATABASE"
            )
        return url
    raise ConfigError(
        f"INSET_DATABASE_URL must be a SQLite or PostgreSQL URL, not {parsed.drivername}://"
    )


SMTP_SCHEMES = ("smtp", "smtps", "smtp+starttls")


def _smtp_url_from_env() -> str:
    """`INSET_SMTP_URL=smtp://[USER:PASSWORD@]HOST[:PORT]`; empty: no email is sent."""
    url = os.environ.get("INSET_SMTP_URL", "").strip()
    if not url:
        return ""
    parsed = urlsplit(url)
    if parsed.scheme not in SMTP_SCHEMES or not parsed.hostname:
        raise ConfigError(
            "INSET_SMTP_URL must be smtp://HOST:PORT, smtps://HOST:PORT or "
            "smtp+starttls://HOST:PORT"
        )
    return url


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


def _rate_limit_from_env() -> tuple[int, float]:
    """`INSET_RATE_LIMIT_BUCKET` points (0 turns the limit off) refilled at
    `INSET_RATE_LIMIT_REFILL` points a second."""
    values: list[float] = []
    for name, default in (
        ("INSET_RATE_LIMIT_BUCKET", DEFAULT_RATE_LIMIT_BUCKET),
        ("INSET_RATE_LIMIT_REFILL", DEFAULT_RATE_LIMIT_REFILL),
    ):
        raw = os.environ.get(name, "").strip()
        try:
            value = float(raw) if raw else float(default)
        except ValueError:
            raise ConfigError(f"{name} must be a number of points, not {raw!r}") from None
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"{name} must be 0 or more, not {raw!r}")
        values.append(value)
    bucket, refill = values
    if not bucket.is_integer():
        raise ConfigError(f"INSET_RATE_LIMIT_BUCKET must be whole points, not {bucket}")
    if bucket and not refill:
        raise ConfigError("INSET_RATE_LIMIT_REFILL must be more than 0 with a bucket")
    return int(bucket), refill


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    optimism_bias: tuple[Decimal, ...] = DEFAULT_OPTIMISM_BIAS
    secret_key: str = ""
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3000
    max_selections: int = 500
    max_nodes: int = 20000
    max_page_size: int = 100
    rate_limit_bucket: int = DEFAULT_RATE_LIMIT_BUCKET  # points; 0: no rate limit
    rate_limit_refill: float = DEFAULT_RATE_LIMIT_REFILL  # points a second
    cookie_secure: bool = False
    # Gates (by the stage they lead out of) where a GO needs a complete review panel.
    review_required_gates: frozenset[str] = frozenset()
    metrics_allow: str = "127.0.0.1,::1"  # addresses and networks that may read /metrics
    metrics_token: str = ""  # a bearer token that opens /metrics from anywhere
    smtp_url: str = ""  # smtp://HOST:PORT (or smtps://, smtp+starttls://) for email digests
    base_url: str = "http://127.0.0.1:8000"  # the address people open, for links in emails
    mail_from: str = "Inset <inset@localhost>"
    # Queries the compiler knows run as one JSON-building statement (inset.graphql.compiled);
    # INSET_FAST_READS=0 sends every query through the resolvers.
    fast_reads: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        bucket, refill = _rate_limit_from_env()
        return cls(
            database_url=_database_url_from_env(),
            optimism_bias=_optimism_bias_from_env(),
            secret_key=_secret_key(),
            cookie_secure=os.environ.get("INSET_COOKIE_SECURE", "") == "1",
            review_required_gates=_review_required_gates_from_env(),
            metrics_allow=os.environ.get("INSET_METRICS_ALLOW", "127.0.0.1,::1"),
            metrics_token=os.environ.get("INSET_METRICS_TOKEN", ""),
            smtp_url=_smtp_url_from_env(),
            base_url=os.environ.get("INSET_BASE_URL", "").strip().rstrip("/")
            or "http://127.0.0.1:8000",
            mail_from=os.environ.get("INSET_MAIL_FROM", "").strip() or "Inset <inset@localhost>",
            rate_limit_bucket=bucket,
            rate_limit_refill=refill,
            fast_reads=os.environ.get("INSET_FAST_READS", "1").strip() != "0",
        )

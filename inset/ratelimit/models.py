"""The rate limit's buckets, one per credential, shared by every server process."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class RateLimitBucket(SQLModel, table=True):
    __tablename__ = "rate_limit_bucket"

    # `token:<id>`, `account:<id>` or `address:<client address>`.
    key: str = Field(primary_key=True, max_length=200)
    level: float  # the points in the bucket as of `updated_at`; they leak at the refill rate
    updated_at: float  # seconds since the epoch, by the database's clock
    charged: float  # what the last request paid: 0 when it was refused

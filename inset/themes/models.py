from __future__ import annotations

from sqlmodel import Field, SQLModel

from inset.db import NAME_LENGTH


class Theme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_LENGTH, unique=True)
    slug: str = Field(max_length=NAME_LENGTH, unique=True)

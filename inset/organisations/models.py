from __future__ import annotations

import enum
from datetime import datetime

from sqlmodel import Field, SQLModel

from inset.db import NAME_LENGTH, UTCDateTime, enum_type, utcnow


class OrganisationKind(enum.StrEnum):
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY"
    REGIONAL_ADOPTION_AGENCY = "REGIONAL_ADOPTION_AGENCY"
    VOLUNTARY_ADOPTION_AGENCY = "VOLUNTARY_ADOPTION_AGENCY"
    INDEPENDENT_FOSTERING_AGENCY = "INDEPENDENT_FOSTERING_AGENCY"
    CHARITY = "CHARITY"
    PRIVATE_PARTNER = "PRIVATE_PARTNER"
    HEALTH = "HEALTH"
    POLICE = "POLICE"
    EDUCATION = "EDUCATION"
    OTHER = "OTHER"


class Sector(enum.StrEnum):
    PUBLIC = "PUBLIC"
    VOLUNTARY = "VOLUNTARY"
    PRIVATE = "PRIVATE"


# Sector follows from kind, so it is derived rather than stored: it can never disagree.
# Regional adoption agencies are hosted by councils; independent fostering agencies are
# mostly private providers (the voluntary ones register as charities).
SECTOR_OF_KIND: dict[OrganisationKind, Sector] = {
    OrganisationKind.LOCAL_AUTHORITY: Sector.PUBLIC,
    OrganisationKind.REGIONAL_ADOPTION_AGENCY: Sector.PUBLIC,
    OrganisationKind.VOLUNTARY_ADOPTION_AGENCY: Sector.VOLUNTARY,
    OrganisationKind.INDEPENDENT_FOSTERING_AGENCY: Sector.PRIVATE,
    OrganisationKind.CHARITY: Sector.VOLUNTARY,
    OrganisationKind.PRIVATE_PARTNER: Sector.PRIVATE,
    OrganisationKind.HEALTH: Sector.PUBLIC,
    OrganisationKind.POLICE: Sector.PUBLIC,
    OrganisationKind.EDUCATION: Sector.PUBLIC,
    OrganisationKind.OTHER: Sector.VOLUNTARY,
}


def kinds_in_sectors(sectors: list[Sector]) -> list[OrganisationKind]:
    return [kind for kind, sector in SECTOR_OF_KIND.items() if sector in sectors]


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_LENGTH, sa_column_kwargs={"unique": True})
    kind: OrganisationKind = Field(sa_type=enum_type(OrganisationKind))
    region: str | None = Field(default=None, max_length=NAME_LENGTH, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def sector(self) -> Sector:
        return SECTOR_OF_KIND[self.kind]

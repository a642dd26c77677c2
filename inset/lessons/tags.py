"""Barrier tags in the API: the `BarrierTag` enum, beside the strings it replaces.

The fixed list is `Barrier`; the enum's values are its member names (STAFF_CAPACITY),
which generated clients can type, and each value's description gives the tag's text
("staff capacity"), which the deprecated string fields still show and take.
"""

from __future__ import annotations

from typing import Any

import strawberry

from inset.errors import Invalid, api_name
from inset.graphql.descriptions import described_enum
from inset.lessons.models import Barrier

# Registered once, here, under its API name; fields use the model enum.
described_enum(
    Barrier,
    "The fixed list of barrier tags: what held a project back. Each value's description "
    'gives the tag as the deprecated string fields show it ("staff capacity").',
    {b: f'The tag "{b.value}".' for b in Barrier},
    name="BarrierTag",
)

DEPRECATED = "Use barrierTags (the BarrierTag enum): the same tags, typed."
DEPRECATED_ONE = "Use barrierTag (the BarrierTag enum): the same tag, typed."
TAGS_HELP = "Tags from the fixed list. Give this or the deprecated barriers, not both (INVALID)."


def tag(text: str | None) -> Barrier | None:
    """The enum value of a tag's text; None for none, or for a heading that is no tag."""
    return Barrier._value2member_map_.get(text) if text else None  # type: ignore[return-value]


def tag_texts(barriers: Any, barrier_tags: Any, field: tuple[str, ...]) -> Any:
    """The tags as the services take them (their text), from whichever of the deprecated
    strings (`barriers`) and the enum values (`barrier_tags`) was given.

    INVALID on `field` when both hold tags. Otherwise the one given wins; when neither
    is, `barriers` as it came (UNSET in a correction that leaves the tags alone, None for
    none, or a list that the service checks).
    """
    given = barrier_tags is not strawberry.UNSET and barrier_tags is not None
    if given and barriers is not strawberry.UNSET and barriers is not None:
        named = api_name(field[-1])  # barrierTags, or barrierTag on a follow
        old = "barriers" if named == "barrierTags" else "barrier"
        raise Invalid(f"give {named} or {old}, not both", field)
    if given:
        return [b.value for b in barrier_tags]
    if barrier_tags is None and barriers is strawberry.UNSET:
        return None  # barrierTags: null in a correction: no tags
    return barriers

"""Domain errors: expected failures that mutations report as `userErrors`.

Services raise these; the GraphQL layer maps each to one `UserError` and rolls the
transaction back, so a user error never leaves a half-written change.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    GATE_NOT_MET = "GATE_NOT_MET"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    PERSONAL_DATA = "PERSONAL_DATA"
    ANONYMITY = "ANONYMITY"
    DUPLICATE = "DUPLICATE"


_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def api_name(name: str) -> str:
    """The API's (camelCase) name of a service's field name, for paths and messages:
    `observed_on` is `observedOn`. Other path parts (global ids, list positions) are kept
    as they are."""
    if not _SNAKE_CASE.fullmatch(name):
        return name
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class DomainError(Exception):
    """One expected failure.

    `field` is the path within the mutation's input in the service's own names, e.g.
    `("title",)` or `("lesson", "body")`; the API shows it as `["input", "title"]`.
    Messages name fields by their API names (`api_name`), as the path does.
    """

    def __init__(self, code: ErrorCode, message: str, field: tuple[str, ...] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def each(self) -> list[DomainError]:
        """The failures this error reports, one user error each."""
        return [self]


class DomainErrors(DomainError):
    """Several failures reported together, e.g. every field that blocks a change.

    Takes the first one's code and field; the message joins them all, for the command
    line, which prints one line.
    """

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.code, "; ".join(e.message for e in errors), first.field)
        self.errors = errors

    def each(self) -> list[DomainError]:
        return list(self.errors)


class Invalid(DomainError):
    def __init__(self, message: str, field: tuple[str, ...] | None = None):
        super().__init__(ErrorCode.INVALID, message, field)


class Required(DomainError):
    def __init__(self, field: tuple[str, ...], message: str | None = None):
        super().__init__(ErrorCode.REQUIRED, message or f"{api_name(field[-1])} is required", field)


class TooLong(DomainError):
    def __init__(self, field: tuple[str, ...], limit: int):
        super().__init__(
            ErrorCode.TOO_LONG, f"{api_name(field[-1])} is longer than {limit} characters", field
        )


class NotFound(DomainError):
    def __init__(self, what: str, field: tuple[str, ...] | None = None):
        super().__init__(ErrorCode.NOT_FOUND, f"{what} not found", field)


class Forbidden(DomainError):
    def __init__(self, message: str, field: tuple[str, ...] | None = None):
        super().__init__(ErrorCode.FORBIDDEN, message, field)


class Conflict(DomainError):
    """`current` is the (model, id) of the record as it is now, which the API returns in
    the payload beside the error: raise it only once the caller may read the record."""

    def __init__(
        self,
        what: str,
        current_version: int,
        expected_version: int,
        current: tuple[type[Any], int] | None = None,
    ):
        super().__init__(
            ErrorCode.CONFLICT,
            f"{what} was changed by someone else: it is at version {current_version}, "
            f"not {expected_version}. Reload it and try again.",
            ("expected_version",),
        )
        self.current_version = current_version
        self.current = current


class GateNotMet(DomainError):
    """`unmet` are the criteria's codes; the message gives their descriptions, which say
    what to do, for people: "not ready to go on yet: record at least one estimated cost"."""

    def __init__(self, unmet: list[str], descriptions: list[str] | None = None):
        self.descriptions = list(descriptions or unmet)
        todo = [d.rstrip(".") for d in self.descriptions]
        todo = [d[:1].lower() + d[1:] for d in todo]
        super().__init__(
            ErrorCode.GATE_NOT_MET, "not ready to go on yet: " + "; ".join(todo), ("decision",)
        )
        self.unmet = unmet


class InvalidTransition(DomainError):
    def __init__(self, message: str, field: tuple[str, ...] | None = ("decision",)):
        super().__init__(ErrorCode.INVALID_TRANSITION, message, field)


class PersonalData(DomainError):
    """`label` names the field in the message when its path's last part is not enough,
    e.g. "summary of Evidence RXZpZGVuY2U6Mw" when a project goes public."""

    def __init__(self, field: tuple[str, ...], kind: str, *, label: str | None = None):
        super().__init__(
            ErrorCode.PERSONAL_DATA,
            f"{label or api_name(field[-1])} looks like it contains {kind}; Inset must not hold "
            "personal data about children or families, so nothing was saved",
            field,
        )
        self.kind = kind


class Anonymity(DomainError):
    """An anonymised lesson's text names what anonymity hides (inset.lessons.anonymity)."""

    def __init__(self, field: tuple[str, ...], named: str, where: str | None = None):
        super().__init__(
            ErrorCode.ANONYMITY,
            f"{where or api_name(field[-1])} names {named}; an anonymised lesson may not name its "
            "project, its organisations or its people, so nothing was saved",
            field,
        )
        self.named = named


class Duplicate(DomainError):
    """`existing` is the (type name, id) of the record that already holds the key, when
    the caller may be told: the API returns its global id as `existingId`."""

    def __init__(
        self,
        message: str,
        field: tuple[str, ...] | None = None,
        existing: tuple[str, int] | None = None,
    ):
        super().__init__(ErrorCode.DUPLICATE, message, field)
        self.existing = existing


class Unauthenticated(Exception):
    """Not a user error: a GraphQL error with `extensions.code = UNAUTHENTICATED`."""


class AccessDenied(Exception):
    """Not a user error: a GraphQL error with `extensions.code = FORBIDDEN`."""

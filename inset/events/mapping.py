"""From an audited change to its event: the type, the subject and data in the API's names.

The audit trail keeps column names (`lead_organisation_id`, `amount_pence`); partners see
the names of the GraphQL API (`leadOrganisation`, `amount`) and global ids. A column that
holds a database id and has no entry in REFERENCES is left out rather than leaked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inset.ids import to_global_id

RECORDS = ("evidence", "outcome", "cost", "benefit", "lesson")

# audit action -> event type; records also follow `<record>.record|update|archive`.
ACTIONS = {
    "project.create": "project.created",
    "project.update": "project.updated",
    "project.set_visibility": "project.visibility_changed",
    "project.archive": "project.archived",
    "gate.decide": "project.stage_changed",
    "outcome.define": "outcome.recorded",
    "outcome.observe": "outcome.observed",
    "lesson.share": "lesson.shared",
    "webhook_endpoint.disable": "webhook_endpoint.disabled",
}
for _record in RECORDS:
    ACTIONS.setdefault(f"{_record}.record", f"{_record}.recorded")
    ACTIONS.setdefault(f"{_record}.update", f"{_record}.updated")
    ACTIONS.setdefault(f"{_record}.archive", f"{_record}.archived")

EVENT_TYPES = sorted({*ACTIONS.values()})

# column -> (API field, type of the record it points at)
REFERENCES = {
    "project_id": ("project", "Project"),
    "lead_organisation_id": ("leadOrganisation", "Organisation"),
    "lead_account_id": ("lead", "Account"),
    "decision_id": ("decision", "GateDecision"),
    "outcome_id": ("outcome", "Outcome"),
    "partner_organisation_ids": ("partners", "Organisation"),
    "theme_ids": ("themes", "Theme"),
}
RENAMES = {"decision": "kind", "barriers": "barriers"}


@dataclass(frozen=True)
class Described:
    """What an event says, before it has an id."""

    type: str
    subject_type: str
    subject_id: int
    project_id: int | None
    data: dict[str, Any]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _ratio(basis_points: Any) -> str | None:
    return None if basis_points is None else str(Decimal(basis_points) / 10_000)


def _money(pence: Any) -> str | None:
    return None if pence is None else str((Decimal(pence) / 100).quantize(Decimal("0.01")))


def api_values(
    values: Mapping[str, Any], *, renames: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Column-named JSON values in the API's names, ids made global; others dropped."""
    out: dict[str, Any] = {}
    for column, value in values.items():
        if column in REFERENCES:
            name, type_name = REFERENCES[column]
            if isinstance(value, list):
                out[name] = [to_global_id(type_name, v) for v in value]
            else:
                out[name] = None if value is None else to_global_id(type_name, value)
        elif column == "amount_pence":
            out["amount"] = _money(value)
        elif column.endswith("_bp"):
            out[_camel(column[:-3])] = _ratio(value)
        elif column.endswith(("_id", "_ids")) or column == "id":
            continue  # a database id with no public meaning here
        else:
            out[(renames or {}).get(column) or _camel(column)] = value
    return out


def describe(
    *,
    action: str,
    entity_type: str,
    entity_id: int,
    project_id: int | None,
    changes: Mapping[str, tuple[Any, Any]],
) -> list[Described]:
    """The events of one audited change (none for changes partners are not told of).

    `changes` holds JSON values (before, after). A created or archived record's data is
    its values; an update's also carries `previous`, the values it replaced, as Stripe's
    `previous_attributes` does.
    """
    event_type = ACTIONS.get(action)
    if event_type is None:
        return []
    before = {k: b for k, (b, _a) in changes.items()}
    after = {k: a for k, (_b, a) in changes.items()}
    subject_type, subject_id = entity_type, entity_id
    data: dict[str, Any] = {}
    if action == "gate.decide":
        subject_type, subject_id = "Project", after["project_id"]
        data["decision"] = to_global_id("GateDecision", entity_id)
        after.pop("project_id")
    elif action == "outcome.observe":
        subject_type, subject_id = "Outcome", after["outcome_id"]
    data["id"] = to_global_id(subject_type, subject_id)
    if project_id is not None:
        data["project"] = to_global_id("Project", project_id)
    data.update(api_values(after, renames=RENAMES if action == "gate.decide" else None))
    if action.endswith((".update", ".set_visibility")):
        data["previous"] = api_values(before)
    found = [Described(event_type, subject_type, subject_id, project_id, data)]
    if action == "lesson.record" and after.get("shared_with") is not None:
        found.append(Described("lesson.shared", subject_type, subject_id, project_id, data))
    return found

"""The derived evidence level of DESIGN.md section 2 (Nesta Standards of Evidence)."""

from __future__ import annotations

from collections.abc import Iterable

from inset.projects.models import Stage

LEVEL_NAMES = {
    0: "nothing yet",
    1: "an account of impact: a coherent theory of change",
    2: "correlation: data showing change, pre/post",
    3: "causation: a comparison or control group",
    4: "independent replication: an independent evaluation, with costs",
    5: "scaled: run by others, elsewhere, at scale",
}


def derive_evidence_level(
    *,
    has_theory_of_change: bool,
    stage: Stage,
    has_partner: bool,
    claims: Iterable[tuple[int, bool]],
    scaled_by_others: bool = False,
) -> int:
    """The highest level the live evidence supports, 0..5.

    `claims` are (claimed level, independent) pairs. A level-4 claim counts only when
    the item is independent; a level-5 claim only at SCALE with at least one partner
    organisation, or when a replication of the project led by another organisation has
    reached SCALE (`scaled_by_others`: run by others, elsewhere, at scale); a claim that
    does not count is not demoted to a lower level either, since nothing says which lower
    level it would support. A theory of change alone is
    level 1. Example: claims (3, False) and (4, False) give 3, because the level-4 study
    was not independent.
    """
    level = 1 if has_theory_of_change else 0
    for claimed, independent in claims:
        if claimed == 4 and not independent:
            continue
        if claimed == 5 and not ((stage is Stage.SCALE and has_partner) or scaled_by_others):
            continue
        level = max(level, claimed)
    return level

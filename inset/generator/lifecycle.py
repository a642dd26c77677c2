"""One generated project's life, as rows that satisfy every rule the services enforce.

A project walks through its stays (IDEA, then PILOT, ...), each ending with the decision
that moves it on. The records of a stay are dated inside it, in a sensible order (an
outcome is defined before it is observed), so that each GO is taken with its gate's
mandatory criteria met by records dated before it; a stay that does not end with a GO
(the current one, one recycled out of, one stopped in) has only part of them. STOP and
RECYCLE carry an inline lesson; HOLD may set a revisit date, never before the day it was
decided. The project's stored fields are what the services would have left: the stage and
status of its last decisions, `stage_entered_at` and `last_decision_at` from them (its
creation when there are none), a version bumped by each decision, `updated_at` at its last
record or decision, and the evidence level derived from its evidence.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from inset.economics.models import CostCategory
from inset.evidence.levels import derive_evidence_level
from inset.gates.models import GateDecisionKind
from inset.generator import topics
from inset.generator import vocabulary as words
from inset.generator.records import (
    Ids,
    Org,
    RecordMaker,
    Reference,
    Rows,
    weighted,
)
from inset.lessons.models import LessonKind
from inset.projects.models import STAGES, InnovationType, ProjectStatus, Stage, Visibility

FUNNEL = {Stage.IDEA: 45, Stage.PILOT: 28, Stage.EVALUATION: 17, Stage.SCALE: 10}
STOPPED_SHARE = {Stage.IDEA: 0.12, Stage.PILOT: 0.20, Stage.EVALUATION: 0.18, Stage.SCALE: 0.08}
ON_HOLD_SHARE = 0.08
STALLED_SHARE = 0.12  # of ACTIVE projects: nothing recorded for a year or more
RECYCLED_SHARE = 0.06
# Days a stay lasts when the project moved on from it.
STAY_DAYS = {
    Stage.IDEA: (45, 300),
    Stage.PILOT: (120, 540),
    Stage.EVALUATION: (90, 420),
    Stage.SCALE: (60, 300),
}
PARTIAL = 0.65  # chance of each record in a stay that does not end with a GO
_FUNNEL_STAGES = list(FUNNEL)
_FUNNEL_WEIGHTS = list(FUNNEL.values())


class ProjectBuilder(RecordMaker):
    """One project, built into `rows` by `build()`; the same random stream, reference and
    first ids give the same rows."""

    def __init__(self, rng: random.Random, ref: Reference, ids: Ids, rows: Rows) -> None:
        super().__init__(rng, ref, ids, rows)
        self.decisions = 0
        self.partners: list[int] = []
        self.theory = False
        self.intervention = ""
        self.status = ProjectStatus.ACTIVE
        self.stage_entered = self.last_decision = self.created
        self.revisit_on: date | None = None

    def build(self) -> None:
        rng, ref = self.rng, self.ref
        lead = ref.organisations[
            rng.choices(range(len(ref.organisations)), cum_weights=ref.lead_weights)[0]
        ]
        stage = rng.choices(_FUNNEL_STAGES, _FUNNEL_WEIGHTS)[0]
        roll = rng.random()
        self.final_status = (
            ProjectStatus.STOPPED
            if roll < STOPPED_SHARE[stage]
            else ProjectStatus.ON_HOLD
            if roll < STOPPED_SHARE[stage] + ON_HOLD_SHARE
            else ProjectStatus.ACTIVE
        )
        status = self.final_status
        stalled = status is ProjectStatus.ACTIVE and rng.random() < STALLED_SHARE
        path = STAGES[: stage.order + 1]
        if stage is not Stage.SCALE and rng.random() < RECYCLED_SHARE:
            path = [*path, STAGES[stage.order + 1], stage]
        durations = [rng.uniform(*STAY_DAYS[s]) for s in path[:-1]]
        tail = (
            rng.uniform(400, 1200)
            if stalled
            else rng.uniform(5, 420)
            if status is ProjectStatus.ACTIVE
            else rng.uniform(60, 800)
        )
        self.created = (ref.now - timedelta(days=sum(durations) + tail)).replace(microsecond=0)
        self.latest = self.created
        self.partners = self._partners(lead)
        self.visibility = weighted(
            rng, {Visibility.PRIVATE: 30, Visibility.MEMBERS: 45, Visibility.PUBLIC: 25}
        )
        self.topic = self._themes()
        beyond_idea = len(path) > 1
        self.theory = beyond_idea or rng.random() < 0.65
        self.intervention = rng.choice(self.topic.interventions)
        self.stage_entered = self.last_decision = self.created
        start = 0.0
        for here, days, following in zip(path, durations, path[1:], strict=False):
            self._stay(here, start, start + days, complete=following.order > here.order)
            if following.order > here.order:
                self._decide(GateDecisionKind.GO, start + days, to=following)
            else:
                self._decide(GateDecisionKind.RECYCLE, start + days, to=following, lesson=True)
            start += days
        self._current(start, tail, stalled)
        self._project_row(lead, beyond_idea or rng.random() < 0.8)

    def _partners(self, lead: Org) -> list[int]:
        rng, orgs = self.rng, self.ref.organisations
        wanted = weighted(rng, {0: 35, 1: 35, 2: 20, 3: 10})
        chosen = {orgs[rng.randrange(len(orgs))].id for _ in range(wanted)} - {lead.id}
        for org_id in sorted(chosen):
            self.rows.add("project_partner", {"project_id": self.pid, "organisation_id": org_id})
        return sorted(chosen)

    def _themes(self) -> topics.Topic:
        rng, themes = self.rng, self.ref.themes
        count = min(weighted(rng, {0: 4, 1: 60, 2: 30, 3: 6}), len(themes))
        chosen = rng.sample(themes, count) if count else [rng.choice(themes)]
        for theme_id, _ in sorted(chosen[:count]):
            self.rows.add("project_theme", {"project_id": self.pid, "theme_id": theme_id})
        return topics.TOPICS.get(chosen[0][1], topics.GENERIC_TOPIC)

    def _current(self, start: float, tail: float, stalled: bool) -> None:
        """The stay the project is in now, and the decisions that left it as it is now."""
        rng = self.rng
        if stalled:
            self._stay(self.stage, start, start + rng.uniform(10, 60), complete=False)
            return
        if self.final_status is ProjectStatus.ACTIVE:
            self._stay(self.stage, start, start + tail - rng.uniform(0.05, 2), complete=False)
            if tail > 60 and rng.random() < 0.08:
                self._decide(GateDecisionKind.HOLD, start + tail * 0.3)
                self._decide(GateDecisionKind.RESUME, start + tail * 0.5)
            return
        end = start + tail * rng.uniform(0.3, 0.9)
        self._stay(self.stage, start, end, complete=False)
        if self.final_status is ProjectStatus.ON_HOLD:
            self._decide(GateDecisionKind.HOLD, end, revisit=rng.random() < 0.6)
            return
        if rng.random() < 0.25:  # held first, then stopped
            self._decide(GateDecisionKind.HOLD, end)
            end += (start + tail - end) * rng.uniform(0.2, 0.8)
        self._decide(GateDecisionKind.STOP, end, lesson=True)

    def _stay(self, stage: Stage, start: float, end: float, *, complete: bool) -> None:
        """The records of one stay, dated in order between `start` and `end` (days)."""
        rng = self.rng
        plan: list[Callable[[datetime], None]] = []

        def want(chance: float = 1.0) -> bool:
            return rng.random() < (chance if complete else chance * PARTIAL)

        if stage is Stage.IDEA:
            if not self.outcomes:
                plan.append(lambda t: self.outcome(t, with_baseline=complete or want(0.9)))
            if want(0.5):
                plan.append(lambda t: self.outcome(t, with_baseline=True))
            if want():
                plan.append(lambda t: self.cost(t, stage, CostCategory.STAFF, (4, 6)))
            if self.theory and want(0.5):
                plan.append(lambda t: self.evidence(t, stage, "theory", 1))
        elif stage is Stage.PILOT:
            for _ in range(1 + (rng.random() < 0.4)):
                if want():
                    plan.append(lambda t: self.cost(t, stage, None, (2, 4)))
            if want():
                kind = rng.choice(("monitoring", "survey"))
                plan.append(lambda t: self.evidence(t, stage, kind, 2))
            if want(0.4):
                plan.append(lambda t: self.evidence(t, stage, "feedback", rng.choice((1, 2))))
            plan += self._observations(want, 1, 3)
            if want():
                plan.append(lambda t: self.lesson(t, stage, None))
            if want(0.6):
                plan.append(lambda t: self.benefit(t, stage, (4, 6), 1))
        elif stage is Stage.EVALUATION:
            if want(0.8):
                plan.append(lambda t: self.cost(t, stage, CostCategory.EVALUATION, (1, 3)))
            if want(0.6):
                plan.append(lambda t: self.evidence(t, stage, "comparison", 3))
            if want(0.15):
                plan.append(lambda t: self.evidence(t, stage, "trial", 3))
            if want():
                level = rng.choice((3, 4))
                plan.append(lambda t: self.evidence(t, stage, "evaluation", level, True))
            plan += self._observations(want, 1, 2)
            lines = 1 + (rng.random() < 0.4)
            for _ in range(lines):
                if want():
                    plan.append(lambda t: self.benefit(t, stage, (2, 5), lines))
            for _ in range(1 + (rng.random() < 0.3)):
                if want():
                    plan.append(lambda t: self.lesson(t, stage, None))
        else:
            for _ in range(1 + (rng.random() < 0.5)):
                plan.append(lambda t: self.cost(t, stage, None, (1, 3)))
            if want(0.6):
                plan.append(lambda t: self.benefit(t, stage, (2, 4), 1))
            if self.partners and want(0.4):
                plan.append(lambda t: self.evidence(t, stage, "replication", 5, True))
            plan += self._observations(want, 1, 1)
            if want(0.5):
                plan.append(lambda t: self.lesson(t, stage, LessonKind.RECOMMENDATION))
        times = sorted(rng.uniform(start + 0.01, end - 0.01) for _ in plan)
        for make, day in zip(plan, times, strict=True):
            make(self.at(day))

    def _observations(self, want: Callable[..., bool], low: int, high: int) -> list[Any]:
        """Readings of the outcomes with a baseline; the first outcome's first reading is
        the one a GO out of PILOT needs (a reading after the baseline date)."""
        plan: list[Callable[[datetime], None]] = []
        for n, outcome in enumerate(self.outcomes):
            if outcome.baseline is None:
                continue
            for k in range(self.rng.randint(low, high)):
                if want(1.0 if n == 0 and k == 0 else 0.8):
                    plan.append(partial(self.observe, outcome=outcome))
        return plan

    def _decide(
        self,
        kind: GateDecisionKind,
        day: float,
        *,
        to: Stage | None = None,
        lesson: bool = False,
        revisit: bool = False,
    ) -> None:
        """A decision at `day`, with its inline lesson (recorded at the same moment, from
        the stage the project is leaving) for STOP and RECYCLE."""
        rng, at = self.rng, self.at(day)
        to_stage = to or self.stage
        revisit_on = at.date() + timedelta(days=rng.randint(30, 270)) if revisit else None
        decision_id = self.ids.take("gate_decision")
        self.rows.add(
            "gate_decision",
            {
                "id": decision_id,
                "project_id": self.pid,
                "decision": kind,
                "from_stage": self.stage,
                "to_stage": to_stage,
                "status_after": _STATUS_AFTER[kind],
                "rationale": rng.choice(words.RATIONALES[kind.value]),
                "override": False,
                "unmet_criteria": [],
                "revisit_on": revisit_on,
                "decided_by_id": None,
                "decided_at": at,
            },
        )
        if lesson:
            lesson_kind = rng.choice(_ENDING_LESSONS[kind])
            self.lesson(at, self.stage, lesson_kind, decision_id)
        if to_stage is not self.stage:
            self.stage_entered = at
        self.stage, self.status, self.revisit_on = to_stage, _STATUS_AFTER[kind], revisit_on
        self.last_decision = at
        self.decisions += 1
        self.seen(at)

    def _project_row(self, lead: Org, has_problem: bool) -> None:
        rng, topic = self.rng, self.topic
        measure = self.outcomes[0].measure if self.outcomes else topic.measures[0]
        moves = "rises" if measure.higher_is_better else "falls"
        theory = (
            f"If we introduce {self.intervention[0].lower()}{self.intervention[1:]}, then "
            f"{topic.mechanism}; we will know it works when the {measure.name} {moves}."
        )
        self.rows.add(
            "project",
            {
                "id": self.pid,
                "title": f"{self.intervention} in {lead.place}",
                "summary": f"{self.intervention}, led by {lead.name}. "
                f"{rng.choice(words.SUMMARY_ENDINGS)}",
                "problem": rng.choice(topic.problems) if has_problem else None,
                "theory_of_change": theory if self.theory else None,
                "stage": self.stage,
                "status": self.status,
                "visibility": self.visibility,
                "innovation_type": weighted(rng, _INNOVATION_TYPES),
                "lead_organisation_id": lead.id,
                "lead_account_id": None,
                "started_on": self.created.date() - timedelta(days=rng.randint(0, 60)),
                "evidence_level": derive_evidence_level(
                    has_theory_of_change=self.theory,
                    stage=self.stage,
                    has_partner=bool(self.partners),
                    claims=self.claims,
                ),
                "stage_entered_at": self.stage_entered,
                "last_decision_at": self.last_decision,
                "revisit_on": self.revisit_on,
                "created_at": self.created,
                "updated_at": self.latest,
                "version": 1 + self.decisions,
                "archived_at": None,
            },
        )


_STATUS_AFTER = {
    GateDecisionKind.GO: ProjectStatus.ACTIVE,
    GateDecisionKind.RECYCLE: ProjectStatus.ACTIVE,
    GateDecisionKind.HOLD: ProjectStatus.ON_HOLD,
    GateDecisionKind.RESUME: ProjectStatus.ACTIVE,
    GateDecisionKind.STOP: ProjectStatus.STOPPED,
}
_ENDING_LESSONS = {
    GateDecisionKind.STOP: (LessonKind.WHAT_DID_NOT_WORK, LessonKind.BARRIER),
    GateDecisionKind.RECYCLE: (LessonKind.WHAT_DID_NOT_WORK, LessonKind.RECOMMENDATION),
}
_INNOVATION_TYPES = {
    InnovationType.PRACTICE: 40,
    InnovationType.TECHNOLOGY: 15,
    InnovationType.COMMISSIONING: 15,
    InnovationType.WORKFORCE: 15,
    InnovationType.PARTNERSHIP: 15,
}

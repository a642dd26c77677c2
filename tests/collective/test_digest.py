"""The digest's content, computed as anyone reads it: figures reproduced by hand, case
studies with their outcomes and money, lessons by barrier with anonymity kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from collective.scenario import (
    PRIVATE_ORGANISATION,
    PRIVATE_STOP_LESSON,
    PRIVATE_TITLE,
    Sector,
    make_sector,
)
from conftest import World
from sqlmodel import Session

from inset.collective.digest import Digest, build_digest
from inset.collective.figures import Count
from inset.collective.publish import digest_html
from inset.collective.service import feature_case_study
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import transaction
from inset.projects.models import Visibility
from inset.projects.service import set_visibility


@pytest.fixture
def sector(world: World) -> Sector:
    sector = make_sector(world)
    with transaction(world.engine) as session:
        feature_case_study(
            session=session,
            actor=world.staff,
            project_id=sector.public.id or 0,
            year=sector.year,
            position=1,
            summary="A council halved repeat missing episodes with a next-day conversation.",
        )
    return sector


def digest_of(world: World, year: int) -> Digest:
    with Session(world.engine) as session:
        return build_digest(session=session, year=year, optimism_bias=DEFAULT_OPTIMISM_BIAS)


def test_the_year_in_figures_counts_only_public_projects_as_they_stood_at_the_end_of_it(
    world: World, sector: Sector
) -> None:
    figures = digest_of(world, sector.year).figures

    # Return home chats (EVALUATION) and Family app (stopped at IDEA); the PRIVATE pilot
    # is left out although it reached EVALUATION.
    assert figures.project_count == 2
    assert figures.by_stage == [
        Count("Idea", 1),
        Count("Pilot", 0),
        Count("Evaluation", 1),
        Count("Scale", 0),
    ]
    assert figures.stopped == 1
    assert figures.by_theme == [Count("Missing from care", 1), Count("No theme", 1)]
    assert figures.by_organisation_kind == [Count("Local authority", 2)]
    assert figures.by_region == [Count("North West", 2)]
    assert figures.movements == [
        Count("Idea to pilot", 1),
        Count("Pilot to evaluation", 1),
        Count("Stopped", 1),
    ]
    # the enabler, the anonymised barrier and the stop lesson of Family app, and the
    # charity's lesson shared PUBLIC; not the charity's unshared stop lesson
    assert figures.lessons == 4


def test_the_year_before_has_nothing_yet_and_the_changes_say_so(
    world: World, sector: Sector
) -> None:
    digest = digest_of(world, sector.year)

    assert digest.previous.project_count == 0
    changes = {c.label: (c.before, c.now) for c in digest.changes}
    assert changes["Public projects"] == (0, 2)
    assert changes["At evaluation"] == (0, 1)
    assert changes["Gate decisions in the year"] == (0, 3)


def test_a_case_study_shows_its_outcome_from_baseline_to_latest_and_its_economics(
    world: World, sector: Sector
) -> None:
    [study] = digest_of(world, sector.year).case_studies

    assert study.project.title == "Return home chats"
    assert (study.organisation, study.region) == ("Northmoor Council", "North West")
    [outcome] = study.outcomes
    assert (outcome.baseline, outcome.latest, outcome.target) == (
        Decimal(45),
        Decimal(24),
        Decimal(20),
    )
    # grade 1 lines carry no optimism bias: 25,000 / 10,000
    assert study.economics.total_cost == Decimal("10000.00")
    assert study.economics.adjusted_benefit == Decimal("25000.00")
    assert study.economics.net_benefit == Decimal("15000.00")
    assert study.economics.benefit_cost_ratio == 2.5


def test_a_case_study_drops_out_when_its_project_stops_being_public(
    world: World, sector: Sector
) -> None:
    with transaction(world.engine) as session:
        set_visibility(
            session=session,
            actor=sector.lead,
            project_id=sector.public.id or 0,
            visibility=Visibility.MEMBERS,
            expected_version=sector.public.version,
        )

    digest = digest_of(world, sector.year)

    assert digest.case_studies == []
    assert "Return home chats" not in digest_html_of(world, sector.year)


def test_lessons_of_stopped_trials_are_grouped_by_barrier_with_anonymity_kept(
    world: World, sector: Sector
) -> None:
    digest = digest_of(world, sector.year)

    groups = {
        g.barrier: [(x.title, x.source, x.project_title) for x in g.lessons]
        for g in digest.lessons_by_barrier
    }
    assert groups == {
        "funding": [("Funding ended before the evaluation", "Charity, South West", None)],
        "staff capacity": [("No time to learn a new app", "Local authority, North West", None)],
        "technology": [
            ("The app did not fit the case system", "Family app, Northmoor Council", "Family app")
        ],
    }
    assert [x.title for x in digest.enablers] == ["A named worker the young person already knows"]


def digest_html_of(world: World, year: int) -> str:
    with Session(world.engine) as session:
        return digest_html(session=session, year=year, optimism_bias=DEFAULT_OPTIMISM_BIAS)


def test_the_page_never_names_a_private_project_or_an_anonymised_lessons_organisation(
    world: World, sector: Sector
) -> None:
    page = digest_html_of(world, sector.year)

    assert "Funding ended before the evaluation" in page
    for secret in (PRIVATE_TITLE, PRIVATE_ORGANISATION, PRIVATE_STOP_LESSON):
        assert secret not in page
    # the anonymised lesson of a PUBLIC project names neither the project nor its council
    start = page.index("No time to learn a new app")
    assert "Local authority, North West" in page[start : start + 300]
    assert "Family app" not in page[start : start + 300]

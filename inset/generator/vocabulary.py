"""The fixed text a generated portfolio is written in.

Every sentence here passes the personal-data check as public text (no numbers that could
be identifiers, no dates, no contact details), so any combination of them may be stored
on a PUBLIC project. Place names are made up from syllables; any likeness to a real
place is accidental.
"""

from __future__ import annotations

from dataclasses import dataclass

from inset.economics.models import BenefitKind, CostCategory
from inset.evidence.models import EvidenceKind
from inset.lessons.models import Barrier, LessonKind
from inset.organisations.models import OrganisationKind

# The nine English regions, weighted roughly by population.
REGIONS: tuple[tuple[str, float], ...] = (
    ("North East", 4.7),
    ("North West", 13.1),
    ("Yorkshire and the Humber", 9.7),
    ("East Midlands", 8.6),
    ("West Midlands", 10.5),
    ("East of England", 11.1),
    ("London", 15.6),
    ("South East", 16.4),
    ("South West", 10.3),
)

# Split from strings: as literals, these would take a line a syllable.
_PREFIXES = (  # noqa: SIM905
    "North South East West Ash Oak Elm Birch Kings Queens Bright Stone River Mill Fair Green "
    "Red Black White High Long Market Church Bridge Castle Wood Heath Moss Thorn Hawk Lark Fern "
    "Holly Wil Brad Ather Bel Car Dun Lin"
).split()
_SUFFIXES = (  # noqa: SIM905
    "moor haven brook ford field ton bury wick ham ley dale bridge stead worth combe minster "
    "port gate holme by mouth well hurst wood chester"
).split()
PLACES: tuple[str, ...] = tuple(p + s for p in _PREFIXES for s in _SUFFIXES)


@dataclass(frozen=True)
class Kind:
    """Share of the organisations, how often one leads a project, and how they are named."""

    share: float
    leads: float
    names: tuple[str, ...]


KINDS: dict[OrganisationKind, Kind] = {
    OrganisationKind.LOCAL_AUTHORITY: Kind(
        38,
        6.0,
        (
            "{p} County Council",
            "{p} Borough Council",
            "{p} City Council",
            "{p} Metropolitan Borough Council",
            "{p} Council",
        ),
    ),
    OrganisationKind.CHARITY: Kind(
        20,
        2.0,
        (
            "{p} Children's Trust",
            "{p} Youth Project",
            "{p} Family Support",
            "Young {p}",
            "{p} Care Leavers' Network",
        ),
    ),
    OrganisationKind.INDEPENDENT_FOSTERING_AGENCY: Kind(
        8, 2.0, ("{p} Fostering", "{p} Foster Care Partnership", "Hearth and {p} Fostering")
    ),
    OrganisationKind.PRIVATE_PARTNER: Kind(
        7, 0.5, ("{p} Digital Ltd", "{p} Consulting", "{p} Analytics Ltd", "{p} Care Services Ltd")
    ),
    OrganisationKind.HEALTH: Kind(
        7,
        1.0,
        ("{p} NHS Foundation Trust", "{p} Integrated Care Board", "{p} Community Health"),
    ),
    OrganisationKind.EDUCATION: Kind(
        7, 1.0, ("{p} Academy Trust", "{p} College", "{p} Schools Partnership")
    ),
    OrganisationKind.VOLUNTARY_ADOPTION_AGENCY: Kind(
        4, 2.0, ("{p} Adoption Society", "{p} Family Adoption Trust")
    ),
    OrganisationKind.REGIONAL_ADOPTION_AGENCY: Kind(
        3, 3.0, ("Adopt {p}", "{p} Regional Adoption Agency")
    ),
    OrganisationKind.POLICE: Kind(3, 0.7, ("{p} Police", "{p} Constabulary")),
    OrganisationKind.OTHER: Kind(
        3, 1.0, ("{p} Youth Justice Partnership", "{p} Community Foundation")
    ),
}
LONDON_COUNCIL = "London Borough of {p}"


SUMMARY_ENDINGS = (
    "It tests whether the approach can run within existing budgets.",
    "It was designed with young people and families who use the service.",
    "It builds on practice that worked well elsewhere in the region.",
    "It is run jointly with local partners across health, education and the voluntary sector.",
    "It aims to free up practitioner time for direct work with families.",
)

# (kind, title, summary)
EVIDENCE: dict[str, tuple[EvidenceKind, str, str]] = {
    "theory": (
        EvidenceKind.DESCRIPTION,
        "Theory of change and logic model",
        "How the activities are expected to lead to the outcomes, agreed with partners.",
    ),
    "monitoring": (
        EvidenceKind.MONITORING_DATA,
        "Pilot monitoring data",
        "Monthly figures before and during the pilot show the direction of change.",
    ),
    "survey": (
        EvidenceKind.SURVEY,
        "Survey of families before and after the pilot",
        "Families answered the same questions at the start and at the end of their support.",
    ),
    "feedback": (
        EvidenceKind.FEEDBACK,
        "Feedback from young people and staff",
        "Structured feedback sessions about what helped and what got in the way.",
    ),
    "comparison": (
        EvidenceKind.COMPARISON_STUDY,
        "Comparison with matched teams",
        "Outcomes compared with teams that did not yet use the approach.",
    ),
    "trial": (
        EvidenceKind.RANDOMISED_TRIAL,
        "Randomised trial across teams",
        "Teams were randomly assigned to start the approach earlier or later.",
    ),
    "evaluation": (
        EvidenceKind.EVALUATION_REPORT,
        "Independent evaluation report",
        "An independent evaluator assessed impact, implementation and costs.",
    ),
    "replication": (
        EvidenceKind.CASE_STUDY,
        "Replication by a partner in another area",
        "A partner organisation runs the approach at scale, following the practice manual.",
    ),
}
REFERENCES = (
    "Internal monitoring report",
    "Evaluation report, published by the evaluator",
    "Board paper on the pilot",
    None,
)

COSTS: dict[CostCategory, tuple[str, ...]] = {
    CostCategory.STAFF: ("Project manager and practitioner time", "Seconded practitioners"),
    CostCategory.TECHNOLOGY: ("Software licences and set-up", "Devices for frontline staff"),
    CostCategory.COMMISSIONING: ("Service commissioned from a voluntary sector partner",),
    CostCategory.TRAINING: ("Training for practitioners", "Practice coaching"),
    CostCategory.EVALUATION: ("Independent evaluation", "Data analysis for the evaluation"),
    CostCategory.PREMISES: ("Venue hire for sessions", "Hub premises"),
    CostCategory.OTHER: ("Materials and travel", "Activities with young people"),
}
FUNDING_SOURCES = (
    "Council base budget",
    "Innovation fund grant",
    "Partner contribution",
    "Government grant",
    None,
)

BENEFITS: dict[BenefitKind, tuple[str, ...]] = {
    BenefitKind.FISCAL: (
        "Placement costs avoided",
        "Fewer children entering care",
        "Lower spend on agency staff",
        "Fewer repeat referrals to handle",
    ),
    BenefitKind.ECONOMIC: (
        "Better employment prospects for care leavers",
        "Practitioner time released for direct work",
    ),
    BenefitKind.SOCIAL: (
        "Better wellbeing of children and families",
        "Children staying safely with their families",
    ),
}
BENEFICIARIES = (
    "Children's social care budget",
    "Local authority placements budget",
    "Integrated care board",
    "Police",
    "Youth justice service",
    "Schools",
)

OBSERVATION_NOTES = ("Quarterly monitoring return", "Figure from the annual data return", None)

LESSON_TITLES: dict[LessonKind, tuple[str, ...]] = {
    LessonKind.WHAT_WORKED: (
        "Working alongside practitioners built trust quickly",
        "Families valued one named worker",
        "Co-design with young people shaped a better service",
    ),
    LessonKind.WHAT_DID_NOT_WORK: (
        "Referrals never reached the numbers planned",
        "The model did not fit existing team structures",
        "The change in outcomes was too small to sustain",
    ),
    LessonKind.ENABLER: (
        "Senior sponsorship unlocked quick decisions",
        "A shared data agreement made joint work possible",
    ),
    LessonKind.RECOMMENDATION: (
        "Start with a small team and grow steadily",
        "Plan the evaluation before the pilot starts",
    ),
}
# Titles of BARRIER lessons, by their first barrier.
BARRIER_TITLES: dict[Barrier, str] = {
    Barrier.STAFF_CAPACITY: "No protected time held the pilot back",
    Barrier.CULTURE: "Teams saw the change as extra work",
    Barrier.FUNDING: "Funding ended before the approach was embedded",
    Barrier.TECHNOLOGY: "The case system could not record the new work",
    Barrier.INFORMATION_GOVERNANCE: "Information sharing held the pilot back",
    Barrier.RISK_AVERSION: "Caution kept the families who needed it most away",
    Barrier.SKILLS: "Practitioners needed more coaching than planned",
    Barrier.PARTNERSHIP: "Partners pulled in different directions",
    Barrier.DEMAND: "Fewer families were eligible than expected",
    Barrier.POLICY: "A change in national guidance moved the goalposts",
}
LESSON_PLANS = (
    "The team planned to offer the new approach to every eligible family within a month",
    "The pilot was meant to run across three teams for a year",
    "Partners agreed to refer young people as soon as a concern was raised",
)
LESSON_HAPPENINGS = (
    "Take-up was slower than planned and grew only in the second half",
    "Two teams started on time and the third joined late",
    "Referrals came in bursts rather than steadily",
)
# Why it happened and what to do next time, by barrier (or enabler, with no barrier).
LESSON_REASONS: dict[Barrier | None, tuple[str, str]] = {
    Barrier.STAFF_CAPACITY: (
        "Practitioners had no protected time for the new work",
        "agree protected time with team managers before launch",
    ),
    Barrier.CULTURE: (
        "Teams saw the approach as extra work rather than a better way of working",
        "involve frontline staff in the design from the start",
    ),
    Barrier.FUNDING: (
        "The grant covered set-up but not running costs",
        "secure running costs before scaling up",
    ),
    Barrier.TECHNOLOGY: (
        "The case management system could not record the new activity",
        "test the system changes before the pilot begins",
    ),
    Barrier.INFORMATION_GOVERNANCE: (
        "Data sharing agreements took months to sign",
        "start the data protection impact assessment early",
    ),
    Barrier.RISK_AVERSION: (
        "Managers hesitated to refer families with higher needs",
        "agree the risk threshold with senior leaders at the outset",
    ),
    Barrier.SKILLS: (
        "Practitioners needed more coaching than the training allowed",
        "budget for practice coaching, not only initial training",
    ),
    Barrier.PARTNERSHIP: (
        "Partners had different priorities and referral routes",
        "set up a joint steering group with clear roles",
    ),
    Barrier.DEMAND: (
        "Fewer families were eligible than the needs analysis suggested",
        "check eligibility against live data before committing",
    ),
    Barrier.POLICY: (
        "A change in national guidance altered the referral pathway",
        "build review points into the plan",
    ),
    None: (
        "Leaders gave the team room to adapt the model",
        "keep the same regular reviews with partners",
    ),
}

RATIONALES: dict[str, tuple[str, ...]] = {
    "GO": (
        "The gate criteria are met and the board agreed to proceed.",
        "The evidence so far supports moving on; partners are ready.",
        "Results are promising and funding for the next stage is in place.",
    ),
    "HOLD": (
        "Paused while funding for the next phase is confirmed.",
        "Paused during a restructure of the service.",
        "Paused until a new project lead is in post.",
    ),
    "RESUME": (
        "Funding is confirmed and work restarts.",
        "The restructure is complete and the team is ready.",
    ),
    "RECYCLE": (
        "The design needs rework before going further.",
        "The evaluation plan was not strong enough; the pilot is repeated with changes.",
    ),
    "STOP": (
        "The pilot did not show enough change to justify further investment.",
        "Demand was too low to sustain the service.",
        "Funding ended and no partner could take the work on.",
    ),
}

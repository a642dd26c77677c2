"""What projects on each theme of seeds/themes.json work on, and the outcomes they measure.

A theme not named here (a themes file with other names) gets `GENERIC_TOPIC`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """An outcome: `low`..`high` is the range of baselines; `places` the decimals shown."""

    name: str
    unit: str
    higher_is_better: bool
    low: float
    high: float
    places: int = 0


@dataclass(frozen=True)
class Topic:
    interventions: tuple[str, ...]
    problems: tuple[str, ...]
    mechanism: str
    measures: tuple[Measure, ...]


TOPICS: dict[str, Topic] = {
    "Adolescent mental health": Topic(
        (
            "Mental health practitioners in social care teams",
            "Text-based counselling for teenagers",
            "Peer support groups in secondary schools",
            "Crisis café for young people",
        ),
        (
            "Young people wait months for mental health support while things at home get worse.",
            "Social workers lack quick access to mental health advice for the teenagers they "
            "support.",
        ),
        "earlier support stops problems escalating into a crisis",
        (
            Measure("young people waiting over twelve weeks", "young people", False, 80, 400),
            Measure("average wait for a first appointment", "weeks", False, 8, 30, 1),
            Measure("young people reporting better wellbeing", "percent", True, 20, 50, 1),
        ),
    ),
    "Placement sufficiency": Topic(
        (
            "Recruiting foster carers through community champions",
            "Supported lodgings for older teenagers",
            "Fostering hubs with a linked support carer",
            "Local children's homes with a partner provider",
        ),
        (
            "Too few local foster carers means children live far from home, school and friends.",
            "Residential placements are costly and often out of area.",
        ),
        "more local homes let children stay near the people who matter to them",
        (
            Measure("children placed more than twenty miles from home", "children", False, 30, 250),
            Measure("approved foster carer households", "households", True, 60, 400),
            Measure("average weekly placement cost", "pounds a week", False, 900, 5500),
        ),
    ),
    "Adolescent safeguarding": Topic(
        (
            "Contextual safeguarding panels",
            "Detached youth work in local hotspots",
            "Return-home conversations with a trusted adult",
            "Chat service for young people missing from care",
        ),
        (
            "Young people go missing repeatedly and services learn too little about why.",
            "Risks outside the home are assessed as if they came from the family.",
        ),
        "trusted adults hear early what puts young people at risk",
        (
            Measure("missing episodes a month", "episodes", False, 20, 200),
            Measure("return-home conversations held within three days", "percent", True, 30, 70, 1),
            Measure("young people at risk of exploitation engaged", "young people", True, 10, 120),
        ),
    ),
    "Youth crime": Topic(
        (
            "Diversion scheme for first-time offenders",
            "Mentoring by trained older peers",
            "Sport-based youth programme",
            "Restorative justice conferences",
        ),
        (
            "Too many young people enter the youth justice system for a first minor offence.",
            "Reoffending stays high because support ends when an order ends.",
        ),
        "young people find a way forward before a criminal record closes doors",
        (
            Measure("first-time entrants to youth justice", "young people a year", False, 40, 400),
            Measure("reoffending within twelve months", "percent", False, 25, 45, 1),
            Measure("young people completing the programme", "young people", True, 20, 200),
        ),
    ),
    "Early help": Topic(
        (
            "Family hubs with a single front door",
            "Parenting programme in community venues",
            "Early help navigators in schools",
            "Online early help self-referral",
        ),
        (
            "Families reach help only when problems have become a crisis.",
            "Families are passed between services and tell their story many times.",
        ),
        "families get the right help early, in places they already go",
        (
            Measure("re-referrals to social care within a year", "percent", False, 15, 30, 1),
            Measure("families supported by early help", "families a quarter", True, 100, 900),
            Measure("families whose needs were met at closure", "percent", True, 40, 75, 1),
        ),
    ),
    "Edge of care": Topic(
        (
            "Intensive family support at the edge of care",
            "Family group conferencing before proceedings",
            "Short breaks for teenagers and their families",
            "Multi-systemic therapy team",
        ),
        (
            "Teenagers enter care in a crisis that earlier, intensive support could have eased.",
            "Wider family are asked to help only after proceedings have begun.",
        ),
        "families get intensive help in time to stay together safely",
        (
            Measure("children entering care", "children a quarter", False, 20, 150),
            Measure("adolescents supported to stay at home", "young people", True, 10, 80),
            Measure("families completing the programme", "percent", True, 50, 85, 1),
        ),
    ),
    "Family safeguarding": Topic(
        (
            "Multi-disciplinary family safeguarding teams",
            "Motivational interviewing training for social workers",
            "Whole-family assessments with adult services",
            "Substance misuse workers in children's teams",
        ),
        (
            "Parents' own needs go unmet, so children stay on protection plans for long periods.",
            "Adult and children's services assess the same family separately.",
        ),
        "parents get help with what puts their children at risk",
        (
            Measure("children on a child protection plan", "children", False, 100, 700),
            Measure("repeat child protection plans", "percent", False, 15, 28, 1),
            Measure("average days on a child protection plan", "days", False, 200, 450),
        ),
    ),
    "Domestic abuse": Topic(
        (
            "Domestic abuse specialists in the front door team",
            "Programme for parents who cause harm",
            "Recovery groups for children after domestic abuse",
            "Support workers in safe accommodation",
        ),
        (
            "Children who live with domestic abuse are referred again and again.",
            "Support is offered to the parent who is harmed but not to the one who harms.",
        ),
        "the harm is addressed at its source and children are helped to recover",
        (
            Measure("repeat referrals for domestic abuse", "percent", False, 20, 40, 1),
            Measure("children completing a recovery group", "children", True, 10, 150),
            Measure("parents completing a behaviour change course", "parents", True, 10, 100),
        ),
    ),
    "Adoption and permanence": Topic(
        (
            "Early permanence placements",
            "Adoption support navigators",
            "Life story work with digital tools",
            "Special guardianship support service",
        ),
        (
            "Children wait too long in temporary homes before a permanent one is found.",
            "Adoptive and kinship families struggle without support after the order.",
        ),
        "children reach a permanent home sooner and families are supported to keep it",
        (
            Measure("average days from care to adoption", "days", False, 350, 700),
            Measure("adoptive families receiving support", "families", True, 20, 200),
            Measure("special guardianship placements that break down", "percent", False, 3, 15, 1),
        ),
    ),
    "Workforce wellbeing": Topic(
        (
            "Reflective supervision groups",
            "Four-day week for social work teams",
            "Academy for newly qualified social workers",
            "Wellbeing checks for frontline staff",
        ),
        (
            "Social workers leave within a few years, and agency staff fill the gaps at a "
            "high cost.",
            "Caseloads are too high for the direct work that helps families.",
        ),
        "a stable, supported workforce builds lasting relationships with families",
        (
            Measure("social worker vacancy rate", "percent", False, 10, 30, 1),
            Measure("agency social workers", "full-time equivalents", False, 10, 120),
            Measure("staff reporting manageable caseloads", "percent", True, 30, 70, 1),
        ),
    ),
    "Data and digital": Topic(
        (
            "Dashboard forecasting early help demand",
            "Shared case record with health partners",
            "Automated court bundle preparation",
            "Digital front door for referrals",
        ),
        (
            "Practitioners spend more time on recording and re-keying than with families.",
            "Partners cannot see what each other know about a family in time to act.",
        ),
        "practitioners spend less time on systems and more with families",
        (
            Measure("hours a week on case recording", "hours per social worker", False, 10, 25, 1),
            Measure("referrals made online", "percent", True, 10, 60, 1),
            Measure("days to share information with partners", "days", False, 3, 20),
        ),
    ),
}
GENERIC_TOPIC = Topic(
    (
        "New model of practice for children's services",
        "Partnership service with the voluntary sector",
        "Redesigned front door for families",
    ),
    ("Families do not get the help they need early enough, or from the right service.",),
    "families get the right help at the right time",
    (
        Measure("families supported", "families a quarter", True, 50, 500),
        Measure("re-referrals within a year", "percent", False, 15, 30, 1),
    ),
)

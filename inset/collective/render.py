"""The digest as one HTML document: the page of the web client, and the source of the PDF.

Every text is escaped; every chart is followed by its numbers in a table. The stylesheet
is inlined so that the document stands alone (a file, a PDF, a page behind a strict
content security policy that allows exactly this style block by its hash).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

from inset.collective.charts import bar_chart, number
from inset.collective.digest import CaseStudyView, Digest, OutcomeFigures
from inset.collective.figures import Count
from inset.collective.learning import BarrierLessons, DigestLesson

STYLESHEET = (Path(__file__).resolve().parent / "digest.css").read_text(encoding="utf-8")


def money(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table whose cells are already escaped; cells that hold numbers align right."""
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{row[0]}</th>'
        + "".join(f'<td class="number">{cell}</td>' for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{header}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _figure(chart_id: str, title: str, counts: Sequence[Count], what: str) -> str:
    if not counts:
        return f'<p class="empty">{escape(title)}: none this year.</p>'
    rows = [(c.label, c.count) for c in counts]
    description = "; ".join(f"{label}: {value}" for label, value in rows)
    chart = bar_chart(chart_id=chart_id, title=title, description=description, rows=rows)
    table = _table(
        f"{title}, in numbers",
        ["", what],
        [(escape(label), number(value)) for label, value in rows],
    )
    return f"<figure><figcaption>{escape(title)}</figcaption>{chart}{table}</figure>"


def _figures(digest: Digest) -> str:
    f = digest.figures
    moved = sum(c.count for c in f.movements)
    headlines = [
        ("public projects", f.project_count),
        ("gate decisions in the year", moved),
        ("stopped", f.stopped),
        ("lessons shared in the year", f.lessons),
    ]
    items = "".join(f"<li><strong>{number(n)}</strong> {escape(t)}</li>" for t, n in headlines)
    return (
        '<section id="figures"><h2>The year in figures</h2>'
        f'<ul class="headlines">{items}</ul>'
        + _figure("stages", f"Projects by stage at the end of {f.year}", f.by_stage, "Projects")
        + _figure("movements", f"Movement through the gates in {f.year}", f.movements, "Decisions")
        + _figure("themes", "Projects by theme", f.by_theme, "Projects")
        + _figure(
            "kinds", "Projects by kind of lead organisation", f.by_organisation_kind, "Projects"
        )
        + _figure("regions", "Projects by region", f.by_region, "Projects")
        + "</section>"
    )


def _value(value: Decimal | None, unit: str) -> str:
    return "not recorded" if value is None else escape(f"{number(value)} {unit}".strip())


def _outcome_chart(chart_id: str, outcome: OutcomeFigures) -> str:
    direction = "higher is better" if outcome.higher_is_better else "lower is better"
    bars = [
        (label, max(value, Decimal(0)))
        for label, value in (
            ("Baseline", outcome.baseline),
            ("Latest", outcome.latest),
            ("Target", outcome.target),
        )
        if value is not None
    ]
    summary = (
        f"{_plain(outcome.baseline)} to {_plain(outcome.latest)} against a target of "
        f"{_plain(outcome.target)} {outcome.unit} ({direction})"
    )
    chart = bar_chart(
        chart_id=chart_id, title=outcome.name, description=summary, rows=bars, label_width=90
    )
    return f"<figure><figcaption>{escape(outcome.name)}</figcaption>{chart}</figure>"


def _outcomes(study_id: str, outcomes: Sequence[OutcomeFigures]) -> str:
    if not outcomes:
        return '<p class="empty">No outcomes recorded.</p>'
    rows = [
        (
            f"{escape(o.name)} ({'higher' if o.higher_is_better else 'lower'} is better)",
            _value(o.baseline, o.unit),
            _value(o.latest, o.unit) + (f" ({o.latest_on:%b %Y})" if o.latest_on else ""),
            _value(o.target, o.unit),
        )
        for o in outcomes
    ]
    table = _table(
        "Outcomes: baseline, latest and target",
        ["Outcome", "Baseline", "Latest", "Target"],
        rows,
    )
    charts = "".join(_outcome_chart(f"{study_id}-{i}", o) for i, o in enumerate(outcomes))
    return f'{table}<div class="charts">{charts}</div>'


def _plain(value: Decimal | None) -> str:
    return "not recorded" if value is None else number(value)


def _case_study(study: CaseStudyView) -> str:
    project, e = study.project, study.economics
    where = ", ".join(x for x in (study.organisation_kind, study.region) if x)
    themes = f" · {escape(', '.join(study.themes))}" if study.themes else ""
    outcomes = _outcomes(f"case-{study.position}-outcome", study.outcomes)
    ratio = "not yet known" if e.benefit_cost_ratio is None else f"{e.benefit_cost_ratio:.2f}"
    economics = _table(
        "Economics (after optimism bias)",
        ["", "Amount"],
        [
            ("Total cost", money(e.total_cost)),
            ("Adjusted benefit", money(e.adjusted_benefit)),
            ("Net benefit", money(e.net_benefit)),
            ("Benefit-cost ratio", ratio),
        ],
    )
    return (
        f'<article class="case-study" id="case-{study.position}">'
        f"<h3>{escape(project.title)}</h3>"
        f'<p class="meta">{escape(study.organisation)} ({escape(where)}) · '
        f"{escape(project.stage.value.capitalize())}{themes}</p>"
        f'<p class="editorial">{escape(study.summary)}</p>'
        f"<p>{escape(project.summary)}</p>"
        "<h4>Outcomes</h4>"
        f"{outcomes}"
        "<h4>Evidence and economics</h4>"
        f"<p>Evidence level {study.evidence_level} of 5: {escape(study.evidence_name)}.</p>"
        f"{economics}</article>"
    )


def _case_studies(digest: Digest) -> str:
    body = "".join(_case_study(s) for s in digest.case_studies) or (
        '<p class="empty">No case studies have been chosen for this year yet.</p>'
    )
    return f'<section id="case-studies"><h2>Case studies</h2>{body}</section>'


def _lesson(lesson: DigestLesson) -> str:
    how = "stopped" if lesson.project_status.value == "STOPPED" else "recycled"
    tags = f" · {escape(', '.join(lesson.barriers))}" if lesson.barriers else ""
    return (
        '<div class="lesson">'
        f"<h4>{escape(lesson.title)}</h4>"
        f'<p class="source">{escape(lesson.source)} · {escape(lesson.stage.capitalize())} · '
        f"{how if lesson.kind.value != 'ENABLER' else 'enabler'}{tags}</p>"
        f"<p>{escape(lesson.body)}</p></div>"
    )


def _lessons(digest: Digest) -> str:
    groups: list[BarrierLessons] = digest.lessons_by_barrier
    counts = [Count(g.barrier.capitalize(), len(g.lessons)) for g in groups]
    chart = _figure(
        "barriers", "Lessons from stopped or recycled trials, by barrier", counts, "Lessons"
    )
    body = "".join(
        f"<h3>{escape(g.barrier.capitalize())}</h3>" + "".join(_lesson(x) for x in g.lessons)
        for g in groups
    )
    enablers = "".join(_lesson(x) for x in digest.enablers) or (
        '<p class="empty">No enablers were shared this year.</p>'
    )
    return (
        '<section id="lessons"><h2>What did not work, and why</h2>'
        f"{chart}{body}</section>"
        f'<section id="enablers"><h2>What helped</h2>{enablers}</section>'
    )


def _changes(digest: Digest) -> str:
    rows = [
        (escape(c.label), number(c.before), number(c.now), f"{c.now - c.before:+,}")
        for c in digest.changes
    ]
    table = _table(
        f"{digest.year - 1} and {digest.year}",
        ["", str(digest.year - 1), str(digest.year), "Change"],
        rows,
    )
    return f'<section id="changes"><h2>What changed since {digest.year - 1}</h2>{table}</section>'


def render_html(digest: Digest, *, made_on: date, pdf_link: str | None = None) -> str:
    """The whole document. `pdf_link`: where the page offers the PDF (None in files)."""
    year = digest.year
    download = (
        f'<p class="download"><a href="{escape(pdf_link)}">Download the digest as PDF</a></p>'
        if pdf_link
        else ""
    )
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>The Collective {year}</title><style>{STYLESHEET}</style></head><body>"
        '<header class="masthead"><p class="home"><a href="/">Inset</a></p>'
        f"<h1>The Collective {year}</h1>"
        '<p class="lede">What projects across the sector tried this year, what worked, and '
        "what others can learn from what did not: made only from what anyone may read.</p>"
        f"{download}</header><main>"
        + _figures(digest)
        + _case_studies(digest)
        + _lessons(digest)
        + _changes(digest)
        + f"</main><footer><p>Made on {made_on:%d %B %Y} from the records members publish "
        "in Inset. Lessons marked as anonymised name only the kind and region of the "
        "organisation.</p></footer></body></html>"
    )

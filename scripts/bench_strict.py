"""Strict floors: each read the benchmark times, as ONE SQL statement that builds the whole
JSON response in the database (json_build_object/json_agg on PostgreSQL, json_object/
json_group_array on SQLite). The benchmark's server (scripts/bench_server.py) returns the
statement's text as the response body, untouched; the benchmark checks that it parses to
the same `data` as the API's answer before it times anything.

The statements apply the viewer's visibility rule (DESIGN.md section 6): the anonymous
reader's (live PUBLIC projects) for the pages, the project by id and the organisations'
projects; for the library search, the anonymous reader's or STAFF's (every live lesson of a
live project), as the request being compared.

Economics: `page_economics` reads the figures stored on write (`project_economics`, on
the basis of the server's optimism bias), as a read that joins them would;
`page_economics_from_lines` works them out in the statement as `inset.economics.calc`
does, from the live lines, as the API's reference path does in Python: pence and basis
points in integers, so total cost, adjusted benefit, net benefit, the benefit-cost ratio
and fiscal ROI are exact on both databases. Present value and
payback divide by 1.035 ** t and by a line's months: on PostgreSQL in NUMERIC with 40
decimal places (present value exact to the penny unless it falls within 10 ** -25 of a
half penny; payback counts a month's sum 10 ** -25 of a penny short of the cost as
reaching it, where a real shortfall, a fraction over the lines' month counts, is far
larger); on SQLite, which has no decimal type, in double precision (and 10 ** -4 of a
penny), so there they are exact only as far as the check against the API shows on the
data measured.
"""

# Every statement here is made of this module's constants; values arrive as parameters.
# ruff: noqa: S608

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from inset.graphql.compiled.global_ids import base64_of_key
from inset.lessons.search import fts5_query

# The Green Book's discount bands (inset.economics.calc.DISCOUNT_SCHEDULE): the last year of
# each band and its rate; after the last band, 1%.
_BANDS = ((30, "1.035"), (75, "1.030"), (125, "1.025"), (200, "1.020"), (300, "1.015"))
_LAST_RATE = "1.010"
_PUBLIC = "'PUBLIC'"


class Dialect:
    """The SQL that differs between SQLite and PostgreSQL."""

    def __init__(self, name: str) -> None:
        if name not in ("sqlite", "postgresql"):
            raise ValueError(f"no strict floor for {name!r}")
        self.name = name
        self.pg = name == "postgresql"

    # JSON
    def obj(self, **fields: str) -> str:
        pairs = ", ".join(f"'{key}', {value}" for key, value in fields.items())
        return f"json_build_object({pairs})" if self.pg else f"json_object({pairs})"

    def nested(self, subquery: str) -> str:
        """A scalar subquery that returns JSON, kept JSON inside the enclosing object
        (SQLite forgets that a value is JSON when it leaves a subquery)."""
        return f"({subquery})" if self.pg else f"json(({subquery}))"

    def agg(self, value: str, order: str) -> str:
        """An array of `value` in `order`, [] for no rows. On SQLite the rows must come
        in that order from the FROM clause (its aggregate takes them as they come)."""
        if self.pg:
            return f"coalesce(json_agg({value} ORDER BY {order}), CAST('[]' AS json))"
        return f"json_group_array({value})"

    def row(self, column: str) -> str:
        """A JSON column of a subquery's row, as JSON (see `nested`)."""
        return column if self.pg else f"json({column})"

    def document(self, data: str) -> str:
        body = self.obj(data=data)
        return f"CAST({body} AS text)" if self.pg else body

    @property
    def then_join(self) -> str:
        """A join taken in the order written: SQLite's planner would otherwise scan a
        whole table to look its rows up in the page's hundred."""
        return "JOIN" if self.pg else "CROSS JOIN"

    # values
    def gid(self, type_name: str, column: str) -> str:
        """`inset.ids.to_global_id(type_name, column)`: base64url of "Type:pk", unpadded."""
        if self.pg:
            raw = f"encode(convert_to('{type_name}:' || {column}, 'UTF8'), 'base64')"
            return f"translate(rtrim({raw}, '='), '+/', '-_')"
        return base64_of_key(type_name, column)

    def money(self, pence: str) -> str:
        """Pounds with two decimal places, as text: 1250 -> "12.50", -5 -> "-0.05"."""
        if self.pg:
            return f"CAST(CAST({pence} AS numeric) * 0.01 AS text)"
        return (
            f"(CASE WHEN {pence} < 0 THEN '-' ELSE '' END || (abs({pence}) / 100) || '.' "
            f"|| substr('0' || (abs({pence}) % 100), -2))"
        )

    def pounds(self, stored: str) -> str:
        """A stored amount of pounds (NUMERIC on PostgreSQL, the Decimal's text on SQLite),
        whole pence, with two decimal places as text."""
        if self.pg:
            return f"CAST(CAST({stored} AS numeric(18, 2)) AS text)"
        return (
            f"(CASE WHEN instr({stored}, '.') = 0 THEN {stored} || '.00' "
            f"ELSE substr({stored} || '00', 1, instr({stored}, '.') + 2) END)"
        )

    def ratio(self, numerator: str, denominator: str) -> str:
        """numerator / denominator rounded half up (away from zero) to 2 places, in whole
        integers; null when the denominator is 0."""
        sign = f"(CASE WHEN {numerator} < 0 THEN -1 ELSE 1 END)"
        if self.pg:
            rounded = f"div(200 * abs({numerator}) + {denominator}, 2 * {denominator})"
            value = f"CAST({sign} * {rounded} AS numeric) / 100"
        else:
            rounded = f"((200 * abs({numerator}) + {denominator}) / (2 * {denominator}))"
            value = f"{sign} * {rounded} / 100.0"
        return f"(CASE WHEN {denominator} = 0 THEN NULL ELSE {value} END)"

    def year(self, day: str) -> str:
        return (
            f"CAST(extract(year FROM {day}) AS integer)"
            if self.pg
            else f"CAST(substr({day}, 1, 4) AS integer)"
        )

    def month(self, day: str) -> str:
        return (
            f"CAST(extract(month FROM {day}) AS integer)"
            if self.pg
            else f"CAST(substr({day}, 6, 2) AS integer)"
        )

    def exact(self, value: str) -> str:
        """A number to divide exactly (PostgreSQL: 40 decimal places) or in floating point."""
        return f"CAST({value} AS numeric(80, 40))" if self.pg else f"CAST({value} AS REAL)"

    def power(self, base: str, exponent: str) -> str:
        if self.pg:
            return f"power(CAST({base} AS numeric(50, 40)), {exponent})"
        return f"pow({base}, {exponent})"

    def greatest(self, *values: str) -> str:
        return f"{'greatest' if self.pg else 'max'}({', '.join(values)})"

    def least(self, *values: str) -> str:
        return f"{'least' if self.pg else 'min'}({', '.join(values)})"

    def idiv(self, a: str, b: str) -> str:
        """Integer division of non-negative integers."""
        return f"div({a}, {b})" if self.pg else f"(({a}) / ({b}))"

    def round_pence(self, value: str) -> str:
        """A non-negative amount of pence rounded half up to a whole penny."""
        return f"CAST(round({value}) AS bigint)" if self.pg else f"CAST(round({value}) AS INTEGER)"

    def close_enough(self) -> str:
        """How far below a cost a sum of month shares may come out and still meet it: what
        the division's rounding may take off, far less than any real shortfall."""
        return "0.0000000000000000000000001" if self.pg else "0.0001"

    def param(self, sql: str) -> str:
        """`:name` parameters in the DB-API's style (psycopg's is %(name)s)."""
        if not self.pg:
            return sql
        if "%" in sql:
            raise ValueError("a percent sign in PostgreSQL SQL would be read as a parameter")
        return re.sub(r"(?<![:\w]):([a-z_]+)", r"%(\1)s", sql)


# What the anonymous reader reads of project `p` (inset.access.live_project).
READABLE = f"p.archived_at IS NULL AND p.visibility = {_PUBLIC}"


def _project_node(d: Dialect, p: str, o: str) -> dict[str, str]:
    """The fields of a project with lead organisation, partners and themes, for project
    row `p` joined to its lead organisation `o`."""
    partner = d.obj(id=d.gid("Organisation", "x.id"), name="x.name", kind="x.kind")
    partners = (
        f"SELECT {d.agg(partner, 'x.id')} "
        f"FROM (SELECT po.id, po.name, po.kind FROM project_partner pp "
        f"JOIN organisation po ON po.id = pp.organisation_id WHERE pp.project_id = {p}.id "
        f"ORDER BY po.id) x"
    )
    themes = (
        f"SELECT {d.agg(d.obj(id=d.gid('Theme', 'x.id'), name='x.name'), 'x.id')} "
        f"FROM (SELECT t.id, t.name FROM project_theme pt JOIN theme t ON t.id = pt.theme_id "
        f"WHERE pt.project_id = {p}.id ORDER BY t.id) x"
    )
    return {
        "id": d.gid("Project", f"{p}.id"),
        "title": f"{p}.title",
        "stage": f"{p}.stage",
        "status": f"{p}.status",
        "evidenceLevel": f"{p}.evidence_level",
        "leadOrganisation": d.obj(
            id=d.gid("Organisation", f"{o}.id"),
            name=f"{o}.name",
            kind=f"{o}.kind",
            region=f"{o}.region",
        ),
        "partners": d.nested(partners),
        "themes": d.nested(themes),
    }


def page_sql(d: Dialect, *, economics: str | None, bias: Sequence[int]) -> str:
    """`projects(first: :first, orderBy: UPDATED_AT DESC)` with totalCount, lead
    organisation, partners, themes, evidence level and, with `economics`, the economics
    figures: worked out from the lines ("lines") or read from the figures stored on write
    ("stored", `project_economics`, on the basis of the same bias); `bias`: the optimism
    bias of grades 1..6 in basis points."""
    node = _project_node(d, "p", "o")
    ctes = [
        "page AS MATERIALIZED (SELECT p.id, p.title, p.stage, p.status, p.evidence_level, "
        "p.started_on, p.lead_organisation_id, p.updated_at FROM project p "
        f"WHERE {READABLE} ORDER BY p.updated_at DESC, p.id DESC LIMIT :first)"
    ]
    joins = ""
    if economics == "lines":
        ctes += _economics_ctes(d, bias)
        joins = "LEFT JOIN figures e ON e.id = p.id "
        node["economics"] = d.obj(
            totalCost=d.obj(amount=d.money("e.tc")),
            adjustedBenefit=d.obj(amount=d.money("e.ab")),
            netBenefit=d.obj(amount=d.money("e.ab - e.tc")),
            benefitCostRatio=d.ratio("e.ab", "e.tc"),
            fiscalRoi=d.ratio("(e.af - e.tc)", "e.tc"),
            paybackMonths="e.payback",
            presentValueBenefit=d.obj(amount=d.money("e.pv")),
        )
    elif economics == "stored":
        from inset.economics.stored import basis_of

        basis = basis_of([Decimal(b).scaleb(-4) for b in bias]).replace("'", "''")
        joins = f"LEFT JOIN project_economics e ON e.project_id = p.id AND e.basis = '{basis}' "
        node["economics"] = d.obj(
            totalCost=d.obj(amount=d.pounds("e.total_cost")),
            adjustedBenefit=d.obj(amount=d.pounds("e.adjusted_benefit")),
            netBenefit=d.obj(amount=d.pounds("e.net_benefit")),
            benefitCostRatio="e.benefit_cost_ratio",
            fiscalRoi="e.fiscal_roi",
            paybackMonths="e.payback_months",
            presentValueBenefit=d.obj(amount=d.pounds("e.present_value_benefit")),
        )
    elif economics is not None:
        raise ValueError(f"economics from {economics!r}: lines or stored")
    rows = (
        f"SELECT p.id, p.updated_at, {d.obj(**node)} AS node FROM page p "
        f"JOIN organisation o ON o.id = p.lead_organisation_id {joins}"
        "ORDER BY p.updated_at DESC, p.id DESC"
    )
    nodes = f"SELECT {d.agg(d.row('x.node'), 'x.updated_at DESC, x.id DESC')} FROM ({rows}) x"
    projects = d.obj(
        totalCount=f"(SELECT count(*) FROM project p WHERE {READABLE})",
        nodes=d.nested(nodes),
    )
    body = d.document(d.obj(projects=projects))
    return d.param(f"WITH RECURSIVE {', '.join(ctes)} SELECT {body}")


def _economics_ctes(d: Dialect, bias: Sequence[int]) -> list[str]:
    """Per project of `page`: tc (total cost), ab (adjusted benefit), af (its fiscal part),
    pv (present value) in pence, and payback (months, or null), as inset.economics.calc."""

    def grade(column: str) -> str:
        whens = " ".join(f"WHEN {g} THEN {b}" for g, b in enumerate(bias[:5], start=1))
        return f"(CASE {column} {whens} ELSE {bias[5]} END)"

    def month_number(day: str) -> str:
        return (
            f"(({d.year(day)} - {d.year('pg.started_on')}) * 12 + "
            f"{d.month(day)} - {d.month('pg.started_on')} + 1)"
        )

    # A benefit line's adjusted amount: round_half_up(a x f / 10^12), f the product of
    # (1 - deadweight), attribution and (1 - bias), each in basis points.
    if d.pg:
        adjusted = "div(CAST(b.a AS numeric) * b.f + 500000000000, 1000000000000)"
    else:  # 64-bit integers: the product split at 10^6 (a < 10^12 pence, f <= 10^12)
        adjusted = (
            "(b.a / 1000000) * (b.f / 1000000) + (((b.a / 1000000) * (b.f % 1000000) "
            "+ (b.a % 1000000) * (b.f / 1000000)) * 1000000 + (b.a % 1000000) * (b.f % 1000000) "
            "+ 500000000000) / 1000000000000"
        )
    both = "b.period_start IS NOT NULL AND b.period_end IS NOT NULL"
    first = (
        f"(CASE WHEN b.period_start IS NOT NULL THEN {month_number('b.period_start')} ELSE 1 END)"
    )
    months = (
        f"(CASE WHEN {both} THEN ({d.year('b.period_end')} - {d.year('b.period_start')}) * 12 "
        f"+ {d.month('b.period_end')} - {d.month('b.period_start')} + 1 ELSE 1 END)"
    )
    keep = d.greatest(f"10000 - {grade('bn.confidence')}", "0")
    # Year y's discount factor: 1 / (1.035^min(y, 30) x 1.03^(years of y in 31..75) x ...).
    divisor, start = [], 1
    for last, rate in _BANDS:
        years = d.least(d.greatest(f"y.y - {start - 1}", "0"), str(last - start + 1))
        divisor.append(d.power(rate, years))
        start = last + 1
    divisor.append(d.power(_LAST_RATE, d.greatest(f"y.y - {start - 1}", "0")))
    factor = f"{d.exact('1')} / ({' * '.join(divisor)})"
    # Months of line l in year y (year 0 also holds the months before the start).
    in_year = (
        f"({d.least('l.last', '12 * y.y + 12')} - "
        f"(CASE WHEN y.y = 0 THEN l.first ELSE {d.greatest('l.first', '12 * y.y + 1')} END) + 1)"
    )
    share = f"{d.least(d.greatest('m.m - l.first + 1', '0'), 'l.n')}"
    present_value = f"{d.exact('l.adj')} * sum({in_year} * y.factor) / l.n"
    return [
        f"costs AS (SELECT c.project_id, sum((c.amount_pence * (10000 + {grade('c.confidence')}) "
        f"+ 5000) / 10000) AS tc FROM page pg {d.then_join} cost c ON c.project_id = pg.id "
        "WHERE c.archived_at IS NULL GROUP BY c.project_id)",
        # Monetised live benefits, each with its month numbers (month 1 = the start's).
        "raw AS (SELECT bn.id, bn.project_id, bn.kind, bn.period_start, bn.period_end, "
        "bn.amount_pence AS a, "
        f"CAST(10000 - bn.deadweight_bp AS bigint) * bn.attribution_bp * {keep} AS f, "
        f"pg.started_on FROM page pg {d.then_join} benefit bn ON bn.project_id = pg.id "
        "WHERE bn.archived_at IS NULL AND bn.amount_pence IS NOT NULL)",
        f"lines AS MATERIALIZED (SELECT x.*, x.first + x.n - 1 AS last, "
        f"{d.idiv(d.greatest('x.first - 1', '0'), '12')} AS fy, "
        f"{d.idiv(d.greatest('x.first + x.n - 2', '0'), '12')} AS ly FROM ("
        f"SELECT b.id, b.project_id, b.kind, {adjusted} AS adj, "
        f"{first.replace('pg.started_on', 'b.started_on')} AS first, {months} AS n FROM raw b) x)",
        "years AS (SELECT 0 AS y UNION ALL SELECT y + 1 FROM years "
        "WHERE y < (SELECT coalesce(max(ly), 0) FROM lines))",
        f"discount AS MATERIALIZED (SELECT y.y, {factor} AS factor FROM years y)",
        # Each line's present value, rounded to the penny before lines are added.
        "valued AS MATERIALIZED (SELECT l.id, l.project_id, l.kind, l.adj, l.last, "
        f"{d.round_pence(present_value)} AS pv "
        "FROM lines l JOIN discount y ON y.y BETWEEN l.fy AND l.ly "
        "GROUP BY l.id, l.project_id, l.kind, l.adj, l.n, l.last)",
        "benefits AS (SELECT project_id, sum(adj) AS ab, "
        "sum(CASE WHEN kind = 'FISCAL' THEN adj ELSE 0 END) AS af, "
        "max(CASE WHEN kind = 'FISCAL' THEN last END) AS fiscal_last, sum(pv) AS pv "
        "FROM valued GROUP BY project_id)",
        "totals AS MATERIALIZED (SELECT pg.id, coalesce(c.tc, 0) AS tc, coalesce(b.ab, 0) AS ab, "
        "coalesce(b.af, 0) AS af, b.fiscal_last, coalesce(b.pv, 0) AS pv "
        "FROM page pg LEFT JOIN costs c ON c.project_id = pg.id "
        "LEFT JOIN benefits b ON b.project_id = pg.id)",
        # Payback: the first month by whose end the fiscal lines, each spread evenly over
        # its months (months before the start count in month 1), reach the total cost;
        # only where fiscal benefits exceed it.
        "months AS MATERIALIZED (SELECT 1 AS m UNION ALL SELECT m + 1 FROM months WHERE m < "
        "(SELECT max(last) FROM lines WHERE kind = 'FISCAL'))",
        "reached AS (SELECT t.id, min(t.m) AS payback FROM ("
        f"SELECT e.id, m.m, e.tc FROM totals e JOIN lines l ON l.project_id = e.id "
        "AND l.kind = 'FISCAL' JOIN months m ON m.m <= e.fiscal_last OR m.m = 1 "
        "WHERE e.fiscal_last IS NOT NULL AND e.af > e.tc "
        f"GROUP BY e.id, m.m, e.tc HAVING sum({d.exact('l.adj')} * {share} / l.n) "
        f">= e.tc - {d.close_enough()}) t GROUP BY t.id)",
        "figures AS MATERIALIZED (SELECT t.*, r.payback FROM totals t "
        "LEFT JOIN reached r ON r.id = t.id)",
    ]


def project_sql(d: Dialect) -> str:
    """`node(id: :id) { ... on Project }` with relations, for the anonymous reader: null
    when the project is not one they may read."""
    node = _project_node(d, "p", "o")
    one = (
        f"SELECT {d.obj(**node)} FROM project p JOIN organisation o "
        f"ON o.id = p.lead_organisation_id WHERE p.id = :id AND {READABLE}"
    )
    return d.param(f"SELECT {d.document(d.obj(node=d.nested(one)))}")


def organisations_sql(d: Dialect) -> str:
    """`organisations(first: :first)` by name, each with `projects(first: :projects)`, the
    projects it leads that the anonymous reader may read, newest first, and their count."""
    project = d.obj(
        id=d.gid("Project", "x.id"), title="x.title", stage="x.stage", status="x.status"
    )
    projects = (
        f"SELECT {d.agg(project, 'x.created_at DESC, x.id DESC')} "
        "FROM (SELECT p.id, p.title, p.stage, p.status, p.created_at FROM project p "
        f"WHERE p.lead_organisation_id = o.id AND {READABLE} "
        "ORDER BY p.created_at DESC, p.id DESC LIMIT :projects) x"
    )
    node = d.obj(
        id=d.gid("Organisation", "o.id"),
        name="o.name",
        kind="o.kind",
        region="o.region",
        projects=d.obj(
            totalCount=(
                f"(SELECT count(*) FROM project p WHERE p.lead_organisation_id = o.id "
                f"AND {READABLE})"
            ),
            nodes=d.nested(projects),
        ),
    )
    rows = (
        f"SELECT o.id, o.name, {node} AS node FROM (SELECT * FROM organisation "
        "ORDER BY name, id LIMIT :first) o ORDER BY o.name, o.id"
    )
    nodes = f"SELECT {d.agg(d.row('x.node'), 'x.name, x.id')} FROM ({rows}) x"
    organisations = d.obj(totalCount="(SELECT count(*) FROM organisation)", nodes=d.nested(nodes))
    return d.param(f"SELECT {d.document(d.obj(organisations=organisations))}")


def search_sql(d: Dialect, *, staff: bool) -> str:
    """`lessons(search: :q, first: 20) { nodes { id title kind stage } }`, best first,
    as STAFF (every live lesson of a live project) or as the anonymous reader (also only
    where the project or the lesson is PUBLIC)."""
    rule = "l.archived_at IS NULL AND p.archived_at IS NULL"
    if not staff:
        rule += f" AND (p.visibility = {_PUBLIC} OR l.shared_with = {_PUBLIC})"
    if d.pg:
        hits = (
            "SELECT l.id, l.title, l.kind, l.stage, "
            "ts_rank_cd('{0.1, 0.2, 0.2, 1.0}', l.search_vector, q) AS rank "
            "FROM lesson l JOIN project p ON p.id = l.project_id, "
            "websearch_to_tsquery('english', :q) AS q "
            f"WHERE l.search_vector @@ q AND {rule} ORDER BY rank DESC, l.id DESC LIMIT 20"
        )
    else:
        hits = (
            "SELECT l.id, l.title, l.kind, l.stage, h.rank FROM ("
            "SELECT rowid AS id, -bm25(lesson_search, 5.0, 1.0) AS rank FROM lesson_search "
            "WHERE lesson_search MATCH :q) h JOIN lesson l ON l.id = h.id "
            f"JOIN project p ON p.id = l.project_id WHERE {rule} "
            "ORDER BY h.rank DESC, h.id DESC LIMIT 20"
        )
    node = d.obj(id=d.gid("Lesson", "x.id"), title="x.title", kind="x.kind", stage="x.stage")
    nodes = f"SELECT {d.agg(node, 'x.rank DESC, x.id DESC')} FROM ({hits}) x"
    return d.param(f"SELECT {d.document(d.obj(lessons=d.obj(nodes=d.nested(nodes))))}")


class Floors:
    """The statements for one database. On PostgreSQL they run on an engine of their own:
    no ping before a statement and no transaction around it (one statement is its own)."""

    def __init__(self, url: str, bias: Sequence[int], app_engine: sa.Engine | None = None) -> None:
        from inset.db import create_db_engine, normalise_url

        url = normalise_url(url)
        if url.startswith("sqlite"):
            # No round trip to save: the app's own connections (and their page caches).
            self.engine = app_engine or create_db_engine(url)
        else:
            self.engine = sa.create_engine(
                url,
                pool_size=20,
                max_overflow=10,
                isolation_level="AUTOCOMMIT",
                connect_args={"options": "-c jit=off"},
            )
        d = Dialect(self.engine.dialect.name)
        self.dialect = d
        self.sql = {
            "page": page_sql(d, economics=None, bias=bias),
            "page_economics": page_sql(d, economics="stored", bias=bias),
            "page_economics_from_lines": page_sql(d, economics="lines", bias=bias),
            "project": project_sql(d),
            "organisations": organisations_sql(d),
            "search": search_sql(d, staff=False),
            "search_staff": search_sql(d, staff=True),
        }

    def run(self, name: str, params: dict[str, Any]) -> bytes:
        """The statement's one value, the response document, as bytes."""
        if name.startswith("search") and self.dialect.name == "sqlite":
            params = {**params, "q": fts5_query(params["q"])}  # as the API quotes it
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self.sql[name], params)
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()
        if row is None or row[0] is None:
            raise RuntimeError(f"the {name} floor returned nothing")
        text: str = row[0]
        return text.encode()

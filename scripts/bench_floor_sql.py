"""The portfolio floor's hand-written SQL (scripts/bench_floor.py), for SQLite and PostgreSQL.

Enums are stored by name; money in pence and shares in basis points, so every money figure
is integer arithmetic: a line rounded half up to the penny, then summed. :b1 .. :b6 are the
optimism bias of confidence grades 1..6 in basis points.
"""

from __future__ import annotations

_STAGE_ORDER = "CASE {0} WHEN 'IDEA' THEN 0 WHEN 'PILOT' THEN 1 WHEN 'EVALUATION' THEN 2 ELSE 3 END"
_BIAS = (
    "CASE {0} WHEN 1 THEN :b1 WHEN 2 THEN :b2 WHEN 3 THEN :b3 WHEN 4 THEN :b4 "
    "WHEN 5 THEN :b5 ELSE :b6 END"
)
# Whole days from one timestamp to another, rounded down.
_DAYS = {
    "sqlite": "(CAST(ROUND((julianday({1}) - julianday({0})) * 86400000) AS INTEGER) / 86400000)",
    "postgresql": "CAST(FLOOR(EXTRACT(EPOCH FROM ({1}) - ({0})) / 86400) AS INTEGER)",
}
# round_half_up(amount x factor / 10^12): SQLite has only 64-bit integers, so the product
# is split at 10^6 (amount < 10^12 pence, factor <= 10^12); PostgreSQL has NUMERIC.
_ADJUSTED_BENEFIT = {
    "sqlite": "(a / 1000000) * (f / 1000000) + (((a / 1000000) * (f % 1000000) "
    "+ (a % 1000000) * (f / 1000000)) * 1000000 + (a % 1000000) * (f % 1000000) "
    "+ 500000000000) / 1000000000000",
    "postgresql": "round(CAST(a AS NUMERIC) * f / 1000000000000)",
}

_COMMON = {
    "counts": """
        SELECT stage, status, evidence_level, count(*) FROM project
        WHERE archived_at IS NULL GROUP BY stage, status, evidence_level
    """,
    "themes": """
        SELECT t.id, t.name, count(*) FROM project p
        LEFT JOIN project_theme pt ON pt.project_id = p.id
        LEFT JOIN theme t ON t.id = pt.theme_id
        WHERE p.archived_at IS NULL GROUP BY t.id, t.name
    """,
    "leads": """
        SELECT o.kind, o.region, count(*) FROM project p
        JOIN organisation o ON o.id = p.lead_organisation_id
        WHERE p.archived_at IS NULL GROUP BY o.kind, o.region
    """,
    # How many projects reached each stage; then per gate out of IDEA, PILOT, EVALUATION,
    # of those that reached it and not the next: stopped there, back at an earlier stage,
    # on hold there, active there (being there, they reached it); and apart, recycled from
    # there at least once.
    "conversion": f"""
        WITH h AS (
            SELECT project_id,
                max({_STAGE_ORDER.format("to_stage")}) AS far_to,
                max({_STAGE_ORDER.format("from_stage")}) AS far_from,
                max(CASE WHEN decision = 'RECYCLE' AND from_stage = 'IDEA' THEN 1 ELSE 0 END) AS r0,
                max(CASE WHEN decision = 'RECYCLE' AND from_stage = 'PILOT' THEN 1 ELSE 0 END)
                    AS r1,
                max(CASE WHEN decision = 'RECYCLE' AND from_stage = 'EVALUATION' THEN 1 ELSE 0 END)
                    AS r2
            FROM gate_decision GROUP BY project_id
        ), q AS (
            SELECT p.stage, p.status, {_STAGE_ORDER.format("p.stage")} AS cur,
                coalesce(h.far_to, -1) AS far_to, coalesce(h.far_from, -1) AS far_from,
                h.r0, h.r1, h.r2
            FROM project p LEFT JOIN h ON h.project_id = p.id
            WHERE p.archived_at IS NULL
        ), p AS (
            SELECT q.*,
                CASE WHEN cur >= 1 OR far_to >= 1 OR far_from >= 1 THEN 1 ELSE 0 END AS at1,
                CASE WHEN cur >= 2 OR far_to >= 2 OR far_from >= 2 THEN 1 ELSE 0 END AS at2,
                CASE WHEN cur >= 3 OR far_to >= 3 OR far_from >= 3 THEN 1 ELSE 0 END AS at3
            FROM q
        )
        SELECT
            count(*), sum(at1), sum(at2), sum(at3),
            sum(CASE WHEN at1 = 0 AND stage = 'IDEA' AND status = 'STOPPED'
                THEN 1 ELSE 0 END),
            sum(CASE WHEN at1 = 0 AND cur < 0 THEN 1 ELSE 0 END),
            sum(CASE WHEN at1 = 0 AND stage = 'IDEA' AND status = 'ON_HOLD'
                THEN 1 ELSE 0 END),
            sum(CASE WHEN at1 = 0 AND stage = 'IDEA' AND status = 'ACTIVE'
                THEN 1 ELSE 0 END),
            sum(coalesce(r0, 0)),
            sum(CASE WHEN at2 = 0 AND stage = 'PILOT' AND status = 'STOPPED'
                THEN 1 ELSE 0 END),
            sum(CASE WHEN at1 = 1 AND at2 = 0 AND cur < 1 THEN 1 ELSE 0 END),
            sum(CASE WHEN at2 = 0 AND stage = 'PILOT' AND status = 'ON_HOLD'
                THEN 1 ELSE 0 END),
            sum(CASE WHEN at2 = 0 AND stage = 'PILOT' AND status = 'ACTIVE'
                THEN 1 ELSE 0 END),
            sum(coalesce(r1, 0)),
            sum(CASE WHEN at3 = 0 AND stage = 'EVALUATION' AND status = 'STOPPED'
                THEN 1 ELSE 0 END),
            sum(CASE WHEN at2 = 1 AND at3 = 0 AND cur < 2 THEN 1 ELSE 0 END),
            sum(CASE WHEN at3 = 0 AND stage = 'EVALUATION' AND status = 'ON_HOLD'
                THEN 1 ELSE 0 END),
            sum(CASE WHEN at3 = 0 AND stage = 'EVALUATION' AND status = 'ACTIVE'
                THEN 1 ELSE 0 END),
            sum(coalesce(r2, 0))
        FROM p
    """,  # noqa: S608 - made of this module's constants only
    # Stays by length: a completed stay ends with a GO, RECYCLE or STOP and began with the
    # one before it (or the project's creation); an open one runs from stage_entered_at.
    "stays": """
        WITH moves AS (
            SELECT d.from_stage AS stage, d.decided_at AS ended, p.created_at,
                lag(d.decided_at) OVER (PARTITION BY d.project_id ORDER BY d.decided_at, d.id)
                    AS started
            FROM gate_decision d JOIN project p ON p.id = d.project_id
            WHERE p.archived_at IS NULL AND d.decision IN ('GO', 'RECYCLE', 'STOP')
        ), stays AS (
            SELECT 0 AS is_open, stage, {days_moved} AS days FROM moves
            UNION ALL
            SELECT 1, stage, {days_open} FROM project
            WHERE archived_at IS NULL AND status IN ('ACTIVE', 'ON_HOLD')
        )
        SELECT is_open, stage, days, count(*) FROM stays
        GROUP BY is_open, stage, days ORDER BY is_open, stage, days
    """,
    "money": f"""
        SELECT cs.gross, cs.adjusted, bs.gross, bs.adjusted FROM (
            SELECT coalesce(sum(c.amount_pence), 0) AS gross,
                coalesce(sum((c.amount_pence * (10000 + {_BIAS.format("c.confidence")})
                    + 5000) / 10000), 0) AS adjusted
            FROM cost c JOIN project p ON p.id = c.project_id
            WHERE p.archived_at IS NULL AND c.archived_at IS NULL
        ) cs, (
            SELECT coalesce(sum(a), 0) AS gross, coalesce(sum({{adjusted}}), 0) AS adjusted
            FROM (
                SELECT b.amount_pence AS a, CAST(10000 - b.deadweight_bp AS BIGINT)
                    * b.attribution_bp * (10000 - {_BIAS.format("b.confidence")}) AS f
                FROM benefit b JOIN project p ON p.id = b.project_id
                WHERE p.archived_at IS NULL AND b.archived_at IS NULL
            ) line
        ) bs
    """,  # noqa: S608 - made of this module's constants only
    "stalled": """
        SELECT id, title FROM project
        WHERE archived_at IS NULL AND status = 'ACTIVE' AND stage <> 'SCALE'
            AND last_decision_at <= :stalled_before
        ORDER BY last_decision_at, id LIMIT 10
    """,
    "stalled_count": """
        SELECT count(*) FROM project
        WHERE archived_at IS NULL AND status = 'ACTIVE' AND stage <> 'SCALE'
            AND last_decision_at <= :stalled_before
    """,
    "barriers": """
        SELECT lb.barrier, count(*) AS n FROM lesson_barrier lb
        JOIN lesson l ON l.id = lb.lesson_id JOIN project p ON p.id = l.project_id
        WHERE l.archived_at IS NULL AND p.archived_at IS NULL
            AND l.kind IN ('BARRIER', 'WHAT_DID_NOT_WORK')
        GROUP BY lb.barrier ORDER BY n DESC, lb.barrier LIMIT 10
    """,
}


def _for(dialect: str) -> dict[str, str]:
    days = _DAYS[dialect]
    sql = dict(_COMMON)
    sql["stays"] = sql["stays"].format(
        days_moved=days.format("coalesce(started, created_at)", "ended"),
        days_open=days.format("stage_entered_at", ":now"),
    )
    sql["money"] = sql["money"].replace("{adjusted}", _ADJUSTED_BENEFIT[dialect])
    return sql


PORTFOLIO_SQL = {dialect: _for(dialect) for dialect in _DAYS}

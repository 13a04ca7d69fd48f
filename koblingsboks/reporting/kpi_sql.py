# ruff: noqa: S608 - the SQL is built from constant fragments; every value is a bound parameter
"""The KPI figures as SQL aggregates, on PostgreSQL and SQLite alike.

One statement computes, for every (year, company) pair in a scope, the facts the figures
need (affiliated, founded year, turnover this year, last year and at baseline, value
creation, employees), and then either aggregates them by year and admission cohort
(``kpi_rows``) or returns them per company for the drill-down (``kpi_company_rows``).
Both read the same common table expressions, so a figure and the list of companies behind
it can never disagree.

This module reads affiliations of every organisation in the scope with plain SQL, below
the organisation scope: it returns counts and sums only (``kpi_rows``), or — for the
drill-down — company ids and public register facts that the caller has checked the viewer
may see (see ``selectors.py``). It never reads phase, advisor, notes or hours.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from koblingsboks.reporting.definitions import (
    BASELINE_FIRST_FROM_ADMISSION,
    BASELINE_YEAR_BEFORE,
    KpiDefinitions,
    Scope,
)

CENT = Decimal("0.01")


def _year_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    # SQLite stores dates as ISO text (YYYY-MM-DD).
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


def _in(values) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


# PostgreSQL: one pass over the accounts of the scope's companies. The companies come
# straight from the affiliation table (not from a CTE, so the planner knows how many there
# are and hashes them), their accounts from the year before admission on are read in one
# scan, sorted once: the latest period of each year (DISTINCT ON), the baseline row (a
# running count in the same order) and the rows each (year, company) needs picked by
# filtered aggregates — no index probe per company and figure.
_PG_LOOKUPS = """madm AS (
    SELECT {grp} AS grp, a.company_id, MIN({start_year}) AS ay
    FROM companies_affiliation a
    WHERE a.kind IN {kinds} {organisation_filter}
    GROUP BY 1, a.company_id
    HAVING bool_or({start_year} <= %s AND (a.end_date IS NULL OR {end_year} >= %s))
),
acc AS (
    SELECT DISTINCT ON (k.company_id, m.grp, k.year)
           m.grp, m.ay, k.company_id, k.year, k.turnover, k.currency, k.employees,
           k.operating_result + k.personnel_costs AS vc,
           CASE WHEN k.source = 'self_reported' THEN 1 ELSE 0 END AS sr
    FROM madm m JOIN companies_keyfigures k ON k.company_id = m.company_id
    WHERE k.account_type = 'company' AND k.year >= m.ay - 1 AND k.year <= %s {src}
    ORDER BY k.company_id, m.grp, k.year, k.period_end DESC
),
marked AS (
    SELECT k.*,
           CASE WHEN {baseline_condition} AND SUM(CASE WHEN {baseline_condition} THEN 1 END)
                    OVER (PARTITION BY k.company_id, k.grp ORDER BY k.year
                          ROWS UNBOUNDED PRECEDING) = 1
                THEN 1 ELSE 0 END AS is_base
    FROM acc k
),
picked AS (
    SELECT k.grp, {y} AS y, k.company_id,
           MAX(k.year) FILTER (WHERE k.is_base = 1 AND k.year < {y}) AS byr,
           MAX(k.turnover) FILTER (WHERE k.year = {y}) AS t,
           MAX(k.currency) FILTER (WHERE k.year = {y}) AS c,
           MAX(k.vc) FILTER (WHERE k.year = {y}) AS vc,
           MAX(k.employees) FILTER (WHERE k.year = {y}) AS e,
           MAX(k.sr) FILTER (WHERE k.year = {y}) AS sr,
           MAX(k.turnover) FILTER (WHERE k.year = {y} - 1) AS tp,
           MAX(k.currency) FILTER (WHERE k.year = {y} - 1) AS cp,
           MAX(k.employees) FILTER (WHERE k.year = {y} - 1) AS ep,
           MAX(k.sr) FILTER (WHERE k.year = {y} - 1) AS srp,
           MAX(k.turnover) FILTER (WHERE k.is_base = 1 AND k.year < {y}) AS tb,
           MAX(k.currency) FILTER (WHERE k.is_base = 1 AND k.year < {y}) AS cb,
           MAX(k.vc) FILTER (WHERE k.is_base = 1 AND k.year < {y}) AS vcb,
           MAX(k.sr) FILTER (WHERE k.is_base = 1 AND k.year < {y}) AS srb
    {pick_from}
),
facts AS (
    SELECT m.grp, m.y, m.company_id, m.ay, p.byr, {founded} AS fy,
           p.t, p.c, p.vc, p.e, COALESCE(p.sr, 0) AS sr,
           p.tp, p.cp, p.ep, COALESCE(p.srp, 0) AS srp,
           p.tb, p.cb, p.vcb, COALESCE(p.srb, 0) AS srb
    FROM {members} m
    JOIN companies_company co ON co.id = m.company_id
    LEFT JOIN picked p ON p.grp = m.grp AND p.y = m.y AND p.company_id = m.company_id
),
"""

# Several years: the rows each (year, company) needs, by a join to the years.
_PG_PICK_FROM_YEARS = "FROM marked k JOIN years ON {near} GROUP BY k.grp, years.y, k.company_id"
_PG_MEMBERS_OF_YEARS = "(SELECT member.*, adm.ay FROM member JOIN adm USING (grp, company_id))"
# One year: the rows arrive sorted by company from the window, so they are grouped as they
# come, and the companies of the year are those of ``madm``.
_PG_PICK_ONE_YEAR = "FROM marked k WHERE {near} GROUP BY k.company_id, k.grp"
_PG_MEMBERS_OF_ONE_YEAR = "(SELECT grp, {year} AS y, company_id, ay FROM madm)"


# PostgreSQL knows how many rows generate_series gives; a recursive CTE it guesses at 31.
_YEARS = {
    False: "years(y) AS (SELECT %s UNION ALL SELECT y + 1 FROM years WHERE y < %s)",
    True: "years(y) AS (SELECT generate_series(%s::integer, %s::integer))",
}


def _facts_sql(
    *,
    scope: Scope,
    definitions: KpiDefinitions,
    first_year: int,
    last_year: int,
    per_organisation: bool = False,
) -> tuple[str, list]:
    """The CTEs ending in ``flags``: one row per (grp, y, company) affiliated in year y.

    ``grp`` is the organisation when ``per_organisation`` (each garden of the scope on its
    own, with its own admission years), else 0 (the scope as a whole, each company once).
    """
    grp = "a.organisation_id" if per_organisation else "0"
    params: list = [first_year, last_year, *definitions.kinds]
    organisation_filter, organisation_params = "", []
    if scope.organisation_ids is not None:
        if not scope.organisation_ids:
            organisation_filter = "AND 1 = 0"
        else:
            organisation_filter = f"AND a.organisation_id IN {_in(scope.organisation_ids)}"
            organisation_params = list(scope.organisation_ids)
    params += organisation_params
    source_filter = "" if definitions.include_self_reported else "AND {k}.source <> 'self_reported'"
    if definitions.baseline_rule == BASELINE_YEAR_BEFORE:
        baseline_condition = "k.year = {ay} - 1"
    elif definitions.baseline_rule == BASELINE_FIRST_FROM_ADMISSION:
        baseline_condition = "k.year >= {ay}"
    else:
        # The year before admission if there are accounts for it, else the first from
        # admission on: both are simply the earliest accounts from the year before on.
        baseline_condition = "k.year >= {ay} - 1"

    def accounts_id(year: str) -> str:
        """The id of the company's own accounts for ``year``: the latest period ending in it
        (a changed accounting year gives two). A scalar subquery through the (year, company)
        index: an index probe per row on both databases, where a join would make SQLite
        scan the whole table for a Bloom filter and PostgreSQL hash it."""
        own = source_filter.format(k="k")
        return f"""(SELECT k.id FROM companies_keyfigures k
            WHERE k.year = {year} AND k.company_id = m.company_id
              AND k.account_type = 'company' {own}
            ORDER BY k.period_end DESC LIMIT 1)"""

    src = source_filter.format(k="k")
    if connection.vendor == "postgresql":
        one_year = first_year == last_year
        y = str(int(last_year)) if one_year else "years.y"
        near = f"(k.year >= {y} - 1 AND k.year <= {y} OR k.is_base = 1 AND k.year < {y})"
        pick_from = _PG_PICK_ONE_YEAR if one_year else _PG_PICK_FROM_YEARS
        members = _PG_MEMBERS_OF_ONE_YEAR if one_year else _PG_MEMBERS_OF_YEARS
        lookups = _PG_LOOKUPS.format(
            y=y,
            pick_from=pick_from.format(near=near),
            members=members.format(year=y),
            grp=grp,
            start_year=_year_of("a.start_date"),
            end_year=_year_of("a.end_date"),
            kinds=_in(definitions.kinds),
            organisation_filter=organisation_filter,
            baseline_condition=baseline_condition.format(ay="k.ay"),
            src=src,
            founded=_year_of("COALESCE(co.founded_on, co.registered_on)"),
        )
        lookup_params = [*definitions.kinds, *organisation_params, last_year, first_year, last_year]
    else:
        baseline_condition = baseline_condition.format(ay="adm.ay")
        lookup_params = []
        lookups = f"""pairs AS (
    SELECT m.grp, m.y, m.company_id, adm.ay,
           (SELECT MIN(k.year) FROM companies_keyfigures k
            WHERE k.company_id = m.company_id AND k.account_type = 'company'
              AND {baseline_condition} AND k.year < m.y {src}) AS byr
    FROM member m
    JOIN adm ON adm.grp = m.grp AND adm.company_id = m.company_id
),
accounts AS (
    SELECT m.grp, m.y, m.company_id, m.ay, m.byr,
           {accounts_id("m.y")} AS cur_id,
           {accounts_id("m.y - 1")} AS prev_id,
           CASE WHEN m.byr IS NOT NULL THEN {accounts_id("m.byr")} END AS base_id
    FROM pairs m
),
facts AS (
    SELECT p.grp, p.y, p.company_id, p.ay, p.byr,
           {_year_of("COALESCE(co.founded_on, co.registered_on)")} AS fy,
           cur.turnover AS t, cur.currency AS c,
           cur.operating_result + cur.personnel_costs AS vc, cur.employees AS e,
           CASE WHEN cur.source = 'self_reported' THEN 1 ELSE 0 END AS sr,
           prev.turnover AS tp, prev.currency AS cp, prev.employees AS ep,
           CASE WHEN prev.source = 'self_reported' THEN 1 ELSE 0 END AS srp,
           bacc.turnover AS tb, bacc.currency AS cb,
           bacc.operating_result + bacc.personnel_costs AS vcb,
           CASE WHEN bacc.source = 'self_reported' THEN 1 ELSE 0 END AS srb
    FROM accounts p
    JOIN companies_company co ON co.id = p.company_id
    LEFT JOIN companies_keyfigures cur ON cur.id = p.cur_id
    LEFT JOIN companies_keyfigures prev ON prev.id = p.prev_id
    LEFT JOIN companies_keyfigures bacc ON bacc.id = p.base_id
),
"""
    sql = f"""
WITH RECURSIVE {_YEARS[connection.vendor == "postgresql"]},
aff AS (
    SELECT {grp} AS grp, a.company_id,
           {_year_of("a.start_date")} AS sy,
           {_year_of("a.end_date")} AS ey
    FROM companies_affiliation a
    WHERE a.kind IN {_in(definitions.kinds)} {organisation_filter}
),
adm AS (
    SELECT grp, company_id, MIN(sy) AS ay FROM aff GROUP BY grp, company_id
),
member AS (
    SELECT DISTINCT aff.grp AS grp, years.y AS y, aff.company_id AS company_id
    FROM aff JOIN years ON aff.sy <= years.y AND (aff.ey IS NULL OR aff.ey >= years.y)
),
{lookups}flags AS (
    SELECT grp, y, company_id, ay, byr,
        CASE WHEN fy BETWEEN y - %s AND y THEN 1 ELSE 0 END AS newly,
        CASE WHEN t IS NOT NULL AND tp IS NOT NULL AND c = cp THEN 1 ELSE 0 END AS g_base,
        CASE WHEN t IS NOT NULL AND tp IS NOT NULL AND c = cp AND t > tp
             THEN 1 ELSE 0 END AS g,
        CASE WHEN t IS NOT NULL AND tb IS NOT NULL AND c = cb THEN 1 ELSE 0 END AS ga_base,
        CASE WHEN t IS NOT NULL AND tb IS NOT NULL AND c = cb AND t > tb
             THEN 1 ELSE 0 END AS ga,
        CASE WHEN t IS NOT NULL AND tb > 0 AND c = cb THEN 1 ELSE 0 END AS d_base,
        CASE WHEN t IS NOT NULL AND tb > 0 AND c = cb AND t >= 2 * tb
             THEN 1 ELSE 0 END AS d,
        CASE WHEN vc IS NOT NULL AND c = %s THEN vc END AS vc_sum,
        CASE WHEN vc IS NOT NULL AND c = %s THEN 1 ELSE 0 END AS vc_n,
        CASE WHEN vc IS NOT NULL AND c <> %s THEN 1 ELSE 0 END AS vc_other,
        CASE WHEN vc IS NOT NULL AND c = %s AND vcb IS NOT NULL AND cb = %s
             THEN vcb END AS vcb_sum,
        CASE WHEN vc IS NOT NULL AND c = %s AND vcb IS NOT NULL AND cb = %s
             THEN vc END AS vcb_cur_sum,
        CASE WHEN vc IS NOT NULL AND c = %s AND vcb IS NOT NULL AND cb = %s
             THEN 1 ELSE 0 END AS vcb_n,
        CASE WHEN e IS NOT NULL THEN e END AS e_sum,
        CASE WHEN e IS NOT NULL THEN 1 ELSE 0 END AS e_n,
        CASE WHEN e IS NOT NULL AND ep IS NOT NULL THEN e - ep END AS e_change,
        CASE WHEN e IS NOT NULL AND ep IS NOT NULL THEN 1 ELSE 0 END AS e_change_n,
        CASE WHEN sr = 1 OR srp = 1 OR srb = 1 THEN 1 ELSE 0 END AS self_rep
    FROM facts
)"""
    currency = definitions.sum_currency
    params += [*lookup_params, definitions.newly_started_years - 1, *([currency] * 9)]
    return sql, params


AGGREGATES = """
SELECT grp, y, ay, COUNT(*) AS affiliated, SUM(newly), SUM(g), SUM(g_base), SUM(ga), SUM(ga_base),
       SUM(d), SUM(d_base), SUM(vc_sum), SUM(vc_n), SUM(vc_other), SUM(vcb_sum),
       SUM(vcb_cur_sum), SUM(vcb_n), SUM(e_sum), SUM(e_n), SUM(e_change), SUM(e_change_n),
       SUM(self_rep)
FROM flags GROUP BY grp, y, ay ORDER BY grp, y, ay
"""
AGGREGATE_FIELDS = (
    "organisation_id",
    "year",
    "admission_year",
    "affiliated",
    "newly_started",
    "growth",
    "growth_base",
    "growth_since_admission",
    "growth_since_admission_base",
    "doubled",
    "doubled_base",
    "value_creation_total",
    "value_creation_companies",
    "value_creation_other_currency",
    "value_creation_baseline_total",
    "value_creation_total_of_baseline_companies",
    "value_creation_baseline_companies",
    "employees_total",
    "employees_companies",
    "employees_change",
    "employees_change_companies",
    "self_reported",
)
MONEY_FIELDS = {
    "value_creation_total",
    "value_creation_baseline_total",
    "value_creation_total_of_baseline_companies",
}


def _fetch_all(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _money(value) -> Decimal:
    if value is None:
        return Decimal("0.00")
    # SQLite sums decimals as floats; accounts are in whole kroner or øre, so rounding to øre
    # gives the exact sum back.
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def kpi_rows(
    *,
    scope: Scope,
    definitions: KpiDefinitions,
    first_year: int,
    last_year: int,
    per_organisation: bool = False,
) -> list[dict]:
    """One dict per (year, admission year) — per organisation of the scope too when
    ``per_organisation`` — with every aggregate in AGGREGATE_FIELDS."""
    if first_year > last_year:
        raise ValueError("first_year must not be after last_year")
    sql, params = _facts_sql(
        scope=scope,
        definitions=definitions,
        first_year=first_year,
        last_year=last_year,
        per_organisation=per_organisation,
    )
    rows = _fetch_all(sql + AGGREGATES, params)
    result = []
    for row in rows:
        values = {}
        for name, value in zip(AGGREGATE_FIELDS, row, strict=True):
            values[name] = _money(value) if name in MONEY_FIELDS else int(value or 0)
        result.append(values)
    return result


COMPANY_FIELDS = (
    "company_id",
    "admission_year",
    "baseline_year",
    "newly_started",
    "growth",
    "growth_base",
    "growth_since_admission",
    "growth_since_admission_base",
    "doubled",
    "doubled_base",
    "value_creation",
    "self_reported",
)


def kpi_company_rows(*, scope: Scope, definitions: KpiDefinitions, year: int) -> list[dict]:
    """Per company affiliated in ``year``: which figures it counts in (1/0)."""
    sql, params = _facts_sql(scope=scope, definitions=definitions, first_year=year, last_year=year)
    rows = _fetch_all(
        sql
        + """
SELECT company_id, ay, byr, newly, g, g_base, ga, ga_base, d, d_base, vc_n, self_rep
FROM flags ORDER BY company_id""",
        params,
    )
    return [dict(zip(COMPANY_FIELDS, row, strict=True)) for row in rows]


def satisfaction_rows(
    *, scope: Scope, first_year: int, last_year: int, per_organisation: bool = False
) -> dict[tuple[int, int], tuple[int, int]]:
    """Per (organisation or 0, survey year): (number of answers, sum of scores)."""
    grp = "s.organisation_id" if per_organisation else "0"
    group_by = "s.organisation_id, s.year" if per_organisation else "s.year"
    params: list = [first_year, last_year]
    organisation_filter = ""
    if scope.organisation_ids is not None:
        if not scope.organisation_ids:
            return {}
        organisation_filter = f"AND s.organisation_id IN {_in(scope.organisation_ids)}"
        params += list(scope.organisation_ids)
    sql = f"""
SELECT {grp}, s.year, COUNT(i.score), SUM(i.score)
FROM reporting_surveyinvitation i
JOIN reporting_satisfactionsurvey s ON s.id = i.survey_id
WHERE i.score IS NOT NULL AND s.year BETWEEN %s AND %s {organisation_filter}
GROUP BY {group_by}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(int(g), int(y)): (int(n), int(total or 0)) for g, y, n, total in cursor.fetchall()}

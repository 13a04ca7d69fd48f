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

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from koblingsboks.reporting.definitions import (
    BASELINE_FIRST_FROM_ADMISSION,
    BASELINE_YEAR_BEFORE,
    BASELINE_YEAR_BEFORE_OR_FIRST,
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


# PostgreSQL, figures from every source: the companies come straight from the affiliation
# table (one year) or from ``member`` (several), and each one's figures from its row in
# ``reporting_account_summary`` (migration reporting 0002: one row per company, an array
# element per year, kept in step with the accounts by triggers) — array subscripts instead of
# reading every account from the admission on. ``OFFSET 0`` keeps ``located`` a subquery, so
# each subscript is taken once per row and not once per figure that uses it.
_PG_SUMMARY_LOOKUPS = """{one_year_members}located AS (
    SELECT m.grp, m.y, m.company_id, m.ay, {founded} AS fy, s.first_year AS y0,
           s.turnover AS ta, s.currency AS ca, s.value_creation AS vca, s.employees AS ea,
           s.self_reported AS sra, {baseline_year} AS byr
    FROM {members} m
    JOIN companies_company co ON co.id = m.company_id
    LEFT JOIN reporting_account_summary s ON s.company_id = m.company_id
),
facts AS (
    SELECT grp, y, company_id, ay, byr, fy,
           ta[y - y0 + 1] AS t, ca[y - y0 + 1] AS c, vca[y - y0 + 1] AS vc,
           ea[y - y0 + 1] AS e, CASE WHEN sra[y - y0 + 1] THEN 1 ELSE 0 END AS sr,
           ta[y - y0] AS tp, ca[y - y0] AS cp, ea[y - y0] AS ep,
           CASE WHEN sra[y - y0] THEN 1 ELSE 0 END AS srp,
           ta[byr - y0 + 1] AS tb, ca[byr - y0 + 1] AS cb, vca[byr - y0 + 1] AS vcb,
           CASE WHEN sra[byr - y0 + 1] THEN 1 ELSE 0 END AS srb
    FROM located OFFSET 0
),
"""
# One year: each company's admission year and whether it is affiliated in the year, in one
# grouping of the affiliation rows (dates compared as dates: no year extracted per row).
_PG_ONE_YEAR_MEMBERS = """madm AS (
    SELECT {grp} AS grp, {year} AS y, a.company_id,
           CAST(EXTRACT(YEAR FROM MIN(a.start_date)) AS INTEGER) AS ay
    FROM companies_affiliation a
    WHERE a.kind IN {kinds} {organisation_filter}
    GROUP BY 1, a.company_id
    HAVING bool_or(a.start_date <= %s AND (a.end_date IS NULL OR a.end_date >= %s))
),
"""
# Several years: the (year, company) pairs of ``member`` with each company's admission year.
_PG_MEMBERS_OF_YEARS = """(SELECT member.*, adm.ay FROM member JOIN (
        SELECT grp, company_id, MIN(sy) AS ay FROM aff GROUP BY grp, company_id
    ) adm USING (grp, company_id))"""
# The baseline year from the summary's next_year array: the first year with accounts from
# the rule's starting year on (before the summary's first year: its first year), if it is
# before the report year. Subscripts outside the array give NULL.
_PG_BASELINE_YEAR = {
    BASELINE_YEAR_BEFORE_OR_FIRST: "GREATEST(m.ay - 1, s.first_year)",
    BASELINE_FIRST_FROM_ADMISSION: "GREATEST(m.ay, s.first_year)",
}


def _pg_baseline_year(rule: str) -> str:
    if rule == BASELINE_YEAR_BEFORE:
        found = "s.next_year[m.ay - s.first_year]"
        return f"CASE WHEN {found} = m.ay - 1 AND {found} < m.y THEN {found} END"
    found = f"s.next_year[{_PG_BASELINE_YEAR[rule]} - s.first_year + 1]"
    return f"CASE WHEN {found} < m.y THEN {found} END"


def _uses_account_summary(definitions: KpiDefinitions) -> bool:
    """The summary holds the latest period of every source; a report that leaves out the
    self-reported figures reads the accounts instead (the generic statement)."""
    return connection.vendor == "postgresql" and definitions.include_self_reported


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
    if _uses_account_summary(definitions):
        lookups, lookup_params = _summary_lookups(
            definitions=definitions,
            grp=grp,
            organisation_filter=organisation_filter,
            organisation_params=organisation_params,
            first_year=first_year,
            last_year=last_year,
        )
    else:
        lookups, lookup_params = _account_lookups(definitions), []
    sql = f"""
WITH RECURSIVE {_YEARS[connection.vendor == "postgresql"]},
aff AS (
    SELECT {grp} AS grp, a.company_id,
           {_year_of("a.start_date")} AS sy,
           {_year_of("a.end_date")} AS ey
    FROM companies_affiliation a
    WHERE a.kind IN {_in(definitions.kinds)} {organisation_filter}
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


def _summary_lookups(
    *,
    definitions: KpiDefinitions,
    grp: str,
    organisation_filter: str,
    organisation_params: list,
    first_year: int,
    last_year: int,
) -> tuple[str, list]:
    """``facts`` from the account summary (PostgreSQL)."""
    if first_year == last_year:
        members = "madm"
        one_year_members = _PG_ONE_YEAR_MEMBERS.format(
            grp=grp,
            year=int(last_year),
            kinds=_in(definitions.kinds),
            organisation_filter=organisation_filter,
        )
        params = [
            *definitions.kinds,
            *organisation_params,
            datetime.date(last_year, 12, 31),
            datetime.date(last_year, 1, 1),
        ]
    else:
        members, one_year_members, params = _PG_MEMBERS_OF_YEARS, "", []
    sql = _PG_SUMMARY_LOOKUPS.format(
        one_year_members=one_year_members,
        members=members,
        founded=_year_of("COALESCE(co.founded_on, co.registered_on)"),
        baseline_year=_pg_baseline_year(definitions.baseline_rule),
    )
    return sql, params


def _account_lookups(definitions: KpiDefinitions) -> str:
    """``facts`` from the accounts table: scalar subqueries through the (year, company)
    index (SQLite; and PostgreSQL for reports without the self-reported figures)."""
    source_filter = "" if definitions.include_self_reported else "AND {k}.source <> 'self_reported'"
    if definitions.baseline_rule == BASELINE_YEAR_BEFORE:
        baseline_condition = "k.year = MIN(aff.sy) - 1"
    elif definitions.baseline_rule == BASELINE_FIRST_FROM_ADMISSION:
        baseline_condition = "k.year >= MIN(aff.sy)"
    else:
        # The year before admission if there are accounts for it, else the first from
        # admission on: both are simply the earliest accounts from the year before on.
        baseline_condition = "k.year >= MIN(aff.sy) - 1"
    src = source_filter.format(k="k")

    def accounts_id(year: str) -> str:
        """The id of the company's own accounts for ``year``: the latest period ending in it
        (a changed accounting year gives two). A scalar subquery through the (year, company)
        index: an index probe per row, where a join would make SQLite scan the whole table
        for a Bloom filter."""
        return f"""(SELECT k.id FROM companies_keyfigures k
            WHERE k.year = {year} AND k.company_id = m.company_id
              AND k.account_type = 'company' {src}
            ORDER BY k.period_end DESC LIMIT 1)"""

    # The first accounts the rule allows are found once per company, in the grouping that
    # gives its admission year; a (year, company) pair's baseline is those if they are
    # before the year.
    return f"""adm_base AS (
    SELECT grp, company_id, MIN(sy) AS ay,
           (SELECT MIN(k.year) FROM companies_keyfigures k
            WHERE k.company_id = aff.company_id AND k.account_type = 'company'
              AND {baseline_condition} {src}) AS first_base
    FROM aff GROUP BY grp, company_id
),
pairs AS (
    SELECT m.grp, m.y, m.company_id, adm.ay,
           CASE WHEN adm.first_base < m.y THEN adm.first_base END AS byr
    FROM member m
    JOIN adm_base adm ON adm.grp = m.grp AND adm.company_id = m.company_id
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

"""The SQL aggregates must agree exactly with the plain-Python computation
(reference.py) over a random but reproducible portfolio full of the awkward cases: several
gardens per company, affiliations starting and ending mid-year, tenants, gaps in the
accounts, zero, negative and missing turnover, other currencies, self-reported figures,
two periods in one year, group accounts and deleted companies."""

import datetime
import random

import pytest
from django.db import connection

from koblingsboks.companies.models import KeyFigures
from koblingsboks.reporting import kpi_sql
from koblingsboks.reporting.definitions import (
    BASELINE_FIRST_FROM_ADMISSION,
    BASELINE_RULES,
    BASELINE_YEAR_BEFORE,
    KpiDefinitions,
    Scope,
)
from koblingsboks.reporting.kpi import (
    kpi_comparison,
    kpi_report,
    kpi_series,
    scope_for_organisation,
)
from koblingsboks.reporting.kpi_sql import kpi_company_rows
from koblingsboks.reporting.tests.factories import accounts, affiliate, company
from koblingsboks.reporting.tests.reference import comparable, reference_report
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

YEARS = range(2016, 2026)


def _random_date(rng, first_year, last_year):
    start = datetime.date(first_year, 1, 1).toordinal()
    end = datetime.date(last_year, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end))


def _build(seed: int):
    rng = random.Random(seed)
    gardens = [OrganisationFactory() for _ in range(4)]
    for _ in range(70):
        founded = _random_date(rng, 2010, 2025) if rng.random() < 0.85 else None
        registered = _random_date(rng, 2010, 2025) if rng.random() < 0.5 else None
        deleted = _random_date(rng, 2020, 2025) if rng.random() < 0.1 else None
        c = company(founded=founded, registered=registered, deleted=deleted)
        for garden in rng.sample(gardens, rng.choice((1, 1, 1, 2, 3))):
            start = _random_date(rng, 2015, 2025)
            end = None
            if rng.random() < 0.4:
                end = _random_date(rng, start.year, 2026)
                end = max(end, start)
            kind = rng.choice(("target", "target", "incubator", "tenant"))
            affiliate(garden, c, start, end, kind)
        currency = "NOK" if rng.random() < 0.85 else "SEK"
        level = rng.choice((0, 50_000, 1_000_000, 5_000_000))
        for year in YEARS:
            if rng.random() < 0.25:
                continue  # a missing year
            turnover = rng.choice(
                (
                    None,
                    0,
                    -rng.randint(1, 100_000),
                    level * rng.choice((1, 2, 3)) // 2 + rng.randint(0, 500_000),
                    level + rng.randint(0, 2_000_000),
                )
            )
            source = (
                KeyFigures.Source.SELF_REPORTED
                if rng.random() < 0.1
                else KeyFigures.Source.ACCOUNTS_REGISTER
            )
            kwargs = {
                "currency": currency,
                "operating_result": rng.choice((None, rng.randint(-200_000, 800_000))),
                "personnel_costs": rng.choice((None, rng.randint(0, 2_000_000))),
                "employees": rng.choice((None, rng.randint(0, 40))),
                "source": source,
            }
            if rng.random() < 0.05:  # a short first period in the same year
                accounts(c, year, rng.randint(0, 10**6), period_end=datetime.date(year, 6, 30))
            accounts(c, year, turnover, **kwargs)
            if rng.random() < 0.05:
                accounts(
                    c,
                    year,
                    10**9,
                    account_type=KeyFigures.AccountType.GROUP,
                    period_end=datetime.date(year, 12, 31),
                )
    return gardens


DEFINITIONS = [
    KpiDefinitions(),
    KpiDefinitions(kinds=("target",), newly_started_years=2),
    KpiDefinitions(baseline_rule=BASELINE_YEAR_BEFORE, include_self_reported=False),
    KpiDefinitions(
        kinds=("incubator", "target", "tenant"), baseline_rule=BASELINE_FIRST_FROM_ADMISSION
    ),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_and_plain_python_agree_exactly(seed):
    gardens = _build(seed)
    scopes = [
        Scope(kind="organisation", name="g0", organisation_ids=(gardens[0].pk,)),
        Scope(kind="network", name="n", organisation_ids=tuple(g.pk for g in gardens[:3])),
        Scope(kind="national", name="all"),
    ]
    checked = 0
    for definitions in DEFINITIONS:
        for scope in scopes:
            for year in (2017, 2020, 2023, 2025):
                sql = kpi_report(scope=scope, year=year, definitions=definitions)
                reference = reference_report(
                    organisation_ids=scope.organisation_ids, year=year, definitions=definitions
                )
                assert comparable(sql) == comparable(reference), (definitions, scope, year)
                per_company = {
                    row["company_id"]: {k: v for k, v in row.items() if k in _PER_COMPANY}
                    for row in kpi_company_rows(scope=scope, definitions=definitions, year=year)
                }
                assert per_company == reference["per_company"]
                checked += sql["affiliated"]
    # The data is not trivially empty: many company-years were compared.
    assert checked > 300


_PER_COMPANY = {
    "admission_year",
    "baseline_year",
    "newly_started",
    "growth",
    "growth_base",
    "growth_since_admission",
    "growth_since_admission_base",
    "doubled",
    "doubled_base",
}


def test_the_ten_year_series_and_the_comparison_agree_with_the_single_year_reports():
    """Several years in one statement, and each garden on its own in one statement, are other
    statements than the single year's (which agrees with the reference): they must give the
    same figures."""
    gardens = _build(3)
    national = Scope(kind="national", name="all")
    for definitions in DEFINITIONS:
        series = kpi_series(
            scope=national, first_year=2016, last_year=2025, definitions=definitions
        )
        assert [r["year"] for r in series] == list(YEARS)
        for report in series:
            single = kpi_report(scope=national, year=report["year"], definitions=definitions)
            assert comparable(report) == comparable(single), (definitions, report["year"])
        for organisation, report in kpi_comparison(
            organisations=gardens, year=2023, definitions=definitions
        ):
            own = kpi_report(
                scope=scope_for_organisation(organisation), year=2023, definitions=definitions
            )
            assert comparable(report) == comparable(own), (definitions, organisation)
    assert sum(r["affiliated"] for r in series) > 300


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the summary is PostgreSQL's")
def test_on_postgresql_the_account_summary_and_the_accounts_give_the_same_rows(monkeypatch):
    """Every PostgreSQL statement that reads the account summary, against the generic
    statement that reads the accounts, row by row: one year and ten, the scope as a whole and
    per garden, every baseline rule."""
    gardens = _build(4)
    scope = Scope(kind="network", name="n", organisation_ids=tuple(g.pk for g in gardens))
    compared = 0
    for rule in BASELINE_RULES:
        definitions = KpiDefinitions(baseline_rule=rule)
        for first, last, per_organisation in (
            (2021, 2021, False),
            (2016, 2025, False),
            (2024, 2024, True),
            (2016, 2025, True),
        ):
            arguments = {
                "scope": scope,
                "definitions": definitions,
                "first_year": first,
                "last_year": last,
                "per_organisation": per_organisation,
            }
            from_summary = kpi_sql.kpi_rows(**arguments)
            companies = kpi_sql.kpi_company_rows(scope=scope, definitions=definitions, year=last)
            with monkeypatch.context() as patched:
                patched.setattr(kpi_sql, "_uses_account_summary", lambda definitions: False)
                assert kpi_sql.kpi_rows(**arguments) == from_summary, arguments
                assert (
                    kpi_sql.kpi_company_rows(scope=scope, definitions=definitions, year=last)
                    == companies
                )
            compared += sum(row["affiliated"] for row in from_summary)
    assert compared > 1000

"""Hand-computed answers for the hard cases of the KPI definitions (PRODUCT.md). Every
expected number below was worked out by hand from the rows each test creates; each test
also checks that the independent plain-Python computation agrees."""

import datetime

import pytest

from koblingsboks.companies.models import KeyFigures
from koblingsboks.reporting.definitions import (
    BASELINE_FIRST_FROM_ADMISSION,
    BASELINE_YEAR_BEFORE,
    KpiDefinitions,
    Scope,
)
from koblingsboks.reporting.kpi import kpi_report, kpi_series, scope_for_organisation
from koblingsboks.reporting.kpi_sql import kpi_company_rows
from koblingsboks.reporting.tests.factories import accounts, affiliate, company
from koblingsboks.reporting.tests.reference import comparable, reference_report
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def both(scope, year, definitions=None):
    """The SQL report, after checking that the plain-Python computation agrees with it."""
    definitions = definitions or KpiDefinitions()
    report = kpi_report(scope=scope, year=year, definitions=definitions)
    reference = reference_report(
        organisation_ids=scope.organisation_ids, year=year, definitions=definitions
    )
    assert comparable(report) == comparable(reference)
    return report


def org_scope(*organisations):
    return Scope(kind="network", name="test", organisation_ids=tuple(o.pk for o in organisations))


def test_a_company_affiliated_with_two_gardens_counts_once_with_its_first_admission():
    a, b = OrganisationFactory(), OrganisationFactory()
    c = company(founded=datetime.date(2015, 1, 1))
    affiliate(a, c, "2021-03-01")
    affiliate(b, c, "2023-09-15")
    for year, turnover in ((2020, 100), (2022, 150), (2023, 200), (2024, 250)):
        accounts(c, year, turnover)

    garden_a = both(scope_for_organisation(a), 2024)
    garden_b = both(scope_for_organisation(b), 2024)
    network = both(org_scope(a, b), 2024)
    # Each garden counts it; the network counts it once.
    assert garden_a["affiliated"] == garden_b["affiliated"] == network["affiliated"] == 1
    # At A admission is 2021, baseline 2020 (100): 250 ≥ 2 × 100, doubled.
    assert garden_a["doubled"] == {"count": 1, "base": 1, "share": 1.0}
    # At B admission is 2023, baseline 2022 (150): grew, but 250 < 300.
    assert garden_b["growth_since_admission"] == {"count": 1, "base": 1, "share": 1.0}
    assert garden_b["doubled"] == {"count": 0, "base": 1, "share": 0.0}
    assert [c["admission_year"] for c in garden_b["cohorts"]] == [2023]
    # The network's admission is the first in any of its gardens: 2021, baseline 2020.
    assert network["doubled"] == {"count": 1, "base": 1, "share": 1.0}
    assert [c["admission_year"] for c in network["cohorts"]] == [2021]
    # Year on year 250 > 200 everywhere.
    assert network["growth"] == {"count": 1, "base": 1, "share": 1.0}


def test_affiliations_starting_or_ending_mid_year_count_for_that_year():
    g = OrganisationFactory()
    starts_mid_2024 = company()
    affiliate(g, starts_mid_2024, "2024-07-01")
    ends_mid_2023 = company()
    affiliate(g, ends_mid_2023, "2020-01-01", "2023-06-30")
    ends_on_new_year = company()
    affiliate(g, ends_on_new_year, "2020-01-01", "2024-01-01")
    starts_on_new_years_eve = company()
    affiliate(g, starts_on_new_years_eve, "2024-12-31")
    ends_on_new_years_eve_before = company()
    affiliate(g, ends_on_new_years_eve_before, "2021-05-05", "2023-12-31")

    scope = scope_for_organisation(g)
    # 2024: starts_mid_2024, ends_on_new_year, starts_on_new_years_eve.
    assert both(scope, 2024)["affiliated"] == 3
    # 2023: ends_mid_2023, ends_on_new_year, ends_on_new_years_eve_before.
    assert both(scope, 2023)["affiliated"] == 3
    rows = {
        r["company_id"]
        for r in kpi_company_rows(scope=scope, definitions=KpiDefinitions(), year=2024)
    }
    assert rows == {starts_mid_2024.pk, ends_on_new_year.pk, starts_on_new_years_eve.pk}


def test_tenants_are_not_counted_unless_the_report_says_so():
    g = OrganisationFactory()
    affiliate(g, company(), "2020-01-01", kind="tenant")
    affiliate(g, company(), "2020-01-01", kind="incubator")
    scope = scope_for_organisation(g)
    assert both(scope, 2024)["affiliated"] == 1
    tenants = KpiDefinitions(kinds=("tenant",))
    report = both(scope, 2024, tenants)
    assert report["affiliated"] == 1
    assert report["definitions"]["kinds"] == ["tenant"]


def test_missing_years_of_accounts():
    g = OrganisationFactory()
    gap = company()  # admitted 2022; accounts 2021 and 2024 only
    affiliate(g, gap, "2022-02-01")
    accounts(gap, 2021, 100)
    accounts(gap, 2024, 300)
    late = company()  # admitted 2022; accounts from 2023 on
    affiliate(g, late, "2022-02-01")
    accounts(late, 2023, 100)
    accounts(late, 2024, 90)
    none_before = company()  # admitted 2022; first accounts 2024: baseline not before 2024
    affiliate(g, none_before, "2022-02-01")
    accounts(none_before, 2024, 500)

    report = both(scope_for_organisation(g), 2024)
    assert report["affiliated"] == 3
    # Year on year: only `late` has 2023 and 2024 (90 < 100).
    assert report["growth"] == {"count": 0, "base": 1, "share": 0.0}
    # Since admission: gap (2021: 100 → 300) grew and doubled; late (2023: 100 → 90) did not;
    # none_before has no baseline before 2024.
    assert report["growth_since_admission"] == {"count": 1, "base": 2, "share": 0.5}
    assert report["doubled"] == {"count": 1, "base": 2, "share": 0.5}
    rows = {
        r["company_id"]: r["baseline_year"]
        for r in kpi_company_rows(
            scope=scope_for_organisation(g), definitions=KpiDefinitions(), year=2024
        )
    }
    assert rows == {gap.pk: 2021, late.pk: 2023, none_before.pk: None}
    # The next year none_before's 2024 accounts are its baseline.
    accounts(none_before, 2025, 1000)
    later = both(scope_for_organisation(g), 2025)
    assert later["doubled"]["count"] == 1 and later["doubled"]["base"] == 1


def test_baseline_rule_is_a_parameter():
    g = OrganisationFactory()
    c = company()
    affiliate(g, c, "2022-01-01")
    accounts(c, 2021, 100)
    accounts(c, 2022, 300)
    accounts(c, 2024, 500)
    scope = scope_for_organisation(g)
    # Default: baseline 2021 (100) → doubled.
    assert both(scope, 2024)["doubled"]["count"] == 1
    # First from admission: baseline 2022 (300) → grew, not doubled.
    first = both(scope, 2024, KpiDefinitions(baseline_rule=BASELINE_FIRST_FROM_ADMISSION))
    assert first["growth_since_admission"] == {"count": 1, "base": 1, "share": 1.0}
    assert first["doubled"] == {"count": 0, "base": 1, "share": 0.0}
    # Year before only: a company without accounts for 2021 would have no baseline.
    other = company()
    affiliate(g, other, "2022-01-01")
    accounts(other, 2022, 100)
    accounts(other, 2024, 400)
    before = both(scope, 2024, KpiDefinitions(baseline_rule=BASELINE_YEAR_BEFORE))
    assert before["doubled"] == {"count": 1, "base": 1, "share": 1.0}
    assert both(scope, 2024)["doubled"] == {"count": 2, "base": 2, "share": 1.0}


def test_zero_and_negative_turnover():
    g = OrganisationFactory()
    zero_base = company()
    affiliate(g, zero_base, "2022-01-01")
    accounts(zero_base, 2021, 0)
    accounts(zero_base, 2023, 0)
    accounts(zero_base, 2024, 100)
    negative_base = company()
    affiliate(g, negative_base, "2022-01-01")
    accounts(negative_base, 2021, -50)
    accounts(negative_base, 2023, -20)
    accounts(negative_base, 2024, -10)
    turns_negative = company()
    affiliate(g, turns_negative, "2022-01-01")
    accounts(turns_negative, 2021, 100)
    accounts(turns_negative, 2023, 0)
    accounts(turns_negative, 2024, -20)
    flat_zero = company()
    affiliate(g, flat_zero, "2022-01-01")
    accounts(flat_zero, 2021, 10)
    accounts(flat_zero, 2023, 0)
    accounts(flat_zero, 2024, 0)

    report = both(scope_for_organisation(g), 2024)
    # Year on year: 0 → 100 grew, −20 → −10 grew, 0 → −20 no, 0 → 0 no.
    assert report["growth"] == {"count": 2, "base": 4, "share": 0.5}
    # Since admission: 0 → 100 yes, −50 → −10 yes, 100 → −20 no, 10 → 0 no.
    assert report["growth_since_admission"] == {"count": 2, "base": 4, "share": 0.5}
    # Doubled only over a positive baseline: turns_negative (100 → −20) and flat_zero
    # (10 → 0); neither doubled.
    assert report["doubled"] == {"count": 0, "base": 2, "share": 0.0}


def test_founded_exactly_on_the_boundary_of_the_newly_started_window():
    g = OrganisationFactory()
    for founded, registered in (
        (datetime.date(2022, 1, 1), None),  # first day of the window: newly started
        (datetime.date(2021, 12, 31), None),  # the day before: not
        (datetime.date(2024, 12, 31), None),  # last day of the year: newly started
        (None, datetime.date(2023, 5, 5)),  # no founding date: the register date counts
        (None, None),  # neither: not newly started
    ):
        affiliate(g, company(founded=founded, registered=registered), "2020-01-01")
    scope = scope_for_organisation(g)
    assert both(scope, 2024)["newly_started"] == 3
    # A window of 2 years (2023–2024) leaves out the company founded 1 Jan 2022.
    assert both(scope, 2024, KpiDefinitions(newly_started_years=2))["newly_started"] == 2


def test_a_company_deleted_from_the_register_counts_for_the_years_it_was_affiliated():
    g = OrganisationFactory()
    gone = company(deleted=datetime.date(2024, 3, 1))
    affiliate(g, gone, "2021-01-01", "2024-02-28")
    accounts(gone, 2020, 100)
    accounts(gone, 2023, 250)
    scope = scope_for_organisation(g)
    assert both(scope, 2023)["affiliated"] == 1
    assert both(scope, 2023)["doubled"] == {"count": 1, "base": 1, "share": 1.0}
    # Its affiliation reaches into 2024, so it counts there too, without accounts.
    report = both(scope, 2024)
    assert report["affiliated"] == 1
    assert report["growth"]["base"] == 0 and report["growth"]["share"] is None
    assert both(scope, 2025)["affiliated"] == 0


def test_value_creation_employees_currencies_and_self_reported_figures():
    g = OrganisationFactory()
    nok = company()
    affiliate(g, nok, "2022-01-01")
    accounts(nok, 2021, 100, operating_result=10, personnel_costs=40, employees=2)
    accounts(nok, 2023, 150, operating_result=20, personnel_costs=50, employees=3)
    accounts(nok, 2024, 200, operating_result=30, personnel_costs=60, employees=5)
    sek = company()
    affiliate(g, sek, "2022-01-01")
    accounts(sek, 2021, 100, currency="SEK", operating_result=1, personnel_costs=1)
    accounts(sek, 2024, 250, currency="SEK", operating_result=5, personnel_costs=5, employees=1)
    own = company()  # a sole proprietorship: figures entered by the garden
    affiliate(g, own, "2022-01-01")
    accounts(own, 2023, 80, employees=1, source=KeyFigures.Source.SELF_REPORTED)
    accounts(
        own,
        2024,
        90,
        operating_result=5,
        personnel_costs=0,
        employees=1,
        source=KeyFigures.Source.SELF_REPORTED,
    )
    report = both(scope_for_organisation(g), 2024)
    # NOK sums: nok 90 + own 5; the SEK accounts are left out and counted.
    assert report["value_creation"]["total"] == 95
    assert report["value_creation"]["companies"] == 2
    assert report["value_creation"]["other_currency_excluded"] == 1
    # Baseline value creation: nok's 2021 (50); own's baseline (2023) has none stated.
    assert report["value_creation"]["baseline_total"] == 50
    assert report["value_creation"]["total_of_baseline_companies"] == 90
    # Growth compares in the company's own currency: SEK 100 → 250 doubled.
    assert report["doubled"] == {"count": 2, "base": 3, "share": 2 / 3}
    # Employees: 5 + 1 + 1; change over nok (3 → 5) and own (1 → 1).
    assert report["employees"] == {"total": 7, "change": 2, "companies": 3, "change_companies": 2}
    assert report["self_reported"] == 1
    without = both(scope_for_organisation(g), 2024, KpiDefinitions(include_self_reported=False))
    assert without["self_reported"] == 0
    assert without["value_creation"]["total"] == 90


def test_the_later_period_wins_when_a_year_has_two_and_group_accounts_are_ignored():
    g = OrganisationFactory()
    c = company()
    affiliate(g, c, "2022-01-01")
    accounts(c, 2021, 100)
    accounts(c, 2024, 150, period_end=datetime.date(2024, 6, 30))  # a short year
    accounts(c, 2024, 300, period_end=datetime.date(2024, 12, 31))
    accounts(c, 2024, 900, account_type=KeyFigures.AccountType.GROUP)
    report = both(scope_for_organisation(g), 2024)
    assert report["doubled"] == {"count": 1, "base": 1, "share": 1.0}


def test_a_series_is_the_reports_of_its_years():
    g = OrganisationFactory()
    c = company(founded=datetime.date(2022, 6, 1))
    affiliate(g, c, "2022-06-01")
    for year, turnover in ((2021, 10), (2022, 20), (2023, 40), (2024, 30)):
        accounts(c, year, turnover)
    scope = scope_for_organisation(g)
    series = kpi_series(scope=scope, first_year=2021, last_year=2025)
    assert [r["year"] for r in series] == [2021, 2022, 2023, 2024, 2025]
    assert [r["affiliated"] for r in series] == [0, 1, 1, 1, 1]
    assert [r["growth"]["count"] for r in series] == [0, 1, 1, 0, 0]
    for report in series:
        assert report == kpi_report(scope=scope, year=report["year"])


def test_definitions_are_validated():
    with pytest.raises(ValueError):
        KpiDefinitions(kinds=("nonsense",))
    with pytest.raises(ValueError):
        KpiDefinitions(newly_started_years=0)
    with pytest.raises(ValueError):
        KpiDefinitions(baseline_rule="whenever")
    with pytest.raises(ValueError):
        kpi_series(scope=Scope(kind="national", name="x"), first_year=2025, last_year=2024)


def test_the_comparison_gives_each_garden_its_own_report_in_one_query(
    django_assert_max_num_queries,
):
    a, b, c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    shared = company()
    affiliate(a, shared, "2021-03-01")
    affiliate(b, shared, "2023-09-15")
    for year, turnover in ((2020, 100), (2022, 150), (2023, 200), (2024, 250)):
        accounts(shared, year, turnover)
    affiliate(b, company(founded=datetime.date(2023, 1, 1)), "2023-01-01")
    from koblingsboks.reporting.kpi import kpi_comparison

    with django_assert_max_num_queries(2):
        comparison = kpi_comparison(organisations=[a, b, c], year=2024)
    assert [o for o, _r in comparison] == [a, b, c]
    for organisation, report in comparison:
        assert report == kpi_report(scope=scope_for_organisation(organisation), year=2024)
    assert [r["affiliated"] for _o, r in comparison] == [1, 2, 0]

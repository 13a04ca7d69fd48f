"""Reads of the portfolio (filters, sorting, latest accounts, hours), of key figures, and the
sharing selector that tells a network which gardens a company is affiliated with."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from koblingsboks.companies.models import KeyFigures
from koblingsboks.companies.selectors import (
    PortfolioFilters,
    VisibleAffiliation,
    affiliation_list_visible_to,
    key_figures_series,
    portfolio_list,
    portfolio_nace_sections,
)
from koblingsboks.companies.services import advisory_log_add, affiliation_create
from koblingsboks.core.tenancy import organisation_scope
from tests.factories import CompanyFactory, KeyFiguresFactory, NetworkPartyFactory

D = datetime.date
TODAY = D(2026, 6, 15)

pytestmark = pytest.mark.django_db


def _affiliate(tenant, company, **fields):
    arguments = {
        "kind": "target",
        "start_date": D(2024, 1, 1),
        "end_date": None,
        "phase": "active",
        "responsible_advisor": None,
        **fields,
    }
    return affiliation_create(
        organisation=tenant.organisation, company=company, actor=tenant.admin, **arguments
    )


def _portfolio(tenant, **filters) -> list:
    with organisation_scope(tenant.organisation):
        return list(
            portfolio_list(
                organisation=tenant.organisation, filters=PortfolioFilters(**filters), today=TODAY
            )
        )


def _names(affiliations) -> list[str]:
    return [a.company.name for a in affiliations]


@pytest.fixture
def portfolio(tenant_a):
    """Five companies of garden A, each different in one way the filters look at."""
    companies = {
        "ALFA": CompanyFactory(name="ALFA AS", nace_code="62.100", municipality_number="5059"),
        "BETA": CompanyFactory(name="BETA AS", nace_code="62.900", municipality_number="5056"),
        "GAMMA": CompanyFactory(
            name="GAMMA AS",
            nace_code="43.220",
            municipality_number="5059",
            founded_on=D(2024, 5, 1),
        ),
        "DELTA": CompanyFactory(
            name="DELTA AS",
            nace_code="01.450",
            municipality_number="5021",
            founded_on=None,
            registered_on=D(2025, 2, 1),
        ),
        "EPSILON": CompanyFactory(name="EPSILON AS", nace_code="", municipality_number=""),
    }
    _affiliate(tenant_a, companies["ALFA"], phase="lead", start_date=D(2025, 1, 1))
    _affiliate(tenant_a, companies["BETA"], kind="incubator", start_date=D(2023, 1, 1))
    _affiliate(tenant_a, companies["GAMMA"], kind="tenant", phase="onboarding")
    _affiliate(tenant_a, companies["DELTA"], start_date=D(2020, 1, 1), end_date=D(2022, 12, 31))
    _affiliate(tenant_a, companies["EPSILON"], start_date=D(2026, 1, 1), end_date=TODAY)
    return companies


def test_the_default_shows_affiliations_that_have_not_ended_by_name(tenant_a, portfolio):
    assert _names(_portfolio(tenant_a)) == ["ALFA AS", "BETA AS", "EPSILON AS", "GAMMA AS"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "ended"}, ["DELTA AS"]),
        ({"status": "all"}, ["ALFA AS", "BETA AS", "DELTA AS", "EPSILON AS", "GAMMA AS"]),
        ({"phase": "lead"}, ["ALFA AS"]),
        ({"kind": "incubator"}, ["BETA AS"]),
        ({"kind": "tenant", "phase": "onboarding"}, ["GAMMA AS"]),
        ({"nace_section": "62"}, ["ALFA AS", "BETA AS"]),
        ({"municipality": "5059"}, ["ALFA AS", "GAMMA AS"]),
        # founded 2024 (GAMMA) and, without a founding date, registered 2025 (DELTA)
        ({"newly_started": True, "status": "all"}, ["DELTA AS", "GAMMA AS"]),
        ({"q": "eps"}, ["EPSILON AS"]),
        (
            {"status": "all", "sort": "-start"},
            ["EPSILON AS", "ALFA AS", "GAMMA AS", "BETA AS", "DELTA AS"],
        ),
        ({"sort": "-name"}, ["GAMMA AS", "EPSILON AS", "BETA AS", "ALFA AS"]),
    ],
)
def test_filters_and_sorting(tenant_a, portfolio, filters, expected):
    assert _names(_portfolio(tenant_a, **filters)) == expected


def test_org_number_search_in_the_portfolio(tenant_a, portfolio):
    number = portfolio["BETA"].org_number
    assert _names(_portfolio(tenant_a, q=f"{number[:3]} {number[3:6]} {number[6:]}")) == ["BETA AS"]


def test_newly_started_is_a_window_of_three_calendar_years(tenant_a, portfolio):
    with organisation_scope(tenant_a.organisation):
        in_2027 = list(
            portfolio_list(
                organisation=tenant_a.organisation,
                filters=PortfolioFilters(newly_started=True, status="all"),
                today=D(2027, 1, 1),
            )
        )
    # 2027 looks at 2025–2027: DELTA (registered 2025) is still new, GAMMA (2024) no longer.
    assert _names(in_2027) == ["DELTA AS"]


def test_only_the_own_organisations_affiliations_are_listed(tenant_a, tenant_b, portfolio):
    _affiliate(tenant_b, portfolio["ALFA"])
    _affiliate(tenant_b, CompanyFactory(name="ONLY B AS"))
    assert "ONLY B AS" not in _names(_portfolio(tenant_a, status="all"))
    assert _names(_portfolio(tenant_b)) == ["ALFA AS", "ONLY B AS"]


def test_latest_turnover_is_the_latest_own_account_with_a_turnover(tenant_a, portfolio):
    alfa = portfolio["ALFA"]
    KeyFiguresFactory(company=alfa, year=2023, turnover=Decimal("100"))
    KeyFiguresFactory(company=alfa, year=2024, turnover=Decimal("200"), currency="EUR")
    # Newer, but a holding company's account without turnover, and a group account.
    KeyFiguresFactory(company=alfa, year=2025, turnover=None)
    KeyFiguresFactory(
        company=alfa, year=2025, turnover=Decimal("999"), account_type=KeyFigures.AccountType.GROUP
    )

    rows = {a.company.name: a for a in _portfolio(tenant_a)}

    assert rows["ALFA AS"].latest_turnover == Decimal("200")
    assert rows["ALFA AS"].latest_turnover_year == 2024
    assert rows["ALFA AS"].latest_turnover_currency == "EUR"
    assert rows["BETA AS"].latest_turnover is None


def test_sorting_by_turnover_puts_companies_without_accounts_last(tenant_a, portfolio):
    KeyFiguresFactory(company=portfolio["BETA"], turnover=Decimal("5"))
    KeyFiguresFactory(company=portfolio["GAMMA"], turnover=Decimal("50"))
    assert _names(_portfolio(tenant_a, sort="-turnover"))[:2] == ["GAMMA AS", "BETA AS"]
    assert _names(_portfolio(tenant_a, sort="turnover"))[:2] == ["BETA AS", "GAMMA AS"]


def test_advisory_hours_are_the_own_organisations_only(tenant_a, tenant_b, portfolio):
    alfa = portfolio["ALFA"]
    _affiliate(tenant_b, alfa)
    for tenant, hours in ((tenant_a, "1.5"), (tenant_a, "2"), (tenant_b, "7")):
        advisory_log_add(
            organisation=tenant.organisation,
            company=alfa,
            advisor=tenant.advisor,
            date=D(2025, 3, 3),
            hours=hours,
            topic="Strategi",
            actor=tenant.advisor,
        )
    rows = {a.company.name: a for a in _portfolio(tenant_a)}
    assert rows["ALFA AS"].advisory_hours == Decimal("3.5")
    assert rows["BETA AS"].advisory_hours is None


def test_nace_sections_of_the_portfolio_with_counts(tenant_a, portfolio):
    with organisation_scope(tenant_a.organisation):
        sections = portfolio_nace_sections(organisation=tenant_a.organisation)
    assert sections == [("01", 1), ("43", 1), ("62", 2)]


# --- key figures -----------------------------------------------------------------------------


def test_key_figures_series_has_one_own_account_per_year_oldest_first():
    company = CompanyFactory()
    KeyFiguresFactory(
        company=company,
        year=2025,
        operating_result=Decimal("50"),
        personnel_costs=Decimal("450"),
        employees=4,
    )
    KeyFiguresFactory(company=company, year=2023, personnel_costs=None)
    KeyFiguresFactory(company=company, year=2024, account_type=KeyFigures.AccountType.GROUP)
    # A changed accounting year: two periods end in 2024; the later one is the year's.
    KeyFiguresFactory(
        company=company,
        year=2024,
        period_start=D(2023, 7, 1),
        period_end=D(2024, 6, 30),
        turnover=Decimal("1"),
    )
    KeyFiguresFactory(
        company=company,
        year=2024,
        period_start=D(2024, 7, 1),
        period_end=D(2024, 12, 31),
        turnover=Decimal("2"),
    )

    series = key_figures_series(company=company)

    assert [p.year for p in series] == [2023, 2024, 2025]
    assert series[1].turnover == Decimal("2")
    assert series[2].value_creation == Decimal("500")
    assert series[2].employees == 4
    assert series[0].value_creation is None


# --- which gardens a company is affiliated with, across a network ------------------------------


def test_affiliations_are_visible_to_the_own_garden_and_network_partners_only(
    tenant_a, tenant_b, shared_network
):
    company = CompanyFactory()
    _affiliate(tenant_a, company, phase="lead", responsible_advisor=tenant_a.advisor)
    _affiliate(tenant_b, company, kind="incubator", start_date=D(2022, 1, 1))
    outsider = NetworkPartyFactory().organisation  # in another network only
    outsiders_affiliation = affiliation_create(
        organisation=outsider,
        company=company,
        kind="target",
        start_date=D(2021, 1, 1),
        phase="active",
        actor=None,
    )

    for_a = affiliation_list_visible_to(organisation=tenant_a.organisation, company=company)
    for_outsider = affiliation_list_visible_to(organisation=outsider, company=company)

    assert [(v.organisation_name, v.kind, v.is_own) for v in for_a] == [
        (tenant_a.organisation.name, "target", True),
        (tenant_b.organisation.name, "incubator", False),
    ]
    assert [(v.organisation_name, v.start_date) for v in for_outsider] == [
        (outsider.name, outsiders_affiliation.start_date)
    ]


def test_visible_affiliations_carry_no_private_fields():
    fields = {f.name for f in dataclasses.fields(VisibleAffiliation)}
    assert fields.isdisjoint({"phase", "responsible_advisor", "advisor", "notes", "id", "pk"})


def test_the_sharing_selector_works_outside_any_scope(tenant_a, tenant_b, shared_network):
    """It is the one read that needs no scope: it is used on the company page of any user."""
    company = CompanyFactory()
    _affiliate(tenant_b, company)
    visible = affiliation_list_visible_to(organisation=tenant_a.organisation, company=company)
    assert [v.organisation_slug for v in visible] == [tenant_b.organisation.slug]

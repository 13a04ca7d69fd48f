"""A garden enters a company's figures by hand: the page and the API."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from koblingsboks.companies.models import Affiliation, KeyFigures
from koblingsboks.core.tenancy import organisation_scope
from tests.factories import CompanyFactory, KeyFiguresFactory


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def company_in_portfolio(tenant_a):
    company = CompanyFactory(organisation_form="ENK")
    with organisation_scope(tenant_a.organisation):
        Affiliation.objects.create(
            organisation=tenant_a.organisation,
            company=company,
            kind=Affiliation.Kind.TARGET,
            start_date=datetime.date(2022, 1, 1),
        )
    return company


def _url(company) -> str:
    return f"/companies/{company.org_number}/key-figures/report/"


def test_advisor_reports_figures_marked_self_reported(client, tenant_a, company_in_portfolio):
    client.force_login(tenant_a.advisor)
    response = client.post(
        _url(company_in_portfolio),
        {"year": 2023, "currency": "NOK", "turnover": "1250000", "employees": "2"},
    )
    assert response.status_code == 302
    figures = KeyFigures.objects.get(company=company_in_portfolio, year=2023)
    assert figures.source == KeyFigures.Source.SELF_REPORTED
    assert figures.turnover == Decimal("1250000")
    assert figures.reported_by_organisation == tenant_a.organisation
    assert figures.entered_by == tenant_a.advisor


def test_year_covered_by_the_accounts_register_is_refused(client, tenant_a, company_in_portfolio):
    KeyFiguresFactory(company=company_in_portfolio, year=2023)
    client.force_login(tenant_a.advisor)
    client.cookies["django_language"] = "en"  # the page's language, not the test's
    response = client.post(_url(company_in_portfolio), {"year": 2023, "currency": "NOK"})
    assert response.status_code == 400
    assert "accounts register" in response.content.decode()
    assert KeyFigures.objects.get(company=company_in_portfolio, year=2023).source == (
        KeyFigures.Source.ACCOUNTS_REGISTER
    )


def test_year_in_the_future_is_refused_and_nothing_saved(client, tenant_a, company_in_portfolio):
    client.force_login(tenant_a.advisor)
    next_year = datetime.date.today().year + 1
    response = client.post(_url(company_in_portfolio), {"year": next_year, "currency": "NOK"})
    assert response.status_code == 400
    assert not KeyFigures.objects.filter(company=company_in_portfolio).exists()


def test_company_outside_the_portfolio_is_404(client, tenant_a):
    client.force_login(tenant_a.advisor)
    assert client.get(_url(CompanyFactory())).status_code == 404


def test_observer_cannot_report(client, tenant_a, company_in_portfolio):
    client.force_login(tenant_a.observer)
    assert client.get(_url(company_in_portfolio)).status_code == 403


def test_api_self_report(client, tenant_a, company_in_portfolio):
    client.force_login(tenant_a.advisor)
    url = (
        f"/api/v1/organisations/{tenant_a.organisation.slug}/companies/"
        f"{company_in_portfolio.org_number}/key-figures"
    )
    response = client.post(
        url,
        {"year": 2024, "turnover": "800000", "operating_result": "50000", "personnel_costs": "0"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "self_reported"
    assert Decimal(body["value_creation"]) == Decimal("50000")
    again = client.post(url, {"year": 2024, "currency": "NOKK"}, content_type="application/json")
    assert again.status_code == 422

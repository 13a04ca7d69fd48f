"""The portfolio list (and its exports, and the company page) make the same number of
queries however many rows they show: no N+1. The issue's 2,000 companies are the same
case at scale; bench/ has no timing for it because the count does not change."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koblingsboks.companies.contacts import contact_person_add
from koblingsboks.companies.services import advisory_log_add, affiliation_create, note_create
from tests.factories import CompanyFactory, KeyFiguresFactory

D = datetime.date

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow_portfolio(tenant, n: int) -> None:
    """``n`` more companies, each with accounts, an advisor, a note and hours."""
    for i in range(n):
        company = CompanyFactory(nace_code=f"{10 + i % 80:02d}.100")
        KeyFiguresFactory(company=company, year=2024)
        KeyFiguresFactory(company=company, year=2025)
        affiliation_create(
            organisation=tenant.organisation,
            company=company,
            kind="target",
            start_date=D(2024, 1, 1),
            phase="active",
            responsible_advisor=tenant.advisor,
            actor=tenant.admin,
        )
        advisory_log_add(
            organisation=tenant.organisation,
            company=company,
            advisor=tenant.advisor,
            date=D(2025, 1, 2),
            hours=Decimal("1.5"),
            topic="Oppfølging",
            actor=tenant.admin,
        )


@pytest.mark.parametrize(
    "url",
    [
        "/portfolio/",
        "/portfolio/?sort=-turnover&status=all",
        "/portfolio/?newly_started=on&nace_section=12",
        "/portfolio/export.csv",
        "/portfolio/export.xlsx",
    ],
)
def test_portfolio_queries_do_not_grow_with_rows(client_a, tenant_a, url):
    _grow_portfolio(tenant_a, 5)
    few = _queries(client_a, url)
    _grow_portfolio(tenant_a, 55)  # 60 in all, beyond one page of 25
    many = _queries(client_a, url)
    assert many == few, f"{url}: {few} queries with 5 companies, {many} with 60"


def test_company_page_queries_do_not_grow_with_notes_hours_contacts_and_years(client_a, tenant_a):
    company = CompanyFactory()
    affiliation_create(
        organisation=tenant_a.organisation,
        company=company,
        kind="target",
        start_date=D(2024, 1, 1),
        phase="active",
        responsible_advisor=tenant_a.advisor,
        actor=tenant_a.admin,
    )
    url = f"/companies/{company.org_number}/"

    def grow(years):
        for year in years:
            KeyFiguresFactory(company=company, year=year)
            note_create(
                organisation=tenant_a.organisation,
                company=company,
                text=f"Notat {year}",
                author=tenant_a.advisor,
            )
            advisory_log_add(
                organisation=tenant_a.organisation,
                company=company,
                advisor=tenant_a.advisor,
                date=D(year, 3, 1),
                hours="2",
                topic=f"Møte {year}",
                actor=tenant_a.admin,
            )
            contact_person_add(
                organisation=tenant_a.organisation,
                company=company,
                data={"name": f"Kontakt {year}", "email": f"k{year}@bedrift.example"},
                actor=tenant_a.admin,
            )

    grow([2020])
    few = _queries(client_a, url)
    grow(range(2010, 2020))
    many = _queries(client_a, url)
    assert many == few

"""Portfolio exports: CSV and xlsx carry the filtered portfolio (every page of it), with real
dates and numbers in xlsx, and never let a cell run as a formula."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from koblingsboks.companies.exporters import portfolio_columns, render_csv, render_xlsx
from koblingsboks.companies.services import advisory_log_add, affiliation_create
from koblingsboks.network.models import User
from tests.factories import CompanyFactory, KeyFiguresFactory

D = datetime.date

pytestmark = pytest.mark.django_db


def _affiliate(tenant, company, **fields):
    arguments = {"kind": "target", "start_date": D(2024, 1, 1), "phase": "active", **fields}
    return affiliation_create(
        organisation=tenant.organisation, company=company, actor=tenant.admin, **arguments
    )


@pytest.fixture
def portfolio(tenant_a):
    alfa = CompanyFactory(name="ALFA SENSOR AS", founded_on=D(2019, 4, 2), employees=12)
    beta = CompanyFactory(
        name="BETA FISK AS", municipality_number="5056", municipality_name="HITRA"
    )
    KeyFiguresFactory(company=alfa, year=2025, turnover=Decimal("12900000"), currency="NOK")
    _affiliate(tenant_a, alfa, phase="lead", responsible_advisor=tenant_a.advisor)
    _affiliate(tenant_a, beta, kind="incubator", start_date=D(2023, 5, 1), end_date=D(2030, 1, 1))
    advisory_log_add(
        organisation=tenant_a.organisation,
        company=alfa,
        advisor=tenant_a.advisor,
        date=D(2025, 3, 1),
        hours=Decimal("2.5"),
        topic="Finansiering",
        actor=tenant_a.advisor,
    )
    return {"alfa": alfa, "beta": beta}


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _xlsx(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_csv_export_has_a_header_and_one_row_per_affiliation(client_a, tenant_a, portfolio):
    response = client_a.get("/portfolio/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="portfolio-{tenant_a.organisation.slug}-' in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert len(header) == len(portfolio_columns())
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"ALFA SENSOR AS", "BETA FISK AS"}
    alfa = list(by_name["ALFA SENSOR AS"].values())
    assert alfa[0] == portfolio["alfa"].org_number
    assert "2024-01-01" in alfa  # ISO dates
    assert "12900000" in alfa  # turnover without grouping
    assert "2.5" in alfa  # advisory hours with a decimal point
    assert tenant_a.advisor.full_name in alfa


def test_xlsx_export_opens_with_openpyxl_and_has_typed_cells(client_a, tenant_a, portfolio):
    response = client_a.get("/portfolio/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    header, *rows = _xlsx(response)
    assert list(header) == [str(c) for c in portfolio_columns()]
    by_name = {row[1]: row for row in rows}
    assert set(by_name) == {"ALFA SENSOR AS", "BETA FISK AS"}
    alfa = by_name["ALFA SENSOR AS"]
    start = header.index(str(portfolio_columns()[9]))
    assert alfa[start] == datetime.datetime(2024, 1, 1)  # a date cell
    assert 12900000 in alfa  # a number cell
    assert 2.5 in alfa
    assert 12 in alfa  # employees
    beta = by_name["BETA FISK AS"]
    assert beta[6] == "HITRA"
    assert datetime.datetime(2030, 1, 1) in beta


def test_exports_use_the_list_filters_and_every_page(client_a, tenant_a, portfolio):
    for _ in range(30):
        _affiliate(tenant_a, CompanyFactory(), phase="alumni")

    csv_rows = _csv(client_a.get("/portfolio/export.csv?phase=alumni"))[1:]
    xlsx_rows = _xlsx(client_a.get("/portfolio/export.xlsx?phase=alumni"))[1:]
    incubators = _csv(client_a.get("/portfolio/export.csv?kind=incubator"))[1:]

    assert len(csv_rows) == len(xlsx_rows) == 30
    assert [row[0] for row in csv_rows] == [row[0] for row in xlsx_rows]
    assert [row[1] for row in incubators] == ["BETA FISK AS"]


def test_exports_hold_only_the_own_organisations_portfolio(client_a, tenant_a, tenant_b):
    _affiliate(tenant_b, CompanyFactory(name="ONLY B AS"))
    _affiliate(tenant_a, CompanyFactory(name="ONLY A AS"))
    assert [row[1] for row in _csv(client_a.get("/portfolio/export.csv"))[1:]] == ["ONLY A AS"]
    assert [row[1] for row in _xlsx(client_a.get("/portfolio/export.xlsx"))[1:]] == ["ONLY A AS"]


def test_an_empty_portfolio_exports_just_the_header(client_a, tenant_a):
    assert len(_csv(client_a.get("/portfolio/export.csv"))) == 1
    assert len(_xlsx(client_a.get("/portfolio/export.xlsx"))) == 1


def test_observers_may_export(client, tenant_a, portfolio):
    client.force_login(tenant_a.observer)
    assert client.get("/portfolio/export.xlsx").status_code == 200


def test_text_that_looks_like_a_formula_stays_text(client_a, tenant_a):
    User.objects.filter(pk=tenant_a.advisor.pk).update(full_name='=HYPERLINK("http://x","y")')
    _affiliate(
        tenant_a,
        CompanyFactory(name="+47 KONSULENT AS"),
        responsible_advisor=User.objects.get(pk=tenant_a.advisor.pk),
    )

    csv_row = _csv(client_a.get("/portfolio/export.csv"))[1]
    assert "'+47 KONSULENT AS" in csv_row
    assert '\'=HYPERLINK("http://x","y")' in csv_row

    workbook = openpyxl.load_workbook(io.BytesIO(client_a.get("/portfolio/export.xlsx").content))
    cells = list(workbook.worksheets[0].iter_rows(min_row=2, max_row=2))[0]
    advisor = cells[11]
    assert advisor.value == '=HYPERLINK("http://x","y")'
    assert advisor.data_type == "s"


def test_renderers_are_usable_on_their_own():
    rows = [["A", "B"], [D(2025, 1, 2), Decimal("1.50")], ["=1+1", None]]
    assert render_csv(rows).decode("utf-8-sig").splitlines() == ["A,B", "2025-01-02,1.5", "'=1+1,"]
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(rows, sheet_title="T/1"))).worksheets[0]
    assert sheet.title == "T1"
    assert sheet["A2"].value == datetime.datetime(2025, 1, 2)
    assert sheet["B2"].value == 1.5
    assert sheet["A3"].value == "=1+1" and sheet["A3"].data_type == "s"

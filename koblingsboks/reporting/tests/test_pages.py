"""The results pages: the garden's and the network's dashboards, drill-down, exports, the
national and public pages, and what observers may see."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koblingsboks.network.models import NetworkParty
from koblingsboks.reporting.tests.factories import accounts, affiliate, company
from tests.factories import NetworkPartyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_garden_dashboard_shows_figures_charts_definitions_and_drill_links(client_a, portfolio):
    response = english(client_a).get("/results/?year=2024")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="figure-affiliated"' in body
    # 4 affiliated; year on year 3 of 3 with accounts: 250 > 100, 90 < 100, 50 > 0.
    assert "2 of 3 companies" in body
    assert "/results/companies/?year=2024&amp;figure=doubled" in body
    for key in ("affiliated", "newly_started", "growth", "doubled", "employees"):
        assert f'data-testid="chart-{key}"' in body
    assert "<svg" in body
    assert "whose period overlaps the year" in body  # the definition next to the figure


def test_the_definitions_can_be_changed_per_report(client_a, portfolio):
    response = english(client_a).get("/results/?year=2024&window=1")
    body = response.content.decode()
    # ALFA was founded in 2023: newly started with a 3-year window, not with a 1-year one.
    assert "in the year or the 0 calendar years before it" in body
    bad = client_a.get("/results/?year=abc&window=99")
    assert bad.status_code == 200  # falls back to the defaults and says so
    assert "defaults are used" in bad.content.decode()


def test_drilldown_lists_the_companies_behind_a_figure(client_a, portfolio):
    response = english(client_a).get("/results/companies/?year=2024&figure=doubled")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ALFA VEKST AS" in body
    assert "BETA STABIL AS" not in body
    base = client_a.get("/results/companies/?year=2024&figure=doubled_base").content.decode()
    assert "ALFA VEKST AS" in base and "BETA STABIL AS" in base
    assert "GAMMA NULL AS" not in base  # a zero baseline is not a base for doubling
    unknown = client_a.get("/results/companies/?year=2024&figure=nonsense").content.decode()
    assert "DELTA UTEN REGNSKAP AS" in unknown  # falls back to the affiliated companies


def test_observers_see_aggregates_only_and_no_companies(client, tenant_a, portfolio):
    client.force_login(tenant_a.observer)
    body = english(client).get("/results/?year=2024").content.decode()
    assert 'data-testid="aggregates-only"' in body
    assert "/results/companies/" not in body
    # Year on year is over 3 companies: shown. Doubled is over 2 (ALFA, BETA): suppressed.
    assert "fewer than 3" in body
    assert client.get("/results/companies/?year=2024").status_code == 404


def test_the_network_dashboard_counts_a_shared_company_once_and_compares_gardens(
    client_a, portfolio
):
    network = portfolio["network"]
    response = english(client_a).get(f"/results/networks/{network.slug}/?year=2024")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="comparison"' in body
    assert "Hage A" in body and "Hage B" in body
    drill = client_a.get(f"/results/networks/{network.slug}/companies/?year=2024")
    names = drill.content.decode()
    # A's four and B's EPSILON; ALFA (in both gardens) once.
    assert names.count("ALFA VEKST AS") == 1
    assert "EPSILON HOS B AS" in names


def test_a_network_observer_party_sees_suppressed_aggregates(client, portfolio):
    siva = OrganisationFactory(kind="programme_owner", name="Programme owner")
    NetworkPartyFactory(
        network=portfolio["network"], organisation=siva, role=NetworkParty.Role.OBSERVER
    )
    from tests.factories import MembershipFactory

    member = MembershipFactory(organisation=siva, role="observer").user
    client.force_login(member)
    slug = portfolio["network"].slug
    body = english(client).get(f"/results/networks/{slug}/?year=2024").content.decode()
    assert 'data-testid="aggregates-only"' in body
    assert "EPSILON HOS B AS" not in body
    assert client.get(f"/results/networks/{slug}/companies/").status_code == 404


def test_a_network_the_garden_is_not_in_is_404(client_a, portfolio):
    other = NetworkPartyFactory().network
    assert client_a.get(f"/results/networks/{other.slug}/").status_code == 404
    assert client_a.get(f"/results/networks/{other.slug}/report.xlsx").status_code == 404


def test_the_xlsx_export_opens_and_has_the_figures(client_a, portfolio):
    response = client_a.get("/results/report.xlsx?year=2024")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 4
    rows = list(workbook.worksheets[0].values)
    assert rows[2][1] == 4  # affiliated companies
    growth = rows[4]
    assert growth[1:4] == (2, 3, round(2 / 3, 4))
    cohorts = list(workbook.worksheets[1].values)
    assert cohorts[1][0] == 2023 and cohorts[1][1] == 4


def test_the_pdf_export_reads_back_with_its_figures(client_a, portfolio, tmp_path):
    import subprocess

    response = client_a.get("/results/report.pdf?year=2024")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Hage A" in text
    assert "2024" in text
    assert "66,7" in text  # growth share 2/3, Norwegian format
    assert "Tilknyttede bedrifter" in text  # bokmål by default


def test_an_observers_export_is_suppressed(client, tenant_a, portfolio):
    client.force_login(tenant_a.observer)
    response = client.get("/results/report.xlsx?year=2024")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    doubled = rows[6]
    assert doubled[1] == "< 3" and doubled[2] == "< 3"


def test_the_public_network_page_shows_gardens_municipalities_and_suppressed_aggregates(
    client, portfolio
):
    from koblingsboks.network.models import Municipality

    a = portfolio["a"]
    a.municipalities.set(Municipality.objects.filter(number__in=["5059"]))
    slug = portfolio["network"].slug
    response = english(client).get(f"/explore/{slug}/?year=2024")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hage A" in body and "Hage B" in body
    assert "Orkland" in body or "ORKLAND" in body
    assert "fewer than 3" in body  # B alone has 2 companies
    for name in ("ALFA VEKST AS", "EPSILON HOS B AS"):
        assert name not in body
    assert "/companies/" not in body
    assert client.get("/explore/no-such-network/").status_code == 404
    assert slug in client.get("/explore/").content.decode()


def test_the_national_page_is_suppressed_for_everyone(client_a, portfolio):
    body = english(client_a).get("/results/national/?year=2024").content.decode()
    assert 'data-testid="aggregates-only"' in body
    assert "ALFA VEKST AS" not in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_companies_gardens_or_years(client_a, portfolio):
    slug = portfolio["network"].slug
    urls = ["/results/?year=2024", f"/results/networks/{slug}/?year=2024"]
    few = [_queries(client_a, url) for url in urls]
    for i in range(15):
        c = company()
        affiliate(portfolio["a"], c, "2019-01-01")
        for year in range(2018, 2025):
            accounts(c, year, 1000 * (i + year - 2017))
        NetworkPartyFactory(network=portfolio["network"])
    many = [_queries(client_a, url) for url in urls]
    assert many == few


def test_a_single_suppressed_garden_gets_a_complementary_suppression(client, portfolio):
    """B (2 companies) is hidden; A would give B away by subtraction from the network's 5,
    so A's count is hidden too — but a third garden with more companies stays shown."""
    from koblingsboks.reporting.definitions import KpiDefinitions
    from koblingsboks.reporting.selectors import comparison_data, network_gardens

    network = portfolio["network"]
    c = OrganisationFactory(name="Hage C")
    NetworkPartyFactory(network=network, organisation=c)
    for _ in range(6):
        affiliate(c, company(), "2020-01-01")
    rows = comparison_data(
        gardens=network_gardens(network),
        year=2024,
        definitions=KpiDefinitions(),
        detailed=False,
    )
    by_name = {o.name: r for o, r in rows}
    assert by_name["Hage B"]["affiliated"] is None
    assert by_name["Hage A"]["affiliated"] is None  # the smallest shown one: 4 < 6
    assert by_name["Hage C"]["affiliated"] == 6
    detailed = comparison_data(
        gardens=network_gardens(network),
        year=2024,
        definitions=KpiDefinitions(),
        detailed=True,
    )
    assert {o.name: r["affiliated"] for o, r in detailed} == {
        "Hage A": 4,
        "Hage B": 2,
        "Hage C": 6,
    }


def test_a_cohort_links_to_its_companies(client_a, portfolio):
    late = company(name="ZETA SEN AS")
    affiliate(portfolio["a"], late, "2024-03-01")
    body = english(client_a).get("/results/?year=2024").content.decode()
    assert "/results/companies/?year=2024&amp;figure=affiliated&amp;cohort=2023" in body
    assert "figure=doubled_base&amp;cohort=2023" in body
    only_2024 = client_a.get("/results/companies/?year=2024&figure=affiliated&cohort=2024")
    text = only_2024.content.decode()
    assert "ZETA SEN AS" in text and "ALFA VEKST AS" not in text
    assert 'data-testid="drilldown-cohort"' in text
    doubled_2023 = client_a.get("/results/companies/?year=2024&figure=doubled&cohort=2023")
    assert "ALFA VEKST AS" in doubled_2023.content.decode()
    # Not a year: the cohort is ignored and every affiliated company is listed.
    every = client_a.get("/results/companies/?year=2024&cohort=abc").content.decode()
    assert "ZETA SEN AS" in every and "ALFA VEKST AS" in every

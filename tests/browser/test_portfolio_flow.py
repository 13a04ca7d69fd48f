"""The portfolio in a real browser: the demo advisor finds a company as they type, adds it to
the garden's portfolio, writes a note, logs hours, adds a contact person, and exports the
portfolio to Excel.

The register companies come from the shared bulk-file sample (a simple mapping in
tests/factories.py), so the flow does not depend on the companies demo data.
"""

import datetime
import io
import re
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from koblingsboks.companies.models import Affiliation
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.demo import DEMO_PASSWORD
from koblingsboks.network.models import Organisation
from tests.browser.test_main_flow import ADVISOR, ADVISOR_ORGANISATION, sign_in, url_of
from tests.factories import companies_from_register_sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Sample companies in the order the flow would use them, should the demo portfolio already
# hold one of them.
CANDIDATES = [
    ("918744126", "SVORKA SENSORIKK AS", "svorka sens"),
    ("985122474", "THAMSHAVN MEKANISKE AS", "thamshavn"),
    ("935114969", "FANNREM BATTERIRESIRKULERING AS", "fannrem batt"),
]
NOTE = "Første møte: vil eksportere sensorer til Sverige."
TOPIC = "Eksportplan og finansiering"


@pytest.fixture
def garden_and_company():
    call_command("load_demo", stdout=StringIO())
    companies_from_register_sample()
    garden = Organisation.objects.get(name=ADVISOR_ORGANISATION)
    with organisation_scope(garden):
        taken = set(
            Affiliation.objects.filter(organisation=garden).values_list(
                "company__org_number", flat=True
            )
        )
    org_number, name, query = next(c for c in CANDIDATES if c[0] not in taken)
    return garden, org_number, name, query


def test_find_add_note_hours_and_export(page, live_server, garden_and_company, tmp_path):
    garden, org_number, name, query = garden_and_company
    sign_in(page, ADVISOR, DEMO_PASSWORD)
    expect(page).to_have_url(url_of(live_server, "/dashboard/"))

    # Find the company as you type: htmx replaces the results and keeps the URL in step.
    page.locator("header nav a[href='/companies/']").click()
    expect(page).to_have_url(url_of(live_server, "/companies/"))
    page.locator("#id_q").press_sequentially(query, delay=30)
    result = page.locator(f"[data-testid=search-result][data-org-number='{org_number}']")
    expect(result).to_be_visible()
    expect(result).to_contain_text(name)
    expect(page).to_have_url(re.compile(r"/companies/\?q="))

    # Add it to the portfolio from the search result.
    result.get_by_test_id("add-to-portfolio").click()
    expect(page).to_have_url(url_of(live_server, f"/portfolio/add/?org_number={org_number}"))
    expect(page.get_by_test_id("company-preview")).to_contain_text(name)
    expect(page.locator("#id_org_number")).to_have_value(org_number)
    page.locator("#id_kind").select_option("incubator")
    page.locator("#id_phase").select_option("onboarding")
    page.get_by_test_id("affiliation-submit").click()
    expect(page).to_have_url(url_of(live_server, f"/companies/{org_number}/"))
    expect(page.get_by_test_id("company-name")).to_contain_text(name)
    expect(page.get_by_test_id("own-affiliation-row")).to_have_count(1)

    # A note, saved through htmx without leaving the page.
    page.locator("#id_text").fill(NOTE)
    page.get_by_test_id("note-submit").click()
    expect(page.get_by_test_id("note").first).to_contain_text(NOTE)
    expect(page.locator("#id_text")).to_have_value("")

    # Hours with a Norwegian decimal comma.
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    page.locator("#id_date").fill(yesterday.isoformat())
    page.locator("#id_hours").fill("1,5")
    page.locator("#id_topic").fill(TOPIC)
    page.get_by_test_id("advisory-submit").click()
    entry = page.get_by_test_id("advisory-entry").filter(has_text=TOPIC)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("1,5")

    # A contact person (private to the garden), saved through htmx; the same address twice
    # is refused with a message and nothing more is stored.
    contact_form = page.get_by_test_id("contact-form")
    expect(page.get_by_test_id("contacts-empty")).to_be_visible()
    contact_form.locator("[name=name]").fill("Kari Nordmann")
    contact_form.locator("[name=role]").fill("Daglig leder")
    contact_form.locator("[name=email]").fill("kari@bedrift.example")
    contact_form.locator("[name=phone]").fill("+47 900 00 000")
    page.get_by_test_id("contact-submit").click()
    contact = page.get_by_test_id("contact")
    expect(contact).to_have_count(1)
    expect(contact).to_contain_text("Kari Nordmann")
    expect(contact).to_contain_text("kari@bedrift.example")
    contact_form = page.get_by_test_id("contact-form")
    contact_form.locator("[name=name]").fill("Kari N.")
    contact_form.locator("[name=email]").fill("KARI@bedrift.example")
    page.get_by_test_id("contact-submit").click()
    expect(page.get_by_test_id("contacts")).to_contain_text("kari@bedrift.example")
    expect(page.get_by_test_id("contacts")).to_contain_text(
        "har allerede en kontaktperson med e-postadressen"
    )
    expect(page.get_by_test_id("contact")).to_have_count(1)

    # The portfolio lists it; export it to xlsx and read the file back.
    page.locator("header nav a[href='/portfolio/']").click()
    row = page.locator(f"[data-testid=portfolio-row][data-org-number='{org_number}']")
    expect(row).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"portfolio-{garden.slug}-")
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    workbook = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()), read_only=True)
    rows = [tuple(cell.value for cell in r) for r in workbook.worksheets[0].iter_rows()]
    ours = [r for r in rows[1:] if r[0] == org_number]
    assert len(ours) == 1
    exported = ours[0]
    assert exported[1] == name
    assert exported[9] == datetime.datetime.combine(datetime.date.today(), datetime.time())
    assert exported[10] is None  # no end date: ongoing
    assert exported[17] == 1.5  # the hours just logged
    with organisation_scope(garden):
        ongoing = Affiliation.objects.filter(organisation=garden, end_date__isnull=True).count()
    assert len(rows) - 1 >= ongoing  # every page of the active portfolio, not just the first

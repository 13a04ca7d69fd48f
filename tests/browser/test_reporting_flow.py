"""Results in a real browser: a garden manager reads the garden's results with charts,
drills into the companies behind "doubled turnover", compares the gardens of the network,
downloads the annual report as PDF and xlsx and reads them back, sends a satisfaction
survey link, and the company contact answers it without an account. The public network
page shows suppressed aggregates only."""

import io
import re
import subprocess
from io import StringIO

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from koblingsboks.network.demo import DEMO_PASSWORD
from koblingsboks.network.models import Municipality
from tests.browser.test_main_flow import sign_in, url_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MANAGER = "leder@orkdalsregionen.example"
NETWORK = "naeringshagene-i-sor-trondelag"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def test_results_drilldown_exports_and_survey(page, live_server, demo, tmp_path, chromium):
    sign_in(page, MANAGER, DEMO_PASSWORD)
    page.locator("header nav a[href='/results/']").click()
    expect(page).to_have_url(url_of(live_server, "/results/"))
    expect(page.get_by_test_id("results-title")).to_contain_text("Næringshagen i Orkdalsregionen")
    # The five charts are drawn, with bars for the years that have companies.
    for key in ("affiliated", "newly_started", "growth", "doubled", "employees"):
        expect(page.get_by_test_id(f"chart-{key}").locator("svg")).to_be_visible()
    assert page.get_by_test_id("chart-affiliated").locator("rect").count() >= 5

    # Another year and a changed definition, then drill into doubled turnover.
    page.locator("input[name=year]").fill("2024")
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(re.compile(r"/results/\?year=2024"))
    doubled = page.get_by_test_id("figure-doubled")
    share = doubled.locator(".results-value").inner_text()
    match = re.search(r"(\d+) av (\d+) bedrifter", doubled.inner_text())
    assert match, doubled.inner_text()
    count = int(match.group(1))
    doubled.get_by_role("link", name="Vis bedriftene").click()
    expect(page).to_have_url(re.compile(r"/results/companies/\?.*figure=doubled"))
    if count:
        expect(page.get_by_test_id("drilldown").locator("tbody tr")).to_have_count(count)
    else:
        expect(page.get_by_test_id("drilldown-empty")).to_be_visible()
    assert share.endswith("%")

    # The network: each company once, the gardens compared.
    page.goto(f"/results/networks/{NETWORK}/?year=2024")
    expect(page.get_by_test_id("comparison").locator("tbody tr")).to_have_count(4)

    # The annual report as PDF (read back with pdftotext) and as xlsx (openpyxl).
    with page.expect_download() as info:
        page.get_by_test_id("export-pdf").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Årsresultater 2024" in text and "Trøndelag" in text
    assert "Tilknyttede bedrifter" in text
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    xlsx = tmp_path / "report.xlsx"
    info.value.save_as(xlsx)
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    affiliated = list(workbook.worksheets[0].values)[2][1]
    assert isinstance(affiliated, int) and affiliated > 0
    assert len(list(workbook.worksheets[3].values)) == 5  # header + the four gardens

    # A survey for 2026: the first company's link goes by e-mail to its contact person (the
    # address is filled in from the company's contact persons), the second's is emptied and
    # passed on by hand.
    page.goto("/results/surveys/")
    form = page.get_by_test_id("survey-create")
    form.locator("#id_year").fill("2026")
    form.locator("#id_title").fill("Kundetilfredshet 2026")
    form.get_by_role("button", name="Opprett undersøkelsen").click()
    send = page.get_by_test_id("survey-send")
    boxes = send.locator("input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    addresses = send.locator("input[type=email]")
    contact_address = addresses.nth(0).input_value()
    assert contact_address.endswith(".example")  # a demo contact person's address
    addresses.nth(1).fill("")
    mail.outbox.clear()
    send.get_by_role("button", name="Send lenkene").click()
    link_text = page.get_by_test_id("survey-links").locator("code").first.inner_text()
    assert re.search(r"/survey/[^/]+/", link_text)
    assert [message.to for message in mail.outbox] == [[contact_address]]
    path = re.search(r"/survey/[^/\s]+/", mail.outbox[0].body).group(0)

    # The contact answers without an account, in a fresh browser context.
    contact = chromium.new_context(base_url=live_server.url, locale="nb-NO")
    answer = contact.new_page()
    answer.goto(path)
    answer.locator("input[name=score][value='6']").check()
    answer.locator("textarea[name=comment]").fill("Veldig god hjelp.")
    answer.get_by_role("button", name="Send svaret").click()
    expect(answer.get_by_test_id("survey-thanks")).to_be_visible()
    answer.goto(path)
    expect(answer.get_by_test_id("survey-already")).to_be_visible()

    # The public network page: gardens, municipalities, suppressed aggregates only.
    answer.goto("/explore/")
    answer.get_by_role("link", name="Næringshagene i Sør-Trøndelag").click()
    expect(answer.get_by_test_id("explore-gardens").locator("li")).to_have_count(4)
    # The municipalities the gardens serve (none when an earlier test flushed the
    # municipality register the migrations load).
    served = sorted(
        Municipality.objects.filter(organisations__network_links__network__slug=NETWORK)
        .values_list("name", flat=True)
        .distinct()
    )
    expect(answer.get_by_test_id("explore-municipalities")).to_have_text(
        ", ".join(served) if served else "–"
    )
    assert "/results/companies/" not in answer.content()
    contact.close()

    # The answer is the garden's: the survey page shows it.
    page.reload()
    expect(page.get_by_test_id("survey-answers")).to_contain_text("Veldig god hjelp.")

"""A joint project in a real browser: a garden manager drafts a project with a second garden
and an external partner, circulates it, both managers sign in the browser, the external
partner signs by the link in the e-mail, the agreement shows as signed and its PDF
downloads; then an amendment shows its diff and needs all signatures again."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from koblingsboks.network.demo import DEMO_PASSWORD, load_demo
from tests.browser.test_main_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEAD = "leder@kystkompetanse.example"
PARTNER = "leder@orkdalsregionen.example"
PARTNER_NAME = "Næringshagen i Orkdalsregionen"
SIGNER_EMAIL = "ordforer@hitra.example"


@pytest.fixture
def gardens():
    load_demo()


def _add_party(page, **fields):
    page.get_by_test_id("party-add").locator("summary").click()
    for name, value in fields.items():
        if name == "organisation":
            page.locator("#id_organisation").select_option(label=value)
        else:
            page.locator(f"#id_{name}").fill(value)
    page.get_by_test_id("party-add-submit").click()


def _add_responsibility(page, party: str, title: str):
    page.get_by_test_id("responsibility-add").locator("summary").click()
    page.locator("#id_party").select_option(label=party)
    page.locator("#id_title").fill(title)
    page.get_by_test_id("responsibility-add-submit").click()


def _budget_line(page, party: str, cash: str, in_kind: str):
    form = page.get_by_test_id("budget-line-form")
    form.locator("#id_party").select_option(label=party)
    form.locator("#id_year").select_option("2026")
    form.locator("#id_category").select_option("personnel")
    form.locator("#id_cash").fill(cash)
    form.locator("#id_in_kind").fill(in_kind)
    page.get_by_test_id("budget-line-submit").click()


def test_draft_circulate_sign_by_everybody_and_amend(page, live_server, gardens, tmp_path):
    sign_in(page, LEAD, DEMO_PASSWORD)
    page.goto("/projects/")
    page.get_by_test_id("project-create").click()
    page.locator("#id_title").fill("Kystnæring i samspill")
    page.locator("#id_purpose").fill("Felles utviklingsprogram for kystbedrifter.")
    page.locator("#id_start_date").fill("2026-01-01")
    page.locator("#id_end_date").fill("2026-12-31")
    page.get_by_test_id("project-save").click()
    expect(page.get_by_test_id("project-title")).to_have_text("Kystnæring i samspill")
    project_url = page.url

    _add_party(page, organisation=PARTNER_NAME, contact_name="Knut Bråten")
    _add_party(
        page,
        external_name="Hitra kommune",
        signer_name="Ordfører Kåre Strøm",
        signer_email=SIGNER_EMAIL,
    )
    expect(page.get_by_test_id("party-row")).to_have_count(3)
    # not ready: the problems are listed, and there is no button to circulate
    expect(page.get_by_test_id("circulation-problems")).to_be_visible()
    for party, title in [
        ("Trøndersk Kystkompetanse", "Prosjektledelse"),
        (PARTNER_NAME, "Bedriftsnettverk"),
        ("Hitra kommune", "Vertskap"),
    ]:
        _add_responsibility(page, party, title)

    page.get_by_test_id("tab-budget").click()
    _budget_line(page, "Trøndersk Kystkompetanse", "100 000", "20 000")
    _budget_line(page, PARTNER_NAME, "50 000", "10 000")
    _budget_line(page, "Hitra kommune", "0", "20 000")
    expect(page.get_by_test_id("budget-total")).to_have_text("kr\xa0200\xa0000")
    # funding that does not cover the total is shown as unbalanced
    funding = page.get_by_test_id("funding-form")
    funding.locator("#id_kind").select_option("programme")
    funding.locator("#id_name").fill("Siva")
    funding.locator("#id_amount").fill("150000")
    page.get_by_test_id("funding-submit").click()
    expect(page.get_by_test_id("funding-balance")).to_have_class(re.compile("errors"))
    funding = page.get_by_test_id("funding-form")
    funding.locator("#id_kind").select_option("county")
    funding.locator("#id_name").fill("Trøndelag fylkeskommune")
    funding.locator("#id_amount").fill("50000")
    page.get_by_test_id("funding-submit").click()
    expect(page.get_by_test_id("funding-balance")).to_have_class(re.compile("balanced"))

    page.goto(project_url)
    mail.outbox.clear()
    page.get_by_test_id("circulate").click()
    expect(page.get_by_test_id("project-status")).to_have_class(
        re.compile("project-status-circulated")
    )
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("signed-by")).to_have_count(1)

    # the second garden's manager signs in the browser
    page.context.clear_cookies()
    sign_in(page, PARTNER, DEMO_PASSWORD)
    page.goto(project_url)
    expect(page.get_by_test_id("sign")).to_have_count(1)
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("signed-by")).to_have_count(2)

    # the external partner signs by the one-time link from the e-mail
    message = next(m for m in mail.outbox if m.to == [SIGNER_EMAIL])
    link = re.search(r"https?://\S+/projects/sign/\S+/", message.body).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.locator("#id_signer_name").fill("Kåre Strøm")
    page.locator("#id_confirm").check()
    page.get_by_test_id("link-sign").click()
    expect(page.get_by_test_id("link-signed")).to_be_visible()
    page.goto(link)  # used: it signs nothing again
    expect(page.get_by_test_id("link-problem")).to_be_visible()

    sign_in(page, PARTNER, DEMO_PASSWORD)
    page.goto(project_url)
    expect(page.get_by_test_id("project-status")).to_have_class(re.compile("project-status-signed"))
    with page.expect_download() as download_info:
        page.get_by_test_id("signed-pdf").click()
    path = tmp_path / "avtale.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    # an amendment by the lead: a diff against the signed version, and new signatures
    page.context.clear_cookies()
    sign_in(page, LEAD, DEMO_PASSWORD)
    page.goto(project_url)
    page.get_by_test_id("amend").click()
    expect(page.get_by_test_id("amending")).to_be_visible()
    page.get_by_test_id("tab-budget").click()
    _budget_line(page, "Trøndersk Kystkompetanse", "80 000", "20 000")
    page.goto(project_url)
    expect(page.get_by_test_id("circulation-problems")).to_contain_text("kr")  # unbalanced
    page.get_by_test_id("tab-budget").click()
    page.locator("[data-testid=funding] tr", has_text="Siva").get_by_role("button").click()
    funding = page.get_by_test_id("funding-form")
    funding.locator("#id_kind").select_option("programme")
    funding.locator("#id_name").fill("Siva")
    funding.locator("#id_amount").fill("130000")
    page.get_by_test_id("funding-submit").click()
    expect(page.get_by_test_id("funding-balance")).to_have_class(re.compile("balanced"))
    page.goto(project_url)
    page.get_by_test_id("circulate").click()
    expect(page.get_by_test_id("not-signed")).to_have_count(3)
    page.goto(project_url + "versions/2/")
    diff = page.get_by_test_id("diff")
    expect(diff).to_contain_text("-Budsjett Trøndersk Kystkompetanse 2026")
    expect(diff).to_contain_text("kr\xa080\xa0000")

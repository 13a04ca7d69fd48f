"""The main flow in a real browser: sign in, switch language, read the network, sign out."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from koblingsboks.network.demo import DEMO_PASSWORD, GARDENS, NETWORK

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback restores the rows the data
    # migrations created (municipalities) after another transactional test flushed them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADVISOR = "radgiver@orkdalsregionen.example"
ADVISOR_ORGANISATION = "Næringshagen i Orkdalsregionen"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def url_of(live_server, path: str) -> re.Pattern:
    return re.compile(re.escape(f"{live_server.url}{path}") + "$")


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()


def test_sign_in_switch_language_read_network_and_sign_out(page, live_server, demo, tmp_path):
    # Sign in; the browser asks for Norwegian, and the dashboard is in Norwegian.
    sign_in(page, ADVISOR, DEMO_PASSWORD)
    expect(page).to_have_url(url_of(live_server, "/dashboard/"))
    expect(page.get_by_test_id("dashboard-title")).to_have_text(ADVISOR_ORGANISATION)
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()

    # Switch to English with the button in the header; the same page comes back in English.
    # (The button's label is itself translated: "Engelsk" in Norwegian.)
    page.locator("header button[name=language][value=en]").click()
    expect(page).to_have_url(url_of(live_server, "/dashboard/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_test_id("dashboard-title")).to_have_text(ADVISOR_ORGANISATION)

    # Networks → the network of the four gardens: its framework agreement and its parties.
    page.locator("header nav").get_by_role("link", name="Networks", exact=True).click()
    expect(page).to_have_url(url_of(live_server, "/networks/"))
    page.locator("main").get_by_role("link", name=NETWORK["name"], exact=True).click()
    expect(page).to_have_url(url_of(live_server, f"/networks/{NETWORK['slug']}/"))
    expect(page.get_by_test_id("network-title")).to_have_text(NETWORK["name"])
    expect(page.get_by_role("heading", name="Framework agreement")).to_be_visible()
    expect(page.get_by_text(NETWORK["agreement_title"], exact=True)).to_be_visible()
    parties = page.locator("main table")
    assert len(GARDENS) == 4
    for garden in GARDENS:
        expect(parties.get_by_role("link", name=garden.name, exact=True)).to_be_visible()

    # Sign out: back at the login page, and the dashboard now asks to sign in again.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(url_of(live_server, "/accounts/login/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/dashboard/")
    expect(page).to_have_url(url_of(live_server, "/accounts/login/?next=/dashboard/"))
    expect(page.locator("#id_password")).to_be_visible()
    expect(page.locator("form[action$='/logout/']")).to_have_count(0)

    screenshot = tmp_path / "main-flow.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0
    assert screenshot.read_bytes().startswith(PNG_SIGNATURE)


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(page, live_server, demo):
    sign_in(page, ADVISOR, "not-the-password")
    # The wording is the translators' to change; it speaks of the password in either language.
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_text(re.compile(r"passord|password", re.IGNORECASE))
    expect(page).to_have_url(url_of(live_server, "/accounts/login/"))
    expect(page.locator("#id_username")).to_have_value(ADVISOR)
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("form[action$='/logout/']")).to_have_count(0)

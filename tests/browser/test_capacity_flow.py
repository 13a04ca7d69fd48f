"""Capacity across gardens in a real browser, the whole loop: Næringshagen i Orkdalsregionen
asks for help, Nasjonalparken Næringshage accepts, its advisor logs hours, both managers
approve the settlement, and the settlement's xlsx shows the right amount.

The demo data holds no booking or settlement between these two gardens, so the amounts are
exactly those of this flow: 4 hours at the demo offer's kr 850 = kr 3 400.
"""

import datetime
import io
import re
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from koblingsboks.network.demo import DEMO_PASSWORD
from tests.browser.test_main_flow import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REQUESTER_ADVISOR = "radgiver@orkdalsregionen.example"
REQUESTER_MANAGER = "leder@orkdalsregionen.example"
PROVIDER_MANAGER = "leder@nasjonalparken.example"
PROVIDER_ADVISOR = "radgiver@nasjonalparken.example"
OFFER = "Reiselivspakker og digital markedsføring"
TITLE = "Vinterpakke for gårdsturisme"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def _switch_user(page, email):
    page.context.clear_cookies()
    sign_in(page, email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_request_accept_log_settle_and_export(page, live_server, demo, tmp_path):
    today = timezone.localdate()
    worked_on = today.replace(day=1) - datetime.timedelta(days=3)  # last month

    # Garden A's advisor asks the network for help.
    _switch_user(page, REQUESTER_ADVISOR)
    page.goto("/capacity/requests/new/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_need").fill("En gård vil lage vinterpakker med overnatting og aktiviteter.")
    page.locator("#id_competences").select_option(label="Reiseliv og opplevelser")
    page.locator("#id_hours").fill("6")
    page.locator("#id_window_start").fill((today - datetime.timedelta(days=60)).isoformat())
    page.locator("#id_window_end").fill((today + datetime.timedelta(days=60)).isoformat())
    page.get_by_test_id("request-submit").click()
    expect(page.locator("h1")).to_contain_text(TITLE)

    # The suggestions list garden B's offer; book 6 hours of it.
    suggestion = page.get_by_test_id("suggestion").filter(has_text=OFFER)
    expect(suggestion).to_be_visible()
    suggestion.locator("input[name=hours]").fill("6")
    suggestion.get_by_test_id("propose-submit").click()
    expect(page.get_by_test_id("booking-state")).to_have_text("foreslått")
    booking_url = page.url

    # Garden B's manager sees it among the incoming bookings and accepts.
    _switch_user(page, PROVIDER_MANAGER)
    page.goto("/capacity/bookings/?direction=incoming")
    page.get_by_test_id("booking-row").filter(has_text=TITLE).get_by_role("link").click()
    page.get_by_test_id("booking-accept").click()
    expect(page.get_by_test_id("booking-state")).to_have_text("akseptert")

    # Garden B's advisor (the offer's person) logs 4 hours, worked last month.
    _switch_user(page, PROVIDER_ADVISOR)
    page.goto(booking_url)
    form = page.get_by_test_id("time-form")
    form.locator("input[name=date]").fill(worked_on.isoformat())
    form.locator("input[name=hours]").fill("4")
    form.locator("input[name=description]").fill("Workshop med gården")
    page.get_by_test_id("time-submit").click()
    expect(page.get_by_test_id("time-row")).to_have_count(1)
    expect(page.get_by_test_id("booking-logged")).to_contain_text("4")

    # Garden B's manager opens the settlement for last month and approves (freezes) it.
    _switch_user(page, PROVIDER_MANAGER)
    page.goto("/capacity/settlements/")
    page.locator("#id_counterpart").select_option(label="Næringshagen i Orkdalsregionen")
    page.locator("#id_kind").select_option("month")
    page.locator("#id_year").fill(str(worked_on.year))
    page.locator("#id_number").fill(str(worked_on.month))
    page.get_by_test_id("settlement-submit").click()
    expect(page.get_by_test_id("settlement-net")).to_contain_text("3\xa0400")
    settlement_url = page.url
    page.get_by_test_id("settlement-approve").click()
    expect(page.get_by_test_id("settlement-state")).to_have_text(
        "venter på den andre godkjenningen"
    )

    # Garden A's manager approves too.
    _switch_user(page, REQUESTER_MANAGER)
    page.goto(settlement_url)
    page.get_by_test_id("settlement-approve").click()
    expect(page.get_by_test_id("settlement-state")).to_have_text("godkjent")
    expect(page.get_by_test_id("settlement-approve")).to_have_count(0)

    # The xlsx: one line of 4 hours at kr 850, and the net: Orkdal owes Nasjonalparken 3 400.
    with page.expect_download() as download_info:
        page.get_by_test_id("settlement-xlsx").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    workbook = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()), read_only=True)
    rows = [tuple(cell.value for cell in row) for row in workbook.worksheets[0].iter_rows()]
    lines = [row for row in rows[1:] if row[2] is not None]
    assert [(row[3], row[4], row[6], row[7], row[8]) for row in lines] == [
        (TITLE, "Nasjonalparken Næringshage", 4, 850, 3400)
    ]
    net = rows[-1]
    assert (net[4], net[5], net[8]) == (
        "Næringshagen i Orkdalsregionen",
        "Nasjonalparken Næringshage",
        3400,
    )

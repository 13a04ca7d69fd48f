"""The news feed in a real browser: an advisor in one garden posts to the network with an
attachment and mentions a colleague in another garden; the colleague signs in, sees the
notification, comments and opens the attachment; a user of an organisation outside the
network can reach neither the post nor the file by URL."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from koblingsboks.network.demo import DEMO_PASSWORD
from koblingsboks.network.models import Role
from tests.browser.test_main_flow import sign_in, url_of
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AUTHOR = "radgiver@orkdalsregionen.example"
COLLEAGUE = "radgiver@nasjonalparken.example"
TITLE = "Finansieringsdag i gründeruka"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", stdout=StringIO())
    outsider_org = OrganisationFactory(name="Utenfor Næringshage")
    outsider = UserFactory(email="utenfor@utenfor.example")
    outsider.set_password(DEMO_PASSWORD)
    outsider.save()
    with scopes_disabled():
        MembershipFactory(organisation=outsider_org, user=outsider, role=Role.ADMIN)
    return outsider


def _sign_out(page):
    page.locator("header form[action='/accounts/logout/'] button").click()


def test_post_mention_comment_and_attachment_across_gardens(page, live_server, demo, tmp_path):
    attachment = tmp_path / "Program finansieringsdag.pdf"
    attachment.write_bytes(PDF)

    # The advisor in Orkdal writes to the network, with a file and a mention.
    sign_in(page, AUTHOR, DEMO_PASSWORD)
    expect(page).to_have_url(url_of(live_server, "/dashboard/"))
    page.locator("header nav a[href='/feed/']").click()
    page.get_by_test_id("post-create").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_body").fill(
        f"Vi trenger en rådgiver på finansieringsdagen. @{COLLEAGUE}, kan du ta den?"
    )
    page.locator("#id_kind").select_option("event")
    page.locator("#id_audience").select_option("network")
    page.locator("#id_tags").fill("gründer, finansiering")
    page.locator("#id_files").set_input_files(str(attachment))
    page.get_by_test_id("post-submit").click()
    expect(page.get_by_test_id("post-title")).to_have_text(TITLE)
    post_url = page.url
    file_link = page.get_by_test_id("attachment-link")
    expect(file_link).to_have_text("Program finansieringsdag.pdf")
    file_url = file_link.get_attribute("href")
    _sign_out(page)

    # The colleague in Oppdal sees the notification in the header and follows it.
    sign_in(page, COLLEAGUE, DEMO_PASSWORD)
    expect(page.get_by_test_id("notification-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    page.get_by_test_id("notification-counter").click()
    mention = page.get_by_test_id("notification").filter(has_text=TITLE)
    expect(mention).to_have_count(1)
    mention.get_by_test_id("notification-open").click()
    expect(page).to_have_url(post_url)
    expect(page.get_by_test_id("post-body")).to_contain_text("finansieringsdagen")

    # …comments…
    page.locator("#id_body").fill("Ja, jeg tar finansieringsdagen.")
    page.get_by_test_id("comment-submit").click()
    expect(page.get_by_test_id("comment").filter(has_text="Ja, jeg tar")).to_have_count(1)

    # …and opens the attachment.
    response = page.request.get(file_url)
    assert response.status == 200
    assert response.body().startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    _sign_out(page)

    # A user outside the network reaches neither the post nor the file.
    sign_in(page, "utenfor@utenfor.example", DEMO_PASSWORD)
    expect(page).to_have_url(url_of(live_server, "/dashboard/"))
    assert page.goto(post_url).status == 404
    assert page.request.get(file_url).status == 404
    page.goto("/feed/")
    expect(page.get_by_text(TITLE)).to_have_count(0)


def test_mention_autocomplete_suggests_people_of_the_network(page, live_server, demo):
    sign_in(page, AUTHOR, DEMO_PASSWORD)
    expect(page).to_have_url(url_of(live_server, "/dashboard/"))
    page.goto("/feed/new/")
    body = page.locator("#id_body")
    body.click()
    body.press_sequentially("Takk til @radgiver@nas", delay=20)
    suggestion = page.get_by_test_id("mention-suggestion")
    expect(suggestion).to_have_count(0)  # an address after the @: nothing to complete
    body.fill("")
    body.press_sequentially("Takk til @ra", delay=20)
    colleague = suggestion.filter(has_text=COLLEAGUE)
    expect(colleague).to_have_count(1)
    expect(suggestion.filter(has_text="utenfor@utenfor.example")).to_have_count(0)
    colleague.click()
    expect(body).to_have_value(f"Takk til @{COLLEAGUE} ")
    expect(suggestion).to_have_count(0)

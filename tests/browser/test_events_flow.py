"""Events in a real browser: a visitor finds a public event on the public page, registers
without an account (taking the last seat), gets a confirmation e-mail with a valid .ics,
cancels by the link in it, and the first person on the waitlist moves up (and is told)."""

import datetime
import re

import icalendar
import pytest
import vobject
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events import services
from koblingsboks.events.models import Event, Registration
from tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Frokostmøte om eksport"


@pytest.fixture
def full_but_one(settings):
    settings.EVENTS_MIN_FILL_SECONDS = 1
    garden = OrganisationFactory(name="Hitra Næringshage")
    starts = (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    event = services.event_create(
        organisation=garden,
        data={
            "title": TITLE,
            "kind": Event.Kind.SEMINAR,
            "description": "Kaffe og **eksportråd**.",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "location": "Fillan",
            "capacity": 2,
            "price": 0,
            "audience": Event.Audience.PUBLIC,
        },
        actor=None,
    )
    event = services.event_change_status(event=event, status="published", actor=None)
    services.registration_create(event=event, name="Tidlig Fugl", email="tidlig@example.no")
    return event


def _status(event, email):
    with organisation_scope(event.organisation):
        return Registration.objects.get(event=event, email=email).status


def test_register_get_ics_cancel_and_waitlist_moves_up(page, live_server, full_but_one):
    event = full_but_one
    page.goto("/e/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("seats")).to_contain_text("1 plass igjen")

    page.get_by_label("Navn").fill("Kari Nordmann")
    page.get_by_label("E-post").fill("kari@bedrift.no")
    page.get_by_label("Allergier, kosthold eller andre behov").fill("Laktosefri")
    page.get_by_label("Jeg godtar").check()
    page.wait_for_timeout(1200)  # people take longer than the minimum fill time
    page.get_by_test_id("register-submit").click()

    expect(page.get_by_role("status")).to_contain_text("plassen din er bekreftet")
    expect(page.get_by_test_id("seats")).to_contain_text("Fullt")
    assert _status(event, "kari@bedrift.no") == "confirmed"

    # The confirmation: a valid calendar file, read by two independent parsers.
    [confirmation] = [m for m in mail.outbox if m.to == ["kari@bedrift.no"]]
    filename, content, mimetype = confirmation.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    [vevent] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == TITLE
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vobject.readOne(content).vevent.dtstart.value == event.starts_at

    # Somebody else registers now: the event is full, so they wait.
    services.registration_create(event=event, name="Neste Mann", email="neste@example.no")
    assert _status(event, "neste@example.no") == "waitlisted"
    mail.outbox.clear()

    cancel_link = re.search(r"https?://\S+/cancel/", confirmation.body).group(0)
    page.goto(cancel_link)
    page.get_by_test_id("cancel-confirm").click()
    expect(page.get_by_test_id("cancel-done")).to_be_visible()

    assert _status(event, "kari@bedrift.no") == "cancelled"
    assert _status(event, "neste@example.no") == "confirmed"
    promoted = [m for m in mail.outbox if m.to == ["neste@example.no"]]
    assert promoted and promoted[0].attachments

    # The link used twice changes nothing and says so.
    page.goto(cancel_link)
    expect(page.get_by_test_id("cancel-already")).to_be_visible()

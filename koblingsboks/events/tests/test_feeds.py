"""iCalendar feeds: valid RFC 5545 (parsed by icalendar and, independently, by vobject),
Europe/Oslo with a VTIMEZONE, stable UIDs, CRLF and folded lines; what each feed shows."""

import datetime

import icalendar
import pytest
import vobject
from django.urls import reverse

from koblingsboks.events import services
from koblingsboks.events.ics import event_uid
from koblingsboks.events.tests.factories import make_event

pytestmark = pytest.mark.django_db


def _lines_ok(body: bytes) -> None:
    assert body.endswith(b"\r\n")
    for line in body.split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line  # folded at 75 octets


def _parse_both(body: bytes):
    calendar = icalendar.Calendar.from_ical(body)
    parsed = vobject.readOne(body.decode("utf-8"))
    return calendar, parsed


def test_organisation_feed_is_valid_and_round_trips(client, tenant_a):
    long_title = "Lederskap i vekstbedrifter: strategi, økonomi og " + "rekruttering " * 4
    summer = make_event(
        tenant_a.organisation,
        title=long_title.strip(),
        description="Første linje.\n\nAndre *linje* med [lenke](https://example.no).",
        location="Orkanger, Havnegata 1; 2. etasje",
    )
    winter = make_event(tenant_a.organisation, title="Vinterkurs", days_ahead=60)
    make_event(tenant_a.organisation, title="Intern samling", audience="organisation")
    url = reverse("events:organisation-feed", kwargs={"slug": tenant_a.organisation.slug})

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    _lines_ok(body)
    calendar, parsed = _parse_both(body)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {event_uid(summer), event_uid(winter)}  # not the internal one
    [tz] = calendar.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Oslo"
    first = events[event_uid(summer)]
    assert str(first["SUMMARY"]) == summer.title
    assert first["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert first.decoded("DTSTART") == summer.starts_at
    assert first.decoded("DTEND") == summer.ends_at
    assert "Andre linje med lenke" in str(first["DESCRIPTION"])
    assert str(first["LOCATION"]) == "Orkanger, Havnegata 1; 2. etasje"

    # The second, independent parser reads the same events and instants.
    vevents = {ve.uid.value: ve for ve in parsed.vevent_list}
    assert set(vevents) == set(events)
    assert vevents[event_uid(summer)].summary.value == summer.title
    assert vevents[event_uid(summer)].dtstart.value == summer.starts_at
    assert vevents[event_uid(winter)].dtend.value == winter.ends_at
    assert vevents[event_uid(summer)].location.value == "Orkanger, Havnegata 1; 2. etasje"
    # Round trip: vobject serialises what it read, icalendar reads that again.
    again = icalendar.Calendar.from_ical(parsed.serialize())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)


def test_uids_are_stable_and_sequence_grows(client, tenant_a):
    event = make_event(tenant_a.organisation)
    url = reverse("events:public-ics", kwargs={"public_id": event.public_id})
    first = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    services.event_update(event=event, data={"title": "Nytt navn"}, actor=tenant_a.admin)
    second = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert first["UID"] == second["UID"]
    assert str(second["SUMMARY"]) == "Nytt navn"
    assert int(second["SEQUENCE"]) >= int(first["SEQUENCE"])


def test_network_feeds_public_and_private(client, tenant_a, tenant_b, shared_network):
    public = make_event(tenant_b.organisation, title="Åpent seminar")
    internal = make_event(
        tenant_a.organisation,
        title="Nettverkssamling",
        audience="network",
        network=shared_network,
        kind="network_meeting",
    )
    own = make_event(tenant_a.organisation, title="Bare for oss", audience="organisation")
    draft = make_event(tenant_a.organisation, title="Utkast", publish=False)

    response = client.get(reverse("events:network-feed", kwargs={"slug": shared_network.slug}))
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {event_uid(public)}

    token, raw = services.feed_token_create(
        organisation=tenant_a.organisation,
        network=shared_network,
        name="Outlook",
        actor=tenant_a.admin,
    )
    private_url = reverse("events:network-private-feed", kwargs={"token": raw})
    body = client.get(private_url).content
    _lines_ok(body)
    calendar, parsed = _parse_both(body)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {event_uid(public), event_uid(internal)}
    assert event_uid(own) not in uids and event_uid(draft) not in uids
    assert {ve.uid.value for ve in parsed.vevent_list} == uids

    # Only the hash is stored: the hash itself is not a valid secret; revoked links stop.
    assert (
        client.get(
            reverse("events:network-private-feed", kwargs={"token": token.token_hash})
        ).status_code
        == 404
    )
    services.feed_token_revoke(token=token, actor=tenant_a.admin)
    assert client.get(private_url).status_code == 404


def test_cancelled_event_is_in_the_feed_as_cancelled(client, tenant_a):
    event = make_event(tenant_a.organisation)
    services.event_change_status(event=event, status="cancelled", actor=tenant_a.admin)
    url = reverse("events:organisation-feed", kwargs={"slug": tenant_a.organisation.slug})
    [vevent] = icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_feeds_are_rate_limited(client, tenant_a, settings):
    url = reverse("events:organisation-feed", kwargs={"slug": tenant_a.organisation.slug})
    codes = [client.get(url).status_code for _ in range(121)]
    assert codes[:120] == [200] * 120 and codes[120] == 429
    response = client.get(url)
    assert response["Retry-After"].isdigit()
    assert response.json()["retry_after"] > 0


@pytest.mark.parametrize(
    "local,offset",
    [
        (datetime.datetime(2027, 3, 27, 9, 0), 1),  # the day before summer time
        (datetime.datetime(2027, 3, 29, 9, 0), 2),  # the day after it starts
        (datetime.datetime(2027, 10, 31, 9, 0), 1),  # the day winter time comes back
    ],
)
def test_local_times_survive_daylight_saving_in_both_parsers(tenant_a, local, offset):
    from zoneinfo import ZoneInfo

    from koblingsboks.events.ics import calendar_bytes

    starts = local.replace(tzinfo=ZoneInfo("Europe/Oslo"))
    event = make_event(tenant_a.organisation, title="Kurs")
    event.starts_at, event.ends_at = starts, starts + datetime.timedelta(hours=2)

    body = calendar_bytes([event], name="x", base_url="http://testserver/")

    assert f"DTSTART;TZID=Europe/Oslo:{local:%Y%m%dT%H%M%S}".encode() in body
    parsed = vobject.readOne(body.decode())
    assert parsed.vevent.dtstart.value.utcoffset() == datetime.timedelta(hours=offset)
    assert parsed.vevent.dtstart.value == starts
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert vevent.decoded("DTSTART") == starts

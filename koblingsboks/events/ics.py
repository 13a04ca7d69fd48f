"""iCalendar (RFC 5545) for events: one event as an attachment, or a feed of many.

Times are written in Europe/Oslo (DTSTART;TZID=Europe/Oslo) with its VTIMEZONE. UIDs are
stable (``event-<public id>@koblingsboks``), so a calendar updates an event rather than
adding it twice; SEQUENCE grows with every change (seconds since creation of the last
change), and a cancelled event is sent with STATUS:CANCELLED. The icalendar library folds
lines at 75 octets and ends them with CRLF.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vText
from icalendar import Event as VEvent

from koblingsboks.core.markdown import markdown_to_text
from koblingsboks.events.models import Event

OSLO = ZoneInfo("Europe/Oslo")
PRODID = "-//Koblingsboks//Events//NB"
STATUS = {
    Event.Status.PUBLISHED: "CONFIRMED",
    Event.Status.HELD: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
    Event.Status.DRAFT: "TENTATIVE",
}


def oslo_vtimezone() -> Timezone:
    """Europe/Oslo as the EU rule since 1996 (last Sunday of March / October, 01:00 UTC).

    Written with RRULEs, the way Outlook and Google publish it: every client reads these,
    while a list of RDATEs (icalendar's generated VTIMEZONE) is misread by some parsers.
    """
    timezone = Timezone()
    timezone.add("tzid", "Europe/Oslo")
    timezone.add("x-lic-location", "Europe/Oslo")
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", datetime.timedelta(hours=1))
    daylight.add("tzoffsetto", datetime.timedelta(hours=2))
    daylight.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", datetime.timedelta(hours=2))
    standard.add("tzoffsetto", datetime.timedelta(hours=1))
    standard.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone


def event_uid(event: Event) -> str:
    return f"event-{event.public_id}@koblingsboks"


def _location(event: Event) -> str:
    return ", ".join(part for part in (event.location, event.online_url) if part)


def _vevent(event: Event, *, base_url: str, stamp: datetime.datetime) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts_at.astimezone(OSLO))
    vevent.add("dtend", event.ends_at.astimezone(OSLO))
    vevent.add("summary", event.title)
    description = markdown_to_text(event.description)
    url = ""
    if event.audience == Event.Audience.PUBLIC:
        url = base_url.rstrip("/") + reverse(
            "events:public-detail", kwargs={"public_id": event.public_id}
        )
        description = f"{description}\n\n{url}".strip()
    if description:
        vevent.add("description", description)
    if url:
        vevent.add("url", url)
    location = _location(event)
    if location:
        vevent.add("location", vText(location))
    vevent.add("status", STATUS[event.status])
    vevent.add("created", event.created_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("sequence", max(0, int((event.updated_at - event.created_at).total_seconds())))
    vevent.add("categories", [str(event.get_kind_display())])
    return vevent


def calendar_bytes(
    events: Iterable[Event], *, name: str, base_url: str, method: str | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE they need."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    stamp = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)
    calendar.add_component(oslo_vtimezone())
    for event in events:
        calendar.add_component(_vevent(event, base_url=base_url, stamp=stamp))
    return calendar.to_ical()


def event_ics(event: Event, *, base_url: str) -> bytes:
    """One event, as attached to a confirmation e-mail (METHOD:PUBLISH)."""
    return calendar_bytes([event], name=event.title, base_url=base_url, method="PUBLISH")

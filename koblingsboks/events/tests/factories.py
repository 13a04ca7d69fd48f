"""Test helpers for events: a published event hosted by a tenant, built through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from koblingsboks.events.models import Event
from koblingsboks.events.services import event_change_status, event_create


def make_event(
    organisation,
    *,
    actor=None,
    publish=True,
    days_ahead=14,
    hours=3,
    shares=None,
    **fields,
) -> Event:
    starts = (timezone.now() + datetime.timedelta(days=days_ahead)).replace(
        minute=0, second=0, microsecond=0
    )
    data = {
        "title": "Eksportseminar",
        "kind": Event.Kind.SEMINAR,
        "description": "Om **eksport** til Norden.",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "location": "Hitra næringshage",
        "capacity": 20,
        "price": Decimal("0"),
        "audience": Event.Audience.PUBLIC,
    }
    data.update(fields)
    event = event_create(organisation=organisation, data=data, actor=actor, shares=shares)
    if publish:
        event = event_change_status(event=event, status=Event.Status.PUBLISHED, actor=actor)
    return event

"""load_demo adds past and upcoming events of the four gardens, and a second run adds none."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from koblingsboks.events.demo import load_app_demo
from koblingsboks.events.models import Event, EventHost, Registration

pytestmark = pytest.mark.django_db


def test_demo_events_are_varied_and_idempotent():
    call_command("load_demo", stdout=StringIO())
    assert load_app_demo() == 0
    with scopes_disabled():
        events = list(Event.objects.all())
        statuses = {e.status for e in events}
        assert {"held", "published", "draft"} <= statuses
        assert {e.audience for e in events} == {"organisation", "network", "public"}
        co_hosted = [e for e in events if EventHost.objects.filter(event=e).count() > 1]
        assert len(co_hosted) >= 2
        full = [
            e for e in events if Registration.objects.filter(event=e, status="waitlisted").exists()
        ]
        assert full and all(
            Registration.objects.filter(event=e, status="confirmed").count() == e.capacity
            for e in full
        )
        for event in co_hosted:
            assert sum(h.share for h in EventHost.objects.filter(event=event)) == 100

"""manage.py close_past_events — mark published events that have ended as held, which sends
the feedback form to their participants. Run it daily (cron or a scheduled task)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events.models import Event
from koblingsboks.events.services import event_change_status
from koblingsboks.network.models import Organisation


class Command(BaseCommand):
    help = "Mark events that ended some hours ago as held and send the feedback form."

    def add_arguments(self, parser):
        parser.add_argument("--after-hours", type=int, default=2)
        parser.add_argument(
            "--base-url", default="http://localhost:8000/", help="For the links in the e-mails"
        )

    def handle(self, *args, after_hours, base_url, **options):
        before = timezone.now() - datetime.timedelta(hours=after_hours)
        closed = 0
        # Each lead host's own events, in its own scope (no scope is disabled).
        for organisation in Organisation.objects.order_by("pk"):
            with organisation_scope(organisation):
                events = list(
                    Event.objects.filter(
                        organisation=organisation,
                        status=Event.Status.PUBLISHED,
                        ends_at__lte=before,
                    )
                )
            for event in events:
                event_change_status(
                    event=event, status=Event.Status.HELD, actor=None, base_url=base_url
                )
                closed += 1
        self.stdout.write(f"{closed} event(s) marked as held.")

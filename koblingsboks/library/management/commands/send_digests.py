"""manage.py send_digests — send the daily and weekly digests that are due, now; or print
one user's digest for a period without sending it (--preview)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koblingsboks.library.notifications.digest import digest_for, render_digest, send_digests
from koblingsboks.network.models import User


class Command(BaseCommand):
    help = "Send the digest e-mails that are due (the background task, run by hand)."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=["daily", "weekly"], default="")
        parser.add_argument("--now", default="", help="ISO date-time to run as (replays)")
        parser.add_argument("--preview", metavar="EMAIL", help="print this user's digest only")
        parser.add_argument("--since", help="preview period start (YYYY-MM-DD), default 7 days")
        parser.add_argument("--until", help="preview period end (YYYY-MM-DD, exclusive)")

    def handle(self, *args, **options):
        if options["preview"]:
            return self._preview(options)
        result = send_digests.enqueue(frequency=options["frequency"], now=options["now"])
        value = result.return_value if result.is_finished else None
        if value is None:
            self.stdout.write(f"Digest task queued ({result.id}).")
        else:
            self.stdout.write(
                f"Digests sent: {value['sent']}, empty and not sent: {value['empty']}."
            )

    def _preview(self, options):
        user = User.objects.filter(email__iexact=options["preview"]).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {options['preview']}.")

        def moment(value, default):
            if not value:
                return default
            day = datetime.date.fromisoformat(value)
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

        until = moment(options["until"], timezone.now())
        since = moment(options["since"], until - datetime.timedelta(days=7))
        subject, text, _html = render_digest(digest_for(user=user, since=since, until=until))
        self.stdout.write(f"Subject: {subject}\n\n{text}")

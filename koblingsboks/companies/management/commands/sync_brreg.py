"""manage.py sync_brreg — apply the entity register's updates feed since the last sync."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koblingsboks.companies.register.client import RegisterClient
from koblingsboks.companies.register.sync import SyncError, SyncResult, sync_register


def _moment(value: str) -> datetime.datetime:
    """An ISO date (midnight, Oslo time) or date and time."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--since-date {value!r} is not an ISO date such as 2026-10-01"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Apply the updates feed of Enhetsregisteret since the last sync: new and changed "
        "entities are upserted, deleted ones get a deletion date. The first run needs "
        "--since-id or --since-date."
    )

    def __init__(self, *args, client: RegisterClient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def add_arguments(self, parser):
        start = parser.add_mutually_exclusive_group()
        start.add_argument(
            "--since-id", type=int, help="the last update id already applied (overrides the cursor)"
        )
        start.add_argument(
            "--since-date",
            help="read the feed from this moment (ISO; a date means midnight Oslo time)",
        )
        parser.add_argument(
            "--with-accounts",
            action="store_true",
            help="also fetch the latest annual accounts of new and changed companies",
        )
        parser.add_argument("--page-size", type=int, default=1000, help="feed items per page")

    def handle(self, *args, **options):
        if not 1 <= options["page_size"] <= 10_000:
            raise CommandError("--page-size must be between 1 and 10000.")
        since = _moment(options["since_date"]) if options["since_date"] else None
        client = self.client or RegisterClient()
        try:
            result = sync_register(
                client=client,
                since_id=options["since_id"],
                since=since,
                page_size=options["page_size"],
                with_accounts=options["with_accounts"],
                progress=self._progress,
            )
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if self.client is None:
                client.close()
        self.stdout.write(self._summary(result))
        if result.accounts_failed:
            self.stdout.write(
                self.style.WARNING(
                    "Accounts not fetched for: " + "; ".join(result.accounts_failed[:20])
                )
            )

    def _progress(self, result: SyncResult) -> None:
        self.stdout.write(
            f"Page {result.pages}: {result.events} updates applied, "
            f"cursor at {result.last_update_id}."
        )

    def _summary(self, result: SyncResult) -> str:
        if result.pages == 0:
            return "No new updates."
        text = (
            f"Applied {result.events} updates ({result.first_update_id}–"
            f"{result.last_update_id}): {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.marked_deleted} marked deleted, "
            f"{result.skipped} skipped, {result.not_found} not found."
        )
        if result.accounts.created or result.accounts.updated or result.accounts.unchanged:
            a = result.accounts
            text += f" Accounts: {a.created} created, {a.updated} updated, {a.unchanged} unchanged."
        return text

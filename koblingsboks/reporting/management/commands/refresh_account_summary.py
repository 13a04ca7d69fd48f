"""manage.py refresh_account_summary [--check] — rebuild the KPI reports' account summary
(PostgreSQL) from the accounts, or with --check only report the companies whose summary
differs. Needed only after a load that bypassed the triggers (docs/reporting.md)."""

from django.core.management.base import BaseCommand, CommandError

from koblingsboks.reporting.account_summary import (
    account_summary_available,
    account_summary_differences,
    rebuild_account_summary,
)


class Command(BaseCommand):
    help = "Rebuild the account summary the KPI reports read on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="only compare; exit with status 1 if any company's summary differs",
        )

    def handle(self, *args, check: bool, **options):
        if not account_summary_available():
            self.stdout.write("SQLite: there is no account summary; reports read the accounts.")
            return
        if check:
            differing = account_summary_differences()
            if differing:
                shown = ", ".join(str(pk) for pk in differing[:20])
                raise CommandError(
                    f"{len(differing)} companies' summary differs from their accounts "
                    f"(ids {shown}{' …' if len(differing) > 20 else ''}); "
                    "run manage.py refresh_account_summary"
                )
            self.stdout.write("The account summary agrees with the accounts.")
            return
        count = rebuild_account_summary()
        self.stdout.write(f"Account summary rebuilt: {count} companies with accounts.")

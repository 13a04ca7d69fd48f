"""manage.py import_accounts FILE — annual accounts in the accounts register's JSON shape."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koblingsboks.companies.key_figures import key_figures_upsert_accounts
from koblingsboks.companies.models import ImportRun
from koblingsboks.companies.register.accounts import AccountsError, iter_accounts_file

IMPORT_KIND = "accounts"


class Command(BaseCommand):
    help = (
        "Import annual accounts: one org.nr's API response (a JSON array of accounts) or an "
        "object mapping org.nr to such arrays; plain or gzipped. All or nothing; a second "
        "run with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .json or .json.gz file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        run = ImportRun.objects.create(kind=IMPORT_KIND, source_name=str(path)[:500])
        try:
            result = key_figures_upsert_accounts(records=iter_accounts_file(path))
        except (AccountsError, OSError) as exc:
            run.status = ImportRun.Status.FAILED
            run.error = str(exc)[:5000]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error", "finished_at"])
            raise CommandError(f"{exc}\nNothing was imported.") from exc
        run.status = ImportRun.Status.DONE
        run.records_read = (
            result.created + result.updated + result.unchanged + result.replaced + result.skipped
        )
        run.created = result.created
        run.updated = result.updated + result.replaced
        run.unchanged = result.unchanged
        run.finished_at = timezone.now()
        run.save()
        self.stdout.write(
            f"Read {run.records_read} accounts: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged, "
            f"{result.replaced} replaced imported or self-reported figures."
        )
        if result.skipped:
            unknown = sorted(result.unknown_companies)
            shown = ", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else "")
            self.stdout.write(
                self.style.WARNING(
                    f"Skipped {result.skipped} accounts of {len(unknown)} companies not in the "
                    f"register data (run import_brreg or sync_brreg first): {shown}"
                )
            )

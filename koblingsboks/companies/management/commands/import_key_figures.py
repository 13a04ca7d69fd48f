"""manage.py import_key_figures FILE.csv — earlier years and companies without accounts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from koblingsboks.companies.key_figures import (
    CSV_COLUMNS,
    KeyFiguresImportError,
    key_figures_import_csv,
)
from koblingsboks.companies.models import ImportRun
from koblingsboks.network.models import Organisation
from koblingsboks.network.validators import normalise_org_number

IMPORT_KIND = "key_figures_csv"


class Command(BaseCommand):
    help = (
        f"Import key figures from CSV (columns {','.join(CSV_COLUMNS)}, optional "
        "self_reported). All or nothing: a bad line refuses the whole file, with every "
        "problem listed by line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV, comma- or semicolon-separated")
        parser.add_argument(
            "--self-reported",
            action="store_true",
            help="the figures were reported by the garden given with --organisation",
        )
        parser.add_argument("--organisation", metavar="ORGNR", help="the reporting garden")

    def handle(self, *args, **options):
        path = Path(options["file"])
        reported_by = self._organisation(options)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        run = ImportRun.objects.create(kind=IMPORT_KIND, source_name=str(path)[:500])
        try:
            with path.open(encoding="utf-8", newline="") as file:
                result = key_figures_import_csv(file=file, reported_by=reported_by)
        except KeyFiguresImportError as exc:
            self._failed(run, "\n".join(exc.errors))
            raise CommandError(
                f"{path.name}: nothing was imported.\n" + "\n".join(exc.errors)
            ) from exc
        except OSError as exc:
            self._failed(run, str(exc))
            raise CommandError(f"{path}: {exc}") from exc
        run.status = ImportRun.Status.DONE
        run.records_read = result.lines
        run.created = result.created
        run.updated = result.updated
        run.unchanged = result.unchanged
        run.finished_at = timezone.now()
        run.save()
        self.stdout.write(
            f"Read {result.lines} lines: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        if result.skipped_register:
            self.stdout.write(
                self.style.WARNING(
                    "Skipped because the accounts register has figures for that year: "
                    + ", ".join(result.skipped_register)
                )
            )

    def _organisation(self, options) -> Organisation | None:
        if not options["self_reported"] and not options["organisation"]:
            return None
        if not (options["self_reported"] and options["organisation"]):
            raise CommandError("--self-reported and --organisation ORGNR go together.")
        number = normalise_org_number(options["organisation"])
        organisation = Organisation.objects.filter(org_number=number).first()
        if organisation is None:
            raise CommandError(f"No organisation with org.nr {options['organisation']}.")
        return organisation

    def _failed(self, run: ImportRun, error: str) -> None:
        run.status = ImportRun.Status.FAILED
        run.error = error[:5000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])

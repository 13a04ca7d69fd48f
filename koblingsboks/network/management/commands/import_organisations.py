"""manage.py import_organisations FILE.csv — upsert organisations and their networks."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from koblingsboks.network.imports import (
    CsvFileError,
    ImportFailed,
    ImportPlan,
    organisation_import_apply,
    organisation_import_plan,
)


def read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc


def report_errors(command: BaseCommand, plan: ImportPlan) -> None:
    """Every failing row on stderr, one line per error, with its line number."""
    for row in plan.error_rows:
        for error in row.errors:
            command.stderr.write(f"line {row.line}: {error.message}")


def report_plan(command: BaseCommand, plan: ImportPlan) -> None:
    for row in plan.rows:
        text = "; ".join(row.changes) if row.changes else ""
        command.stdout.write(f"line {row.line}: {row.status}" + (f" ({text})" if text else ""))


class Command(BaseCommand):
    help = (
        "Import organisations from a CSV file with the columns org_nr,name,kind,network "
        "(UTF-8, comma-separated). Nothing is written if any row has an error; running it "
        "again with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and show what would change"
        )

    def handle(self, *args, **options):
        data = read_file(options["file"])
        try:
            if options["dry_run"]:
                plan = organisation_import_plan(data=data)
                report_plan(self, plan)
                if not plan.ok:
                    report_errors(self, plan)
                    raise CommandError(f"{len(plan.error_rows)} row(s) have errors.")
                return
            result = organisation_import_apply(data=data, actor=None)
        except CsvFileError as exc:
            raise CommandError(exc.message) from exc
        except ImportFailed as exc:
            report_errors(self, exc.plan)
            raise CommandError(exc.message) from exc
        except (DatabaseError, ValidationError) as exc:
            # Only when another writer changed the same rows between the check and the write.
            raise CommandError(
                f"Nothing was imported: the database refused a row ({exc})."
            ) from exc
        self.stdout.write(
            f"Organisations: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )

"""manage.py import_affiliations FILE.csv — affiliations of register companies with
organisations."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from koblingsboks.companies.imports import affiliation_import_apply, affiliation_import_plan
from koblingsboks.network.imports import CsvFileError, ImportFailed
from koblingsboks.network.management.commands.import_organisations import (
    read_file,
    report_errors,
    report_plan,
)


class Command(BaseCommand):
    help = (
        "Import affiliations from a CSV file with the columns "
        "organisation_org_nr,company_org_nr,kind,start_date,end_date (UTF-8, "
        "comma-separated, ISO dates, empty end date = ongoing). Nothing is written if any row "
        "has an error; running it again with the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and show what would change"
        )
        parser.add_argument(
            "--create-missing-companies",
            action="store_true",
            help=(
                "create a placeholder company (org.nr, name 'unknown') for a company that is "
                "not in the register table yet, instead of refusing the row; the next "
                "import_brreg or sync_brreg fills in its facts"
            ),
        )

    def handle(self, *args, **options):
        data = read_file(options["file"])
        create = options["create_missing_companies"]
        try:
            if options["dry_run"]:
                plan = affiliation_import_plan(data=data, create_missing_companies=create)
                report_plan(self, plan)
                if not plan.ok:
                    report_errors(self, plan)
                    raise CommandError(f"{len(plan.error_rows)} row(s) have errors.")
                return
            result = affiliation_import_apply(
                data=data, actor=None, create_missing_companies=create
            )
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
            f"Affiliations: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )

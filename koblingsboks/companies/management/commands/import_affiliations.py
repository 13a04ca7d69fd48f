"""manage.py import_affiliations FILE.csv — affiliations of register companies with
organisations."""

from django.core.management.base import BaseCommand

from koblingsboks.companies.imports import affiliation_import_apply, affiliation_import_plan
from koblingsboks.network.csv_command import run_csv_import


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
        create = options["create_missing_companies"]
        run_csv_import(
            self,
            path=options["file"],
            dry_run=options["dry_run"],
            plan=lambda data: affiliation_import_plan(data=data, create_missing_companies=create),
            apply=lambda data: affiliation_import_apply(
                data=data, actor=None, create_missing_companies=create
            ),
            label="Affiliations",
        )

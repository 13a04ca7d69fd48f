"""manage.py import_organisations FILE.csv — upsert organisations and their networks."""

from django.core.management.base import BaseCommand

from koblingsboks.network.csv_command import run_csv_import
from koblingsboks.network.imports import organisation_import_apply, organisation_import_plan


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
        run_csv_import(
            self,
            path=options["file"],
            dry_run=options["dry_run"],
            plan=lambda data: organisation_import_plan(data=data),
            apply=lambda data: organisation_import_apply(data=data, actor=None),
            label="Organisations",
        )

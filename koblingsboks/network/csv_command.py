"""Running a CSV import from a management command: the same steps for every import.

Read the file, either show the plan (``--dry-run``) or apply it, and turn every refusal
into a CommandError with the per-line errors on stderr.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from koblingsboks.network.imports import CsvFileError, ImportFailed, ImportPlan


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


def run_csv_import(
    command: BaseCommand,
    *,
    path: str,
    dry_run: bool,
    plan: Callable[[bytes], ImportPlan],
    apply: Callable[[bytes], object],
    label: str,
) -> None:
    """Check or apply the import of the file at ``path``; ``label`` names it in the summary."""
    data = read_file(path)
    try:
        if dry_run:
            checked = plan(data)
            report_plan(command, checked)
            if not checked.ok:
                report_errors(command, checked)
                raise CommandError(f"{len(checked.error_rows)} row(s) have errors.")
            return
        result = apply(data)
    except CsvFileError as exc:
        raise CommandError(exc.message) from exc
    except ImportFailed as exc:
        report_errors(command, exc.plan)
        raise CommandError(exc.message) from exc
    except (DatabaseError, ValidationError) as exc:
        # Only when another writer changed the same rows between the check and the write.
        raise CommandError(f"Nothing was imported: the database refused a row ({exc}).") from exc
    command.stdout.write(
        f"{label}: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged."
    )

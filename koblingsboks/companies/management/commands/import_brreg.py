"""manage.py import_brreg FILE — the entity register (Enhetsregisteret) into Company.

Accepts the official bulk file ``enheter_alle.json.gz`` (gzipped or plain) and the REST API's
shapes (a search page, look-ups keyed by org.nr, one entity). All or nothing: a failed run
changes no company. See docs/register-import.md.
"""

import datetime
import gc
import resource
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from koblingsboks.companies.register.loader import (
    DEFAULT_BATCH_SIZE,
    ImportFailed,
    Progress,
    import_register_file,
)


@contextmanager
def _no_cyclic_gc():
    """The import allocates millions of short-lived, acyclic objects: the cyclic garbage
    collector would only scan them again and again (about 10 % of the run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _ProgressPrinter:
    """Prints records/s every ``every`` records, and each phase once, to stderr."""

    def __init__(self, write, every: int):
        self.write = write
        self.every = every
        self.next_at = every
        self.phase = ""

    def __call__(self, progress: Progress) -> None:
        rate = progress.records_read / progress.seconds if progress.seconds else 0
        if progress.phase == "reading":
            if progress.records_read >= self.next_at:
                self.next_at = (progress.records_read // self.every + 1) * self.every
                self.write(
                    f"  {progress.records_read:>9} records  {progress.seconds:6.1f} s  "
                    f"{rate:8.0f} records/s"
                )
        elif progress.phase != self.phase and progress.phase != "done":
            self.write(f"  {progress.phase} … ({progress.seconds:.1f} s)")
        self.phase = progress.phase


class Command(BaseCommand):
    help = (
        "Import the entity register: the bulk file enheter_alle.json.gz (gzip or plain JSON) "
        "or the REST API's shapes. Upserts (a second run writes only what changed), marks "
        "companies missing from a complete bulk file deleted, shows progress. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bulk file (.json.gz or .json) or a REST response")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"records per write to the database (default {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--no-mark-deleted",
            action="store_true",
            help="do not mark companies that are missing from the bulk file as deleted",
        )
        parser.add_argument(
            "--file-date",
            type=datetime.date.fromisoformat,
            help="the date of the bulk file (ISO): the deletion date of missing companies, "
            "and companies synced on or after it are not marked (default: today)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes that parse a large bulk file in parallel (default: "
            "BRREG_IMPORT_WORKERS, else 1 with several CPUs; 0: none)",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=100_000,
            help="print progress every N records (default 100000; 0 for none)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        printer = None
        if options["progress_every"] > 0 and options["verbosity"] > 0:
            printer = _ProgressPrinter(self._progress, options["progress_every"])

        def opened(stream):
            if options["verbosity"] > 0:
                self._progress(f"Reading {path}: {stream.describe_shape()}")

        started = time.monotonic()
        try:
            with _no_cyclic_gc():
                run, result = import_register_file(
                    path,
                    batch_size=options["batch_size"],
                    mark_deleted=not options["no_mark_deleted"],
                    file_date=options["file_date"],
                    progress=printer,
                    on_open=opened,
                    workers=options["workers"],
                )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}. Nothing was imported.") from exc
        seconds = time.monotonic() - started
        rate = result.records_read / seconds if seconds else 0
        self.stdout.write(
            f"Read {result.records_read} entities in {seconds:.1f} s ({rate:.0f} records/s): "
            f"{result.created} created, {result.updated} updated, {result.unchanged} "
            f"unchanged, {result.marked_deleted} marked deleted. Import run {run.pk}."
        )
        if options["verbosity"] > 1:
            self.stdout.write(f"  method: {result.method}")
            for name, value in result.timings.items():
                self.stdout.write(f"  {name}: {value} s")
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            workers = result.worker_peak_mb
            self.stdout.write(
                f"  peak memory (RSS): {own} MB in this process"
                + (f", at most {workers} MB in each parser process" if workers else "")
            )

    def _progress(self, line: str) -> None:
        self.stderr.write(line)
        self.stderr.flush()

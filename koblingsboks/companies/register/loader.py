"""Upsert register entities into Company, fast, in one transaction.

``load_entities(records, …)`` writes EntityRecords (or their rows, or an EntityStream)
into ``companies_company``: new org.nrs are created, changed ones updated, and rows whose
record hash is unchanged are not written at all. ``import_register_file(path, …)`` is the
whole ``manage.py import_brreg``: parse, load, and an ImportRun row for the run.

How it writes (see docs/register-import.md for the measurements behind the choices):

- **PostgreSQL, empty table** (the first import): ``COPY`` straight into
  ``companies_company`` while the file is parsed, with the table's secondary indexes
  (model indexes and the search module's GIN indexes; not the primary key and unique
  org.nr) dropped first and built again at the end — a sort-based build is several times
  faster than updating them row by row.
- **PostgreSQL, otherwise**: ``COPY`` into a TEMP staging table, then one set-based
  ``INSERT … SELECT … ON CONFLICT (org_number) DO UPDATE … WHERE record_hash IS DISTINCT
  FROM EXCLUDED.record_hash`` of only the rows that are new or differ (joined against the
  table first, so unchanged rows never reach the upsert).
- **SQLite**: batched ``INSERT … ON CONFLICT(org_number) DO UPDATE … WHERE record_hash <>
  excluded.record_hash`` (executemany) on the import connection, with a 16 MB page cache
  for the run. Into an empty table the secondary indexes and the FTS table (with its
  triggers) are dropped first and built again at the end.

**Atomicity**: everything happens in one transaction. A failed run — a broken record in
the middle, a truncated download, a database error — rolls back completely: the table is as
before. The ImportRun row is written outside that transaction, so a failure stays visible.

**Deleted entities**: a REST look-up of a deleted entity (the ``SlettetEnhet`` stub) sets
``deleted_on`` and keeps the facts the platform already had. With
``mark_missing_deleted``, after the whole input was read without an error, companies that
came from the register but are missing from it get ``deleted_on`` — the caller passes it
only for a complete bulk file (see import_register_file).
"""

import datetime
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from koblingsboks.companies import search
from koblingsboks.companies.models import Company, ImportRun
from koblingsboks.companies.register.bulk_array import blocks_from_rows
from koblingsboks.companies.register.parser import (
    EntityStream,
    RegisterFileError,
    iter_entities,
    prepare_rows,
)
from koblingsboks.companies.register.records import FIELD_NAMES, EntityRecord

logger = logging.getLogger(__name__)

IMPORT_KIND = "brreg_entities"
DEFAULT_BATCH_SIZE = 5000
TABLE = Company._meta.db_table
STAGING = "brreg_staging"
DELETED_ON = FIELD_NAMES.index("deleted_on")
# Refuse to mark more than this share of the known companies deleted in one run: a valid
# but partial file (a sample, a filtered export) must not wipe the register.
MAX_DELETED_SHARE = 0.10
# SQLite page cache for the import connection, in KiB (negative = KiB for the pragma).
SQLITE_CACHE_KIB = 16384

_COLUMNS = [*FIELD_NAMES, "record_hash"]
_DATE_INDEXES = [
    FIELD_NAMES.index(name)
    for name in ("founded_on", "registered_on", "bankrupt_on", "liquidation_on", "deleted_on")
]


def _if_not_exists(sql: str) -> str:
    return sql.replace("CREATE INDEX IF NOT EXISTS", "CREATE INDEX", 1).replace(
        "CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1
    )


class LoadError(Exception):
    """The load was refused or failed; nothing was written. The message says why."""


@dataclass
class Progress:
    """Passed to the progress callback after every batch and at each phase."""

    phase: str  # "reading" | "writing" | "indexing" | "marking deleted" | "done"
    records_read: int
    seconds: float


@dataclass
class LoadResult:
    records_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    marked_deleted: int = 0
    seconds: float = 0.0
    method: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    worker_peak_mb: int | None = None  # parser processes, when a large file used them


def load_entities(
    records: Iterable[EntityRecord | tuple],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    mark_missing_deleted: bool = False,
    deleted_on: datetime.date | None = None,
    progress: Callable[[Progress], None] | None = None,
    max_deleted_share: float = MAX_DELETED_SHARE,
) -> LoadResult:
    """Upsert ``records`` into Company in one transaction; see the module docstring.

    ``records`` yields EntityRecords or their rows (tuples in FIELD_NAMES order), or is an
    EntityStream (from parser.iter_entities), which also formats the rows. With
    ``mark_missing_deleted``, companies from the register that are not in ``records`` get
    ``deleted_on`` (default today) once every record was read; if ``records`` has a
    ``complete`` attribute (an EntityStream), it must be True by then.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    loader_class = _PostgresLoader if connection.vendor == "postgresql" else _SqliteLoader
    loader = loader_class(
        batch_size=batch_size,
        progress=progress,
        deleted_on=deleted_on or timezone.localdate(),
        max_deleted_share=max_deleted_share,
    )
    # Only a transaction of its own may leave work for after its commit.
    loader.may_defer = not connection.in_atomic_block
    with transaction.atomic():
        loader.run(records)
        if mark_missing_deleted:
            if getattr(records, "complete", True) is not True:
                raise LoadError("The input was not read to its end; nothing is marked deleted.")
            loader.mark_missing_deleted()
        loader.finish()
    loader.after_commit()
    result = loader.result
    result.unchanged = result.records_read - result.created - result.updated
    result.worker_peak_mb = getattr(records, "worker_peak_mb", None)
    result.seconds = time.monotonic() - loader.started
    loader.report("done")
    return result


def _prepared(records: Iterable, loader: "_Loader"):
    """(row, row_text, hash) per record, refusing an org.nr seen twice (it would be written
    twice). An EntityStream computes text and hash itself (in its worker processes)."""
    if isinstance(records, EntityStream):
        items = records.prepared()
    else:
        items = prepare_rows(
            record if record.__class__ is tuple else record.as_row() for record in records
        )
    for item in items:
        loader.check_new(item[0][0])
        yield item


def _copy_blocks(records: Iterable, loader: "_Loader", suffix: str):
    """The records as COPY blocks (bulk_array.CopyBlock), checked like _prepared. An
    EntityStream builds them in its worker processes."""
    if isinstance(records, EntityStream):
        check_new = loader.check_new
        for block in records.copy_blocks(suffix, loader.batch_size):
            numbers = block.numbers
            for start in range(0, len(numbers), 9):
                check_new(numbers[start : start + 9])
            yield block
    else:
        rows = (row for row, _text, _hash in _prepared(records, loader))
        yield from blocks_from_rows(rows, suffix, rows_per_block=loader.batch_size)


class _Loader:
    def __init__(self, *, batch_size, progress, deleted_on, max_deleted_share):
        self.batch_size = batch_size
        self.progress = progress
        self.deleted_on = deleted_on
        self.max_deleted_share = max_deleted_share
        self.result = LoadResult()
        self.started = time.monotonic()
        self.now = timezone.now()
        self.now_db = connection.ops.adapt_datetimefield_value(self.now)
        self.seen = bytearray(100_000_000 // 8)  # one bit per 8-digit org.nr prefix
        self.stubs = 0  # SlettetEnhet records: deleted_on set, facts kept
        self.rebuild_indexes = False
        self.dropped_indexes: list[tuple[str, str]] = []
        self.may_defer = False
        self.deferred_gin = False

    def check_new(self, number: str) -> None:
        """Count the record, refusing an org.nr seen twice (it would be written twice)."""
        # The first eight digits identify an org.nr (the ninth is the check digit).
        key = int(number[:8])
        byte, bit = key >> 3, 1 << (key & 7)
        seen = self.seen
        if seen[byte] & bit:
            raise LoadError(
                f"Organisation number {number} appears twice (the second time as record "
                f"{self.result.records_read + 1}). Nothing was imported."
            )
        seen[byte] |= bit
        self.result.records_read += 1

    def report(self, phase: str) -> None:
        if self.progress is not None:
            self.progress(Progress(phase, self.result.records_read, self.elapsed()))

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def timed(self, name: str, since: float) -> None:
        self.result.timings[name] = round(time.monotonic() - since, 2)

    def drop_indexes(self) -> None:
        """Drop the table's secondary indexes (and SQLite's FTS triggers), to build them
        again in finish(): a sort-based build is several times faster than updating them
        row by row during a load of most of the table. Unique indexes stay."""
        with connection.cursor() as cursor:
            self.dropped_indexes = self._secondary_indexes(cursor)
            for name, _sql in self.dropped_indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        search.drop_search_index(connection)
        self.rebuild_indexes = True

    def finish(self) -> None:
        if self.rebuild_indexes:
            self.report("indexing")
            since = time.monotonic()
            with connection.cursor() as cursor:
                for name, sql in self.dropped_indexes:
                    if not self.built_after_commit(name):
                        cursor.execute(_if_not_exists(sql))
            self.create_search_index()
            self.timed("indexes", since)

    def create_search_index(self) -> None:
        search.create_search_index(connection)

    def built_after_commit(self, index_name: str) -> bool:
        return False

    def after_commit(self) -> None:
        """Work done after the load's own transaction committed (PostgreSQL: the GIN
        indexes; see _PostgresLoader.create_search_index)."""

    def table_is_empty(self, cursor) -> bool:
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {TABLE})")  # noqa: S608
        return bool(cursor.fetchone()[0])

    def check_deleted_share(self, count: int, known: int) -> None:
        if count and count > max(10, known * self.max_deleted_share):
            raise LoadError(
                f"{count} of the {known} companies from the register are missing from this "
                f"file, more than {self.max_deleted_share:.0%}: is it really the complete "
                "register file? Nothing was imported. Run again with --no-mark-deleted to "
                "import without marking missing companies deleted."
            )

    def deletion_cutoff(self) -> datetime.datetime:
        """Companies the register import or sync wrote on or after this moment are not
        marked deleted: the bulk file of ``deleted_on`` cannot know them."""
        day_start = timezone.make_aware(
            datetime.datetime.combine(self.deleted_on, datetime.time.min)
        )
        return min(self.now, day_start) if self.deleted_on < timezone.localdate() else self.now


_UPDATE_ALL = ", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS[1:])
_UPDATE_DELETED = "deleted_on = EXCLUDED.deleted_on, record_hash = EXCLUDED.record_hash"
_COLUMN_LIST = ", ".join(_COLUMNS)


class _PostgresLoader(_Loader):
    def run(self, records) -> None:
        with connection.cursor() as cursor:
            # The table stays readable; concurrent writers (sync_brreg) wait for the commit.
            cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
            self.direct = self.table_is_empty(cursor)
            if self.direct:
                self.result.method = "postgresql: COPY into the empty table"
                self.drop_indexes()
                target = f"{TABLE} ({_COLUMN_LIST}, register_synced_at)"
                suffix = f"\t{self.now_db.isoformat()}\n"
            else:
                self.result.method = "postgresql: COPY into staging, set-based upsert"
                self.ensure_indexes()
                cursor.execute(
                    f"CREATE TEMP TABLE {STAGING} AS SELECT {_COLUMN_LIST} "  # noqa: S608
                    f"FROM {TABLE} WITH NO DATA"
                )
                target = f"{STAGING} ({_COLUMN_LIST})"
                suffix = "\n"
            since = time.monotonic()
            # COPY is psycopg's own API: make its errors Django's DatabaseError too.
            with connection.wrap_database_errors:
                self._copy(cursor, records, target, suffix)
            self.timed("read and copy", since)
            if self.direct:
                self.result.created = self.result.records_read
            else:
                self._upsert(cursor)

    def create_search_index(self) -> None:
        """In a transaction of its own, the dropped indexes (secondary ones only: the
        primary key and the unique org.nr stay throughout) are built after the commit, two
        at a time on two connections (search.create_indexes_in_parallel), the GIN indexes
        of the search first: the rows are committed all or nothing either way; until the
        indexes exist, pages and search still answer, only slower. If the process dies in
        between, the next import builds what is missing first (ensure_indexes)."""
        if not self.may_defer:
            search.create_search_index(connection)
            return
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.deferred_gin = True

    def built_after_commit(self, index_name: str) -> bool:
        return self.may_defer

    def after_commit(self) -> None:
        if self.deferred_gin:
            self.report("indexing")
            since = time.monotonic()
            search.create_indexes_in_parallel(self.deferred_statements(), connection.alias)
            self.timed("indexes after commit", since)

    def deferred_statements(self) -> list[str]:
        """The dropped indexes and the search's, once each, the GIN indexes first."""
        by_name = {name: _if_not_exists(sql) for name, sql in self.dropped_indexes}
        for sql in search.PG_CREATE[1:]:
            name = sql.split(" ON ")[0].split()[-1]
            by_name.setdefault(name, sql)
        return sorted(by_name.values(), key=lambda sql: "USING gin" not in sql)

    def ensure_indexes(self) -> None:
        """Build any index of the table that a killed import left unbuilt (a no-op when
        they all exist; only the missing ones are built)."""
        with connection.schema_editor() as editor:
            statements = [_if_not_exists(str(sql)) for sql in editor._model_indexes_sql(Company)]
        search.create_search_index(connection)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _secondary_indexes(self, cursor) -> list[tuple[str, str]]:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique "
            "ORDER BY c.relname",
            [TABLE],
        )
        return cursor.fetchall()

    def finish(self) -> None:
        with connection.cursor() as cursor:
            if not self.direct:
                cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            if self.rebuild_indexes:
                # For this transaction only: sort in memory, not in temporary files.
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        super().finish()

    def _copy(self, cursor, records, target: str, suffix: str) -> None:
        stubs = 0
        with cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for block in _copy_blocks(records, self, suffix):
                copy.write(block.data)
                stubs += block.stubs
                self.report("reading")
            self.report("writing")
        self.stubs = stubs
        logger.debug("copied %s rows into %s", self.result.records_read, target)

    def _upsert(self, cursor) -> None:
        since = time.monotonic()
        cursor.execute(f"ANALYZE {STAGING}")
        # For this transaction: join the staging table with the register in memory.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
        existing = cursor.fetchone()[0]
        threshold = max(100_000, existing)
        if self.result.records_read > threshold:
            cursor.execute(
                "SELECT count(*) FROM "  # noqa: S608
                f"{STAGING} s LEFT JOIN {TABLE} c ON c.org_number = s.org_number "
                "WHERE c.id IS NULL"
            )
            if cursor.fetchone()[0] > threshold:
                # Most of the table is new: building the indexes again beats updating them.
                self.drop_indexes()
        created = updated = 0
        for where, update in (
            ("s.deleted_on IS NULL", _UPDATE_ALL),
            ("s.deleted_on IS NOT NULL", _UPDATE_DELETED),
        ):
            if where.endswith("NOT NULL") and not self.stubs:
                continue
            cursor.execute(
                f"""
                WITH written AS (
                    INSERT INTO {TABLE} ({_COLUMN_LIST}, register_synced_at)
                    SELECT {", ".join(f"s.{name}" for name in _COLUMNS)}, %s
                    FROM {STAGING} s LEFT JOIN {TABLE} c ON c.org_number = s.org_number
                    WHERE {where}
                      AND (c.id IS NULL OR c.record_hash IS DISTINCT FROM s.record_hash)
                    ON CONFLICT (org_number) DO UPDATE
                    SET {update}, register_synced_at = EXCLUDED.register_synced_at
                    WHERE {TABLE}.record_hash IS DISTINCT FROM EXCLUDED.record_hash
                    RETURNING (xmax = 0) AS inserted
                )
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
                FROM written
                """,  # noqa: S608 - constants only; the one value is a parameter
                [self.now_db],
            )
            batch_created, batch_updated = cursor.fetchone()
            created += batch_created
            updated += batch_updated
        self.result.created = created
        self.result.updated = updated
        self.timed("upsert", since)

    def mark_missing_deleted(self) -> None:
        if self.direct:
            return  # the table was empty: nothing can be missing
        self.report("marking deleted")
        since = time.monotonic()
        eligible = (
            f"FROM {TABLE} c WHERE c.deleted_on IS NULL AND c.register_synced_at < %s"
        )  # fmt: skip
        cutoff = connection.ops.adapt_datetimefield_value(self.deletion_cutoff())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {eligible}", [cutoff])  # noqa: S608
            known = cursor.fetchone()[0]
            missing = (
                f" AND NOT EXISTS (SELECT 1 FROM {STAGING} s "  # noqa: S608
                "WHERE s.org_number = c.org_number)"
            )
            cursor.execute(f"SELECT count(*) {eligible}{missing}", [cutoff])  # noqa: S608
            count = cursor.fetchone()[0]
            self.check_deleted_share(count, known)
            if count:
                cursor.execute(
                    f"UPDATE {TABLE} SET deleted_on = %s, register_synced_at = %s "  # noqa: S608
                    f"WHERE id IN (SELECT c.id {eligible}{missing})",
                    [self.deleted_on, self.now_db, cutoff],
                )
                count = cursor.rowcount
        self.result.marked_deleted = count
        self.timed("mark deleted", since)


class _SqliteLoader(_Loader):
    def run(self, records) -> None:
        rows = _prepared(records, self)
        connection.ensure_connection()
        raw = connection.connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            self.cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            self.was_empty = self.table_is_empty(cursor)
        if self.was_empty:
            self.result.method = "sqlite: batched inserts into the empty table"
            self.drop_indexes()
        else:
            self.result.method = "sqlite: batched upserts"
        placeholders = ", ".join("?" * (len(_COLUMNS) + 1))
        insert = (
            f"INSERT INTO {TABLE} ({_COLUMN_LIST}, register_synced_at) "  # noqa: S608
            f"VALUES ({placeholders}) ON CONFLICT(org_number) DO UPDATE SET "
        )
        only_changed = (
            ", register_synced_at = excluded.register_synced_at "
            f"WHERE {TABLE}.record_hash <> excluded.record_hash"
        )
        upsert_all = insert + _UPDATE_ALL.replace("EXCLUDED", "excluded") + only_changed
        upsert_deleted = insert + _UPDATE_DELETED.replace("EXCLUDED", "excluded") + only_changed
        cursor = raw.cursor()
        before = self._count(cursor)
        since = time.monotonic()
        changed = 0
        now = self.now_db
        batch, stubs = [], []
        for row, _text, digest in rows:
            values = list(row)
            for index in _DATE_INDEXES:
                if values[index] is not None:
                    values[index] = values[index].isoformat()
            values.append(digest)
            values.append(now)
            (batch if row[DELETED_ON] is None else stubs).append(values)
            if len(batch) >= self.batch_size:
                cursor.executemany(upsert_all, batch)
                changed += cursor.rowcount
                batch.clear()
                self.report("reading")
        for statement, values in ((upsert_all, batch), (upsert_deleted, stubs)):
            if values:
                cursor.executemany(statement, values)
                changed += cursor.rowcount
        self.timed("read and write", since)
        self.report("writing")
        self.result.created = self._count(cursor) - before
        self.result.updated = changed - self.result.created
        cursor.close()

    def _secondary_indexes(self, cursor) -> list[tuple[str, str]]:
        # Indexes of UNIQUE constraints are "sqlite_autoindex_…" with no SQL: they stay.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            [TABLE],
        )
        return cursor.fetchall()

    def _count(self, cursor) -> int:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
        return cursor.fetchone()[0]

    def mark_missing_deleted(self) -> None:
        if self.was_empty:
            return
        self.report("marking deleted")
        since = time.monotonic()
        cutoff = connection.ops.adapt_datetimefield_value(self.deletion_cutoff())
        seen = self.seen
        missing, known = [], 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, org_number FROM {TABLE} "  # noqa: S608
                "WHERE deleted_on IS NULL AND register_synced_at < %s",
                [cutoff],
            )
            while chunk := cursor.fetchmany(10_000):
                known += len(chunk)
                for pk, number in chunk:
                    key = int(number[:8])
                    if not seen[key >> 3] & (1 << (key & 7)):
                        missing.append(pk)
            self.check_deleted_share(len(missing), known)
            day = self.deleted_on.isoformat()
            for start in range(0, len(missing), 500):
                ids = missing[start : start + 500]
                cursor.execute(
                    f"UPDATE {TABLE} SET deleted_on = %s, register_synced_at = %s "  # noqa: S608
                    f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
                    [day, self.now_db, *ids],
                )
        self.result.marked_deleted = len(missing)
        self.timed("mark deleted", since)

    def finish(self) -> None:
        super().finish()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(self.cache_size)}")


# --- The command's service ----------------------------------------------------------


class ImportFailed(Exception):
    """The import failed and was rolled back; ``run`` is the ImportRun that says so."""

    def __init__(self, message: str, run: ImportRun):
        super().__init__(message)
        self.run = run


def import_register_file(
    source,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    mark_deleted: bool = True,
    file_date: datetime.date | None = None,
    progress: Callable[[Progress], None] | None = None,
    on_open: Callable[[object], None] | None = None,
    workers: int | None = None,
) -> tuple[ImportRun, LoadResult]:
    """Import a register file (bulk or REST shape) into Company; one ImportRun per call.

    Missing companies are marked deleted only when ``mark_deleted`` and the file is a bulk
    file that was read to its end (never for a REST page or look-up, which are not the
    whole register). ``file_date`` (default today) is their ``deleted_on``. Raises
    ImportFailed with a message that names the record; then nothing was written.
    """
    stream = iter_entities(source, workers=workers)
    run = ImportRun.objects.create(kind=IMPORT_KIND, source_name=stream.name[-500:])
    try:
        stream.open()
        if on_open is not None:
            on_open(stream)
        result = load_entities(
            stream,
            batch_size=batch_size,
            mark_missing_deleted=mark_deleted and stream.shape == "bulk",
            deleted_on=file_date,
            progress=progress,
        )
    except (RegisterFileError, LoadError) as exc:
        _finish(run, stream, status=ImportRun.Status.FAILED, error=str(exc))
        raise ImportFailed(str(exc), run) from exc
    except DatabaseError as exc:
        message = f"The database refused the data, so nothing was imported: {exc}".strip()
        _finish(run, stream, status=ImportRun.Status.FAILED, error=message)
        raise ImportFailed(message, run) from exc
    except BaseException as exc:
        _finish(run, stream, status=ImportRun.Status.FAILED, error=repr(exc))
        raise
    finally:
        stream.close()
    _finish(run, stream, status=ImportRun.Status.DONE, result=result)
    return run, result


def _finish(run: ImportRun, stream, *, status: str, error: str = "", result=None) -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.records_read = stream.records_read
    if result is not None:
        run.created = result.created
        run.updated = result.updated
        run.unchanged = result.unchanged
        run.marked_deleted = result.marked_deleted
    run.error = error[:5000]
    run.save()

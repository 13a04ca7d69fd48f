"""Incremental sync with the entity register's updates feed (``manage.py sync_brreg``).

The cursor is ``RegisterSync(feed="enheter").last_update_id``: the last update id applied.
A run reads the feed page by page after the cursor. For each page it first looks up every
changed entity over HTTP (no database transaction open), then writes the page's changes,
the new cursor and the run's counters **in one transaction**. An interrupted run (a
network failure, a crash) therefore leaves whole pages applied and the cursor after the
last of them; the next run starts with the first page not applied. Applying a page twice
is harmless: every write is an upsert or sets a date.

Per event (``endringstype``):

- ``Ny`` / ``Endring``: upsert the looked-up entity (a SlettetEnhet answer marks it deleted);
- ``Sletting`` / ``Fjernet``: set ``deleted_on`` (the stub's slettedato, else the event's
  date); the row is kept, since a deleted company still counts for the years it was
  affiliated. Deletions of companies not in Company are skipped;
- ``Ukjent`` (and any unknown type): skipped.

With ``with_accounts`` the latest accounts of every created or changed company that has
filed accounts (``sisteInnsendteAarsregnskap``) are fetched and stored through
``key_figures_upsert_accounts``. A company whose accounts cannot be fetched (the register
answers banks and insurers with a lasting HTTP 500) is counted and does not stop the sync.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone

from koblingsboks.companies.key_figures import AccountsUpsertResult, key_figures_upsert_accounts
from koblingsboks.companies.models import Company, ImportRun, RegisterSync
from koblingsboks.companies.register.accounts import AccountRecord, AccountsError
from koblingsboks.companies.register.client import RegisterClient, RegisterError, UpdateEvent
from koblingsboks.companies.register.records import FIELD_NAMES, EntityRecord, RecordError

logger = logging.getLogger(__name__)

FEED = "enheter"
IMPORT_KIND = "brreg_sync"
UPSERT_TYPES = {"Ny", "Endring"}
DELETE_TYPES = {"Sletting", "Fjernet"}


class SyncError(Exception):
    """The sync cannot start or could not finish; the message says why and what to do."""


@dataclass
class SyncResult:
    """What a sync run did (the ImportRun row has the same counters)."""

    pages: int = 0
    events: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    marked_deleted: int = 0
    skipped: int = 0
    not_found: int = 0
    accounts: AccountsUpsertResult = field(default_factory=AccountsUpsertResult)
    accounts_failed: list[str] = field(default_factory=list)
    first_update_id: int | None = None
    last_update_id: int | None = None
    run_id: int | None = None


def upsert_entity(record: EntityRecord, *, now: datetime.datetime | None = None) -> str:
    """Create or update one Company from a register record: "created", "updated" or
    "unchanged" (same record hash: nothing is written)."""
    now = now or timezone.now()
    values = {name: getattr(record, name) for name in FIELD_NAMES if name != "org_number"}
    digest = record.record_hash
    company = Company.objects.filter(org_number=record.org_number).first()
    if company is None:
        Company.objects.create(
            org_number=record.org_number, record_hash=digest, register_synced_at=now, **values
        )
        return "created"
    if company.record_hash == digest and all(
        getattr(company, name) == value for name, value in values.items()
    ):
        return "unchanged"
    Company.objects.filter(pk=company.pk).update(
        record_hash=digest, register_synced_at=now, **values
    )
    return "updated"


def mark_deleted(org_number: str, deleted_on: datetime.date, *, now=None) -> str:
    """Set ``deleted_on`` of a known company: "deleted", "unchanged" or "unknown"."""
    company = Company.objects.filter(org_number=org_number).only("pk", "deleted_on").first()
    if company is None:
        return "unknown"
    if company.deleted_on == deleted_on:
        return "unchanged"
    Company.objects.filter(pk=company.pk).update(
        deleted_on=deleted_on, register_synced_at=now or timezone.now()
    )
    return "deleted"


@dataclass
class _Lookups:
    """What a page needs from the register, fetched before its transaction opens."""

    entities: dict[str, EntityRecord | None] = field(default_factory=dict)
    accounts: dict[str, list[AccountRecord]] = field(default_factory=dict)
    accounts_failed: list[str] = field(default_factory=list)


def _event_date(event: UpdateEvent) -> datetime.date:
    if event.changed_at is None:
        return timezone.localdate()
    return timezone.localtime(event.changed_at).date()


def _fetch_page(client: RegisterClient, events: list[UpdateEvent], *, with_accounts) -> _Lookups:
    lookups = _Lookups()
    for event in events:
        number = event.org_number
        if not number or event.change_type not in UPSERT_TYPES | DELETE_TYPES:
            continue
        if number not in lookups.entities:
            try:
                lookups.entities[number] = client.get_entity(number)
            except RecordError as exc:
                raise SyncError(f"update {event.update_id}: {exc}") from exc
    if not with_accounts:
        return lookups
    candidates = {
        n: r
        for n, r in lookups.entities.items()
        if r is not None and r.deleted_on is None and r.last_accounts_year is not None
    }
    stored = dict(
        Company.objects.filter(org_number__in=candidates).values_list("org_number", "record_hash")
    )
    for number, record in candidates.items():
        if stored.get(number) == record.record_hash:
            continue  # unchanged: its accounts were fetched when it last changed
        try:
            lookups.accounts[number] = client.get_accounts(number)
        except (RegisterError, AccountsError) as exc:
            logger.warning("accounts of %s not fetched: %s", number, exc)
            lookups.accounts_failed.append(f"{number}: {exc}")
    return lookups


def _apply_page(
    events: list[UpdateEvent], lookups: _Lookups, result: SyncResult, *, now
) -> list[AccountRecord]:
    """Write one page's changes; returns the accounts to store for changed companies."""
    changed: set[str] = set()
    for event in events:
        result.events += 1
        number = event.org_number
        record = lookups.entities.get(number)
        if not number or event.change_type not in UPSERT_TYPES | DELETE_TYPES:
            result.skipped += 1
            continue
        deleted = event.change_type in DELETE_TYPES or (
            record is not None and record.deleted_on is not None
        )
        if deleted:
            day = record.deleted_on if record and record.deleted_on else _event_date(event)
            outcome = mark_deleted(number, day, now=now)
            if outcome == "deleted":
                result.marked_deleted += 1
            elif outcome == "unchanged":
                result.unchanged += 1
            else:
                result.skipped += 1
            continue
        if record is None:
            result.not_found += 1
            continue
        outcome = upsert_entity(record, now=now)
        setattr(result, outcome, getattr(result, outcome) + 1)
        if outcome != "unchanged":
            changed.add(number)
    return [a for n in sorted(changed) for a in lookups.accounts.get(n, [])]


def sync_register(
    *,
    client: RegisterClient,
    since_id: int | None = None,
    since: datetime.datetime | None = None,
    page_size: int = 1000,
    with_accounts: bool = False,
    progress: Callable[[SyncResult], None] | None = None,
) -> SyncResult:
    """Apply the updates feed after the stored cursor (or after ``since_id`` / from
    ``since``, which override it). See the module docstring for what is written when."""
    state, _created = RegisterSync.objects.get_or_create(feed=FEED)
    cursor = since_id if since_id is not None else None
    if cursor is None and since is None:
        cursor = state.last_update_id
        if cursor is None:
            raise SyncError(
                "No sync has run yet, so there is no cursor: give --since-id (the last "
                "update id already applied) or --since-date (ISO, e.g. 2026-10-01, the day "
                "the bulk file you imported was made)."
            )
    source = f"oppdateringsid>{cursor}" if cursor is not None else f"dato>={since.isoformat()}"
    run = ImportRun.objects.create(kind=IMPORT_KIND, source_name=source)
    result = SyncResult(run_id=run.pk)
    expected = state.last_update_id
    try:
        pages = client.iter_update_pages(
            since_id=cursor, since=since if cursor is None else None, size=page_size
        )
        for events in pages:
            lookups = _fetch_page(client, events, with_accounts=with_accounts)
            now = timezone.now()
            # Counted apart, and added to the run's totals only once the page is committed.
            page = SyncResult()
            with transaction.atomic():
                state = RegisterSync.objects.select_for_update().get(feed=FEED)
                if state.last_update_id != expected:
                    raise SyncError(
                        "Another sync moved the cursor from "
                        f"{expected} to {state.last_update_id}; this run stops."
                    )
                accounts = _apply_page(events, lookups, page, now=now)
                if accounts:
                    page.accounts = key_figures_upsert_accounts(records=accounts)
                page.accounts_failed = lookups.accounts_failed
                page.first_update_id = min(e.update_id for e in events)
                page.last_update_id = max(e.update_id for e in events)
                page.pages = 1
                state.last_update_id = page.last_update_id
                state.last_synced_at = now
                state.save(update_fields=["last_update_id", "last_synced_at"])
                _record(run, _merged(result, page))
            result = _merged(result, page)
            expected = result.last_update_id
            if progress:
                progress(result)
    except (SyncError, RegisterError, RecordError, AccountsError) as exc:
        _record(run, result, status=ImportRun.Status.FAILED, error=str(exc))
        raise SyncError(_failure(exc, result)) from exc
    except BaseException as exc:  # an interrupted run (Ctrl-C included) is marked failed
        _record(run, result, status=ImportRun.Status.FAILED, error=repr(exc))
        raise
    if result.last_update_id is None:
        # Nothing new: still note when the feed was last read.
        RegisterSync.objects.filter(pk=state.pk).update(last_synced_at=timezone.now())
    _record(run, result, status=ImportRun.Status.DONE)
    return result


def _merged(total: SyncResult, page: SyncResult) -> SyncResult:
    merged = SyncResult(run_id=total.run_id)
    for name in (
        "pages", "events", "created", "updated", "unchanged", "marked_deleted", "skipped",
        "not_found",
    ):  # fmt: skip
        setattr(merged, name, getattr(total, name) + getattr(page, name))
    merged.accounts.add(total.accounts)
    merged.accounts.add(page.accounts)
    merged.accounts_failed = total.accounts_failed + page.accounts_failed
    merged.first_update_id = (
        total.first_update_id if total.first_update_id is not None else page.first_update_id
    )
    merged.last_update_id = (
        page.last_update_id if page.last_update_id is not None else total.last_update_id
    )
    return merged


def _failure(exc: Exception, result: SyncResult) -> str:
    where = (
        f"Pages applied before the failure: {result.pages} (cursor now {result.last_update_id}); "
        "the next run continues from there."
        if result.pages
        else "Nothing was applied; the next run starts from the same cursor."
    )
    return f"{exc} {where}"


def _record(run: ImportRun, result: SyncResult, *, status=None, error: str = "") -> None:
    run.records_read = result.events
    run.created = result.created
    run.updated = result.updated
    run.unchanged = result.unchanged
    run.marked_deleted = result.marked_deleted
    fields = ["records_read", "created", "updated", "unchanged", "marked_deleted"]
    if status is not None:
        run.status = status
        run.finished_at = timezone.now()
        fields += ["status", "finished_at"]
    if error:
        run.error = error[:5000]
        fields.append("error")
    run.save(update_fields=fields)


def summary(result: SyncResult) -> dict:
    """The counters as a plain dict (for the command's output and logs)."""
    data = asdict(result)
    data["accounts"] = asdict(result.accounts)
    return data

"""sync_brreg: the updates feed applied to Company, offline over the recorded samples.

The scenario (shared/data/brreg/README.md): after the bulk sample, the feed brings one
changed address (924813717), one new AS (938204551), two deletions (923114831, 929901274)
and one bankruptcy (998704421): 41 entities known, 2 deleted, 3 bankrupt.
"""

import datetime
import io
from decimal import Decimal

import httpx
import pytest
from django.core.management import CommandError, call_command

from koblingsboks.companies.management.commands.sync_brreg import Command as SyncCommand
from koblingsboks.companies.models import Affiliation, Company, ImportRun, KeyFigures, RegisterSync
from koblingsboks.companies.register.client import RegisterClient
from koblingsboks.companies.register.records import entity_from_json
from koblingsboks.companies.register.sync import SyncError, sync_register, upsert_entity
from koblingsboks.companies.tests.brreg_mock import MockRegister, feed_with, sample
from koblingsboks.core.tenancy import organisation_scope

SNAPSHOT = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
LAST_ID = 28326123


@pytest.fixture
def bulk(db):
    for obj in sample("enheter_sample.json"):
        upsert_entity(entity_from_json(obj))


@pytest.fixture
def register():
    return MockRegister()


def _client(register, **kwargs) -> RegisterClient:
    return RegisterClient(transport=register.transport, sleep=lambda s: None, **kwargs)


def _state() -> dict:
    return {
        c.org_number: (c.name, c.business_address, c.is_bankrupt, c.deleted_on)
        for c in Company.objects.all()
    }


def test_upsert_entity_creates_updates_and_leaves_unchanged(db):
    record = entity_from_json(sample("api_oppslag_sample.json")["938204551"])
    assert upsert_entity(record) == "created"
    stamp = Company.objects.get(org_number="938204551").register_synced_at
    assert upsert_entity(record) == "unchanged"
    company = Company.objects.get(org_number="938204551")
    assert company.register_synced_at == stamp
    assert company.record_hash == record.record_hash
    changed = entity_from_json({**record_json("938204551"), "navn": "NYTT NAVN AS"})
    assert upsert_entity(changed) == "updated"
    assert Company.objects.get(org_number="938204551").name == "NYTT NAVN AS"


def record_json(number: str) -> dict:
    return sample("api_oppslag_sample.json")[number]


def test_the_first_sync_needs_a_starting_point(bulk, register):
    with pytest.raises(SyncError, match="--since-id .* --since-date"):
        sync_register(client=_client(register))
    assert register.requests == []
    with pytest.raises(CommandError, match="--since-id"):
        call_command(SyncCommand(client=_client(register)))


def test_sync_applies_new_changed_and_deleted_entities(bulk, register):
    result = sync_register(client=_client(register), since=SNAPSHOT)
    assert (result.created, result.updated, result.marked_deleted) == (1, 2, 2)
    assert Company.objects.count() == 41
    deleted = dict(
        Company.objects.filter(deleted_on__isnull=False).values_list("org_number", "deleted_on")
    )
    assert deleted == {
        "923114831": datetime.date(2026, 10, 8),
        "929901274": datetime.date(2026, 10, 19),
    }
    assert set(Company.objects.filter(is_bankrupt=True).values_list("org_number", flat=True)) == {
        "917901228",
        "998704421",
        "923114831",
    }
    moved = Company.objects.get(org_number="924813717")
    assert (moved.business_address, moved.business_postal_code) == ("Strandveien 37", "7041")
    new = Company.objects.get(org_number="938204551")
    assert new.municipality_number == "5056"
    # A deleted company keeps its row and its facts.
    assert Company.objects.get(org_number="923114831").name == "SVORKMO VEDPRODUKSJON AS"
    assert RegisterSync.objects.get(feed="enheter").last_update_id == LAST_ID
    run = ImportRun.objects.get(kind="brreg_sync")
    assert (run.status, run.records_read, run.created, run.updated, run.marked_deleted) == (
        "done",
        5,
        1,
        2,
        2,
    )


def test_a_second_sync_continues_from_the_cursor_and_changes_nothing(bulk, register):
    sync_register(client=_client(register), since=SNAPSHOT)
    before = _state()
    register.requests.clear()
    result = sync_register(client=_client(register))
    assert result.pages == 0
    assert _state() == before
    assert [r.url.params["oppdateringsid"] for r in register.requests] == [str(LAST_ID + 1)]
    assert ImportRun.objects.filter(kind="brreg_sync", status="done").count() == 2


def test_replaying_the_feed_changes_nothing(bulk, register):
    sync_register(client=_client(register), since=SNAPSHOT)
    before = _state()
    result = sync_register(client=_client(register), since_id=28310454)
    assert (result.created, result.updated, result.marked_deleted) == (0, 0, 0)
    assert result.unchanged == 5
    assert _state() == before


def test_ukjent_events_are_skipped_without_a_lookup(bulk):
    register = MockRegister(feed=feed_with({28310455: "Ukjent"}))
    result = sync_register(client=_client(register), since=SNAPSHOT)
    assert result.skipped == 1
    assert Company.objects.get(org_number="924813717").business_address != "Strandveien 37"
    assert "/enhetsregisteret/api/enheter/924813717" not in register.paths("/enheter/")
    assert RegisterSync.objects.get(feed="enheter").last_update_id == LAST_ID


def test_a_slettet_enhet_answer_to_a_change_marks_the_company_deleted(bulk):
    """The deletion reaches us as an Endring whose look-up is a SlettetEnhet stub."""
    register = MockRegister(feed=feed_with({28318289: "Endring"}))
    sync_register(client=_client(register), since=SNAPSHOT)
    company = Company.objects.get(org_number="923114831")
    assert company.deleted_on == datetime.date(2026, 10, 8)
    assert company.is_bankrupt  # the stub does not blank the facts we had


def test_fjernet_without_a_document_uses_the_events_date(bulk):
    register = MockRegister(feed=feed_with({28326123: "Fjernet"}))
    register.missing.add("929901274")
    sync_register(client=_client(register), since=SNAPSHOT)
    assert Company.objects.get(org_number="929901274").deleted_on == datetime.date(2026, 10, 20)


def test_a_deleted_company_keeps_its_affiliations(bulk, register, tenant_a):
    company = Company.objects.get(org_number="929901274")
    with organisation_scope(tenant_a.organisation):
        Affiliation.objects.create(
            organisation=tenant_a.organisation,
            company=company,
            kind=Affiliation.Kind.TARGET,
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2025, 12, 31),
        )
    sync_register(client=_client(register), since=SNAPSHOT)
    with organisation_scope(tenant_a.organisation):
        affiliation = Affiliation.objects.get(company__org_number="929901274")
    assert affiliation.company.deleted_on == datetime.date(2026, 10, 19)


def test_deletion_of_an_unknown_company_is_skipped(db, register):
    result = sync_register(client=_client(register), since=SNAPSHOT)
    # Only the entities looked up as alive are created; no blank rows for deletions.
    assert set(Company.objects.values_list("org_number", flat=True)) == {
        "924813717",
        "938204551",
        "998704421",
    }
    assert result.skipped == 2


def _fail_on_lookup(register, number):
    def fail(request):
        if request.url.path.endswith(f"/enheter/{number}"):
            raise httpx.ConnectError("connection reset")
        return None

    return fail


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_sync_resumes_after_the_last_whole_page(bulk, register):
    """Pages of 2: the look-up of the page-2 entity fails. Page 1 stays applied with the
    cursor after it; page 2 is not applied at all; the next run continues there."""
    register.fail = _fail_on_lookup(register, "923114831")
    with pytest.raises(SyncError, match="Pages applied before the failure: 1"):
        sync_register(client=_client(register, max_retries=1), since=SNAPSHOT, page_size=2)
    assert RegisterSync.objects.get(feed="enheter").last_update_id == 28314372
    assert Company.objects.get(org_number="924813717").business_address == "Strandveien 37"
    assert Company.objects.filter(org_number="938204551").exists()
    assert not Company.objects.filter(deleted_on__isnull=False).exists()
    assert not Company.objects.get(org_number="998704421").is_bankrupt
    failed = ImportRun.objects.get(kind="brreg_sync")
    assert failed.status == ImportRun.Status.FAILED
    assert "ConnectError" in failed.error
    assert failed.created == 1 and failed.updated == 1

    register.fail = None
    register.requests.clear()
    result = sync_register(client=_client(register), page_size=2)
    assert register.requests[0].url.params["oppdateringsid"] == "28314373"
    assert (result.created, result.updated, result.marked_deleted) == (0, 1, 2)
    assert Company.objects.count() == 41
    assert Company.objects.filter(deleted_on__isnull=False).count() == 2
    assert RegisterSync.objects.get(feed="enheter").last_update_id == LAST_ID


@pytest.mark.django_db(transaction=True)
def test_a_failure_on_the_first_page_applies_nothing(bulk, register):
    """One page of 5: the second look-up fails, so nothing of the page is written and
    there is still no cursor — the first run is repeated with the same starting point."""
    register.fail = _fail_on_lookup(register, "938204551")
    with pytest.raises(SyncError, match="Nothing was applied"):
        sync_register(client=_client(register, max_retries=0), since=SNAPSHOT)
    assert RegisterSync.objects.get(feed="enheter").last_update_id is None
    assert Company.objects.count() == 40
    assert Company.objects.get(org_number="924813717").business_address != "Strandveien 37"
    register.fail = None
    sync_register(client=_client(register), since=SNAPSHOT)
    assert Company.objects.count() == 41


def test_a_sync_stops_when_another_moved_the_cursor(bulk, register):
    def meddle(result):
        RegisterSync.objects.filter(feed="enheter").update(last_update_id=99999999)

    with pytest.raises(SyncError, match="Another sync moved the cursor"):
        sync_register(client=_client(register), since=SNAPSHOT, page_size=2, progress=meddle)


def test_with_accounts_stores_the_latest_accounts_of_changed_companies(bulk, register):
    result = sync_register(client=_client(register), since=SNAPSHOT, with_accounts=True)
    assert result.accounts.created == 1
    row = KeyFigures.objects.get()
    assert (row.company.org_number, row.year, row.turnover) == (
        "998704421",
        2025,
        Decimal("4100000"),
    )
    # Asked for the changed companies that have filed accounts; not for the new one without.
    assert sorted(register.paths("/regnskap/")) == [
        "/regnskapsregisteret/regnskap/924813717",
        "/regnskapsregisteret/regnskap/998704421",
    ]


def test_accounts_that_cannot_be_fetched_do_not_stop_the_sync(bulk, register):
    register.fail = lambda r: httpx.Response(500) if "/regnskap/998704421" in r.url.path else None
    result = sync_register(
        client=_client(register, max_retries=1), since=SNAPSHOT, with_accounts=True
    )
    assert result.updated == 2
    assert len(result.accounts_failed) == 1
    assert "998704421" in result.accounts_failed[0]
    assert not KeyFigures.objects.exists()
    assert RegisterSync.objects.get(feed="enheter").last_update_id == LAST_ID


def test_sync_brreg_command(bulk, register):
    out = io.StringIO()
    call_command(
        SyncCommand(client=_client(register)),
        "--since-date",
        "2026-10-01",
        "--page-size",
        "3",
        stdout=out,
    )
    text = out.getvalue()
    assert "Page 2: 5 updates applied, cursor at 28326123." in text
    assert "1 created, 2 updated" in text and "2 marked deleted" in text
    out = io.StringIO()
    call_command(SyncCommand(client=_client(register)), stdout=out)
    assert "No new updates." in out.getvalue()


def test_sync_brreg_command_refuses_bad_options(db, register):
    with pytest.raises(CommandError, match="ISO date"):
        call_command(SyncCommand(client=_client(register)), "--since-date", "1.10.2026")
    with pytest.raises(CommandError, match="page-size"):
        call_command(SyncCommand(client=_client(register)), "--since-id", "1", "--page-size", "0")

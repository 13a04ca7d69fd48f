"""load_entities: upserts into Company that write only what changed, deleted stubs, marking
missing companies deleted, and all-or-nothing. Runs on SQLite and PostgreSQL (each takes
its own path: COPY on PostgreSQL, batched upserts on SQLite)."""

import dataclasses
import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from koblingsboks.companies import search
from koblingsboks.companies.models import Company
from koblingsboks.companies.register.loader import LoadError, load_entities
from koblingsboks.companies.register.parser import RegisterFileError, iter_entities
from tests.factories import CompanyFactory

SAMPLES = Path(os.environ.get("BRREG_SAMPLES", settings.BASE_DIR.parent / "shared/data/brreg"))
BULK = SAMPLES / "enheter_sample.json"
LOOKUPS = SAMPLES / "api_oppslag_sample.json"


def _bulk():
    return list(iter_entities(BULK))


def _state() -> dict[str, tuple]:
    return {
        c["org_number"]: tuple(c.values()) for c in Company.objects.order_by("org_number").values()
    }


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s", [Company._meta.db_table]
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE tbl_name LIKE 'companies_company%%'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_first_load_creates_every_company_with_its_register_facts(db):
    records = _bulk()
    result = load_entities(records)
    assert (result.records_read, result.created, result.updated, result.unchanged) == (40, 40, 0, 0)
    assert Company.objects.count() == 40
    for record in records:
        company = Company.objects.get(org_number=record.org_number)
        for name, value in dataclasses.asdict(record).items():
            assert getattr(company, name) == value, (record.org_number, name)
        assert company.record_hash == record.record_hash
        assert company.register_synced_at is not None
    nuf = Company.objects.get(organisation_form="NUF")
    assert nuf.municipality_number == "" and nuf.business_country_code == "SE"


def test_a_second_load_of_the_same_records_writes_nothing(db):
    load_entities(_bulk())
    before = _state()
    result = load_entities(_bulk())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 40)
    assert _state() == before  # register_synced_at included: no row was written


def test_only_changed_records_are_written(db):
    records = _bulk()
    load_entities(records)
    before = _state()
    changed = dataclasses.replace(records[7], name="NYTT NAVN AS", employees=42)
    result = load_entities([*records[:7], changed, *records[8:]])
    assert (result.created, result.updated, result.unchanged) == (0, 1, 39)
    after = _state()
    assert {n for n in after if after[n] != before[n]} == {changed.org_number}
    company = Company.objects.get(org_number=changed.org_number)
    assert (company.name, company.employees) == ("NYTT NAVN AS", 42)
    assert company.record_hash == changed.record_hash


def test_new_records_are_created_next_to_existing_ones(db):
    records = _bulk()
    load_entities(records[:30])
    result = load_entities(records)
    assert (result.created, result.updated, result.unchanged) == (10, 0, 30)
    assert Company.objects.count() == 40


def test_rows_from_the_parser_and_records_are_the_same_to_the_loader(db):
    load_entities(iter_entities(BULK).rows())
    result = load_entities(_bulk())
    assert result.unchanged == 40


def test_deleted_stubs_set_deleted_on_and_keep_the_facts(db):
    """The feed scenario of the samples: 41 known, 2 deleted, 3 bankrupt."""
    load_entities(_bulk())
    bankrupt_before = Company.objects.get(org_number="923114831")
    result = load_entities(iter_entities(LOOKUPS))
    assert (result.created, result.updated, result.unchanged) == (1, 4, 0)
    assert Company.objects.count() == 41
    deleted = dict(
        Company.objects.filter(deleted_on__isnull=False).values_list("org_number", "deleted_on")
    )
    assert deleted == {
        "923114831": datetime.date(2026, 10, 8),
        "929901274": datetime.date(2026, 10, 19),
    }
    stub = Company.objects.get(org_number="923114831")
    assert (stub.name, stub.is_bankrupt, stub.nace_code, stub.municipality_number) == (
        bankrupt_before.name,
        True,
        bankrupt_before.nace_code,
        bankrupt_before.municipality_number,
    )
    assert set(Company.objects.filter(is_bankrupt=True).values_list("org_number", flat=True)) == {
        "917901228",
        "998704421",
        "923114831",
    }
    moved = Company.objects.get(org_number="924813717")
    assert moved.business_address == "Strandveien 37"
    assert load_entities(iter_entities(LOOKUPS)).unchanged == 5


def test_deleted_stub_of_an_unknown_company_creates_it_as_deleted(db):
    result = load_entities(iter_entities(LOOKUPS))
    assert result.created == 5
    stub = Company.objects.get(org_number="929901274")
    assert stub.deleted_on == datetime.date(2026, 10, 19) and stub.name


def test_missing_companies_are_marked_deleted_only_when_asked(db):
    records = _bulk()
    load_entities(records)
    outsider = CompanyFactory()  # never came from the register: not marked
    missing = records[4]
    rest = records[:4] + records[5:]

    result = load_entities(rest)
    assert result.marked_deleted == 0
    assert not Company.objects.filter(deleted_on__isnull=False).exists()

    day = timezone.localdate()
    result = load_entities(rest, mark_missing_deleted=True, deleted_on=day)
    assert result.marked_deleted == 1
    assert list(
        Company.objects.filter(deleted_on__isnull=False).values_list("org_number", "deleted_on")
    ) == [(missing.org_number, day)]
    outsider.refresh_from_db()
    assert outsider.deleted_on is None
    # Marked once: a second run marks nothing more.
    assert load_entities(rest, mark_missing_deleted=True, deleted_on=day).marked_deleted == 0


def test_marking_defaults_to_today(db):
    records = _bulk()
    load_entities(records)
    load_entities(records[1:], mark_missing_deleted=True)
    company = Company.objects.get(org_number=records[0].org_number)
    assert company.deleted_on == timezone.localdate()


def test_companies_written_after_the_file_date_are_not_marked(db):
    """A bulk file of an earlier day cannot know what the sync wrote since."""
    records = _bulk()
    load_entities(records)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    result = load_entities(records[1:], mark_missing_deleted=True, deleted_on=yesterday)
    assert result.marked_deleted == 0
    # Written before that day: marked, with the file's date.
    Company.objects.filter(org_number=records[0].org_number).update(
        register_synced_at=timezone.now() - datetime.timedelta(days=3)
    )
    result = load_entities(records[1:], mark_missing_deleted=True, deleted_on=yesterday)
    assert result.marked_deleted == 1
    assert Company.objects.get(org_number=records[0].org_number).deleted_on == yesterday


def test_a_file_missing_too_many_companies_is_refused_and_nothing_changes(db):
    records = _bulk()
    load_entities(records)
    before = _state()
    changed = dataclasses.replace(records[0], name="ENDRET AS")
    with pytest.raises(LoadError, match="are missing from this file"):
        load_entities([changed, *records[1:20]], mark_missing_deleted=True)
    assert _state() == before
    # Without marking the same input is fine.
    assert load_entities([changed, *records[1:20]]).updated == 1


def test_an_org_number_twice_is_refused(db):
    records = _bulk()
    with pytest.raises(LoadError, match=f"{records[3].org_number} appears twice"):
        load_entities([*records, records[3]])
    assert Company.objects.count() == 0


def _failing(records, after: int):
    for index, record in enumerate(records):
        if index == after:
            raise RegisterFileError("The file ends early (truncated download?)")
        yield record


@pytest.mark.parametrize("existing", [0, 10], ids=["empty table", "filled table"])
def test_a_failure_in_the_middle_leaves_the_table_as_it_was(db, existing):
    records = _bulk()
    if existing:
        load_entities(records[:existing])
    before, indexes = _state(), _index_names()
    changed = [dataclasses.replace(r, name=f"{r.name} X") for r in records]
    with pytest.raises(RegisterFileError):
        load_entities(_failing(changed, after=25), batch_size=7)
    assert _state() == before
    assert _index_names() == indexes


def test_indexes_are_in_place_after_loading_into_an_empty_table(db):
    indexes = _index_names()
    load_entities(_bulk())
    assert _index_names() == indexes
    found = search.company_search(query="GAULDAL EIENDOM")
    assert [c.org_number for c in found][:1] == ["915330061"]


def test_progress_is_reported_per_batch(db):
    seen = []
    load_entities(_bulk(), batch_size=10, progress=seen.append)
    reading = [p.records_read for p in seen if p.phase == "reading"]
    assert reading == [10, 20, 30, 40]
    assert seen[-1].phase == "done" and seen[-1].records_read == 40


def test_marking_needs_input_that_was_read_to_its_end(db):
    class Incomplete(list):
        complete = False

    load_entities(_bulk())
    with pytest.raises(LoadError, match="not read to its end"):
        load_entities(Incomplete(_bulk()[1:]), mark_missing_deleted=True)
    assert not Company.objects.filter(deleted_on__isnull=False).exists()

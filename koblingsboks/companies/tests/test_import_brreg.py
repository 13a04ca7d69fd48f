"""manage.py import_brreg with the shared samples, and with broken files: a clear message
that names the record, and nothing written."""

import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from koblingsboks.companies.models import Company, ImportRun

SAMPLES = Path(os.environ.get("BRREG_SAMPLES", settings.BASE_DIR.parent / "shared/data/brreg"))
BULK = SAMPLES / "enheter_sample.json"
BULK_GZ = SAMPLES / "enheter_sample.json.gz"


def run(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_brreg", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(path, *args) -> str:
    with pytest.raises(CommandError) as caught:
        run(path, *args)
    return str(caught.value)


def _state() -> list[tuple]:
    return list(Company.objects.order_by("org_number").values_list())


def _last_run() -> ImportRun:
    return ImportRun.objects.filter(kind="brreg_entities").latest("started_at")


def test_import_of_the_bulk_sample(db):
    out, err = run(BULK)
    assert "Read 40 entities" in out and "40 created, 0 updated, 0 unchanged" in out
    assert "the bulk file" in err
    assert Company.objects.count() == 40
    assert set(Company.objects.values_list("organisation_form", flat=True)) >= {"AS", "ENK", "NUF"}
    run_row = _last_run()
    assert (run_row.status, run_row.records_read, run_row.created) == ("done", 40, 40)
    assert run_row.finished_at is not None and run_row.source_name.endswith("enheter_sample.json")


def test_a_second_run_of_the_same_file_creates_and_updates_nothing(db):
    run(BULK)
    before = _state()
    out, _err = run(BULK)
    assert "0 created, 0 updated, 40 unchanged, 0 marked deleted" in out
    assert _state() == before
    run_row = _last_run()
    assert (run_row.created, run_row.updated, run_row.unchanged) == (0, 0, 40)


def test_the_gzipped_sample_is_the_same_register(db):
    run(BULK_GZ)
    before = _state()
    out, _err = run(BULK)
    assert "40 unchanged" in out
    assert _state() == before


def test_the_rest_search_page(db):
    out, err = run(SAMPLES / "api_page_sample.json")
    assert "5 created" in out and "search page" in err
    assert set(Company.objects.values_list("municipality_number", flat=True)) == {"5059"}
    # Its entities are the bulk file's: importing the bulk file afterwards changes none of them.
    out, _err = run(BULK)
    assert "35 created, 0 updated, 5 unchanged" in out


def test_the_rest_lookups_mark_deleted_entities(db):
    run(BULK)
    out, _err = run(SAMPLES / "api_oppslag_sample.json")
    assert "1 created, 4 updated, 0 unchanged, 0 marked deleted" in out
    deleted = set(
        Company.objects.filter(deleted_on__isnull=False).values_list("org_number", flat=True)
    )
    assert deleted == {"923114831", "929901274"}
    assert Company.objects.count() == 41


def _bulk_without(tmp_path, *numbers: str) -> Path:
    objects = json.loads(BULK.read_text(encoding="utf-8"))
    path = tmp_path / "smaller.json"
    path.write_text(
        json.dumps([o for o in objects if o["organisasjonsnummer"] not in numbers]),
        encoding="utf-8",
    )
    return path


def test_a_complete_bulk_file_marks_missing_companies_deleted(db, tmp_path):
    run(BULK)
    out, _err = run(_bulk_without(tmp_path, "915233775"))
    assert "39 unchanged, 1 marked deleted" in out
    company = Company.objects.get(org_number="915233775")
    assert company.deleted_on == timezone.localdate()
    assert _last_run().marked_deleted == 1


def test_no_mark_deleted_and_the_file_date(db, tmp_path):
    run(BULK)
    smaller = _bulk_without(tmp_path, "915233775")
    out, _err = run(smaller, "--no-mark-deleted")
    assert "0 marked deleted" in out
    assert not Company.objects.filter(deleted_on__isnull=False).exists()
    day = timezone.localdate().isoformat()
    out, _err = run(smaller, "--file-date", day)
    assert "1 marked deleted" in out
    assert Company.objects.get(org_number="915233775").deleted_on.isoformat() == day


def test_rest_shapes_never_mark_anything_deleted(db):
    run(BULK)
    out, _err = run(SAMPLES / "api_page_sample.json")
    assert "0 marked deleted" in out
    assert not Company.objects.filter(deleted_on__isnull=False).exists()


def test_progress_is_printed_with_records_per_second(db):
    _out, err = run(BULK, "--progress-every", "10", "--batch-size", "10")
    lines = [line for line in err.splitlines() if "records/s" in line]
    assert [line.split()[0] for line in lines] == ["10", "20", "30", "40"]


# --- Broken input: a clear message, nothing written, the run recorded as failed -------


@pytest.fixture
def imported(db):
    run(BULK)
    return _state()


def _assert_nothing_written(before, message):
    assert _state() == before
    failed = _last_run()
    assert failed.status == "failed" and failed.error == message
    assert failed.finished_at is not None


@pytest.mark.parametrize("size", [300, 3000, 5000])
def test_a_truncated_gzip(imported, tmp_path, size):
    path = tmp_path / "enheter_alle.json.gz"
    path.write_bytes(BULK_GZ.read_bytes()[:size])
    message = fails(path)
    assert "The file ends early (truncated download?) after" in message
    assert "Nothing was imported" in message
    _assert_nothing_written(imported, message)


def test_a_truncated_gzip_into_an_empty_table(db, tmp_path):
    path = tmp_path / "enheter_alle.json.gz"
    path.write_bytes(BULK_GZ.read_bytes()[:5000])
    message = fails(path)
    assert "ends early" in message
    assert Company.objects.count() == 0
    assert _last_run().status == "failed"


def test_an_array_with_an_object_that_is_not_an_entity(imported, tmp_path):
    objects = json.loads(BULK.read_text(encoding="utf-8"))
    objects[20]["navn"] = "ENDRET AS"  # would be an update, had the file been whole
    objects.insert(30, {"journalnr": "2026123", "regnskapstype": "SELSKAP"})
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    message = fails(path)
    assert "Record 31 is not an entity of the register" in message
    _assert_nothing_written(imported, message)


def test_a_json_object_that_is_not_a_register_shape(imported, tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"results": [{"orgnr": "915233775"}], "count": 1}))
    message = fails(path)
    assert "not an entity of the register" in message
    assert "expected one of the register's shapes" in message
    _assert_nothing_written(imported, message)


def test_a_wrong_check_digit_names_the_record(imported, tmp_path):
    objects = json.loads(BULK.read_text(encoding="utf-8"))
    objects[10]["organisasjonsnummer"] = "921551038"
    path = tmp_path / "checkdigit.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    message = fails(path)
    assert "Record 11" in message and "921551038" in message
    _assert_nothing_written(imported, message)


def test_the_updates_feed_is_not_an_entity_file(imported):
    message = fails(SAMPLES / "oppdateringer_sample.json")
    assert "updates feed" in message and "sync_brreg" in message
    _assert_nothing_written(imported, message)


def test_a_missing_file_and_a_bad_batch_size(db, tmp_path):
    assert "no such file" in fails(tmp_path / "nope.json.gz")
    assert "--batch-size" in fails(BULK, "--batch-size", "0")
    assert not ImportRun.objects.exists()


# --- PostgreSQL, an import in a transaction of its own ---------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_first_import_builds_the_indexes_after_its_commit_on_two_connections():
    from django.db import connection

    from koblingsboks.companies.register.loader import load_entities
    from koblingsboks.companies.register.parser import iter_entities

    result = load_entities(iter_entities(BULK))
    assert result.created == Company.objects.count() == 40
    assert "indexes after commit" in result.timings
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'companies_company' "
            "AND indexdef LIKE '%%USING gin%%' ORDER BY indexname"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "company_name_fts_idx",
            "company_name_trgm_idx",
        ]
    # A second run finds the table filled: it upserts, and builds nothing after its commit.
    again = load_entities(iter_entities(BULK))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 40)
    assert "indexes after commit" not in again.timings


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_secondary_indexes_are_not_built_inside_the_transaction(monkeypatch):
    from django.db import connection

    from koblingsboks.companies.register import loader as loader_module
    from koblingsboks.companies.register.parser import iter_entities

    seen = {}
    real_finish = loader_module._PostgresLoader.finish

    def finish_and_look(self):
        real_finish(self)
        seen["in transaction"] = connection.in_atomic_block
        seen["secondary indexes"] = _secondary_indexes()

    monkeypatch.setattr(loader_module._PostgresLoader, "finish", finish_and_look)
    loader_module.load_entities(iter_entities(BULK))
    assert seen == {"in transaction": True, "secondary indexes": []}
    assert _secondary_indexes() == EXPECTED_INDEXES


EXPECTED_INDEXES = [
    "companies_company_org_number_93442668_like",
    "company_municipality_idx",
    "company_nace_idx",
    "company_name_fts_idx",
    "company_name_idx",
    "company_name_prefix_idx",
    "company_name_trgm_idx",
]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_import_builds_the_indexes_a_killed_run_left_unbuilt():
    from django.db import connection

    from koblingsboks.companies.register.loader import load_entities
    from koblingsboks.companies.register.parser import iter_entities

    load_entities(iter_entities(BULK))
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX company_nace_idx")
        cursor.execute("DROP INDEX company_name_trgm_idx")
    load_entities(iter_entities(BULK))
    assert _secondary_indexes() == EXPECTED_INDEXES


def _secondary_indexes() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'companies_company'::regclass AND NOT i.indisprimary "
            "AND NOT i.indisunique ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]


def _gin_indexes() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'companies_company' "
            "AND indexdef LIKE '%%USING gin%%' ORDER BY indexname"
        )
        return [row[0] for row in cursor.fetchall()]

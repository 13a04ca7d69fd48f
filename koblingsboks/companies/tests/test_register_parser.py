"""The register file parser: every shape the register publishes, and clear errors for files
that are broken or not the register's. No database."""

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from koblingsboks.companies.register import bulk_array, streams
from koblingsboks.companies.register import parser as parser_module
from koblingsboks.companies.register.parser import RegisterFileError, iter_entities
from koblingsboks.companies.register.records import entity_from_json

SAMPLES = Path(os.environ.get("BRREG_SAMPLES", settings.BASE_DIR.parent / "shared/data/brreg"))
BULK = SAMPLES / "enheter_sample.json"
BULK_GZ = SAMPLES / "enheter_sample.json.gz"


def _load(name: str):
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def _numbers(stream) -> list[str]:
    return [record.org_number for record in stream]


def test_bulk_file_gives_every_entity_in_file_order():
    stream = iter_entities(BULK)
    records = list(stream)
    expected = [entity_from_json(obj) for obj in _load("enheter_sample.json")]
    assert records == expected
    assert len(records) == 40
    assert stream.shape == "bulk"
    assert stream.complete and stream.is_complete_register
    assert stream.records_read == 40


def test_gzip_and_plain_sample_give_the_same_entities():
    assert list(iter_entities(BULK_GZ)) == list(iter_entities(BULK))


def test_gzip_is_detected_by_its_magic_bytes_not_by_the_name(tmp_path):
    gz_named_json = tmp_path / "enheter.json"
    gz_named_json.write_bytes(BULK_GZ.read_bytes())
    plain_named_gz = tmp_path / "enheter.json.gz"
    plain_named_gz.write_bytes(BULK.read_bytes())
    assert _numbers(iter_entities(gz_named_json)) == _numbers(iter_entities(BULK))
    assert _numbers(iter_entities(plain_named_gz)) == _numbers(iter_entities(BULK))


def test_a_binary_file_object_is_accepted():
    with BULK_GZ.open("rb") as file:
        assert len(_numbers(iter_entities(file))) == 40
    assert len(_numbers(iter_entities(io.BytesIO(BULK.read_bytes())))) == 40


def test_rows_are_the_records_as_tuples():
    rows = list(iter_entities(BULK).rows())
    assert rows == [record.as_row() for record in iter_entities(BULK)]


def test_layout_and_key_order_do_not_matter(tmp_path):
    """Minified JSON, reversed key order, CRLF line ends: the same entities."""
    objects = _load("enheter_sample.json")
    reordered = [dict(reversed(list(obj.items()))) for obj in objects]
    minified = tmp_path / "min.json"
    minified.write_text(json.dumps(reordered, separators=(",", ":"), ensure_ascii=False))
    windows = tmp_path / "crlf.json"
    windows.write_bytes(json.dumps(objects, indent=4).replace("\n", "\r\n").encode())
    expected = list(iter_entities(BULK))
    assert list(iter_entities(minified)) == expected
    assert list(iter_entities(windows)) == expected


def test_entities_that_span_read_chunks(tmp_path, monkeypatch):
    """Chunks far smaller than one entity: every entity is still whole."""
    monkeypatch.setattr(streams, "CHUNK_BYTES", 97)
    assert list(iter_entities(BULK_GZ)) == list(iter_entities(BULK))


def test_a_byte_order_mark_and_an_empty_array_are_fine(tmp_path):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + BULK.read_bytes())
    assert len(list(iter_entities(bom))) == 40
    empty = tmp_path / "empty-array.json"
    empty.write_text("[ ]\n")
    stream = iter_entities(empty)
    assert list(stream) == [] and stream.complete


def test_a_file_of_several_gzip_members_is_read_whole(tmp_path):
    objects = _load("enheter_sample.json")
    text = json.dumps(objects)
    half = len(text) // 2
    path = tmp_path / "members.json.gz"
    path.write_bytes(gzip.compress(text[:half].encode()) + gzip.compress(text[half:].encode()))
    assert len(list(iter_entities(path))) == 40


def test_search_page_gives_its_embedded_entities():
    stream = iter_entities(SAMPLES / "api_page_sample.json")
    records = list(stream)
    page = _load("api_page_sample.json")
    assert records == [entity_from_json(obj) for obj in page["_embedded"]["enheter"]]
    assert stream.shape == "search_page"
    assert stream.complete and not stream.is_complete_register


def test_search_page_without_hits_has_no_embedded_key(tmp_path):
    path = tmp_path / "no-hits.json"
    path.write_text(json.dumps({"_links": {}, "page": {"size": 20, "totalElements": 0}}))
    stream = iter_entities(path)
    assert list(stream) == [] and stream.shape == "search_page"


def test_lookups_keyed_by_org_number_include_deleted_stubs():
    stream = iter_entities(SAMPLES / "api_oppslag_sample.json")
    records = {record.org_number: record for record in stream}
    assert stream.shape == "lookup"
    assert set(records) == set(_load("api_oppslag_sample.json"))
    assert records["923114831"].deleted_on.isoformat() == "2026-10-08"
    assert records["929901274"].deleted_on.isoformat() == "2026-10-19"
    assert records["998704421"].is_bankrupt and records["998704421"].deleted_on is None


def test_a_single_entity_as_the_api_returns_it(tmp_path):
    entity = _load("api_oppslag_sample.json")["938204551"]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(entity))
    stream = iter_entities(path)
    assert list(stream) == [entity_from_json(entity)]
    assert stream.shape == "entity"


# --- Broken files and files that are not the register's -----------------------------


def _error(source) -> str:
    stream = source if isinstance(source, parser_module.EntityStream) else iter_entities(source)
    with pytest.raises(RegisterFileError) as caught:
        list(stream)
    assert not stream.complete
    return str(caught.value)


@pytest.mark.parametrize("size", [100, 2000, 4000, 5400])
def test_truncated_gzip_says_the_download_ends_early(tmp_path, size):
    path = tmp_path / "cut.json.gz"
    path.write_bytes(BULK_GZ.read_bytes()[:size])
    stream = iter_entities(path)
    with pytest.raises(RegisterFileError) as caught:
        list(stream)
    message = str(caught.value)
    assert "ends early (truncated download?)" in message
    assert f"after {stream.records_read} records" in message
    assert stream.records_read < 40


def test_truncated_plain_json_says_the_file_ends_early(tmp_path):
    text = BULK.read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    message = _error(path)
    assert "ends early (truncated download?)" in message


def test_corrupt_gzip_data_is_reported(tmp_path):
    data = bytearray(BULK_GZ.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path = tmp_path / "corrupt.json.gz"
    path.write_bytes(bytes(data))
    message = _error(path)
    assert "corrupt" in message or "Invalid JSON" in message


def test_invalid_json_in_the_middle_names_the_record(tmp_path):
    objects = _load("enheter_sample.json")
    text = json.dumps(objects, indent=2, ensure_ascii=False)
    # Break record 13: drop the comma after its name.
    name = objects[12]["navn"]
    broken = text.replace(f'"navn": "{name}",', f'"navn": "{name}"', 1)
    path = tmp_path / "broken.json"
    path.write_text(broken, encoding="utf-8")
    message = _error(path)
    assert "Invalid JSON in record 13" in message
    assert f"after org.nr {objects[11]['organisasjonsnummer']}" in message


def test_an_array_element_that_is_not_an_entity_names_it(tmp_path):
    objects = _load("enheter_sample.json")
    objects.insert(5, {"id": 1, "regnskapstype": "SELSKAP"})
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(objects))
    message = _error(path)
    assert "Record 6 is not an entity" in message
    assert "organisasjonsnummer" in message


def test_an_entity_with_a_wrong_check_digit_names_its_number(tmp_path):
    objects = _load("enheter_sample.json")
    objects[2]["organisasjonsnummer"] = "915330062"
    path = tmp_path / "checkdigit.json"
    path.write_text(json.dumps(objects))
    message = _error(path)
    assert "Record 3" in message and "915330062" in message and "check digit" in message


def test_an_array_of_non_objects_is_refused(tmp_path):
    path = tmp_path / "numbers.json"
    path.write_text("[1, 2, 3]")
    assert "Record 1" in _error(path) and "JSON number" in _error(path)


@pytest.mark.parametrize(
    "content, expected",
    [
        ({"foo": 1, "bar": [1, 2]}, "not an entity of the register"),
        ({}, "empty JSON object"),
        ({"_embedded": {"underenheter": []}}, "not of entities"),
        ({"918744126": {"navn": "X"}}, "The value for 918744126 is not an entity"),
        ({"918744126": _load("api_oppslag_sample.json")["924813717"]}, "the entity 924813717"),
    ],
)
def test_a_json_object_that_is_not_a_register_shape(tmp_path, content, expected):
    path = tmp_path / "other.json"
    path.write_text(json.dumps(content))
    assert expected in _error(path)


def test_the_updates_feed_and_the_accounts_file_are_named_for_what_they_are():
    assert "updates feed" in _error(SAMPLES / "oppdateringer_sample.json")
    assert "not an entity but a JSON array" in _error(SAMPLES / "regnskap_sample.json")
    assert "sub-unit" in _error(SAMPLES / "underenheter_sample.json")


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"hello", "not JSON"),
        (b"\x00\x01\x02binary", "not JSON"),
        (b'[{"organisasjonsnummer": "974760673", "navn": "X"}] [', "after the end of the array"),
        (b'[{"organisasjonsnummer": "974760673", "navn": "X"} {}]', "expected ',' or ']'"),
    ],
)
def test_files_that_are_not_json_arrays(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert expected in _error(path)


def test_a_text_mode_file_is_refused_with_a_hint():
    with BULK.open(encoding="utf-8") as file, pytest.raises(RegisterFileError, match="binary"):
        list(iter_entities(file))


def test_a_stream_is_read_once():
    stream = iter_entities(BULK)
    list(stream)
    with pytest.raises(RuntimeError):
        list(stream)


# --- The parallel parse of a large bulk file (forced here on the small sample) --------


@pytest.fixture
def parallel(monkeypatch):
    """Worker processes for any file, and pieces of a few entities each."""
    monkeypatch.setattr(bulk_array, "PARALLEL_MIN_CHARS", 4000)
    monkeypatch.setattr(bulk_array, "PIECE_CHARS", 5000)


def _sequential(path) -> list:
    return list(iter_entities(path, workers=0))


def test_worker_processes_give_the_same_records_in_order(parallel, tmp_path):
    expected = _sequential(BULK)
    assert list(iter_entities(BULK_GZ, workers=2)) == expected
    # Without the register's layout the pieces are cut at any "}, {"; names that contain
    # "},{" make some cuts fall inside a string: those pieces are parsed again here.
    objects = _load("enheter_sample.json")
    for obj in objects:
        obj["navn"] = obj["navn"] + ' },{ "x": {'
    path = tmp_path / "tricky.json"
    path.write_text(json.dumps(objects, separators=(",", ":")), encoding="utf-8")
    records = list(iter_entities(path, workers=2))
    assert records == _sequential(path)
    assert [r.org_number for r in records] == [r.org_number for r in expected]
    assert records[0].name.endswith('},{ "x": {')


def _errors_match(path) -> str:
    sequential = _error(iter_entities(path, workers=0))
    parallel = _error(iter_entities(path, workers=2))
    assert parallel == sequential
    return parallel


def test_worker_processes_give_the_same_errors(parallel, tmp_path):
    objects = _load("enheter_sample.json")
    objects[33]["organisasjonsnummer"] = "921551038"
    wrong = tmp_path / "checkdigit.json"
    wrong.write_text(json.dumps(objects, indent=2), encoding="utf-8")
    assert "Record 34" in _errors_match(wrong)

    text = BULK.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[:40000], encoding="utf-8")
    assert "ends early (truncated download?)" in _errors_match(cut)

    name = _load("enheter_sample.json")[35]["navn"]
    broken = tmp_path / "broken.json"
    broken.write_text(text.replace(f'"navn" : "{name}",', f'"navn" : "{name}"'), encoding="utf-8")
    assert "Invalid JSON in record 36" in _errors_match(broken)


def test_an_element_too_large_to_cut_is_parsed_in_this_process(parallel, tmp_path):
    objects = _load("enheter_sample.json")
    objects[3]["aktivitet"] = ["Drift av fjellgård, " * 10_000]  # one element of 200 kB
    path = tmp_path / "large.json"
    path.write_text(json.dumps(objects, indent=2, ensure_ascii=False), encoding="utf-8")
    assert list(iter_entities(path, workers=2)) == _sequential(BULK)


# --- COPY blocks: what the PostgreSQL loader writes, built in the worker processes ------


def _copy_text(stream) -> tuple[bytes, str, int]:
    blocks = list(stream.copy_blocks("\tSUFFIX\n", rows_per_block=7))
    return (
        b"".join(block.data for block in blocks),
        "".join(block.numbers for block in blocks),
        stream.records_read,
    )


def test_copy_blocks_are_the_rows_as_copy_lines(parallel):
    prepared = list(iter_entities(BULK, workers=0).prepared())
    expected = "".join(f"{text}\t{digest}\tSUFFIX\n" for _row, text, digest in prepared)
    data, numbers, read = _copy_text(iter_entities(BULK, workers=0))
    assert data.decode() == expected
    assert numbers == "".join(row[0] for row, _text, _digest in prepared)
    assert read == len(prepared) == 40
    # In worker processes (pieces of a few entities each): the same bytes.
    assert _copy_text(iter_entities(BULK_GZ, workers=2)) == (data, numbers, read)


def test_copy_blocks_of_the_rest_shapes(parallel):
    data, numbers, read = _copy_text(iter_entities(SAMPLES / "api_oppslag_sample.json"))
    rows = list(iter_entities(SAMPLES / "api_oppslag_sample.json").rows())
    assert numbers == "".join(row[0] for row in rows) and read == len(rows) > 0
    assert data.count(b"\tSUFFIX\n") == len(rows)


def test_copy_blocks_give_the_same_errors_as_rows(parallel, tmp_path):
    text = BULK.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[:40000], encoding="utf-8")
    objects = _load("enheter_sample.json")
    objects[33]["organisasjonsnummer"] = "921551038"
    wrong = tmp_path / "checkdigit.json"
    wrong.write_text(json.dumps(objects, indent=2), encoding="utf-8")
    for path in (cut, wrong):
        expected = _error(iter_entities(path, workers=0))
        for workers in (0, 2):
            stream = iter_entities(path, workers=workers)
            with pytest.raises(RegisterFileError) as caught:
                _copy_text(stream)
            assert str(caught.value) == expected
            assert not stream.complete

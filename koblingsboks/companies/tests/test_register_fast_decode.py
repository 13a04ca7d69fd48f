"""The fast path (msgspec structs) gives exactly the rows of the general mapping, and
leaves every entity it does not know to it."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from koblingsboks.companies.register.fast_decode import NotFastPath, rows_from_array_text
from koblingsboks.companies.register.records import RecordError, entity_row_from_json

SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "data" / "brreg"


def _bulk_objects() -> list[dict]:
    return json.loads((SAMPLES / "enheter_sample.json").read_text(encoding="utf-8"))


def _fast(objects: list[dict]) -> list[tuple]:
    return rows_from_array_text(json.dumps(objects, ensure_ascii=False).encode())


def test_the_shared_bulk_sample_maps_the_same_both_ways():
    objects = _bulk_objects()
    assert _fast(objects) == [entity_row_from_json(obj) for obj in objects]


def test_the_rest_lookups_without_their_envelope_map_the_same():
    lookups = json.loads((SAMPLES / "api_oppslag_sample.json").read_text(encoding="utf-8"))
    objects = [
        {key: value for key, value in obj.items() if key not in ("respons_klasse", "_links")}
        for obj in lookups.values()
        if obj.get("respons_klasse") != "SlettetEnhet"
    ]
    assert objects
    assert _fast(objects) == [entity_row_from_json(obj) for obj in objects]


@pytest.mark.parametrize(
    "change",
    [
        {"antallAnsatte": "12"},  # a number as a string: both read 12
        {"antallAnsatte": "mange"},  # not a number: both leave it empty
        {"sisteInnsendteAarsregnskap": 2024},
        {"stiftelsesdato": ""},
        {"stiftelsesdato": "2020-02-30"},  # no such day: empty both ways
        {"konkursdato": "2021-03-04T00:00:00"},
        {"forretningsadresse": {"adresse": [None, "", " Storgata 1 ", "Bakgården"]}},
        {"postadresse": None, "hjemmeside": None},
        {"organisasjonsform": None, "naeringskode1": None},
        {"naeringskode2": {"kode": "62.010", "beskrivelse": "x"}},
        {"navn": "  ÆRLIG ØKONOMI ÅS AS  "},
        {"navn": "N" * 600, "hjemmeside": "w" * 400},
        {"konkurs": None, "underAvvikling": True},
    ],
)
def test_edge_cases_map_the_same(change):
    obj = {**_bulk_objects()[0], **change}
    assert _fast([obj]) == [entity_row_from_json(obj)]


@pytest.mark.parametrize(
    "change",
    [
        {"organisasjonsnummer": 974760673},  # a number, not the register's string
        {"antallAnsatte": 7.0},
        {"antallAnsatte": True},
        {"konkurs": "false"},  # the general way reads any non-empty value as true
        {"organisasjonsform": "AS"},
        {"forretningsadresse": {"postnummer": 7300}},
        {"beliggenhetsadresse": {"adresse": ["x"]}},  # a sub-unit
        {"respons_klasse": "Enhet"},
    ],
)
def test_other_types_leave_the_fast_path(change):
    obj = {**_bulk_objects()[0], **change}
    with pytest.raises(NotFastPath):
        _fast([obj])


@pytest.mark.parametrize(
    "change", [{"navn": "   "}, {"organisasjonsnummer": "921551038"}, {"navn": None}]
)
def test_records_the_general_way_refuses_are_refused(change):
    obj = {**_bulk_objects()[0], **change}
    with pytest.raises(RecordError):
        entity_row_from_json(obj)
    with pytest.raises(NotFastPath):
        _fast([obj])


def test_broken_json_leaves_the_fast_path():
    with pytest.raises(NotFastPath):
        rows_from_array_text(b'[{"organisasjonsnummer": "974760673", "navn": "X"')
    with pytest.raises(NotFastPath):
        rows_from_array_text(b'[{"organisasjonsnummer": "974760673", "navn": "X"}] trailing')

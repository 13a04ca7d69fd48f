"""The bulk file's entities decoded straight into typed structs (msgspec): only the fields
the platform keeps are built, the rest of each entity is skipped in C.

About three times faster than the standard library's decoder plus the mapping of
records.entity_row_from_json, which is what a full import spends its time on. It is only a
fast path: the types are those the register publishes (FORMATS.md), and anything else — a
number where the register writes a string, a sub-unit, a missing name, broken JSON — raises
``NotFastPath``, and the caller decodes that piece the general way, which accepts what it
can and names the record that is wrong. Both ways give the same row for the same entity
(tests/test_register_fast_decode.py compares them).
"""

import msgspec

from koblingsboks.companies.register.records import (
    RecordError,
    _date,
    _int,
    org_number_from_value,
)


class NotFastPath(Exception):
    """This piece needs the general decoder (records.entity_row_from_json)."""


class _Code(msgspec.Struct):
    kode: str | None = None
    beskrivelse: str | None = None


class _Address(msgspec.Struct):
    adresse: list[str | None] | None = None
    postnummer: str | None = None
    poststed: str | None = None
    landkode: str | None = None
    kommunenummer: str | None = None
    kommune: str | None = None


class _Entity(msgspec.Struct):
    organisasjonsnummer: str
    navn: str | None = None
    organisasjonsform: _Code | None = None
    naeringskode1: _Code | None = None
    naeringskode2: _Code | None = None
    naeringskode3: _Code | None = None
    forretningsadresse: _Address | None = None
    postadresse: _Address | None = None
    stiftelsesdato: str | None = None
    registreringsdatoEnhetsregisteret: str | None = None
    antallAnsatte: int | str | None = None
    harRegistrertAntallAnsatte: bool | None = None
    konkurs: bool | None = None
    konkursdato: str | None = None
    underAvvikling: bool | None = None
    underAvviklingDato: str | None = None
    underTvangsavviklingEllerTvangsopplosning: bool | None = None
    slettedato: str | None = None
    hjemmeside: str | None = None
    sisteInnsendteAarsregnskap: str | int | None = None
    # Present only on sub-units and REST answers: such a record takes the general way.
    beliggenhetsadresse: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    respons_klasse: str | None = None


_DECODE_ARRAY = msgspec.json.Decoder(list[_Entity]).decode
_EMPTY_ADDRESS = ("", "", "", "", "", "")


def rows_from_array_text(text: bytes | str) -> list[tuple]:
    """The rows (records.FIELD_NAMES order) of a JSON array of bulk entities."""
    try:
        entities = _DECODE_ARRAY(text)
        return [_row(entity) for entity in entities]
    except (msgspec.DecodeError, RecordError) as exc:  # ValidationError is a DecodeError
        raise NotFastPath(str(exc)) from None


def _address(part: _Address | None) -> tuple[str, str, str, str, str, str]:
    if part is None:
        return _EMPTY_ADDRESS
    lines = [str(line).strip() for line in (part.adresse or ()) if line]
    return (
        ", ".join(line for line in lines if line)[:500],
        (part.postnummer or "")[:10],
        (part.poststed or "")[:100],
        (part.landkode or "")[:2],
        (part.kommunenummer or "")[:4],
        (part.kommune or "")[:100],
    )


def _row(entity: _Entity) -> tuple:
    """records.entity_row_from_json, for an entity of the register's own types."""
    if entity.beliggenhetsadresse is not msgspec.UNSET or entity.respons_klasse is not None:
        raise RecordError("not a plain bulk entity")
    number = org_number_from_value(entity.organisasjonsnummer)
    name = (entity.navn or "").strip()
    if not name:
        raise RecordError(f"{number}: entity without 'navn'")
    form, nace = entity.organisasjonsform, entity.naeringskode1
    nace_2, nace_3 = entity.naeringskode2, entity.naeringskode3
    business = _address(entity.forretningsadresse)
    postal = _address(entity.postadresse)
    employees = entity.antallAnsatte
    if employees is not None and employees.__class__ is not int:
        employees = _int(employees)
    website = entity.hjemmeside
    return (
        number,
        name[:500],
        (form.kode or "")[:10] if form is not None else "",
        (form.beskrivelse or "")[:200] if form is not None else "",
        (nace.kode or "")[:10] if nace is not None else "",
        (nace.beskrivelse or "")[:300] if nace is not None else "",
        (nace_2.kode or "")[:10] if nace_2 is not None else "",
        (nace_3.kode or "")[:10] if nace_3 is not None else "",
        business[4],
        business[5],
        business[0],
        business[1],
        business[2],
        business[3],
        postal[0],
        postal[1],
        postal[2],
        postal[3],
        _date(entity.stiftelsesdato),
        _date(entity.registreringsdatoEnhetsregisteret),
        employees,
        bool(entity.harRegistrertAntallAnsatte),
        bool(entity.konkurs),
        _date(entity.konkursdato),
        bool(entity.underAvvikling),
        _date(entity.underAvviklingDato),
        bool(entity.underTvangsavviklingEllerTvangsopplosning),
        _date(entity.slettedato),
        website[:300] if website else "",
        _int(entity.sisteInnsendteAarsregnskap),
    )

"""One entity of the entity register as the platform stores it. No ORM here.

Accepts both shapes the register publishes: the bulk file (``links: []``) and the REST API
(``_links``, ``respons_klasse``, and the ``SlettetEnhet`` stub of a deleted entity). Unknown
keys are ignored, empty-string dates are None, a missing employee count stays None.

The bulk import maps 1.1 million of them, so the mapping is written for speed:
``entity_row_from_json`` gives the values as a tuple (FIELD_NAMES order; building the
frozen dataclass costs as much as the mapping), ``row_text`` formats a row once — as a line
of PostgreSQL's COPY text format, which is also what the record hash is computed from.
"""

import datetime
import hashlib
import operator
from dataclasses import dataclass, fields

from stdnum.no import orgnr


class RecordError(ValueError):
    """A JSON object that is not a register entity; the message names the record."""


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """The Company fields of one register entity (see companies.models.Company)."""

    org_number: str
    name: str
    organisation_form: str = ""
    organisation_form_description: str = ""
    nace_code: str = ""
    nace_description: str = ""
    nace_code_2: str = ""
    nace_code_3: str = ""
    municipality_number: str = ""
    municipality_name: str = ""
    business_address: str = ""
    business_postal_code: str = ""
    business_postal_place: str = ""
    business_country_code: str = ""
    postal_address: str = ""
    postal_code: str = ""
    postal_place: str = ""
    postal_country_code: str = ""
    founded_on: datetime.date | None = None
    registered_on: datetime.date | None = None
    employees: int | None = None
    has_registered_employees: bool = False
    is_bankrupt: bool = False
    bankrupt_on: datetime.date | None = None
    is_under_liquidation: bool = False
    liquidation_on: datetime.date | None = None
    is_under_forced_liquidation: bool = False
    deleted_on: datetime.date | None = None
    website: str = ""
    last_accounts_year: int | None = None

    @property
    def record_hash(self) -> str:
        """A stable digest of every field, to write only the rows that changed."""
        return row_hash(self.as_row())

    def as_row(self) -> tuple:
        """The field values in FIELD_NAMES order (the columns the loader writes)."""
        return _row_getter(self)


FIELD_NAMES = [f.name for f in fields(EntityRecord)]
_row_getter = operator.attrgetter(*FIELD_NAMES)
_fromisoformat = datetime.date.fromisoformat
_blake2b = hashlib.blake2b


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return _fromisoformat(value if value.__class__ is str else str(value)[:10])
    except ValueError:
        if value.__class__ is str and len(value) > 10:
            try:
                return _fromisoformat(value[:10])
            except ValueError:
                return None
        return None


def _code(obj, key: str) -> str:
    part = obj.get(key)
    return str(part.get("kode") or "") if isinstance(part, dict) else ""


def _description(obj, key: str) -> str:
    part = obj.get(key)
    return str(part.get("beskrivelse") or "") if isinstance(part, dict) else ""


def _address_lines(part: dict) -> str:
    lines = [str(line).strip() for line in (part.get("adresse") or []) if line]
    return ", ".join(line for line in lines if line)[:500]


def _int(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _org_number(obj: dict) -> str:
    return org_number_from_value(obj.get("organisasjonsnummer"))


def org_number_from_value(number) -> str:
    """The register's ``organisasjonsnummer`` value, checked (MOD11), as nine digits."""
    number = number if number.__class__ is str else str(number or "")
    if not number:
        raise RecordError("an entity without 'organisasjonsnummer': not the register's shape")
    if len(number) == 9 and number.isascii() and number.isdigit():
        d = number.encode()
        # MOD11 with the weights 3,2,7,6,5,4,3,2,1 over all nine digits (48 is ord("0")).
        total = (
            3 * d[0] + 2 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4]
            + 4 * d[5] + 3 * d[6] + 2 * d[7] + d[8] - 33 * 48
        )  # fmt: skip
        if total % 11 == 0:
            return number
    elif orgnr.is_valid(number):
        return orgnr.compact(number)  # "974 760 673" → "974760673"
    raise RecordError(f"{number}: not a valid organisation number (check digit)")


_EMPTY_ADDRESS = ("", "", "", "", "", "")


def _address(part) -> tuple[str, str, str, str, str, str]:
    """An address object → (lines, postal code, place, country, municipality nr, name)."""
    if not isinstance(part, dict):
        return _EMPTY_ADDRESS
    get = part.get
    return (
        _address_lines(part),
        str(get("postnummer") or "")[:10],
        str(get("poststed") or "")[:100],
        str(get("landkode") or "")[:2],
        str(get("kommunenummer") or "")[:4],
        str(get("kommune") or "")[:100],
    )


def entity_row_from_json(obj: dict) -> tuple:
    """Map one register object (bulk, REST or a deleted stub) to the values of an
    EntityRecord, in FIELD_NAMES order. The bulk import uses rows: building the frozen
    dataclass costs about as much as the mapping itself."""
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object, got {type(obj).__name__}")
    number = _org_number(obj)
    get = obj.get
    name = str(get("navn") or "").strip()
    if not name:
        raise RecordError(f"{number}: entity without 'navn'")
    if "beliggenhetsadresse" in obj or get("respons_klasse") == "Underenhet":
        raise RecordError(
            f"{number}: a sub-unit (underenhet), not an entity: import the entity file "
            "(enheter), not the sub-unit file (underenheter)"
        )
    form = get("organisasjonsform")
    if isinstance(form, dict):
        form_code = str(form.get("kode") or "")[:10]
        form_description = str(form.get("beskrivelse") or "")[:200]
    else:
        form_code = form_description = ""
    nace = get("naeringskode1")
    if isinstance(nace, dict):
        nace_code = str(nace.get("kode") or "")[:10]
        nace_description = str(nace.get("beskrivelse") or "")[:300]
    else:
        nace_code = nace_description = ""
    business = _address(get("forretningsadresse"))
    postal = _address(get("postadresse"))
    employees = get("antallAnsatte")
    if employees is not None and employees.__class__ is not int:
        employees = _int(employees)
    website = get("hjemmeside")
    return (
        number,
        name[:500],
        form_code,
        form_description,
        nace_code,
        nace_description,
        _code(obj, "naeringskode2")[:10] if "naeringskode2" in obj else "",
        _code(obj, "naeringskode3")[:10] if "naeringskode3" in obj else "",
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
        _date(get("stiftelsesdato")),
        _date(get("registreringsdatoEnhetsregisteret")),
        employees,
        bool(get("harRegistrertAntallAnsatte")),
        bool(get("konkurs")),
        _date(get("konkursdato")),
        bool(get("underAvvikling")),
        _date(get("underAvviklingDato")),
        bool(get("underTvangsavviklingEllerTvangsopplosning")),
        _date(get("slettedato")),
        str(website)[:300] if website else "",
        _int(get("sisteInnsendteAarsregnskap")),
    )


def entity_from_json(obj: dict) -> EntityRecord:
    """Map one register object (bulk, REST or a deleted stub) to an EntityRecord."""
    return EntityRecord(*entity_row_from_json(obj))


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TEXT_FIELDS = 18  # the first 18 fields are strings; see EntityRecord


def row_text(row: tuple) -> str:
    """The row as one line of PostgreSQL's COPY text format (without the newline): tab
    between fields, ``\\N`` for None, ``t``/``f``, ISO dates, backslash escapes.

    Also the canonical form the record hash is computed from, so the loader formats each
    row once for both.
    """
    text = "\t".join(row[:_TEXT_FIELDS])
    if "\\" in text or "\n" in text or "\r" in text or text.count("\t") != _TEXT_FIELDS - 1:
        text = "\t".join(value.translate(_ESCAPES) for value in row[:_TEXT_FIELDS])
    (
        founded_on, registered_on, employees, has_registered_employees, is_bankrupt,
        bankrupt_on, is_under_liquidation, liquidation_on, is_under_forced_liquidation,
        deleted_on, website, last_accounts_year,
    ) = row[_TEXT_FIELDS:]  # fmt: skip
    return "\t".join(
        (
            text,
            founded_on.isoformat() if founded_on is not None else "\\N",
            registered_on.isoformat() if registered_on is not None else "\\N",
            str(employees) if employees is not None else "\\N",
            "t" if has_registered_employees else "f",
            "t" if is_bankrupt else "f",
            bankrupt_on.isoformat() if bankrupt_on is not None else "\\N",
            "t" if is_under_liquidation else "f",
            liquidation_on.isoformat() if liquidation_on is not None else "\\N",
            "t" if is_under_forced_liquidation else "f",
            deleted_on.isoformat() if deleted_on is not None else "\\N",
            website.translate(_ESCAPES) if website else "",
            str(last_accounts_year) if last_accounts_year is not None else "\\N",
        )
    )


def text_hash(text: str) -> str:
    """The record hash of a row given as its ``row_text``: 32 hex digits (a 128-bit BLAKE2b,
    a change detector, not a security measure)."""
    return _blake2b(text.encode(), digest_size=16).hexdigest()


def row_hash(row: tuple) -> str:
    """The record hash of an entity row (see EntityRecord.record_hash)."""
    return text_hash(row_text(row))


def is_deleted_stub(obj: dict) -> bool:
    """The REST API answers a deleted entity with a short SlettetEnhet object."""
    return obj.get("respons_klasse") == "SlettetEnhet" or bool(obj.get("slettedato"))

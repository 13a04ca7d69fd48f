"""One entity of the entity register as the platform stores it. No ORM here.

Accepts both shapes the register publishes: the bulk file (``links: []``) and the REST API
(``_links``, ``respons_klasse``, and the ``SlettetEnhet`` stub of a deleted entity). Unknown
keys are ignored, empty-string dates are None, a missing employee count stays None.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, fields

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
        payload = json.dumps(asdict(self), default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.md5(payload.encode(), usedforsecurity=False).hexdigest()


FIELD_NAMES = [f.name for f in fields(EntityRecord)]


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _code(obj, key: str) -> str:
    part = obj.get(key)
    return str(part.get("kode") or "") if isinstance(part, dict) else ""


def _description(obj, key: str) -> str:
    part = obj.get(key)
    return str(part.get("beskrivelse") or "") if isinstance(part, dict) else ""


def _address(obj, key: str) -> dict[str, str]:
    """An address object → its lines, postal code and place, country and municipality."""
    part = obj.get(key)
    if not isinstance(part, dict):
        return {"lines": "", "code": "", "place": "", "country": "", "mnr": "", "mname": ""}
    lines = [str(line).strip() for line in (part.get("adresse") or []) if line]
    return {
        "lines": ", ".join(line for line in lines if line)[:500],
        "code": str(part.get("postnummer") or "")[:10],
        "place": str(part.get("poststed") or "")[:100],
        "country": str(part.get("landkode") or "")[:2],
        "mnr": str(part.get("kommunenummer") or "")[:4],
        "mname": str(part.get("kommune") or "")[:100],
    }


def _int(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def entity_from_json(obj: dict) -> EntityRecord:
    """Map one register object (bulk, REST or a deleted stub) to an EntityRecord."""
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object, got {type(obj).__name__}")
    number = str(obj.get("organisasjonsnummer") or "")
    if not number:
        raise RecordError("an entity without 'organisasjonsnummer': not the register's shape")
    if not orgnr.is_valid(number):
        raise RecordError(f"{number}: not a valid organisation number (check digit)")
    name = str(obj.get("navn") or "").strip()
    if not name:
        raise RecordError(f"{number}: entity without 'navn'")
    business = _address(obj, "forretningsadresse")
    postal = _address(obj, "postadresse")
    return EntityRecord(
        org_number=number,
        name=name[:500],
        organisation_form=_code(obj, "organisasjonsform")[:10],
        organisation_form_description=_description(obj, "organisasjonsform")[:200],
        nace_code=_code(obj, "naeringskode1")[:10],
        nace_description=_description(obj, "naeringskode1")[:300],
        nace_code_2=_code(obj, "naeringskode2")[:10],
        nace_code_3=_code(obj, "naeringskode3")[:10],
        municipality_number=business["mnr"],
        municipality_name=business["mname"],
        business_address=business["lines"],
        business_postal_code=business["code"],
        business_postal_place=business["place"],
        business_country_code=business["country"],
        postal_address=postal["lines"],
        postal_code=postal["code"],
        postal_place=postal["place"],
        postal_country_code=postal["country"],
        founded_on=_date(obj.get("stiftelsesdato")),
        registered_on=_date(obj.get("registreringsdatoEnhetsregisteret")),
        employees=_int(obj.get("antallAnsatte")),
        has_registered_employees=bool(obj.get("harRegistrertAntallAnsatte")),
        is_bankrupt=bool(obj.get("konkurs")),
        bankrupt_on=_date(obj.get("konkursdato")),
        is_under_liquidation=bool(obj.get("underAvvikling")),
        liquidation_on=_date(obj.get("underAvviklingDato")),
        is_under_forced_liquidation=bool(obj.get("underTvangsavviklingEllerTvangsopplosning")),
        deleted_on=_date(obj.get("slettedato")),
        website=str(obj.get("hjemmeside") or "")[:300],
        last_accounts_year=_int(obj.get("sisteInnsendteAarsregnskap")),
    )


def is_deleted_stub(obj: dict) -> bool:
    """The REST API answers a deleted entity with a short SlettetEnhet object."""
    return obj.get("respons_klasse") == "SlettetEnhet" or bool(obj.get("slettedato"))

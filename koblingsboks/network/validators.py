"""Validators for Norwegian identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.no import orgnr

# County numbers in force since 1 January 2024; a municipality number starts with one.
COUNTY_NUMBERS_2024 = {
    "03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56",
}  # fmt: skip


def normalise_org_number(value: str) -> str:
    """Digits only: '921 001 371' and 'NO 921001371 MVA' both give '921001371'."""
    value = (value or "").strip().upper()
    value = re.sub(r"^NO", "", value)
    value = re.sub(r"MVA$", "", value)
    return orgnr.compact(value)


_ORG_NUMBER_ERRORS = {
    InvalidLength: (
        _("An organisation number has 9 digits; “%(value)s” does not."),
        "orgnr_length",
    ),
    InvalidFormat: (
        _("An organisation number contains only digits; “%(value)s” does not."),
        "orgnr_format",
    ),
    InvalidChecksum: (
        _("“%(value)s” is not a valid organisation number: the check digit is wrong."),
        "orgnr_checksum",
    ),
}


def validate_org_number(value: str) -> None:
    """Nine digits with a valid modulus 11 check digit (python-stdnum)."""
    try:
        orgnr.validate(normalise_org_number(value))
    except (InvalidLength, InvalidFormat, InvalidChecksum) as exc:
        message, code = _ORG_NUMBER_ERRORS[type(exc)]
        raise ValidationError(message, code=code, params={"value": value}) from exc


def validate_municipality_number(value: str) -> None:
    """Four digits, starting with a county number in force since 2024."""
    if not re.fullmatch(r"\d{4}", value or "") or value[:2] not in COUNTY_NUMBERS_2024:
        raise ValidationError(
            _("“%(value)s” is not a municipality number in force (four digits, e.g. 5056)."),
            code="municipality_number",
            params={"value": value},
        )


def validate_postal_code(value: str) -> None:
    """Four digits, as every Norwegian postal code has."""
    if not re.fullmatch(r"\d{4}", value or ""):
        raise ValidationError(
            _("“%(value)s” is not a postal code: a postal code has four digits, e.g. 7240."),
            code="postal_code",
            params={"value": value},
        )

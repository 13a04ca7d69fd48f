"""Norwegian organisation and municipality numbers."""

import pytest
from django.core.exceptions import ValidationError

from koblingsboks.network.validators import (
    normalise_org_number,
    validate_municipality_number,
    validate_org_number,
)

# Real, published organisation numbers (Brønnøysundregistrene, Equinor, Siva SF).
VALID = ["974760673", "923609016", "971526920"]


def _error_code(value: str, validator=validate_org_number) -> str:
    with pytest.raises(ValidationError) as exc_info:
        validator(value)
    return exc_info.value.code


@pytest.mark.parametrize("number", VALID)
def test_valid_org_numbers_pass(number):
    validate_org_number(number)


@pytest.mark.parametrize("number", VALID)
def test_any_other_check_digit_is_refused(number):
    for digit in "0123456789":
        if digit == number[-1]:
            continue
        assert _error_code(number[:-1] + digit) == "orgnr_checksum"


@pytest.mark.parametrize("number", ["97476067", "9747606731", "1"])
def test_wrong_length_is_refused(number):
    assert _error_code(number) == "orgnr_length"


@pytest.mark.parametrize("number", ["", "   ", None])
def test_empty_org_number_is_refused(number):
    with pytest.raises(ValidationError):
        validate_org_number(number)


@pytest.mark.parametrize("number", ["97476067A", "ABCDEFGHI", "974.760.673"])
def test_letters_and_other_characters_are_refused(number):
    assert _error_code(number) == "orgnr_format"


def test_error_message_quotes_the_value_as_entered():
    with pytest.raises(ValidationError) as exc_info:
        validate_org_number("974760674")
    assert "974760674" in exc_info.value.messages[0]


@pytest.mark.parametrize(
    "written",
    [
        "974 760 673",
        " 974760673 ",
        "NO 974 760 673 MVA",
        "NO974760673MVA",
        "no 974760673 mva",
    ],
)
def test_spaces_and_vat_notation_are_normalised(written):
    assert normalise_org_number(written) == "974760673"
    validate_org_number(written)


def test_vat_notation_does_not_hide_a_wrong_check_digit():
    assert _error_code("NO 974 760 674 MVA") == "orgnr_checksum"


def test_normalising_nothing_gives_nothing():
    assert normalise_org_number(None) == ""
    assert normalise_org_number("") == ""


@pytest.mark.parametrize(
    "number",
    [
        "5056",  # Hitra, Trøndelag
        "5001",  # Trondheim
        "0301",  # Oslo
        "1103",  # Stavanger, Rogaland
        "5501",  # Tromsø, Troms (since 2024)
        "5601",  # Alta, Finnmark (since 2024)
        "3101",  # Halden, Østfold (since 2024)
        "4601",  # Bergen, Vestland
    ],
)
def test_municipality_numbers_in_force_pass(number):
    validate_municipality_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "1601",  # Trondheim before 2018: Sør-Trøndelag no longer exists
        "3001",  # Halden 2020–2023 (Viken, dissolved in 2024)
        "5401",  # Tromsø 2020–2023 (Troms og Finnmark, dissolved in 2024)
        "9999",
        "505",
        "50561",
        "50a6",
        "",
    ],
)
def test_other_municipality_numbers_are_refused(number):
    assert _error_code(number, validate_municipality_number) == "municipality_number"


def test_municipality_validator_accepts_none_as_invalid():
    assert _error_code(None, validate_municipality_number) == "municipality_number"

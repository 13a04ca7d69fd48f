"""Annual accounts in the accounts register's shape → AccountRecords (no database)."""

import copy
import datetime
import gzip
import json
from decimal import Decimal

import pytest

from koblingsboks.companies.register.accounts import (
    AccountsError,
    account_from_json,
    accounts_from_json,
    iter_accounts_file,
)
from koblingsboks.companies.tests.brreg_mock import SAMPLES, sample

ACCOUNTS_FILE = SAMPLES / "regnskap_sample.json"


@pytest.fixture(scope="module")
def accounts():
    return sample("regnskap_sample.json")


@pytest.fixture(scope="module")
def records():
    return {(r.org_number, r.account_type, r.year): r for r in iter_accounts_file(ACCOUNTS_FILE)}


def test_keyed_file_gives_every_account(records, accounts):
    assert len(records) == sum(len(v) for v in accounts.values()) == 33
    assert {key[0] for key in records} == set(accounts)


def test_amounts_are_decimals_from_the_documented_paths(records):
    account = records[("918744126", "company", 2025)]
    assert account.turnover == Decimal("12900000")
    assert isinstance(account.turnover, Decimal)
    raw = account.raw["resultatregnskapResultat"]
    assert account.operating_result == Decimal(raw["driftsresultat"]["driftsresultat"])
    assert account.personnel_costs == Decimal(
        raw["driftsresultat"]["driftskostnad"]["loennskostnad"]
    )
    assert account.result_before_tax == Decimal(raw["ordinaertResultatFoerSkattekostnad"])
    assert account.currency == "NOK"
    assert account.employees is None
    assert account.account_id == 4180021


def test_holding_company_without_operating_income_has_no_turnover(records):
    own = records[("915330061", "company", 2025)]
    assert own.turnover is None  # driftsinntekter: {} — absent, not 0
    assert own.personnel_costs == Decimal("0")  # present as 0 stays 0
    assert own.operating_result == Decimal("-85000")
    group = records[("915330061", "group", 2025)]
    assert group.turnover == Decimal("31400000")


def test_year_is_the_year_the_period_ends(records):
    non_calendar = records[("926603183", "company", 2025)]
    assert non_calendar.period_start == datetime.date(2024, 7, 1)
    assert non_calendar.period_end == datetime.date(2025, 6, 30)
    short_first_year = records[("933418774", "company", 2024)]
    assert short_first_year.period_start == datetime.date(2024, 2, 26)
    assert short_first_year.turnover == Decimal("450000")


def test_currency_per_account(records):
    assert records[("919602538", "company", 2025)].currency == "EUR"


def test_raw_keeps_the_registers_spelling(records):
    raw = records[("918744126", "company", 2025)].raw
    assert "regnkapsprinsipper" in raw
    assert "sumInnskuttEgenkaptial" in raw["egenkapitalGjeld"]["egenkapital"]["innskuttEgenkapital"]


def test_a_single_api_response_array(tmp_path, accounts):
    path = tmp_path / "918744126.json"
    path.write_text(json.dumps(accounts["918744126"]), encoding="utf-8")
    parsed = list(iter_accounts_file(path))
    assert [r.year for r in parsed] == [2025, 2024, 2023]
    assert {r.org_number for r in parsed} == {"918744126"}


def test_gzipped_file(tmp_path):
    path = tmp_path / "regnskap.json.gz"
    path.write_bytes(gzip.compress(ACCOUNTS_FILE.read_bytes()))
    assert len(list(iter_accounts_file(path))) == 33


def test_account_filed_under_another_org_number_is_refused(accounts):
    data = {"985122474": accounts["918744126"]}
    with pytest.raises(AccountsError, match=r"918744126, account 4180021.*985122474"):
        accounts_from_json(data)


def _broken(accounts, change) -> dict:
    account = copy.deepcopy(accounts["918744126"][0])
    change(account)
    return account


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.update(regnskapstype="FILIAL"), "regnskapstype"),
        (lambda a: a["regnskapsperiode"].pop("tilDato"), "tilDato' is missing"),
        (lambda a: a["regnskapsperiode"].update(tilDato="31.12.2025"), "not a date"),
        (lambda a: a.pop("valuta"), "valuta"),
        (lambda a: a["virksomhet"].update(organisasjonsnummer="918744127"), "not a valid"),
        (lambda a: a.pop("virksomhet"), "not the accounts register's shape"),
        (
            lambda a: a["resultatregnskapResultat"]["driftsresultat"]["driftsinntekter"].update(
                sumDriftsinntekter="mye"
            ),
            "sumDriftsinntekter' is not an amount",
        ),
        (
            lambda a: a["resultatregnskapResultat"].update(driftsresultat=[1, 2]),
            "driftsresultat' is not an object",
        ),
        (lambda a: a["regnskapsperiode"].update(fraDato="2026-01-01"), "starts after it ends"),
    ],
)
def test_shapes_that_are_not_the_registers_name_the_account(accounts, change, message):
    with pytest.raises(AccountsError, match=message) as caught:
        account_from_json(_broken(accounts, change))
    assert "account 4180021" in str(caught.value)


def test_a_number_where_an_account_should_be():
    with pytest.raises(AccountsError, match="org.nr 918744126: expected an account object"):
        accounts_from_json({"918744126": [42]})
    with pytest.raises(AccountsError, match="expected an array of accounts"):
        accounts_from_json({"918744126": {"id": 1}})
    with pytest.raises(AccountsError, match="'12345' is not a valid organisation number"):
        accounts_from_json({"12345": []})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'"just a string"', "not JSON of the accounts register"),
        (b"", "not JSON of the accounts register"),
        (b'{"918744126": [{"id": 1,', "broken or truncated JSON"),
    ],
)
def test_files_that_are_not_the_registers(tmp_path, content, message):
    path = tmp_path / "accounts.json"
    path.write_bytes(content)
    with pytest.raises(AccountsError, match=message):
        list(iter_accounts_file(path))


def test_truncated_gzip(tmp_path):
    data = gzip.compress(ACCOUNTS_FILE.read_bytes())
    path = tmp_path / "accounts.json.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(AccountsError, match="truncated"):
        list(iter_accounts_file(path))

"""Annual accounts in the accounts register's shape (Regnskapsregisteret) → AccountRecords.
No ORM here.

Two file shapes are accepted:

- one org.nr's API response: a JSON array of account objects
  (``GET /regnskapsregisteret/regnskap/{orgnr}``);
- an object mapping org.nr → such an array (``regnskap_sample.json``).

Per account: the own (``SELSKAP`` → company) or group (``KONSERN`` → group) accounts, the
period, its currency, and four amounts as ``Decimal``. An absent amount stays None — a
holding company's ``driftsinntekter: {}`` has no turnover, which is not a turnover of 0.
The register's misspelled keys (``regnkapsprinsipper``, ``sumInnskuttEgenkaptial``) are
kept as they are in ``raw``.
"""

import datetime
import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import ijson
from stdnum.no import orgnr

ACCOUNT_TYPES = {"SELSKAP": "company", "KONSERN": "group"}
# KeyFigures stores amounts with 18 digits, 2 of them decimals.
MAX_AMOUNT = Decimal("1e16")


class AccountsError(ValueError):
    """Input that is not the accounts register's shape; the message names the org.nr and
    the account id where there is one."""


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """One annual account as KeyFigures stores it (see companies.models.KeyFigures)."""

    org_number: str
    account_type: str  # "company" or "group" (KeyFigures.AccountType)
    period_start: datetime.date | None
    period_end: datetime.date
    currency: str
    turnover: Decimal | None
    operating_result: Decimal | None
    personnel_costs: Decimal | None
    result_before_tax: Decimal | None
    account_id: int | None = None
    # Accounts carry no headcount.
    employees: int | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def year(self) -> int:
        """The year the period ends in: a short first year or a non-calendar year counts
        as the year of its last day."""
        return self.period_end.year

    @property
    def label(self) -> str:
        return _label(self.org_number, self.account_id)


def _label(number: str | None, account_id: Any) -> str:
    where = f"org.nr {number}" if number else "an account"
    return f"{where}, account {account_id}" if account_id is not None else where


def _path(obj: dict, keys: tuple[str, ...], label: str) -> Any:
    """The value at ``keys`` in nested objects; None where a level is absent or null."""
    value: Any = obj
    walked = []
    for key in keys:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise AccountsError(f"{label}: '{'.'.join(walked)}' is not an object")
        value = value.get(key)
        walked.append(key)
    return value


def _amount(obj: dict, keys: tuple[str, ...], label: str) -> Decimal | None:
    value = _path(obj, keys, label)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise AccountsError(f"{label}: '{'.'.join(keys)}' is not an amount: {value!r}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise AccountsError(f"{label}: '{'.'.join(keys)}' is not an amount: {value!r}") from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise AccountsError(f"{label}: '{'.'.join(keys)}' is out of range: {value!r}")
    return amount


def _date(obj: dict, keys: tuple[str, ...], label: str, *, required: bool):
    value = _path(obj, keys, label)
    if not value:
        if required:
            raise AccountsError(f"{label}: '{'.'.join(keys)}' is missing")
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise AccountsError(f"{label}: '{'.'.join(keys)}' is not a date: {value!r}") from None


RESULT = "resultatregnskapResultat"
OPERATING = (RESULT, "driftsresultat")


def account_from_json(obj: Any, *, org_number: str | None = None) -> AccountRecord:
    """Map one account object; ``org_number`` is the key it was filed under, if any."""
    if not isinstance(obj, dict):
        raise AccountsError(
            f"{_label(org_number, None)}: expected an account object, got {type(obj).__name__}"
        )
    account_id = obj.get("id")
    company = obj.get("virksomhet")
    number = str(company.get("organisasjonsnummer") or "") if isinstance(company, dict) else ""
    label = _label(number or org_number, account_id)
    if not number:
        raise AccountsError(
            f"{label}: no 'virksomhet.organisasjonsnummer' — not the accounts register's shape"
        )
    if not orgnr.is_valid(number):
        raise AccountsError(f"{label}: '{number}' is not a valid organisation number")
    if org_number is not None and number != org_number:
        raise AccountsError(f"{label}: the account is filed under org.nr {org_number}")
    kind = obj.get("regnskapstype")
    if kind not in ACCOUNT_TYPES:
        raise AccountsError(f"{label}: 'regnskapstype' must be SELSKAP or KONSERN, not {kind!r}")
    period_start = _date(obj, ("regnskapsperiode", "fraDato"), label, required=False)
    period_end = _date(obj, ("regnskapsperiode", "tilDato"), label, required=True)
    if period_start is not None and period_start > period_end:
        raise AccountsError(f"{label}: the period starts after it ends")
    if not 1900 <= period_end.year <= 2200:
        raise AccountsError(f"{label}: the period ends in {period_end.year}")
    currency = obj.get("valuta")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        raise AccountsError(f"{label}: 'valuta' is not a currency code: {currency!r}")
    return AccountRecord(
        org_number=number,
        account_id=account_id if isinstance(account_id, int) else None,
        account_type=ACCOUNT_TYPES[kind],
        period_start=period_start,
        period_end=period_end,
        currency=currency.upper(),
        turnover=_amount(obj, (*OPERATING, "driftsinntekter", "sumDriftsinntekter"), label),
        operating_result=_amount(obj, (*OPERATING, "driftsresultat"), label),
        personnel_costs=_amount(obj, (*OPERATING, "driftskostnad", "loennskostnad"), label),
        result_before_tax=_amount(obj, (RESULT, "ordinaertResultatFoerSkattekostnad"), label),
        raw=obj,
    )


def accounts_from_json(data: Any, *, org_number: str | None = None) -> list[AccountRecord]:
    """An API response (array) or an object keyed by org.nr → records."""
    if isinstance(data, list):
        return [account_from_json(obj, org_number=org_number) for obj in data]
    if isinstance(data, dict) and org_number is None:
        records = []
        for key, accounts in data.items():
            records.extend(_keyed(key, accounts))
        return records
    raise AccountsError(
        "expected a JSON array of accounts or an object mapping org.nr to such arrays, "
        f"got {type(data).__name__}"
    )


def _keyed(key: str, accounts: Any) -> Iterator[AccountRecord]:
    if not orgnr.is_valid(str(key)):
        raise AccountsError(f"'{key}' is not a valid organisation number (a key of the file)")
    if not isinstance(accounts, list):
        raise AccountsError(
            f"org.nr {key}: expected an array of accounts, got {type(accounts).__name__}"
        )
    for obj in accounts:
        yield account_from_json(obj, org_number=str(key))


def _open(path: Path):
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def _first_byte(stream) -> bytes:
    """The first non-blank byte, without consuming it."""
    return stream.peek(64).lstrip(b" \t\r\n")[:1]


def iter_accounts_file(path: str | Path) -> Iterator[AccountRecord]:
    """Stream the accounts in a file (plain or gzipped JSON, either shape), account by
    account, with bounded memory. Raises AccountsError on anything else."""
    path = Path(path)
    try:
        with _open(path) as stream:
            first = _first_byte(stream)
            if first == b"[":
                for obj in ijson.items(stream, "item"):
                    yield account_from_json(obj)
            elif first == b"{":
                for key, accounts in ijson.kvitems(stream, ""):
                    yield from _keyed(key, accounts)
            else:
                raise AccountsError(
                    f"{path.name}: not JSON of the accounts register "
                    "(an array of accounts or an object keyed by org.nr)"
                )
    except ijson.JSONError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AccountsError(f"{path.name}: broken or truncated JSON ({reason})") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise AccountsError(f"{path.name}: truncated or broken gzip ({exc})") from None
    except UnicodeDecodeError as exc:
        raise AccountsError(f"{path.name}: not UTF-8 JSON ({exc})") from None

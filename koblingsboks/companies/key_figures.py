"""Writes to KeyFigures: accounts from the accounts register, the CSV import of earlier
years, and figures a garden enters by hand (self-reported).

Rules (docs/register-sync-and-accounts.md):

- Accounts register figures are keyed by (company, account type, period end) and every
  year ever fetched is kept; the open register serves only the latest year.
- Imported and self-reported figures are own (company) accounts keyed by (company, year),
  stored with the period ending 31 December of that year.
- The accounts register wins: a register account replaces imported or self-reported
  figures of the same company, account type and year; an import line or a self-report for
  a year the register covers is refused (self-report) or skipped and reported (CSV).
- A change to self-reported figures is in the reporting garden's audit log.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.no import orgnr

from koblingsboks.companies.models import Affiliation, Company, KeyFigures
from koblingsboks.companies.register.accounts import AccountRecord
from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Organisation, User
from koblingsboks.network.validators import normalise_org_number

AMOUNT_FIELDS = ["turnover", "operating_result", "personnel_costs", "result_before_tax"]
AUDITED_FIELDS = [
    "company",
    "year",
    "period_end",
    "account_type",
    "currency",
    *AMOUNT_FIELDS,
    "employees",
    "source",
    "reported_by_organisation",
]
MAX_AMOUNT = Decimal("1e16")
CENTS = Decimal("0.01")
Source = KeyFigures.Source
AccountType = KeyFigures.AccountType


# --- accounts from the accounts register -------------------------------------------------


@dataclass
class AccountsUpsertResult:
    """What key_figures_upsert_accounts did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Imported or self-reported figures replaced by the register's for the same year.
    replaced: int = 0
    # Accounts of companies not in Company (import or sync the register first).
    skipped: int = 0
    unknown_companies: set[str] = field(default_factory=set)

    def add(self, other: "AccountsUpsertResult") -> None:
        for name in ("created", "updated", "unchanged", "replaced", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unknown_companies |= other.unknown_companies


def _json_safe(value):
    """ijson gives Decimals for non-integral numbers; JSONField stores JSON numbers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _register_values(record: AccountRecord) -> dict:
    return {
        "year": record.year,
        "period_start": record.period_start,
        "currency": record.currency,
        "turnover": record.turnover,
        "operating_result": record.operating_result,
        "personnel_costs": record.personnel_costs,
        "result_before_tax": record.result_before_tax,
        "raw": _json_safe(record.raw),
        "source": Source.ACCOUNTS_REGISTER,
        "reported_by_organisation": None,
        "entered_by": None,
    }


def _differs(row: KeyFigures, values: dict) -> bool:
    for name, value in values.items():
        current = getattr(row, name)
        if name == "reported_by_organisation":
            current = row.reported_by_organisation_id
            value = value.pk if value is not None else None
        elif name == "entered_by":
            current = row.entered_by_id
            value = value.pk if value is not None else None
        if current != value:
            return True
    return False


def _log_replaced(row: KeyFigures, before: dict, *, actor: User | None) -> None:
    """Tell the garden that reported ``row`` that its figures were replaced."""
    organisation_id = before.get("reported_by_organisation")
    if before.get("source") != Source.SELF_REPORTED or organisation_id is None:
        return
    log_action(
        organisation=Organisation.objects.get(pk=organisation_id),
        actor=actor,
        action="companies.key_figures.replaced",
        obj=row,
        before=before,
        after=snapshot(row, AUDITED_FIELDS) if row.pk else None,
    )


def key_figures_upsert_accounts(*, records: Iterable[AccountRecord]) -> AccountsUpsertResult:
    """Store annual accounts from the accounts register, in one transaction.

    Upserts by (company, account type, period end) with source ``accounts_register``; a
    second run with the same accounts writes nothing. Accounts of companies that are not
    in Company are skipped and counted (run import_brreg or sync_brreg first). Imported or
    self-reported figures of the same company, account type and year are replaced.
    """
    result = AccountsUpsertResult()
    batch: list[AccountRecord] = []
    with transaction.atomic():
        for record in records:
            batch.append(record)
            if len(batch) >= 500:
                result.add(_upsert_batch(batch))
                batch = []
        if batch:
            result.add(_upsert_batch(batch))
    return result


def _upsert_batch(records: list[AccountRecord]) -> AccountsUpsertResult:
    result = AccountsUpsertResult()
    numbers = {r.org_number for r in records}
    companies = {c.org_number: c for c in Company.objects.filter(org_number__in=numbers)}
    rows = list(KeyFigures.objects.select_for_update().filter(company__in=companies.values()))
    by_period = {(r.company_id, r.account_type, r.period_end): r for r in rows}
    for record in records:
        company = companies.get(record.org_number)
        if company is None:
            result.skipped += 1
            result.unknown_companies.add(record.org_number)
            continue
        values = _register_values(record)
        key = (company.pk, record.account_type, record.period_end)
        row = by_period.get(key)
        # Imported or self-reported figures of the same year, under another period end.
        same_year = [
            r
            for r in rows
            if r.pk is not None
            and r is not row
            and r.company_id == company.pk
            and r.account_type == record.account_type
            and r.year == record.year
            and r.source != Source.ACCOUNTS_REGISTER
        ]
        # Accounts carry no headcount: keep one imported or entered earlier.
        employees = row.employees if row is not None else None
        replaced_before = []
        for other in same_year:
            replaced_before.append(snapshot(other, AUDITED_FIELDS))
            employees = employees if employees is not None else other.employees
            del by_period[(other.company_id, other.account_type, other.period_end)]
            other.delete()
            result.replaced += 1
        if row is None:
            row = KeyFigures(
                company=company,
                account_type=record.account_type,
                period_end=record.period_end,
                employees=employees,
                **values,
            )
            row.save()
            rows.append(row)
            by_period[key] = row
            if not replaced_before:
                result.created += 1
        elif _differs(row, values):
            before = snapshot(row, AUDITED_FIELDS)
            for name, value in values.items():
                setattr(row, name, value)
            if row.employees is None:
                row.employees = employees
            row.save()
            if before["source"] != Source.ACCOUNTS_REGISTER:
                _log_replaced(row, before, actor=None)
                result.replaced += 1
            else:
                result.updated += 1
        else:
            result.unchanged += 1
        for before in replaced_before:
            _log_replaced(row, before, actor=None)
    return result


# --- figures entered by hand or imported from CSV -----------------------------------------


@dataclass(frozen=True)
class ReportedFigures:
    """Validated own-accounts figures for one company and year (import or self-report)."""

    year: int
    currency: str = "NOK"
    turnover: Decimal | None = None
    operating_result: Decimal | None = None
    personnel_costs: Decimal | None = None
    result_before_tax: Decimal | None = None
    employees: int | None = None


def _clean_amount(name: str, value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ServiceError(_("%(field)s is not an amount: %(value)s") % _params(name, value))
    try:
        amount = Decimal(str(value))
    except decimal.InvalidOperation:
        raise ServiceError(
            _("%(field)s is not an amount: %(value)s") % _params(name, value)
        ) from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise ServiceError(_("%(field)s is out of range: %(value)s") % _params(name, value))
    return amount.quantize(CENTS, rounding=decimal.ROUND_HALF_UP)


def _params(name: str, value) -> dict:
    label = KeyFigures._meta.get_field(name).verbose_name
    return {"field": str(label).capitalize(), "value": value}


def reported_figures(
    *,
    year,
    currency: str = "NOK",
    turnover=None,
    operating_result=None,
    personnel_costs=None,
    result_before_tax=None,
    employees=None,
) -> ReportedFigures:
    """Check figures given by a person; raises ServiceError with the first problem."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ServiceError(_("The year must be a number, not “%s”.") % year) from None
    this_year = timezone.localdate().year
    if not 1900 <= year <= this_year:
        raise ServiceError(
            _("The year must be between 1900 and %(this)s, not %(year)s.")
            % {"this": this_year, "year": year}
        )
    currency = (currency or "NOK").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ServiceError(
            _("“%s” is not a currency code (three letters, such as NOK).") % currency
        )
    if employees is not None and employees != "":
        try:
            employees = int(employees)
        except (TypeError, ValueError):
            raise ServiceError(
                _("Employees must be a whole number, not “%s”.") % employees
            ) from None
        if employees < 0:
            raise ServiceError(_("Employees cannot be negative."))
    else:
        employees = None
    amounts = {
        name: _clean_amount(name, value)
        for name, value in zip(
            AMOUNT_FIELDS,
            [turnover, operating_result, personnel_costs, result_before_tax],
            strict=True,
        )
    }
    if employees is None and all(v is None for v in amounts.values()):
        raise ServiceError(_("Give at least one figure."))
    return ReportedFigures(year=year, currency=currency, employees=employees, **amounts)


def _register_covers(company: Company, year: int) -> bool:
    return KeyFigures.objects.filter(
        company=company,
        account_type=AccountType.COMPANY,
        year=year,
        source=Source.ACCOUNTS_REGISTER,
    ).exists()


def _is_affiliated(organisation: Organisation, company_ids: set[int]) -> set[int]:
    """The companies among ``company_ids`` the organisation is or was affiliated with."""
    with organisation_scope(organisation):
        return set(
            Affiliation.objects.filter(organisation=organisation, company_id__in=company_ids)
            .values_list("company_id", flat=True)
            .distinct()
        )


def _store_reported(
    *,
    company: Company,
    figures: ReportedFigures,
    reported_by: Organisation | None,
    actor: User | None,
) -> tuple[KeyFigures, str]:
    """Create or update the imported/self-reported row of (company, year): returns the row
    and "created", "updated" or "unchanged". The caller checked the register."""
    values = {
        "currency": figures.currency,
        "turnover": figures.turnover,
        "operating_result": figures.operating_result,
        "personnel_costs": figures.personnel_costs,
        "result_before_tax": figures.result_before_tax,
        "employees": figures.employees,
        "source": Source.SELF_REPORTED if reported_by is not None else Source.IMPORT,
        "reported_by_organisation": reported_by,
    }
    row = (
        KeyFigures.objects.select_for_update()
        .filter(company=company, account_type=AccountType.COMPANY, year=figures.year)
        .exclude(source=Source.ACCOUNTS_REGISTER)
        .first()
    )
    if row is None:
        row = KeyFigures.objects.create(
            company=company,
            account_type=AccountType.COMPANY,
            year=figures.year,
            period_start=None,
            period_end=datetime.date(figures.year, 12, 31),
            entered_by=actor,
            **values,
        )
        if reported_by is not None:
            log_action(
                organisation=reported_by,
                actor=actor,
                action="companies.key_figures.self_reported",
                obj=row,
                after=snapshot(row, AUDITED_FIELDS),
            )
        return row, "created"
    if not _differs(row, values):
        return row, "unchanged"
    before = snapshot(row, AUDITED_FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    row.entered_by = actor
    row.save()
    if reported_by is not None:
        log_action(
            organisation=reported_by,
            actor=actor,
            action="companies.key_figures.self_reported",
            obj=row,
            before=before,
            after=snapshot(row, AUDITED_FIELDS),
        )
    if before["reported_by_organisation"] != (reported_by.pk if reported_by else None):
        _log_replaced(row, before, actor=actor)
    return row, "updated"


def key_figures_self_report(
    *,
    organisation: Organisation,
    company: Company,
    year: int,
    actor: User | None,
    currency: str = "NOK",
    turnover=None,
    operating_result=None,
    personnel_costs=None,
    result_before_tax=None,
    employees=None,
) -> KeyFigures:
    """A garden enters a company's own figures for a year by hand (marked self-reported).

    For companies the garden is or was affiliated with; refused for a year the accounts
    register covers. Audited in the garden's log.
    """
    figures = reported_figures(
        year=year,
        currency=currency,
        turnover=turnover,
        operating_result=operating_result,
        personnel_costs=personnel_costs,
        result_before_tax=result_before_tax,
        employees=employees,
    )
    with transaction.atomic():
        if not _is_affiliated(organisation, {company.pk}):
            raise ServiceError(
                _(
                    "%(company)s is not affiliated with %(org)s, "
                    "so %(org)s cannot report its figures."
                )
                % {"company": company.name, "org": organisation.name},
                code="not_affiliated",
            )
        if _register_covers(company, figures.year):
            raise ServiceError(
                _(
                    "The accounts register has %(company)s's accounts for %(year)s; "
                    "self-reported figures cannot replace them."
                )
                % {"company": company.name, "year": figures.year},
                code="register_covers_year",
            )
        row, _outcome = _store_reported(
            company=company, figures=figures, reported_by=organisation, actor=actor
        )
    return row


# --- CSV import -----------------------------------------------------------------------------

CSV_COLUMNS = [
    "org_nr",
    "year",
    "turnover",
    "operating_result",
    "personnel_costs",
    "result_before_tax",
    "employees",
    "currency",
]
TRUE_WORDS = {"true", "yes", "ja", "1", "x"}
FALSE_WORDS = {"false", "no", "nei", "0", ""}


class KeyFiguresImportError(ServiceError):
    """The file was refused; ``errors`` lists every problem with its line number."""

    def __init__(self, errors: list[str]):
        shown = errors[:20]
        more = len(errors) - len(shown)
        text = _("Nothing was imported.") + " " + " ".join(shown)
        if more:
            text += " " + ngettext(
                "(and %(n)d more problem)", "(and %(n)d more problems)", more
            ) % {"n": more}
        super().__init__(text, code="csv_invalid")
        self.errors = errors


@dataclass
class KeyFiguresImportResult:
    """What key_figures_import_csv did."""

    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Lines for a year the accounts register covers: the register's figures are kept.
    skipped_register: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Line:
    number: int
    org_number: str
    figures: ReportedFigures
    self_reported: bool


def _amount_text(value: str | None) -> str:
    """'1 234 567,50' and '1234567.50' are both accepted."""
    text = (value or "").strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return text


def _dialect(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _parse_line(number: int, row: dict, *, has_flag: bool, reported_by) -> _Line:
    raw_number = (row.get("org_nr") or "").strip()
    org_number = normalise_org_number(raw_number)
    if not orgnr.is_valid(org_number):
        raise ServiceError(_("org_nr “%s” is not a valid organisation number.") % raw_number)
    self_reported = reported_by is not None
    if has_flag:
        flag = (row.get("self_reported") or "").strip().lower()
        if flag in TRUE_WORDS:
            self_reported = True
        elif flag in FALSE_WORDS:
            self_reported = False
        else:
            raise ServiceError(_("self_reported must be true or false, not “%s”.") % flag)
    if self_reported and reported_by is None:
        raise ServiceError(
            _("the line is self-reported, but no reporting garden was given (--organisation).")
        )
    figures = reported_figures(
        year=(row.get("year") or "").strip(),
        currency=(row.get("currency") or "").strip() or "NOK",
        employees=(row.get("employees") or "").strip(),
        **{name: _amount_text(row.get(name)) for name in AMOUNT_FIELDS},
    )
    return _Line(number=number, org_number=org_number, figures=figures, self_reported=self_reported)


def _read_lines(file: TextIO, *, reported_by) -> tuple[list[_Line], list[str]]:
    try:
        text = file.read()
    except UnicodeDecodeError:
        raise KeyFiguresImportError([_("The file is not UTF-8 text.")]) from None
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_dialect(header))
    columns = [(c or "").strip().lower() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    missing = [c for c in CSV_COLUMNS if c not in columns]
    if missing:
        raise KeyFiguresImportError(
            [
                _("Missing column(s): %(missing)s. Expected: %(expected)s.")
                % {"missing": ", ".join(missing), "expected": ",".join(CSV_COLUMNS)}
            ]
        )
    has_flag = "self_reported" in columns
    lines, errors, seen = [], [], {}
    try:
        for row in reader:
            number = reader.line_num
            if not any((v or "").strip() for k, v in row.items() if k is not None):
                continue
            if None in row:
                errors.append(_("Line %d: more values than columns.") % number)
                continue
            try:
                line = _parse_line(number, row, has_flag=has_flag, reported_by=reported_by)
            except ServiceError as exc:
                errors.append(
                    _("Line %(line)d: %(error)s") % {"line": number, "error": exc.message}
                )
                continue
            key = (line.org_number, line.figures.year)
            if key in seen:
                errors.append(
                    _("Line %(line)d: %(org)s %(year)s is already on line %(first)d.")
                    % {"line": number, "org": key[0], "year": key[1], "first": seen[key]}
                )
                continue
            seen[key] = number
            lines.append(line)
    except csv.Error as exc:
        errors.append(_("Line %(line)d: %(error)s") % {"line": reader.line_num, "error": exc})
    return lines, errors


def key_figures_import_csv(
    *,
    file: TextIO,
    reported_by: Organisation | None = None,
    actor: User | None = None,
) -> KeyFiguresImportResult:
    """Import own-accounts figures from CSV (columns CSV_COLUMNS, optional self_reported).

    Lines are self-reported by ``reported_by`` when it is given (unless the line's
    self_reported column says false); otherwise they are plain imports. All or nothing:
    any bad line refuses the whole file with every problem listed by line number. Lines
    for a year the accounts register covers are skipped and reported.
    """
    lines, errors = _read_lines(file, reported_by=reported_by)
    companies = {
        c.org_number: c
        for c in Company.objects.filter(org_number__in={line.org_number for line in lines})
    }
    errors += [
        _(
            "Line %(line)d: %(org)s is not in the register data; "
            "run import_brreg or sync_brreg first."
        )
        % {"line": line.number, "org": line.org_number}
        for line in lines
        if line.org_number not in companies
    ]
    if reported_by is not None:
        reported_ids = {companies[x.org_number].pk for x in lines if x.org_number in companies}
        affiliated = _is_affiliated(reported_by, reported_ids)
        errors += [
            _("Line %(line)d: %(org)s is not affiliated with %(garden)s.")
            % {"line": line.number, "org": line.org_number, "garden": reported_by.name}
            for line in lines
            if line.self_reported
            and line.org_number in companies
            and companies[line.org_number].pk not in affiliated
        ]
    if errors:
        raise KeyFiguresImportError(sorted(errors, key=_line_number))
    result = KeyFiguresImportResult(lines=len(lines))
    with transaction.atomic():
        covered = set(
            KeyFigures.objects.filter(
                company__in=companies.values(),
                account_type=AccountType.COMPANY,
                source=Source.ACCOUNTS_REGISTER,
            ).values_list("company__org_number", "year")
        )
        for line in lines:
            if (line.org_number, line.figures.year) in covered:
                result.skipped_register.append(
                    _("line %(line)d (%(org)s %(year)s)")
                    % {"line": line.number, "org": line.org_number, "year": line.figures.year}
                )
                continue
            _row, outcome = _store_reported(
                company=companies[line.org_number],
                figures=line.figures,
                reported_by=reported_by if line.self_reported else None,
                actor=actor,
            )
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _line_number(message: str) -> int:
    digits = "".join(ch if ch.isdigit() else " " for ch in message).split()
    return int(digits[0]) if digits else 0

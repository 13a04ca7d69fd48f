"""CSV import of affiliations (company ↔ organisation, with kind and period).

Columns ``organisation_org_nr,company_org_nr,kind,start_date,end_date``. Like the
organisation import (network/imports.py, which also reads the file): plan first, then apply
in one transaction only when no row has an error. A row is identified by organisation,
company, kind and start date; importing it again changes nothing, and a changed end date
updates the affiliation. See docs/imports.md.
"""

import datetime
import re
from collections import defaultdict

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from koblingsboks.companies.models import Affiliation, Company
from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.imports import (
    NEW,
    UNCHANGED,
    UPDATE,
    CsvRow,
    ImportFailed,
    ImportPlan,
    ImportResult,
    PlannedRow,
    in_batches,
    org_number_from,
    read_csv,
)
from koblingsboks.network.models import Organisation, User

AFFILIATION_COLUMNS = ("organisation_org_nr", "company_org_nr", "kind", "start_date", "end_date")
AUDITED_FIELDS = ["company", "kind", "start_date", "end_date", "phase"]
# The name of a company row created by --create-missing-companies until the register
# import (import_brreg / sync_brreg) fills in the facts.
PLACEHOLDER_COMPANY_NAME = "unknown"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
BATCH_SIZE = 1000


def affiliation_import_plan(
    *,
    data: bytes,
    only_organisation: Organisation | None = None,
    create_missing_companies: bool = False,
) -> ImportPlan:
    """Read and check an affiliation CSV; write nothing.

    With ``only_organisation`` (the page), rows for any other organisation are errors.
    With ``create_missing_companies`` (the command's option), a company missing from the
    register table is not an error: the apply step creates a placeholder row for it.
    Raises ``CsvFileError`` when the file as a whole cannot be read.
    """
    rows = read_csv(data, columns=AFFILIATION_COLUMNS)
    return _plan(rows, only_organisation, create_missing_companies)


def affiliation_import_apply(
    *,
    data: bytes,
    actor: User | None,
    only_organisation: Organisation | None = None,
    create_missing_companies: bool = False,
) -> ImportResult:
    """Import an affiliation CSV in one transaction, each write in its organisation's scope
    and audited (``companies.affiliation.imported``). Raises ``ImportFailed`` (nothing
    written) when any row has an error."""
    rows = read_csv(data, columns=AFFILIATION_COLUMNS)
    with transaction.atomic():
        _lock_organisations(rows)
        plan = _plan(rows, only_organisation, create_missing_companies)
        if not plan.ok:
            raise ImportFailed(plan)
        _apply(plan, actor=actor)
    return ImportResult.of(plan)


def _lock_organisations(rows: list[CsvRow]) -> None:
    """Serialise imports for the same organisations (two confirms of one preview), so that
    the second sees the first one's rows and changes nothing."""
    numbers = {re.sub(r"\s", "", row.values.get("organisation_org_nr", "")) for row in rows}
    for batch in in_batches(numbers):
        list(
            Organisation.objects.select_for_update()
            .filter(org_number__in=batch)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _plan(
    rows: list[CsvRow], only_organisation: Organisation | None, create_missing_companies: bool
) -> ImportPlan:
    planned = [PlannedRow(line=r.line, values=r.values) for r in rows]
    for row, source in zip(planned, rows, strict=True):
        if source.problem:
            row.error("fields", source.problem)
        else:
            _parse(row)
    parsed = [row for row in planned if row.parsed]
    organisations = {
        o.org_number: o
        for batch in in_batches({row.parsed["organisation"] for row in parsed})
        for o in Organisation.objects.filter(org_number__in=batch)
    }
    companies = {
        c.org_number: c
        for batch in in_batches({row.parsed["company"] for row in parsed})
        for c in Company.objects.filter(org_number__in=batch)
    }
    for row in parsed:
        _resolve(row, organisations, companies, only_organisation, create_missing_companies)
    valid = [row for row in planned if not row.errors]
    existing = _existing_affiliations(
        {row.parsed["organisation"] for row in valid},
        {row.parsed["company"] for row in valid},
        organisations,
    )
    _status(planned, existing)
    return ImportPlan(columns=AFFILIATION_COLUMNS, rows=planned)


def _parse(row: PlannedRow) -> None:
    organisation = org_number_from(row, "organisation_org_nr")
    company = org_number_from(row, "company_org_nr")
    kind = row.values.get("kind", "")
    if kind not in Affiliation.Kind.values:
        row.error(
            "kind",
            _("Unknown kind “%(value)s”: use one of %(kinds)s.")
            % {"value": kind, "kinds": ", ".join(Affiliation.Kind.values)},
            "kind",
        )
    start = _date(row, "start_date", required=True)
    end = _date(row, "end_date", required=False)
    if start and end and end < start:
        row.error(
            "end_before_start",
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": end.isoformat(), "start": start.isoformat()},
            "end_date",
        )
    if not row.errors:
        row.parsed = {
            "organisation": organisation,
            "company": company,
            "kind": kind,
            "start_date": start,
            "end_date": end,
        }


def _date(row: PlannedRow, column: str, *, required: bool) -> datetime.date | None:
    value = row.values.get(column, "")
    if not value:
        if required:
            row.error("required", _("%(column)s is empty.") % {"column": column}, column)
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        row.error(
            "date",
            _("%(column)s “%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2024-08-15.")
            % {"column": column, "value": value},
            column,
        )
        return None


def _resolve(
    row: PlannedRow,
    organisations: dict[str, Organisation],
    companies: dict[str, Company],
    only_organisation: Organisation | None,
    create_missing_companies: bool,
) -> None:
    number = row.parsed["organisation"]
    organisation = organisations.get(number)
    if only_organisation is not None and number != only_organisation.org_number:
        row.error(
            "other_organisation",
            _(
                "%(number)s is not the organisation number of %(name)s (%(own)s): you can "
                "import only your own organisation's affiliations."
            )
            % {
                "number": number,
                "name": only_organisation.name,
                "own": only_organisation.org_number,
            },
            "organisation_org_nr",
        )
    elif organisation is None:
        row.error(
            "unknown_organisation",
            _(
                "No organisation has the organisation number %(number)s. Import it first "
                "(manage.py import_organisations)."
            )
            % {"number": number},
            "organisation_org_nr",
        )
    company = companies.get(row.parsed["company"])
    if company is None and not create_missing_companies:
        row.error(
            "unknown_company",
            _(
                "The company %(number)s is not in the register table. Import the entity "
                "register first (manage.py import_brreg)."
            )
            % {"number": row.parsed["company"]},
            "company_org_nr",
        )
    if not row.errors:
        row.parsed["organisation_obj"] = organisation
        row.parsed["company_obj"] = company


def _existing_affiliations(
    numbers: set[str], company_numbers: set[str], organisations: dict[str, Organisation]
) -> dict[tuple[int, str], list[Affiliation]]:
    """The affiliations already stored for the file's organisations, by (organisation id,
    company org.nr); read in each organisation's scope."""
    found: dict[tuple[int, str], list[Affiliation]] = defaultdict(list)
    for number in sorted(numbers):
        organisation = organisations[number]
        with organisation_scope(organisation):
            for batch in in_batches(company_numbers):
                stored = Affiliation.objects.filter(
                    organisation=organisation, company__org_number__in=batch
                ).select_related("company")
                for affiliation in stored:
                    found[(organisation.pk, affiliation.company.org_number)].append(affiliation)
    return found


def _overlaps(start_a, end_a, start_b, end_b) -> bool:
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def _period(start: datetime.date, end: datetime.date | None) -> str:
    start_text = formats.date_format(start, "SHORT_DATE_FORMAT")
    if end is None:
        return _("%(start)s (ongoing)") % {"start": start_text}
    return f"{start_text}–{formats.date_format(end, 'SHORT_DATE_FORMAT')}"


def _status(planned: list[PlannedRow], existing: dict) -> None:
    earlier: dict[tuple[int, str], list[PlannedRow]] = defaultdict(list)
    for row in planned:
        if row.errors:
            continue
        values = row.parsed
        pair = (values["organisation_obj"].pk, values["company"])
        key = (values["kind"], values["start_date"])
        start, end = values["start_date"], values["end_date"]
        duplicate = next(
            (r for r in earlier[pair] if (r.parsed["kind"], r.parsed["start_date"]) == key), None
        )
        if duplicate:
            row.error(
                "duplicate",
                _("The same affiliation (organisation, company, kind, start) is on line %s.")
                % duplicate.line,
                "start_date",
            )
            continue
        clash = next(
            (
                r
                for r in earlier[pair]
                if _overlaps(start, end, r.parsed["start_date"], r.parsed["end_date"])
            ),
            None,
        )
        if clash:
            row.error(
                "overlap",
                _("The period overlaps the affiliation of the same company on line %s.")
                % clash.line,
                "start_date",
            )
            continue
        earlier[pair].append(row)
        match = None
        for affiliation in existing.get(pair, []):
            if (affiliation.kind, affiliation.start_date) == key:
                match = affiliation
            elif _overlaps(start, end, affiliation.start_date, affiliation.end_date):
                row.error(
                    "overlap",
                    _(
                        "The period overlaps the company's %(kind)s affiliation %(period)s "
                        "that is already registered."
                    )
                    % {
                        "kind": affiliation.get_kind_display(),
                        "period": _period(affiliation.start_date, affiliation.end_date),
                    },
                    "start_date",
                )
        if row.errors:
            continue
        row.parsed["affiliation"] = match
        if values["company_obj"] is None:
            row.changes.append(
                _("the company is not in the register table yet: a placeholder row is created")
            )
        if match is None:
            row.status = NEW
            row.changes.insert(0, _("new affiliation"))
        elif match.end_date != end:
            row.status = UPDATE
            row.changes.append(
                _("end: %(before)s → %(after)s")
                % {"before": _day(match.end_date), "after": _day(end)}
            )
        else:
            row.status = UNCHANGED


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else _("ongoing")


def _apply(plan: ImportPlan, *, actor: User | None) -> None:
    """Write the planned rows: per organisation, in its scope, new affiliations in bulk and
    changed end dates one by one; one audit entry per written affiliation. The plan has
    checked every value and rule, so the rows are not validated again one by one."""
    changed = [row for row in plan.rows if row.status != UNCHANGED]
    _create_placeholder_companies(changed)
    by_organisation: dict[int, list[PlannedRow]] = defaultdict(list)
    for row in changed:
        by_organisation[row.parsed["organisation_obj"].pk].append(row)
    today = timezone.localdate()
    for rows in by_organisation.values():
        organisation = rows[0].parsed["organisation_obj"]
        with organisation_scope(organisation):
            written: list[tuple[Affiliation, dict | None]] = []
            new = []
            for row in rows:
                values = row.parsed
                affiliation = values["affiliation"]
                if affiliation is None:
                    ended = values["end_date"] is not None and values["end_date"] < today
                    new.append(
                        Affiliation(
                            organisation=organisation,
                            company=values["company_obj"],
                            kind=values["kind"],
                            start_date=values["start_date"],
                            end_date=values["end_date"],
                            phase=Affiliation.Phase.ALUMNI if ended else Affiliation.Phase.ACTIVE,
                        )
                    )
                else:
                    before = snapshot(affiliation, AUDITED_FIELDS)
                    affiliation.end_date = values["end_date"]
                    affiliation.save(update_fields=["end_date", "updated_at"])
                    written.append((affiliation, before))
            created = Affiliation.objects.bulk_create(new, batch_size=BATCH_SIZE)
            written += [(affiliation, None) for affiliation in created]
            for affiliation, before in written:
                after = snapshot(affiliation, AUDITED_FIELDS)
                after["company_org_nr"] = affiliation.company.org_number
                log_action(
                    organisation=organisation,
                    actor=actor,
                    action="companies.affiliation.imported",
                    obj=affiliation,
                    before=before,
                    after=after,
                )


def _create_placeholder_companies(rows: list[PlannedRow]) -> None:
    """With --create-missing-companies: one placeholder Company per missing org.nr."""
    missing = sorted({row.parsed["company"] for row in rows if row.parsed["company_obj"] is None})
    if not missing:
        return
    Company.objects.bulk_create(
        [Company(org_number=number, name=PLACEHOLDER_COMPANY_NAME) for number in missing],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    companies = {
        c.org_number: c
        for batch in in_batches(missing)
        for c in Company.objects.filter(org_number__in=batch)
    }
    for row in rows:
        if row.parsed["company_obj"] is None:
            row.parsed["company_obj"] = companies[row.parsed["company"]]

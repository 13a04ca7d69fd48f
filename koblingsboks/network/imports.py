"""CSV import of organisations, and the CSV reading and planning shared with the affiliation
import (companies/imports.py).

An import runs in two steps. ``*_import_plan`` reads and validates the whole file and says
for every row what would happen (new, update, unchanged, or error with the reasons) without
writing anything; the page shows that as its preview. ``*_import_apply`` plans again inside
one transaction and writes only when no row has an error: a failed import rolls back and
changes nothing. Importing the same file twice changes nothing the second time.

The file: UTF-8 with or without a byte order mark, comma-separated, a header row naming
exactly the import's columns (in any order). See docs/imports.md.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koblingsboks.core.audit import log_action, snapshot
from koblingsboks.core.exceptions import ServiceError
from koblingsboks.network.models import Network, NetworkParty, Organisation, User
from koblingsboks.network.validators import normalise_org_number, validate_org_number

# --- reading the file -------------------------------------------------------------------


class CsvFileError(ServiceError):
    """The file as a whole cannot be read: encoding, separator, header, or no rows."""


@dataclass
class CsvRow:
    """One record of the file: its first line number and its values by column name.

    ``problem`` is set when the record cannot be read as a row (a wrong number of fields).
    """

    line: int
    values: dict[str, str]
    problem: str = ""


def read_csv(data: bytes, *, columns: tuple[str, ...]) -> list[CsvRow]:
    """The rows of a UTF-8, comma-separated file whose header names exactly ``columns``.

    Raises ``CsvFileError`` with a message naming the line or the column for a file that is
    not UTF-8, uses semicolons, lacks or adds a column, or has no rows. Blank lines are
    skipped; values are stripped of surrounding spaces.
    """
    text = _decode(data)
    if not text.strip():
        raise CsvFileError(_("The file is empty."), code="empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
        _check_header(header, columns)
        rows = []
        line = reader.line_num + 1
        for record in reader:
            if any(value.strip() for value in record):
                rows.append(_row(line, header, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CsvFileError(
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": exc},
            code="csv",
        ) from exc
    if not rows:
        raise CsvFileError(_("The file has a header but no rows."), code="no_rows")
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(
            _(
                "The file is UTF-16 text. Save it as “CSV UTF-8 (comma-separated)” and "
                "upload it again."
            ),
            code="encoding",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvFileError(
            _(
                "The file is not UTF-8 text: line %(line)s contains the byte 0x%(byte)02X, "
                "which UTF-8 does not allow (the file is probably in Windows or Latin-1 "
                "encoding). Save it as “CSV UTF-8 (comma-separated)” and upload it again."
            )
            % {"line": line, "byte": data[exc.start]},
            code="encoding",
        ) from exc


def _check_header(header: list[str], columns: tuple[str, ...]) -> None:
    expected = ",".join(columns)
    if len(header) == 1 and ";" in header[0]:
        raise CsvFileError(
            _(
                "The header is separated by semicolons. The file must be comma-separated, "
                "with the header %(expected)s."
            )
            % {"expected": expected},
            code="separator",
        )
    problems = []
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        problems.append(_("repeated column: %s") % ", ".join(duplicated))
    missing = [name for name in columns if name not in header]
    if missing:
        problems.append(_("missing column: %s") % ", ".join(missing))
    unknown = [name or _("(empty)") for name in header if name not in columns]
    if unknown:
        problems.append(_("unknown column: %s") % ", ".join(unknown))
    if problems:
        raise CsvFileError(
            _("The header on line 1 is wrong (%(problems)s). The columns must be: %(expected)s.")
            % {"problems": "; ".join(problems), "expected": expected},
            code="header",
        )


def _row(line: int, header: list[str], record: list[str]) -> CsvRow:
    values = {name: value.strip() for name, value in zip(header, record, strict=False)}
    problem = ""
    if len(record) != len(header):
        problem = _("The line has %(found)s fields; the header has %(expected)s.") % {
            "found": len(record),
            "expected": len(header),
        }
        values = {name: values.get(name, "") for name in header}
    return CsvRow(line=line, values=values, problem=problem)


# --- plans and results ----------------------------------------------------------------

NEW = "new"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"


@dataclass(frozen=True)
class RowError:
    """Why a row cannot be imported. ``code`` is stable (tests, API); ``message`` is for
    people and names the offending value."""

    code: str
    message: str
    column: str = ""


@dataclass
class PlannedRow:
    """What the import would do with one row of the file."""

    line: int
    values: dict[str, str]
    status: str = UNCHANGED
    changes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The parsed values the apply step writes (not shown).
    parsed: dict[str, Any] = field(default_factory=dict)

    def error(self, code: str, message: str, column: str = "") -> None:
        self.errors.append(RowError(code=code, message=message, column=column))
        self.status = ERROR


@dataclass
class ImportPlan:
    """Every row of a file with its status; ``ok`` when no row has an error."""

    columns: tuple[str, ...]
    rows: list[PlannedRow]

    @property
    def ok(self) -> bool:
        return not any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.errors]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in (NEW, UPDATE, UNCHANGED, ERROR)}


@dataclass(frozen=True)
class ImportResult:
    """How many rows of an applied import created, updated or left unchanged a record."""

    created: int
    updated: int
    unchanged: int

    @classmethod
    def of(cls, plan: ImportPlan) -> "ImportResult":
        return cls(
            created=plan.count(NEW), updated=plan.count(UPDATE), unchanged=plan.count(UNCHANGED)
        )


class ImportFailed(ServiceError):
    """At least one row has an error, so nothing was written; ``plan`` lists them."""

    def __init__(self, plan: ImportPlan):
        count = len(plan.error_rows)
        super().__init__(
            _("Nothing was imported: %(count)s row(s) have errors.") % {"count": count},
            code="rows",
        )
        self.plan = plan


def in_batches(values, size: int = 1000) -> Iterator[list]:
    """``values`` sorted, in lists of at most ``size``: keeps ``__in`` lookups under the
    database's limit on query parameters (SQLite) for large files."""
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def org_number_from(row: PlannedRow, column: str) -> str | None:
    """The row's org.nr in ``column`` as 9 digits (spaces allowed), or None with an error."""
    raw = row.values.get(column, "")
    if not raw:
        row.error("required", _("%(column)s is empty.") % {"column": column}, column)
        return None
    try:
        validate_org_number(raw)
    except ValidationError as exc:
        row.error(exc.code or "org_number", " ".join(exc.messages), column)
        return None
    return normalise_org_number(raw)


# --- organisations ----------------------------------------------------------------------

ORGANISATION_COLUMNS = ("org_nr", "name", "kind", "network")
KINDS = {
    "garden": Organisation.Kind.BUSINESS_GARDEN,
    "incubator": Organisation.Kind.INCUBATOR,
    "partner": Organisation.Kind.PARTNER,
    "programme_owner": Organisation.Kind.PROGRAMME_OWNER,
}
# The role an organisation of each kind gets when the import adds it to a network.
PARTY_ROLES = {
    Organisation.Kind.BUSINESS_GARDEN: NetworkParty.Role.MEMBER,
    Organisation.Kind.INCUBATOR: NetworkParty.Role.MEMBER,
    Organisation.Kind.PARTNER: NetworkParty.Role.PARTNER,
    Organisation.Kind.PROGRAMME_OWNER: NetworkParty.Role.OBSERVER,
}
AUDITED_FIELDS = ["name", "kind", "org_number", "slug"]
NAME_MAX_LENGTH = Organisation._meta.get_field("name").max_length
SLUG_MAX_LENGTH = Network._meta.get_field("slug").max_length


def network_name_from_slug(slug: str) -> str:
    """The name a network created by the import gets: its slug, title-cased."""
    return re.sub(r"[-_]+", " ", slug).strip().title()


def organisation_import_plan(*, data: bytes) -> ImportPlan:
    """Read and check an organisation CSV (columns ``org_nr,name,kind,network``); write
    nothing. Raises ``CsvFileError`` when the file as a whole cannot be read."""
    return _plan_organisations(read_csv(data, columns=ORGANISATION_COLUMNS))


def organisation_import_apply(*, data: bytes, actor: User | None) -> ImportResult:
    """Import an organisation CSV in one transaction: upsert organisations by org.nr, create
    missing networks and add the organisations to them. Raises ``ImportFailed`` (nothing
    written) when any row has an error."""
    rows = read_csv(data, columns=ORGANISATION_COLUMNS)
    with transaction.atomic():
        plan = _plan_organisations(rows)
        if not plan.ok:
            raise ImportFailed(plan)
        _apply_organisations(plan, actor=actor)
    return ImportResult.of(plan)


def _plan_organisations(rows: list[CsvRow]) -> ImportPlan:
    planned = [PlannedRow(line=r.line, values=r.values) for r in rows]
    for row, source in zip(planned, rows, strict=True):
        if source.problem:
            row.error("fields", source.problem)
        else:
            _parse_organisation_row(row)
    numbers = {row.parsed["org_number"] for row in planned if "org_number" in row.parsed}
    slugs = {row.parsed["network"] for row in planned if "network" in row.parsed}
    existing = {
        o.org_number: o
        for batch in in_batches(numbers)
        for o in Organisation.objects.filter(org_number__in=batch)
    }
    networks = {
        n.slug: n for batch in in_batches(slugs) for n in Network.objects.filter(slug__in=batch)
    }
    parties = {
        pair
        for batch in in_batches(numbers)
        for pair in NetworkParty.objects.filter(organisation__org_number__in=batch).values_list(
            "network__slug", "organisation__org_number"
        )
    }
    first_seen: dict[tuple[str, str], int] = {}
    same_org: dict[str, PlannedRow] = {}
    for row in planned:
        if row.errors:
            continue
        number, slug = row.parsed["org_number"], row.parsed["network"]
        if _duplicate_organisation(row, first_seen, same_org):
            continue
        first_seen[(number, slug)] = row.line
        same_org.setdefault(number, row)
        _organisation_status(row, existing.get(number), slug in networks, (slug, number) in parties)
    return ImportPlan(columns=ORGANISATION_COLUMNS, rows=planned)


def _parse_organisation_row(row: PlannedRow) -> None:
    number = org_number_from(row, "org_nr")
    name = row.values.get("name", "")
    if not name:
        row.error("required", _("name is empty."), "name")
    elif len(name) > NAME_MAX_LENGTH:
        row.error(
            "too_long",
            _("The name has %(length)s characters; at most %(max)s are allowed.")
            % {"length": len(name), "max": NAME_MAX_LENGTH},
            "name",
        )
    kind_value = row.values.get("kind", "")
    kind = KINDS.get(kind_value)
    if kind is None:
        row.error(
            "kind",
            _("Unknown kind “%(value)s”: use one of %(kinds)s.")
            % {"value": kind_value, "kinds": ", ".join(KINDS)},
            "kind",
        )
    slug = row.values.get("network", "")
    if not slug:
        row.error("required", _("network is empty."), "network")
    else:
        try:
            validate_slug(slug)
            if len(slug) > SLUG_MAX_LENGTH or slug != slug.lower():
                raise ValidationError("slug")
        except ValidationError:
            row.error(
                "network",
                _(
                    "“%(value)s” is not a network short name: use lower-case letters, "
                    "digits and hyphens (at most %(max)s), e.g. naeringshagene-i-trondelag."
                )
                % {"value": slug, "max": SLUG_MAX_LENGTH},
                "network",
            )
    if not row.errors:
        row.parsed = {"org_number": number, "name": name, "kind": kind, "network": slug}


def _duplicate_organisation(
    row: PlannedRow, first_seen: dict[tuple[str, str], int], same_org: dict[str, PlannedRow]
) -> bool:
    number, slug = row.parsed["org_number"], row.parsed["network"]
    if (number, slug) in first_seen:
        row.error(
            "duplicate",
            _("Organisation %(number)s in network %(network)s is already on line %(line)s.")
            % {"number": number, "network": slug, "line": first_seen[(number, slug)]},
            "org_nr",
        )
        return True
    earlier = same_org.get(number)
    if earlier and (earlier.parsed["name"], earlier.parsed["kind"]) != (
        row.parsed["name"],
        row.parsed["kind"],
    ):
        row.error(
            "conflict",
            _(
                "Line %(line)s gives organisation %(number)s another name or kind; an "
                "organisation listed for several networks must have the same name and kind "
                "on every line."
            )
            % {"line": earlier.line, "number": number},
            "name",
        )
        return True
    return False


def _organisation_status(
    row: PlannedRow, organisation: Organisation | None, network_exists: bool, is_party: bool
) -> None:
    slug = row.parsed["network"]
    joins = (
        _("joins network %(network)s") % {"network": slug}
        if network_exists
        else _("joins network %(network)s (a new network, named “%(name)s”)")
        % {"network": slug, "name": network_name_from_slug(slug)}
    )
    if organisation is None:
        row.status = NEW
        row.changes = [_("new organisation"), joins]
        return
    changes = []
    if organisation.name != row.parsed["name"]:
        changes.append(
            _("name: %(before)s → %(after)s")
            % {"before": organisation.name, "after": row.parsed["name"]}
        )
    if organisation.kind != row.parsed["kind"]:
        changes.append(
            _("kind: %(before)s → %(after)s")
            % {
                "before": organisation.get_kind_display(),
                "after": Organisation.Kind(row.parsed["kind"]).label,
            }
        )
    if not is_party:
        changes.append(joins)
    row.status = UPDATE if changes else UNCHANGED
    row.changes = changes


def _apply_organisations(plan: ImportPlan, *, actor: User | None) -> None:
    numbers = {row.parsed["org_number"] for row in plan.rows}
    organisations = {
        o.org_number: o
        for batch in in_batches(numbers)
        for o in Organisation.objects.select_for_update().filter(org_number__in=batch)
    }
    networks: dict[str, Network] = {}
    for row in plan.rows:
        if row.status == UNCHANGED:
            continue
        values = row.parsed
        network = networks.get(values["network"]) or _network(values["network"])
        networks[network.slug] = network
        organisation = organisations.get(values["org_number"])
        before = snapshot(organisation, AUDITED_FIELDS) if organisation else None
        if organisation is None:
            organisation = Organisation(
                org_number=values["org_number"],
                slug=_unique_slug(values["name"]),
                name=values["name"],
                kind=values["kind"],
            )
            organisations[organisation.org_number] = organisation
        organisation.name = values["name"]
        organisation.kind = values["kind"]
        organisation.full_clean()
        organisation.save()
        _, joined = NetworkParty.objects.get_or_create(
            network=network,
            organisation=organisation,
            defaults={"role": PARTY_ROLES[organisation.kind]},
        )
        after = snapshot(organisation, AUDITED_FIELDS)
        if joined:
            after["network"] = network.slug
        log_action(
            organisation=organisation,
            actor=actor,
            action="network.organisation.imported",
            obj=organisation,
            before=before,
            after=after,
        )


def _network(slug: str) -> Network:
    network, _created = Network.objects.get_or_create(
        slug=slug, defaults={"name": network_name_from_slug(slug)}
    )
    return network


def _unique_slug(name: str) -> str:
    """slugify(name), with -2, -3, … added when another organisation has it."""
    base = slugify(name)[:SLUG_MAX_LENGTH].strip("-") or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return slug

"""Portfolio exports: one exporter yields the rows, two renderers write CSV or xlsx.

Both formats carry exactly the rows and filters of the portfolio list (any page size).
CSV: UTF-8 with a byte-order mark (so Excel reads æøå), comma-separated, ISO dates and a
decimal point. xlsx: openpyxl in write-only mode, dates and numbers as real cell values.
Text that a spreadsheet would run as a formula (=, +, -, @ first) is kept as text.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from koblingsboks.companies.models import Affiliation
from koblingsboks.companies.selectors import PortfolioFilters, portfolio_list
from koblingsboks.network.models import Organisation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def portfolio_columns() -> list[str]:
    return [
        _("Org.nr."),
        _("Name"),
        _("Organisation form"),
        _("NACE code"),
        _("NACE description"),
        _("Municipality number"),
        _("Municipality"),
        _("Kind"),
        _("Phase"),
        _("Start"),
        _("End"),
        _("Responsible advisor"),
        _("Founded"),
        _("Employees"),
        _("Accounts year"),
        _("Turnover"),
        _("Currency"),
        _("Advisory hours"),
        _("Register status"),
    ]


def _status(company) -> str:
    flags = []
    if company.deleted_on:
        flags.append(_("deleted"))
    if company.is_bankrupt:
        flags.append(_("bankrupt"))
    if company.is_under_liquidation or company.is_under_forced_liquidation:
        flags.append(_("under liquidation"))
    return ", ".join(flags)


def _row(affiliation: Affiliation) -> list:
    company = affiliation.company
    advisor = affiliation.responsible_advisor
    return [
        company.org_number,
        company.name,
        company.organisation_form,
        company.nace_code,
        company.nace_description,
        company.municipality_number,
        company.municipality_name,
        str(affiliation.get_kind_display()),
        str(affiliation.get_phase_display()),
        affiliation.start_date,
        affiliation.end_date,
        (advisor.full_name or advisor.email) if advisor else "",
        company.founded_on or company.registered_on,
        company.employees,
        affiliation.latest_turnover_year,
        affiliation.latest_turnover,
        affiliation.latest_turnover_currency or "",
        affiliation.advisory_hours,
        _status(company),
    ]


def portfolio_export_rows(
    *, organisation: Organisation, filters: PortfolioFilters
) -> Iterator[list]:
    """The header, then one row per affiliation of the filtered portfolio."""
    yield portfolio_columns()
    for affiliation in portfolio_list(organisation=organisation, filters=filters).iterator(
        chunk_size=500
    ):
        yield _row(affiliation)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 12900000, 2.5: the same on every database
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def render_csv(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(rows: Iterable[list], *, sheet_title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    bold = Font(bold=True)
    rows = iter(rows)
    header = next(rows, [])
    for index, width in enumerate(_column_widths(len(header)), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral() else float(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "DD.MM.YYYY"
    elif isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # text, never a formula
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or "Portfolio")[:31]


def _column_widths(count: int) -> list[int]:
    preferred = [12, 40, 10, 10, 40, 12, 18, 22, 18, 12, 12, 24, 12, 10, 10, 16, 8, 12, 24]
    return (preferred + [14] * count)[:count]

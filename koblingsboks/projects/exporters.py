"""Budget against actuals as an xlsx workbook: one sheet per line, one per recorded cost.

Amounts are numbers with a NOK number format (Excel and LibreOffice show them the Norwegian
way in a Norwegian locale); text that looks like a formula is stored as text.
"""

import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from koblingsboks.projects.models import Project
from koblingsboks.projects.selectors import budget_vs_actual, cost_entry_list

FORMULA_PREFIXES = ("=", "+", "-", "@")
NOK_FORMAT = '#,##0.00 "kr"'
OVER_FILL = PatternFill("solid", fgColor="F8D7DA")


def _cell(sheet, value, *, bold: bool = False, over: bool = False):
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, float):
        cell.number_format = NOK_FORMAT
    elif isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if over:
        cell.fill = OVER_FILL
    return cell


def _append(sheet, values: Iterable, **style) -> None:
    sheet.append([_cell(sheet, value, **style) for value in values])


def actuals_xlsx(*, project: Project) -> bytes:
    report = budget_vs_actual(project=project)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Budget vs actual")[:31])
    _append(
        sheet,
        [
            _("Party"),
            _("Year"),
            _("Category"),
            _("Budget cash"),
            _("Budget in-kind"),
            _("Budget total"),
            _("Actual cash"),
            _("Actual in-kind"),
            _("Actual total"),
            _("Remaining"),
            _("Over budget"),
        ],
        bold=True,
    )
    for row in report.rows:
        line = row.line
        _append(
            sheet,
            [
                line.party.name,
                line.year,
                line.get_category_display(),
                line.cash,
                line.in_kind,
                row.budget,
                row.actual_cash,
                row.actual_in_kind,
                row.actual,
                row.remaining,
                _("yes") if row.over else "",
            ],
            over=row.over,
        )
    total = report.total
    _append(
        sheet,
        [
            _("Total"),
            "",
            "",
            total.budget_cash,
            total.budget_in_kind,
            total.budget,
            total.actual_cash,
            total.actual_in_kind,
            total.actual,
            total.remaining,
            _("yes") if total.over else "",
        ],
        bold=True,
    )
    costs = workbook.create_sheet(title=_("Costs")[:31])
    _append(
        costs,
        [_("Date"), _("Party"), _("Year"), _("Category"), _("Kind"), _("Amount"), _("Note")],
        bold=True,
    )
    for entry in cost_entry_list(project=project).order_by("date", "pk"):
        line = entry.budget_line
        date_cell = WriteOnlyCell(costs, value=entry.date)
        date_cell.number_format = "DD.MM.YYYY"
        costs.append(
            [
                date_cell,
                _cell(costs, line.party.name),
                _cell(costs, line.year),
                _cell(costs, line.get_category_display()),
                _cell(costs, entry.get_kind_display()),
                _cell(costs, entry.amount),
                _cell(costs, entry.note),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

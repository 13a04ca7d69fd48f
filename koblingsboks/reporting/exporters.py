"""The annual results report as rows (one exporter), rendered as xlsx, CSV and PDF.

The rows carry the figures the viewer may see: a suppressed figure (an observer's or the
public's report over fewer than 3 companies) is written as "< 3", never as its value.
"""

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from koblingsboks.reporting.charts import dashboard_charts
from koblingsboks.reporting.definitions import SUPPRESSION_THRESHOLD, KpiDefinitions

SUPPRESSED = f"< {SUPPRESSION_THRESHOLD}"
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _v(value, suppressed: bool = False):
    if suppressed:
        return SUPPRESSED
    return value


def _ratio_row(label: str, value: dict, description: str) -> list:
    hidden = value.get("suppressed", False)
    share = value["share"]
    return [
        label,
        _v(value["count"], hidden),
        _v(value["base"], hidden),
        _v(None if share is None else round(share, 4), hidden),
        description,
    ]


def summary_rows(report: dict, definitions: KpiDefinitions) -> list[list]:
    """Figure, value (count), base, share, definition — one row per figure."""
    d = definitions.describe()
    vc, emp, sat = report["value_creation"], report["employees"], report["satisfaction"]
    rows = [
        [_("Figure"), _("Value"), _("Base (companies)"), _("Share"), _("Definition")],
        [
            _("Affiliated companies"),
            _v(report["affiliated"], report["affiliated"] is None),
            None,
            None,
            str(d["affiliated"]),
        ],
        [
            _("Newly started"),
            _v(report["newly_started"], report["newly_started"] is None),
            None,
            None,
            str(d["newly_started"]),
        ],
        _ratio_row(_("Growth (year on year)"), report["growth"], str(d["growth"])),
        _ratio_row(
            _("Growth since admission"),
            report["growth_since_admission"],
            str(d["growth_since_admission"]),
        ),
        _ratio_row(_("Doubled turnover"), report["doubled"], str(d["doubled"])),
        [
            _("Value creation (NOK)"),
            _v(vc["total"], vc.get("suppressed", False)),
            vc.get("companies"),
            None,
            str(d["value_creation"]),
        ],
        [
            _("Value creation at baseline (NOK)"),
            _v(vc["baseline_total"], vc["baseline_total"] is None),
            vc.get("baseline_companies"),
            None,
            str(d["value_creation"]),
        ],
        [
            _("Employees"),
            _v(emp["total"], emp.get("suppressed", False)),
            emp.get("companies"),
            None,
            str(d["employees"]),
        ],
        [
            _("Change in employees"),
            _v(emp["change"], emp["change"] is None),
            emp.get("change_companies"),
            None,
            str(d["employees"]),
        ],
        [
            _("Self-reported figures used"),
            report["self_reported"],
            None,
            None,
            str(d["self_reported"]),
        ],
        [
            _("Customer satisfaction (1–6)"),
            _v(sat["average"], sat.get("suppressed", False)),
            sat["answers"],
            None,
            str(d["satisfaction"]),
        ],
    ]
    return rows


def cohort_rows(report: dict) -> list[list]:
    rows = [
        [
            _("Admission year"),
            _("Companies"),
            _("Grew since admission"),
            _("Base"),
            _("Share"),
            _("Doubled turnover"),
            _("Base"),
            _("Share"),
        ]
    ]
    for cohort in report["cohorts"]:
        hidden = cohort.get("suppressed", False)
        g, d = cohort["growth_since_admission"], cohort["doubled"]
        rows.append(
            [
                cohort["admission_year"],
                _v(cohort["companies"], hidden),
                _v(g["count"], g.get("suppressed", False)),
                _v(g["base"], g.get("suppressed", False)),
                _v(g["share"], g.get("suppressed", False)),
                _v(d["count"], d.get("suppressed", False)),
                _v(d["base"], d.get("suppressed", False)),
                _v(d["share"], d.get("suppressed", False)),
            ]
        )
    return rows


def series_rows(series: list[dict]) -> list[list]:
    rows = [
        [
            _("Year"),
            _("Affiliated companies"),
            _("Newly started"),
            _("Growth share"),
            _("Doubled share"),
            _("Employees"),
            _("Value creation (NOK)"),
        ]
    ]
    for r in series:
        rows.append(
            [
                r["year"],
                _v(r["affiliated"], r["affiliated"] is None),
                _v(r["newly_started"], r["newly_started"] is None),
                _v(r["growth"]["share"], r["growth"].get("suppressed", False)),
                _v(r["doubled"]["share"], r["doubled"].get("suppressed", False)),
                _v(r["employees"]["total"], r["employees"].get("suppressed", False)),
                _v(r["value_creation"]["total"], r["value_creation"].get("suppressed", False)),
            ]
        )
    return rows


def comparison_rows(comparison) -> list[list]:
    rows = [
        [
            _("Garden"),
            _("Affiliated companies"),
            _("Newly started"),
            _("Growth share"),
            _("Doubled share"),
            _("Employees"),
        ]
    ]
    for organisation, r in comparison:
        rows.append(
            [
                organisation.name,
                _v(r["affiliated"], r["affiliated"] is None),
                _v(r["newly_started"], r["newly_started"] is None),
                _v(r["growth"]["share"], r["growth"].get("suppressed", False)),
                _v(r["doubled"]["share"], r["doubled"].get("suppressed", False)),
                _v(r["employees"]["total"], r["employees"].get("suppressed", False)),
            ]
        )
    return rows


def _cell(sheet, value):
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral() else float(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # text, never a formula
    return cell


def _sheet(workbook, title: str, rows: list[list]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        cells = [_cell(sheet, v) for v in row]
        if index == 0:
            for cell in cells:
                cell.font = bold
        sheet.append(cells)


def report_xlsx(*, dashboard, definitions: KpiDefinitions, comparison=None) -> bytes:
    """Sheets: the year's figures, the cohorts, ten years, the gardens compared, and the
    definitions used."""
    report = dashboard.report
    workbook = Workbook(write_only=True)
    title = f"{report['scope']['name']} {report['year']}"
    _sheet(workbook, _("Results"), [[title], *summary_rows(report, definitions)])
    _sheet(workbook, _("Cohorts"), cohort_rows(report))
    _sheet(workbook, _("Years"), series_rows(dashboard.series))
    if comparison is not None:
        _sheet(workbook, _("Gardens"), comparison_rows(comparison))
    _sheet(
        workbook,
        _("Definitions"),
        [[_("Parameter"), _("Value")]]
        + [[key, str(value)] for key, value in report["definitions"].items()],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES[:1]) else text


def report_csv(report: dict, definitions: KpiDefinitions) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in summary_rows(report, definitions) + [[]] + cohort_rows(report):
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_pdf(*, request, dashboard, definitions: KpiDefinitions, comparison=None) -> bytes:
    """The annual report with its charts (inline SVG), ready for the programme owner."""
    from weasyprint import HTML  # heavy; imported only when a PDF is made

    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "report": dashboard.report,
            "series": dashboard.series,
            "charts": dashboard_charts(dashboard.series),
            "summary": summary_rows(dashboard.report, definitions)[1:],
            "cohorts": cohort_rows(dashboard.report),
            "comparison": comparison_rows(comparison) if comparison is not None else None,
            "definitions": definitions,
            "detailed": dashboard.detailed,
        },
        request=request,
    )
    return HTML(
        string=html, base_url=request.build_absolute_uri("/") if request else None
    ).write_pdf()

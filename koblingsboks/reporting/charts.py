"""Year-over-year charts of the results dashboard and the PDF report, as server-rendered
inline SVG: this module computes the geometry, ``reporting/partials/chart.html`` draws it.
A table with the same numbers follows every chart (screen readers, and suppressed years
show there as "fewer than 3")."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from koblingsboks.companies.charts import nice_ceiling
from koblingsboks.core.formatting import format_number

WIDTH = 460
HEIGHT = 200
LEFT = 52
RIGHT = 12
TOP = 14
BOTTOM = 28


@dataclass(frozen=True)
class Mark:
    year: int
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass
class YearChart:
    """A bar chart (counts) or a line chart (shares in per cent) over years."""

    key: str
    title: str
    kind: str  # bars | line
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    marks: list[Mark] = field(default_factory=list)
    missing: list[tuple[int, float]] = field(default_factory=list)  # suppressed or no base
    years: list[tuple[int, float]] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    rows: list[tuple[int, str]] = field(default_factory=list)  # the table under the chart

    @property
    def polyline(self) -> str:
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in self.marks)

    @property
    def is_empty(self) -> bool:
        return not self.marks


def _value(report: dict, key: str):
    if key in ("growth", "doubled", "growth_since_admission"):
        share = report[key]["share"]
        return None if share is None else share * 100
    if key == "employees":
        return report["employees"]["total"]
    return report[key]


def _tick(value: float, percent: bool) -> str:
    text = format_number(int(value) if value == int(value) else round(value, 1))
    return f"{text}\xa0%" if percent else text


def year_chart(series: list[dict], *, key: str, title: str, kind: str) -> YearChart:
    chart = YearChart(key=key, title=str(title), kind=kind)
    if not series:
        return chart
    values = [(report["year"], _value(report, key)) for report in series]
    percent = kind == "line"
    top = 100.0 if percent else nice_ceiling(max([1.0, *(float(v) for _y, v in values if v)]))
    plot_height = chart.plot_bottom - chart.plot_top
    slot = (chart.plot_right - chart.plot_left) / len(values)
    if not percent:
        top = max(top, 4.0)  # whole companies: never an axis of 0, 0,5, 1 …
    chart.ticks = [
        (round(chart.plot_bottom - plot_height * i / 4, 1), _tick(top * i / 4, percent))
        for i in range(5)
    ]
    for index, (year, value) in enumerate(values):
        centre = round(chart.plot_left + slot * (index + 0.5), 1)
        chart.years.append((year, centre))
        if value is None:
            chart.missing.append((year, centre))
            chart.rows.append((year, "–"))
            continue
        label = f"{format_number(round(value, 1))} %" if percent else format_number(value)
        chart.rows.append((year, label))
        y = round(chart.plot_bottom - float(value) / top * plot_height, 1)
        if kind == "bars":
            chart.marks.append(
                Mark(
                    year=year,
                    x=round(centre - slot * 0.32, 1),
                    y=y,
                    width=round(slot * 0.64, 1),
                    height=round(chart.plot_bottom - y, 1),
                    label=label,
                )
            )
        else:
            chart.marks.append(Mark(year=year, x=centre, y=y, width=0, height=0, label=label))
    return chart


def dashboard_charts(series: list[dict]) -> list[YearChart]:
    """The five charts of the issue: affiliated, newly started, growth share, doubled
    share, employees."""
    return [
        year_chart(series, key="affiliated", title=_("Affiliated companies"), kind="bars"),
        year_chart(series, key="newly_started", title=_("Newly started"), kind="bars"),
        year_chart(series, key="growth", title=_("Share with growth (year on year)"), kind="line"),
        year_chart(series, key="doubled", title=_("Share with doubled turnover"), kind="line"),
        year_chart(series, key="employees", title=_("Employees"), kind="bars"),
    ]

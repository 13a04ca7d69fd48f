"""The company page's chart of turnover (bars) and employees (a line) over the years.

Server-rendered inline SVG: this module computes the geometry, the template
``companies/partials/key_figures_chart.html`` draws it; a table with the same numbers
follows it for screen readers and for anyone who prefers figures.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from koblingsboks.companies.selectors import KeyFiguresPoint
from koblingsboks.core.formatting import format_number

WIDTH = 640
HEIGHT = 260
LEFT = 78
RIGHT = 56
TOP = 16
BOTTOM = 34


@dataclass(frozen=True)
class Bar:
    year: int
    x: float
    y: float
    width: float
    height: float
    label: str  # the turnover, formatted, for the bar's <title>


@dataclass(frozen=True)
class Point:
    year: int
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    zero_y: float = HEIGHT - BOTTOM
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    years: list[tuple[int, float]] = field(default_factory=list)  # (year, x of its centre)
    turnover_ticks: list[Tick] = field(default_factory=list)
    employee_ticks: list[Tick] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def has_turnover(self) -> bool:
        return bool(self.bars)

    @property
    def has_employees(self) -> bool:
        return bool(self.points)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above ``value`` (axis maximum)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _millions(value: float) -> str:
    return _("%(amount)s mill.") % {"amount": format_number(Decimal(value) / 1_000_000)}


def key_figures_chart(series: list[KeyFiguresPoint]) -> Chart | None:
    """The chart of ``series``; None when no year has a turnover or a headcount."""
    if not any(p.turnover is not None or p.employees is not None for p in series):
        return None
    chart = Chart()
    plot_width = chart.plot_right - chart.plot_left
    plot_height = chart.plot_bottom - chart.plot_top
    slot = plot_width / len(series)

    turnovers = [float(p.turnover) for p in series if p.turnover is not None]
    top = nice_ceiling(max([0.0, *turnovers]))
    bottom = -nice_ceiling(-min(turnovers)) if turnovers and min(turnovers) < 0 else 0.0
    span = top - bottom

    def turnover_y(value: float) -> float:
        return round(chart.plot_top + (top - value) / span * plot_height, 1)

    chart.zero_y = turnover_y(0.0)
    chart.turnover_ticks = [
        Tick(y=turnover_y(value), label=_millions(value))
        for value in [bottom + span * i / 4 for i in range(5)]
    ]
    employees = [p.employees for p in series if p.employees is not None]
    employees_top = nice_ceiling(max([1, *employees]))
    chart.employee_ticks = [
        Tick(
            y=round(chart.plot_bottom - plot_height * i / 4, 1),
            label=format_number(round(employees_top * i / 4, 1)),
        )
        for i in range(5)
    ]
    chart.currencies = sorted({p.currency for p in series if p.turnover is not None})

    for index, point in enumerate(series):
        centre = round(chart.plot_left + slot * (index + 0.5), 1)
        chart.years.append((point.year, centre))
        if point.turnover is not None:
            value = float(point.turnover)
            y = turnover_y(max(value, 0.0))
            height = abs(turnover_y(value) - chart.zero_y)
            chart.bars.append(
                Bar(
                    year=point.year,
                    x=round(centre - slot * 0.3, 1),
                    y=y if value >= 0 else chart.zero_y,
                    width=round(slot * 0.6, 1),
                    height=round(height, 1),
                    label=f"{format_number(point.turnover, 0)} {point.currency}",
                )
            )
        if point.employees is not None:
            chart.points.append(
                Point(
                    year=point.year,
                    x=centre,
                    y=round(chart.plot_bottom - point.employees / employees_top * plot_height, 1),
                    label=format_number(point.employees),
                )
            )
    return chart

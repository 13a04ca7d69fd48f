"""Reads for the results pages, exports and API: the reports a viewer may see, the
companies behind a figure, the satisfaction surveys."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from koblingsboks.companies.models import Affiliation, Company, KeyFigures
from koblingsboks.network.models import Membership, Network, NetworkParty, Organisation
from koblingsboks.network.selectors import network_visible_to
from koblingsboks.reporting import kpi_sql
from koblingsboks.reporting.definitions import KpiDefinitions, Scope
from koblingsboks.reporting.kpi import (
    complementary_suppression,
    kpi_comparison,
    kpi_series,
    suppress_report,
)
from koblingsboks.reporting.models import SatisfactionSurvey, SurveyInvitation
from koblingsboks.reporting.permissions import sees_network_details

SERIES_YEARS = 10

# Figure → the per-company flag that puts a company in it (kpi_sql.kpi_company_rows).
DRILLDOWN_FIGURES = {
    "affiliated": None,
    "newly_started": "newly_started",
    "growth": "growth",
    "growth_base": "growth_base",
    "growth_since_admission": "growth_since_admission",
    "growth_since_admission_base": "growth_since_admission_base",
    "doubled": "doubled",
    "doubled_base": "doubled_base",
    "value_creation": "value_creation",
    "self_reported": "self_reported",
}


def default_report_year(today: datetime.date | None = None) -> int:
    """Last year: the latest year whose annual accounts are (mostly) filed."""
    return (today or timezone.localdate()).year - 1


@dataclass(frozen=True)
class Dashboard:
    """What a results page shows: the year's report, the series behind the charts (both
    already suppressed when the viewer sees aggregates only) and whether the viewer may
    drill into the companies."""

    year: int
    report: dict
    series: list[dict]
    detailed: bool


def dashboard_data(
    *, scope: Scope, year: int, definitions: KpiDefinitions, detailed: bool
) -> Dashboard:
    """The year's report and the ten years up to it, from two queries."""
    series = kpi_series(
        scope=scope,
        first_year=year - SERIES_YEARS + 1,
        last_year=year,
        definitions=definitions,
    )
    if not detailed:
        series = [suppress_report(report) for report in series]
    return Dashboard(year=year, report=series[-1], series=series, detailed=detailed)


def network_for_results(
    *, slug: str, organisation: Organisation | None
) -> tuple[Network, NetworkParty]:
    """A network the organisation is a party of, and its party link; raises
    Network.DoesNotExist otherwise (views answer 404)."""
    network = network_visible_to(slug=slug, organisation=organisation)
    party = next(p for p in network.party_links.all() if p.organisation_id == organisation.pk)
    return network, party


def network_detailed_for(membership: Membership | None, party: NetworkParty) -> bool:
    return sees_network_details(membership, party)


def network_gardens(network: Network) -> list[Organisation]:
    """The member and partner organisations of a network (not observer parties), by name,
    with the municipalities they serve."""
    return list(
        Organisation.objects.filter(
            network_links__network=network,
        )
        .exclude(network_links__network=network, network_links__role=NetworkParty.Role.OBSERVER)
        .prefetch_related("municipalities")
        .order_by("name")
        .distinct()
    )


def comparison_data(
    *, gardens: list[Organisation], year: int, definitions: KpiDefinitions, detailed: bool
) -> list[tuple[Organisation, dict]]:
    rows = kpi_comparison(organisations=gardens, year=year, definitions=definitions)
    if detailed:
        return rows
    suppressed = [(organisation, suppress_report(report)) for organisation, report in rows]
    complementary_suppression([report for _organisation, report in suppressed])
    return suppressed


@dataclass(frozen=True)
class DrilldownRow:
    company: Company
    admission_year: int
    baseline_year: int | None
    turnover: object
    currency: str
    baseline_turnover: object


def drilldown_companies(
    *,
    scope: Scope,
    year: int,
    figure: str,
    definitions: KpiDefinitions,
    cohort: int | None = None,
) -> list[DrilldownRow]:
    """The companies behind ``figure`` in ``year`` — of one admission-year cohort when
    ``cohort`` is given —, by name, with the turnovers compared.

    Callers check first that the viewer may see them (permissions.sees_details)."""
    flag = DRILLDOWN_FIGURES[figure]
    rows = [
        row
        for row in kpi_sql.kpi_company_rows(scope=scope, definitions=definitions, year=year)
        if (flag is None or row[flag]) and (cohort is None or row["admission_year"] == cohort)
    ]
    ids = [row["company_id"] for row in rows]
    companies = {c.pk: c for c in Company.objects.filter(pk__in=ids)}
    wanted_years = {year} | {row["baseline_year"] for row in rows if row["baseline_year"]}
    figures = {}
    for kf in (
        KeyFigures.objects.filter(
            company_id__in=ids,
            account_type=KeyFigures.AccountType.COMPANY,
            year__in=wanted_years,
        )
        .order_by("period_end")
        .values("company_id", "year", "turnover", "currency")
    ):
        figures[(kf["company_id"], kf["year"])] = kf
    result = []
    for row in rows:
        current = figures.get((row["company_id"], year)) or {}
        baseline = figures.get((row["company_id"], row["baseline_year"])) or {}
        result.append(
            DrilldownRow(
                company=companies[row["company_id"]],
                admission_year=row["admission_year"],
                baseline_year=row["baseline_year"],
                turnover=current.get("turnover"),
                currency=current.get("currency", ""),
                baseline_turnover=baseline.get("turnover"),
            )
        )
    return sorted(result, key=lambda r: (r.company.name, r.company.org_number))


# --- the satisfaction survey ------------------------------------------------------------------


def survey_list(*, organisation: Organisation) -> QuerySet[SatisfactionSurvey]:
    """The garden's surveys, newest first, with their number of links, answers and average."""
    return (
        SatisfactionSurvey.objects.filter(organisation=organisation)
        .annotate(
            invited=Count("invitations"),
            answers=Count("invitations", filter=Q(invitations__score__isnull=False)),
            average=Avg("invitations__score"),
        )
        .order_by("-year")
    )


def survey_detail(*, organisation: Organisation, pk: int) -> SatisfactionSurvey:
    return (
        SatisfactionSurvey.objects.filter(organisation=organisation, pk=pk)
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=SurveyInvitation.objects.select_related("company").order_by(
                    "company__name"
                ),
            )
        )
        .get()
    )


def survey_candidates(
    *, organisation: Organisation, survey: SatisfactionSurvey, kinds: tuple[str, ...]
) -> list[Company]:
    """The garden's companies affiliated (a counted kind) in the survey's year that have no
    link yet."""
    first, last = datetime.date(survey.year, 1, 1), datetime.date(survey.year, 12, 31)
    invited = SurveyInvitation.objects.filter(survey=survey).values("company_id")
    ids = (
        Affiliation.objects.filter(organisation=organisation, kind__in=kinds, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exclude(company_id__in=invited)
        .values("company_id")
    )
    return list(Company.objects.filter(pk__in=ids).order_by("name"))

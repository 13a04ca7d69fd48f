"""API routes of the reporting app, mounted under /api/v1/: the same KPI reports as the
pages. Members of a garden get its report in full (observers: suppressed); members of a
network's parties get the network's (observer parties and the observer role: suppressed);
the public network report and the national report are always suppressed."""

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from koblingsboks.api.auth import AUTH, in_organisation
from koblingsboks.api.schemas import ErrorOut
from koblingsboks.network.models import Network
from koblingsboks.network.selectors import membership_list_for_user
from koblingsboks.reporting.definitions import (
    BASELINE_RULES,
    BASELINE_YEAR_BEFORE_OR_FIRST,
    DEFAULT_KINDS,
    KpiDefinitions,
)
from koblingsboks.reporting.kpi import (
    kpi_report,
    kpi_series,
    scope_for_network,
    scope_for_organisation,
    scope_national,
    suppress_report,
)
from koblingsboks.reporting.permissions import can_read_survey_answers, sees_details
from koblingsboks.reporting.schemas import (
    KpiCompanyOut,
    KpiNetworkReportOut,
    KpiReportOut,
    SurveyOut,
)
from koblingsboks.reporting.selectors import (
    DRILLDOWN_FIGURES,
    comparison_data,
    default_report_year,
    drilldown_companies,
    network_detailed_for,
    network_for_results,
    network_gardens,
    survey_list,
)

router = Router(tags=["reporting"])

BASELINE_PATTERN = "^(" + "|".join(BASELINE_RULES) + ")$"
FIGURE_PATTERN = "^(" + "|".join(DRILLDOWN_FIGURES) + ")$"


class KpiParameters(Schema):
    """The year and the definitions' parameters; the programme's defaults when left out."""

    year: int | None = None
    kinds: str = Query(
        ",".join(DEFAULT_KINDS), description="Counted kinds, comma-separated", max_length=60
    )
    newly_started_years: int = Query(3, ge=1, le=10)
    baseline_rule: str = Query(BASELINE_YEAR_BEFORE_OR_FIRST, pattern=BASELINE_PATTERN)
    include_self_reported: bool = True


def _parameters(params: KpiParameters) -> tuple[int, KpiDefinitions]:
    year = params.year or default_report_year()
    if not 1990 <= year <= 2100:
        raise HttpError(400, "The year must be between 1990 and 2100.")
    try:
        definitions = KpiDefinitions(
            kinds=tuple(k.strip() for k in params.kinds.split(",") if k.strip()),
            newly_started_years=params.newly_started_years,
            baseline_rule=params.baseline_rule,
            include_self_reported=params.include_self_reported,
        )
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    return year, definitions


def _network(request, network_slug: str):
    """The network and the caller's party link; 404 unless one of the caller's
    organisations is a party (the first such membership decides what they see)."""
    for membership in membership_list_for_user(user=request.user):
        try:
            network, party = network_for_results(
                slug=network_slug, organisation=membership.organisation
            )
        except Network.DoesNotExist:
            continue
        return network, party, membership
    raise HttpError(404, "Not Found")


@router.get(
    "/organisations/{slug}/results",
    response={200: KpiReportOut, 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="kpi_organisation_report",
)
@in_organisation()
def organisation_report(request, slug: str, params: Query[KpiParameters]):
    """The organisation's KPI report for a year (suppressed for observers)."""
    year, definitions = _parameters(params)
    report = kpi_report(
        scope=scope_for_organisation(request.organisation), year=year, definitions=definitions
    )
    return report if sees_details(request.membership) else suppress_report(report)


@router.get(
    "/organisations/{slug}/results/series",
    response={200: list[KpiReportOut], 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="kpi_organisation_series",
)
@in_organisation()
def organisation_series(
    request,
    slug: str,
    params: Query[KpiParameters],
    first_year: int | None = Query(None, ge=1990, le=2100),
):
    """The organisation's report for every year from ``first_year`` (default: nine years
    before ``year``) to ``year``, oldest first."""
    year, definitions = _parameters(params)
    first_year = first_year or year - 9
    if first_year > year or year - first_year > 30:
        raise HttpError(400, "first_year must be at most 30 years before year, not after it.")
    series = kpi_series(
        scope=scope_for_organisation(request.organisation),
        first_year=first_year,
        last_year=year,
        definitions=definitions,
    )
    if not sees_details(request.membership):
        series = [suppress_report(r) for r in series]
    return series


@router.get(
    "/organisations/{slug}/results/companies",
    response={200: list[KpiCompanyOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="kpi_organisation_companies",
)
@in_organisation(sees_details)
def organisation_companies(
    request,
    slug: str,
    params: Query[KpiParameters],
    figure: str = Query("affiliated", pattern=FIGURE_PATTERN),
    cohort: int | None = Query(
        None, ge=1900, le=2200, description="Only the companies admitted in this year."
    ),
):
    """The companies behind a figure (not for observers)."""
    year, definitions = _parameters(params)
    rows = drilldown_companies(
        scope=scope_for_organisation(request.organisation),
        year=year,
        figure=figure,
        definitions=definitions,
        cohort=cohort,
    )
    return [_company(r) for r in rows]


def _company(row) -> dict:
    return {
        "org_number": row.company.org_number,
        "name": row.company.name,
        "admission_year": row.admission_year,
        "baseline_year": row.baseline_year,
        "turnover": row.turnover,
        "currency": row.currency,
        "baseline_turnover": row.baseline_turnover,
    }


def _network_report(network, year, definitions, detailed: bool) -> dict:
    report = kpi_report(scope=scope_for_network(network), year=year, definitions=definitions)
    gardens = comparison_data(
        gardens=network_gardens(network), year=year, definitions=definitions, detailed=detailed
    )
    return {
        "report": report if detailed else suppress_report(report),
        "gardens": [{"slug": o.slug, "name": o.name, "report": r} for o, r in gardens],
    }


@router.get(
    "/networks/{network_slug}/results",
    response={200: KpiNetworkReportOut, 400: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="kpi_network_report",
)
def network_report(request, network_slug: str, params: Query[KpiParameters]):
    """The network's report (each company once) and each garden's, for members of its
    parties; suppressed for observers."""
    network, party, membership = _network(request, network_slug)
    year, definitions = _parameters(params)
    return _network_report(network, year, definitions, network_detailed_for(membership, party))


@router.get(
    "/networks/{network_slug}/results/companies",
    response={200: list[KpiCompanyOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="kpi_network_companies",
)
def network_companies(
    request,
    network_slug: str,
    params: Query[KpiParameters],
    figure: str = Query("affiliated", pattern=FIGURE_PATTERN),
    cohort: int | None = Query(
        None, ge=1900, le=2200, description="Only the companies admitted in this year."
    ),
):
    """The companies behind a network figure (members of member or partner gardens only)."""
    network, party, membership = _network(request, network_slug)
    if not network_detailed_for(membership, party):
        raise HttpError(403, "Observers see aggregates only.")
    year, definitions = _parameters(params)
    rows = drilldown_companies(
        scope=scope_for_network(network),
        year=year,
        figure=figure,
        definitions=definitions,
        cohort=cohort,
    )
    return [_company(r) for r in rows]


@router.get(
    "/public/networks/{network_slug}/results",
    response={200: KpiNetworkReportOut, 400: ErrorOut, 404: ErrorOut},
    url_name="kpi_public_network_report",
)
def public_network_report(request, network_slug: str, params: Query[KpiParameters]):
    """A network's results for anyone: aggregates only, suppressed below 3 companies."""
    network = Network.objects.filter(slug=network_slug).first()
    if network is None:
        raise HttpError(404, "Not Found")
    year, definitions = _parameters(params)
    return _network_report(network, year, definitions, detailed=False)


@router.get(
    "/national/results",
    response={200: KpiReportOut, 400: ErrorOut},
    auth=AUTH,
    url_name="kpi_national_report",
)
def national_report(request, params: Query[KpiParameters]):
    """The whole country: aggregates only, suppressed below 3 companies."""
    year, definitions = _parameters(params)
    return suppress_report(kpi_report(scope=scope_national(), year=year, definitions=definitions))


@router.get(
    "/organisations/{slug}/surveys",
    response={200: list[SurveyOut], 403: ErrorOut, 404: ErrorOut},
    auth=AUTH,
    url_name="survey_list",
)
@in_organisation(can_read_survey_answers)
def surveys(request, slug: str):
    """The organisation's satisfaction surveys with links sent, answers and the average."""
    return [
        {
            "id": s.id,
            "year": s.year,
            "title": s.title,
            "closes_on": s.closes_on.isoformat() if s.closes_on else None,
            "invited": s.invited,
            "answers": s.answers,
            "average": round(float(s.average), 2) if s.average is not None else None,
        }
        for s in survey_list(organisation=request.organisation)
    ]

"""The results dashboards (a garden, its networks, the country), the companies behind a
figure, and the annual report as xlsx and PDF. Views only parse, call selectors, render."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from koblingsboks.core.decorators import organisation_required
from koblingsboks.network.models import Network
from koblingsboks.reporting import exporters
from koblingsboks.reporting.charts import dashboard_charts
from koblingsboks.reporting.forms import cohort_from, figure_from, parameters_from
from koblingsboks.reporting.kpi import scope_for_network, scope_for_organisation, scope_national
from koblingsboks.reporting.permissions import sees_details
from koblingsboks.reporting.selectors import (
    comparison_data,
    dashboard_data,
    drilldown_companies,
    network_detailed_for,
    network_for_results,
    network_gardens,
)


def _drill_query(request: HttpRequest, year: int) -> str:
    query = request.GET.copy()
    query["year"] = str(year)
    query.pop("figure", None)
    return query.urlencode()


def _network(request: HttpRequest, slug: str):
    try:
        return network_for_results(slug=slug, organisation=request.organisation)
    except Network.DoesNotExist as exc:
        raise Http404 from exc


def _context(request, *, scope, detailed, kind, network=None, gardens=None):
    form, year, definitions = parameters_from(request.GET)
    dashboard = dashboard_data(scope=scope, year=year, definitions=definitions, detailed=detailed)
    comparison = None
    if gardens is not None:
        comparison = comparison_data(
            gardens=gardens, year=year, definitions=definitions, detailed=detailed
        )
    report = dashboard.report
    drill = ""
    if detailed:
        base = (
            reverse("reporting:network-companies", args=[network.slug])
            if network is not None
            else reverse("reporting:companies")
        )
        drill = f"{base}?{_drill_query(request, year)}&"
    return {
        "ratios": [
            ("growth", _("Growth (year on year)"), report["growth"]),
            (
                "growth_since_admission",
                _("Growth since admission"),
                report["growth_since_admission"],
            ),
            ("doubled", _("Doubled turnover"), report["doubled"]),
        ],
        "drill": drill,
        "kind": kind,
        "scope": scope,
        "network": network,
        "form": form,
        "year": year,
        "definitions": definitions,
        "descriptions": definitions.describe(),
        "report": dashboard.report,
        "series": dashboard.series,
        "charts": dashboard_charts(dashboard.series),
        "detailed": detailed,
        "comparison": comparison,
        "query": request.GET.urlencode(),
    }


@organisation_required
def garden_dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for_organisation(request.organisation)
    context = _context(
        request, scope=scope, detailed=sees_details(request.membership), kind="organisation"
    )
    context["networks"] = list(request.organisation.networks.order_by("name"))
    return render(request, "reporting/dashboard.html", context)


@organisation_required
def network_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    network, party = _network(request, slug)
    context = _context(
        request,
        scope=scope_for_network(network),
        detailed=network_detailed_for(request.membership, party),
        kind="network",
        network=network,
        gardens=network_gardens(network),
    )
    return render(request, "reporting/dashboard.html", context)


@organisation_required
def national_dashboard(request: HttpRequest) -> HttpResponse:
    """The whole country: aggregates only, suppressed, for every signed-in member."""
    context = _context(request, scope=scope_national(), detailed=False, kind="national")
    return render(request, "reporting/dashboard.html", context)


def figure_labels() -> dict[str, str]:
    return {
        "affiliated": _("Affiliated companies"),
        "newly_started": _("Newly started"),
        "growth": _("Growth (year on year)"),
        "growth_base": _("Base of growth (year on year)"),
        "growth_since_admission": _("Growth since admission"),
        "growth_since_admission_base": _("Base of growth since admission"),
        "doubled": _("Doubled turnover"),
        "doubled_base": _("Base of doubled turnover"),
        "value_creation": _("Value creation"),
        "self_reported": _("Self-reported figures"),
    }


def _drilldown(request, *, scope, detailed, network=None):
    if not detailed:
        raise Http404
    _form, year, definitions = parameters_from(request.GET)
    figure = figure_from(request.GET)
    cohort = cohort_from(request.GET)
    rows = drilldown_companies(
        scope=scope, year=year, figure=figure, definitions=definitions, cohort=cohort
    )
    return render(
        request,
        "reporting/companies.html",
        {
            "scope": scope,
            "network": network,
            "year": year,
            "figure": figure,
            "figure_label": figure_labels().get(figure, figure),
            "cohort": cohort,
            "description": definitions.describe().get(figure.removesuffix("_base"), ""),
            "rows": rows,
            "query": request.GET.urlencode(),
        },
    )


@organisation_required
def garden_companies(request: HttpRequest) -> HttpResponse:
    return _drilldown(
        request,
        scope=scope_for_organisation(request.organisation),
        detailed=sees_details(request.membership),
    )


@organisation_required
def network_companies(request: HttpRequest, slug: str) -> HttpResponse:
    network, party = _network(request, slug)
    return _drilldown(
        request,
        scope=scope_for_network(network),
        detailed=network_detailed_for(request.membership, party),
        network=network,
    )


def _export(request, *, scope, detailed, fmt, gardens=None):
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    _form, year, definitions = parameters_from(request.GET)
    dashboard = dashboard_data(scope=scope, year=year, definitions=definitions, detailed=detailed)
    comparison = None
    if gardens is not None:
        comparison = comparison_data(
            gardens=gardens, year=year, definitions=definitions, detailed=detailed
        )
    filename = f"results-{scope.slug or 'national'}-{year}.{fmt}"
    if fmt == "xlsx":
        body = exporters.report_xlsx(
            dashboard=dashboard, definitions=definitions, comparison=comparison
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exporters.report_pdf(
            request=request, dashboard=dashboard, definitions=definitions, comparison=comparison
        )
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organisation_required
def garden_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(
        request,
        scope=scope_for_organisation(request.organisation),
        detailed=sees_details(request.membership),
        fmt=fmt,
    )


@organisation_required
def network_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    network, party = _network(request, slug)
    return _export(
        request,
        scope=scope_for_network(network),
        detailed=network_detailed_for(request.membership, party),
        fmt=fmt,
        gardens=network_gardens(network),
    )

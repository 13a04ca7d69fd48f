"""Public pages: "explore the partner network" — the networks, their member gardens, the
municipalities they serve, and their results as suppressed aggregates only."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from koblingsboks.network.models import Network
from koblingsboks.reporting.charts import dashboard_charts
from koblingsboks.reporting.forms import parameters_from
from koblingsboks.reporting.kpi import scope_for_network
from koblingsboks.reporting.selectors import (
    comparison_data,
    dashboard_data,
    network_gardens,
)


def explore_index(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.order_by("name")
    return render(request, "reporting/explore_index.html", {"networks": networks})


def explore_network(request: HttpRequest, slug: str) -> HttpResponse:
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    gardens = network_gardens(network)
    _form, year, definitions = parameters_from({"year": request.GET.get("year", "")})
    scope = scope_for_network(network)
    dashboard = dashboard_data(scope=scope, year=year, definitions=definitions, detailed=False)
    municipalities = sorted(
        {m for garden in gardens for m in garden.municipalities.all()}, key=lambda m: m.name
    )
    report = dashboard.report
    return render(
        request,
        "reporting/explore_network.html",
        {
            "network": network,
            "gardens": gardens,
            "municipalities": municipalities,
            "year": year,
            "report": report,
            "descriptions": definitions.describe(),
            "ratios": [
                ("growth", _("Growth (year on year)"), report["growth"]),
                (
                    "growth_since_admission",
                    _("Growth since admission"),
                    report["growth_since_admission"],
                ),
                ("doubled", _("Doubled turnover"), report["doubled"]),
            ],
            "drill": "",
            "charts": dashboard_charts(dashboard.series),
            "comparison": comparison_data(
                gardens=gardens, year=year, definitions=definitions, detailed=False
            ),
        },
    )

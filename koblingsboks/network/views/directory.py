"""Public directory of organisations, and the network page for members of its parties."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.pagination import paginate
from koblingsboks.network.forms import DirectoryFilterForm
from koblingsboks.network.models import Network, Organisation
from koblingsboks.network.selectors import (
    network_list_for_organisation,
    network_visible_to,
    organisation_detail,
    organisation_list,
)


def organisation_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = organisation_list(
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        ordering=filters.get("sort") or "name",
    )
    page = paginate(request, organisations)
    template = "network/directory.html"
    if request.htmx:
        template = "network/partials/directory_results.html"
    return render(request, template, {"form": form, "page": page})


def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = organisation_detail(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "network/organisation_detail.html", {"organisation": organisation})


@organisation_required
def network_index(request: HttpRequest) -> HttpResponse:
    networks = network_list_for_organisation(organisation=request.organisation)
    return render(request, "network/network_list.html", {"networks": networks})


@organisation_required
def network_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        network = network_visible_to(slug=slug, organisation=request.organisation)
    except Network.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "network/network_detail.html", {"network": network})

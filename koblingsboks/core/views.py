"""The landing page, the dashboard and switching the active organisation."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from koblingsboks.core.decorators import organisation_required
from koblingsboks.core.middleware import SESSION_KEY
from koblingsboks.core.selectors import dashboard_for


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@organisation_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = dashboard_for(organisation=request.organisation, membership=request.membership)
    return render(request, "core/dashboard.html", context)


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organisations the active one; 404 for any other."""
    try:
        wanted = int(request.POST.get("organisation", ""))
    except ValueError as exc:
        raise Http404 from exc
    if wanted not in {m.organisation_id for m in request.memberships}:
        raise Http404
    request.session[SESSION_KEY] = wanted
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return redirect(next_url or "core:dashboard")

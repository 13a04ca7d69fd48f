"""Pages for managing the signed-in user's personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koblingsboks.api.models import ApiToken
from koblingsboks.api.services import api_token_create, api_token_revoke
from koblingsboks.core.exceptions import ServiceError


@login_required
def token_index(request: HttpRequest) -> HttpResponse:
    new_token = None
    error = None
    if request.method == "POST":
        try:
            _token, new_token = api_token_create(
                user=request.user, name=request.POST.get("name", "")
            )
        except ServiceError as exc:
            error = exc.message
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "new_token": new_token, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, user=request.user)
    messages.success(request, _("The token “%s” was revoked.") % token.name)
    return redirect("api-tokens:index")

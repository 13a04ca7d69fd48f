"""The signed-in user's profile, and accepting an invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.middleware import SESSION_KEY
from koblingsboks.network.forms import InvitationSignupForm, ProfileForm
from koblingsboks.network.invitations import (
    invitation_accept,
    invitation_by_token,
    user_register_from_invitation,
)
from koblingsboks.network.models import User
from koblingsboks.network.services import PROFILE_FIELDS, user_profile_update


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(
            user=request.user, data={f: form.cleaned_data[f] for f in PROFILE_FIELDS}
        )
        messages.success(request, _("Your profile was saved."))
        response = redirect("network:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, samesite="Lax")
        return response
    return render(request, "network/profile.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token=token)
    if invitation is None:
        return render(request, "network/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return _accept_as_signed_in(request, token, invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, _("Sign in as %s to accept the invitation.") % invitation.email)
        return redirect(f"{_login_url()}?next={request.path}")
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user, membership = user_register_from_invitation(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = membership.organisation_id
            messages.success(request, _("Welcome to %s!") % membership.organisation.name)
            return redirect("core:dashboard")
    return render(
        request, "network/invitation_signup.html", {"form": form, "invitation": invitation}
    )


def _accept_as_signed_in(request: HttpRequest, token: str, invitation) -> HttpResponse:
    if request.method == "POST":
        try:
            membership = invitation_accept(token=token, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            request.session[SESSION_KEY] = membership.organisation_id
            messages.success(request, _("You are now a member of %s.") % invitation.organisation)
            return redirect("core:dashboard")
    return render(request, "network/invitation_accept.html", {"invitation": invitation})


def _login_url() -> str:
    from django.urls import reverse

    return reverse("login")

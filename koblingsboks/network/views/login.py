"""Sign-in with the e-mail address; django-axes throttles failed attempts."""

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """Sign in; without a language chosen in this browser, use the profile's language."""
        response = super().form_valid(form)
        language = form.get_user().language
        chosen = settings.LANGUAGE_COOKIE_NAME in self.request.COOKIES
        if not chosen and language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", httponly=False
            )
        return response


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows while sign-in is paused (AXES_LOCKOUT_CALLABLE).

    It names the cool-off period actually configured (AXES_COOLOFF_TIME).
    """
    cool_off = get_cool_off(request)
    context = {
        "cooloff_minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    return render(
        request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )

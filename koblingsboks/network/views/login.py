"""Sign-in with the e-mail address; django-axes throttles failed attempts."""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
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

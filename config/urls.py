from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from koblingsboks.api.api import api
from koblingsboks.network.views.login import LoginView

auth_patterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include("koblingsboks.core.urls")),
    path("", include("koblingsboks.network.urls")),
    path("", include("koblingsboks.companies.urls")),
    path("", include("koblingsboks.reporting.urls")),
    path("", include("koblingsboks.people.urls")),
    path("", include("koblingsboks.capacity.urls")),
    path("", include("koblingsboks.events.urls")),
    path("", include("koblingsboks.projects.urls")),
    path("", include("koblingsboks.library.urls")),
    path("", include("koblingsboks.api.urls")),
    path("accounts/", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

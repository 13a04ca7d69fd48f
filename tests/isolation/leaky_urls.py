"""A urlconf with one deliberately leaky view, to show that the isolation test catches it.

Used only by tests/test_isolation.py; never include it in the project's urlconf.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django_scopes import scopes_disabled

from config.urls import urlpatterns as project_urlpatterns
from koblingsboks.network.models import Membership


def leaky_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Reads any organisation's membership, ignoring the scope: the bug the test must catch."""
    with scopes_disabled():
        membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    return HttpResponse(membership.user.email, content_type="text/plain", status=200)


urlpatterns = [
    *project_urlpatterns,
    path("leaky/members/<int:pk>/", leaky_member, name="leaky-member"),
]

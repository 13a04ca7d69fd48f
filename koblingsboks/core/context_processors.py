"""Template context shared by every page."""

from django.http import HttpRequest


def tenancy(request: HttpRequest) -> dict:
    return {
        "active_organisation": getattr(request, "organisation", None),
        "active_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
    }

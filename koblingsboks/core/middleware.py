"""Resolve the active organisation of a signed-in user and run the request in its scope."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from koblingsboks.core.tenancy import organisation_scope

SESSION_KEY = "active_organisation_id"


class OrganisationScopeMiddleware:
    """Sets ``request.organisation`` and ``request.membership`` and opens their scope.

    The whole response, including lazily rendered templates, is produced inside the scope.
    Anonymous users and users without memberships get no scope at all, so a query on a
    private model raises instead of leaking.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from koblingsboks.network.selectors import active_membership_for

        request.organisation = None
        request.membership = None
        request.memberships = []
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        memberships = active_membership_for(user=user, wanted_id=request.session.get(SESSION_KEY))
        request.memberships = memberships.all_memberships
        if memberships.active is None:
            return self.get_response(request)
        request.membership = memberships.active
        request.organisation = memberships.active.organisation
        with organisation_scope(request.organisation):
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

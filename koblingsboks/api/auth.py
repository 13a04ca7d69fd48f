"""API authentication (session or personal token) and the organisation scope of a call."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from koblingsboks.api.services import api_token_authenticate
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.network.models import Organisation
from koblingsboks.network.selectors import membership_for


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kbx_…`` with a personal token."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]


def in_organisation(predicate: Callable | None = None) -> Callable:
    """Run the operation in the scope of the organisation named by the ``slug`` path parameter.

    Anyone who is not a member gets 404, exactly as for an organisation that does not exist;
    a member whose role does not satisfy ``predicate`` gets 403.
    """

    def decorator(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs):
            organisation = Organisation.objects.filter(slug=slug).first()
            membership = (
                membership_for(user=request.user, organisation=organisation)
                if organisation is not None and request.user.is_authenticated
                else None
            )
            if membership is None:
                raise HttpError(404, "Not Found")
            if predicate is not None and not predicate(membership):
                raise HttpError(403, "Your role does not allow this.")
            request.organisation = organisation
            request.membership = membership
            with organisation_scope(organisation):
                return func(request, *args, slug=slug, **kwargs)

        return wrapper

    return decorator

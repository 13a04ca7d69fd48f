"""View decorators for tenancy and roles."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def organisation_required(view: Callable) -> Callable:
    """Signed in, with an active organisation (its scope is then open)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.organisation is None:
            return render(request, "core/no_membership.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def role_required(predicate: Callable) -> Callable:
    """Like ``organisation_required``, and the member's role must satisfy ``predicate``."""

    def decorator(view: Callable) -> Callable:
        @organisation_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.membership):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

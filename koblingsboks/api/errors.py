"""Service refusals as HTTP answers, the same in every app's API."""

from collections.abc import Callable

from ninja.errors import HttpError

from koblingsboks.core.exceptions import ServiceError


def run_service(action: Callable):
    """Run a service: a refusal for lack of rights answers 403, "not found" 404; any other
    ServiceError goes on to the API's handler (400 with its message and code)."""
    try:
        return action()
    except ServiceError as exc:
        if exc.code == "forbidden":
            raise HttpError(403, exc.message) from exc
        if exc.code == "not_found":
            raise HttpError(404, exc.message) from exc
        raise
